// A transparent tap between cockpit-ws and cockpit-bridge: copies both directions byte
// for byte and logs every control message (except ping/pong) as one JSON line. The
// benchmark uses it to see each "open" the bridge is asked for, with its channel id and
// spawn argv. cockpit-sim.mjs puts it in front of the bridge when asked for a protocolLog.
//
//   node bridge-tap.mjs <log.jsonl> <bridge argv...>
//   (with AIWS_BRIDGE_STRACE=<file> in the environment the bridge runs under strace -f)
//
// Cockpit's transport framing: "<length>\n<channel>\n<payload>", length counting
// channel + "\n" + payload; control messages have an empty channel and a JSON payload.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const [logPath, ...bridge] = process.argv.slice(2);
if (!logPath || bridge.length === 0) {
    console.error('usage: bridge-tap.mjs <log> <bridge argv...>');
    process.exit(2);
}

const log = fs.openSync(logPath, 'a');
const t0 = Date.now();
function record(dir, message) {
    if (message.command === 'ping' || message.command === 'pong')
        return;
    fs.writeSync(log, JSON.stringify({ t: Date.now(), ms: Date.now() - t0, dir, pid: process.pid, message }) + '\n');
}

/** A parser for one direction of the stream: feed it chunks, it calls back per control message. */
function framer(dir) {
    let buffer = Buffer.alloc(0);
    return chunk => {
        buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
        for (;;) {
            const nl = buffer.indexOf(0x0a);
            if (nl < 0)
                return;
            const length = Number(buffer.subarray(0, nl).toString('latin1'));
            if (!Number.isInteger(length) || length < 0) {
                record(dir, { command: 'tap-error', problem: 'bad frame length', head: buffer.subarray(0, 40).toString('latin1') });
                buffer = Buffer.alloc(0);
                return;
            }
            if (buffer.length < nl + 1 + length)
                return;
            const frame = buffer.subarray(nl + 1, nl + 1 + length);
            buffer = buffer.subarray(nl + 1 + length);
            if (frame[0] === 0x0a) { // empty channel: a control message
                try {
                    record(dir, JSON.parse(frame.subarray(1).toString('utf8')));
                } catch {
                    record(dir, { command: 'tap-error', problem: 'control message is not JSON' });
                }
            }
        }
    };
}

// AIWS_BRIDGE_STRACE=<file>: run the bridge under strace -f to see every process in the
// trees it starts (forks of the scripts it runs included), not only the ones it spawns.
const straceOut = process.env.AIWS_BRIDGE_STRACE;
const argv = straceOut
    ? ['strace', '-f', '-qq', '-s', '200', '-e', 'trace=execve,clone,clone3,fork,vfork', '-e', 'signal=none', '-o', straceOut, ...bridge]
    : bridge;
record('tap', { command: 'tap-start', argv });
const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
const fromWs = framer('to-bridge');
const fromBridge = framer('from-bridge');

process.stdin.on('data', chunk => {
    fromWs(chunk);
    if (!child.stdin.write(chunk))
        process.stdin.pause();
});
child.stdin.on('drain', () => process.stdin.resume());
process.stdin.on('end', () => child.stdin.end());
child.stdin.on('error', () => undefined);

child.stdout.on('data', chunk => {
    fromBridge(chunk);
    if (!process.stdout.write(chunk))
        child.stdout.pause();
});
process.stdout.on('drain', () => child.stdout.resume());
process.stdout.on('error', () => child.kill('SIGTERM'));

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'])
    process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
    fs.closeSync(log);
    process.exit(code ?? (signal ? 128 + 15 : 1));
});
