// Running host programs: argv arrays only, never a shell with user text in it
// (DESIGN decision 3). Reads run unprivileged, changes with admin: true.
import cockpit from 'cockpit';
import type { Spawn } from 'cockpit';
import { HostError, toHostError } from './host-error';

export interface RunOptions {
    /** Run with administrative access (superuser: "require"). */
    admin?: boolean;
    /** Text fed to the program's standard input, then closed. */
    input?: string;
    /** Extra environment, as NAME=value. */
    environ?: string[];
    /** Stop the program after this long and fail with a 'timeout' HostError (a hung driver call). */
    timeoutMs?: number;
}

function spawnOptions(options: RunOptions) {
    return {
        err: 'message' as const,
        ...(options.admin ? { superuser: 'require' as const } : {}),
        ...(options.environ ? { environ: options.environ } : {}),
    };
}

/** Run argv and resolve to its stdout; reject with a HostError. */
export async function run(argv: string[], options: RunOptions = {}): Promise<string> {
    if (argv.length === 0 || argv[0] === '')
        throw new HostError('internal', '', 'run() needs a program name');
    return outcome(argv.join(' '), cockpit.spawn(argv, spawnOptions(options)), options);
}

/**
 * Run a POSIX sh script shipped with the package (DESIGN decision 7). Arguments are
 * passed as $1.. and never spliced into the script text.
 */
export async function runScript(name: string, script: string, args: string[] = [], options: RunOptions = {}): Promise<string> {
    return outcome(name, cockpit.script(script, args, spawnOptions(options)), options);
}

/** Feed the input, then wait for stdout or turn the failure into a HostError about `subject`. */
async function outcome(subject: string, process: Spawn, options: RunOptions): Promise<string> {
    if (options.input !== undefined)
        process.input(options.input);
    let timedOut = false;
    const timer = options.timeoutMs === undefined
        ? null
        : setTimeout(() => {
            timedOut = true;
            process.close('terminated');
        }, options.timeoutMs);
    try {
        return await process;
    } catch (raw) {
        if (timedOut)
            throw new HostError('timeout', subject, `no answer within ${Math.round((options.timeoutMs ?? 0) / 1000)} s`);
        throw toHostError(subject, raw);
    } finally {
        if (timer)
            clearTimeout(timer);
    }
}

export interface CombinedOutcome {
    exitStatus: number;
    /** stdout and stderr together, in the order the program wrote them. */
    output: string;
}

/**
 * Run argv and resolve with its exit status and combined output, whatever the status:
 * for tools that explain a failure on stdout (nvidia-smi) the words are the diagnosis.
 * Rejects only when the program could not run or did not finish (not-found, timeout, ...).
 */
export async function runForOutcome(argv: string[], options: Omit<RunOptions, 'input'> = {}): Promise<CombinedOutcome> {
    if (argv.length === 0 || argv[0] === '')
        throw new HostError('internal', '', 'runForOutcome() needs a program name');
    let output = '';
    const process = cockpit.spawn(argv, { ...spawnOptions(options), err: 'out' });
    process.stream(chunk => { output += chunk });
    try {
        await outcome(argv.join(' '), process, options);
        return { exitStatus: 0, output };
    } catch (error) {
        if (error instanceof HostError && error.kind === 'exit' && error.exitStatus !== null)
            return { exitStatus: error.exitStatus, output };
        throw error;
    }
}
