// The simulated systemctl, in scenarios with a commands/systemctl folder only (the others keep
// this machine's systemctl, which the bridge may use): `reboot` boots the host into its next
// deployment (test/sim/deployments-state.mjs reboot()): the staged one, else the default
// (position 0). The root prefix follows: the deployment files, ostree/boot.N, /run/ostree,
// the GPU driver state the booted deployment brings and pending MOK enrolments
// (../kernel-boot.mjs), proc/sys/kernel/osrelease and proc/cmdline (where the scenario knows the
// new deployment's kernel and arguments). Nothing is killed; a running transaction is gone, as a reboot ends
// rpm-ostree's daemon. daemon-reload, enable and disable act on unit files under the root
// (../systemd-units.mjs), enable --now of a socket unit makes its socket appear, and a
// reboot runs the services of enabled boot timers. `show --property=LoadState --value -- UNIT`
// tells whether the unit file is there; `try-restart -- UNIT` of a known unit succeeds (no
// unit runs here, and try-restart leaves a stopped unit stopped). Any other
// argv: index.json, else "no recording" (exit 64).

import { CANCEL_FILE, Host, TXN_FILE, indexAnswers, reboot, writeBootedProcFiles } from '../deployments-state.mjs';
import { bootDriverState } from '../kernel-boot.mjs';
import { result } from '../deployments-cli.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { disableUnits, enableUnits, loadState, runBootTimers, startSockets } from '../systemd-units.mjs';

// A non-root caller without a polkit agent (the bridge has no tty): logind refuses. Recorded in
// systemd/systemd#36786 ("Call to Reboot failed: Interactive authentication required."), exit 1.
const NOT_AUTHORIZED = result('', 'Call to Reboot failed: Interactive authentication required.\n', 1);

// systemctl's refusal of a unit change to a user without the right (polkit, no agent):
// "Failed to <verb> unit: Access denied" (systemctl-enable.c); not recorded.
const denied = (verb) => result('', `Failed to ${verb} unit: Access denied\n`, 1);

export async function handle(argv, ctx) {
    if (indexAnswers(ctx, argv)) return null;
    if (argv[0] === 'daemon-reload' && argv.length === 1)
        return ctx.admin ? result('', '', 0) : result('', 'Failed to reload daemon: Access denied\n', 1);
    if ((argv[0] === 'enable' || argv[0] === 'disable') && argv.length >= 2) {
        if (!ctx.admin) return denied(argv[0]);
        const units = argv.slice(1).filter(a => a !== '--now');
        if (argv[0] !== 'enable')
            return disableUnits(ctx.rootDir, units);
        const enabled = enableUnits(ctx.rootDir, units);
        if (enabled.exit !== 0 || !argv.includes('--now'))
            return enabled;
        const started = startSockets(ctx.rootDir, units);
        return { ...started, stderr: enabled.stderr + started.stderr };
    }
    if (argv.length === 5 && argv[0] === 'show' && argv[1] === '--property=LoadState' && argv[2] === '--value' && argv[3] === '--')
        return result(`${loadState(ctx.rootDir, argv[4])}\n`, '', 0);
    if (argv.length === 3 && argv[0] === 'try-restart' && argv[1] === '--') {
        if (!ctx.admin) return denied('try-restart');
        // systemctl's "Failed to %s %s: %s" (systemctl-start-unit.c) with the bus error's text
        return loadState(ctx.rootDir, argv[2]) === 'not-found'
            ? result('', `Failed to try-restart ${argv[2]}: Unit ${argv[2]} not found.\n`, 5)
            : result('', '', 0);
    }
    if (argv.length !== 1 || argv[0] !== 'reboot') return null;
    if (!ctx.admin) return NOT_AUTHORIZED;
    const host = Host.open(ctx, { startDaemon: false });
    if (!host) return result('', '', 0);
    host.mutate((state) => {
        const booted = reboot(host, state);
        if (!booted) return;
        // MokManager's enrolment and the GPU driver state of the booted deployment
        // (../kernel-boot.mjs), then its kernel's osrelease and /proc/cmdline
        bootDriverState(host, state, booted);
        writeBootedProcFiles(host, state, booted);
    });
    // the reboot ends every transaction (the daemon that ran it is gone)
    for (const f of [TXN_FILE, CANCEL_FILE])
        fs.rmSync(path.join(ctx.scenarioDir, f), { force: true });
    // the timers that fire after boot (the page's known-good recorder among them)
    runBootTimers(ctx.rootDir, { ...process.env, AI_WORKSTATION_ROOT: ctx.rootDir });
    return result('', '', 0);
}
