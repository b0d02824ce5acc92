#!/usr/bin/env node
// Creates a fresh state directory for one scenario of the simulated workstation.
//
//   node test/sim/prepare.mjs <scenario-name> <state-dir>
//
// See test/sim/README.md for the state layout. Plain Node 20, no npm deps.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOST_TOOLS } from './host-tools.mjs';
import { SCENARIOS_DIR, TOOL_SCRIPT, checkScenario, materialiseScenario, scenarioChain } from './lib.mjs';

// Where the machine's own executables are looked up, in PATH order (first wins).
export const MACHINE_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const MARKER = '.aiws-sim-state';

export class UnknownScenarioError extends Error {
    constructor(name, available) {
        super(`unknown scenario "${name}"; available scenarios: ${available.join(', ')}`);
        this.name = 'UnknownScenarioError';
        this.available = available;
    }
}

export function listScenarios(scenariosDir = SCENARIOS_DIR) {
    if (!fs.existsSync(scenariosDir)) return [];
    return fs.readdirSync(scenariosDir)
            .filter(n => fs.existsSync(path.join(scenariosDir, n, 'scenario.json')))
            .sort();
}

function shQuote(s) {
    return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

// Every executable name on the machine's standard PATH -> its path (first wins).
function machineExecutables() {
    const found = new Map();
    for (const dir of MACHINE_PATH) {
        let names;
        try {
            names = fs.readdirSync(dir);
        } catch {
            continue;
        }
        for (const name of names) {
            if (found.has(name)) continue;
            const p = path.join(dir, name);
            try {
                const st = fs.statSync(p);
                if (st.isFile() && (st.mode & 0o111)) found.set(name, p);
            } catch {
                // dangling link or unreadable: not an executable
            }
        }
    }
    return found;
}

function wipe(stateDir) {
    const st = fs.lstatSync(stateDir, { throwIfNoEntry: false });
    if (!st) return;
    if (!st.isDirectory()) throw new Error(`state dir ${stateDir} exists and is not a directory`);
    const entries = fs.readdirSync(stateDir);
    if (entries.length > 0 && !entries.includes(MARKER))
        throw new Error(`refusing to wipe ${stateDir}: not empty and not a state dir made by prepare.mjs (no ${MARKER})`);
    fs.rmSync(stateDir, { recursive: true, force: true });
}

// dirs 0755, files 0644 (0755 if given as executable); symlinks untouched
function chmodTree(dir, execFiles = false) {
    fs.chmodSync(dir, 0o755);
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isSymbolicLink()) continue;
        if (ent.isDirectory()) chmodTree(p, execFiles);
        else fs.chmodSync(p, execFiles ? 0o755 : 0o644);
    }
}

/**
 * Prepare a fresh state dir for scenario `name`.
 * @returns {{env: Record<string,string>, stateDir: string, logPath: string, warnings: string[]}}
 */
