// The kernel verbs of the simulated rpm-ostree (tools/rpm-ostree.mjs calls these):
//   kargs --append=… --delete=… --replace=… (--append-if-missing, --delete-if-present,
//         --unchanged-exit-77; "--opt=V" or "--opt V", any number): one KernelArgs transaction
//         staging the default deployment's commit again with the changed arguments
//   override replace <rpm file | http(s) URL>…: stage the default deployment with those packages
//         replacing the base's (local replacements), the kernel the replacement's
//   override reset <name | nevra>… | --all: stage it without them
// See README "Kernel arguments" and "Overrides". `cli` is rpm-ostree.mjs's { transaction,
// notAllowed, diffToDefault }.

import fs from 'node:fs';
import path from 'node:path';
import { mergeDeployment, neighbours, originOf, sha256, stage } from './deployments-state.mjs';
import { commitFacts, treeOf } from './deployment-trees.mjs';
import { applyKargs, KargsError } from './kargs.mjs';
import { parseNevra } from './deployments-packages.mjs';
import { hostPath } from './host-paths.mjs';
import { result, step } from './deployments-cli.mjs';

// test/fixtures/rpm-ostree/upgrade-success-added-rhel8-edge-rhdeworkshop.txt and the staged kargs
// recording kargs-cmdline/rpm-ostree-kargs-append-staged-rhcos46-rpmostree2159.txt
const STAGING = 'Staging deployment... done\n';
const RUN_REBOOT = 'Run "systemctl reboot" to start a reboot\n';
// rpmostree_builtin_kargs(): printed when a new default deployment exists (src/app/
// rpmostree-builtin-kargs.cxx); recorded in kargs-cmdline/rpm-ostree-ex-kargs-append-fah27-atomicsite.txt
const KARGS_UPDATED = 'Kernel arguments updated.\nRun "systemctl reboot" to start a reboot\n';
// rpmostree_builtin_kargs(): checked before the daemon is asked (not recorded)
const DELETE_AND_REPLACE = 'error: Cannot specify both --delete and --replace\n';
// test/fixtures/rpm-ostree/override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt
// and override-remove-tail-trimmed-bazzite-rpmostree5625.txt
const USE_RESET = 'Use "rpm-ostree override reset" to undo overrides\n';
const EXIT_UNCHANGED = 77;

// ---- kargs -------------------------------------------------------------------------------

const KARGS_VALUE_OPTS = {
    '--append': 'append', '--replace': 'replace', '--delete': 'delete',
    '--append-if-missing': 'appendIfMissing', '--delete-if-present': 'deleteIfPresent',
};

/** GOption parsing of a kargs change: { ops, unchangedExit77 }, or null (display, or an option not simulated). */
export function parseKargsArgs(rest) {
    const ops = { append: [], replace: [], delete: [], appendIfMissing: [], deleteIfPresent: [] };
    let unchangedExit77 = false;
    let any = false;
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (a === '--unchanged-exit-77') { unchangedExit77 = true; continue }
        const eq = a.indexOf('=');
        const name = eq < 0 ? a : a.slice(0, eq);
        const key = KARGS_VALUE_OPTS[name];
        if (!key) return null;
        let value;
        if (eq >= 0) value = a.slice(eq + 1);
        else if (i + 1 < rest.length) value = rest[++i];
        else return null;
        ops[key].push(value);
        any = true;
    }
    return any ? { ops, unchangedExit77 } : null;
}

/** The commit a deployment carries, as a stage() target: the same commit deployed again. */
function sameCommitTarget(host, state, d) {
    const facts = commitFacts(host, d, state.sim);
    return {
        checksum: d['base-checksum'] ?? d.checksum,
        layeredChecksum: d['base-checksum'] ? d.checksum : undefined,
        version: d['base-version'] ?? d.version,
        timestamp: d['base-timestamp'] ?? d.timestamp,
        kernel: host.kernelOf(d, state.sim) ?? undefined,
        digest: d['container-image-reference-digest'],
        packages: host.packagesOf(d, state.sim),
        ...Object.fromEntries(['kernels', 'nvidia'].filter(k => facts[k] !== undefined).map(k => [k, facts[k]])),
    };
}

