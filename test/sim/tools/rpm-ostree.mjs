// The simulated rpm-ostree: status, upgrade (--check, --preview), rollback, deploy, rebase,
// cleanup, cancel, db diff, kargs (show and change) and override replace/reset (in
// ../rpm-ostree-kernel.mjs) keep and read the host's deployments state
// (test/sim/deployments-state.mjs; README "Deployments").
//
// Order of answers:
//  1. an exact argv entry of commands/rpm-ostree/index.json wins (a recorded failure, say),
//     except `status --json`: that recording is the seed of the state, and the state answers;
//  2. an index.json "*" entry (a broken rpm-ostree) answers everything;
//  3. the argv below are answered from the state;
//  4. anything else: tool.mjs's "no recording" (exit 64).
// A scenario without a recorded `status --json` keeps no state: only index.json answers.
//
// Every printed format comes from a recording in test/fixtures/rpm-ostree (named where it is
// printed) or, where none exists, from rpm-ostree's source (said so). stdout carries progress
// and results, stderr the `error: …` lines (rpm-ostree prints its errors with g_printerr).

import crypto from 'node:crypto';
import fs from 'node:fs';
import {
    Host, bootcImageRef, bootedOf, imageNameTag, indexAnswers, mergeDeployment, neighbours, originOf, originText, stage, updateIsCurrent, updateTarget,
} from '../deployments-state.mjs';
import { printJsonGlib } from '../deployments-json.mjs';
import {
    diffPackages, diffSummary, formatDiffAligned, formatDiffMultiline, kv, rpmDiffVariant,
} from '../deployments-packages.mjs';
import { Cancelled, PullArea, sleep, errorLines, pullSize, result, step } from '../deployments-cli.mjs';
import { commitFacts } from '../deployment-trees.mjs';
import { imageCommit } from '../registry.mjs';
import { kargsChange, overrideReplace, overrideReset, parseKargsArgs } from '../rpm-ostree-kernel.mjs';

// ---- messages ---------------------------------------------------------------------------

// Non-root: the daemon's polkit check (os_authorize_method in src/daemon/rpmostreed-os.cxx)
// answers "rpmostreed OS operation <Method> not allowed for user" (no polkit agent: the bridge
// has no tty). NOT a recording of this exact case: the recorded form is
// "error: rpmostreed Sysroot operation RegisterClient not allowed for user" (coreos/rpm-ostree#898,
// #976; same wording for the Sysroot interface). Exit 1 as every rpm-ostree error.
const notAllowed = (method, iface = 'OS') => result('', `error: rpmostreed ${iface} operation ${method} not allowed for user\n`, 1);

// test/fixtures/rpm-ostree/error-transaction-in-progress-update-check-rpmostree4358.txt (the
// plain form; the title as rpm-ostree keeps it, e.g. "update --check " with a trailing space)
const inProgress = (title) => result('', `error: Transaction in progress: ${title}\n You can cancel the current transaction with \`rpm-ostree cancel\`\n`, 1);

