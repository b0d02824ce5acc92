// The exact update guard once a deployment is staged: its own tree says whether the
// kernel it boots has an NVIDIA module. Worded for the alert on the Kernel & driver tab.
import { _, format } from '../../pkg/lib/gettext';
import type { DeploymentsStatus } from '../deployments/deployment';
import { deploymentTitle } from '../deployments/deployment-text';
import type { DeploymentInventory } from './kernel';
import { guardFindingText } from './kernel-text';
import { guardStaged } from './update-guard';

export interface StagedAlert {
    level: 'warning' | 'danger';
    title: string;
    body: string[];
}

export function deploymentInventoryAlert(status: DeploymentsStatus, inventory: readonly DeploymentInventory[]): StagedAlert | null {
    const booted = status.deployments.find(d => d.booted);
    const staged = status.deployments.find(d => d.staged);
    if (!booted || !staged)
        return null;
    const bootedInventory = inventory.find(i => i.deploymentId === booted.id);
    const stagedInventory = inventory.find(i => i.deploymentId === staged.id);
    // without both trees there is nothing exact to say; the pre-stage guard said what it could
    if (!bootedInventory || !stagedInventory || stagedInventory.source === 'none' || bootedInventory.source === 'none')
        return null;
    const verdict = guardStaged(bootedInventory, stagedInventory);
    if (verdict.level === 'ok')
        return null;
    return {
        level: verdict.level,
        title: verdict.level === 'danger'
            ? format(_("Do not reboot into $0 yet"), deploymentTitle(staged))
            : format(_("Check $0 before you reboot"), deploymentTitle(staged)),
        body: [
            ...verdict.findings.map(guardFindingText),
            ...(verdict.level === 'danger' ? [_("Pin the known-good deployment first, and remove the staged one (Deployments, Clean up) unless you mean to fix the module after the reboot.")] : []),
        ],
    };
}
