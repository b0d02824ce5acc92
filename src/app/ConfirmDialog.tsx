// Confirmation before anything destructive: says what will change and when, runs the
// action, and keeps the dialog open with the host's error if it fails, so nothing is
// lost and the admin can read why. `steps` > 1 asks again (deleting a pinned deployment).
import { Button, Modal, ModalBody, ModalFooter, ModalHeader, ModalVariant } from '@patternfly/react-core';
import { useState, type ReactNode } from 'react';
import { _ } from '../../pkg/lib/gettext';
import { ErrorAlert } from './ErrorAlert';

export interface ConfirmStep {
    title: string;
    body: ReactNode;
    confirmLabel: string;
    /** The admin must do something in the body first (tick "I understand"). */
    isConfirmDisabled?: boolean;
}

export function ConfirmDialog({ steps, variant = 'danger', onConfirm, onClose, id }: {
    steps: readonly ConfirmStep[];
    variant?: 'danger' | 'warning' | 'primary';
    /** Runs after the last step; the dialog closes when it resolves. */
    onConfirm: () => Promise<void> | void;
    onClose: () => void;
    id?: string;
}) {
    const [stepIndex, setStepIndex] = useState(0);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const step = steps[Math.min(stepIndex, steps.length - 1)];
    const last = stepIndex >= steps.length - 1;

    const confirm = async () => {
        if (!last) {
            setStepIndex(stepIndex + 1);
            return;
        }
        setBusy(true);
        setError(null);
        try {
            await onConfirm();
            onClose();
        } catch (e) {
            setError(e);
            setBusy(false);
        }
    };

    return (
        <Modal
            variant={ModalVariant.small}
            isOpen
            onClose={busy ? undefined : onClose}
            aria-labelledby={`${id ?? 'confirm-dialog'}-title`}
            id={id ?? 'confirm-dialog'}
        >
            <ModalHeader title={step.title} titleIconVariant={variant === 'primary' ? undefined : variant} labelId={`${id ?? 'confirm-dialog'}-title`} />
            <ModalBody>
                {step.body}
                {error !== null && <ErrorAlert title={_("It did not work")} error={error} />}
            </ModalBody>
            <ModalFooter>
                <Button
                    variant={variant === 'primary' ? 'primary' : variant === 'warning' ? 'warning' : 'danger'}
                    onClick={() => { void confirm() }}
                    isLoading={busy}
                    isDisabled={busy || step.isConfirmDisabled === true}
                    data-confirm-step={stepIndex + 1}
                >
                    {step.confirmLabel}
                </Button>
                <Button variant="link" onClick={onClose} isDisabled={busy}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
