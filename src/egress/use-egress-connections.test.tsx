// The live connections hook with systemd-resolved's monitor: a peer's name comes from the DNS
// answer a program got (test/fixtures/resolvectl), not from a reverse lookup.
import { act, renderHook } from '@testing-library/react';
import { onSpawn, resetFake, type SpawnCall } from '../../test/unit/fake-cockpit';
import { readFixture } from '../../test/unit/fixtures';
import { useEgressConnections } from './use-egress-connections';

// one recorded ss line, its peer moved to the address the recorded DNS answers carry
const ssLine = readFixture('ss/ss-tunapH-e-6.1-workstation.txt').split('\n').find(line => line.includes(':54410 '))!
    .replace('198.51.100.7:8080', '203.0.113.80:443');
const monitorLines = readFixture('resolvectl/resolvectl-monitor-json-short-252.txt');

let calls: SpawnCall[];
let monitorAvailable: boolean;
beforeEach(() => {
    resetFake();
    calls = [];
    monitorAvailable = true;
    onSpawn(call => {
        calls.push(call);
        if (call.argv[0] === 'sh' && call.argv[2]?.includes('io.systemd.Resolve.Monitor'))
            return monitorAvailable ? call.finish({ stdout: '' }) : call.finish({ error: { problem: null, message: '', exit_status: 1 } });
        if (call.argv[0] === '/bin/sh' && call.argv.includes('forward'))
            return call.finish({ stdout: 'end\t\n' });
        if (call.argv[0] === '/bin/sh' && call.argv.includes('reverse'))
            return call.finish({ stdout: `key\t203.0.113.80\nanswer\t203.0.113.80 edge-80.cdn.example.net\nend\t\n` });
    });
});

async function flush() {
    for (let i = 0; i < 5; i++)
        await act(async () => { await Promise.resolve() });
}

const snapshot = () => `ss\t${ssLine}\nstatus\t0\nend\t\n`;
const byArgv0 = (argv0: string) => calls.filter(c => c.argv[0] === argv0);

test('the name a program asked systemd-resolved for beats the reverse lookup', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    try {
        const { result } = renderHook(() => useEgressConnections(true, true));
        await flush();
        const monitor = byArgv0('resolvectl');
        expect(monitor.map(c => c.argv)).toEqual([['resolvectl', 'monitor', '--json=short']]);
        act(() => monitor[0].emit(monitorLines));
        await act(async () => { jest.advanceTimersByTime(500) });
        const ss = calls.find(c => c.argv[0] === 'sh' && c.argv[1] === '-c' && c.argv[3] === 'ss-snapshots.sh')!;
        act(() => ss.emit(snapshot()));
        await flush();
        expect(result.current.connections?.map(c => [c.peer.address, c.peerName])).toEqual([['203.0.113.80', 'registry.npmjs.org']]);
        expect(result.current.dnsMonitor).toBe(true);
        // a name known from DNS is never looked up in reverse
        expect(calls.some(c => c.argv.includes('reverse'))).toBe(false);
    } finally {
        jest.useRealTimers();
    }
});

test('without the monitor (no systemd-resolved) the name comes from a reverse lookup', async () => {
    monitorAvailable = false;
    const { result } = renderHook(() => useEgressConnections(true, true));
    await flush();
    expect(byArgv0('resolvectl')).toEqual([]);
    const ss = calls.find(c => c.argv[0] === 'sh' && c.argv[3] === 'ss-snapshots.sh')!;
    act(() => ss.emit(snapshot()));
    await flush();
    expect(result.current.connections?.map(c => c.peerName)).toEqual(['edge-80.cdn.example.net']);
    expect(result.current.dnsMonitor).toBe(false);
});
