// The Deployments tab's reads: which tool manages the host, its status, and package
// diffs. Reads run unprivileged (rpm-ostree status and db diff need no root); changes go
// through the action runner with administrative access.
import { HostError } from '../../pkg/lib/host-error';
import { run } from '../../pkg/lib/run';
import type { DeploymentsStatus } from './deployment';
import type { DeploymentsTool } from './actions';
import { parseBootcStatus } from './bootc-status-parser';
import { parseDbDiff, type DbDiff } from './package-diff-parser';
import { parseRpmOstreeStatus } from './rpm-ostree-status-parser';

/**
 * bootc (as of RHEL 9.4) shows its status to root only ("This command requires root
 * privileges", bootc-dev/bootc#409): with administrative access it is asked as root,
 * without it the refusal becomes an access-denied error that says what to turn on.
 */
export async function readDeploymentsStatus(tool: DeploymentsTool, admin = false): Promise<DeploymentsStatus> {
    if (tool === 'bootc') {
        try {
            return parseBootcStatus(await run(['bootc', 'status', '--json'], { admin }));
        } catch (error) {
            if (!admin && error instanceof HostError && error.kind === 'exit' && /root privileges/i.test(error.message))
                throw new HostError('access-denied', 'bootc status', error.message);
            throw error;
        }
    }
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

/** The checksums come from the status, never from the admin: 64 hex digits, no option can hide there. */
export async function readPackageDiff(fromChecksum: string, toChecksum: string): Promise<DbDiff> {
    for (const checksum of [fromChecksum, toChecksum]) {
        if (!/^[0-9a-f]{64}$/.test(checksum))
            throw new RangeError(`not a commit checksum: ${checksum}`);
    }
    return parseDbDiff(await run(['rpm-ostree', 'db', 'diff', fromChecksum, toChecksum]));
}
