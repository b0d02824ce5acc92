// What the driver remedies may say about the host's deployments: the staged one to
// reboot into and the one a rollback returns to. Pure.
import type { DeploymentsStatus } from '../deployments/deployment';
import type { DeploymentsHint } from './gpu';

export function deploymentsHintOf(status: DeploymentsStatus): DeploymentsHint {
    const staged = status.deployments.find(d => d.staged) ?? null;
    const plan = status.rollback;
    // while blocked, what rollback would reach after `cleanup -p`: the entry after the booted one
    const target = plan.kind === 'target'
        ? status.deployments[plan.index]
        : plan.kind === 'blocked-by-staged'
            ? status.deployments.find((d, i) => !d.booted && !d.staged && i > status.deployments.findIndex(b => b.booted))
            : undefined;
    const version = (d: { version: string | null, checksum: string } | undefined | null) =>
        d ? d.version ?? d.checksum.slice(0, 12) : null;
    return {
        tool: status.tool,
        stagedVersion: version(staged),
        rollbackVersion: version(target),
        rollbackNeedsCleanup: plan.kind === 'blocked-by-staged',
    };
}
