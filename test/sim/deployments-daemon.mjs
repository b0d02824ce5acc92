#!/usr/bin/env node
// Runs a scenario's transaction.json, the transaction rpm-ostree's daemon was already running
// when the page opened (an automatic update stage, say): started detached by the first
// invocation of a deployments tool that initialises the state (test/sim/deployments-state.mjs).
//
//   node test/sim/deployments-daemon.mjs <state-dir>
//
// It holds <state>/scenario/deployments-transaction.json (with its own pid) for durationMs
// (scaled by AIWS_SIM_TIME_SCALE), writes a pull's files under <root>/ostree/repo/tmp/ as it
// goes, and at the end applies "then" ("stage-update": the update is staged, the deployment
// files change) and lets go. `rpm-ostree cancel` ends it early with nothing applied; so does a
// simulated reboot (the transaction file vanishes).

import path from 'node:path';
import { Host, applyThen, sleepSync, timeScale } from './deployments-state.mjs';
import { PullArea } from './deployments-cli.mjs';

function main() {
    const stateDir = process.argv[2];
    if (!stateDir) return 2;
    const ctx = { stateDir, scenarioDir: path.join(stateDir, 'scenario'), rootDir: path.join(stateDir, 'root') };
    const host = Host.open(ctx, { startDaemon: false });
    const spec = host?.transactionSpec;
    if (!spec) return 0;
    const durationMs = Number.isFinite(spec.durationMs) ? spec.durationMs : 20000;
    const begun = host.beginTransaction({
        title: spec.title ?? 'automatic (stage)',
        method: spec.method ?? 'AutomaticUpdateTrigger',
        kind: 'external',
        extra: { endsAt: Date.now() + durationMs * timeScale(), then: spec.then ?? 'nothing' },
    });
    if (!begun.ok) return 0;
    const txn = begun.txn;
    const area = new PullArea(host.rootDir);
    let lastObject = 0;
    try {
        while (Date.now() < txn.endsAt) {
            if (host.cancelled(txn)) return 0;
            if (Date.now() - lastObject >= 250 * timeScale()) {
                area.object();
                lastObject = Date.now();
            }
            sleepSync(Math.min(25, Math.max(1, txn.endsAt - Date.now())));
        }
        if (host.cancelled(txn)) return 0;
        area.remove();
        applyThen(host, txn.then);
        return 0;
    } finally {
        area.remove();
        host.endTransaction(txn);
    }
}

try {
    process.exitCode = main();
} catch (e) {
    process.stderr.write(`deployments-daemon: ${e.stack ?? e}\n`);
    process.exitCode = 70;
}
