// What each deployment is to the next boot, and what "Roll back" would do, derived from
// the list alone so the Overview, the Deployments tab and Recovery agree.
//
// Terms follow ostree_sysroot_query_deployments_for(): among the deployments of the
// booted stateroot, "pending" is the first one before the booted deployment and
// "rollback" the first one after it; position 0 is what the bootloader starts next.
import type { DeploymentFacts, DeploymentsTool } from './actions';
import type { DeploymentRole, RollbackPlan } from './deployment';

export interface RoleFacts extends DeploymentFacts {
    osname: string | null;
}

interface Neighbours<T extends RoleFacts> {
    booted: T;
    pending: T | undefined;
    rollback: T | undefined;
    staged: T | undefined;
}

function neighbours<T extends RoleFacts>(deployments: readonly T[]): Neighbours<T> | null {
    const booted = deployments.find(d => d.booted);
    if (!booted)
        return null;
    const related = deployments.filter(d => d.osname === booted.osname).sort((a, b) => a.index - b.index);
    return {
        booted,
        pending: related.find(d => d.index < booted.index),
        rollback: related.find(d => d.index > booted.index),
        staged: deployments.find(d => d.staged),
    };
}

/**
 * rpm-ostree rollback. rpm-ostree(1) documents it as: "If the current default is
 * booted, then set the default to the previous entry. Otherwise, make the currently
 * booted tree the default." The daemon (rollback_transaction_execute in
 * src/daemon/rpmostreed-transaction-types.cxx) is more precise, and it is what runs:
 * - no pending and no rollback deployment: "No rollback deployment found";
 * - the pending deployment is staged: refused, "Staged deployment (remove with
 *   cleanup -p)" (since coreos/rpm-ostree#1434, 2018);
 * - a rollback deployment exists: it becomes the default;
 * - otherwise (a pending but no rollback deployment): the booted one becomes the
 *   default again, which undoes an earlier rollback.
 * The two differ only with a non-staged pending deployment *and* a rollback one
 * (three deployments): the daemon picks the rollback one, not the booted one.
 */
function rpmOstreeRollback(deployments: readonly RoleFacts[]): RollbackPlan {
    const n = neighbours(deployments);
    if (!n || (!n.pending && !n.rollback))
        return { kind: 'none' };
    if (n.pending?.staged)
        return { kind: 'blocked-by-staged', stagedIndex: n.pending.index };
    return { kind: 'target', index: (n.rollback ?? n.booted).index, discardsStaged: false };
}

/**
 * bootc rollback (`rollback()` in bootc's deploy.rs, with `get_status()` in status.rs):
 * bootc's rollback entry is the first deployment of the booted stateroot that is neither
 * staged nor booted. It becomes the default; if it already is the default (a rollback is
 * queued), the booted one becomes the default again ("notice: Reverting queued rollback
 * state"). The staged deployment is not in the list it writes back, so it is dropped
 * either way (bootc-dev/bootc#946, #1418). No rollback entry: "No rollback available".
 */
function bootcRollback(deployments: readonly RoleFacts[]): RollbackPlan {
    const n = neighbours(deployments);
    const rollback = n && deployments
        .filter(d => d.osname === n.booted.osname && !d.staged && !d.booted)
        .sort((a, b) => a.index - b.index)[0];
    if (!n || !rollback)
        return { kind: 'none' };
    const queued = rollback.index < n.booted.index;
    return { kind: 'target', index: (queued ? n.booted : rollback).index, discardsStaged: !!n.staged };
}

export function rollbackPlan(tool: DeploymentsTool, deployments: readonly RoleFacts[]): RollbackPlan {
    return tool === 'bootc' ? bootcRollback(deployments) : rpmOstreeRollback(deployments);
}

/** The roles of every deployment, in list order. */
export function deploymentRoles(deployments: readonly RoleFacts[], plan: RollbackPlan): DeploymentRole[][] {
    const n = neighbours(deployments);
    return deployments.map(d => {
        const roles: DeploymentRole[] = [];
        if (d.index === 0)
            roles.push('default');
        // without a booted deployment in the list, staged is all that says "pending"
        if (d.staged || (n && d === n.pending))
            roles.push('pending');
        if (plan.kind === 'target' && plan.index === d.index)
            roles.push('rollback-target');
        return roles;
    });
}
