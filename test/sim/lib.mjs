// Shared by prepare.mjs and tool.mjs: where things are, how a scenario's
// recordings are referenced, matched and checked. Plain Node 20, no npm deps.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHostTool } from './host-tools.mjs';

export const SIM_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SCENARIOS_DIR = path.join(SIM_DIR, 'scenarios');
export const FIXTURES_DIR = path.resolve(SIM_DIR, '..', 'fixtures');
export const TOOLS_DIR = path.join(SIM_DIR, 'tools');
export const TOOL_SCRIPT = path.join(SIM_DIR, 'tool.mjs');

export const NO_RECORDING_EXIT = 64;
export const INTERNAL_ERROR_EXIT = 70;

// A file reference in scenario.json "files" or in an index.json answer:
// "@fixtures/<category>/<file>" points into test/fixtures, anything else is
// relative to the directory holding the json file.
export function resolveRef(ref, baseDir) {
    if (typeof ref !== 'string' || ref === '')
        throw new Error(`bad file reference ${JSON.stringify(ref)}`);
    if (ref.startsWith('@fixtures/'))
        return path.join(FIXTURES_DIR, ref.slice('@fixtures/'.length));
    if (path.isAbsolute(ref))
        throw new Error(`absolute file reference not allowed: ${ref}`);
    return path.join(baseDir, ref);
}

export function readJson(file) {
    try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
        throw new Error(`${file}: ${e.message}`);
    }
}

// First entry whose argv equals the invocation's argv exactly; entries with
// "argv": "*" answer any argv that no exact entry matched.
export function findAnswer(entries, argv) {
    const same = (a) => Array.isArray(a) && a.length === argv.length && a.every((x, i) => x === argv[i]);
    return entries.find(e => same(e.argv)) ?? entries.find(e => e.argv === '*') ?? null;
}

export function readAnswer(entry, baseDir) {
    const read = (ref) => (ref === undefined ? Buffer.alloc(0) : fs.readFileSync(resolveRef(ref, baseDir)));
    return { stdout: read(entry.stdout), stderr: read(entry.stderr), exit: entry.exit ?? 0 };
}

function checkIndex(file, problems) {
    let entries;
    try {
        entries = readJson(file);
    } catch (e) {
        problems.push(e.message);
        return;
    }
    if (!Array.isArray(entries)) {
        problems.push(`${file}: must be a JSON array of answers`);
        return;
    }
    const known = new Set(['argv', 'stdout', 'stderr', 'exit', 'note']);
    const seen = new Set();
    entries.forEach((e, i) => {
        const where = `${file}[${i}]`;
        if (typeof e !== 'object' || e === null) {
            problems.push(`${where}: not an object`);
            return;
        }
        for (const k of Object.keys(e))
            if (!known.has(k)) problems.push(`${where}: unknown key "${k}"`);
        if (e.argv !== '*' && !(Array.isArray(e.argv) && e.argv.every(a => typeof a === 'string')))
            problems.push(`${where}: "argv" must be an array of strings or "*"`);
        const key = JSON.stringify(e.argv);
        if (seen.has(key)) problems.push(`${where}: duplicate argv ${key}`);
        seen.add(key);
        if (e.exit !== undefined && !(Number.isInteger(e.exit) && e.exit >= 0 && e.exit <= 255))
            problems.push(`${where}: "exit" must be an integer 0..255`);
        for (const k of ['stdout', 'stderr']) {
            if (e[k] === undefined) continue;
            try {
                const f = resolveRef(e[k], path.dirname(file));
                if (!fs.statSync(f, { throwIfNoEntry: false })?.isFile())
                    problems.push(`${where}: ${k} file missing: ${e[k]}`);
            } catch (err) {
                problems.push(`${where}: ${err.message}`);
            }
        }
    });
}

