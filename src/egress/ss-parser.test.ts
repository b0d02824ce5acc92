// ss on recorded real output: this machine's namespaces (iproute2 6.1), RHEL 9.4 and CentOS 7.9.
import { readFixture } from '../../test/unit/fixtures';
import { parseErrorOf } from '../../test/unit/parse-errors';
import type { SsSocket } from './egress';
import { isCutSsLine, parseSs, parseSsLine } from './ss-parser';

const CONTAINER = '/aiws-rec.slice/machine.slice/libpod-3f1c0a7be2d94c58a61f0e27b4d85c9013e6a7f2b8c4d5e6f708192a3b4c5d6e.scope/container';

function byLocalPort(sockets: readonly SsSocket[], port: number): SsSocket {
    const found = sockets.filter(s => s.local.port === port);
    expect(found).toHaveLength(1);
    return found[0];
}

function byPid(sockets: readonly SsSocket[], pid: number): SsSocket[] {
    return sockets.filter(s => s.processes.some(p => p.pid === pid));
}

function count<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const item of items)
        counts[key(item)] = (counts[key(item)] ?? 0) + 1;
    return counts;
}

describe('ss -tunpH -e (iproute2 6.1, connected sockets only)', () => {
    const sockets = parseSs(readFixture('ss/ss-tunpH-e-6.1-workstation.txt'));

    test('every line is a socket, none listening', () => {
        expect(sockets).toHaveLength(23);
        expect(count(sockets, s => s.netid)).toEqual({ udp: 2, tcp: 21 });
        expect(count(sockets, s => s.state)).toEqual({ ESTAB: 21, 'SYN-SENT': 1, 'CLOSE-WAIT': 1 });
    });

    test('a curl in a unit-like cgroup, to the internet side', () => {
        expect(byLocalPort(sockets, 54410)).toEqual({
            netid: 'tcp', state: 'ESTAB', recvQ: 0, sendQ: 0,
            local: { address: '10.213.0.2', port: 54410, iface: null },
            peer: { address: '198.51.100.7', port: 8080, iface: null },
            processes: [{ name: 'curl', pid: 6527, fd: 5 }],
            uid: 0, inode: 526707, cgroup: '/aiws-rec.slice/aiws-rec-fetch.service',
        });
    });

    test('a connection to a dropped port waits in SYN-SENT with its SYN queued', () => {
        const syn = sockets.find(s => s.state === 'SYN-SENT')!;
        expect(syn.peer).toEqual({ address: '198.51.100.7', port: 9, iface: null });
        expect(syn.sendQ).toBe(1);
        expect(syn.processes).toEqual([{ name: 'curl', pid: 6529, fd: 5 }]);
    });

    test('ss leaves uid out when it is 0: only the curl run as nobody has one', () => {
        expect(sockets.filter(s => s.uid !== 0).map(s => [s.processes[0].pid, s.uid])).toEqual([[6531, 65534]]);
    });

    test('one process with several sockets, in a container-like cgroup', () => {
        const fetch = byPid(sockets, 6532);
        expect(fetch.map(s => [s.netid, s.peer.address, s.peer.port, s.processes[0].fd])).toEqual([
            ['udp', '198.51.100.7', 53, 5],
            ['udp', '2001:db8:a1e5::7', 53, 6],
            ['tcp', '198.51.100.7', 443, 3],
            ['tcp', '::ffff:198.51.100.7', 8080, 9],
            ['tcp', '2001:db8:a1e5::7', 443, 4],
        ]);
        expect(new Set(fetch.map(s => s.cgroup))).toEqual(new Set([CONTAINER]));
    });

    test('a socket shared by a shell and the child it forked', () => {
        expect(byLocalPort(sockets, 40018).processes).toEqual([
            { name: 'sleep', pid: 6543, fd: 3 }, { name: 'bash', pid: 6533, fd: 3 },
        ]);
    });

    test('a cgroup directory with spaces, commas and parentheses', () => {
        expect(byLocalPort(sockets, 40034).cgroup).toBe('/aiws-rec.slice/odd name, (x).scope');
    });

    test('hostile process names come out as the kernel has them', () => {
        expect(byLocalPort(sockets, 40052).processes[0].name).toBe('Web Content');
        // comm "we(i)rd, \"name\"": ss stops reading it at the first ')'
        expect(byLocalPort(sockets, 40060).processes[0].name).toBe('we(i');
        // comm 'x",pid=1,fd=2' does not pass for pid 1
        expect(byLocalPort(sockets, 54428).processes).toEqual([{ name: 'x",pid=1,fd=2', pid: 6544, fd: 3 }]);
        // comm 'q),("z' cannot open a second entry
        expect(byLocalPort(sockets, 54436).processes).toEqual([{ name: 'q', pid: 6545, fd: 3 }]);
        // exec -a changes argv[0], not comm
        expect(byLocalPort(sockets, 54448).processes).toEqual([{ name: 'curl', pid: 6546, fd: 5 }]);
    });

    test('IPv6, IPv4-mapped, loopback and link-local addresses', () => {
        expect(byLocalPort(sockets, 32768).peer.address).toBe('2001:db8:a1e5::7');
        expect(byPid(sockets, 6355)[0].local).toEqual({ address: '::ffff:10.213.0.2', port: 8000, iface: null });
        expect(byPid(sockets, 6355)[0].peer).toEqual({ address: '::ffff:10.213.0.1', port: 59196, iface: null });
        expect(byLocalPort(sockets, 53386).peer).toEqual({ address: '::1', port: 8081, iface: null });
        expect(byLocalPort(sockets, 43884).peer).toEqual({ address: '127.0.0.1', port: 8081, iface: null });
        // the interface of a link-local socket stands after the bracket
        expect(byPid(sockets, 6536)[0].local).toEqual({ address: 'fe80::b81c:e7ff:fe85:7049', port: 57086, iface: 'aiwsr-ws' });
        expect(byPid(sockets, 6536)[0].peer).toEqual({ address: 'fe80::a1e5:1', port: 443, iface: null });
    });

    test('a half-closed connection (arrow -->) still reads its details', () => {
        const half = sockets.find(s => s.state === 'CLOSE-WAIT')!;
        expect(half).toMatchObject({ recvQ: 1, uid: 0, inode: 527615, cgroup: '/', processes: [{ name: 'half-closed', pid: 6547, fd: 3 }] });
    });
});

