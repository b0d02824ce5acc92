// A host command whose combined stdout and stderr the page shows while it runs
// (transaction progress), with a way to stop it. rpm-ostree and bootc print progress
// on stdout and errors on stderr; an admin reads them as one log, in order.
import cockpit from 'cockpit';
import { HostError, toHostError } from './host-error';
import { native } from './native-promise';

export interface OutputRun {
    /** Resolves to everything the command printed; rejects with a HostError whose detail is the output's tail. */
    readonly done: Promise<string>;
    /** Stop the command (SIGTERM through the bridge). */
    stop(): void;
}

const DETAIL_LINES = 40;

function tail(text: string): string {
    const lines = text.trimEnd().split('\n');
    return lines.slice(-DETAIL_LINES).join('\n');
}

export function runWithOutput(argv: string[], options: { admin?: boolean, onOutput: (chunk: string) => void }): OutputRun {
    if (argv.length === 0 || argv[0] === '')
        throw new HostError('internal', '', 'runWithOutput() needs a program name');
    const subject = argv.join(' ');
    let output = '';
    const process = cockpit.spawn(argv, { err: 'out', ...(options.admin ? { superuser: 'require' } : {}) });
    process.stream(chunk => {
        output += chunk;
        options.onOutput(chunk);
    });
    const done = native(process).then(
        () => output,
        raw => {
            const error = toHostError(subject, raw);
            if (error.kind !== 'exit')
                throw error;
            // with err: "out" the bridge's message is empty: the tool's words are in the output
            const detail = tail(output) || error.message;
            const lastLine = detail.split('\n').filter(line => line.trim() !== '').pop() ?? '';
            throw new HostError('exit', subject, lastLine, { exitStatus: error.exitStatus, detail });
        });
    return {
        done,
        stop() {
            process.close('terminated');
        },
    };
}
