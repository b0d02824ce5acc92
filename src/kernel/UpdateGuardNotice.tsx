// The update guard inside the confirmation of an update, rebase or deploy: what the new
// deployment does to the kernel and the NVIDIA module, the one-click pin of the
// known-good deployment, and, when it is red, the admin's explicit "I understand".
import { Alert, Button, Checkbox, Content } from '@patternfly/react-core';
import { useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { run } from '../../pkg/lib/run';
import { ErrorAlert } from '../app/ErrorAlert';
import type { Deployment } from '../deployments/deployment';
import { deploymentTitle } from '../deployments/deployment-text';
import type { GuardVerdict } from './kernel';
import { guardFindingText } from './kernel-text';

export function UpdateGuardNotice({ verdict, knownGood, acknowledged, onAcknowledge, onPinned }: {
    verdict: GuardVerdict;
    /** The newest known-good deployment that is not pinned yet, if any. */
    knownGood: Deployment | null;
    acknowledged: boolean;
    onAcknowledge: (value: boolean) => void;
    onPinned: () => void;
}) {
    const [pinning, setPinning] = useState(false);
    const [pinned, setPinned] = useState(false);
    const [error, setError] = useState<unknown>(null);
    if (verdict.level === 'ok' && verdict.findings.length === 0)
        return null;
    const pin = async () => {
        if (!knownGood)
            return;
        setPinning(true);
        setError(null);
        try {
            await run(['ostree', 'admin', 'pin', String(knownGood.index)], { admin: true });
            setPinned(true);
            onPinned();
        } catch (e) {
            setError(e);
        } finally {
            setPinning(false);
        }
    };
    const variant = verdict.level === 'danger' ? 'danger' : verdict.level === 'warning' ? 'warning' : 'info';
    return (
        <Alert variant={variant} isInline id="update-guard" data-level={verdict.level}
            title={verdict.level === 'danger' ? _("This update may leave the GPU without a driver") : _("Kernel and NVIDIA driver")}>
            {verdict.findings.map(finding => <Content component="p" key={finding.kind}>{guardFindingText(finding)}</Content>)}
            {verdict.level === 'danger' && knownGood && !pinned &&
                <Content component="p">
                    <Button variant="secondary" size="sm" id="guard-pin" isLoading={pinning} isDisabled={pinning} onClick={() => { void pin() }}>
                        {format(_("Pin the known-good $0 first"), deploymentTitle(knownGood))}
                    </Button>
                </Content>}
            {pinned && knownGood && <Content component="p" id="guard-pinned">{format(_("$0 is pinned: it stays to return to."), deploymentTitle(knownGood))}</Content>}
            {error !== null && <ErrorAlert title={_("Pinning failed")} error={error} />}
            {verdict.level === 'danger' &&
                <Checkbox id="guard-acknowledge" isChecked={acknowledged} onChange={(_e, value) => onAcknowledge(value)}
                    label={_("I understand: after the reboot the GPU may not work until I roll back")} />}
        </Alert>
    );
}