describe('ss -tunapH -e (all sockets)', () => {
    const sockets = parseSs(readFixture('ss/ss-tunapH-e-6.1-workstation.txt'));

    test('listeners, unconnected UDP and TIME-WAIT are added', () => {
        expect(sockets).toHaveLength(30);
        expect(count(sockets, s => s.state)).toEqual({ ESTAB: 21, 'SYN-SENT': 1, 'CLOSE-WAIT': 1, LISTEN: 3, UNCONN: 3, 'TIME-WAIT': 1 });
        expect(byPid(sockets, 6532)).toHaveLength(7);
    });

    test('listeners and unbound peers', () => {
        const listen = sockets.filter(s => s.state === 'LISTEN');
        expect(listen.map(s => [s.local, s.peer])).toEqual([
            [{ address: '127.0.0.1', port: 8081, iface: null }, { address: '0.0.0.0', port: '*', iface: null }],
            [{ address: '::1', port: 8081, iface: null }, { address: '::', port: '*', iface: null }],
            // a dual-stack socket prints as '*' (v6only:0)
            [{ address: '*', port: 8000, iface: null }, { address: '*', port: '*', iface: null }],
        ]);
        expect(listen.map(s => s.processes[0].name)).toEqual(['llama-server', 'llama-server', 'python3']);
    });

    test('a device-bound UDP socket and a dual-stack one', () => {
        expect(byLocalPort(sockets, 68)).toMatchObject({
            netid: 'udp', state: 'UNCONN', local: { address: '0.0.0.0', port: 68, iface: 'aiwsr-ws' },
            processes: [{ name: 'dhcp-client', pid: 6536, fd: 3 }], inode: 527599,
        });
        expect(byLocalPort(sockets, 5355)).toMatchObject({ local: { address: '*', port: 5355, iface: null }, cgroup: CONTAINER });
    });

    test('a TIME-WAIT socket has no process, no owner and no cgroup', () => {
        expect(sockets.find(s => s.state === 'TIME-WAIT')).toEqual({
            netid: 'tcp', state: 'TIME-WAIT', recvQ: 0, sendQ: 0,
            local: { address: '::ffff:127.0.0.1', port: 8000, iface: null },
            peer: { address: '::ffff:127.0.0.1', port: 41326, iface: null },
            processes: [], uid: null, inode: null, cgroup: null,
        });
    });
});

