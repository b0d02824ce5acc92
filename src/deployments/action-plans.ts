// For every Deployments action: whether it may run now (and if not, why, in words), what
// its confirmation says will change and when, and the label of its progress. Pure: the
// page decides with these, actions.ts gives the argv.
import { _, format } from '../../pkg/lib/gettext';
import { ActionNotPossible, actionArgv, conflictsWithTransaction, type DeploymentAction, type DeploymentsTool } from './actions';
import type { Deployment, DeploymentsStatus } from './deployment';
import { deploymentTitle, nextBoot, transactionText } from './deployment-text';

/** When the change shows: at once (pins, deletions, clean-up) or at the next boot. */
export type TakesEffect = 'now' | 'next-boot';

export interface ConfirmPlan {
    variant: 'danger' | 'warning' | 'primary';
    takesEffect: TakesEffect;
    /** One step, or two for what is hard to undo (deleting a pinned deployment, rebooting). */
    steps: { title: string, body: string[], confirmLabel: string }[];
}

export interface AvailabilityContext {
    status: DeploymentsStatus;
    admin: boolean | null;
    /** An action of this page is running. */
    busy: boolean;
}

function at(status: DeploymentsStatus, index: number): Deployment | undefined {
    return status.deployments.find(d => d.index === index);
}

/** Why the action cannot run now, or null when it can. */
export function unavailableReason(action: DeploymentAction, context: AvailabilityContext): string | null {
    const { status, admin, busy } = context;
    if (admin !== true)
        return _("Turn on administrative access to change deployments.");
    if (busy && action.kind !== 'cancel')
        return _("Another action of this page is running.");
    if (status.transaction && conflictsWithTransaction(action.kind))
        return format(_("rpm-ostree is busy with $0; wait for it to end or cancel it."), transactionText(status.transaction.title));
    if (action.kind === 'cancel' && !status.transaction)
        return _("No transaction is running.");
    if (action.kind === 'rollback') {
        if (status.rollback.kind === 'none')
            return _("There is no other deployment to roll back to.");
        if (status.rollback.kind === 'blocked-by-staged')
            return _("A deployment is staged for the next boot; rpm-ostree rolls back only after it is cleaned up (Clean up, pending deployment).");
    }
    if (action.kind === 'reboot' && !status.deployments.some(d => d.booted))
        return _("The running deployment is unknown.");
    try {
        actionArgv(status.tool, action, status.deployments);
    } catch (error) {
        if (error instanceof ActionNotPossible)
            return notPossibleText(error.message, status.tool);
        throw error;
    }
    return null;
}

/** actions.ts speaks English to developers; the admin gets the same reason translated. */
function notPossibleText(reason: string, tool: DeploymentsTool): string {
    if (reason.startsWith('the booted deployment cannot be deleted'))
        return _("The running deployment cannot be deleted.");
    if (reason.startsWith('a staged deployment cannot be pinned'))
        return _("A staged deployment cannot be pinned; pin it once it has booted.");
    if (reason.startsWith('there is no deployment'))
        return _("That deployment is gone; the list is being refreshed.");
    if (reason.startsWith('nothing to clean up'))
        return _("Choose what to clean up.");
    if (tool === 'bootc')
        return _("bootc cannot do this.");
    return reason;
}

export function actionLabel(action: DeploymentAction, status: DeploymentsStatus): string {
    const title = (index: number) => {
        const d = at(status, index);
        return d ? deploymentTitle(d) : String(index);
    };
    switch (action.kind) {
    case 'check': return _("Checking for updates");
    case 'preview': return _("Looking at the update");
    case 'upgrade': return _("Staging the update");
    case 'rollback': return _("Rolling back");
    case 'deploy': return format(_("Deploying $0"), action.revision);
    case 'rebase': return format(_("Rebasing to $0"), action.target);
    case 'pin': return format(_("Pinning $0"), title(action.index));
    case 'unpin': return format(_("Unpinning $0"), title(action.index));
    case 'delete': return format(_("Deleting $0"), title(action.index));
    case 'cleanup': return _("Cleaning up");
    case 'cancel': return _("Cancelling the transaction");
    case 'reboot': return _("Rebooting");
    }
}

const REBOOT_LATER = () => _("The running system does not change. The new default starts at the next reboot, which you start separately.");

