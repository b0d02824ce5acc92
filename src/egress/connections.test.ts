// Live connections as the tab shows them, from recorded ss output (iproute2 6.1) framed as
// ss-snapshots.sh frames it, recorded /proc/<pid>/cgroup files, and a real round of the
// shipped script on this machine.
import { readFixture } from '../../test/unit/fixtures';
import { egressConnections, groupConnections, matchesFilter, plainAddress, type EgressConnection } from './connections';
import { EndpointMatcher, shippedEndpoints } from './endpoints';
import { SsSnapshotReader, type SsSnapshot } from './ss-snapshot-parser';

const CONTAINER_ID = '3f1c0a7be2d94c58a61f0e27b4d85c9013e6a7f2b8c4d5e6f708192a3b4c5d6e';

/** The first snapshot of framed text. */
function firstSnapshot(text: string): SsSnapshot {
    const reader = new SsSnapshotReader();
    for (const line of text.split('\n')) {
        const snapshot = reader.push(line);
        if (snapshot)
            return snapshot;
    }
    throw new Error('no "end" line');
}

/** What ss-snapshots.sh prints for one round of a recorded ss output. */
function frame(ssText: string, exes: [number, string][], cgroupFiles: [number, string][]): string {
    const lines = ssText.split('\n').filter(line => line !== '').map(line => `ss\t${line}`);
    lines.push('status\t0');
    for (const [pid, exe] of exes)
        lines.push(`exe\t${pid}\t${exe}`);
    for (const [pid, file] of cgroupFiles)
        for (const line of readFixture(`proc-cgroup/${file}`).split('\n').filter(l => l !== ''))
            lines.push(`cgroup\t${pid}\t${line}`);
    lines.push('end\t');
    return lines.join('\n');
}

const matcher = new EndpointMatcher(shippedEndpoints());
const NAMES: Record<string, string> = { '198.51.100.7': 'api.openai.com', '2001:db8:a1e5::7': 'huggingface.co' };
const nameOf = (address: string): string | null => NAMES[address] ?? null;

const workstation = firstSnapshot(frame(readFixture('ss/ss-tunapH-e-6.1-workstation.txt'), [[6527, '/usr/bin/curl']], [
    [6542, 'gnome-app-scope-cgmemtime5.txt'],
    [6533, 'hybrid-session-systemd4602.txt'],
    [6529, 'nginx-service-laurel228.txt'],
]));
const connections = egressConnections(workstation, nameOf, matcher);

function atLocalPort(port: number): EgressConnection {
    const found = connections.filter(c => c.local.port === port);
    expect(found).toHaveLength(1);
    return found[0];
}

