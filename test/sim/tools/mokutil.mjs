// The simulated mokutil. `--sb-state` and a recorded `--list-enrolled` answer from index.json as
// recorded; this handler adds what a session changes (test/sim/mok-state.mjs):
//   --list-enrolled   the recorded list, then the keys a simulated reboot enrolled ("[key N]"
//                     numbering goes on)
//   --list-new        the pending enrolment request (MokNew), in the same "[key N]" form;
//                     none: "MokNew is empty"
//   --import FILE…    asks "input password: " and "input password again: " on the terminal
//                     (reads two lines from stdin; a tty is put in raw mode, as mokutil turns
//                     echo off), then records the request; the next `systemctl reboot` enrols it
//                     (MokManager's step, simulated) - see tools/systemctl.mjs
// Every text is mokutil's own (lcp/mokutil src/mokutil.c of the efivar era, 0.4/0.5, the
// versions of the Fedora 33 host the scenarios model; not recorded unless said):
//   list_keys_in_var(): printf("%s is empty\n") when the variable does not exist (mokutil 0.6+
//     prints nothing there instead)
//   get_password(): "input password: ", a newline after the hidden line; a length outside
//     1..256: "password should be 1~256 characters" (stderr), asked again; the second line
//     differs: "password doesn't match" (stderr), asked again; three failures: "Abort" (stderr)
//   issue_mok_request(): stat() fails: "Failed to get file status, FILE"; not DER X.509:
//     "Abort!!! FILE is not a valid x509 certificate in DER format"; already enrolled / already
//     requested: "SKIP: FILE is already enrolled" / "SKIP: FILE is already in the enrollement
//     request" (that version's spelling), exit 0, nothing asked
//   update_request(): the EFI variable cannot be written (not root): "Failed to enroll new keys"
//   main(): returns -1 on any failure: exit status 255; no EFI variables: "EFI variables are not
//     supported on this system", exit(1) (recorded for --import in
//     test/fixtures/nvidia-driver/mokutil-efi-not-supported-darling1025.txt); no SecureBoot
//     variable: "This system doesn't support Secure Boot", -1
// The host's Secure Boot support is read from the scenario's recorded --sb-state answer.

import fs from 'node:fs';
import { liveAnswer } from '../gpu-state.mjs';
import { hostPath } from '../host-paths.mjs';
import { keyOf, listKeys, readMokState, writeMokState } from '../mok-state.mjs';
import { result } from '../deployments-cli.mjs';

const FAIL = 255;
const PASSWORD_MIN = 1;
const PASSWORD_MAX = 256;

function exactIndexAnswer(ctx, argv) {
    const index = `${ctx.commandsDir}/index.json`;
    if (!fs.existsSync(index)) return false;
    const entries = JSON.parse(fs.readFileSync(index, 'utf8'));
    return entries.some(e => Array.isArray(e.argv) && e.argv.length === argv.length && e.argv.every((a, i) => a === argv[i]));
}

/** What mokutil's main() says before any command on a host without EFI variables or Secure Boot. */
function efiProblem(ctx) {
    const sb = liveAnswer(ctx, 'mokutil', ['--sb-state']);
    const text = sb ? `${sb.stdout}${sb.stderr}` : '';
    if (/EFI variables are not supported on this system/.test(text)) return result('', 'EFI variables are not supported on this system\n', 1);
    if (/doesn't support Secure Boot/.test(text)) return result('', "This system doesn't support Secure Boot\n", FAIL);
    return null;
}

/** The fingerprints ("aa:bb:…") of the keys a recorded listing shows. */
function fingerprints(text) {
    return [...text.matchAll(/^SHA1 Fingerprint:\s*([0-9a-fA-F:]+)/gm)].map(m => m[1].toLowerCase());
}

function listEnrolled(ctx) {
    const rec = liveAnswer(ctx, 'mokutil', ['--list-enrolled']);
    const { enrolled } = readMokState(ctx.scenarioDir);
    if (enrolled.length === 0) return null; // the recording (or "no recording") as it is
    if (rec && rec.exit !== 0) return null;
    const recorded = rec?.stdout ?? '';
    const n = (recorded.match(/^\[key \d+\]$/gm) ?? []).length;
    const text = recorded ? `${recorded.endsWith('\n') ? recorded : `${recorded}\n`}\n${listKeys(enrolled, n + 1)}` : listKeys(enrolled);
    return result(text, rec?.stderr ?? '', 0);
}

function listNew(ctx) {
    const { pending } = readMokState(ctx.scenarioDir);
    return result(pending.length ? listKeys(pending) : 'MokNew is empty\n', '', 0);
}

/**
 * Lines from stdin, one at a time, as they come (the page answers each prompt after seeing it).
 * A tty goes to raw mode (no echo: mokutil's read_hidden_line() clears ECHO), so a line ends at
 * "\r" (Enter) or "\n" (written by a program); Ctrl-C stops the process as the signal would.
 */
function stdinLines() {
    const stdin = process.stdin;
    const tty = !!stdin.isTTY;
    if (tty) stdin.setRawMode(true);
    let buf = '';
    let ended = false;
    let skipLf = false;
    const waiters = [];
    const flush = () => {
        while (waiters.length) {
            if (skipLf && buf.startsWith('\n')) buf = buf.slice(1);
            if (buf.length) skipLf = false;
            const m = /\r|\n/.exec(buf);
            if (m) {
                const line = buf.slice(0, m.index);
                skipLf = m[0] === '\r';
                buf = buf.slice(m.index + 1);
                waiters.shift()(line);
            } else if (ended) {
                waiters.shift()(null);
            } else {
                break;
            }
        }
    };
    const onData = (chunk) => {
        const s = chunk.toString();
        if (tty && s.includes('\x03')) {
            stdin.setRawMode(false);
            process.kill(process.pid, 'SIGINT');
            return;
        }
        buf += s;
        flush();
    };
    const onEnd = () => { ended = true; flush() };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onEnd);
    return {
        next: () => new Promise(resolve => { waiters.push(resolve); flush() }),
        close: () => {
            stdin.off('data', onData);
            stdin.off('end', onEnd);
            if (tty) stdin.setRawMode(false);
            stdin.pause();
            stdin.destroy();
        },
    };
}

