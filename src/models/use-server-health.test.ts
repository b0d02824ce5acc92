import { act, renderHook } from '@testing-library/react';
import type { TcpHttp } from '../../pkg/lib/http';
import { HostError } from '../../pkg/lib/host-error';
import { recordedServers } from '../../test/unit/fake-podman-client';
import type { ModelServer } from './model-server';
import { HEALTH_PERIOD_MS, HEALTH_TIMEOUT_MS, probeServer, useServerHealth } from './use-server-health';

// the probes go through pkg/lib's tcpHttp, scripted here per port
interface Exchange { address: string, port: number, method: string, path: string, timeoutMs: number | undefined, closed: boolean }
const mockExchanges: Exchange[] = [];
let mockAnswer: (port: number) => Promise<{ status: number, body: string }>;
jest.mock('../../pkg/lib/http', () => ({
    tcpHttp: (address: string, port: number): TcpHttp => {
        let current: Exchange | null = null;
        return {
            exchange: (method: 'GET' | 'POST', path: string, _body?: string, timeoutMs?: number) => {
                current = { address, port, method, path, timeoutMs, closed: false };
                mockExchanges.push(current);
                return mockAnswer(port);
            },
            close() {
                if (current)
                    current.closed = true;
            },
        };
    },
}));

const servers = recordedServers();
const server = (name: string): ModelServer => servers.find(s => s.name === name) as ModelServer;
const ok = () => Promise.resolve({ status: 200, body: '{"status":"ok"}' });

beforeEach(() => {
    mockExchanges.length = 0;
    mockAnswer = ok;
});

describe('probeServer', () => {
    test('GET of the health path the labels name, on the published port, with a short timeout', async () => {
        const result = await probeServer(server('aiws-rec-ours'));
        expect(result).toMatchObject({ kind: 'healthy' });
        expect(mockExchanges).toEqual([{ address: '127.0.0.1', port: 18181, method: 'GET', path: '/health', timeoutMs: HEALTH_TIMEOUT_MS, closed: true }]);
    });

    test('without a health-path label: /v1/models', async () => {
        await probeServer(server('aiws-rec-ramalama'));
        expect(mockExchanges[0]).toMatchObject({ port: 18182, path: '/v1/models' });
    });

    test('503 is a server loading its model; another status or no answer is unhealthy', async () => {
        mockAnswer = () => Promise.resolve({ status: 503, body: '{"error":{"message":"Loading model"}}' });
        expect(await probeServer(server('aiws-rec-ours'))).toEqual({ kind: 'starting' });
        mockAnswer = () => Promise.resolve({ status: 404, body: 'Not Found' });
        expect(await probeServer(server('aiws-rec-ours'))).toMatchObject({ kind: 'unhealthy', detail: 'HTTP 404' });
        mockAnswer = () => Promise.reject(new HostError('timeout', 'http://127.0.0.1:18181/health', 'no answer within 5 s'));
        expect(await probeServer(server('aiws-rec-ours'))).toMatchObject({ kind: 'unhealthy', detail: 'no answer within 5 s' });
        expect(mockExchanges.every(e => e.closed)).toBe(true);
    });

    test('no published port: nothing to ask', async () => {
        expect(await probeServer({ ...server('aiws-rec-ours'), ports: [], endpoint: null })).toEqual({ kind: 'no-endpoint' });
        expect(mockExchanges).toEqual([]);
    });
});

describe('useServerHealth', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    async function flush() {
        for (let i = 0; i < 3; i++)
            await act(async () => { await Promise.resolve() });
    }

    test('running servers only, each shown when it answers, again every period', async () => {
        const slow: ((answer: { status: number, body: string }) => void)[] = [];
        mockAnswer = port => port === 18187 ? new Promise(resolve => slow.push(resolve)) : ok();
        const { result } = renderHook(() => useServerHealth(servers));
        await flush();
        const running = servers.filter(s => s.state === 'running').map(s => s.endpoint?.port).sort();
        expect(running).toEqual([18080, 18181, 18182, 18183, 18184, 18187]);
        expect(mockExchanges.map(e => e.port).sort()).toEqual(running);
        // aiws-rec-unhealthy has not answered: the others are shown already
        expect([...result.current.keys()].sort()).toEqual(['aiws-rec-ailab', 'aiws-rec-ours', 'aiws-rec-public', 'aiws-rec-ramalama', 'aiws-test1']);
        expect(result.current.get('aiws-rec-ours')).toMatchObject({ kind: 'healthy' });
        await act(async () => slow[0]({ status: 500, body: '' }));
        await flush();
        expect(result.current.get('aiws-rec-unhealthy')).toMatchObject({ kind: 'unhealthy', detail: 'HTTP 500' });

        await act(async () => { jest.advanceTimersByTime(HEALTH_PERIOD_MS - 1) });
        expect(mockExchanges).toHaveLength(6);
        await act(async () => { jest.advanceTimersByTime(1) });
        await flush();
        expect(mockExchanges).toHaveLength(12);
    });

    test('a server that stops is dropped from the map; unmount stops the probes', async () => {
        const hook = renderHook(({ list }: { list: ModelServer[] }) => useServerHealth(list), { initialProps: { list: servers } });
        await flush();
        expect(hook.result.current.has('aiws-rec-ours')).toBe(true);
        const stopped = servers.map(s => s.name === 'aiws-rec-ours' ? { ...s, state: 'exited' as const, exitCode: 0 } : s);
        hook.rerender({ list: stopped });
        await flush();
        expect(hook.result.current.has('aiws-rec-ours')).toBe(false);
        expect(hook.result.current.size).toBe(5);
        const probes = mockExchanges.length;
        hook.unmount();
        await act(async () => { jest.advanceTimersByTime(HEALTH_PERIOD_MS * 3) });
        expect(mockExchanges).toHaveLength(probes);
    });
});
