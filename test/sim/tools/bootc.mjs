// The simulated bootc: `status --json` / `--format=json`, `upgrade [--check]` (alias update),
// `switch IMAGE` and `rollback` on the host's deployments state (test/sim/deployments-state.mjs).
// On a host with rpm-ostree its status is derived from rpm-ostree's state (the same
// deployments, drawn as bootc's staged/booted/rollback slots); on a bootc-only host bootc's
// own JSON is the state. Exact index.json entries win except `status --json`, the seed.
//
// Every bootc command needs root on this bootc (`status` too): bootc's require_root()
// (lib/src/cli.rs) via get_storage(). Recorded in bootc-dev/bootc#409 (2024-03, the era of the
// RHEL 9.4 image-mode recordings): "ERROR Status: Querying root privilege: This command requires
// root privileges". The other verbs print the same chain under their own context
// ("Upgrading", "Switching", "Rollback": the #[context] names in cli.rs; not recorded). bootc
// of that era prefixes errors with "ERROR " (also test/fixtures/bootc/switch-error-unencapsulating-
// bad-message-bluefin-nvidia38-bluefin652.txt); newer ones print "error: ".

import fs from 'node:fs';
import {
    BOOTC_STATUS_ARGVS, Host, bootcImageRef, bootedOf, imageNameTag, indexAnswers, originOf, renderBootc, stage, updateTarget,
} from '../deployments-state.mjs';
import { printCompact } from '../deployments-json.mjs';
import { Cancelled, PullArea, sleep, errorLines, glibSize, mibSize, result, step } from '../deployments-cli.mjs';

const refuse = (context) => result('', `ERROR ${context}: Querying root privilege: This command requires root privileges\n`, 1);

function same(argv, expected) {
    return argv.length === expected.length && argv.every((a, i) => a === expected[i]);
}

/** bootc's ImageReference display ({:#} of spec.image): the image alone for the registry transport. */
function specDisplay(img) {
    return img.transport === 'registry' ? img.image : `${img.transport}:${img.image}`;
}

/** Layer numbers of the update: update.json "layers", else the recorded ones (see below). */
function layersOf(host) {
    // defaults: test/fixtures/bootc/upgrade-check-update-available-fedora-bootc-eln-bootc248.txt
    // (68 layers, 684.5 MB; 2 removed and 2 added, 75.9 MB)
    return { total: 68, totalBytes: 684.5e6, removed: 2, removedBytes: 75.9e6, added: 2, addedBytes: 75.9e6, ...(host.update?.layers ?? {}) };
}

/** ostree-ext's ManifestDiff::print(): the three lines of the recorded `upgrade --check`. */
function manifestDiff(l) {
    const line = (label, n, bytes) => `${label.padEnd(18)}${String(n).padEnd(5)} Size: ${glibSize(bytes)}\n`;
    return line('Total new layers:', l.total, l.totalBytes) + line('Removed layers:', l.removed, l.removedBytes) + line('Added layers:', l.added, l.addedBytes);
}

/** Wait for the sysroot (an rpm-ostree transaction or another bootc holds it), then run fn. */
async function withSysroot(ctx, host, title, fn) {
    for (;;) {
        const begun = host.beginTransaction({ title, method: 'bootc', visible: false, kind: 'bootc' });
        if (begun.ok) {
            const onAbort = () => host.endTransaction(begun.txn);
            ctx.signal.addEventListener('abort', onAbort, { once: true });
            try {
                return await fn(begun.txn);
            } catch (e) {
                if (e instanceof Cancelled) return result('', '', 143);
                throw e;
            } finally {
                ctx.signal.removeEventListener('abort', onAbort);
                host.endTransaction(begun.txn);
            }
        }
        await sleep(ctx, 100);
        if (ctx.signal.aborted) return result('', '', 143);
    }
}

/**
 * The pull and staging lines of test/fixtures/bootc/switch-progress-fcos42-bootc1418.txt
 * ("layers already present: N; layers needed: M (size)", "Fetched layers: … in N seconds
 * (rate)", "  Deploying: done (N seconds)", "Queued for next boot: …", Version, Digest).
 * The numbers come from the update's layers; the seconds from the simulated time.
 */