export function confirmPlan(action: DeploymentAction, status: DeploymentsStatus): ConfirmPlan | null {
    const booted = status.deployments.find(d => d.booted);
    switch (action.kind) {
    case 'check':
    case 'preview':
        return null;
    case 'upgrade':
        return {
            variant: 'primary',
            takesEffect: 'next-boot',
            steps: [{
                title: _("Stage the update?"),
                body: [
                    _("The update is downloaded and written as a new deployment on top of the list."),
                    REBOOT_LATER(),
                    ...(status.deployments.some(d => d.staged) ? [_("The deployment staged now is replaced by the new one.")] : []),
                ],
                confirmLabel: _("Stage update"),
            }],
        };
    case 'rollback': {
        const plan = status.rollback;
        const target = plan.kind === 'target' ? at(status, plan.index) : undefined;
        return {
            variant: 'warning',
            takesEffect: 'next-boot',
            steps: [{
                title: _("Roll back?"),
                body: [
                    target ? format(_("$0 becomes the default for the next boot."), deploymentTitle(target)) : _("The previous deployment becomes the default for the next boot."),
                    ...(plan.kind === 'target' && plan.discardsStaged ? [_("The deployment staged now is dropped.")] : []),
                    REBOOT_LATER(),
                ],
                confirmLabel: _("Roll back"),
            }],
        };
    }
    case 'deploy':
        return {
            variant: 'warning',
            takesEffect: 'next-boot',
            steps: [{
                title: format(_("Deploy $0?"), action.revision),
                body: [format(_("Version or commit $0 is downloaded and staged as the new default."), action.revision), REBOOT_LATER()],
                confirmLabel: _("Deploy"),
            }],
        };
    case 'rebase':
        return {
            variant: 'warning',
            takesEffect: 'next-boot',
            steps: [{
                title: _("Rebase?"),
                body: [
                    format(_("The system switches its origin to $0: that is where updates come from from now on."), action.target),
                    booted?.layering.requested.length ? _("Layered packages are kept and must install on the new base; the rebase fails if they do not.") : '',
                    REBOOT_LATER(),
                ].filter(line => line !== ''),
                confirmLabel: _("Rebase"),
            }],
        };
    case 'pin':
    case 'unpin': {
        const d = at(status, action.index);
        const name = d ? deploymentTitle(d) : String(action.index);
        return action.kind === 'pin'
            ? {
                variant: 'primary',
                takesEffect: 'now',
                steps: [{
                    title: format(_("Pin $0?"), name),
                    body: [_("A pinned deployment is kept when updates and clean-ups remove old deployments. It takes effect at once.")],
                    confirmLabel: _("Pin"),
                }],
            }
            : {
                variant: 'warning',
                takesEffect: 'now',
                steps: [{
                    title: format(_("Unpin $0?"), name),
                    body: [_("The next update or clean-up may then remove it. It takes effect at once.")],
                    confirmLabel: _("Unpin"),
                }],
            };
    }
    case 'delete': {
        const d = at(status, action.index);
        const name = d ? deploymentTitle(d) : String(action.index);
        const first = {
            title: format(_("Delete $0?"), name),
            body: [
                _("Its files are removed now and it can no longer be booted or rolled back to. This cannot be undone."),
                ...(d?.roles.includes('rollback-target') ? [_("It is the rollback target: after this, Roll back has nowhere to go.")] : []),
            ],
            confirmLabel: _("Delete"),
        };
        return {
            variant: 'danger',
            takesEffect: 'now',
            steps: d?.pinned
                ? [first, {
                    title: format(_("$0 is pinned"), name),
                    body: [_("Someone pinned this deployment to keep it, perhaps as the known-good one to return to. Delete it anyway?")],
                    confirmLabel: _("Delete the pinned deployment"),
                }]
                : [first],
        };
    }
    case 'cleanup':
        return {
            variant: 'warning',
            takesEffect: 'now',
            steps: [{
                title: _("Clean up?"),
                body: [
                    ...(action.pending ? [_("The pending (staged) deployment is removed: the next boot starts the running one again.")] : []),
                    ...(action.rollback ? [_("The rollback deployment is removed: Roll back has nowhere to go until the next update.")] : []),
                    ...(action.cache ? [_("Cached update metadata is removed; the next check downloads it again.")] : []),
                    _("It takes effect at once."),
                ],
                confirmLabel: _("Clean up"),
            }],
        };
    case 'cancel':
        return {
            variant: 'warning',
            takesEffect: 'now',
            steps: [{
                title: _("Cancel the transaction?"),
                body: [status.transaction ? format(_("rpm-ostree stops $0. What it downloaded so far stays in the cache."), transactionText(status.transaction.title)) : _("rpm-ostree stops the running transaction.")],
                confirmLabel: _("Cancel transaction"),
            }],
        };
    case 'reboot': {
        const next = nextBoot(status.deployments);
        return {
            variant: 'danger',
            takesEffect: 'now',
            steps: [{
                title: _("Reboot now?"),
                body: [
                    next ? format(_("The machine restarts into $0."), deploymentTitle(next)) : _("The machine restarts."),
                    _("Everything running stops: model servers, containers, sessions of other admins. This page loses its connection until the machine is back."),
                ],
                confirmLabel: _("Reboot"),
            }],
        };
    }
    }
}
