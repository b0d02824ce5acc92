// The exact guard on a staged deployment, as an alert: shown where the admin would reboot.
import { Alert } from '@patternfly/react-core';
import type { DeploymentsStatus } from '../deployments/deployment';
import type { DeploymentInventory } from './kernel';
import { deploymentInventoryAlert } from './staged-guard';

export function StagedGuardAlert({ status, inventory }: { status: DeploymentsStatus, inventory: readonly DeploymentInventory[] }) {
    const alert = deploymentInventoryAlert(status, inventory);
    if (!alert)
        return null;
    return (
        <Alert variant={alert.level === 'danger' ? 'danger' : 'warning'} isInline id="staged-guard" title={alert.title}>
            {alert.body.map(line => <p key={line}>{line}</p>)}
        </Alert>
    );
}