describe('egressConnections (ss -tunapH -e, 30 sockets)', () => {
    test('listeners, wildcard and loopback peers are left out', () => {
        expect(workstation.sockets).toHaveLength(30);
        expect(connections).toHaveLength(19);
        expect(connections.some(c => c.state === 'LISTEN' || c.state === 'UNCONN' || c.state === 'TIME-WAIT')).toBe(false);
        expect(new Set(connections.map(c => c.peer.address))).toEqual(new Set(['198.51.100.7', '2001:db8:a1e5::7', '10.213.0.1', 'fe80::a1e5:1']));
    });

    test('a connection, field by field', () => {
        expect(atLocalPort(54410)).toEqual({
            key: 'tcp 10.213.0.2:54410 198.51.100.7:8080 526707',
            netid: 'tcp', state: 'ESTAB',
            local: { address: '10.213.0.2', port: 54410, iface: null },
            peer: { address: '198.51.100.7', port: 8080, iface: null },
            peerClass: 'internet',
            direction: 'outbound',
            peerName: 'api.openai.com',
            flag: expect.objectContaining({ name: 'api.openai.com', category: 'cloud-ai', vendor: 'OpenAI' }),
            owner: {
                processes: [{ name: 'curl', pid: 6527, fds: [5], exe: '/usr/bin/curl' }],
                uid: 0,
                group: { kind: 'unit', unit: 'aiws-rec-fetch.service' },
            },
        });
    });

    test('a ::ffff: mapped peer is shown as IPv4; the key keeps what ss printed', () => {
        const mapped = atLocalPort(54424);
        expect(mapped.peer).toEqual({ address: '198.51.100.7', port: 8080, iface: null });
        expect(mapped.local.address).toBe('::ffff:10.213.0.2');
        expect(mapped.key).toBe('tcp ::ffff:10.213.0.2:54424 ::ffff:198.51.100.7:8080 527590');
        expect(mapped.flag?.vendor).toBe('OpenAI');
        const accepted = atLocalPort(8000);
        expect([accepted.peer.address, accepted.peerClass]).toEqual(['10.213.0.1', 'local-network']);
    });

    test('classes, names and flags', () => {
        const byPeer = (address: string) => connections.filter(c => c.peer.address === address);
        expect(byPeer('198.51.100.7')).toHaveLength(14);
        expect(byPeer('2001:db8:a1e5::7').map(c => [c.local.port, c.peerName, c.flag?.category, c.flag?.vendor])).toEqual([
            [35714, 'huggingface.co', 'model-hub', 'Hugging Face'],
            [35692, 'huggingface.co', 'model-hub', 'Hugging Face'],
            [32768, 'huggingface.co', 'model-hub', 'Hugging Face'],
        ]);
        expect(connections.filter(c => c.flag === null).map(c => [c.peer.address, c.peerClass, c.peerName])).toEqual([
            ['10.213.0.1', 'local-network', null],
            ['fe80::a1e5:1', 'local-network', null],
        ]);
    });

    test('a name the list does not know gives no flag', () => {
        const plain = egressConnections(workstation, () => 'mirror.example.org', matcher);
        expect(plain).toHaveLength(19);
        expect(plain.every(c => c.peerName === 'mirror.example.org' && c.flag === null)).toBe(true);
    });

    test('nameOf is asked with the plain address', () => {
        const asked = new Set<string>();
        egressConnections(workstation, address => {
            asked.add(address);
            return null;
        }, matcher);
        expect(asked).toEqual(new Set(['198.51.100.7', '2001:db8:a1e5::7', '10.213.0.1', 'fe80::a1e5:1']));
    });

    test('owners from the socket\'s cgroup, else from the lowest pid\'s /proc/<pid>/cgroup', () => {
        expect(atLocalPort(40044).owner.group).toEqual({ kind: 'container', engine: 'podman', id: CONTAINER_ID, unit: null });
        expect(atLocalPort(40052).owner.group).toEqual({ kind: 'user-session', uid: 1000, session: null, unit: 'app-gnome-kitty-3842.scope' });
        // bash (6533) forked sleep (6543): the parent's cgroup counts
        expect(atLocalPort(40018).owner).toEqual({
            processes: [{ name: 'bash', pid: 6533, fds: [3], exe: null }, { name: 'sleep', pid: 6543, fds: [3], exe: null }],
            uid: 0,
            group: { kind: 'user-session', uid: 1000, session: '1', unit: null },
        });
        expect(atLocalPort(48002).owner.group).toEqual({ kind: 'unit', unit: 'nginx.service' });
        expect(atLocalPort(40010).owner).toMatchObject({ uid: 65534, group: { kind: 'unknown', path: '/' } });
    });

    test('an empty snapshot has no connections', () => {
        expect(egressConnections({ sockets: [], status: 0, error: null, exes: new Map(), cgroups: new Map() }, nameOf, matcher)).toEqual([]);
    });
});

describe('a real round of ss-snapshots.sh on this machine', () => {
    const real = egressConnections(firstSnapshot(readFixture('ss-snapshots/ss-snapshots-1s-3-snapshots-node-holder.txt')), () => null, matcher);

    test('loopback connections are not listed', () => {
        expect(real.some(c => ['127.0.0.1', '::1'].includes(c.peer.address))).toBe(false);
        expect(real.some(c => c.peer.address.startsWith('::ffff:'))).toBe(false);
    });

    test('the UDP socket to the internet, with its executable', () => {
        expect(real.filter(c => c.netid === 'udp')).toEqual([{
            key: 'udp 192.0.2.2:34501 198.51.100.7:53 45380',
            netid: 'udp', state: 'ESTAB',
            local: { address: '192.0.2.2', port: 34501, iface: null },
            peer: { address: '198.51.100.7', port: 53, iface: null },
            peerClass: 'internet', direction: 'outbound', peerName: null, flag: null,
            owner: { processes: [{ name: 'node', pid: 18145, fds: [24], exe: '/usr/bin/node' }], uid: 0, group: { kind: 'unknown', path: '/' } },
        }]);
    });

    test('connections to this machine\'s own addresses (fd00::2, 192.0.2.2 and its ::ffff: form) never leave it: not listed', () => {
        expect(real.filter(c => ['fd00::2', '192.0.2.2'].includes(c.peer.address))).toEqual([]);
        expect(real.map(c => c.peer.address)).toEqual(['198.51.100.7']);
    });
});

