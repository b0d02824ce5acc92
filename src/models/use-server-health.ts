// The page's own health check of each running server: GET of its health path through
// the bridge (HTTP, no process), every HEALTH_PERIOD_MS. podman's healthcheck needs
// systemd timers on the host; this works everywhere and is what the admin cares about:
// does the API answer.
import { useEffect, useRef, useState } from 'react';
import { tcpHttp } from '../../pkg/lib/http';
import { LABEL, type ModelServer } from './model-server';

export type ProbedHealth =
    | { kind: 'checking' }
    | { kind: 'healthy', at: number }
    | { kind: 'unhealthy', at: number, detail: string }
    | { kind: 'starting' } // 503 "loading model" from llama.cpp and vLLM
    | { kind: 'no-endpoint' };

export const HEALTH_PERIOD_MS = 10_000;

export async function probeServer(server: ModelServer): Promise<ProbedHealth> {
    if (!server.endpoint)
        return { kind: 'no-endpoint' };
    const path = server.labels[LABEL.healthPath] ?? '/v1/models';
    const http = tcpHttp(server.endpoint.host, server.endpoint.port);
    try {
        const answer = await http.exchange('GET', path);
        if (answer.status >= 200 && answer.status < 300)
            return { kind: 'healthy', at: Date.now() };
        if (answer.status === 503)
            return { kind: 'starting' };
        return { kind: 'unhealthy', at: Date.now(), detail: `HTTP ${answer.status}` };
    } catch (error) {
        return { kind: 'unhealthy', at: Date.now(), detail: error instanceof Error ? error.message : String(error) };
    } finally {
        http.close();
    }
}

export function useServerHealth(servers: readonly ModelServer[] | null): ReadonlyMap<string, ProbedHealth> {
    const [health, setHealth] = useState<ReadonlyMap<string, ProbedHealth>>(new Map());
    const serversRef = useRef(servers);
    serversRef.current = servers;
    const key = (servers ?? []).filter(s => s.state === 'running').map(s => `${s.name}@${s.endpoint?.port ?? ''}`).join(',');

    useEffect(() => {
        let alive = true;
        const round = () => {
            const running = (serversRef.current ?? []).filter(s => s.state === 'running');
            Promise.all(running.map(async s => [s.name, await probeServer(s)] as const)).then(results => {
                if (alive)
                    setHealth(new Map(results));
            });
        };
        round();
        const timer = setInterval(round, HEALTH_PERIOD_MS);
        return () => {
            alive = false;
            clearInterval(timer);
        };
    }, [key]);

    return health;
}