async function pullAndStage(ctx, host, txn, target, imageRef, context, { failAt = null } = {}) {
    const l = layersOf(host);
    const area = new PullArea(host.rootDir);
    try {
        ctx.write(`layers already present: ${l.total - l.added}; layers needed: ${l.added} (${glibSize(l.addedBytes)})\n`);
        const ticks = 6;
        for (let t = 0; t < ticks; t++) {
            area.object();
            await step(ctx, host, txn, 300);
        }
        if (failAt === 'pull') return failure(host, context);
        const seconds = Math.max(1, Math.round((ticks * 300) / 1000));
        ctx.write(`Fetched layers: ${mibSize(l.addedBytes)} in ${seconds} seconds (${mibSize(l.addedBytes / seconds)}/s)\n`);
        await step(ctx, host, txn, 600);
        if (failAt === 'staging') return failure(host, context);
        ctx.write('  Deploying: done (1 seconds)\n');
    } finally {
        area.remove();
    }
    host.mutate(s => {
        stage(host, s, target, { kind: 'image', ref: imageRef });
        delete s.sim.bootcCachedUpdate;
    });
    const spec = bootcImageRef(imageRef);
    return `Queued for next boot: ${specDisplay(spec)}\n${target.version ? `  Version: ${target.version}\n` : ''}  Digest: ${target.digest}\n`;
}

function failure(host, context) {
    const u = host.update;
    let text = u?.message ? errorLines(fs.readFileSync(host.resolveRef(u.message), 'utf8')) : `${context}: failed\n`;
    if (!/^(ERROR |error:)/.test(text)) text = `ERROR ${text}`;
    return { failed: result('', text.endsWith('\n') ? text : `${text}\n`, 1) };
}

function bootedImage(state) {
    const booted = bootedOf(state.model);
    const o = booted && originOf(booted);
    return o?.kind === 'image' ? { booted, ref: o.ref } : { booted, ref: null };
}

async function upgradeCheck(ctx, host) {
    if (!ctx.admin) return refuse('Upgrading');
    const state = host.read();
    const { booted, ref } = bootedImage(state);
    // upgrade() in lib/src/cli.rs (not recorded)
    if (!ref) return result('', 'ERROR Upgrading: No image source specified\n', 1);
    await sleep(ctx, 400);
    const u = host.availableUpdate();
    if (!u || u.digest === booted['container-image-reference-digest']) {
        // upgrade() in lib/src/cli.rs, --check with nothing new (not recorded)
        return result(`No changes in: ${ref}\n`, '', 0);
    }
    // bootc's cached update of the booted entry (CachedImageStatus in lib/src/store): what
    // --check found, shown by `bootc status` until a reboot
    host.mutate(s => {
        s.sim.bootcCachedUpdate = { image: bootcImageRef(ref), version: u.version ?? null, timestamp: null, imageDigest: u.digest };
    });
    // test/fixtures/bootc/upgrade-check-update-available-fedora-bootc-eln-bootc248.txt
    return result(`Update available for: ${ref}\n${u.version ? `  Version: ${u.version}\n` : ''}  Digest: ${u.digest}\n${manifestDiff(layersOf(host))}`, '', 0);
}

async function upgrade(ctx, host) {
    if (!ctx.admin) return refuse('Upgrading');
    return withSysroot(ctx, host, 'bootc upgrade', async (txn) => {
        const state = host.read();
        const { booted, ref } = bootedImage(state);
        if (!ref) return result('', 'ERROR Upgrading: No image source specified\n', 1);
        const u = host.availableUpdate();
        const staged = state.model.deployments.find(d => d.staged);
        await step(ctx, host, txn, 300);
        if (u && staged && staged['container-image-reference-digest'] === u.digest)
            return result('Staged update present, not changed.\n', '', 0); // upgrade() in lib/src/cli.rs (not recorded)
        if (!u || u.digest === booted['container-image-reference-digest']) {
            // first line: test/fixtures/bootc/upgrade-no-changes-first-line-bluefin-stable-bluefin2262.txt;
            // "No update available." is upgrade() in lib/src/cli.rs (the recording was cut there)
            return result(`No changes in ${ref} => ${booted['container-image-reference-digest']}\nNo update available.\n`, '', 0);
        }
        const target = updateTarget(host, state);
        const out = await pullAndStage(ctx, host, txn, target, ref, 'Upgrading', { failAt: u.failAt ?? null });
        if (out.failed) return out.failed;
        return result(out + manifestDiff(layersOf(host)), '', 0);
    });
}