// test/fixtures/rpm-ostree/upgrade-check-container-no-updates-kinoite-rpmostree4176.txt and
// upgrade-preview-no-updates-rhel-edge-rhdeaapdemo.txt (both print it before the answer)
const CHECK_NOTE = 'Note: --check and --preview may be unreliable.  See https://github.com/coreos/rpm-ostree/issues/1579\n';
// test/fixtures/rpm-ostree/upgrade-check-container-no-updates-kinoite-rpmostree4176.txt; exit 77
// is RPM_OSTREE_EXIT_UNCHANGED, which rpmostree_builtin_upgrade() sets for --check and --preview
// when there is no update (src/app/rpmostree-builtin-upgrade.cxx; --check and --preview
// "imply --unchanged-exit-77")
const NO_UPDATES = 'No updates available.\n';
const EXIT_UNCHANGED = 77;
// test/fixtures/rpm-ostree/upgrade-preview-no-updates-rhel-edge-rhdeaapdemo.txt: ostree's pull
// summary when nothing new came (an ostree ref origin)
const NOTHING_FETCHED = '1 metadata, 0 content objects fetched; 153 B transferred in 0 seconds; 0 bytes content written\n';
// Not recorded: a plain `upgrade` without an update prints the transaction's message "No upgrade
// available." and exits 0 (deploy_transaction_execute() in src/daemon/rpmostreed-transaction-types.cxx;
// exit 77 only with --unchanged-exit-77).
const NO_UPGRADE = 'No upgrade available.\n';
// test/fixtures/rpm-ostree/upgrade-success-added-rhel8-edge-rhdeworkshop.txt and the photon ones
const STAGING = 'Staging deployment... done\n';
const RUN_REBOOT = 'Run "systemctl reboot" to start a reboot\n';
// test/fixtures/rpm-ostree/upgrade-install-error-pull-timeout-silverblue40-rpmostree5075.txt
const autoNote = (policy) => `note: automatic updates (${policy}) are enabled\n`;
// test/fixtures/rpm-ostree/rollback-error-no-rollback-deployment-fa26-rpmostree955.txt
const NO_ROLLBACK = 'error: No rollback deployment found\n';
// Not recorded: rollback_transaction_execute() (src/daemon/rpmostreed-transaction-types.cxx)
const STAGED_ROLLBACK = 'error: Staged deployment (remove with cleanup -p)\n';
// test/fixtures/rpm-ostree/rollback-with-diff-photon4-photondocs.txt (rpm-ostree 2020.5 form,
// "; " after "yes"); the same line follows every rewrite of the bootloader entries
const txnComplete = (swap, change) => `Transaction complete; bootconfig swap: ${swap ? 'yes' : 'no'}; deployment count change: ${change}\n`;
// test/fixtures/rpm-ostree/cancel-hung-transaction-upgrade-silverblue34-rpmostree2814.txt for the
// first line; "Cancelled." and "No active transaction." are src/app/rpmostree-builtin-cancel.cxx
// (not recorded; with no transaction the exit status is 0)
const cancelling = (title) => `Cancelling transaction: ${title}\n`;
// Not recorded: what the client of a cancelled transaction prints; GLib's G_IO_ERROR_CANCELLED
// message, which the daemon returns for a cancelled transaction.
const CANCELLED = 'error: Operation was cancelled\n';

const KEY_WIDTH = 13; // rpmostree_print_cached_update(): strlen("SecAdvisories")

// ---- argv -------------------------------------------------------------------------------

function same(argv, expected) {
    return argv.length === expected.length && argv.every((a, i) => a === expected[i]);
}

/** cleanup flags (GOption short flags may be clustered: -pr), or null for anything else. */
function cleanupFlags(args) {
    const flags = { base: false, pending: false, rollback: false, repomd: false };
    const long = { '--base': 'base', '--pending': 'pending', '--rollback': 'rollback', '--repomd': 'repomd' };
    const short = { b: 'base', p: 'pending', r: 'rollback', m: 'repomd' };
    for (const a of args) {
        if (long[a]) flags[long[a]] = true;
        else if (/^-[bprm]+$/.test(a)) for (const c of a.slice(1)) flags[short[c]] = true;
        else return null;
    }
    return Object.values(flags).some(Boolean) ? flags : null;
}

// ---- printing -------------------------------------------------------------------------

