#!/usr/bin/env node
// Answers one invocation of a simulated host tool.
//
//   AIWS_SIM_STATE=<state> node test/sim/tool.mjs <tool> args...
//
// (the wrappers in <state>/bin do exactly this). The answer comes from
// test/sim/tools/<tool>.mjs when that handler exists and returns one, else from
// <state>/scenario/commands/<tool>/index.json. Every invocation is logged to
// <state>/log.jsonl, including the ones without a recording (exit 64).

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    INTERNAL_ERROR_EXIT, NO_RECORDING_EXIT, TOOLS_DIR,
    findAnswer, readAnswer, readJson, resolveRef,
} from './lib.mjs';

function toBuffer(x) {
    if (x === undefined || x === null) return Buffer.alloc(0);
    return Buffer.isBuffer(x) ? x : Buffer.from(String(x));
}

async function answer(tool, argv, stateDir) {
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
        stateDir,
        scenarioDir: path.join(stateDir, 'scenario'),
        rootDir: path.join(stateDir, 'root'),
        commandsDir,
        lookup,
        readRef: (ref) => fs.readFileSync(resolveRef(ref, commandsDir)),
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

async function main() {
    const [tool, ...argv] = process.argv.slice(2);
    const stateDir = process.env.AIWS_SIM_STATE;
    if (!tool || !stateDir) {
        process.stderr.write('usage: AIWS_SIM_STATE=<state> node test/sim/tool.mjs <tool> args...\n');
        return INTERNAL_ERROR_EXIT;
    }
    let res;
    try {
        res = await answer(tool, argv, stateDir);
    } catch (e) {
        res = {
            stdout: Buffer.alloc(0),
            stderr: Buffer.from(`simulated ${tool}: internal error: ${e.message}\n`),
            exit: INTERNAL_ERROR_EXIT,
        };
    }
    const uid = process.getuid();
    const line = JSON.stringify({ time: new Date().toISOString(), tool, argv, uid, admin: uid === 0, exit: res.exit }) + '\n';
    try {
        fs.appendFileSync(path.join(stateDir, 'log.jsonl'), line);
    } catch (e) {
        process.stderr.write(`simulated ${tool}: cannot write invocation log: ${e.message}\n`);
    }
    // stdout/stderr to files and pipes are synchronous on Linux
    const ignoreEpipe = (e) => { if (e && e.code !== 'EPIPE') throw e };
    process.stdout.on('error', ignoreEpipe);
    process.stderr.on('error', ignoreEpipe);
    if (res.stdout.length) process.stdout.write(res.stdout);
    if (res.stderr.length) process.stderr.write(res.stderr);
    return res.exit;
}

process.exitCode = await main();
