// Recovery after a bad driver: which known-good deployment to go back to and one button
// that gets it booted next (pinned, made the default), then the reboot. Shown on the
// Kernel & driver tab and, in short, on the Overview.
import { Alert, AlertActionLink, Content, List, ListItem } from '@patternfly/react-core';
import { _, format } from '../../pkg/lib/gettext';
import type { ConfirmedRun } from '../app/use-confirmed-run';
import { actionArgv } from '../deployments/actions';
import { actionLabel, confirmPlan } from '../deployments/action-plans';
import type { DeploymentsStatus } from '../deployments/deployment';
import { deploymentTitle } from '../deployments/deployment-text';
import type { Diagnosis } from '../gpus/gpu';
import type { RecoveryPlan } from './kernel';
import { recordedAtText, unreachableText } from './kernel-text';
import { recoveryRequest } from './recovery-request';

export function RecoveryCard({ plan, status, diagnosis, run, reason, compact = false }: {
    plan: RecoveryPlan;
    status: DeploymentsStatus;
    diagnosis: Diagnosis;
    run: ConfirmedRun;
    /** Why changes cannot run now (no admin access, busy), or null. */
    reason: string | null;
    compact?: boolean;
}) {
    if (plan.kind === 'not-needed')
        return null;
    const reboot = () => {
        const planOfReboot = confirmPlan({ kind: 'reboot' }, status);
        run.request({
            steps: [{ label: actionLabel({ kind: 'reboot' }, status), argv: actionArgv(status.tool, { kind: 'reboot' }, status.deployments) }],
            confirm: planOfReboot,
        });
    };
    if (plan.kind === 'no-known-good') {
        return (
            <Alert variant="danger" isInline id="recovery" data-plan={plan.kind} title={_("No known-good deployment to return to")}>
                {_("No deployment on this machine is recorded as having worked with the GPU. Roll back on the Deployments tab if the previous one is older than the breakage, and turn on the boot-time recorder below so the next good boot is remembered.")}
            </Alert>
        );
    }
    if (plan.kind === 'booted-is-known-good') {
        return (
            <Alert variant="warning" isInline id="recovery" data-plan={plan.kind} title={_("The running deployment worked before")}>
                {format(_("It is recorded as known-good ($0), so going back to another deployment would not help: the cause is outside the image (a kernel argument, firmware, hardware, a file under /etc). Follow the remedy above."), recordedAtText(plan.record))}
            </Alert>
        );
    }
    const target = status.deployments.find(d => d.index === plan.targetIndex);
    const name = target ? deploymentTitle(target) : plan.record.version ?? plan.record.checksum.slice(0, 12);
    if (plan.kind === 'reboot-into') {
        return (
            <Alert variant="warning" isInline id="recovery" data-plan={plan.kind}
                title={format(_("$0 boots next: reboot to get the GPU back"), name)}
                actionLinks={reason === null ? <AlertActionLink onClick={reboot} id="recovery-reboot">{_("Reboot now…")}</AlertActionLink> : undefined}>
                {!compact && <Content component="p">{format(_("It worked here with kernel $0 and NVIDIA driver $1."), plan.record.kernel, plan.record.driverVersion)}</Content>}
                {reason !== null && <Content component="p">{reason}</Content>}
            </Alert>
        );
    }
    if (plan.kind === 'unreachable') {
        return (
            <Alert variant="danger" isInline id="recovery" data-plan={plan.kind} title={format(_("$0 is known-good, but cannot be made the default from here"), name)}>
                {unreachableText(plan.reason)}
            </Alert>
        );
    }
    return (
        <Alert variant="danger" isInline id="recovery" data-plan={plan.kind}
            title={format(_("Recover: go back to $0"), name)}
            actionLinks={reason !== null ? undefined
                : <AlertActionLink onClick={() => run.request(recoveryRequest(plan, status, diagnosis))} id="recover">{_("Recover…")}</AlertActionLink>}>
            {compact &&
                <Content component="p">
                    {format(_("$0. $1 worked here with kernel $2 and NVIDIA driver $3."), diagnosis.title, name, plan.record.kernel, plan.record.driverVersion)}
                </Content>}
            {!compact &&
                <>
                    <Content component="p">
                        {format(_("$0 worked here with kernel $1 and NVIDIA driver $2 ($3)."), name, plan.record.kernel, plan.record.driverVersion, recordedAtText(plan.record))}
                    </Content>
                    <List component="ol">
                        {target && !target.pinned && <ListItem>{_("Pin it, so updates and clean-ups keep it.")}</ListItem>}
                        <ListItem>{plan.kind === 'rollback' ? _("Roll back: it becomes the default for the next boot.") : format(_("Deploy its version $0 again as the default for the next boot."), plan.revision)}</ListItem>
                        <ListItem>{_("Reboot; the page offers it here.")}</ListItem>
                    </List>
                </>}
            {reason !== null && <Content component="p">{reason}</Content>}
        </Alert>
    );
}