function timestampStr(t) {
    // rpmostree_timestamp_str_from_unix_utc(): "2021-09-05T20:59:47Z"
    return new Date((t ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The AvailableUpdate block of `upgrade --check` (diff summary) and `--preview` (the packages):
 * test/fixtures/rpm-ostree/upgrade-check-available-silverblue34-fedoramag.txt; the --preview
 * lines follow rpmostree_variant_diff_print_formatted() (no recording of --preview with an update).
 */
function availableUpdate(update, diff, booted, verbose) {
    let out = 'AvailableUpdate:\n';
    // rpmostree_print_timestamp_version(): "Version: v (time)", or "Timestamp: time" without a version
    out += update.version
        ? kv('Version', KEY_WIDTH, `${update.version} (${timestampStr(update.timestamp)})`)
        : kv('Timestamp', KEY_WIDTH, timestampStr(update.timestamp));
    out += kv('Commit', KEY_WIDTH, update.checksum);
    if (booted['gpg-enabled'])
        out += kv('GPGSignature', KEY_WIDTH, update.signature ? `Valid signature by ${update.signature}` : '(unsigned)');
    if (update.advisories) out += kv('SecAdvisories', KEY_WIDTH, update.advisories);
    if (verbose) out += formatDiffAligned(diff, KEY_WIDTH);
    else if (diffSummary(diff)) out += kv('Diff', KEY_WIDTH, diffSummary(diff));
    return out;
}

/** The package diff from the booted deployment to the new default, as after an upgrade or rollback. */
function diffToDefault(host, state) {
    const booted = bootedOf(state.model);
    const next = state.model.deployments[0];
    if (!booted || !next || next === booted) return '';
    return formatDiffMultiline(diffPackages(host.packagesOf(booted, state.sim), host.packagesOf(next, state.sim)));
}

function statusJson(host) {
    const { model } = host.read();
    // rpm-ostree's key order: deployments, transaction, cached-update, update-driver (the last
    // only where the recorded version printed it)
    const ordered = { deployments: model.deployments, transaction: host.transactionTuple() };
    for (const [k, v] of Object.entries(model)) if (!(k in ordered)) ordered[k] = v;
    return printJsonGlib(ordered);
}

// ---- pulls ------------------------------------------------------------------------------

/**
 * The pull of a new base commit, printed as it goes. An ostree ref: "Receiving metadata
 * objects" (test/fixtures/rpm-ostree/upgrade-allow-downgrade-progress-diff-photon4-photondocs.txt)
 * then "Receiving objects; N% (a/b) rate size" lines, the last with "... done" (the form of
 * upgrade-install-error-pull-timeout-silverblue40-rpmostree5075.txt). A container image: the
 * manifest, import and chunk lines of upgrade-check-container-no-updates-kinoite-rpmostree4176.txt.
 * Object counts, sizes and layer numbers: update.json "pull" / "layers", else the numbers of
 * those recordings (1146 objects, 107.8 MB; 60 layers stored, 5 needed, 886.3 MB).
 * failPercent: stop there (the pull failed), returning false.
 */
async function pull(ctx, host, txn, origin, target, { failPercent = null } = {}) {
    const area = new PullArea(host.rootDir);
    try {
        if (origin.kind === 'image') {
            const layers = { stored: 60, needed: 5, bytes: 886.3e6, ...(host.update?.layers ?? {}) };
            ctx.write(`Pulling manifest: ${origin.ref}\n`);
            await step(ctx, host, txn, 300);
            ctx.write(`Importing: ${origin.ref} (digest: ${target.digest ?? 'sha256:' + '0'.repeat(64)})\n`);
            ctx.write(`ostree chunk layers stored: ${layers.stored} needed: ${layers.needed} (${pullSize(layers.bytes)})\n`);
            for (let i = 0; i < layers.needed; i++) {
                const pct = Math.round(((i + 1) / layers.needed) * 100);
                const chunk = crypto.createHash('sha256').update(`${target.digest} ${i}`).digest('hex').slice(0, 12);
                ctx.write(`Fetching ostree chunk sha256:${chunk} (${pullSize(layers.bytes / layers.needed)})\n`);
                area.object();
                await step(ctx, host, txn, 300);
                if (failPercent !== null && pct >= failPercent) return false;
                ctx.write(`Fetched ostree chunk sha256:${chunk}\n`);
            }
            return true;
        }
        const p = { objects: 1146, bytes: 107.8e6, ...(host.update?.pull ?? {}) };
        await step(ctx, host, txn, 300);
        ctx.write('Receiving metadata objects: 0/(estimating) -/s 0 bytes... done\n');
        const ticks = 10;
        for (let t = 1; t <= ticks; t++) {
            let pct = Math.round((t / ticks) * 100);
            const failing = failPercent !== null && pct >= failPercent;
            if (failing) pct = failPercent;
            const done = Math.round((pct / 100) * p.objects);
            const bytes = (pct / 100) * p.bytes;
            const rate = bytes / (t * 0.25);
            area.object();
            await step(ctx, host, txn, 250);
            const last = t === ticks || failing;
            ctx.write(`Receiving objects; ${pct}% (${done}/${p.objects}) ${pullSize(rate)}/s ${pullSize(bytes)}${last ? '... done' : ''}\n`);
            if (failing) return false;
        }
        return true;
    } finally {
        area.remove();
    }
}

/** The recorded failure of update.json "failAt": its `error:` lines, naming this host's ref. */
function failureText(host, origin) {
    const u = host.update;
    const text = errorLines(fs.readFileSync(host.resolveRef(u.message), 'utf8'));
    return origin.kind === 'ref' ? text.replace(/While pulling [^:\s]+(?=:)/, `While pulling ${origin.refspec}`) : text;
}

// ---- the actions ------------------------------------------------------------------------

/** Run fn(txn) as an rpm-ostree transaction; answer "in progress" when one already runs. */
async function transaction(ctx, host, spec, fn) {
    // bootc's own operations hold the sysroot; rpm-ostree's daemon waits for it
    for (;;) {
        const begun = host.beginTransaction(spec);
        if (begun.ok) {
            const txn = begun.txn;
            const onAbort = () => host.endTransaction(txn);
            ctx.signal.addEventListener('abort', onAbort, { once: true });
            try {
                return await fn(txn);
            } catch (e) {
                if (e instanceof Cancelled) return result('', CANCELLED, 1);
                throw e;
            } finally {
                ctx.signal.removeEventListener('abort', onAbort);
                host.endTransaction(txn);
            }
        }
        if (begun.running && begun.running.visible !== false) return inProgress(begun.running.title);
        await sleep(ctx, 100);
        if (ctx.signal.aborted) return result('', CANCELLED, 1);
    }
}

function policyNote(host) {
    const policy = host.update?.automaticUpdates ?? host.transactionSpec?.automaticUpdates;
    return policy && policy !== 'none' ? autoNote(policy) : '';
}

async function check(ctx, host, argv, verbose) {
    if (!ctx.admin) return notAllowed('AutomaticUpdateTrigger');
    return transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'AutomaticUpdateTrigger' }, async (txn) => {
        const state = host.read();
        const booted = bootedOf(state.model);
        const origin = originOf(booted);
        ctx.write(policyNote(host));
        if (origin?.kind === 'image') ctx.write(`Pulling manifest: ${origin.ref}\n`);
        await step(ctx, host, txn, 500);
        const update = host.availableUpdate();
        const target = updateTarget(host, state);
        if (!update || updateIsCurrent(host, state, booted)) {
            if (origin?.kind === 'ref') ctx.write(NOTHING_FETCHED);
            ctx.write(CHECK_NOTE);
            host.mutate(s => { s.model['cached-update'] = null });
            return result(NO_UPDATES, '', EXIT_UNCHANGED);
        }
        const diff = diffPackages(host.packagesOf(booted, state.sim), target.packages);
        ctx.write(CHECK_NOTE);
        // cached-update as the daemon keeps it (keys of rpmostreed_update_generate_variant() and
        // add_all_commit_details_to_vardict() in rpm-ostree's daemon; no recording of a status
        // with a cached update)
        host.mutate(s => {
            s.model['cached-update'] = {
                osname: booted.osname, checksum: update.checksum,
                ...(update.version ? { version: update.version } : {}),
                timestamp: update.timestamp ?? 0, origin: originText(origin),
                'gpg-enabled': !!booted['gpg-enabled'], 'ref-has-new-commit': true,
                'rpm-diff': rpmDiffVariant(diff), advisories: [],
            };
        });
        return result(availableUpdate(update, diff, booted, verbose), '', 0);
    });
}

async function upgrade(ctx, host, argv) {
    if (!ctx.admin) return notAllowed('Upgrade');
    return transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'Upgrade' }, async (txn) => {
        ctx.write(policyNote(host));
        const state = host.read();
        const merge = mergeDeployment(state.model);
        const origin = originOf(merge);
        const update = host.availableUpdate();
        if (!update || updateIsCurrent(host, state, merge)) {
            await step(ctx, host, txn, 500);
            if (origin?.kind === 'ref') ctx.write(NOTHING_FETCHED);
            return result(NO_UPGRADE, '', 0);
        }
        const target = updateTarget(host, state);
        const failAt = update.failAt ?? null;
        const ok = await pull(ctx, host, txn, origin, target, { failPercent: failAt === 'pull' ? (update.failPercent ?? 68) : null });
        if (!ok) return result('', failureText(host, origin), 1);
        await step(ctx, host, txn, 600);
        if (failAt === 'staging') return result('', failureText(host, origin), 1);
        ctx.write(STAGING);
        const diff = host.mutate((s) => {
            stage(host, s, target, origin);
            return diffToDefault(host, s);
        });
        return result(`${diff}${RUN_REBOOT}`, '', 0);
    });
}