async function switchImage(ctx, host, args) {
    let transport = 'registry';
    const rest = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === '--transport') transport = args[++i];
        else if (args[i].startsWith('--transport=')) transport = args[i].slice('--transport='.length);
        else if (args[i].startsWith('-')) return null;
        else rest.push(args[i]);
    }
    if (rest.length !== 1 || !transport) return null;
    if (!ctx.admin) return refuse('Switching');
    // SwitchOpts without --enforce-container-sigpolicy: no signature check (ostree-unverified-*)
    const ref = transport === 'registry' ? `ostree-unverified-registry:${rest[0]}` : `ostree-unverified-image:${transport}:${rest[0]}`;
    return withSysroot(ctx, host, 'bootc switch', async (txn) => {
        const state = host.read();
        const current = renderBootc(state.model, state.sim).spec?.image;
        const wanted = bootcImageRef(ref);
        // switch() in lib/src/cli.rs (not recorded)
        if (current && current.image === wanted.image && current.transport === wanted.transport && !current.signature)
            return result('Image specification is unchanged.\n', '', 0);
        await step(ctx, host, txn, 300);
        const refs = host.commits.refs ?? {};
        const checksum = refs[ref] ?? refs[rest[0]];
        if (!checksum) {
            // Not recorded: containers-image's answer for an image the registry does not have, under
            // bootc's context chain (the chain form of switch-error-unencapsulating-bad-message-bluefin-nvidia38-bluefin652.txt)
            const { name, tag } = imageNameTag(rest[0]);
            return result('', `ERROR Switching: Pulling: Creating importer: failed to invoke method OpenImage: reading manifest ${tag} in ${name}: manifest unknown\n`, 1);
        }
        const info = host.commitInfo(checksum, state.sim) ?? {};
        const target = { checksum, version: info.version, timestamp: info.timestamp, kernel: info.kernel, digest: info.digest, packages: info.packages };
        const out = await pullAndStage(ctx, host, txn, target, ref, 'Switching');
        return out.failed ?? result(out, '', 0);
    });
}

/**
 * bootc rollback (rollback() in lib/src/deploy.rs, the rule of src/deployments/deployment-roles.ts):
 * the first deployment of the booted stateroot that is neither staged nor booted becomes the
 * default, or, when it already is (a queued rollback), the booted one again; the staged one is
 * dropped either way.
 */
async function rollback(ctx, host) {
    if (!ctx.admin) return refuse('Rollback');
    return withSysroot(ctx, host, 'bootc rollback', async (txn) => {
        await step(ctx, host, txn, 300);
        let error = null;
        const out = host.mutate((s) => {
            const list = s.model.deployments;
            const booted = bootedOf(s.model);
            const related = list.filter(d => booted && d.osname === booted.osname);
            const rb = related.find(d => !d.staged && !d.booted);
            // rollback() in lib/src/deploy.rs (not recorded)
            if (!booted || !rb) { error = 'ERROR Rollback: No rollback available\n'; return '' }
            const reverting = list.indexOf(rb) < list.indexOf(booted);
            const others = list.filter(d => d !== booted && d !== rb && !d.staged);
            s.model.deployments = reverting ? [booted, rb, ...others] : [rb, booted, ...others];
            for (const d of list.filter(x => x.staged)) delete s.sim.deployments?.[`${d.checksum}.${d.serial}`];
            s.sim.bootversion = 1 - (s.sim.bootversion ?? 0);
            // "Next boot: rollback deployment": test/fixtures/bootc/rollback-next-boot-bootc1029.txt;
            // the reverting lines are rollback() in lib/src/deploy.rs
            return reverting ? 'notice: Reverting queued rollback state\nNext boot: current deployment\n' : 'Next boot: rollback deployment\n';
        });
        return error ? result('', error, 1) : result(out, '', 0);
    });
}

export async function handle(argv, ctx) {
    const isStatus = BOOTC_STATUS_ARGVS.some(a => same(argv, a));
    if (!isStatus && indexAnswers(ctx, argv)) return null;
    const host = Host.open(ctx);
    if (!host) return null;
    if (isStatus) {
        if (!ctx.admin) return refuse('Status');
        const { model, sim } = host.read();
        return result(printCompact(renderBootc(model, sim)), '', 0);
    }
    const [verb, ...rest] = argv;
    if ((verb === 'upgrade' || verb === 'update') && same(rest, ['--check'])) return upgradeCheck(ctx, host);
    if ((verb === 'upgrade' || verb === 'update') && rest.length === 0) return upgrade(ctx, host);
    if (verb === 'switch') return switchImage(ctx, host, rest);
    if (verb === 'rollback' && rest.length === 0) return rollback(ctx, host);
    return null;
}
