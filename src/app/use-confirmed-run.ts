// Host changes that are confirmed first and may take several commands in a row (recover
// = pin, then roll back): the confirmation, then each command with its output in the
// progress panel, stopping at the first that fails, then a refresh.
import { useCallback, useState } from 'react';
import type { ConfirmPlan } from '../deployments/action-plans';
import { useActionRun, type ActionRunner } from './use-action-run';

export interface RunStep {
    label: string;
    argv: string[];
}

export interface RunRequest {
    steps: RunStep[];
    /** null: run at once (nothing to confirm). */
    confirm: ConfirmPlan | null;
    /** Called when the steps ended: true when all succeeded. */
    onDone?: (ok: boolean) => void;
}

export interface ConfirmedRun {
    runner: ActionRunner;
    confirming: RunRequest | null;
    request(request: RunRequest): void;
    confirm(): void;
    cancel(): void;
}

export function useConfirmedRun(onChanged: () => void): ConfirmedRun {
    const runner = useActionRun();
    const [confirming, setConfirming] = useState<RunRequest | null>(null);

    const runSteps = useCallback(async (request: RunRequest) => {
        let ok = true;
        for (const step of request.steps) {
            ok = await runner.start(step.label, step.argv, { admin: true });
            onChanged();
            if (!ok)
                break;
        }
        request.onDone?.(ok);
    }, [runner, onChanged]);

    const request = useCallback((request: RunRequest) => {
        if (request.confirm)
            setConfirming(request);
        else
            void runSteps(request);
    }, [runSteps]);

    const confirm = useCallback(() => {
        if (confirming)
            void runSteps(confirming);
        setConfirming(null);
    }, [confirming, runSteps]);

    return { runner, confirming, request, confirm, cancel: () => setConfirming(null) };
}