async function rollback(ctx, host, argv) {
    if (!ctx.admin) return notAllowed('Rollback');
    return transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'Rollback' }, async (txn) => {
        await step(ctx, host, txn, 400);
        let error = null;
        const out = host.mutate((s) => {
            const n = neighbours(s.model);
            if (!n || (!n.pending && !n.rollback)) { error = NO_ROLLBACK; return '' }
            if (n.pending?.staged) { error = STAGED_ROLLBACK; return '' }
            const target = n.rollback ?? n.booted;
            // test/fixtures/rpm-ostree/rollback-fah27-atomicsite-kargs-blog.txt,
            // rollback-with-diff-photon4-photondocs.txt
            let text = `Moving '${target.checksum}.${target.serial}' to be first deployment\n`;
            const list = s.model.deployments;
            if (list[0] !== target) {
                s.model.deployments = [target, ...list.filter(d => d !== target)];
                s.sim.bootversion = 1 - (s.sim.bootversion ?? 0);
                text += txnComplete(true, 0);
            }
            return text + diffToDefault(host, s) + RUN_REBOOT;
        });
        return error ? result('', error, 1) : result(out, '', 0);
    });
}

/** The commits `deploy` can find: the deployments', the update and the scenario's for this ref. */
function knownCommits(host, state) {
    const out = [];
    for (const d of state.model.deployments) {
        const base = d['base-checksum'] ?? d.checksum;
        // what the commit carries goes with it (kernels, NVIDIA modules, the driver state it boots)
        const f = commitFacts(host, d, state.sim);
        const facts = Object.fromEntries(['kernels', 'nvidia', 'gpu'].filter(k => f[k] !== undefined).map(k => [k, f[k]]));
        out.push({ checksum: base, version: d['base-version'] ?? d.version, timestamp: d['base-timestamp'] ?? d.timestamp, packages: host.packagesOf(d, state.sim), kernel: host.kernelOf(d, state.sim), ...facts });
        if (d['base-checksum']) out.push({ checksum: d.checksum, version: d.version, timestamp: d.timestamp, packages: host.packagesOf(d, state.sim), kernel: host.kernelOf(d, state.sim), base, ...facts });
    }
    const u = updateTarget(host, state);
    if (u) out.push(u);
    const booted = bootedOf(state.model);
    for (const [checksum, c] of Object.entries(host.commits.commits ?? {}))
        if (!c.ref || c.ref === originText(originOf(booted))) out.push({ checksum, ...c });
    return out;
}

