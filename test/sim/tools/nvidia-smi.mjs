// The simulated nvidia-smi: recorded answers first, then `--query-gpu=…` and
// `--query-compute-apps=…` (once or looped with -l/-lms) computed from the scenario's
// recorded `-q -x`, with faults a test can switch while a stream runs.
//
// Order of answers (see test/sim/README.md, "Handlers"):
//  1. an exact argv entry of commands/nvidia-smi/index.json wins (with `query: "hang"` in
//     the faults file, the `-q -x` one hangs instead);
//  2. an index.json `"*"` entry (a broken nvidia-smi, e.g. the driver mismatch) answers
//     everything else, queries and streams included;
//  3. --query-gpu / --query-compute-apps are computed here;
//  4. anything else falls back to tool.mjs ("no recording", exit 64).
//
// Faults: <state>/scenario/gpu-faults.json, read at every tick (absent = all ok):
//   { "stream": "ok" | "stall" | "die" | "garbage" | "lose-gpu", "gpu": <index>, "query": "ok" | "hang" }
// "stream" acts on looping queries (-l / -lms) only, "query" on one-shot ones and `-q -x`.

import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR, readJson } from '../lib.mjs';
import { readNvidiaSmiXml } from '../gpu-xml.mjs';
import { appLine, canonicalAppField, canonicalGpuField, gpuLine, headerLine } from '../gpu-fields.mjs';
import { sampleGpu } from '../gpu-curve.mjs';

// tool.mjs's TERMINATED_EXIT; importing tool.mjs would run it
const TERMINATED_EXIT = 143;

// nvidia-smi exits with the NVML status of the failure (the recorded version mismatch
// exits 18 = NVML_ERROR_LIB_RM_VERSION_MISMATCH, see README). NVML_ERROR_GPU_IS_LOST is 15
// (NVML return codes; pynvml raises NVMLError_GpuIsLost(15)) and NVIDIA's nvidia-smi manual,
// RETURN VALUE, lists "15" for a GPU that fell off the bus or became inaccessible. No
// recording shows nvidia-smi's exit status next to the "GPU is lost" message: 15 is that
// documented code, not an observed one.
const GPU_IS_LOST_EXIT = 15;
const GPU_IS_LOST_MESSAGE = 'nvidia-smi-errors/gpu-is-lost-marian251.txt';
// the bus id as printed in that recording; replaced by the lost GPU's own
const GPU_IS_LOST_RECORDED_BUS = '0000:03:00.0';

// Recorded: CoHDI/composable-resource-operator#37 shows nvidia-smi
// `--query-gpu=device_minor,… --format=csv,noheader,nounits` ending with "exit code 2",
// stderr '' and stdout 'Field "device_minor" is not a valid field to query.\n\n'.
const INVALID_FIELD_EXIT = 2;
const invalidField = (name) => `Field "${name}" is not a valid field to query.\n\n`;

// NOT a recording of these cases. The text is nvidia-smi's own, recorded for another
// misuse (influxdata/telegraf#6573: `nvidia-smi.exe --format="csv"` without a --query-*;
// also `nvidia-smi topo -m` on an old driver in an open-mpi users' mail); no recording
// shows what a --query-* with a missing or bad --format prints. Exit 2 is what the
// nvidia-smi manual's RETURN VALUE gives for "A supplied argument or flag is invalid";
// no recording shows the exit status of this message either. Printed on stdout like
// nvidia-smi's other errors (the version mismatch, the invalid field).
const INVALID_ARGS_EXIT = 2;
const INVALID_ARGS_MESSAGE = 'Invalid combination of input arguments. Please run \'nvidia-smi -h\' for help.\n';

const STREAM_FAULTS = ['ok', 'stall', 'die', 'garbage', 'lose-gpu'];
const QUERY_FAULTS = ['ok', 'hang'];
const FORMAT_OPTIONS = ['csv', 'noheader', 'nounits'];

function sameArgv(a, argv) {
    return Array.isArray(a) && a.length === argv.length && a.every((x, i) => x === argv[i]);
}

function readIndex(ctx) {
    const file = path.join(ctx.commandsDir, 'index.json');
    return fs.existsSync(file) ? readJson(file) : [];
}

/**
 * A reader of gpu-faults.json. A file caught half-written (a test rewriting it while a
 * stream runs) keeps the faults last read; an unknown fault is a simulator error.
 */
