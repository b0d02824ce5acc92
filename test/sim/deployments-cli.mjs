// Pieces the simulated rpm-ostree, bootc, ostree and systemctl handlers share: a pull's
// temporary files, sizes printed like the recordings, and a transaction's steps that stop
// when it is cancelled or the process is.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { timeScale } from './deployments-state.mjs';

/**
 * The objects a pull writes under <root>/ostree/repo/tmp/ (ostree stages them in
 * repo/tmp/staging-<boot-id>-<random>/ before committing), so the page's inotify watch on
 * /ostree/repo/tmp sees a transaction from elsewhere as soon as it starts. Removed at the end.
 */
export class PullArea {
    constructor(rootDir) {
        this.dir = path.join(rootDir, 'ostree/repo/tmp', `staging-${crypto.randomBytes(16).toString('hex')}-${crypto.randomBytes(3).toString('hex')}`);
        this.n = 0;
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    }

    /** One more fetched object (a small file named like ostree's objects/xx/<rest>.filez). */
    object() {
        const hash = crypto.createHash('sha256').update(`${this.dir}/${this.n++}`).digest('hex');
        const dir = path.join(this.dir, 'objects', hash.slice(0, 2));
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
        fs.writeFileSync(path.join(dir, `${hash.slice(2)}.filez`), hash);
    }

    remove() {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/**
 * A size as rpm-ostree's pull progress prints it: one decimal, KB/MB/GB, the C locale's
 * decimal point (the recording upgrade-install-error-pull-timeout-silverblue40-rpmostree5075.txt
 * was made under de_DE and shows "233,3 KB/s 73,3 MB"; the simulated bridge runs with C.UTF-8).
 */
export function pullSize(bytes) {
    if (bytes < 1000) return `${Math.round(bytes)} bytes`;
    const units = [['GB', 1e9], ['MB', 1e6], ['KB', 1e3]];
    const [unit, div] = units.find(([, d]) => bytes >= d);
    return `${(bytes / div).toFixed(1)} ${unit}`;
}

/** GLib's g_format_size(): "817.9 MB" (SI, one decimal), as in bootc's recorded pull lines. */
export function glibSize(bytes) {
    if (bytes < 1000) return `${Math.round(bytes)} bytes`;
    const units = [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]];
    const [unit, div] = units.find(([, d]) => bytes >= d);
    return `${(bytes / div).toFixed(1)} ${unit}`;
}

/** "780.03 MiB" (binary units, two decimals): bootc's "Fetched layers:" line. */
export function mibSize(bytes) {
    return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

export class Cancelled extends Error {}

/**
 * ctx.sleep() as tool.mjs gives it (scaled by AIWS_SIM_TIME_SCALE, cut short when the process
 * is stopped), but without leaving an abort listener behind per call: a transaction sleeps
 * more than the ten times after which Node warns about a listener leak on stderr.
 */
export function sleep(ctx, ms) {
    return new Promise(resolve => {
        if (ctx.signal.aborted) return resolve();
        const done = () => {
            clearTimeout(timer);
            ctx.signal.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms * timeScale()));
        ctx.signal.addEventListener('abort', done, { once: true });
    });
}

/**
 * Sleep one step of a transaction (ctx.sleep: scaled), then throw Cancelled when the process
 * was stopped or the transaction was cancelled (`rpm-ostree cancel`, or a reboot dropped it).
 */
export async function step(ctx, host, txn, ms) {
    await sleep(ctx, ms);
    if (ctx.signal.aborted || (txn && host.cancelled(txn))) throw new Cancelled();
}

export function result(stdout, stderr, exit) {
    return { stdout: stdout ?? '', stderr: stderr ?? '', exit: exit ?? 0 };
}

/** First error line and the rest of a recorded failure (`error: …` up to the end). */
export function errorLines(text) {
    const lines = text.split('\n');
    const i = lines.findIndex(l => /^(error:|ERROR )/.test(l));
    return i < 0 ? text : lines.slice(i).join('\n');
}