async function deploy(ctx, host, argv, revision) {
    if (!ctx.admin) return notAllowed('UpdateDeployment');
    return transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'UpdateDeployment' }, async (txn) => {
        const state = host.read();
        const merge = mergeDeployment(state.model);
        const origin = originOf(merge);
        // apply_revision_override() in src/daemon/rpmostreed-transaction-types.cxx (not recorded)
        if (origin?.kind === 'image')
            return result('', 'error: Cannot look up version while tracking a container image reference\n', 1);
        const rev = revision.replace(/^(revision|version)=/, '');
        const isChecksum = /^[0-9a-f]{64}$/.test(rev) && !revision.startsWith('version=');
        ctx.write(isChecksum ? `Validating checksum '${rev}'\n` : `Resolving version '${rev}'\n`);
        await step(ctx, host, txn, 400);
        const found = knownCommits(host, state).find(c => (isChecksum ? c.checksum === rev : c.version === rev));
        if (!found) {
            // rpmostreed_repo_lookup_checksum() / _lookup_version() in src/daemon/rpmostreed-utils.cxx (not recorded)
            return result('', isChecksum ? `error: Checksum ${rev} not found in ${origin.refspec}\n` : `error: Version ${rev} not found in ${origin.refspec}\n`, 1);
        }
        const base = found.base ?? found.checksum;
        if ([merge.checksum, merge['base-checksum']].includes(base)) {
            // deploy_transaction_execute(): nothing new to deploy (not recorded)
            return result('No change.\n', '', 0);
        }
        const ok = await pull(ctx, host, txn, origin, { ...found, checksum: base });
        if (!ok) return result('', failureText(host, origin), 1);
        await step(ctx, host, txn, 600);
        ctx.write(STAGING);
        const diff = host.mutate((s) => {
            stage(host, s, { ...found, checksum: base }, origin, { overrideCommit: base });
            return diffToDefault(host, s);
        });
        return result(`${diff}${RUN_REBOOT}`, '', 0);
    });
}

