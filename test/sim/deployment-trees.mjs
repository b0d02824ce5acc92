// What each deployment's tree carries (kernels, NVIDIA modules, os-release) and the files that
// stand for it under the root prefix: <root>/ostree/deploy/<os>/deploy/<csum>.<serial>/
//   usr/lib/modules/<kver>/                              one folder per kernel (and per folder a
//                                                        left-behind module still sits in)
//   usr/lib/modules/<kver>/<path>                        a small placeholder per NVIDIA module
//                                                        (default path extra/nvidia/nvidia.ko.xz,
//                                                        where akmods/kmodtool install it: the
//                                                        filename line of the recorded
//                                                        modinfo-nvidia-510-…-silverblue272.txt)
//   usr/lib/os-release                                   the scenario's etc/os-release with this
//                                                        deployment's OSTREE_VERSION
// See test/sim/README.md, "Kernels and NVIDIA modules per deployment".
//
// Facts come from the commit (commits.json / update.json, or the session's commits written by
// stage()): { kernel, kernels?, nvidia?: null | Module | Module[], gpu? }, where a Module is
// { version, flavour: "open" | "proprietary", signer: string | null, sigKey?, vermagic?, kernel?,
// path? } (kernel: the folder it sits in, default the commit's kernel; vermagic: the kernel it was
// built for, default that folder). A deployment may carry its own facts (sim.deployments[key].tree,
// written by `override replace`/`reset`), which win.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export const MODULE_MARKER = 'aiws-sim nvidia module';
export const DEFAULT_MODULE_PATH = 'extra/nvidia/nvidia.ko.xz';

function readOptional(file) {
    try {
        return fs.readFileSync(file, 'utf8');
    } catch (e) {
        if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
        throw e;
    }
}

function writeIfChanged(file, data) {
    if (readOptional(file) === data) return;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(3).toString('hex')}.tmp`);
    fs.writeFileSync(tmp, data, { mode: 0o644 });
    fs.chmodSync(tmp, 0o644);
    fs.renameSync(tmp, file);
}

function asList(nvidia) {
    if (nvidia === undefined || nvidia === null) return [];
    return Array.isArray(nvidia) ? nvidia : [nvidia];
}

/** The commit facts of a deployment: its base commit's, then its own commit's on top. */
export function commitFacts(host, d, sim) {
    const base = d['base-checksum'] ? host.commitInfo(d['base-checksum'], sim) : null;
    const own = host.commitInfo(d.checksum, sim);
    const out = {};
    for (const src of [base, own]) {
        if (!src) continue;
        for (const k of ['kernel', 'kernels', 'nvidia', 'gpu']) if (src[k] !== undefined) out[k] = src[k];
    }
    return out;
}

/**
 * The tree of deployment `d`: { kernel, kernels: [kver], modules: [{ kernel, path, version,
 * flavour, signer, sigKey, vermagic }] }. kernel is the one it boots (kernelOf).
 */
export function treeOf(host, state, d) {
    const extra = state.sim.deployments?.[`${d.checksum}.${d.serial}`] ?? {};
    const facts = extra.tree ?? commitFacts(host, d, state.sim);
    const kernel = host.kernelOf(d, state.sim) ?? facts.kernel ?? null;
    const modules = asList(facts.nvidia).map(m => {
        const dir = m.kernel ?? kernel;
        return {
            kernel: dir,
            path: m.path ?? DEFAULT_MODULE_PATH,
            version: m.version ?? null,
            flavour: m.flavour ?? null,
            signer: m.signer ?? null,
            sigKey: m.sigKey ?? null,
            vermagic: m.vermagic ?? dir,
        };
    }).filter(m => m.kernel);
    const kernels = [...new Set([...(facts.kernels ?? (kernel ? [kernel] : [])), ...modules.map(m => m.kernel)])];
    return { kernel, kernels, modules };
}

/** The NVIDIA module of `tree` for the kernel it boots (in that kernel's folder, built for it), or null. */
export function bootModule(tree) {
    return tree.modules.find(m => m.kernel === tree.kernel) ?? null;
}

/** The placeholder's content: one JSON line with what modinfo prints of it. */
export function placeholder(m) {
    return `${JSON.stringify({ [MODULE_MARKER]: 1, name: 'nvidia', version: m.version, flavour: m.flavour, signer: m.signer, sigKey: m.sigKey, vermagic: m.vermagic })}\n`;
}

/** The module facts a placeholder file holds, or null when the file is not one. */
export function readPlaceholder(file) {
    let text;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch {
        return null;
    }
    try {
        const j = JSON.parse(text);
        return j && j[MODULE_MARKER] === 1 ? j : null;
    } catch {
        return null;
    }
}

/**
 * usr/lib/os-release of a deployment: the scenario's etc/os-release with OSTREE_VERSION set to
 * the deployment's version, in the quoting of the recorded Silverblue os-release
 * (test/fixtures/os-release/fedora-silverblue-34-lkml.txt: OSTREE_VERSION='34.20210721.0').
 * The other lines stay the scenario's (derived: no per-version os-release is recorded).
 */
export function osRelease(rootDir, version) {
    const base = readOptional(path.join(rootDir, 'etc/os-release')) ?? '';
    const lines = base.split('\n').filter(l => l !== '' && !l.startsWith('OSTREE_VERSION='));
    if (version) lines.push(`OSTREE_VERSION='${version}'`);
    return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Make <dir> (a deployment folder) hold the tree of `tree` and the os-release of `version`. */
export function writeTree(dir, rootDir, tree, version) {
    const modulesDir = path.join(dir, 'usr/lib/modules');
    fs.mkdirSync(modulesDir, { recursive: true, mode: 0o755 });
    for (const name of fs.readdirSync(modulesDir))
        if (!tree.kernels.includes(name)) fs.rmSync(path.join(modulesDir, name), { recursive: true, force: true });
    for (const k of tree.kernels) fs.mkdirSync(path.join(modulesDir, k), { recursive: true, mode: 0o755 });
    // modules: exactly the wanted placeholders (a module that went away is removed)
    const wanted = new Map(tree.modules.map(m => [path.join(modulesDir, m.kernel, m.path), placeholder(m)]));
    const walk = (d) => {
        for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, ent.name);
            if (ent.isDirectory()) walk(p);
            else if (readPlaceholder(p) && !wanted.has(p)) fs.rmSync(p, { force: true });
        }
    };
    walk(modulesDir);
    for (const [file, content] of wanted) writeIfChanged(file, content);
    const release = osRelease(rootDir, version);
    if (release) writeIfChanged(path.join(dir, 'usr/lib/os-release'), release);
}