export function prepareScenario(name, stateDir, options = {}) {
    const scenariosDir = options.scenariosDir ?? process.env.AIWS_SIM_SCENARIOS ?? SCENARIOS_DIR;
    const available = listScenarios(scenariosDir);
    if (!available.includes(name)) throw new UnknownScenarioError(name, available);
    if (!stateDir) throw new Error('state dir is required');
    const chain = scenarioChain(name, scenariosDir);
    const problems = chain.flatMap(level => checkScenario(level.dir));
    if (problems.length) throw new Error(`scenario "${name}" is invalid:\n  ${problems.join('\n  ')}`);

    stateDir = path.resolve(stateDir);
    if (stateDir === path.parse(stateDir).root) throw new Error('refusing to use / as state dir');
    const warnings = [];

    wipe(stateDir);
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, MARKER), JSON.stringify({ scenario: name, created: new Date().toISOString() }) + '\n');

    // mutable copy of the scenario definition, bases merged in (tool handlers may change it)
    const scenarioCopy = path.join(stateDir, 'scenario');
    const sj = materialiseScenario(chain, scenarioCopy);
    const srcDir = scenarioCopy;
    for (const tool of sj.real ?? []) {
        if (fs.existsSync(path.join(srcDir, 'commands', tool)))
            throw new Error(`scenario "${name}" is invalid:\n  "${tool}" is both real and simulated`);
    }

    // host files under the root prefix
    const root = path.join(stateDir, 'root');
    fs.mkdirSync(root);
    if (fs.existsSync(path.join(srcDir, 'root')))
        fs.cpSync(path.join(srcDir, 'root'), root, { recursive: true });
    for (const [rel, file] of Object.entries(sj.files ?? {})) {
        const dest = path.join(root, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(file, dest);
    }
    chmodTree(root);
    chmodTree(scenarioCopy);
    for (const [rel, target] of Object.entries(sj.links ?? {})) {
        const dest = path.join(root, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.rmSync(dest, { force: true });
        fs.symlinkSync(target, dest);
        if (!fs.existsSync(target))
            warnings.push(`link ${rel} -> ${target}: target does not exist on this machine (the link dangles)`);
    }
    // mkdir -p above may have made directories with the process umask
    chmodTree(root);

    // bin: simulated tools, then the machine's executables minus host tools
    const bin = path.join(stateDir, 'bin');
    fs.mkdirSync(bin);
    const cmdDir = path.join(srcDir, 'commands');
    const simulated = fs.existsSync(cmdDir)
        ? fs.readdirSync(cmdDir).filter(t => fs.statSync(path.join(cmdDir, t)).isDirectory()).sort()
        : [];
    for (const tool of simulated) {
        const script = '#!/bin/sh\n' +
            `# simulated ${tool} (scenario ${name}), made by test/sim/prepare.mjs\n` +
            `AIWS_SIM_STATE=${shQuote(stateDir)} exec ${shQuote(process.execPath)} ${shQuote(TOOL_SCRIPT)} ${shQuote(tool)} "$@"\n`;
        fs.writeFileSync(path.join(bin, tool), script, { mode: 0o755 });
    }
    const real = new Set(sj.real ?? []);
    const hidden = new Set(HOST_TOOLS.filter(t => !real.has(t)));
    const machine = machineExecutables();
    for (const [exe, p] of machine) {
        if (hidden.has(exe) || simulated.includes(exe)) continue;
        fs.symlinkSync(p, path.join(bin, exe));
    }
    for (const t of real)
        if (!machine.has(t)) warnings.push(`real tool "${t}" is not installed on this machine: the simulated host lacks it`);
    fs.chmodSync(bin, 0o755);

    const logPath = path.join(stateDir, 'log.jsonl');
    fs.writeFileSync(logPath, '');
    fs.chmodSync(logPath, 0o666);
    // tool.mjs keeps <state>/running/<pid>.json while an invocation runs; the viewer bridge user writes there too
    const runningDir = path.join(stateDir, 'running');
    fs.mkdirSync(runningDir);
    fs.chmodSync(runningDir, 0o1777);

    const env = {
        PATH: bin,
        AI_WORKSTATION_ROOT: root,
        AIWS_SIM_STATE: stateDir,
    };
    const envFile = path.join(stateDir, 'env');
    fs.writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
    fs.chmodSync(envFile, 0o644);
    fs.chmodSync(path.join(stateDir, MARKER), 0o644);
    fs.chmodSync(stateDir, 0o755);

    return { env, stateDir, logPath, warnings };
}

function main(argv) {
    const [name, stateDir] = argv;
    if (!name || !stateDir || argv.length !== 2) {
        process.stderr.write(`usage: node test/sim/prepare.mjs <scenario-name> <state-dir>\n` +
            `scenarios: ${listScenarios(process.env.AIWS_SIM_SCENARIOS ?? SCENARIOS_DIR).join(', ')}\n`);
        return 2;
    }
    try {
        const { env, warnings } = prepareScenario(name, stateDir);
        for (const w of warnings) process.stderr.write(`prepare.mjs: warning: ${w}\n`);
        process.stdout.write(Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
        return 0;
    } catch (e) {
        process.stderr.write(`prepare.mjs: ${e.message}\n`);
        return e instanceof UnknownScenarioError ? 2 : 1;
    }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
    process.exitCode = main(process.argv.slice(2));
