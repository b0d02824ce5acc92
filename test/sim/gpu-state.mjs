// The GPU driver state of the simulated host, swapped at a reboot: "the GPU-side commands and
// root files of a scenario". A state is named like a scenario ("healthy",
// "kernel-module-mismatch", ...) or is "@scenario", the prepared scenario's own files. See
// test/sim/README.md, "Per-deployment driver state".
//
// A state is a folder <state>/scenario/gpu-states/<name>/ holding commands/<tool>/ for the GPU
// tools and root/<path> for the GPU files below (absent there: the host lacks it in that state).
// "@scenario" is copied from the live host at the first reboot (before anything changed it); a
// named one is materialised from the scenarios folder (its `extends` chain merged, as prepare
// does) the first time it is needed. The live host is <state>/scenario/commands/<tool>/ and
// <state>/root/<path>; applying a state replaces exactly those, and the wrappers in <state>/bin.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { SCENARIOS_DIR, TOOL_SCRIPT, findAnswer, materialiseScenario, readAnswer, readJson, scenarioChain } from './lib.mjs';

export const GPU_TOOLS = Object.freeze(['nvidia-smi', 'modinfo', 'mokutil', 'lspci']);
export const GPU_PATHS = Object.freeze([
    'sys/module/nvidia', 'proc/driver/nvidia', 'proc/sys/kernel/tainted', 'sys/module/nouveau',
    'proc/sys/kernel/osrelease', 'proc/cmdline',
]);
export const OWN = '@scenario';
const STATES_DIR = 'gpu-states';
const CURRENT_FILE = 'gpu-state.current';

function rand() {
    return crypto.randomBytes(4).toString('hex');
}

function shQuote(s) {
    return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

function chmodTree(p) {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return;
    if (st.isDirectory()) {
        fs.chmodSync(p, 0o755);
        for (const name of fs.readdirSync(p)) chmodTree(path.join(p, name));
    } else {
        fs.chmodSync(p, 0o644);
    }
}

function copyInto(src, dest) {
    fs.rmSync(dest, { recursive: true, force: true });
    if (!fs.existsSync(src)) return;
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
    fs.cpSync(src, dest, { recursive: true });
    chmodTree(dest);
}

function statesDir(ctx) {
    return path.join(ctx.scenarioDir, STATES_DIR);
}

/** The name of the GPU state the live host is in (OWN until a reboot applied another). */
export function currentState(ctx) {
    try {
        return fs.readFileSync(path.join(ctx.scenarioDir, CURRENT_FILE), 'utf8').trim() || OWN;
    } catch {
        return OWN;
    }
}

/** Copy the live GPU side into <dir> (commands/<tool>, root/<path>). */
function snapshotLive(ctx, dir) {
    for (const tool of GPU_TOOLS) copyInto(path.join(ctx.scenarioDir, 'commands', tool), path.join(dir, 'commands', tool));
    for (const rel of GPU_PATHS) copyInto(path.join(ctx.rootDir, rel), path.join(dir, 'root', rel));
}

/** Build <dir> from scenario `name` of the scenarios folder (AIWS_SIM_SCENARIOS, else test/sim/scenarios). */
function materialiseNamed(name, dir) {
    const scenariosDir = process.env.AIWS_SIM_SCENARIOS ?? SCENARIOS_DIR;
    if (!/^[A-Za-z0-9._-]+$/.test(name) || !fs.existsSync(path.join(scenariosDir, name, 'scenario.json')))
        throw new Error(`GPU state "${name}" names no scenario of ${scenariosDir}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-gpu-state-'));
    try {
        const merged = materialiseScenario(scenarioChain(name, scenariosDir), tmp);
        // the "files" entries (fixtures copied into the root at prepare time) join the root
        for (const [rel, file] of Object.entries(merged.files ?? {})) {
            const dest = path.join(tmp, 'root', rel);
            fs.mkdirSync(path.dirname(dest), { recursive: true });
            fs.copyFileSync(file, dest);
        }
        const out = {
            toolDir: (tool) => path.join(tmp, 'commands', tool),
            rootPath: (rel) => path.join(tmp, 'root', rel),
        };
        for (const tool of GPU_TOOLS) copyInto(out.toolDir(tool), path.join(dir, 'commands', tool));
        for (const rel of GPU_PATHS) copyInto(out.rootPath(rel), path.join(dir, 'root', rel));
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** The folder of state `name`, made on first use (OWN: from the live host, so call this before changing it). */
export function stateFolder(ctx, name) {
    const dir = path.join(statesDir(ctx), name);
    if (fs.existsSync(dir)) return dir;
    const tmp = path.join(statesDir(ctx), `.${name}.${process.pid}.${rand()}`);
    fs.mkdirSync(tmp, { recursive: true, mode: 0o755 });
    try {
        if (name === OWN) snapshotLive(ctx, tmp);
        else materialiseNamed(name, tmp);
        chmodTree(tmp);
        try {
            fs.renameSync(tmp, dir);
        } catch (e) {
            if (!['ENOTEMPTY', 'EEXIST'].includes(e.code)) throw e; // made meanwhile by another process
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    return dir;
}

/** The wrapper prepare.mjs writes for a simulated tool (same text, so a state can add one back). */
function wrapper(ctx, tool) {
    return '#!/bin/sh\n' +
        `# simulated ${tool}, made by test/sim/gpu-state.mjs\n` +
        `AIWS_SIM_STATE=${shQuote(ctx.stateDir)} exec ${shQuote(process.execPath)} ${shQuote(TOOL_SCRIPT)} ${shQuote(tool)} "$@"\n`;
}

/**
 * Make the live host the GPU state `name`: commands/<tool> and root/<path> from its folder
 * (absent there: removed here, and the tool's wrapper with it). `keep`: tools left as they are.
 */
export function applyState(ctx, name, { keep = [], record = true } = {}) {
    // the scenario's own files are kept before anything replaces them
    stateFolder(ctx, OWN);
    const dir = stateFolder(ctx, name);
    const bin = path.join(ctx.stateDir, 'bin');
    for (const tool of GPU_TOOLS) {
        if (keep.includes(tool)) continue;
        const src = path.join(dir, 'commands', tool);
        copyInto(src, path.join(ctx.scenarioDir, 'commands', tool));
        const w = path.join(bin, tool);
        if (!fs.existsSync(bin)) continue;
        if (fs.existsSync(src)) {
            if (!fs.existsSync(w)) fs.writeFileSync(w, wrapper(ctx, tool), { mode: 0o755 });
        } else if (fs.lstatSync(w, { throwIfNoEntry: false })?.isFile()) {
            fs.rmSync(w, { force: true });
        }
    }
    for (const rel of GPU_PATHS) copyInto(path.join(dir, 'root', rel), path.join(ctx.rootDir, rel));
    if (record) fs.writeFileSync(path.join(ctx.scenarioDir, CURRENT_FILE), `${name}\n`, { mode: 0o644 });
}

/** The live `<tool> argv` answer of index.json (exact argv, else "*"), or null. */
export function liveAnswer(ctx, tool, argv) {
    const dir = path.join(ctx.scenarioDir, 'commands', tool);
    const index = path.join(dir, 'index.json');
    if (!fs.existsSync(index)) return null;
    const entry = findAnswer(readJson(index), argv);
    if (!entry) return null;
    const a = readAnswer(entry, dir);
    return { stdout: a.stdout.toString(), stderr: a.stderr.toString(), exit: a.exit };
}