describe('--cgroup prints the cgroup a second time', () => {
    test.each([
        ['ss/ss-tunpH-e-cgroup-6.1-workstation.txt', 'ss/ss-tunpH-e-6.1-workstation.txt'],
        ['ss/ss-tunapH-e-cgroup-6.1-workstation.txt', 'ss/ss-tunapH-e-6.1-workstation.txt'],
    ])('%s reads like %s', (withCgroup, without) => {
        expect(parseSs(readFixture(withCgroup))).toEqual(parseSs(readFixture(without)));
    });
});

test('ss -tunp: the header is skipped, and without -e there is no uid, inode or cgroup', () => {
    const plain = parseSs(readFixture('ss/ss-tunp-header-6.1-workstation.txt'));
    const detailed = parseSs(readFixture('ss/ss-tunpH-e-6.1-workstation.txt'));
    expect(plain).toEqual(detailed.map(s => ({ ...s, uid: null, inode: null, cgroup: null })));
});

describe('control characters in process names', () => {
    const text = readFixture('ss/ss-tunpH-e-6.1-control-chars-in-names.txt');

    test('a newline in a name cuts its line; the whole output joins it again', () => {
        expect(text.split('\n').filter(l => l !== '')).toHaveLength(4);
        const sockets = parseSs(text);
        expect(sockets.map(s => [s.processes[0].name, s.processes[0].pid, s.inode])).toEqual([
            ['tab\there', 6759, 528953],
            ['ev\nil', 6758, 528955],
            ['\x1b[31mred', 6760, 527143],
        ]);
        expect(new Set(sockets.map(s => s.peer.port))).toEqual(new Set([4443]));
    });

    test('a cgroup path that looks like a process list cuts nothing', () => {
        const line = 'tcp TIME-WAIT 0 0 10.0.0.1:1 10.0.0.2:2 ino:9 sk:1 cgroup:/x users:(("y <->';
        expect(isCutSsLine(line)).toBe(false);
        expect(parseSs([line, 'tcp ESTAB 0 0 10.0.0.1:3 10.0.0.2:4'].join('\n')).map(s => s.cgroup)).toEqual(['/x users:(("y', null]);
    });

    test('line by line, the cut line says so and parses once joined', () => {
        const [, first, second] = text.split('\n');
        expect(isCutSsLine(first)).toBe(true);
        expect(isCutSsLine(second)).toBe(false);
        expect(parseErrorOf(() => parseSsLine(first)).tool).toBe('ss');
        expect(parseSsLine(first + '\n' + second)?.processes).toEqual([{ name: 'ev\nil', pid: 6758, fd: 3 }]);
    });
});