export async function kargsChange(ctx, host, argv, { ops, unchangedExit77 }, cli) {
    if (ops.delete.length && ops.replace.length) return result('', DELETE_AND_REPLACE, 1);
    const state = host.read();
    const n = neighbours(state.model);
    const shown = n ? (n.pending ?? n.booted) : null;
    const old = shown ? state.sim.deployments?.[`${shown.checksum}.${shown.serial}`]?.kargs : null;
    if (!old) return null; // the scenario does not know this deployment's arguments: no recording
    if (!ctx.admin) return cli.notAllowed('KernelArgs');
    return cli.transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'KernelArgs' }, async (txn) => {
        let next;
        try {
            next = applyKargs(old, ops);
        } catch (e) {
            if (e instanceof KargsError) return result('', `error: ${e.message}\n`, 1);
            throw e;
        }
        await step(ctx, host, txn, 400);
        // nothing changed: no new deployment, nothing printed (end of rpmostree_builtin_kargs;
        // --unchanged-exit-77 then exits 77)
        if (next.length === old.length && next.every((a, i) => a === old[i]))
            return result('', '', unchangedExit77 ? EXIT_UNCHANGED : 0);
        await step(ctx, host, txn, 400);
        ctx.write(STAGING);
        host.mutate((s) => {
            const merge = mergeDeployment(s.model);
            stage(host, s, sameCommitTarget(host, s, merge), originOf(merge), { kargs: next });
        });
        return result(KARGS_UPDATED, '', 0);
    });
}

// ---- overrides ----------------------------------------------------------------------------

/** The scenario's repo.json: the package URLs its repositories answer ({ urls: [] } when none). */
function repoUrls(host) {
    const file = path.join(host.info.dir, 'repo.json');
    if (!fs.existsSync(file)) return [];
    return JSON.parse(fs.readFileSync(file, 'utf8')).urls ?? [];
}

const isHttp = (a) => a.startsWith('https://') || a.startsWith('http://');

/** "kernel-core-6.8.9-300.fc40.x86_64.rpm" (or its URL) -> the parsed NEVRA, or null. */
function nevraOfFile(arg) {
    const base = decodeURIComponent(arg.split('/').pop() ?? '').replace(/\.rpm$/, '');
    return parseNevra(base);
}

/**
 * The client's part (rust/src/client.rs client_handle_fd_argument(), not recorded): a URL is
 * downloaded ("Downloading URL...done", utils.rs download_urls_to_tmpfiles()), a path opened.
 * Returns { packages: [parsed NEVRA] } or { answer } (an error, printed as it would be).
 */