describe('incoming and outbound, in the egress world (ss -tunapH -e: its listeners are listed)', () => {
    const NAMES: Record<string, string> = { '203.0.113.10': 'api.openai.com' };
    const world = egressConnections(firstSnapshot(readFixture('ss-snapshots/ss-snapshots-1s-egress-world-inbound.txt')), a => NAMES[a] ?? null, matcher);

    test('the connection accepted on the listener 198.51.100.2:2222 is incoming; the agents\' are outbound', () => {
        expect(world.filter(c => c.direction === 'inbound').map(c => `${c.owner.processes[0]?.name} ${c.peer.address} -> ${c.local.port}`))
            .toEqual(['python3 198.51.100.1 -> 2222']);
        expect(new Set(world.filter(c => c.direction === 'outbound').map(c => c.owner.processes[0]?.name))).toEqual(new Set(['chat-agent', 'update-agent']));
        expect(world.some(c => c.state === 'LISTEN')).toBe(false);
    });

    test('only outbound connections carry a flag', () => {
        expect(world.filter(c => c.flag !== null).every(c => c.direction === 'outbound' && c.peer.address === '203.0.113.10')).toBe(true);
        expect(world.filter(c => c.flag !== null)).toHaveLength(4);
    });

    test('a listener on every address makes what it accepted incoming too (python3 on *:8000)', () => {
        const python = connections.find(c => c.owner.processes[0]?.name === 'python3');
        expect(python?.direction).toBe('inbound');
        expect(connections.filter(c => c.direction === 'inbound')).toHaveLength(1);
    });
});

describe('plainAddress', () => {
    test.each([
        ['::ffff:198.51.100.7', '198.51.100.7'],
        ['::FFFF:10.0.0.1', '10.0.0.1'],
        ['::ffff:c633:6407', '::ffff:c633:6407'],
        ['2001:db8::1', '2001:db8::1'],
        ['192.0.2.1', '192.0.2.1'],
    ])('%s → %s', (address, plain) => {
        expect(plainAddress(address)).toBe(plain);
    });
});

describe('groupConnections', () => {
    test('by program: flagged groups first, then by size, then by label; exe tells programs of one name apart', () => {
        expect(groupConnections(connections, 'process').map(g => [g.key, g.label, g.kind, g.connections.length, g.flagged])).toEqual([
            ['process model-fetch ', 'model-fetch', 'process', 5, 5],
            ['process curl ', 'curl', 'process', 4, 4],
            ['process bash ', 'bash', 'process', 1, 1],
            ['process curl /usr/bin/curl', 'curl (/usr/bin/curl)', 'process', 1, 1],
            ['process half-closed ', 'half-closed', 'process', 1, 1],
            ['process nc ', 'nc', 'process', 1, 1],
            ['process q ', 'q', 'process', 1, 1],
            ['process we(i ', 'we(i', 'process', 1, 1],
            ['process Web Content ', 'Web Content', 'process', 1, 1],
            ['process x",pid=1,fd=2 ', 'x",pid=1,fd=2', 'process', 1, 1],
            ['process dhcp-client ', 'dhcp-client', 'process', 1, 0],
            ['process python3 ', 'python3', 'process', 1, 0],
        ]);
    });

    test('by owner: container, unit, session; the rest by program', () => {
        expect(groupConnections(connections, 'owner').map(g => [g.key, g.label, g.kind, g.connections.length, g.flagged])).toEqual([
            [`container ${CONTAINER_ID}`, '3f1c0a7be2d9', 'container', 5, 5],
            ['process curl ', 'curl', 'process', 3, 3],
            ['unit aiws-rec-fetch.service', 'aiws-rec-fetch.service', 'unit', 1, 1],
            ['session 1000 app-gnome-kitty-3842.scope', 'app-gnome-kitty-3842.scope', 'user-session', 1, 1],
            ['process half-closed ', 'half-closed', 'process', 1, 1],
            ['process nc ', 'nc', 'process', 1, 1],
            ['unit nginx.service', 'nginx.service', 'unit', 1, 1],
            ['process q ', 'q', 'process', 1, 1],
            ['session 1000 session 1', 'session 1', 'user-session', 1, 1],
            ['process we(i ', 'we(i', 'process', 1, 1],
            ['process x",pid=1,fd=2 ', 'x",pid=1,fd=2', 'process', 1, 1],
            ['process dhcp-client ', 'dhcp-client', 'process', 1, 0],
            ['process python3 ', 'python3', 'process', 1, 0],
        ]);
    });

    test('a flagged group of one comes before a bigger group without flags', () => {
        const unflagged = connections.filter(c => c.flag === null);
        const many = [...unflagged, ...unflagged.map(c => ({ ...c, key: `${c.key} copy` }))];
        const groups = groupConnections([...many, atLocalPort(40034)], 'process');
        expect(groups.map(g => [g.label, g.connections.length, g.flagged])).toEqual([['nc', 1, 1], ['dhcp-client', 2, 0], ['python3', 2, 0]]);
    });

    test('a socket without a process, and a session known only by uid', () => {
        const [base] = connections;
        const orphan: EgressConnection = { ...base, key: 'orphan', owner: { processes: [], uid: null, group: null } };
        const byUid: EgressConnection = { ...base, key: 'uid', owner: { processes: [], uid: 1000, group: { kind: 'user-session', uid: 1000, session: null, unit: null } } };
        expect(groupConnections([orphan], 'process').map(g => [g.key, g.label, g.kind])).toEqual([['none', 'No process (closing, or not visible to this user)', 'none']]);
        expect(groupConnections([byUid], 'owner').map(g => [g.key, g.label, g.kind])).toEqual([['session 1000 uid 1000', 'uid 1000', 'user-session']]);
    });

    test('nothing in, nothing out', () => {
        expect(groupConnections([], 'owner')).toEqual([]);
    });
});

