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
/** A health endpoint answers at once; one that takes longer is as good as down. */
export const HEALTH_TIMEOUT_MS = 5_000;

export async function probeServer(server: ModelServer): Promise<ProbedHealth> {
    if (!server.endpoint)
        return { kind: 'no-endpoint' };
    const path = server.labels[LABEL.healthPath] ?? '/v1/models';
    const http = tcpHttp(server.endpoint.host, server.endpoint.port);
    try {
        const answer = await http.exchange('GET', path, undefined, HEALTH_TIMEOUT_MS);
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
        // each answer is shown when it comes: one slow server does not hold back the others
        const round = () => {
            const running = (serversRef.current ?? []).filter(s => s.state === 'running');
            const names = new Set(running.map(s => s.name));
            setHealth(previous => new Map([...previous].filter(([name]) => names.has(name))));
            for (const server of running)
                void probeServer(server).then(result => alive && setHealth(previous => new Map(previous).set(server.name, result)));
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
