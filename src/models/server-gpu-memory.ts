// GPU memory each model server holds: nvidia-smi's compute processes (the GPUs tab's
// stream) joined to containers through each process's cgroup (a libpod scope names the
// container id). Pure.
import type { ComputeApp } from '../gpus/gpu';
import type { ProcessOwner } from '../system/process-owner';
import type { ModelServer } from './model-server';

/** MiB per server name, for the servers with at least one process on a GPU. */
export function gpuMemoryByServer(
    servers: readonly ModelServer[], apps: readonly ComputeApp[], owners: ReadonlyMap<number, ProcessOwner | null>,
): Map<string, number> {
    const result = new Map<string, number>();
    for (const app of apps) {
        const owner = owners.get(app.pid);
        if (!owner || owner.kind !== 'container')
            continue;
        // the cgroup holds the full id; libpod ids are 64 hex digits, cgroups may show 12 or more
        const server = servers.find(s => s.id.startsWith(owner.id) || owner.id.startsWith(s.id));
        if (!server)
            continue;
        result.set(server.name, (result.get(server.name) ?? 0) + (app.usedMemoryMiB ?? 0));
    }
    return result;
}
