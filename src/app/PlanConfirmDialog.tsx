// The confirmation of a ConfirmPlan: what will change and when, one paragraph per line,
// with an optional extra block (a warning, a list of steps) above the buttons.
import { type ReactNode } from 'react';
import type { ConfirmPlan } from '../deployments/action-plans';
import { ConfirmDialog } from './ConfirmDialog';

export function PlanConfirmDialog({ plan, onConfirm, onClose, id, extra, isConfirmDisabled = false }: {
    plan: ConfirmPlan;
    onConfirm: () => void;
    onClose: () => void;
    id: string;
    extra?: ReactNode;
    /** Until the admin acted on `extra` (the update guard's "I understand"). */
    isConfirmDisabled?: boolean;
}) {
    return (
        <ConfirmDialog
            id={id}
            variant={plan.variant}
            steps={plan.steps.map((step, i) => ({
                title: step.title,
                confirmLabel: step.confirmLabel,
                isConfirmDisabled: i === 0 && isConfirmDisabled,
                body: <>{step.body.map(line => <p key={line}>{line}</p>)}{i === 0 && extra}</>,
            }))}
            onConfirm={onConfirm}
            onClose={onClose}
        />
    );
}