const CONTAINER_PREFIX = /^ostree-(unverified-registry|unverified-image|image-signed|remote-image|remote-registry):/;

async function rebase(ctx, host, argv, ref) {
    if (!ctx.admin) return notAllowed('UpdateDeployment');
    return transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'UpdateDeployment' }, async (txn) => {
        const state = host.read();
        const merge = mergeDeployment(state.model);
        const current = originText(originOf(merge));
        const target = ref.replace(/^ostree:\/\//, '');
        // change_origin_refspec() in src/daemon/rpmostreed-transaction-types.cxx (not recorded)
        if (target === current) return result('', `error: Old and new refs are equal: ${target}\n`, 1);
        const refs = host.commits.refs ?? {};
        const isImage = CONTAINER_PREFIX.test(target);
        // an image tag the scenario's registry (commands/skopeo/registry.json) has: its labels
        // name the commit (README "skopeo"); refs win
        const fromRegistry = !refs[target] && isImage ? imageCommit(host.scenarioDir, bootcImageRef(target).image) : null;
        const checksum = refs[target] ?? fromRegistry?.checksum;
        const newOrigin = isImage ? { kind: 'image', ref: target } : { kind: 'ref', refspec: target };
        if (isImage) ctx.write(`Pulling manifest: ${target}\n`);
        await step(ctx, host, txn, 400);
        if (!checksum) {
            if (isImage) {
                // Not recorded: containers-image's answer for an image the registry does not have,
                // as ostree-ext's importer passes it on
                const { name, tag } = imageNameTag(bootcImageRef(target).image);
                return result('', `error: Creating importer: failed to invoke method OpenImage: reading manifest ${tag} in ${name}: manifest unknown\n`, 1);
            }
            const [remote, branch] = target.includes(':') ? target.split(/:(.*)/s) : [null, target];
            const knownRemotes = new Set([...Object.keys(refs), current ?? ''].filter(r => !CONTAINER_PREFIX.test(r) && r.includes(':')).map(r => r.split(':')[0]));
            // Not recorded: ostree's pull errors (ostree_repo_get_remote(): 'Remote "%s" not found';
            // the summary lookup: "No such branch '%s' in repository summary"), with rpm-ostree's
            // "While pulling %s" prefix as in upgrade-install-error-pull-timeout-silverblue40-rpmostree5075.txt
            if (remote !== null && !knownRemotes.has(remote))
                return result('', `error: While pulling ${target}: Remote "${remote}" not found\n`, 1);
            return result('', `error: While pulling ${target}: No such branch '${branch}' in repository summary\n`, 1);
        }
        const info = { ...(fromRegistry ?? {}), ...(host.commitInfo(checksum, state.sim) ?? {}) };
        const t = { checksum, version: info.version ?? undefined, timestamp: info.timestamp ?? undefined, kernel: info.kernel ?? undefined, digest: info.digest, packages: info.packages };
        for (const k of ['kernels', 'nvidia', 'gpu']) if (info[k] !== undefined) t[k] = info[k];
        const ok = await pull(ctx, host, txn, newOrigin, t);
        if (!ok) return result('', failureText(host, newOrigin), 1);
        await step(ctx, host, txn, 600);
        ctx.write(STAGING);
        const diff = host.mutate((s) => {
            stage(host, s, t, newOrigin);
            return diffToDefault(host, s);
        });
        return result(`${diff}${RUN_REBOOT}`, '', 0);
    });
}