function faultReader(ctx) {
    const file = path.join(ctx.scenarioDir, 'gpu-faults.json');
    let last = {};
    return () => {
        let text;
        try {
            text = fs.readFileSync(file, 'utf8');
        } catch (e) {
            if (e.code === 'ENOENT') return (last = {});
            throw e;
        }
        let f;
        try {
            f = JSON.parse(text);
        } catch {
            return last;
        }
        if (typeof f !== 'object' || f === null || Array.isArray(f))
            throw new Error(`${file}: must be a JSON object`);
        if (f.stream !== undefined && !STREAM_FAULTS.includes(f.stream))
            throw new Error(`${file}: unknown stream fault ${JSON.stringify(f.stream)} (one of ${STREAM_FAULTS.join(', ')})`);
        if (f.query !== undefined && !QUERY_FAULTS.includes(f.query))
            throw new Error(`${file}: unknown query fault ${JSON.stringify(f.query)} (one of ${QUERY_FAULTS.join(', ')})`);
        if (f.gpu !== undefined && !Number.isInteger(f.gpu))
            throw new Error(`${file}: "gpu" must be a GPU index`);
        return (last = f);
    };
}

/** Resolves when the invocation is stopped; keeps the process alive until then. */
function untilAborted(signal) {
    return new Promise(resolve => {
        if (signal.aborted) return resolve();
        const keepAlive = setInterval(() => {}, 60 * 60 * 1000);
        signal.addEventListener('abort', () => { clearInterval(keepAlive); resolve() }, { once: true });
    });
}

function positiveInt(text) {
    return /^[1-9]\d*$/.test(text ?? '') ? Number(text) : null;
}

/**
 * The request in a --query-* argv: { kind, names, format, loopMs }, { answer } for an argv
 * nvidia-smi rejects, or null for one this simulator does not know (no --query-*, another
 * option such as -i: tool.mjs then says "no recording").
 */
function parseQueryArgv(argv) {
    const req = { kind: null, names: null, format: null, loopMs: null, queries: 0 };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        let m;
        if ((m = /^--query-(gpu|compute-apps)=(.*)$/.exec(a))) {
            req.queries++;
            req.kind = m[1];
            req.names = m[2].split(',');
        } else if ((m = /^--format=(.*)$/.exec(a))) {
            req.format = m[1];
        } else if (a === '-lms' || a === '-l') {
            const n = positiveInt(argv[++i]);
            if (n === null) return null;
            req.loopMs = a === '-l' ? n * 1000 : n;
        } else if ((m = /^--loop-ms=(.*)$/.exec(a)) || (m = /^--loop=(.*)$/.exec(a))) {
            const n = positiveInt(m[1]);
            if (n === null) return null;
            req.loopMs = a.startsWith('--loop-ms=') ? n : n * 1000;
        } else {
            return null;
        }
    }
    if (req.queries === 0) return null;
    const invalidArgs = { answer: { stdout: INVALID_ARGS_MESSAGE, exit: INVALID_ARGS_EXIT } };
    if (req.queries > 1 || req.format === null) return invalidArgs;
    const opts = req.format.split(',');
    if (!opts.includes('csv') || opts.some(o => !FORMAT_OPTIONS.includes(o))) return invalidArgs;
    req.header = !opts.includes('noheader');
    req.units = !opts.includes('nounits');

    const canonical = req.kind === 'gpu' ? canonicalGpuField : canonicalAppField;
    req.fields = [];
    for (const name of req.names) {
        const c = canonical(name);
        if (c === null) return { answer: { stdout: invalidField(name), exit: INVALID_FIELD_EXIT } };
        req.fields.push(c);
    }
    return req;
}

/**
 * The compute processes: those of the -q -x recording (type C or C+G: --query-compute-apps
 * lists compute contexts, not graphics-only ones) when it has any, else the scenario's
 * commands/nvidia-smi/compute-apps.json. `added` tells whether they come on top of the
 * recorded memory use (compute-apps.json) or are already in it (the XML).
 */
function computeApps(ctx, log) {
    const recorded = [];
    for (const g of log.gpus)
        for (const p of g.processes)
            if (p.type === null || p.type.includes('C')) recorded.push({ gpu: g.index, ...p });
    if (recorded.length > 0) return { apps: recorded, added: false };

    const file = path.join(ctx.commandsDir, 'compute-apps.json');
    if (!fs.existsSync(file)) return { apps: [], added: true };
    const list = readJson(file);
    if (!Array.isArray(list)) throw new Error(`${file}: must be a JSON array`);
    const apps = list.map((a, i) => {
        const where = `${file}[${i}]`;
        if (!log.gpus.some(g => g.index === a?.gpu)) throw new Error(`${where}: "gpu" must be the index of a <gpu> of the -q -x recording`);
        if (!Number.isInteger(a.pid) || a.pid <= 0) throw new Error(`${where}: "pid" must be a positive integer`);
        if (typeof a.processName !== 'string') throw new Error(`${where}: "processName" must be a string`);
        if (a.usedMiB !== null && !(Number.isInteger(a.usedMiB) && a.usedMiB >= 0)) throw new Error(`${where}: "usedMiB" must be a whole number of MiB or null`);
        return { gpu: a.gpu, pid: a.pid, processName: a.processName, usedMiB: a.usedMiB };
    });
    apps.sort((a, b) => a.gpu - b.gpu);
    return { apps, added: true };
}

