#!/usr/bin/env node
// Answers one invocation of a simulated host tool.
//
//   AIWS_SIM_STATE=<state> node test/sim/tool.mjs <tool> args...
//
// (the wrappers in <state>/bin do exactly this). The answer comes from
// test/sim/tools/<tool>.mjs when that handler exists and returns one, else from
// <state>/scenario/commands/<tool>/index.json. Every invocation is logged to
// <state>/log.jsonl when it ends, including the ones without a recording (exit 64)
// and the ones stopped by a signal (exit 143); while it runs, <state>/running/<pid>.json
// says so, because a long-lived stream (nvidia-smi -lms) may never end.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    INTERNAL_ERROR_EXIT, NO_RECORDING_EXIT, TOOLS_DIR,
    findAnswer, readAnswer, readJson, resolveRef,
} from './lib.mjs';

export const TERMINATED_EXIT = 143;

function toBuffer(x) {
    if (x === undefined || x === null) return Buffer.alloc(0);
    return Buffer.isBuffer(x) ? x : Buffer.from(String(x));
}

// AIWS_SIM_TIME_SCALE shortens (or stretches) every handler sleep: tests run transactions fast.
function timeScale() {
    const scale = Number(process.env.AIWS_SIM_TIME_SCALE ?? '1');
    return Number.isFinite(scale) && scale >= 0 ? scale : 1;
}

function sleeper(signal) {
    const scale = timeScale();
    return (ms) => new Promise(resolve => {
        if (signal.aborted) return resolve();
        // the abort listener goes with its sleep: a stream sleeps forever, one tick at a time
        const onAbort = () => { clearTimeout(timer); resolve() };
        const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve() }, Math.max(0, ms * scale));
        signal.addEventListener('abort', onAbort, { once: true });
    });
}

async function answer(tool, argv, stateDir, io) {
    const uid = process.getuid();
    const commandsDir = path.join(stateDir, 'scenario', 'commands', tool);
    const indexFile = path.join(commandsDir, 'index.json');
    const lookup = (args) => {
        if (!fs.existsSync(indexFile)) return null;
        const entry = findAnswer(readJson(indexFile), args);
        return entry ? readAnswer(entry, commandsDir) : null;
    };
    const ctx = {
        tool,
        uid,
        admin: uid === 0,
        pid: process.pid,
        stateDir,
        scenarioDir: path.join(stateDir, 'scenario'),
        rootDir: path.join(stateDir, 'root'),
        commandsDir,
        lookup,
        readRef: (ref) => fs.readFileSync(resolveRef(ref, commandsDir)),
        write: io.write,
        writeErr: io.writeErr,
        sleep: sleeper(io.signal),
        signal: io.signal,
    };

    // AIWS_SIM_HANDLERS: another handlers folder (the simulator's own tests use it)
    const handlerFile = path.join(process.env.AIWS_SIM_HANDLERS || TOOLS_DIR, `${tool}.mjs`);
    if (fs.existsSync(handlerFile)) {
        const mod = await import(pathToFileURL(handlerFile).href);
        const res = await mod.handle(argv, ctx);
        if (res) return { stdout: toBuffer(res.stdout), stderr: toBuffer(res.stderr), exit: res.exit ?? 0 };
    }
    const recorded = lookup(argv);
    if (recorded) return recorded;
    return {
        stdout: Buffer.alloc(0),
        stderr: Buffer.from(`simulated ${tool}: no recording for: ${JSON.stringify(argv)}\n`),
        exit: NO_RECORDING_EXIT,
    };
}

function logLine(stateDir, tool, argv, exit) {
    const uid = process.getuid();
    const line = JSON.stringify({ time: new Date().toISOString(), tool, argv, uid, admin: uid === 0, exit }) + '\n';
    try {
        fs.appendFileSync(path.join(stateDir, 'log.jsonl'), line);
    } catch (e) {
        process.stderr.write(`simulated ${tool}: cannot write invocation log: ${e.message}\n`);
    }
}

async function main() {
    const [tool, ...argv] = process.argv.slice(2);
    const stateDir = process.env.AIWS_SIM_STATE;
    if (!tool || !stateDir) {
        process.stderr.write('usage: AIWS_SIM_STATE=<state> node test/sim/tool.mjs <tool> args...\n');
        return INTERNAL_ERROR_EXIT;
    }

    const runningFile = path.join(stateDir, 'running', `${process.pid}.json`);
    try {
        fs.writeFileSync(runningFile, JSON.stringify({ tool, argv, uid: process.getuid(), admin: process.getuid() === 0, time: new Date().toISOString(), pid: process.pid }) + '\n');
    } catch {
        // a state prepared before running/ existed: nothing to track
    }
    const forgetRunning = () => { try { fs.unlinkSync(runningFile) } catch { /* already gone */ } };

    // Stopped from outside (the bridge closes the channel with SIGTERM, or the reader went away):
    // log it as such and leave at once, the way a real tool dies.
    const abort = new AbortController();
    let finished = false;
    const terminate = () => {
        if (finished) return;
        finished = true;
        abort.abort();
        logLine(stateDir, tool, argv, TERMINATED_EXIT);
        forgetRunning();
        process.exit(TERMINATED_EXIT);
    };
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'])
        process.on(sig, terminate);
    const onStreamError = (e) => {
        if (e && e.code === 'EPIPE') terminate();
        else throw e;
    };
    process.stdout.on('error', onStreamError);
    process.stderr.on('error', onStreamError);

    // stdout/stderr to files and pipes are synchronous on Linux, so output written
    // here is out before the next sleep
    const io = {
        signal: abort.signal,
        write: (chunk) => { if (!finished) process.stdout.write(toBuffer(chunk)) },
        writeErr: (chunk) => { if (!finished) process.stderr.write(toBuffer(chunk)) },
    };

    let res;
    try {
        res = await answer(tool, argv, stateDir, io);
    } catch (e) {
        res = {
            stdout: Buffer.alloc(0),
            stderr: Buffer.from(`simulated ${tool}: internal error: ${e.stack || e.message}\n`),
            exit: INTERNAL_ERROR_EXIT,
        };
    }
    if (finished) return TERMINATED_EXIT;
    finished = true;
    logLine(stateDir, tool, argv, res.exit);
    forgetRunning();
    if (res.stdout.length) process.stdout.write(res.stdout);
    if (res.stderr.length) process.stderr.write(res.stderr);
    return res.exit;
}

process.exitCode = await main();