async function cleanup(ctx, host, argv, flags) {
    if (!ctx.admin) return notAllowed('Cleanup');
    return transaction(ctx, host, { title: `${argv.join(' ')} `, method: 'Cleanup' }, async (txn) => {
        await step(ctx, host, txn, 400);
        const out = host.mutate((s) => {
            let text = '';
            if (flags.pending || flags.rollback) {
                const list = s.model.deployments;
                const booted = bootedOf(s.model);
                const bi = list.indexOf(booted);
                // rpmostree_syscore_filter_deployments(): the booted stateroot's deployments before
                // (pending, staged included) and after (rollback) the booted one; pinned ones stay
                const drop = list.filter((d, i) => booted && d.osname === booted.osname && !d.pinned && d !== booted
                    && ((flags.pending && i < bi) || (flags.rollback && i > bi)));
                if (drop.length) {
                    const swap = drop.some(d => !d.staged);
                    s.model.deployments = list.filter(d => !drop.includes(d));
                    if (swap) s.sim.bootversion = 1 - (s.sim.bootversion ?? 0);
                    for (const d of drop) delete s.sim.deployments?.[`${d.checksum}.${d.serial}`];
                    text += txnComplete(swap, -drop.length);
                } else {
                    // cleanup_transaction_execute() (not recorded)
                    text += 'Deployments unchanged.\n';
                }
            }
            if (flags.repomd) s.model['cached-update'] = null;
            return text;
        });
        return result(out, '', 0);
    });
}

async function cancel(ctx, host) {
    const t = host.transaction();
    if (!t || t.visible === false) return result('No active transaction.\n', '', 0);
    if (!ctx.admin) return notAllowed('Cancel', 'Sysroot');
    ctx.write(cancelling(t.title));
    host.requestCancel(t);
    // the client waits until the daemon's active transaction goes away
    for (;;) {
        const now = host.transaction();
        if (!now || now.id !== t.id) break;
        await new Promise(resolve => setTimeout(resolve, 20));
        if (ctx.signal.aborted) return result('', '', 143);
    }
    return result('Cancelled.\n', '', 0);
}

/**
 * `db diff [FROM] [TO]`: test/fixtures/rpm-ostree/db-diff-silverblue34-fedoramag.txt. Revisions
 * are commit checksums the host knows; with none, booted against pending (or rollback against
 * booted), as src/app/rpmostree-db-builtin-diff.cxx does.
 */
function dbDiff(host, revs) {
    const state = host.read();
    const commitOf = (rev) => {
        if (host.commitInfo(rev, state.sim)) return rev;
        if (state.model.deployments.some(d => d.checksum === rev || d['base-checksum'] === rev)) return rev;
        return null;
    };
    const packagesOfRev = (rev) => {
        const d = state.model.deployments.find(x => x.checksum === rev);
        return d ? host.packagesOf(d, state.sim) : (host.commitInfo(rev, state.sim)?.packages ?? []);
    };
    const missing = (rev) => result('', /^[0-9a-f]{64}$/.test(rev)
        // ostree's load of a missing commit / ostree_repo_resolve_rev() of an unknown ref (not recorded)
        ? `error: No such metadata object ${rev}.commit\n`
        : `error: Refspec '${rev}' not found\n`, 1);
    let from;
    let to;
    let fromDesc;
    let toDesc;
    const booted = bootedOf(state.model);
    if (revs.length === 2) {
        [fromDesc, toDesc] = revs;
        from = commitOf(revs[0]);
        to = commitOf(revs[1]);
        if (!from) return missing(revs[0]);
        if (!to) return missing(revs[1]);
    } else if (revs.length === 1) {
        fromDesc = 'booted deployment';
        from = booted.checksum;
        toDesc = revs[0];
        to = commitOf(revs[0]);
        if (!to) return missing(revs[0]);
    } else {
        const n = neighbours(state.model);
        if (n?.pending) [fromDesc, from, toDesc, to] = ['booted deployment', booted.checksum, 'pending deployment', n.pending.checksum];
        else if (n?.rollback) [fromDesc, from, toDesc, to] = ['rollback deployment', n.rollback.checksum, 'booted deployment', booted.checksum];
        else return result('', 'error: No pending or rollback deployment to diff against\n', 1);
    }
    const head = `ostree diff commit from: ${fromDesc === from ? from : `${fromDesc} (${from})`}\n`
        + `ostree diff commit to:   ${toDesc === to ? to : `${toDesc} (${to})`}\n`;
    return result(head + formatDiffMultiline(diffPackages(packagesOfRev(from), packagesOfRev(to))), '', 0);
}

