// The Overview's one line about model servers. Pure.
import type { ModelServer } from './model-server';
import type { ProbedHealth } from './use-server-health';

export interface ServerCounts {
    running: number;
    stopped: number;
    /** Running, but its API does not answer (the page's probe) or podman's check failed. */
    unhealthy: number;
}

export function serverCounts(servers: readonly ModelServer[], health: ReadonlyMap<string, ProbedHealth>): ServerCounts {
    let running = 0;
    let stopped = 0;
    let unhealthy = 0;
    for (const server of servers) {
        if (server.state !== 'running') {
            stopped++;
            continue;
        }
        running++;
        const probed = health.get(server.name);
        if (probed ? probed.kind === 'unhealthy' : server.health === 'unhealthy')
            unhealthy++;
    }
    return { running, stopped, unhealthy };
}