function fetchPackages(ctx, host, args) {
    const urls = repoUrls(host);
    const packages = [];
    for (const arg of args) {
        if (arg.endsWith('.src.rpm'))
            return { answer: result('', `error: Handling argument ${arg}: ${arg} appears to be a source RPM which are not usually intended to be installed\n`, 1) };
        if (isHttp(arg)) {
            ctx.write(`Downloading ${arg}...`);
            if (!urls.includes(arg)) {
                // curl-rust's Display of CURLE_HTTP_RETURNED_ERROR for a 404 (fail_on_error); the
                // "[28] Timeout was reached" of the recorded pull timeout is the same form
                ctx.write('failed\n');
                return { answer: result('', `error: Handling argument ${arg}: [22] HTTP response code said error (The requested URL returned error: 404)\n`, 1) };
            }
            ctx.write('done\n');
        } else if (arg.endsWith('.rpm') || arg.startsWith('file://')) {
            const file = hostPath(ctx.rootDir, arg.replace(/^file:\/\//, ''));
            if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile())
                return { answer: result('', `error: Handling argument ${arg}: No such file or directory (os error 2)\n`, 1) };
        } else {
            return { answer: null }; // a package name from a repository (--experimental --from): not simulated
        }
        const p = nevraOfFile(arg);
        if (!p) return { answer: result('', `simulated rpm-ostree: cannot tell the package of ${JSON.stringify(arg)} (the simulator reads it from a N-V-R.A.rpm file name)\n`, 64) };
        packages.push(p);
    }
    return { packages };
}

/** A base package as rpm-ostree's status pairs print it: [nevra, name, epoch, version, release, arch]. */
function pkgTuple(p) {
    return [`${p.name}-${p.version}-${p.release}.${p.arch}`, p.name, p.epoch, p.version, p.release, p.arch];
}

function tupleNevra(t) {
    return parseNevra(t[0]);
}

/** The kernel release a set of kernel packages carries (kernel-core's, else kernel's). */
function kernelRelease(packages) {
    const k = packages.find(p => p.name === 'kernel-core') ?? packages.find(p => p.name === 'kernel');
    return k ? `${k.version}-${k.release}.${k.arch}` : null;
}

/** What the base commit of merge carries (before any override of this session). */
function baseFactsOf(host, state, merge) {
    const extra = state.sim.deployments?.[`${merge.checksum}.${merge.serial}`] ?? {};
    if (extra.baseFacts) return extra.baseFacts;
    // a scenario's commit with overrides says what its base carries ("base" in commits.json)
    const declared = host.commitInfo(merge.checksum, state.sim)?.base;
    const facts = commitFacts(host, merge, state.sim);
    const tree = treeOf(host, state, merge);
    // the base's package list: the deployment's with its replacements undone
    const pairs = merge['base-local-replacements'] ?? [];
    const replacedNames = new Set(pairs.map(pr => tupleNevra(pr[0])?.name));
    const packages = [...host.packagesOf(merge, state.sim).filter(n => !replacedNames.has(parseNevra(n)?.name)),
        ...pairs.map(pr => pr[1][0])].sort();
    if (declared) {
        return {
            kernel: declared.kernel, kernels: declared.kernels ?? [declared.kernel], nvidia: declared.nvidia ?? null,
            gpu: declared.gpu ?? null, packages: declared.packages ?? packages,
        };
    }
    return { kernel: tree.kernel, kernels: tree.kernels, nvidia: facts.nvidia ?? null, gpu: facts.gpu ?? extra.gpu ?? null, packages };
}

/** The deployment the override leaves: stage() it, then write its override fields. */
function stageOverrides(host, s, merge, { pairs, requested, packages, kernel, baseFacts }) {
    const base = merge['base-checksum'] ?? merge.checksum;
    const layered = pairs.length > 0 || (merge['requested-packages'] ?? []).length > 0 || (merge.packages ?? []).length > 0
        || (merge['requested-local-packages'] ?? []).length > 0 || (merge['requested-base-removals'] ?? []).length > 0;
    const backToBase = kernel === baseFacts.kernel;
    const tree = backToBase
        ? { kernel: baseFacts.kernel, kernels: baseFacts.kernels, nvidia: baseFacts.nvidia }
        // the base's NVIDIA modules stay where they are (their package is not replaced): a
        // prebuilt module for the old kernel is left behind in its folder
        : { kernel, kernels: [kernel], nvidia: treeOf(host, s, merge).modules };
    const target = {
        checksum: base,
        layeredChecksum: layered ? sha256(`aiws-sim layered ${base} ${(merge['requested-packages'] ?? []).join(',')} ${requested.join(',')}`) : undefined,
        version: merge['base-version'] ?? merge.version,
        timestamp: merge['base-timestamp'] ?? merge.timestamp,
        kernel,
        digest: merge['container-image-reference-digest'],
        packages,
        gpu: backToBase ? baseFacts.gpu ?? null : null,
    };
    // the base commit's own facts stay as they are (recordBase: false)
    const d = stage(host, s, target, originOf(merge), { tree, layered, recordBase: false });
    d['requested-base-local-replacements'] = requested;
    d['base-local-replacements'] = pairs;
    if (d['layered-commit-meta']) {
        d['layered-commit-meta']['rpmostree.replaced-base-packages'] = pairs;
        if (kernel) d['layered-commit-meta']['ostree.linux'] = kernel;
    } else if (layered) {
        // as in the recorded layered commit of puptoo-silverblue33-layered-override-replace.json
        d['layered-commit-meta'] = { 'rpmostree.clientlayer': true, 'rpmostree.replaced-base-packages': pairs, ...(kernel ? { 'ostree.linux': kernel } : {}) };
    }
    // the base commit keeps its own kernel (stage() wrote the target's into its metadata)
    const meta = d['base-commit-meta'];
    if (meta && typeof meta === 'object' && typeof meta['ostree.container.image-config'] === 'string') {
        try {
            const config = JSON.parse(meta['ostree.container.image-config']);
            const labels = config?.config?.Labels;
            if (labels && baseFacts.kernel) {
                labels['ostree.linux'] = baseFacts.kernel;
                meta['ostree.container.image-config'] = JSON.stringify(config);
            }
        } catch {
            // a broken image config stays as it is
        }
    } else if (meta && typeof meta === 'object') {
        if (baseFacts.kernel) meta['ostree.linux'] = baseFacts.kernel;
        else delete meta['ostree.linux'];
    }
    s.sim.deployments[`${d.checksum}.${d.serial}`].baseFacts = baseFacts;
    return d;
}

/**
 * The daemon's steps, as the recorded kernel override printed them
 * (override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt) without its
 * "Enabled rpm-md repositories"/"rpm-md repo" lines (this host's repositories are not recorded).
 */
async function overrideSteps(ctx, host, txn, merge, nOverrides) {
    ctx.write(`Checking out tree ${(merge['base-checksum'] ?? merge.checksum).slice(0, 7)}... done\n`);
    await step(ctx, host, txn, 200);
    ctx.write('Resolving dependencies... done\n');
    if (nOverrides > 0) ctx.write(`Applying ${nOverrides} overrides\n`);
    for (const s of ['Processing packages', 'Running pre scripts', 'Running post scripts', 'Running posttrans scripts', 'Writing rpmdb', 'Generating initramfs', 'Writing OSTree commit']) {
        await step(ctx, host, txn, 100);
        ctx.write(`${s}... done\n`);
    }
}

export async function overrideReplace(ctx, host, argv, args, cli) {
    const fetched = fetchPackages(ctx, host, args);
    if (fetched.answer !== undefined) return fetched.answer;
    if (!ctx.admin) return cli.notAllowed('UpdateDeployment');
    return cli.transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'UpdateDeployment' }, async (txn) => {
        const state = host.read();
        const merge = mergeDeployment(state.model);
        const baseFacts = baseFactsOf(host, state, merge);
        const current = host.packagesOf(merge, state.sim).map(parseNevra).filter(Boolean);
        const oldPairs = merge['base-local-replacements'] ?? [];
        const names = new Set(fetched.packages.map(p => p.name));
        const pairs = oldPairs.filter(pr => !names.has(tupleNevra(pr[0])?.name));
        for (const p of fetched.packages) {
            const earlier = oldPairs.find(pr => tupleNevra(pr[0])?.name === p.name);
            let old = earlier ? tupleNevra(earlier[1]) : current.find(c => c.name === p.name);
            if (!old && /^kernel(-|$)/.test(p.name) && baseFacts.kernel) {
                // the kernel subpackages share the kernel's version (the commits' package lists are partial)
                old = parseNevra(`${p.name}-${baseFacts.kernel}`);
            }
            if (!old) return result('', `simulated rpm-ostree: ${p.name} is not in the scenario's package list of the base commit\n`, 64);
            pairs.push([pkgTuple(p), pkgTuple(old)]);
        }
        const requested = [...(merge['requested-base-local-replacements'] ?? []).filter(n => !names.has(parseNevra(n)?.name)), ...fetched.packages.map(p => p.nevra)].sort();
        const packages = [...current.filter(c => !names.has(c.name)).map(c => c.nevra), ...fetched.packages.map(p => p.nevra)].sort();
        const replacedKernel = kernelRelease(fetched.packages);
        const kernel = replacedKernel ?? host.kernelOf(merge, state.sim);
        await overrideSteps(ctx, host, txn, merge, pairs.length + (merge['requested-base-removals'] ?? []).length);
        await step(ctx, host, txn, 200);
        ctx.write(STAGING);
        const diff = host.mutate((s) => {
            stageOverrides(host, s, mergeDeployment(s.model), { pairs, requested, packages, kernel, baseFacts });
            return cli.diffToDefault(host, s);
        });
        return result(`${diff}${USE_RESET}${RUN_REBOOT}`, '', 0);
    });
}

