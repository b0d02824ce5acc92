// What the Kernel & driver views read: the deployment trees (again whenever the
// deployments change) and the known-good records and settings (again when their files
// change, and once a minute: reading a file starts no process).
import { useWatchedResource, type WatchedResource } from '../../pkg/lib/use-watched-resource';
import type { DeploymentsStatus } from '../deployments/deployment';
import type { DeploymentTree } from './kernel';
import { readKernelRecords, readTrees, type KernelRecords } from './kernel-client';
import { STATE_DIR, UNIT_DIR } from './known-good-units';

const RECORDS_POLL_MS = 60000;

export function useDeploymentTrees(status: DeploymentsStatus | null): WatchedResource<DeploymentTree[]> {
    // the trees change only with the deployments: read again when their set changes
    const key = status ? status.deployments.map(d => d.id).join(' ') : null;
    return useWatchedResource(key !== null ? readTrees : null, { watch: [], pollMs: 0 }, [key]);
}

export function useKernelRecords(): WatchedResource<KernelRecords> {
    return useWatchedResource(readKernelRecords, { watch: [STATE_DIR, UNIT_DIR], pollMs: RECORDS_POLL_MS }, []);
}
