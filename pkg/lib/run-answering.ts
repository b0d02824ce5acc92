// A program that asks on its terminal (mokutil --import asks for a password twice): run
// on a pty, answer each prompt when it appears, never before. A reply written early is
// lost: a program turning echo off may flush pending input (tcsetattr TCSAFLUSH).
import cockpit from 'cockpit';
import { HostError, toHostError } from './host-error';
import { native } from './native-promise';

export interface PromptAnswer {
    /** Matched against the output since the last answer. */
    prompt: RegExp;
    /** Written as typed, newline included by the caller. */
    reply: string;
}

export interface AnsweringOptions {
    admin?: boolean;
    /** Give up when the next prompt does not show within this long. */
    promptTimeoutMs?: number;
}

/** Resolves to the combined output (replies are not echoed by a program that reads passwords). */
export async function runAnswering(argv: string[], answers: readonly PromptAnswer[], options: AnsweringOptions = {}): Promise<string> {
    if (argv.length === 0 || argv[0] === '')
        throw new HostError('internal', '', 'runAnswering() needs a program name');
    const subject = argv.join(' ');
    const process = cockpit.spawn(argv, { pty: true, err: 'out', ...(options.admin ? { superuser: 'require' } : {}) });
    let output = '';
    let sinceAnswer = '';
    let next = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let timedOut = false;
    const arm = () => {
        if (timer)
            clearTimeout(timer);
        timer = next < answers.length && options.promptTimeoutMs !== undefined
            ? setTimeout(() => { timedOut = true; process.close('terminated') }, options.promptTimeoutMs)
            : null;
    };
    process.stream(chunk => {
        output += chunk;
        sinceAnswer += chunk;
        while (next < answers.length && answers[next].prompt.test(sinceAnswer)) {
            process.input(answers[next].reply, true);
            next++;
            sinceAnswer = '';
            arm();
        }
    });
    arm();
    try {
        await native(process);
        return output;
    } catch (raw) {
        if (timedOut)
            throw new HostError('timeout', subject, `it did not ask for input ${next + 1} of ${answers.length}`, { detail: output });
        const error = toHostError(subject, raw);
        // with a pty the program's words are in the output, not in the bridge's message
        const lastLine = output.trimEnd().split('\n').filter(line => line.trim() !== '').pop() ?? error.message;
        throw error.kind === 'exit' ? new HostError('exit', subject, lastLine.trim(), { exitStatus: error.exitStatus, detail: output }) : error;
    } finally {
        if (timer)
            clearTimeout(timer);
    }
}
