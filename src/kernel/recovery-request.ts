// Recover as a confirmed run: what the confirmation says and the commands, from the plan.
import { _, format } from '../../pkg/lib/gettext';
import type { RunRequest } from '../app/use-confirmed-run';
import { actionArgv } from '../deployments/actions';
import { actionLabel } from '../deployments/action-plans';
import type { DeploymentsStatus } from '../deployments/deployment';
import { deploymentTitle } from '../deployments/deployment-text';
import type { Diagnosis } from '../gpus/gpu';
import type { RecoveryPlan } from './kernel';
import { recoverySteps } from './recovery-plan';

export function recoveryRequest(plan: Extract<RecoveryPlan, { kind: 'rollback' | 'deploy' }>, status: DeploymentsStatus, diagnosis: Diagnosis): RunRequest {
    const target = status.deployments.find(d => d.index === plan.targetIndex);
    const name = target ? deploymentTitle(target) : plan.record.version ?? plan.record.checksum.slice(0, 12);
    const actions = recoverySteps(plan, status);
    return {
        steps: actions.map(action => ({ label: actionLabel(action, status), argv: actionArgv(status.tool, action, status.deployments) })),
        confirm: {
            variant: 'warning',
            takesEffect: 'next-boot',
            steps: [{
                title: format(_("Return to $0?"), name),
                body: [
                    format(_("The GPU driver is broken on the running deployment: $0."), diagnosis.title),
                    format(_("$0 worked on this machine with kernel $1 and driver $2."), name, plan.record.kernel, plan.record.driverVersion),
                    ...actions.map(action => {
                        switch (action.kind) {
                        case 'pin': return _("First it is pinned, so that nothing removes it.");
                        case 'cleanup': return _("The staged deployment is removed (rpm-ostree rolls back only without one).");
                        case 'rollback': return _("Then Roll back makes it the default for the next boot.");
                        case 'deploy': return format(_("Then its version $0 is deployed again as the default for the next boot."), action.revision);
                        default: return actionLabel(action, status);
                        }
                    }),
                    _("The running system does not change; the reboot into it is offered next."),
                ],
                confirmLabel: _("Recover"),
            }],
        },
    };
}
