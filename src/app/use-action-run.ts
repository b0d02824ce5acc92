// One long host action at a time (an upgrade, a rebase), its output as it streams, and
// how it ended. The output is kept whole up to a limit so the admin can scroll back.
import { useCallback, useRef, useState } from 'react';
import { runWithOutput, type OutputRun } from '../../pkg/lib/run-with-output';

const MAX_OUTPUT_CHARS = 200_000;

export type ActionRunState =
    | { kind: 'idle' }
    | { kind: 'running', label: string, argv: string[], output: string, startedAt: number }
    | { kind: 'succeeded', label: string, argv: string[], output: string, startedAt: number, endedAt: number }
    | { kind: 'failed', label: string, argv: string[], output: string, startedAt: number, endedAt: number, error: unknown };

export interface ActionRunner {
    state: ActionRunState;
    /** Start argv; resolves when it ended (never rejects: the state says how). */
    start(label: string, argv: string[], options?: { admin?: boolean }): Promise<boolean>;
    /** Stop the running process itself (a tool that has its own cancel should use that instead). */
    stop(): void;
    dismiss(): void;
}

function capped(text: string): string {
    return text.length > MAX_OUTPUT_CHARS ? text.slice(text.length - MAX_OUTPUT_CHARS) : text;
}

export function useActionRun(): ActionRunner {
    const [state, setState] = useState<ActionRunState>({ kind: 'idle' });
    const current = useRef<OutputRun | null>(null);

    const start = useCallback(async (label: string, argv: string[], options: { admin?: boolean } = {}) => {
        if (current.current)
            return false;
        const startedAt = Date.now();
        setState({ kind: 'running', label, argv, output: '', startedAt });
        const run = runWithOutput(argv, {
            admin: options.admin ?? true,
            onOutput: chunk => setState(previous => previous.kind === 'running' && previous.startedAt === startedAt
                ? { ...previous, output: capped(previous.output + chunk) }
                : previous),
        });
        current.current = run;
        try {
            const output = await run.done;
            setState({ kind: 'succeeded', label, argv, output: capped(output), startedAt, endedAt: Date.now() });
            return true;
        } catch (error) {
            setState(previous => ({
                kind: 'failed',
                label,
                argv,
                output: previous.kind === 'running' ? previous.output : '',
                startedAt,
                endedAt: Date.now(),
                error,
            }));
            return false;
        } finally {
            current.current = null;
        }
    }, []);

    const stop = useCallback(() => current.current?.stop(), []);
    const dismiss = useCallback(() => setState(previous => previous.kind === 'running' ? previous : { kind: 'idle' }), []);

    return { state, start, stop, dismiss };
}
