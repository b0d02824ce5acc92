// The Deployments tab's reads: which tool manages the host, its status, and package
// diffs. Reads run unprivileged (rpm-ostree status and db diff need no root); changes go
// through the action runner with administrative access.
import { run } from '../../pkg/lib/run';
import type { DeploymentsStatus } from './deployment';
import type { DeploymentsTool } from './actions';
import { parseBootcStatus } from './bootc-status-parser';
import { parseRpmOstreeStatus } from './rpm-ostree-status-parser';

export async function readDeploymentsStatus(tool: DeploymentsTool): Promise<DeploymentsStatus> {
    if (tool === 'bootc')
        return parseBootcStatus(await run(['bootc', 'status', '--json']));
    return parseRpmOstreeStatus(await run(['rpm-ostree', 'status', '--json']));
}

/**
 * Host paths whose changes mean the deployments changed (all watched with inotify in
 * the bridge, no process): a new or removed deployment directory or origin file (pins
 * live there), the boot.N symlink that flips on a rollback, the staged-deployment file,
 * and the repository's tmp folder where every pull stages its objects — so a
 * transaction started from the command line shows up as soon as it starts writing.
 */
export function deploymentWatchPaths(osnames: readonly string[]): string[] {
    return [
        '/ostree',
        '/ostree/deploy',
        ...osnames.map(name => `/ostree/deploy/${name}/deploy`),
        '/ostree/repo/tmp',
        '/run/ostree',
    ];
}

/** Poll anyway this often: a safety net, and the 1 process a minute the idle page may cost. */
export const STATUS_POLL_MS = 60000;