/** get_password(): the two prompts, each asked up to three times; the password, or null ("Abort"). */
async function getPassword(ctx, lines) {
    let first = null;
    for (let fail = 0; fail < 3; fail++) {
        ctx.write('input password: ');
        const line = await lines.next();
        ctx.write('\n');
        if (line !== null && line.length >= PASSWORD_MIN && line.length <= PASSWORD_MAX) { first = line; break }
        ctx.writeErr(`password should be ${PASSWORD_MIN}~${PASSWORD_MAX} characters\n`);
        if (line === null) return null;
    }
    if (first === null) return null;
    for (let fail = 0; fail < 3; fail++) {
        ctx.write('input password again: ');
        const line = await lines.next();
        ctx.write('\n');
        if (line === first) return first;
        ctx.writeErr("password doesn't match\n");
        if (line === null) return null;
    }
    return null;
}

async function importKeys(ctx, files) {
    const keys = [];
    for (const f of files) {
        const real = hostPath(ctx.rootDir, f);
        if (!fs.statSync(real, { throwIfNoEntry: false })?.isFile()) return result('', `Failed to get file status, ${f}\n`, FAIL);
        const key = keyOf(f, fs.readFileSync(real));
        if (!key) return result('', `Abort!!! ${f} is not a valid x509 certificate in DER format\n`, FAIL);
        keys.push(key);
    }
    const state = readMokState(ctx.scenarioDir);
    const recorded = liveAnswer(ctx, 'mokutil', ['--list-enrolled']);
    const enrolledPrints = new Set([...fingerprints(recorded?.stdout ?? ''), ...state.enrolled.map(k => k.sha1)]);
    const pendingPrints = new Set(state.pending.map(k => k.sha1));
    let out = '';
    const fresh = [];
    for (const k of keys) {
        if (enrolledPrints.has(k.sha1)) out += `SKIP: ${k.file} is already enrolled\n`;
        else if (pendingPrints.has(k.sha1) || fresh.some(x => x.sha1 === k.sha1)) out += `SKIP: ${k.file} is already in the enrollement request\n`;
        else fresh.push(k);
    }
    if (fresh.length === 0) return result(out, '', 0);
    ctx.write(out);
    const lines = stdinLines();
    let password;
    try {
        password = await getPassword(ctx, lines);
    } finally {
        lines.close();
    }
    if (password === null) return result('', 'Abort\n', FAIL);
    if (!ctx.admin) return result('', 'Failed to enroll new keys\n', FAIL);
    // the new keys go before the earlier request (issue_mok_request(): "append the keys to the
    // previous request" copies the old data after the new)
    writeMokState(ctx.scenarioDir, { pending: [...fresh, ...readMokState(ctx.scenarioDir).pending], enrolled: state.enrolled });
    return result('', '', 0);
}

export async function handle(argv, ctx) {
    if (argv.length === 1 && argv[0] === '--sb-state') return null;
    const recorded = exactIndexAnswer(ctx, argv);
    if (argv.length === 1 && argv[0] === '--list-enrolled') return recorded ? listEnrolled(ctx) : (efiProblem(ctx) ?? listEnrolled(ctx));
    if (recorded) return null;
    if (argv.length === 1 && argv[0] === '--list-new') return efiProblem(ctx) ?? listNew(ctx);
    if (argv[0] === '--import' && argv.length >= 2 && argv.slice(1).every(a => !a.startsWith('-')))
        return efiProblem(ctx) ?? importKeys(ctx, argv.slice(1));
    return null;
}
