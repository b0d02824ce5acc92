// Runs the Deployments actions: a confirmation where the action needs one, then the
// tool with its output streaming into the progress panel, then a fresh status. One
// action at a time; the state of the last one stays until dismissed.
import { useCallback, useState } from 'react';
import { run as runOnce } from '../../pkg/lib/run';
import { useActionRun, type ActionRunner } from '../app/use-action-run';
import { actionArgv, type DeploymentAction } from './actions';
import { actionLabel, confirmPlan, type ConfirmPlan } from './action-plans';
import type { DeploymentsStatus } from './deployment';

export interface PendingConfirmation {
    action: DeploymentAction;
    plan: ConfirmPlan;
}

export interface DeploymentActions {
    runner: ActionRunner;
    /** The action whose confirmation is open. */
    confirming: PendingConfirmation | null;
    /** Ask (or run at once, for what changes nothing). */
    request(action: DeploymentAction): void;
    /** The admin said yes. */
    confirm(): void;
    cancelConfirmation(): void;
    /** The last action that ran, for the views that read its output (the update check). */
    lastAction: DeploymentAction | null;
    /** Stop the action this page runs: rpm-ostree's own cancel (the daemon keeps a killed client's transaction), bootc's process. */
    cancelRunning(): void;
}

export function useDeploymentActions(status: DeploymentsStatus | null, onChanged: () => void): DeploymentActions {
    const runner = useActionRun();
    const [confirming, setConfirming] = useState<PendingConfirmation | null>(null);
    const [lastAction, setLastAction] = useState<DeploymentAction | null>(null);

    const run = useCallback((action: DeploymentAction) => {
        if (!status)
            return;
        const argv = actionArgv(status.tool, action, status.deployments);
        setLastAction(action);
        void runner.start(actionLabel(action, status), argv, { admin: true }).then(() => onChanged());
    }, [status, runner, onChanged]);

    const request = useCallback((action: DeploymentAction) => {
        if (!status)
            return;
        const plan = confirmPlan(action, status);
        if (plan)
            setConfirming({ action, plan });
        else
            run(action);
    }, [status, run]);

    const confirm = useCallback(() => {
        if (confirming)
            run(confirming.action);
        setConfirming(null);
    }, [confirming, run]);

    const cancelRunning = useCallback(() => {
        if (status?.tool === 'rpm-ostree')
            void runOnce(['rpm-ostree', 'cancel'], { admin: true }).catch(() => runner.stop());
        else
            runner.stop();
    }, [status, runner]);

    return { runner, confirming, request, confirm, cancelConfirmation: () => setConfirming(null), lastAction, cancelRunning };
}