describe('ss -tupna from other hosts', () => {
    test('RHEL 9.4 (new layout, header, addr%iface, shared sockets)', () => {
        const sockets = parseSs(readFixture('ss/ss-tupna-rhel94-image-mode.txt'));
        expect(sockets).toHaveLength(11);
        expect(sockets[0]).toEqual({
            netid: 'udp', state: 'ESTAB', recvQ: 0, sendQ: 0,
            local: { address: '192.168.122.81', port: 68, iface: 'enp1s0' },
            peer: { address: '192.168.122.1', port: 67, iface: null },
            processes: [{ name: 'NetworkManager', pid: 617, fd: 27 }],
            uid: null, inode: null, cgroup: null,
        });
        expect(byLocalPort(sockets, 49994)).toMatchObject({
            state: 'ESTAB', peer: { address: '147.229.255.104', port: 443 }, processes: [{ name: 'rhcd', pid: 1875, fd: 7 }],
        });
        expect(sockets.filter(s => s.local.port === 111).map(s => [s.netid, s.local.address, s.processes.map(p => p.pid)])).toEqual([
            ['udp', '0.0.0.0', [611, 1]], ['udp', '::', [611, 1]], ['tcp', '0.0.0.0', [611, 1]], ['tcp', '::', [611, 1]],
        ]);
        expect(sockets.find(s => s.peer.port === 34320)?.processes).toEqual([
            { name: 'sshd', pid: 784, fd: 4 }, { name: 'sshd', pid: 762, fd: 4 },
        ]);
        expect(sockets.filter(s => s.local.port === 323).map(s => [s.netid, s.local.address])).toEqual([['udp', '127.0.0.1'], ['udp', '::1']]);
    });

    test('CentOS 7.9 (old layout: no brackets, "*" for any address, no newline at the end)', () => {
        const text = readFixture('ss/ss-tupna-centos79-old-format.txt');
        expect(text.endsWith('\n')).toBe(false);
        const sockets = parseSs(text);
        expect(sockets).toHaveLength(14);
        expect(count(sockets, s => `${s.netid} ${s.state}`)).toEqual({ 'udp UNCONN': 7, 'tcp LISTEN': 6, 'tcp ESTAB': 1 });
        expect(sockets[0]).toMatchObject({
            netid: 'udp', state: 'UNCONN', local: { address: '*', port: 68, iface: null }, peer: { address: '*', port: '*', iface: null },
            processes: [{ name: 'dhclient', pid: 2753, fd: 6 }],
        });
        expect(sockets.filter(s => s.netid === 'udp' && s.local.address.includes(':')).map(s => [s.local.address, s.local.port, s.peer.address, s.peer.port])).toEqual([
            ['::', 111, '::', '*'], ['::1', 323, '::', '*'], ['::', 915, '::', '*'],
        ]);
        expect(sockets[sockets.length - 1]).toMatchObject({
            netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 100,
            local: { address: '::1', port: 25 }, processes: [{ name: 'master', pid: 2963, fd: 14 }],
        });
        expect(sockets.find(s => s.state === 'ESTAB')).toMatchObject({
            local: { address: '10.0.211.26', port: 22 }, peer: { address: '10.39.194.238', port: 44650 },
            processes: [{ name: 'sshd', pid: 11940, fd: 3 }, { name: 'sshd', pid: 11937, fd: 3 }],
        });
    });
});

