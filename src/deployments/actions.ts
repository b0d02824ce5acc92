// What each Deployments action runs on the host, and whether it may run now. Pure: the
// page asks here, the adapter spawns. argv only, never a shell (DESIGN decision 3); any
// text the admin typed is validated before it gets here (no leading "-", so it cannot
// pass for an option).

/** Which tool manages the deployments. */
export type DeploymentsTool = 'rpm-ostree' | 'bootc';

export type DeploymentAction =
    | { kind: 'check' }
    | { kind: 'preview' }
    | { kind: 'upgrade' }
    | { kind: 'rollback' }
    | { kind: 'deploy', revision: string }
    | { kind: 'rebase', target: string }
    | { kind: 'pin', index: number }
    | { kind: 'unpin', index: number }
    | { kind: 'delete', index: number }
    | { kind: 'cleanup', pending: boolean, rollback: boolean, cache: boolean }
    | { kind: 'cancel' }
    | { kind: 'reboot' };

export type ActionKind = DeploymentAction['kind'];

/** The facts of one deployment an action's checks need. */
export interface DeploymentFacts {
    /** Position in the status list = the index `ostree admin` commands take. */
    index: number;
    booted: boolean;
    staged: boolean;
    pinned: boolean;
}

export class ActionNotPossible extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ActionNotPossible';
    }
}

/**
 * The argv of an action. Throws ActionNotPossible for what the tool cannot do
 * (bootc has no cleanup flags or deploy-by-version) and for what must never run
 * (deleting the booted deployment, an index that is not in the list).
 */
export function actionArgv(tool: DeploymentsTool, action: DeploymentAction, deployments: readonly DeploymentFacts[] = []): string[] {
    const at = (index: number): DeploymentFacts => {
        const found = deployments.find(d => d.index === index);
        if (!found)
            throw new ActionNotPossible(`there is no deployment ${index}`);
        return found;
    };
    switch (action.kind) {
    case 'check':
        return tool === 'bootc' ? ['bootc', 'upgrade', '--check'] : ['rpm-ostree', 'upgrade', '--check'];
    case 'preview':
        if (tool === 'bootc')
            return ['bootc', 'upgrade', '--check'];
        return ['rpm-ostree', 'upgrade', '--preview'];
    case 'upgrade':
        // staged for the next boot; rebooting is its own confirmed action
        return tool === 'bootc' ? ['bootc', 'upgrade'] : ['rpm-ostree', 'upgrade'];
    case 'rollback':
        return tool === 'bootc' ? ['bootc', 'rollback'] : ['rpm-ostree', 'rollback'];
    case 'deploy':
        if (tool === 'bootc')
            throw new ActionNotPossible('bootc deploys images, not versions: use Rebase with an image reference');
        return ['rpm-ostree', 'deploy', action.revision];
    case 'rebase':
        return tool === 'bootc' ? ['bootc', 'switch', action.target] : ['rpm-ostree', 'rebase', action.target];
    case 'pin':
    case 'unpin': {
        const deployment = at(action.index);
        if (deployment.staged)
            throw new ActionNotPossible('a staged deployment cannot be pinned');
        return action.kind === 'pin'
            ? ['ostree', 'admin', 'pin', String(action.index)]
            : ['ostree', 'admin', 'pin', '--unpin', String(action.index)];
    }
    case 'delete': {
        const deployment = at(action.index);
        if (deployment.booted)
            throw new ActionNotPossible('the booted deployment cannot be deleted');
        return ['ostree', 'admin', 'undeploy', String(action.index)];
    }
    case 'cleanup': {
        if (tool === 'bootc')
            throw new ActionNotPossible('bootc has no clean-up command');
        const flags = [
            ...(action.pending ? ['--pending'] : []),
            ...(action.rollback ? ['--rollback'] : []),
            ...(action.cache ? ['--repomd'] : []),
        ];
        if (flags.length === 0)
            throw new ActionNotPossible('nothing to clean up was chosen');
        return ['rpm-ostree', 'cleanup', ...flags];
    }
    case 'cancel':
        if (tool === 'bootc')
            throw new ActionNotPossible('bootc has no transaction to cancel');
        return ['rpm-ostree', 'cancel'];
    case 'reboot':
        return ['systemctl', 'reboot'];
    }
}

/**
 * Actions that must wait for a running transaction to end: all but cancel. A reboot
 * in the middle of a pull or a deployment write loses it, so it waits too.
 */
export function conflictsWithTransaction(kind: ActionKind): boolean {
    return kind !== 'cancel';
}
