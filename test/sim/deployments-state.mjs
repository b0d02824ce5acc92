// The deployments of the simulated host: one state file that the simulated rpm-ostree,
// ostree, bootc and systemctl read and change, the files under the root prefix that follow
// it (the page watches those with inotify), and the lock of a running transaction.
// See test/sim/README.md, "Deployments".
//
// Truth: <state>/scenario/commands/rpm-ostree/status.json on a host with rpm-ostree (its
// `status --json` plus an "aiws-sim" key that no tool prints); bootc's status is derived from
// it. On a bootc-only host: <state>/scenario/commands/bootc/status.json, bootc's own JSON plus
// "aiws-sim". Either is copied at first use from the scenario's recorded `status --json`
// answer. In memory both become one model: rpm-ostree's deployment objects, in ostree's order.
//
// Every write is a rename of a complete file; writers hold a short state lock (a hard link,
// like `ostree admin`'s sysroot lock) so a pin during a running upgrade is not lost; a
// transaction is a file (<state>/scenario/deployments-transaction.json) created with link(2)
// so two processes never both get one.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findAnswer, readAnswer, readJson, resolveRef } from './lib.mjs';
import { clone, parseJson, printCompact, printJsonGlib } from './deployments-json.mjs';
import { applyPackageChanges } from './deployments-packages.mjs';
import { commitFacts, treeOf, writeTree } from './deployment-trees.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DAEMON_SCRIPT = path.join(HERE, 'deployments-daemon.mjs');

export const STATE_FILE = 'status.json';
export const TXN_FILE = 'deployments-transaction.json';
export const CANCEL_FILE = 'deployments-transaction.cancel';
const STATE_LOCK = '.deployments-state.lock';
const SIM_KEY = 'aiws-sim';
/** The GPU state name of the scenario's own GPU files (test/sim/gpu-state.mjs). */
export const OWN_GPU_STATE = '@scenario';
const DBUS_BASE = '/org/projectatomic/rpmostree1';

// ---- small helpers ------------------------------------------------------------------

export function sleepSync(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));
}

export function pidAlive(pid) {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === 'EPERM';
    }
}

function rand() {
    return crypto.randomBytes(4).toString('hex');
}

export function sha256(text) {
    return crypto.createHash('sha256').update(text).digest('hex');
}

