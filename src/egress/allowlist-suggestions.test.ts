// Audit mode's harvest on recorded connections: what would be suggested for the allowlist.
import { readFixture } from '../../test/unit/fixtures';
import { parseAllowlist } from './allowlist';
import { suggestAllowlist } from './allowlist-suggestions';
import { egressConnections, type NameOf } from './connections';
import { EndpointMatcher, shippedEndpoints } from './endpoints';
import { SsSnapshotReader, type SsSnapshot } from './ss-snapshot-parser';

function snapshotOf(ssText: string): SsSnapshot {
    const reader = new SsSnapshotReader();
    for (const line of ssText.split('\n').filter(l => l !== ''))
        reader.push(`ss\t${line}`);
    reader.push('status\t0');
    return reader.push('end\t')!;
}

const matcher = new EndpointMatcher(shippedEndpoints());
const workstation = snapshotOf(readFixture('ss/ss-tunapH-e-6.1-workstation.txt'));
const connectionsNamed = (names: Record<string, string>) => {
    const nameOf: NameOf = address => names[address] ?? null;
    return egressConnections(workstation, nameOf, matcher);
};

const ALL_198 = ['model-fetch', 'curl', 'bash', 'sleep', 'nc', 'Web Content', 'we(i', 'x",pid=1,fd=2', 'q', 'half-closed'];

test('peers without a name are suggested by address, with every program seen reaching them', () => {
    expect(suggestAllowlist(connectionsNamed({}), [])).toEqual([
        { value: '198.51.100.7', programs: ALL_198 },
        { value: '2001:db8:a1e5::7', programs: ['model-fetch', 'curl'] },
    ]);
});

test('flagged peers are never suggested; local-network peers neither', () => {
    const connections = connectionsNamed({ '198.51.100.7': 'api.openai.com', '2001:db8:a1e5::7': 'mirror.example.org' });
    expect(connections.filter(c => c.peerClass === 'local-network').map(c => c.peer.address)).toEqual(['10.213.0.1', 'fe80::a1e5:1']);
    expect(suggestAllowlist(connections, [])).toEqual([{ value: 'mirror.example.org', programs: ['model-fetch', 'curl'] }]);
});

test('a flagged model hub is not suggested either', () => {
    expect(suggestAllowlist(connectionsNamed({ '198.51.100.7': 'huggingface.co', '2001:db8:a1e5::7': 'cdn-lfs-us-1.huggingface.co' }), [])).toEqual([]);
});

test('a peer already listed, by name or by address, is skipped', () => {
    const connections = connectionsNamed({ '2001:db8:a1e5::7': 'mirror.example.org' });
    expect(suggestAllowlist(connections, parseAllowlist('mirror.example.org\n').entries)).toEqual([{ value: '198.51.100.7', programs: ALL_198 }]);
    // listed by its address while the page knows its name
    expect(suggestAllowlist(connections, parseAllowlist('2001:DB8:A1E5:0:0:0:0:7\n198.51.100.7\n').entries)).toEqual([]);
});

test('the resolvers default deny lets through are not suggested', () => {
    expect(suggestAllowlist(connectionsNamed({}), [], ['198.51.100.7'])).toEqual([{ value: '2001:db8:a1e5::7', programs: ['model-fetch', 'curl'] }]);
});

test('suggestions are sorted by value', () => {
    const connections = connectionsNamed({ '198.51.100.7': 'zeta.example.net', '2001:db8:a1e5::7': 'alpha.example.net' });
    expect(suggestAllowlist(connections, []).map(s => s.value)).toEqual(['alpha.example.net', 'zeta.example.net']);
});

test('peers of one name are gathered into one suggestion, each program once', () => {
    const connections = connectionsNamed({ '198.51.100.7': 'zeta.example.net', '2001:db8:a1e5::7': 'zeta.example.net' });
    expect(suggestAllowlist(connections, [])).toEqual([{ value: 'zeta.example.net', programs: ALL_198 }]);
});

test('no connections, no suggestions', () => {
    expect(suggestAllowlist([], [])).toEqual([]);
});

test('a peer that only connected in (the admin\'s own client) is not suggested', () => {
    const reader = new SsSnapshotReader();
    const first = readFixture('ss-snapshots/ss-snapshots-1s-egress-world-inbound.txt').split('\n').map(line => reader.push(line)).find(s => s !== null);
    const world = egressConnections(first!, () => null, matcher);
    expect(world.some(c => c.peer.address === '198.51.100.1' && c.direction === 'inbound')).toBe(true);
    expect(suggestAllowlist(world, []).map(s => s.value)).toEqual(['203.0.113.10', '203.0.113.20']);
});

test('a peer inside a network the allowlist already lists is not suggested', () => {
    const { entries } = parseAllowlist('198.51.100.0/24\n');
    expect(suggestAllowlist(connectionsNamed({}), entries).map(s => s.value)).toEqual(['2001:db8:a1e5::7']);
    expect(suggestAllowlist(connectionsNamed({}), parseAllowlist('2001:db8::/32\n').entries).map(s => s.value)).toEqual(['198.51.100.7']);
});