/**
 * `kargs`: the kernel arguments of the pending deployment, else the booted one, with their
 * ostree= (src/app/rpmostree-builtin-kargs.cxx prints the boot config's options alone; the
 * recordings in test/fixtures/kargs-cmdline from before 2020 still print a "The kernel arguments
 * are:" header, modern rpm-ostree does not). null where the scenario does not know them.
 */
function kargs(host) {
    const state = host.read();
    const n = neighbours(state.model);
    if (!n) return null;
    const d = n.pending ?? n.booted;
    const extra = state.sim.deployments?.[`${d.checksum}.${d.serial}`];
    if (!extra?.kargs || !extra.bootcsum) return null;
    const v = d.staged ? 1 - (state.sim.bootversion ?? 0) : (state.sim.bootversion ?? 0);
    const list = d.staged ? [d] : state.model.deployments.filter(x => !x.staged);
    const serial = list.filter(x => x.osname === d.osname && state.sim.deployments?.[`${x.checksum}.${x.serial}`]?.bootcsum === extra.bootcsum).indexOf(d);
    return result(`${[...extra.kargs, `ostree=/ostree/boot.${v}/${d.osname}/${extra.bootcsum}/${Math.max(0, serial)}`].join(' ')}\n`, '', 0);
}

// ---- entry ------------------------------------------------------------------------------

export async function handle(argv, ctx) {
    const isStatus = same(argv, ['status', '--json']);
    if (!isStatus && indexAnswers(ctx, argv)) return null;
    const host = Host.open(ctx);
    if (!host) return null;

    if (isStatus) return result(statusJson(host), '', 0);
    const [verb, ...rest] = argv;
    if ((verb === 'upgrade' || verb === 'update') && same(rest, ['--check'])) return check(ctx, host, argv, false);
    if ((verb === 'upgrade' || verb === 'update') && same(rest, ['--preview'])) return check(ctx, host, argv, true);
    if ((verb === 'upgrade' || verb === 'update') && rest.length === 0) return upgrade(ctx, host, argv);
    if (verb === 'rollback' && rest.length === 0) return rollback(ctx, host, argv);
    if (verb === 'deploy' && rest.length === 1 && !rest[0].startsWith('-')) return deploy(ctx, host, argv, rest[0]);
    if (verb === 'rebase' && rest.length === 1 && !rest[0].startsWith('-')) return rebase(ctx, host, argv, rest[0]);
    if (verb === 'cleanup') {
        const flags = cleanupFlags(rest);
        return flags ? cleanup(ctx, host, argv, flags) : null;
    }
    if (verb === 'cancel' && rest.length === 0) return cancel(ctx, host);
    if (verb === 'db' && rest[0] === 'diff') {
        const revs = rest.slice(1).filter(a => a !== '--format=block');
        return revs.length <= 2 && revs.every(r => !r.startsWith('-')) ? dbDiff(host, revs) : null;
    }
    if (verb === 'kargs' && rest.length === 0) return kargs(host);
    const cli = { transaction, notAllowed, diffToDefault };
    if (verb === 'kargs') {
        const parsed = parseKargsArgs(rest);
        return parsed ? kargsChange(ctx, host, argv, parsed, cli) : null;
    }
    if (verb === 'override' && rest[0] === 'replace' && rest.length > 1 && rest.slice(1).every(a => !a.startsWith('-')))
        return overrideReplace(ctx, host, argv, rest.slice(1), cli);
    if (verb === 'override' && rest[0] === 'reset' && rest.length > 1) return overrideReset(ctx, host, argv, rest.slice(1), cli);
    return null;
}