/** Replace `file` by `data` in one rename (readers see the old or the new file, never half). */
export function writeAtomic(file, data, mode = 0o644) {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${rand()}.tmp`);
    fs.writeFileSync(tmp, data, { mode });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
}

function readOptional(file) {
    try {
        return fs.readFileSync(file, 'utf8');
    } catch (e) {
        if (e.code === 'ENOENT') return null;
        throw e;
    }
}

function canWrite(dir) {
    try {
        fs.accessSync(dir, fs.constants.W_OK);
        return true;
    } catch {
        return false;
    }
}

/** Time scale of the handlers' sleeps (tool.mjs's AIWS_SIM_TIME_SCALE). */
export function timeScale() {
    const scale = Number(process.env.AIWS_SIM_TIME_SCALE ?? '1');
    return Number.isFinite(scale) && scale >= 0 ? scale : 1;
}

// ---- the scenario's recordings and its deployments data ---------------------------------

function commandsDir(scenarioDir, tool) {
    return path.join(scenarioDir, 'commands', tool);
}

/** The recorded answer of `tool` for one of `argvs`, or null. */
function recorded(scenarioDir, tool, argvs) {
    const dir = commandsDir(scenarioDir, tool);
    const index = path.join(dir, 'index.json');
    if (!fs.existsSync(index)) return null;
    const entries = readJson(index);
    for (const argv of argvs) {
        const same = entries.find(e => Array.isArray(e.argv) && e.argv.length === argv.length && e.argv.every((x, i) => x === argv[i]));
        if (same) return readAnswer(same, dir);
    }
    return null;
}

export const BOOTC_STATUS_ARGVS = [['status', '--json'], ['status', '--format=json'], ['status', '--format', 'json']];

/** Is `argv` an exact entry of the tool's index.json? (a `"*"` entry counts: a broken tool) */
export function indexAnswers(ctx, argv) {
    const index = path.join(ctx.commandsDir, 'index.json');
    if (!fs.existsSync(index)) return false;
    const entries = readJson(index);
    return entries.some(e => e.argv === '*') || findAnswer(entries.filter(e => e.argv !== '*'), argv) !== null;
}

/**
 * Where this scenario keeps its deployments: { truth: 'rpm-ostree' | 'bootc', dir, file,
 * hasRpmOstree, hasBootc } or null when neither tool has a recorded `status --json`
 * (then the handlers keep no state and only index.json answers).
 */
export function hostInfo(scenarioDir) {
    const rpmDir = commandsDir(scenarioDir, 'rpm-ostree');
    const bootcDir = commandsDir(scenarioDir, 'bootc');
    const hasRpmOstree = fs.existsSync(rpmDir);
    const hasBootc = fs.existsSync(bootcDir);
    const rpmSeed = hasRpmOstree && recorded(scenarioDir, 'rpm-ostree', [['status', '--json']]);
    if (rpmSeed && rpmSeed.exit === 0)
        return { truth: 'rpm-ostree', dir: rpmDir, file: path.join(rpmDir, STATE_FILE), hasRpmOstree, hasBootc };
    const bootcSeed = hasBootc && recorded(scenarioDir, 'bootc', BOOTC_STATUS_ARGVS);
    if (bootcSeed && bootcSeed.exit === 0)
        return { truth: 'bootc', dir: bootcDir, file: path.join(bootcDir, STATE_FILE), hasRpmOstree, hasBootc };
    return null;
}

function optionalJson(file) {
    return fs.existsSync(file) ? readJson(file) : null;
}

// ---- origins ------------------------------------------------------------------------

/** The origin of a model deployment: { kind: 'ref', refspec } | { kind: 'image', ref } | null. */
export function originOf(d) {
    if (typeof d['container-image-reference'] === 'string') return { kind: 'image', ref: d['container-image-reference'] };
    if (typeof d.origin === 'string') return { kind: 'ref', refspec: d.origin };
    return null;
}

export function originText(origin) {
    return origin?.kind === 'image' ? origin.ref : origin?.refspec ?? null;
}

/** An ostree-ext container reference as bootc's ImageReference { image, transport, signature? }. */
export function bootcImageRef(ref) {
    let m;
    let signature;
    let rest;
    if ((m = /^ostree-unverified-registry:(.+)$/.exec(ref))) return { image: m[1], transport: 'registry' };
    if ((m = /^ostree-unverified-image:(.+)$/.exec(ref))) rest = m[1];
    else if ((m = /^ostree-image-signed:(.+)$/.exec(ref))) { rest = m[1]; signature = 'containerPolicy' }
    else if ((m = /^ostree-remote-registry:([^:]+):(.+)$/.exec(ref))) return { image: m[2], transport: 'registry', signature: { ostreeRemote: m[1] } };
    else if ((m = /^ostree-remote-image:([^:]+):(.+)$/.exec(ref))) { rest = m[2]; signature = { ostreeRemote: m[1] } }
    else rest = ref;
    let image;
    let transport;
    if (rest.startsWith('docker://')) { transport = 'registry'; image = rest.slice('docker://'.length) }
    else if (rest.startsWith('registry:')) { transport = 'registry'; image = rest.slice('registry:'.length) }
    else {
        const i = rest.indexOf(':');
        transport = i < 0 ? 'registry' : rest.slice(0, i);
        image = i < 0 ? rest : rest.slice(i + 1);
    }
    return signature === undefined ? { image, transport } : { image, transport, signature };
}

/** bootc's ImageReference back to the ostree-ext form (the way the page's bootc parser writes it). */
export function ostreeImageRef(img) {
    const sig = img.signature;
    if (sig === undefined || sig === null || sig === 'insecure')
        return img.transport === 'registry' ? `ostree-unverified-registry:${img.image}` : `ostree-unverified-image:${img.transport}:${img.image}`;
    if (sig === 'containerPolicy') return `ostree-image-signed:${img.transport}:${img.image}`;
    return `ostree-remote-image:${sig.ostreeRemote}:${img.transport}:${img.image}`;
}

/** "quay.io/x/y:1" -> { name: "quay.io/x/y", tag: "1" } (tag "latest" when none; a digest stays in the name). */
export function imageNameTag(image) {
    const slash = image.lastIndexOf('/');
    const colon = image.lastIndexOf(':');
    if (colon > slash && !image.includes('@')) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
    return { name: image, tag: 'latest' };
}

/** Origin file content: ostree's keyfile ([origin] refspec= or container-image-reference=). */
export function originFile(d, extra) {
    // Format: the origin keyfiles of rpm-ostree's rust/src/origin.rs tests ([origin] refspec=,
    // [packages] requested=a;b;, [libostree-transient] pinned=true) and bootc's
    // origin_from_imageref() (container-image-reference=). Local overrides are left out: the
    // origin keeps them as sha256:nevra and the recordings have no sha256.
    const o = originOf(d);
    let text = '[origin]\n';
    if (o?.kind === 'image') text += `container-image-reference=${o.ref}\n`;
    else if (o?.kind === 'ref') text += `refspec=${o.refspec}\n`;
    if (extra?.overrideCommit) text += `override-commit=${extra.overrideCommit}\n`;
    const requested = d['requested-packages'] ?? [];
    if (requested.length) text += `\n[packages]\nrequested=${requested.map(p => `${p};`).join('')}\n`;
    if (d.pinned) text += '\n[libostree-transient]\npinned=true\n';
    return text;
}

// ---- kernels --------------------------------------------------------------------------

/** `ostree.linux` of the deployment's commit metadata or of its image's labels. */
export function kernelFromStatus(d) {
    for (const key of ['layered-commit-meta', 'base-commit-meta']) {
        const meta = d[key];
        if (meta && typeof meta['ostree.linux'] === 'string') return meta['ostree.linux'];
    }
    const config = d['base-commit-meta']?.['ostree.container.image-config'];
    if (typeof config === 'string') {
        try {
            const label = JSON.parse(config)?.config?.Labels?.['ostree.linux'];
            if (typeof label === 'string') return label;
        } catch {
            // a broken image config: no kernel
        }
    }
    return null;
}

/** BOOT_IMAGE, kernel, kargs and ostree= of a recorded /proc/cmdline. */
export function parseCmdline(text) {
    const words = text.trim().split(/\s+/).filter(Boolean);
    let bootImage = null;
    let ostree = null;
    const kargs = [];
    for (const w of words) {
        if (w.startsWith('BOOT_IMAGE=')) bootImage = w.slice('BOOT_IMAGE='.length);
        else if (w.startsWith('ostree=')) ostree = w.slice('ostree='.length);
        else kargs.push(w);
    }
    const o = ostree && /^\/ostree\/boot\.(\d)\/([^/]+)\/([0-9a-f]{64})\/(\d+)$/.exec(ostree);
    const b = bootImage && /^(\([^)]*\))?\/ostree\/[^/]+\/vmlinuz-(\S+)$/.exec(bootImage);
    return {
        kargs,
        bootversion: o ? Number(o[1]) : null,
        osname: o ? o[2] : null,
        bootcsum: o ? o[3] : null,
        device: b ? (b[1] ?? '') : null,
        kernel: b ? b[2] : null,
        newline: text.endsWith('\n'),
    };
}

// ---- bootc's JSON <-> the model ------------------------------------------------------------

function isoOrNull(t) {
    return Number.isInteger(t) ? new Date(t * 1000).toISOString().replace(/\.000Z$/, 'Z') : null;
}

/** rpm-ostree's "origin has rpm-ostree stuff": layering or overrides bootc cannot represent. */
function hasClientLayering(d) {
    return ['requested-packages', 'requested-local-packages', 'requested-base-removals', 'requested-base-local-replacements']
        .some(k => Array.isArray(d[k]) && d[k].length > 0);
}

/** The model deployments of a bootc status (order as the page's bootc parser rebuilds it). */
function modelFromBootc(host, osnameHint) {
    const status = host.status ?? {};
    const queued = status.rollbackQueued ?? host.spec?.bootOrder === 'rollback';
    const slots = [['staged', status.staged], ...(queued ? [['rollback', status.rollback], ['booted', status.booted]] : [['booted', status.booted], ['rollback', status.rollback]]),
        ...(status.otherDeployments ?? []).map(e => ['other', e])].filter(([, e]) => e);
    return slots.map(([slot, e]) => {
        const osname = e.ostree?.stateroot ?? osnameHint ?? 'default';
        const checksum = e.ostree?.checksum;
        const serial = e.ostree?.deploySerial ?? 0;
        const d = {
            id: `${osname}-${checksum}.${serial}`, osname, checksum, serial,
            version: e.image?.version ?? null,
            timestamp: e.image?.timestamp ? Math.floor(Date.parse(e.image.timestamp) / 1000) : null,
            pinned: !!e.pinned, booted: slot === 'booted', staged: slot === 'staged',
        };
        if (e.image?.image) {
            d['container-image-reference'] = ostreeImageRef(e.image.image);
            if (e.image.imageDigest) d['container-image-reference-digest'] = e.image.imageDigest;
        }
        return d;
    });
}

/** bootc's `status --json` for the model, keeping what the recording said of each entry. */
export function renderBootc(model, sim) {
    const tpl = sim.bootc ?? { apiVersion: 'org.containers.bootc/v1alpha1', kind: 'BootcHost', metadata: { name: 'host' }, timestampNull: false, entries: {} };
    const deployments = model.deployments;
    const booted = deployments.find(d => d.booted) ?? null;
    const related = deployments.filter(d => !booted || d.osname === booted.osname);
    const staged = related.find(d => d.staged) ?? null;
    const rollback = related.find(d => !d.staged && !d.booted) ?? null;
    const queued = !!(booted && rollback && deployments.indexOf(rollback) < deployments.indexOf(booted));
    const entry = (d) => {
        if (!d) return null;
        const key = `${d.checksum}.${d.serial}`;
        const base = tpl.entries?.[key] ? clone(tpl.entries[key]) : null;
        if (base) {
            base.pinned = !!d.pinned;
            return base;
        }
        const incompatible = hasClientLayering(d);
        const ref = d['container-image-reference'];
        const image = incompatible || !ref ? null : {
            image: bootcImageRef(ref),
            version: d.version ?? null,
            timestamp: tpl.timestampNull ? null : isoOrNull(d.timestamp),
            imageDigest: d['container-image-reference-digest'] ?? null,
        };
        return { image, cachedUpdate: null, incompatible, pinned: !!d.pinned, ostree: { checksum: d.checksum, deploySerial: d.serial } };
    };
    const bootedEntry = entry(booted);
    if (bootedEntry && sim.bootcCachedUpdate !== undefined) bootedEntry.cachedUpdate = sim.bootcCachedUpdate;
    const stagedEntry = entry(staged);
    const specImage = (stagedEntry ?? bootedEntry)?.image?.image ?? null;
    const spec = specImage ? { image: specImage } : {};
    if (queued) spec.bootOrder = 'rollback';
    return {
        apiVersion: tpl.apiVersion,
        kind: tpl.kind,
        metadata: tpl.metadata,
        spec,
        status: {
            staged: stagedEntry,
            booted: bootedEntry,
            rollback: entry(rollback),
            type: bootedEntry?.image ? 'bootcHost' : null,
        },
    };
}

function bootcTemplate(json) {
    const entries = {};
    let timestampNull = false;
    for (const e of [json.status?.staged, json.status?.booted, json.status?.rollback, ...(json.status?.otherDeployments ?? [])]) {
        if (!e?.ostree) continue;
        entries[`${e.ostree.checksum}.${e.ostree.deploySerial ?? 0}`] = e;
        if (e.image && e.image.timestamp === null) timestampNull = true;
    }
    return { apiVersion: json.apiVersion, kind: json.kind, metadata: json.metadata, timestampNull, entries };
}

// ---- the host ----------------------------------------------------------------------

/**
 * The deployments state of one simulated host. `Host.open(ctx)` (ctx: a tool handler's ctx
 * or { stateDir, scenarioDir, rootDir }) returns null when the scenario keeps no state.
 */
export class Host {
    constructor(ctx, info) {
        this.ctx = ctx;
        this.info = info;
        this.scenarioDir = ctx.scenarioDir;
        this.rootDir = ctx.rootDir;
        this.writable = canWrite(info.dir) && canWrite(ctx.scenarioDir);
        this.update = optionalJson(path.join(info.dir, 'update.json'));
        this.commits = optionalJson(path.join(info.dir, 'commits.json')) ?? {};
        this.transactionSpec = optionalJson(path.join(info.dir, 'transaction.json'));
    }

    static open(ctx, { startDaemon = true } = {}) {
        const info = hostInfo(ctx.scenarioDir);
        if (!info) return null;
        const host = new Host(ctx, info);
        host.ensureInitialised(startDaemon);
        if (host.writable) host.reapTransaction();
        return host;
    }

    // -- reading and writing the state file --

    /** { model, sim } from the state file, or the seed when it does not exist yet. */
    read() {
        const text = readOptional(this.info.file);
        return text === null ? this.seed() : this.decode(parseJson(text));
    }

    decode(doc) {
        const sim = doc[SIM_KEY] ?? {};
        const raw = { ...doc };
        delete raw[SIM_KEY];
        if (this.info.truth === 'bootc')
            return { model: { deployments: modelFromBootc(raw, sim.osname), transaction: null, 'cached-update': null }, sim, raw };
        return { model: raw, sim, raw };
    }

    encode({ model, sim }) {
        if (this.info.truth === 'bootc') return printCompact({ ...renderBootc(model, sim), [SIM_KEY]: sim });
        return printJsonGlib({ ...model, [SIM_KEY]: sim });
    }

    /** The first state: the recorded status --json, plus what the recordings say about boot. */
    seed() {
        const rpm = recorded(this.scenarioDir, 'rpm-ostree', [['status', '--json']]);
        const bootc = this.info.hasBootc ? recorded(this.scenarioDir, 'bootc', BOOTC_STATUS_ARGVS) : null;
        const bootcJson = bootc && bootc.exit === 0 ? parseJson(bootc.stdout.toString()) : null;
        const cmdlineText = readOptional(path.join(this.rootDir, 'proc/cmdline'));
        const cmdline = cmdlineText ? parseCmdline(cmdlineText) : null;
        const sim = {
            bootversion: cmdline?.bootversion ?? 0,
            subbootversion: 0,
            deployments: {},
            commits: {},
            cmdline: cmdline ? { device: cmdline.device, newline: cmdline.newline } : null,
            osname: cmdline?.osname ?? null,
        };
        if (bootcJson) sim.bootc = bootcTemplate(bootcJson);
        let model;
        if (this.info.truth === 'rpm-ostree') model = parseJson(rpm.stdout.toString());
        else model = { deployments: modelFromBootc(bootcJson, sim.osname), transaction: null, 'cached-update': null };
        const osrelease = readOptional(path.join(this.rootDir, 'proc/sys/kernel/osrelease'))?.trim() ?? null;
        for (const d of model.deployments) {
            const info = this.commitInfo(d.checksum, sim) ?? {};
            const facts = commitFacts(this, d, sim);
            const extra = { kargs: info.kargs ?? null, bootcsum: null, kernel: kernelFromStatus(d) ?? info.kernel ?? null };
            // the GPU driver state a boot of it brings (README "Per-deployment driver state"): the
            // commit's, else, for the booted one, the scenario's own files ("@scenario")
            extra.gpu = facts.gpu ?? (d.booted ? OWN_GPU_STATE : null);
            if (d.booted) {
                if (cmdline) {
                    extra.kargs = cmdline.kargs;
                    extra.bootcsum = cmdline.bootcsum;
                    extra.kernel = extra.kernel ?? cmdline.kernel;
                }
                extra.kernel = extra.kernel ?? osrelease;
            }
            extra.bootcsum = extra.bootcsum ?? (extra.kernel ? sha256(`aiws-sim bootcsum ${d.osname} ${extra.kernel}`) : sha256(`aiws-sim bootcsum ${d.checksum}`));
            sim.deployments[`${d.checksum}.${d.serial}`] = extra;
        }
        if (this.info.truth === 'bootc') return { model, sim, raw: bootcJson };
        return { model, sim, raw: model };
    }

    /** Create the state file (once; a racing second initialiser reads the first one's). */
    ensureInitialised(startDaemon) {
        if (fs.existsSync(this.info.file) || !this.writable) return;
        const state = this.seed();
        const tmp = path.join(this.info.dir, `.${STATE_FILE}.${process.pid}.${rand()}.init`);
        fs.writeFileSync(tmp, this.encode(state), { mode: 0o644 });
        let created = false;
        try {
            fs.linkSync(tmp, this.info.file);
            created = true;
        } catch (e) {
            if (e.code !== 'EEXIST') throw e;
        } finally {
            fs.unlinkSync(tmp);
        }
        if (!created) return;
        this.syncRoot(state);
        if (this.transactionSpec && startDaemon) this.startExternalTransaction();
    }

    /** Run fn(state) under the state lock on a fresh read; write the result and the root files. */
    mutate(fn) {
        if (!this.writable) throw new Error('the simulated host state is not writable by this user');
        return withLock(path.join(this.scenarioDir, STATE_LOCK), () => {
            const state = this.read();
            const result = fn(state);
            writeAtomic(this.info.file, this.encode(state));
            this.syncRoot(state);
            return result;
        });
    }

    /** A file reference of update.json/commits.json ("@fixtures/…" or relative to their folder). */
    resolveRef(ref) {
        return resolveRef(ref, this.info.dir);
    }

    // -- what the scenario knows about commits --

    /** { version, timestamp, kernel, kargs, packages, digest } of a commit, from the session or the scenario. */
    commitInfo(checksum, sim) {
        const fromSession = sim?.commits?.[checksum];
        const fromScenario = this.commits.commits?.[checksum];
        const u = this.update;
        const fromUpdate = u && (u.checksum === checksum)
            ? { version: u.version, timestamp: u.timestamp, kernel: u.kernel, digest: u.digest, ...Object.fromEntries(['kernels', 'nvidia', 'gpu'].filter(k => u[k] !== undefined).map(k => [k, u[k]])) }
            : null;
        if (!fromSession && !fromScenario && !fromUpdate) return null;
        return { ...(fromUpdate ?? {}), ...(fromScenario ?? {}), ...(fromSession ?? {}) };
    }

    /** The package list of a deployment's commit (its own, else its base's), or []. */
    packagesOf(d, sim) {
        return this.commitInfo(d.checksum, sim)?.packages
            ?? (d['base-checksum'] ? this.commitInfo(d['base-checksum'], sim)?.packages : null)
            ?? [];
    }

    kernelOf(d, sim) {
        return sim.deployments?.[`${d.checksum}.${d.serial}`]?.kernel ?? kernelFromStatus(d) ?? this.commitInfo(d.checksum, sim)?.kernel ?? null;
    }

    // -- the files under the root prefix --

    /**
     * Make the root prefix agree with `state`: ostree/deploy/<os>/deploy/<csum>.<serial>/ and
     * .origin per deployment, ostree/boot.<v> -> boot.<v>.0 with the bootloader's links to the
     * non-staged deployments, run/ostree/staged-deployment while one is staged, ostree/repo/tmp.
     */
    syncRoot({ model, sim }) {
        const root = this.rootDir;
        const mk = (p) => fs.mkdirSync(p, { recursive: true, mode: 0o755 });
        mk(path.join(root, 'ostree/repo/tmp'));
        mk(path.join(root, 'run/ostree'));
        const byOs = new Map();
        for (const d of model.deployments) {
            if (!byOs.has(d.osname)) byOs.set(d.osname, []);
            byOs.get(d.osname).push(d);
        }
        const deployRoot = path.join(root, 'ostree/deploy');
        mk(deployRoot);
        const osnames = new Set([...byOs.keys(), ...fs.readdirSync(deployRoot)]);
        for (const os of osnames) {
            const dir = path.join(deployRoot, os, 'deploy');
            mk(dir);
            mk(path.join(deployRoot, os, 'var'));
            const want = new Map((byOs.get(os) ?? []).map(d => [`${d.checksum}.${d.serial}`, d]));
            for (const name of fs.readdirSync(dir)) {
                const key = name.endsWith('.origin') ? name.slice(0, -'.origin'.length) : name;
                if (!want.has(key) && !name.startsWith('.')) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
            }
            for (const [key, d] of want) {
                mk(path.join(dir, key));
                // the deployment's tree: kernels, NVIDIA module placeholders, os-release
                writeTree(path.join(dir, key), root, treeOf(this, { model, sim }, d), d.version ?? null);
                const origin = originFile(d, sim.deployments?.[key]);
                const file = path.join(dir, `${key}.origin`);
                if (readOptional(file) !== origin) writeAtomic(file, origin);
            }
        }
        // the bootloader's view: non-staged deployments, in order, under boot.<v>.0/<os>/<bootcsum>/<n>
        const v = sim.bootversion ?? 0;
        const bootDir = path.join(root, 'ostree', `boot.${v}.0`);
        const links = new Map();
        const serials = new Map();
        for (const d of model.deployments.filter(x => !x.staged)) {
            const bootcsum = sim.deployments?.[`${d.checksum}.${d.serial}`]?.bootcsum ?? sha256(d.checksum);
            const k = `${d.osname}/${bootcsum}`;
            const n = serials.get(k) ?? 0;
            serials.set(k, n + 1);
            links.set(`${k}/${n}`, `../../../deploy/${d.osname}/deploy/${d.checksum}.${d.serial}`);
        }
        const current = new Map();
        const walk = (dir, rel) => {
            if (!fs.existsSync(dir)) return;
            for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, ent.name);
                const r = rel ? `${rel}/${ent.name}` : ent.name;
                if (ent.isSymbolicLink()) current.set(r, fs.readlinkSync(p));
                else if (ent.isDirectory()) walk(p, r);
            }
        };
        walk(bootDir, '');
        const same = current.size === links.size && [...links].every(([k, t]) => current.get(k) === t);
        if (!same) {
            // build the new tree beside, then swap it in with one rename
            const tmp = path.join(root, 'ostree', `.boot.${v}.0.${process.pid}.${rand()}`);
            for (const [rel, target] of links) {
                mk(path.dirname(path.join(tmp, rel)));
                fs.symlinkSync(target, path.join(tmp, rel));
            }
            mk(tmp);
            fs.rmSync(bootDir, { recursive: true, force: true });
            fs.renameSync(tmp, bootDir);
        }
        const link = path.join(root, 'ostree', `boot.${v}`);
        let target = null;
        try { target = fs.readlinkSync(link) } catch { /* none yet */ }
        if (target !== `boot.${v}.0`) {
            const tmpLink = path.join(root, 'ostree', `.boot.${v}.${process.pid}.${rand()}`);
            fs.symlinkSync(`boot.${v}.0`, tmpLink);
            fs.renameSync(tmpLink, link);
        }
        for (const name of fs.readdirSync(path.join(root, 'ostree'))) {
            if (new RegExp(`^boot\\.${1 - v}(\\.\\d+)?$`).test(name)) fs.rmSync(path.join(root, 'ostree', name), { recursive: true, force: true });
        }
        // rpm-ostree's staged deployment marker. Content: not the real GVariant (no recording of
        // one); the page only watches the file appear and go.
        const stagedFile = path.join(root, 'run/ostree/staged-deployment');
        const staged = model.deployments.find(d => d.staged);
        if (staged) {
            const content = `${JSON.stringify({ osname: staged.osname, checksum: staged.checksum, deployserial: staged.serial })}\n`;
            if (readOptional(stagedFile) !== content) writeAtomic(stagedFile, content);
        } else {
            fs.rmSync(stagedFile, { force: true });
        }
    }

    // -- transactions --

    txnFile() {
        return path.join(this.scenarioDir, TXN_FILE);
    }

    /** The running transaction (the txn file's content), or null. Stale ones count as ended. */
    transaction() {
        const text = readOptional(this.txnFile());
        if (text === null) return null;
        let t;
        try {
            t = JSON.parse(text);
        } catch {
            return null;
        }
        if (t.pid !== undefined && !pidAlive(t.pid)) return null;
        return t;
    }

    /** rpm-ostree's status --json "transaction": [method, sender, object path] of a visible one. */
    transactionTuple() {
        const t = this.transaction();
        return t && t.visible !== false ? [t.method, t.sender, t.path] : null;
    }

    objectPath(osname) {
        return `${DBUS_BASE}/${String(osname ?? '').replace(/[^A-Za-z0-9_]/g, '_')}`;
    }

    /**
     * Start a transaction: { ok: true, txn } or { ok: false, running } when another one runs.
     * `visible: false` (bootc's own operations) are not rpm-ostree transactions.
     */
    beginTransaction({ title, method, visible = true, kind = 'cli', extra = {} }) {
        const booted = this.read().model.deployments.find(d => d.booted);
        const txn = {
            id: rand(), kind, visible, title, method,
            sender: `:1.${100 + (process.pid % 9000)}`,
            path: this.objectPath(booted?.osname),
            pid: process.pid, started: Date.now(), ...extra,
        };
        const file = this.txnFile();
        const tmp = `${file}.${process.pid}.${rand()}.new`;
        fs.writeFileSync(tmp, `${JSON.stringify(txn)}\n`, { mode: 0o644 });
        try {
            for (let tries = 0; tries < 3; tries++) {
                try {
                    fs.linkSync(tmp, file);
                    return { ok: true, txn };
                } catch (e) {
                    if (e.code !== 'EEXIST') throw e;
                    const running = this.transaction();
                    if (running) return { ok: false, running };
                    this.removeStaleTransaction();
                }
            }
            return { ok: false, running: this.transaction() };
        } finally {
            fs.unlinkSync(tmp);
        }
    }

    /** Drop the txn file if it (still) is this transaction's. */
    endTransaction(txn) {
        const text = readOptional(this.txnFile());
        if (text === null) return;
        try {
            if (JSON.parse(text).id !== txn.id) return;
        } catch {
            return;
        }
        fs.rmSync(this.txnFile(), { force: true });
        const cancel = readOptional(path.join(this.scenarioDir, CANCEL_FILE));
        if (cancel !== null && cancel.trim() === txn.id) fs.rmSync(path.join(this.scenarioDir, CANCEL_FILE), { force: true });
    }

    /** Has someone run `rpm-ostree cancel` on `txn`, or did it vanish (a reboot)? */
    cancelled(txn) {
        const cancel = readOptional(path.join(this.scenarioDir, CANCEL_FILE));
        if (cancel !== null && cancel.trim() === txn.id) return true;
        const text = readOptional(this.txnFile());
        if (text === null) return true;
        try {
            return JSON.parse(text).id !== txn.id;
        } catch {
            return false;
        }
    }

    requestCancel(txn) {
        writeAtomic(path.join(this.scenarioDir, CANCEL_FILE), `${txn.id}\n`);
    }

    removeStaleTransaction() {
        const text = readOptional(this.txnFile());
        if (text === null) return;
        let t = null;
        try { t = JSON.parse(text) } catch { /* garbage: stale */ }
        if (t && t.pid !== undefined && pidAlive(t.pid)) return;
        fs.rmSync(this.txnFile(), { force: true });
    }

    /**
     * A writer's housekeeping at every invocation: a transaction whose process died is gone
     * (an external one whose time is up gets its `then` applied first, as its daemon would have).
     */
    reapTransaction() {
        const text = readOptional(this.txnFile());
        if (text === null) return;
        let t;
        try { t = JSON.parse(text) } catch { return }
        if (t.pid === undefined || pidAlive(t.pid)) return;
        if (t.kind === 'external' && Date.now() >= t.endsAt && !this.cancelled(t)) {
            try {
                applyThen(this, t.then);
            } finally {
                this.endTransaction(t);
            }
            return;
        }
        this.removeStaleTransaction();
    }

    /** The scenario's transaction.json: a detached daemon runs it (deployments-daemon.mjs). */
    startExternalTransaction() {
        const child = spawn(process.execPath, [DAEMON_SCRIPT, this.ctx.stateDir], {
            detached: true, stdio: 'ignore', env: { ...process.env },
        });
        child.unref();
        // the status this invocation prints must already show it
        for (let waited = 0; waited < 5000 && readOptional(this.txnFile()) === null; waited += 10) {
            if (child.exitCode !== null) break;
            sleepSync(10);
        }
    }

    // -- staging --

    /** The update this host can get, or null (no update.json). */
    availableUpdate() {
        return this.update && typeof this.update.checksum === 'string' ? this.update : null;
    }
}

/** A short mutual exclusion between processes: link(2) of a file naming the holder. */
export function withLock(lock, fn) {
    const tmp = `${lock}.${process.pid}.${rand()}`;
    fs.writeFileSync(tmp, String(process.pid));
    const deadline = Date.now() + 10000;
    try {
        for (;;) {
            try {
                fs.linkSync(tmp, lock);
                break;
            } catch (e) {
                if (e.code !== 'EEXIST') throw e;
                const owner = Number(readOptional(lock));
                if (owner && !pidAlive(owner)) {
                    fs.rmSync(lock, { force: true });
                    continue;
                }
                if (Date.now() > deadline) throw new Error(`${lock} held for too long by pid ${owner}`);
                sleepSync(5);
            }
        }
    } finally {
        fs.rmSync(tmp, { force: true });
    }
    try {
        return fn();
    } finally {
        fs.rmSync(lock, { force: true });
    }
}

// ---- model operations (pure on { model, sim }) ----------------------------------------------

export function bootedOf(model) {
    return model.deployments.find(d => d.booted) ?? null;
}

/**
 * ostree_sysroot_query_deployments_for(): among the booted stateroot's deployments, the first
 * before the booted one (pending) and the first after it (rollback).
 */
export function neighbours(model) {
    const list = model.deployments;
    const booted = bootedOf(model);
    if (!booted) return null;
    const bi = list.indexOf(booted);
    const related = list.map((d, i) => [d, i]).filter(([d]) => d.osname === booted.osname);
    return {
        booted,
        pending: related.find(([, i]) => i < bi)?.[0],
        rollback: related.find(([, i]) => i > bi)?.[0],
        staged: list.find(d => d.staged),
    };
}

/** The deployment `deploy`/`upgrade` build on: the default of the booted stateroot (rpm-ostree's merge deployment). */
export function mergeDeployment(model) {
    const booted = bootedOf(model);
    return model.deployments.find(d => !booted || d.osname === booted.osname) ?? booted;
}

function nextSerial(model, osname, checksum) {
    const serials = model.deployments.filter(d => d.osname === osname && d.checksum === checksum).map(d => d.serial);
    return serials.length ? Math.max(...serials) + 1 : 0;
}

/**
 * Stage a new deployment on top (rpm-ostree's upgrade/deploy/rebase and bootc's upgrade/switch
 * with a booted system: staged, finalised at shutdown). target: { checksum, version, timestamp,
 * kernel, digest, packages } of the commit (for a layered deployment: its base commit); origin:
 * { kind: 'ref', refspec } | { kind: 'image', ref }. Layered packages and overrides come from
 * the merge deployment. An earlier staged deployment is replaced. Returns the new deployment.
 */
export function stage(host, state, target, origin, { overrideCommit = null, kargs = null, tree = null, layered: forceLayered, recordBase = true } = {}) {
    const { model, sim } = state;
    const merge = mergeDeployment(model);
    const booted = bootedOf(model);
    const osname = merge.osname;
    // layered: a client-side commit on top of the base (packages or overrides); the caller knows
    // best when it changes them (override replace/reset)
    const layered = forceLayered ?? (hasClientLayering(merge) || Array.isArray(merge.packages) && merge.packages.length > 0);
    // a client-side layered commit on top of the new base: its checksum is derived (the real one
    // would be computed by rpm-ostree from the tree it assembles)
    const checksum = layered
        ? (target.layeredChecksum ?? sha256(`aiws-sim layered ${target.checksum} ${(merge['requested-packages'] ?? []).join(',')} ${(merge['requested-base-local-replacements'] ?? []).join(',')}`))
        : target.checksum;
    const withoutStaged = model.deployments.filter(d => !d.staged);
    const serial = nextSerial({ deployments: withoutStaged }, osname, checksum);
    const d = clone(merge);
    for (const k of ['pending-base-checksum', 'pending-base-version', 'pending-base-timestamp', 'signatures', 'live-replaced', 'live-inprogress', 'finalization-locked', 'custom-origin'])
        delete d[k];
    Object.assign(d, {
        id: `${osname}-${checksum}.${serial}`, checksum, serial,
        version: target.version ?? null, timestamp: target.timestamp ?? null,
        booted: false, staged: true, pinned: false,
    });
    if (d.version === null) delete d.version;
    if (origin.kind === 'image') {
        delete d.origin;
        d['container-image-reference'] = origin.ref;
        if (target.digest) d['container-image-reference-digest'] = target.digest;
    } else {
        delete d['container-image-reference'];
        delete d['container-image-reference-digest'];
        d.origin = origin.refspec;
    }
    if (layered) {
        d['base-checksum'] = target.checksum;
        if (target.version !== undefined) d['base-version'] = target.version;
        if (target.timestamp !== undefined) d['base-timestamp'] = target.timestamp;
    } else {
        for (const k of ['base-checksum', 'base-version', 'base-timestamp', 'layered-commit-meta']) delete d[k];
    }
    const meta = d['base-commit-meta'];
    if (meta && typeof meta === 'object') {
        if (target.version !== undefined && 'version' in meta) meta.version = target.version;
        if (typeof meta['ostree.container.image-config'] === 'string') {
            try {
                const config = JSON.parse(meta['ostree.container.image-config']);
                const labels = config?.config?.Labels;
                if (labels) {
                    if (target.kernel) labels['ostree.linux'] = target.kernel;
                    if (target.version) labels['org.opencontainers.image.version'] = target.version;
                    if (target.checksum) labels['ostree.commit'] = target.checksum;
                }
                meta['ostree.container.image-config'] = JSON.stringify(config);
            } catch {
                // leave a broken image config alone
            }
            if (target.digest) meta['ostree.manifest-digest'] = target.digest;
        } else if (target.kernel) {
            meta['ostree.linux'] = target.kernel;
        }
    }
    if (d['layered-commit-meta'] && target.version !== undefined) d['layered-commit-meta'].version = target.version;
    model.deployments = [d, ...withoutStaged];
    const mergeExtra = sim.deployments?.[`${merge.checksum}.${merge.serial}`] ?? {};
    const kernel = target.kernel ?? host.kernelOf(merge, sim);
    // the same commit again (kargs, a redeploy): it brings the same driver state
    const sameCommit = [merge.checksum, merge['base-checksum']].includes(target.checksum) || checksum === merge.checksum;
    sim.deployments = sim.deployments ?? {};
    sim.deployments[`${checksum}.${serial}`] = {
        kargs: kargs ?? mergeExtra.kargs ?? null,
        bootcsum: kernel && kernel === host.kernelOf(merge, sim) && mergeExtra.bootcsum ? mergeExtra.bootcsum : sha256(`aiws-sim bootcsum ${osname} ${kernel ?? checksum}`),
        kernel: kernel ?? null,
        gpu: target.gpu !== undefined ? target.gpu : (sameCommit ? mergeExtra.gpu ?? null : null),
        ...(overrideCommit ? { overrideCommit } : {}),
        ...(tree ? { tree } : {}),
    };
    sim.commits = sim.commits ?? {};
    const packages = target.packages ?? host.packagesOf(booted ?? merge, sim);
    // what the commit carries (README "Kernels and NVIDIA modules per deployment"): the target's
    // facts, else (the same commit again) the merge deployment's
    const facts = {};
    const mergeFacts = sameCommit ? commitFacts(host, merge, sim) : {};
    for (const k of ['kernels', 'nvidia', 'gpu']) {
        if (target[k] !== undefined) facts[k] = target[k];
        else if (mergeFacts[k] !== undefined) facts[k] = mergeFacts[k];
    }
    sim.commits[checksum] = { version: target.version ?? null, timestamp: target.timestamp ?? null, kernel: kernel ?? null, packages, ...facts };
    if (checksum !== target.checksum && recordBase)
        sim.commits[target.checksum] = { version: target.version ?? null, timestamp: target.timestamp ?? null, kernel: kernel ?? null, packages, ...facts };
    return d;
}

/** The commit an update.json stands for, with its package list worked out from the booted one. */
export function updateTarget(host, state) {
    const u = host.availableUpdate();
    if (!u) return null;
    const booted = bootedOf(state.model);
    return {
        checksum: u.checksum, layeredChecksum: u.layeredChecksum, version: u.version, timestamp: u.timestamp,
        kernel: u.kernel, digest: u.digest,
        packages: applyPackageChanges(booted ? host.packagesOf(booted, state.sim) : [], u.packages),
        ...Object.fromEntries(['kernels', 'nvidia', 'gpu'].filter(k => u[k] !== undefined).map(k => [k, u[k]])),
    };
}

/** Is the update already what the merge deployment (or the booted one) carries? */
export function updateIsCurrent(host, state, against) {
    const u = host.availableUpdate();
    if (!u || !against) return !u;
    return [against.checksum, against['base-checksum']].includes(u.checksum)
        || (u.digest && against['container-image-reference-digest'] === u.digest);
}

/** What a scenario transaction does when it ends by itself ("then" of transaction.json). */
export function applyThen(host, then) {
    if (!then || then === 'nothing') return;
    if (then !== 'stage-update') throw new Error(`transaction.json: unknown "then" ${JSON.stringify(then)} (stage-update or nothing)`);
    host.mutate((state) => {
        const target = updateTarget(host, state);
        const merge = mergeDeployment(state.model);
        if (!target || updateIsCurrent(host, state, merge)) return;
        stage(host, state, target, originOf(merge));
    });
}

/**
 * systemctl reboot: the staged deployment is finalised (written first to the bootloader,
 * bootversion flips) or, without one, the default (position 0) boots. ostree's finalisation
 * keeps the new deployment, the previously booted one, pinned ones and other stateroots, and
 * drops the rest of the stateroot (the old rollback). Returns the new booted deployment.
 */
export function reboot(host, state) {
    const { model, sim } = state;
    const list = model.deployments;
    const staged = list.find(d => d.staged);
    const oldBooted = bootedOf(model);
    let next;
    if (staged) {
        staged.staged = false;
        const osname = staged.osname;
        const keep = list.filter(d => d === staged || d === oldBooted || d.pinned || d.osname !== osname);
        model.deployments = [staged, ...keep.filter(d => d !== staged)];
        sim.bootversion = 1 - (sim.bootversion ?? 0);
        next = staged;
    } else {
        next = list[0];
    }
    for (const d of model.deployments) d.booted = d === next;
    for (const d of model.deployments) {
        if (d === next) {
            // what the old booted deployment knew as a pending base is now simply booted
            delete d['pending-base-checksum'];
            delete d['pending-base-version'];
            delete d['pending-base-timestamp'];
        }
    }
    if ('cached-update' in model) model['cached-update'] = null;
    delete sim.bootcCachedUpdate;
    for (const key of Object.keys(sim.deployments ?? {}))
        if (!model.deployments.some(d => `${d.checksum}.${d.serial}` === key)) delete sim.deployments[key];
    return next;
}

/** The running system's files after a reboot into `d`: osrelease and /proc/cmdline where known. */
export function writeBootedProcFiles(host, state, d) {
    const { sim } = state;
    const extra = sim.deployments?.[`${d.checksum}.${d.serial}`] ?? {};
    const kernel = host.kernelOf(d, sim);
    if (kernel) writeAtomic(path.join(host.rootDir, 'proc/sys/kernel/osrelease'), `${kernel}\n`);
    if (sim.cmdline && kernel && extra.kargs && extra.bootcsum) {
        const line = [`BOOT_IMAGE=${sim.cmdline.device ?? ''}/ostree/${d.osname}-${extra.bootcsum}/vmlinuz-${kernel}`,
            ...extra.kargs, `ostree=/ostree/boot.${sim.bootversion ?? 0}/${d.osname}/${extra.bootcsum}/${bootSerial(state.model, sim, d)}`].join(' ');
        writeAtomic(path.join(host.rootDir, 'proc/cmdline'), sim.cmdline.newline ? `${line}\n` : line);
    }
}

/** The n of ostree=/ostree/boot.V/<os>/<bootcsum>/<n>: its place among same-bootcsum entries. */
export function bootSerial(model, sim, d) {
    const key = (x) => `${x.osname}/${sim.deployments?.[`${x.checksum}.${x.serial}`]?.bootcsum}`;
    const same = model.deployments.filter(x => !x.staged && key(x) === key(d));
    return Math.max(0, same.indexOf(d));
}