describe('lines it cannot read', () => {
    const GOOD = 'tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("sshd",pid=1,fd=3))';

    test.each([
        ['raw UNCONN 0 0 0.0.0.0:255 0.0.0.0:*', 'not a TCP or UDP socket'],
        ['ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000', 'no Netid column'],
        ['tcp WAITING 0 0 10.0.0.1:22 10.0.0.2:5000', 'not a socket state'],
        ['tcp ESTAB 0 0 10.0.0.1:ssh 10.0.0.2:5000', '"ssh" is not a port number'],
        ['tcp ESTAB 0 0 10.0.0.1:70000 10.0.0.2:5000', '"70000" is not a port number'],
        ['tcp ESTAB 0 0 router.lan:22 10.0.0.2:5000', '"router.lan" is not a numeric address'],
        ['tcp ESTAB 0 0 10.0.0.1 10.0.0.2:5000', 'is not address:port'],
        ['tcp ESTAB 0 0 [fe80::1:22 10.0.0.2:5000', 'no closing bracket'],
        ['tcp ESTAB 0 0 [fe80::1]x:22 10.0.0.2:5000', 'after the address'],
        ['tcp ESTAB 0 0 10.0.0.1%:22 10.0.0.2:5000', 'empty interface name'],
        ['tcp ESTAB 0 0 10.0.0.1:22', 'expected netid, state, queues'],
        ['tcp ESTAB x 0 10.0.0.1:22 10.0.0.2:5000', 'expected netid, state, queues'],
        ['tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("sshd",pid=1,proc_ctx=unconfined,fd=3))', 'not ("name",pid=N,fd=N)'],
        ['tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("sshd",pid=1,fd=3)', 'does not end with'],
        ['tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("sshd",pid=1,fd=3);', 'does not end with'],
    ])('%s', (line, message) => {
        const error = parseErrorOf(() => parseSsLine(line));
        expect(error.tool).toBe('ss');
        expect(error.message).toContain(message);
        expect(error.snippet).toBe(line);
    });

    test('the error names the line of the whole output', () => {
        const error = parseErrorOf(() => parseSs(['Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process', GOOD, 'tcp ESTAB 0 0 a:1 b:2'].join('\n')));
        expect(error.message).toBe('line 3 of ss\'s output: "a" is not a numeric address (ss needs -n)');
        expect(error.snippet).toBe('tcp ESTAB 0 0 a:1 b:2');
    });

    test('an unclosed process list does not swallow the next socket', () => {
        const lines = ['tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("a', ...new Array<string>(20).fill(GOOD)];
        const error = parseErrorOf(() => parseSs(lines.join('\n')));
        expect(error.message).toBe('line 1 of ss\'s output: a process name runs into the next line');
        expect(error.snippet.split('\n')).toHaveLength(2);
    });

    test('nor the rest of the output', () => {
        const lines = ['tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("a', ...new Array<string>(20).fill('b')];
        const error = parseErrorOf(() => parseSs(lines.join('\n')));
        expect(error.message).toMatch(/^line 1 /);
        // comm holds at most 15 newlines
        expect(error.snippet.split('\n')).toHaveLength(16);
    });

    test('a header, blank lines and padding are no sockets', () => {
        expect(parseSsLine('Netid  State      Recv-Q Send-Q Local Address:Port               Peer Address:Port')).toBeNull();
        expect(parseSsLine('State Recv-Q Send-Q Local Address:Port Peer Address:Port')).toBeNull();
        expect(parseSsLine('   ')).toBeNull();
        expect(parseSs('\n\n')).toEqual([]);
        expect(parseSsLine('   ' + GOOD + '     ')?.processes).toEqual([{ name: 'sshd', pid: 1, fd: 3 }]);
    });
});

describe('-e details', () => {
    test('a cgroup directory cannot pass for uid or inode', () => {
        const socket = parseSsLine('tcp ESTAB 0 0 10.0.0.1:1 10.0.0.2:2 users:(("a",pid=1,fd=3)) uid:1000 ino:5 sk:1 cgroup:/evil uid:0 ino:9 <->');
        expect(socket).toMatchObject({ uid: 1000, inode: 5, cgroup: '/evil uid:0 ino:9' });
    });

    test('a process name cannot pass for details', () => {
        const socket = parseSsLine('tcp ESTAB 0 0 10.0.0.1:1 10.0.0.2:2 users:(("uid:0 ino:7",pid=1,fd=3)) uid:1000 ino:5 sk:1');
        expect(socket).toMatchObject({ uid: 1000, inode: 5, cgroup: null, processes: [{ name: 'uid:0 ino:7' }] });
    });

    test('unknown details are ignored, and so are the -i and -m extras', () => {
        const socket = parseSsLine('tcp ESTAB 0 0 10.0.0.1:1 10.0.0.2:2 users:(("a",pid=1,fd=3)) timer:(on,,2) uid:7 ino:5 sk:ff fwmark:0x1 cgroup:/x.slice --- skmem:(r0,rb131072) ts sack cubic wscale:7,7 rto:204');
        expect(socket).toMatchObject({ uid: 7, inode: 5, cgroup: '/x.slice' });
    });

    test('an empty name, and the old scope inside the address', () => {
        const socket = parseSsLine('udp UNCONN 0 0 fe80::1%eth0:546 :::* users:(("",pid=9,fd=1))');
        expect(socket).toMatchObject({ local: { address: 'fe80::1', port: 546, iface: 'eth0' }, peer: { address: '::', port: '*' }, processes: [{ name: '', pid: 9, fd: 1 }] });
    });
});