export async function overrideReset(ctx, host, argv, args, cli) {
    const all = args.includes('--all') || args.includes('-a');
    const names = args.filter(a => a !== '--all' && a !== '-a');
    if (names.some(a => a.startsWith('-')) || (!all && names.length === 0)) return null;
    if (!ctx.admin) return cli.notAllowed('UpdateDeployment');
    return cli.transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'UpdateDeployment' }, async (txn) => {
        const state = host.read();
        const merge = mergeDeployment(state.model);
        const oldPairs = merge['base-local-replacements'] ?? [];
        const requested = merge['requested-base-local-replacements'] ?? [];
        let drop;
        if (all) {
            drop = requested;
        } else {
            drop = [];
            for (const n of names) {
                const hit = requested.find(r => r === n || parseNevra(r)?.name === n);
                // rpmostreed-transaction-types.cxx (deploy_transaction_execute), not recorded
                if (!hit) return result('', `error: No overrides for package '${n}'\n`, 1);
                drop.push(hit);
            }
        }
        await step(ctx, host, txn, 300);
        // nothing to reset (--all without overrides): the transaction changes nothing (not recorded)
        if (drop.length === 0) return result('No change.\n', '', 0);
        const dropNames = new Set(drop.map(r => parseNevra(r)?.name));
        const pairs = oldPairs.filter(pr => !dropNames.has(tupleNevra(pr[0])?.name));
        const baseFacts = baseFactsOf(host, state, merge);
        // the base's packages with the replacements that stay
        const keptNames = new Set(pairs.map(pr => tupleNevra(pr[0])?.name));
        const packages = [...baseFacts.packages.filter(n => !keptNames.has(parseNevra(n)?.name)), ...pairs.map(pr => pr[0][0])].sort();
        const kernelReset = [...dropNames].some(n => /^kernel(-|$)/.test(n ?? ''));
        const kernel = kernelReset ? baseFacts.kernel : host.kernelOf(merge, state.sim);
        await overrideSteps(ctx, host, txn, merge, pairs.length);
        await step(ctx, host, txn, 200);
        ctx.write(STAGING);
        const diff = host.mutate((s) => {
            const m = mergeDeployment(s.model);
            const d = stageOverrides(host, s, m, { pairs, requested: requested.filter(r => !drop.includes(r)), packages, kernel, baseFacts });
            if (all) {
                d['requested-base-removals'] = [];
                d['base-removals'] = [];
            }
            return cli.diffToDefault(host, s);
        });
        return result(`${diff}${RUN_REBOOT}`, '', 0);
    });
}
