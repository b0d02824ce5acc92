// A long-running host command read line by line (DESIGN decision 6: one process per
// source, not a spawn per refresh), with a clean stop.
import cockpit from 'cockpit';
import { HostError, toHostError } from './host-error';
import { LineSplitter } from './line-splitter';
import { native } from './native-promise';

export interface LineStreamOptions {
    admin?: boolean;
    onLine: (line: string) => void;
    /** Called once: null when the command ended by itself with status 0 or was stopped. */
    onEnd?: (error: HostError | null) => void;
}

export interface LineStream {
    /** Stop the command; onEnd is called with null. Safe to call twice. */
    stop(): void;
    /** Resolves when the command has ended, whatever the reason. */
    readonly done: Promise<void>;
}

export function streamLines(argv: string[], options: LineStreamOptions): LineStream {
    const splitter = new LineSplitter();
    let stopped = false;
    let ended = false;
    const end = (error: HostError | null) => {
        if (ended)
            return;
        ended = true;
        options.onEnd?.(error);
    };

    const process = cockpit.spawn(argv, { err: 'message', ...(options.admin ? { superuser: 'require' } : {}) });
    process.stream(chunk => {
        if (!stopped)
            splitter.push(chunk).forEach(options.onLine);
    });

    const done = native(process).then(
        () => {
            if (!stopped)
                splitter.flush().forEach(options.onLine);
            end(null);
        },
        raw => {
            if (!stopped)
                splitter.flush().forEach(options.onLine);
            end(stopped ? null : toHostError(argv.join(' '), raw));
        });

    return {
        stop() {
            if (stopped || ended)
                return;
            stopped = true;
            process.close('terminated');
        },
        done,
    };
}