describe('matchesFilter', () => {
    const matching = (filter: string) => connections.filter(c => matchesFilter(c, filter)).map(c => c.local.port);

    test('an empty or blank filter matches all', () => {
        expect(matching('')).toHaveLength(19);
        expect(matching('   ')).toHaveLength(19);
    });

    test('by program name, executable and pid, case-insensitive', () => {
        expect(matching('WEB content')).toEqual([40052]);
        expect(matching('/usr/bin/curl')).toEqual([54410]);
        expect(matching('6546')).toEqual([54448]);
        expect(matching('bash')).toEqual([40018]);
        expect(matching('sleep')).toEqual([40018]);
    });

    test('by peer address, port and name', () => {
        expect(matching('10.213.0.1')).toEqual([8000]);
        expect(matching('fe80::a1e5')).toEqual([57086]);
        expect(matching('7000')).toEqual([57086]);
        expect(matching('huggingface.co')).toEqual([35714, 35692, 32768]);
    });

    test('by flag vendor and category', () => {
        expect(matching('hugging face')).toEqual([35714, 35692, 32768]);
        expect(matching('model-hub')).toEqual([35714, 35692, 32768]);
        expect(matching('OpenAI')).toHaveLength(14);
    });

    test('by unit, container id and session unit, surrounding spaces ignored', () => {
        expect(matching(' nginx.service ')).toEqual([48002]);
        expect(matching('aiws-rec-fetch')).toEqual([54410]);
        expect(matching('3f1c0a7be2d9')).toEqual([59387, 35714, 40044, 54424, 35692]);
        expect(matching('gnome-kitty')).toEqual([40052]);
    });

    test('no match', () => {
        expect(matching('no-such-thing')).toEqual([]);
    });
});

describe('grouping and filter details', () => {
    test('the filter finds a session by its label ("session 1") and a container by its unit', () => {
        const session = connections.filter(c => matchesFilter(c, 'session 1'));
        expect(session.length).toBeGreaterThan(0);
        expect(session.every(c => c.owner.group?.kind === 'user-session')).toBe(true);
    });

    test('one program name from several executables makes groups that say which (where the executable is known)', () => {
        const curl = connections.filter(c => c.owner.processes[0]?.name === 'curl');
        const other = curl.slice(0, 1).map(c => ({ ...c, key: `${c.key} other`, owner: { ...c.owner, processes: [{ ...c.owner.processes[0], exe: '/opt/venv/bin/curl' }] } }));
        const labels = groupConnections([...curl, ...other], 'process').map(g => g.label).filter(l => l.startsWith('curl'));
        expect(labels.sort()).toEqual(['curl', 'curl (/opt/venv/bin/curl)', 'curl (/usr/bin/curl)']);
        const oneExe = curl.filter(c => c.owner.processes[0]?.exe === '/usr/bin/curl');
        expect(groupConnections(oneExe, 'process').map(g => g.label)).toEqual(['curl']);
    });
});
