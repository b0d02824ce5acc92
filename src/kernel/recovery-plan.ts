// Recover (issue 5): when the GPU verdict says the driver is broken on the booted
// deployment, which known-good deployment to return to and the commands that make it the
// default. The reboot is not a step: the page offers it separately once the steps ran. Pure.
import type { DeploymentAction } from '../deployments/actions';
import type { Deployment, DeploymentsStatus } from '../deployments/deployment';
import { rollbackPlan } from '../deployments/deployment-roles';
import { validateRevision } from '../deployments/revision';
import type { KnownGoodRecord, RecoveryPlan, UnreachableReason } from './kernel';
import { newestFirst } from './known-good';

export type VerdictSeverity = 'ok' | 'warning' | 'danger' | 'info';

/**
 * The deployment Roll back reaches. While a deployment is staged rpm-ostree refuses to roll
 * back; the steps clean the staged one up first, so the target is the one reached without it.
 */
function rollbackTarget(status: DeploymentsStatus): number | null {
    const plan = status.rollback.kind === 'blocked-by-staged'
        ? rollbackPlan(status.tool, status.deployments.filter(d => !d.staged))
        : status.rollback;
    return plan.kind === 'target' ? plan.index : null;
}

/** What `rpm-ostree deploy` takes for it: its version, else its base commit (a layered commit is local only). */
function revisionOf(target: Deployment): string {
    const version = target.version;
    if (version !== null && validateRevision(version).ok)
        return version;
    return target.base?.checksum ?? target.checksum;
}

/** Why `deploy` cannot return to the target; null when it can. */
function deployBlocker(status: DeploymentsStatus, booted: Deployment, target: Deployment): UnreachableReason | null {
    if (status.tool === 'bootc')
        return 'bootc-no-deploy';
    if (booted.origin?.kind === 'container-image' || target.origin?.kind === 'container-image')
        return 'container-origin';
    if ((booted.origin?.text ?? null) !== (target.origin?.text ?? null))
        return 'other-origin';
    return null;
}

export function recoveryPlan(status: DeploymentsStatus, diagnosisSeverity: VerdictSeverity,
    knownGood: ReadonlyMap<string, KnownGoodRecord>): RecoveryPlan {
    if (diagnosisSeverity !== 'danger')
        return { kind: 'not-needed' };
    const booted = status.deployments.find(d => d.booted);
    if (!booted)
        return { kind: 'no-known-good' };
    const bootedRecord = knownGood.get(booted.id);
    // it worked on this very deployment: going back to another one fixes nothing that broke since
    if (bootedRecord)
        return { kind: 'booted-is-known-good', record: bootedRecord };
    // rollback and deploy both work within the booted stateroot; staged ones never booted
    // already on its way back: the next boot starts a known-good deployment, or a staged
    // redeploy of a known-good version (rpm-ostree deploy writes a new commit when packages
    // are layered, so its checksum is new; its base and packages are the known-good ones)
    const next = status.deployments.find(d => d.staged) ?? status.deployments.find(d => d.index === 0);
    const nextRecord = next && !next.booted && next.osname === booted.osname
        ? knownGood.get(next.id) ?? (next.staged && next.version !== null
            ? [...knownGood.values()].find(r => r.version === next.version) : undefined)
        : undefined;
    if (next && nextRecord)
        return { kind: 'reboot-into', targetIndex: next.index, record: nextRecord };
    const candidates = newestFirst(status.deployments.filter(d =>
        !d.booted && !d.staged && d.osname === booted.osname && knownGood.has(d.id)));
    if (candidates.length === 0)
        return { kind: 'no-known-good' };
    const rollbackIndex = rollbackTarget(status);
    // the newest one a command reaches; only when none is reachable, say why for the newest
    for (const target of candidates) {
        const record = knownGood.get(target.id)!;
        if (target.index === rollbackIndex)
            return { kind: 'rollback', targetIndex: target.index, record };
        if (deployBlocker(status, booted, target) === null)
            return { kind: 'deploy', targetIndex: target.index, revision: revisionOf(target), record };
    }
    const newest = candidates[0];
    return { kind: 'unreachable', targetIndex: newest.index, record: knownGood.get(newest.id)!, reason: deployBlocker(status, booted, newest)! };
}

/**
 * The actions that make the plan's deployment the default. The pin comes first, not last:
 * `rpm-ostree deploy` prunes the deployments that are neither booted, rollback nor pinned
 * (a known-good one two back would be deleted by the very command meant to return to it),
 * and a rollback moves the target to index 0, so a pin given afterwards by the old index
 * would pin the wrong deployment. Pinning does not reorder, so its index holds for the rest.
 */
export function recoverySteps(plan: RecoveryPlan, status: DeploymentsStatus): DeploymentAction[] {
    if (plan.kind !== 'rollback' && plan.kind !== 'deploy')
        return [];
    const target = status.deployments.find(d => d.index === plan.targetIndex);
    const pin: DeploymentAction[] = target && !target.pinned ? [{ kind: 'pin', index: plan.targetIndex }] : [];
    if (plan.kind === 'deploy')
        return [...pin, { kind: 'deploy', revision: plan.revision }];
    const cleanup: DeploymentAction[] = status.rollback.kind === 'blocked-by-staged'
        ? [{ kind: 'cleanup', pending: true, rollback: false, cache: false }]
        : [];
    return [...pin, ...cleanup, { kind: 'rollback' }];
}
