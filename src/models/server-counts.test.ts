// The Overview's line about model servers, from podman's recorded list (podman 4.3.1) and
// the page's own probes of each server's API.
import { readFixture } from '../../test/unit/fixtures';
import { parseContainerList } from './libpod-containers-parser';
import type { ModelServer } from './model-server';
import { serverCounts } from './server-counts';
import type { ProbedHealth } from './use-server-health';

const servers = parseContainerList(readFixture('podman/libpod-containers-json-4.3.1.json'));
const byName = (name: string): ModelServer => {
    const server = servers.find(s => s.name === name);
    if (!server)
        throw new Error(`no ${name} in ${servers.map(s => s.name).join(' ')}`);
    return server;
};

const AT = Date.UTC(2026, 11, 2, 8, 5);
const healthy: ProbedHealth = { kind: 'healthy', at: AT };
const unhealthy: ProbedHealth = { kind: 'unhealthy', at: AT, detail: 'connect ECONNREFUSED 127.0.0.1:18181' };

test('the recorded list before any probe: podman\'s own health decides', () => {
    // running: aiws-test1, -ours, -ramalama, -ailab, -public, -unhealthy;
    // not running: -ailab-badlabel (created), -exited, -stopped (exited), -paused
    expect(serverCounts(servers, new Map())).toEqual({ running: 6, stopped: 4, unhealthy: 1 });
    expect(byName('aiws-rec-unhealthy')).toMatchObject({ state: 'running', health: 'unhealthy' });
});

test('every state but running counts as stopped, whatever its health', () => {
    const states = servers.filter(s => s.state !== 'running').map(s => s.state).sort();
    expect(states).toEqual(['created', 'exited', 'exited', 'paused']);
    const stoppedButUnhealthy = { ...byName('aiws-rec-exited'), health: 'unhealthy' as const };
    expect(serverCounts([stoppedButUnhealthy], new Map([['aiws-rec-exited', unhealthy]]))).toEqual({ running: 0, stopped: 1, unhealthy: 0 });
});

test('a probe that fails makes a server unhealthy that podman calls healthy', () => {
    const health = new Map([['aiws-rec-ours', unhealthy]]);
    expect(byName('aiws-rec-ours').health).toBe('healthy');
    expect(serverCounts(servers, health)).toEqual({ running: 6, stopped: 4, unhealthy: 2 });
});

test('a probe that answers is fresher than podman\'s last check', () => {
    const health = new Map([['aiws-rec-unhealthy', healthy]]);
    expect(serverCounts(servers, health)).toEqual({ running: 6, stopped: 4, unhealthy: 0 });
});

test('servers without a healthcheck count as unhealthy only when their probe fails', () => {
    const ramalama = byName('aiws-rec-ramalama');
    expect(ramalama.health).toBe('none');
    expect(serverCounts([ramalama], new Map())).toEqual({ running: 1, stopped: 0, unhealthy: 0 });
    expect(serverCounts([ramalama], new Map([['aiws-rec-ramalama', unhealthy]]))).toEqual({ running: 1, stopped: 0, unhealthy: 1 });
});

test('a server still loading its model is not unhealthy', () => {
    const health = new Map<string, ProbedHealth>([['aiws-test1', { kind: 'starting' }], ['aiws-rec-ours', { kind: 'checking' }]]);
    expect(serverCounts([byName('aiws-test1'), byName('aiws-rec-ours')], health)).toEqual({ running: 2, stopped: 0, unhealthy: 0 });
});

test('probes are matched by name: a probe of another server changes nothing', () => {
    const health = new Map([['aiws-rec-gone', unhealthy]]);
    expect(serverCounts(servers, health)).toEqual({ running: 6, stopped: 4, unhealthy: 1 });
});

test('no servers: nothing counted', () => {
    expect(serverCounts([], new Map())).toEqual({ running: 0, stopped: 0, unhealthy: 0 });
});
