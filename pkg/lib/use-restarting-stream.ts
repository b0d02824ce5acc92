// One long-lived line stream kept alive for as long as a view needs it: started once,
// restarted with back-off when it dies, and restarted when it goes silent for too long
// (a hung driver call). The view gets the stream's state to say how fresh its data is.
import { useEffect, useRef, useState } from 'react';
import { Backoff } from './backoff';
import type { HostError } from './host-error';
import { streamLines } from './line-stream';

export type StreamState =
    | { kind: 'starting' }
    | { kind: 'running', lastLineAt: number | null }
    /** Alive but silent for longer than it should be. */
    | { kind: 'stalled', lastLineAt: number | null }
    /** Died (or was stopped for being silent); starts again after retryInMs. */
    | { kind: 'waiting', error: HostError | null, stalled: boolean, retryAt: number, attempts: number };

export interface RestartingStreamOptions {
    admin?: boolean;
    onLine: (line: string) => void;
    /** No line for this long: the stream is stalled. Infinity: silence is normal (a query that prints only when there is something). */
    stallAfterMs: number;
    /** No line for this long: stop it and start a new one. Infinity: never for silence. */
    restartAfterMs: number;
    backoff?: Backoff;
}

const clock = () => Date.now();

/** argv null: no stream (the host cannot run it). */
export function useRestartingStream(argv: string[] | null, options: RestartingStreamOptions): StreamState {
    const [state, setState] = useState<StreamState>({ kind: 'starting' });
    const onLine = useRef(options.onLine);
    onLine.current = options.onLine;
    const key = argv ? JSON.stringify(argv) : null;
    const { admin = false, stallAfterMs, restartAfterMs } = options;
    const backoffRef = useRef(options.backoff ?? new Backoff());

    useEffect(() => {
        if (key === null)
            return;
        const command = JSON.parse(key) as string[];
        const backoff = backoffRef.current;
        let disposed = false;
        let stream: ReturnType<typeof streamLines> | null = null;
        let retryTimer: ReturnType<typeof setTimeout> | null = null;
        let startedAt = 0;
        let lastLineAt: number | null = null;
        let stoppedForSilence = false;

        const watched = Number.isFinite(stallAfterMs) || Number.isFinite(restartAfterMs);
        const start = () => {
            if (disposed)
                return;
            startedAt = clock();
            lastLineAt = null;
            stoppedForSilence = false;
            // a stream that may stay silent counts as running from its start
            setState(watched ? { kind: 'starting' } : { kind: 'running', lastLineAt: null });
            const current = streamLines(command, {
                admin,
                onLine: line => {
                    if (disposed || stream !== current)
                        return;
                    const first = lastLineAt === null;
                    lastLineAt = clock();
                    if (first)
                        setState({ kind: 'running', lastLineAt });
                    onLine.current(line);
                },
                onEnd: error => {
                    if (disposed || stream !== current)
                        return;
                    stream = null;
                    const delay = backoff.next(clock() - startedAt);
                    setState({ kind: 'waiting', error, stalled: stoppedForSilence, retryAt: clock() + delay, attempts: backoff.attempts });
                    retryTimer = setTimeout(start, delay);
                },
            });
            stream = current;
        };

        const watchdog = watched ? setInterval(() => {
            if (!stream)
                return;
            const silentFor = clock() - (lastLineAt ?? startedAt);
            if (silentFor >= restartAfterMs) {
                // onEnd(null) follows once the process is gone, and schedules the restart
                stoppedForSilence = true;
                stream.stop();
            } else if (silentFor >= stallAfterMs) {
                setState(previous => previous.kind === 'stalled' ? previous : { kind: 'stalled', lastLineAt });
            } else if (lastLineAt !== null) {
                setState(previous => previous.kind === 'running' ? previous : { kind: 'running', lastLineAt });
            }
        }, Math.max(250, Math.min(stallAfterMs, restartAfterMs) / 4)) : null;

        start();
        return () => {
            disposed = true;
            if (watchdog)
                clearInterval(watchdog);
            if (retryTimer)
                clearTimeout(retryTimer);
            stream?.stop();
        };
    }, [key, admin, stallAfterMs, restartAfterMs]);

    return state;
}
