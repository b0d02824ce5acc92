// The simulated ostree: `admin pin [--unpin|-u] INDEX…` and `admin undeploy INDEX` on the
// host's deployments state (test/sim/deployments-state.mjs); INDEX is the position in the
// status list, as the page's actions.ts passes it. Everything else (admin status has no
// recorded format) falls back to index.json / "no recording". Exact index.json entries win.
//
// ostree's own commands take the sysroot lock, not an rpm-ostree transaction: a pin while an
// upgrade runs goes through (and is kept when the upgrade writes its result).

import { Host, indexAnswers } from '../deployments-state.mjs';
import { result } from '../deployments-cli.mjs';

// ostree_admin_option_context_parse() with OSTREE_ADMIN_BUILTIN_FLAG_SUPERUSER (not a recording:
// src/ostree/ot-admin-builtins, "You must be root to perform this command"); errors are
// "error: …" on stderr, exit 1, as in test/fixtures/ostree/admin-undeploy-v-0-error-booted-photon-photondocs.txt
const NOT_ROOT = result('', 'error: You must be root to perform this command\n', 1);

// ot_admin_get_indexed_deployment() (not recorded)
function indexed(list, text) {
    const i = /^-?\d+$/.test(text) ? Number(text) : 0; // atoi(): "WTF" is 0 (ostreedev/ostree#2171)
    if (i < 0) return { error: `error: Invalid index ${i}\n` };
    if (i >= list.length) return { error: `error: Out of range deployment index ${i}, expected < ${list.length}\n` };
    return { i, d: list[i] };
}

function pin(ctx, host, args) {
    let unpin = false;
    const indices = [];
    for (const a of args) {
        if (a === '--unpin' || a === '-u') unpin = true;
        else if (a.startsWith('-')) return null;
        else indices.push(a);
    }
    if (indices.length === 0) return null;
    if (!ctx.admin) return NOT_ROOT;
    let out = '';
    let error = null;
    host.mutate((s) => {
        for (const text of indices) {
            const { d, error: e } = indexed(s.model.deployments, text);
            if (e) { error = e; return }
            // ostree_sysroot_deployment_set_pinned(): a staged deployment has no origin file on
            // disk yet. Text: the error quoted in a Fedora Magazine article and asserted by
            // ostree's own tests ("error: Cannot pin staged deployment"), not a fixture.
            if (d.staged) { error = 'error: Cannot pin staged deployment\n'; return }
            // "Deployment %s is now pinned": test/fixtures/ostree/admin-pin-bogus-index-silverblue32-ostree2171.txt
            // (the index as typed); "is already" and "unpinned" are the same printf in ot-admin-builtin-pin.c
            const want = !unpin;
            if (!!d.pinned === want) out += `Deployment ${text} is already ${want ? 'pinned' : 'unpinned'}\n`;
            else {
                d.pinned = want;
                out += `Deployment ${text} is now ${want ? 'pinned' : 'unpinned'}\n`;
            }
        }
    });
    return error ? result(out, error, 1) : result(out, '', 0);
}

function undeploy(ctx, host, args) {
    if (args.length !== 1 || args[0].startsWith('-')) return null;
    if (!ctx.admin) return NOT_ROOT;
    let out = '';
    let error = null;
    host.mutate((s) => {
        const { i, d, error: e } = indexed(s.model.deployments, args[0]);
        if (e) { error = e; return }
        // test/fixtures/ostree/admin-undeploy-v-0-error-booted-photon-photondocs.txt
        if (d.booted) { error = `error: Cannot undeploy currently booted deployment ${i}\n`; return }
        s.model.deployments.splice(i, 1);
        delete s.sim.deployments?.[`${d.checksum}.${d.serial}`];
        if (!d.staged) s.sim.bootversion = 1 - (s.sim.bootversion ?? 0);
        // test/fixtures/ostree/admin-undeploy-v-1-photon-photondocs.txt without -v's "OT:" line, in
        // the "; " form of rpm-ostree/rollback-with-diff-photon4-photondocs.txt; "Deleted
        // deployment <csum>.<serial>" as ot-admin-builtin-undeploy.c prints it (the older
        // recording prints no serial)
        out += `Transaction complete; bootconfig swap: ${d.staged ? 'no' : 'yes'}; deployment count change: -1\n`;
        out += `Deleted deployment ${d.checksum}.${d.serial}\n`;
    });
    return error ? result('', error, 1) : result(out, '', 0);
}

export async function handle(argv, ctx) {
    if (indexAnswers(ctx, argv)) return null;
    const [group, verb, ...rest] = argv;
    if (group !== 'admin' || (verb !== 'pin' && verb !== 'undeploy')) return null;
    const host = Host.open(ctx);
    if (!host) return null;
    return verb === 'pin' ? pin(ctx, host, rest) : undeploy(ctx, host, rest);
}