// Every problem found in a scenario folder (empty array: valid).
export function checkScenario(dir) {
    const problems = [];
    const sjFile = path.join(dir, 'scenario.json');
    let sj;
    try {
        sj = readJson(sjFile);
    } catch (e) {
        return [e.message];
    }
    const known = new Set(['description', 'purpose', 'extends', 'withoutTools', 'withoutFiles', 'real', 'links', 'files', 'notes']);
    for (const k of Object.keys(sj))
        if (!known.has(k)) problems.push(`${sjFile}: unknown key "${k}"`);
    if (typeof sj.description !== 'string' || !sj.description)
        problems.push(`${sjFile}: "description" is required`);

    const cmdDir = path.join(dir, 'commands');
    const provided = fs.existsSync(cmdDir) ? fs.readdirSync(cmdDir).filter(t => fs.statSync(path.join(cmdDir, t)).isDirectory()) : [];
    for (const tool of provided) {
        const idx = path.join(cmdDir, tool, 'index.json');
        const handler = path.join(TOOLS_DIR, `${tool}.mjs`);
        if (fs.existsSync(idx)) checkIndex(idx, problems);
        else if (!fs.existsSync(handler)) problems.push(`${cmdDir}/${tool}: neither index.json nor test/sim/tools/${tool}.mjs`);
    }

    const real = sj.real ?? [];
    if (!Array.isArray(real)) problems.push(`${sjFile}: "real" must be an array`);
    else for (const t of real) {
        if (!isHostTool(t)) problems.push(`${sjFile}: real "${t}" is not in host-tools.mjs (only host tools can be asked for)`);
        if (provided.includes(t)) problems.push(`${sjFile}: "${t}" is both real and simulated`);
    }

    const relOk = (p) => typeof p === 'string' && p !== '' && !path.isAbsolute(p) && !p.split('/').includes('..');
    if (sj.extends !== undefined && (typeof sj.extends !== 'string' || !fs.existsSync(path.join(path.dirname(dir), sj.extends, 'scenario.json'))))
        problems.push(`${sjFile}: "extends" must name another scenario of the same folder`);
    for (const key of ['withoutTools', 'withoutFiles']) {
        if (sj[key] !== undefined && !(Array.isArray(sj[key]) && sj[key].every(relOk)))
            problems.push(`${sjFile}: "${key}" must be an array of names / relative paths`);
    }
    for (const [p, target] of Object.entries(sj.links ?? {})) {
        if (!relOk(p)) problems.push(`${sjFile}: links key must be a relative path inside root: ${p}`);
        if (typeof target !== 'string' || !path.isAbsolute(target)) problems.push(`${sjFile}: links["${p}"] must be an absolute path`);
    }
    for (const [p, ref] of Object.entries(sj.files ?? {})) {
        if (!relOk(p)) problems.push(`${sjFile}: files key must be a relative path inside root: ${p}`);
        try {
            if (!fs.statSync(resolveRef(ref, dir), { throwIfNoEntry: false })?.isFile())
                problems.push(`${sjFile}: files["${p}"] missing: ${ref}`);
        } catch (e) {
            problems.push(`${sjFile}: files["${p}"]: ${e.message}`);
        }
    }
    return problems;
}

// A scenario may extend another ("extends": "healthy"): the base's folder first, then the
// child's on top. A child's commands/<tool>/ replaces the base's answers for that tool
// as a whole; "withoutTools" drops inherited tools (the host lacks them) and
// "withoutFiles" inherited host files (paths inside root/). files and links merge, the
// child's entries winning; "real" is the child's when it gives one; notes add up.
export function scenarioChain(name, scenariosDir, seen = []) {
    if (seen.includes(name))
        throw new Error(`scenario "${name}" extends itself: ${[...seen, name].join(' -> ')}`);
    const dir = path.join(scenariosDir, name);
    const sj = readJson(path.join(dir, 'scenario.json'));
    const level = { name, dir, sj };
    return sj.extends ? [...scenarioChain(sj.extends, scenariosDir, [...seen, name]), level] : [level];
}

/**
 * Write the merged scenario of `chain` into `outDir` (commands/, root/, scenario.json) and
 * return its scenario.json, with "files" refs resolved to absolute paths.
 */
export function materialiseScenario(chain, outDir) {
    fs.mkdirSync(path.join(outDir, 'commands'), { recursive: true });
    fs.mkdirSync(path.join(outDir, 'root'), { recursive: true });
    const merged = { description: '', purpose: undefined, real: [], links: {}, files: {}, notes: [] };
    for (const { dir, sj } of chain) {
        for (const tool of sj.withoutTools ?? [])
            fs.rmSync(path.join(outDir, 'commands', tool), { recursive: true, force: true });
        for (const rel of sj.withoutFiles ?? []) {
            fs.rmSync(path.join(outDir, 'root', rel), { recursive: true, force: true });
            delete merged.files[rel];
            delete merged.links[rel];
        }
        const commands = path.join(dir, 'commands');
        if (fs.existsSync(commands)) {
            for (const tool of fs.readdirSync(commands)) {
                fs.rmSync(path.join(outDir, 'commands', tool), { recursive: true, force: true });
                fs.cpSync(path.join(commands, tool), path.join(outDir, 'commands', tool), { recursive: true });
            }
        }
        if (fs.existsSync(path.join(dir, 'root')))
            fs.cpSync(path.join(dir, 'root'), path.join(outDir, 'root'), { recursive: true });
        for (const [rel, ref] of Object.entries(sj.files ?? {}))
            merged.files[rel] = resolveRef(ref, dir);
        Object.assign(merged.links, sj.links ?? {});
        if (sj.real !== undefined)
            merged.real = sj.real;
        merged.description = sj.description;
        merged.purpose = sj.purpose ?? merged.purpose;
        merged.notes.push(...(sj.notes ?? []));
    }
    const rest = { ...chain[chain.length - 1].sj };
    for (const key of ['withoutTools', 'withoutFiles', 'extends'])
        delete rest[key];
    const result = { ...rest, ...merged, ...(chain.length > 1 ? { extends: chain.slice(0, -1).map(l => l.name) } : {}) };
    fs.writeFileSync(path.join(outDir, 'scenario.json'), JSON.stringify(result, null, 4) + '\n');
    return result;
}
