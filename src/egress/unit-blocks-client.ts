// Keeping a systemd unit off the network: our drop-in (unit-dropin.ts) written or removed,
// systemd told (daemon-reload), and the unit restarted if it runs, because systemd attaches
// IPAddressDeny= to a unit's cgroup when it starts it.
import { _, format } from '../../pkg/lib/gettext';
import { ensureDirectory, replaceFile } from '../../pkg/lib/file';
import { HostError } from '../../pkg/lib/host-error';
import { hostRoot } from '../../pkg/lib/host-root';
import { run, runScript } from '../../pkg/lib/run';
import type { AllowlistEntry } from './allowlist';
import { parseBlockedUnits, type BlockedUnit } from './blocked-units-parser';
import blockedUnitsScript from './blocked-units.sh';
import { dropInPath, egressDropIn } from './unit-dropin';

export async function readBlockedUnits(): Promise<BlockedUnit[]> {
    return parseBlockedUnits(await runScript('blocked-units.sh', blockedUnitsScript, [await hostRoot()]));
}

/** A refusal before anything on the host changed. */
export class UnitBlockRefused extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'UnitBlockRefused';
    }
}

/** systemctl's LoadState of the unit: loaded, not-found, masked, bad-setting, error, ... */
async function loadState(unit: string): Promise<string> {
    try {
        return (await run(['systemctl', 'show', '--property=LoadState', '--value', '--', unit])).trim();
    } catch (error) {
        if (error instanceof HostError && error.kind === 'not-found')
            throw new UnitBlockRefused(_("systemctl is not installed: blocking a service needs systemd."));
        throw error;
    }
}

async function reloadAndRestart(unit: string): Promise<void> {
    await run(['systemctl', 'daemon-reload'], { admin: true });
    // try-restart: a unit that is stopped stays stopped and gets the rule when it starts
    await run(['systemctl', 'try-restart', '--', unit], { admin: true });
}

/**
 * Writes the drop-in that keeps `unit` to this host and the exceptions, then restarts the
 * unit if it runs. Refuses (UnitBlockRefused, nothing changed) a bad name or exception and a
 * unit systemd does not know.
 */
export async function blockUnit(unit: string, exceptions: readonly AllowlistEntry[]): Promise<void> {
    const dropIn = egressDropIn(unit, exceptions);
    if (!dropIn.ok)
        throw new UnitBlockRefused(dropIn.reason);
    const state = await loadState(unit);
    if (state === 'not-found' || state === '')
        throw new UnitBlockRefused(format(_("systemd knows no unit $0. Check the name, for example with systemctl list-units."), unit));
    if (state === 'masked')
        throw new UnitBlockRefused(format(_("$0 is masked: it cannot start, so it needs no block."), unit));
    await ensureDirectory(dropInPath(unit).replace(/\/[^/]+$/, ''));
    await replaceFile(dropIn.path, dropIn.text, { admin: true });
    await reloadAndRestart(unit);
}

/** Removes our drop-in and restarts the unit if it runs; the unit has its network back. */
export async function unblockUnit(unit: string): Promise<void> {
    await replaceFile(dropInPath(unit), null, { admin: true });
    await reloadAndRestart(unit);
}
