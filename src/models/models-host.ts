// Everything the Models tab does on the host besides podman's API: the model path check,
// host files (site catalog, Quadlet units), the nftables table that keeps servers from
// reaching out, and the Quadlet files that start servers at boot.
import { ensureDirectory, replaceFile } from '../../pkg/lib/file';
import { HostError } from '../../pkg/lib/host-error';
import { hostPath } from '../../pkg/lib/host-root';
import { run, runScript } from '../../pkg/lib/run';
import { CATALOG_DIR } from './catalog';
import type { ServerPlan } from './model-server';
import modelPathScript from './model-path-check.sh';
import { parseModelPathReport, type ModelPathReport } from './model-path-parser';
import {
    FIREWALL_FILE, FIREWALL_TABLE, FIREWALL_UNIT, FIREWALL_UNIT_FILE, firewallRuleset, firewallUnit,
    parseFirewallListing, type FirewallState,
} from './models-firewall';
import hostFilesScript from './models-host-files.sh';
import { parseHostFiles, type HostFile } from './models-host-files-parser';
import { quadletFile, quadletNetworkFile } from './quadlet';

export const QUADLET_DIR = '/etc/containers/systemd';

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

export async function checkModelPathOnHost(path: string): Promise<ModelPathReport> {
    // the script adds the root prefix itself
    return parseModelPathReport(await runScript('model-path-check.sh', modelPathScript, [path]));
}

export async function readModelsHostFiles(): Promise<{ catalogFiles: HostFile[], quadletFiles: HostFile[] }> {
    const files = parseHostFiles(await runScript('models-host-files.sh', hostFilesScript));
    return {
        catalogFiles: files.filter(f => f.path.startsWith(`${CATALOG_DIR}/`)),
        quadletFiles: files.filter(f => f.path.startsWith(`${QUADLET_DIR}/`)),
    };
}

/** The table as the kernel has it; `loaded: false` when it is not there. */
export async function readFirewallState(): Promise<FirewallState> {
    try {
        return parseFirewallListing(await run(['nft', '-j', 'list', 'table', 'inet', FIREWALL_TABLE], { admin: true }));
    } catch (error) {
        // nft says "No such file or directory" for a table that does not exist
        if (error instanceof HostError && error.kind === 'exit' && /No such file|does not exist/i.test(error.detail))
            return { loaded: false, refusedOutbound: 0, refusedToHost: 0, rules: [] };
        throw error;
    }
}

/**
 * Writes the ruleset file, then loads it: `nft -f` is one transaction, so a refused
 * ruleset leaves the kernel's rules as they were. The unit that loads it at boot is
 * installed beside it.
 */
export async function applyFirewall(): Promise<void> {
    await ensureDirectory(parentOf(FIREWALL_FILE));
    await replaceFile(FIREWALL_FILE, firewallRuleset(), { admin: true });
    await run(['nft', '-f', await hostPath(FIREWALL_FILE)], { admin: true });
}

async function installFirewallUnit(): Promise<void> {
    await ensureDirectory(parentOf(FIREWALL_UNIT_FILE));
    await replaceFile(FIREWALL_UNIT_FILE, firewallUnit(), { admin: true });
}

/**
 * The Quadlet files for `plan`, systemd told about them; resolves to the unit's name.
 * When a step fails, the server's own file is removed again (the network file and the
 * firewall unit are shared by every server and harmless alone).
 */
export async function installBootUnit(plan: ServerPlan): Promise<string> {
    const container = quadletFile(plan);
    const network = quadletNetworkFile();
    const containerPath = `${QUADLET_DIR}/${container.fileName}`;
    await installFirewallUnit();
    await ensureDirectory(QUADLET_DIR);
    await replaceFile(`${QUADLET_DIR}/${network.fileName}`, network.text, { admin: true });
    await replaceFile(containerPath, container.text, { admin: true });
    try {
        await run(['systemctl', 'daemon-reload'], { admin: true });
        await run(['systemctl', 'enable', FIREWALL_UNIT], { admin: true });
    } catch (error) {
        await replaceFile(containerPath, null, { admin: true }).catch(() => undefined);
        throw error;
    }
    return container.unitName;
}

/** Removes the Quadlet file (never the model, never the container that runs now). */
export async function removeBootUnit(fileName: string): Promise<void> {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*\.container$/.test(fileName))
        throw new HostError('internal', fileName, 'not a Quadlet container file name');
    await replaceFile(`${QUADLET_DIR}/${fileName}`, null, { admin: true });
    await run(['systemctl', 'daemon-reload'], { admin: true });
}