/** "00000000:2D:00.0" → "0000:2D:00.0", the form of the recorded message. */
function shortBusId(busId) {
    return String(busId).replace(/^0000([0-9A-Fa-f]{4}:)/, '$1');
}

function gpuLostMessage(gpu) {
    const text = fs.readFileSync(path.join(FIXTURES_DIR, GPU_IS_LOST_MESSAGE), 'utf8');
    return gpu ? text.replace(GPU_IS_LOST_RECORDED_BUS, shortBusId(gpu.busId)) : text;
}

/** One line of malformed CSV in place of `line`: half its cells and an unclosed bracket. */
function garbled(line) {
    const cells = line.split(', ');
    return [...cells.slice(0, Math.ceil(cells.length / 2)), '['].join(', ');
}

/** The data lines of one sample (no header), with the stream faults `f` applied. */
function dataLines(req, ctx, log, f) {
    const now = new Date();
    const t = now.getTime() / 1000;
    const env = { log, now, count: log.gpus.length };
    const lost = f.stream === 'lose-gpu' ? (f.gpu ?? 0) : null;
    const { apps, added } = computeApps(ctx, log);
    const gpus = log.gpus.filter(g => g.index !== lost);

    const rows = [];
    if (req.kind === 'gpu') {
        for (const g of gpus) {
            const appsMiB = added ? apps.filter(a => a.gpu === g.index).reduce((sum, a) => sum + (a.usedMiB ?? 0), 0) : 0;
            rows.push({ gpu: g.index, line: gpuLine(req.fields, g, sampleGpu(g, t, appsMiB), env, req.units) });
        }
    } else {
        for (const a of apps) {
            const g = gpus.find(x => x.index === a.gpu);
            if (g) rows.push({ gpu: g.index, line: appLine(req.fields, a, g, env, req.units) });
        }
    }
    if (f.stream === 'garbage' && rows.length > 0) {
        const victim = rows.find(r => r.gpu === (f.gpu ?? rows[0].gpu)) ?? rows[0];
        victim.line = garbled(victim.line);
    }
    return rows.map(r => r.line);
}

function block(lines) {
    return lines.map(l => `${l}\n`).join('');
}

export async function handle(argv, ctx) {
    const entries = readIndex(ctx);
    const faults = faultReader(ctx);
    const isQueryXml = sameArgv(['-q', '-x'], argv);

    if (entries.some(e => sameArgv(e.argv, argv))) {
        if (isQueryXml && faults().query === 'hang') {
            await untilAborted(ctx.signal);
            return { exit: TERMINATED_EXIT };
        }
        return null;
    }
    if (entries.some(e => e.argv === '*')) return null;

    const req = parseQueryArgv(argv);
    if (req === null) return null;
    if (req.answer) return req.answer;

    const xml = ctx.lookup(['-q', '-x']);
    if (!xml || xml.exit !== 0)
        throw new Error('the scenario has no successful `-q -x` recording to answer --query-* from');
    const log = readNvidiaSmiXml(xml.stdout.toString());
    const header = req.header ? `${headerLine(req.fields)}\n` : '';

    if (req.loopMs === null) {
        if (faults().query === 'hang') {
            await untilAborted(ctx.signal);
            return { exit: TERMINATED_EXIT };
        }
        // with a header and no rows, nvidia-smi prints the header alone (the idle
        // query-compute-apps section of the nvidia_gpu_exporter H100 MIG capture); with
        // noheader it prints nothing (wookayin/gpustat#18)
        return { stdout: header + block(dataLines(req, ctx, log, {})), exit: 0 };
    }

    // The header once, before the first sample (assumed: no recording of a looping query
    // with a header exists); then one block per interval, the first at once.
    let headerDue = req.header;
    while (!ctx.signal.aborted) {
        const f = faults();
        if (f.stream === 'die') {
            const gpu = log.gpus.find(g => g.index === (f.gpu ?? 0)) ?? log.gpus[0];
            return { stdout: gpuLostMessage(gpu), exit: GPU_IS_LOST_EXIT };
        }
        if (f.stream !== 'stall') {
            ctx.write((headerDue ? header : '') + block(dataLines(req, ctx, log, f)));
            headerDue = false;
        }
        await ctx.sleep(req.loopMs);
    }
    return { exit: TERMINATED_EXIT };
}
