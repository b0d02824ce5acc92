// The simulated systemctl, in scenarios with a commands/systemctl folder only (the others keep
// this machine's systemctl, which the bridge may use): `reboot` boots the host into its next
// deployment (test/sim/deployments-state.mjs reboot()): the staged one, else the default
// (position 0). The root prefix follows: the deployment files, ostree/boot.N, /run/ostree,
// proc/sys/kernel/osrelease and proc/cmdline (where the scenario knows the new deployment's
// kernel and arguments). Nothing is killed; a running transaction is gone, as a reboot ends
// rpm-ostree's daemon. Any other argv: index.json, else "no recording" (exit 64).

import { CANCEL_FILE, Host, TXN_FILE, indexAnswers, reboot, writeBootedProcFiles } from '../deployments-state.mjs';
import { result } from '../deployments-cli.mjs';
import fs from 'node:fs';
import path from 'node:path';

// A non-root caller without a polkit agent (the bridge has no tty): logind refuses. Recorded in
// systemd/systemd#36786 ("Call to Reboot failed: Interactive authentication required."), exit 1.
const NOT_AUTHORIZED = result('', 'Call to Reboot failed: Interactive authentication required.\n', 1);

export async function handle(argv, ctx) {
    if (indexAnswers(ctx, argv)) return null;
    if (argv.length !== 1 || argv[0] !== 'reboot') return null;
    if (!ctx.admin) return NOT_AUTHORIZED;
    const host = Host.open(ctx, { startDaemon: false });
    if (!host) return result('', '', 0);
    host.mutate((state) => {
        const booted = reboot(host, state);
        if (booted) writeBootedProcFiles(host, state, booted);
    });
    // the reboot ends every transaction (the daemon that ran it is gone)
    for (const f of [TXN_FILE, CANCEL_FILE])
        fs.rmSync(path.join(ctx.scenarioDir, f), { force: true });
    return result('', '', 0);
}
