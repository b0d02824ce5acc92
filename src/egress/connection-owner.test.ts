// Who owns a recorded connection: processes, user, unit or container.
import { readFixture } from '../../test/unit/fixtures';
import { connectionOwner } from './connection-owner';
import type { SsSocket } from './egress';
import { parseSs, parseSsLine } from './ss-parser';

const detailed = parseSs(readFixture('ss/ss-tunapH-e-6.1-workstation.txt'));
const plain = parseSs(readFixture('ss/ss-tunp-header-6.1-workstation.txt'));

function atLocalPort(sockets: readonly SsSocket[], port: number): SsSocket {
    return sockets.find(s => s.local.port === port)!;
}

test('a process in a container-like cgroup', () => {
    expect(connectionOwner(atLocalPort(detailed, 40044))).toEqual({
        processes: [{ name: 'model-fetch', pid: 6532, fds: [3], exe: null }],
        uid: 0,
        group: { kind: 'container', engine: 'podman', id: '3f1c0a7be2d94c58a61f0e27b4d85c9013e6a7f2b8c4d5e6f708192a3b4c5d6e', unit: null },
    });
});

test('a process in a unit, with its executable', () => {
    const owner = connectionOwner(atLocalPort(detailed, 54410), { exes: new Map([[6527, '/usr/bin/curl']]) });
    expect(owner).toEqual({
        processes: [{ name: 'curl', pid: 6527, fds: [5], exe: '/usr/bin/curl' }],
        uid: 0,
        group: { kind: 'unit', unit: 'aiws-rec-fetch.service' },
    });
});

test('the user of a socket run as nobody', () => {
    expect(connectionOwner(atLocalPort(detailed, 40010)).uid).toBe(65534);
});

test('a shared socket lists the parent first', () => {
    expect(connectionOwner(atLocalPort(detailed, 40018)).processes.map(p => [p.name, p.pid])).toEqual([['bash', 6533], ['sleep', 6543]]);
});

test('a cgroup that is neither unit nor container stays unknown with its path', () => {
    expect(connectionOwner(atLocalPort(detailed, 40034)).group).toEqual({ kind: 'unknown', path: '/aiws-rec.slice/odd name, (x).scope' });
});

test('the cgroup v2 root says nothing: the process\'s own cgroup is asked instead', () => {
    const socket = atLocalPort(detailed, 40052);
    expect(socket.cgroup).toBe('/');
    expect(connectionOwner(socket).group).toEqual({ kind: 'unknown', path: '/' });
    expect(connectionOwner(socket, { processCgroup: '/system.slice/ollama.service' }).group).toEqual({ kind: 'unit', unit: 'ollama.service' });
});

test('the socket\'s own cgroup wins over the process\'s', () => {
    expect(connectionOwner(atLocalPort(detailed, 54410), { processCgroup: '/system.slice/other.service' }).group)
            .toEqual({ kind: 'unit', unit: 'aiws-rec-fetch.service' });
});

test('without -e the user comes from a session cgroup', () => {
    const socket = atLocalPort(plain, 40052);
    expect(connectionOwner(socket)).toEqual({ processes: [{ name: 'Web Content', pid: 6542, fds: [3], exe: null }], uid: null, group: null });
    expect(connectionOwner(socket, { processCgroup: '/user.slice/user-1000.slice/session-3.scope' })).toMatchObject({
        uid: 1000, group: { kind: 'user-session', uid: 1000, session: '3', unit: null },
    });
});

test('a TIME-WAIT socket has no owner', () => {
    expect(connectionOwner(detailed.find(s => s.state === 'TIME-WAIT')!)).toEqual({ processes: [], uid: null, group: null });
});

test('a socket unit\'s listener, and one socket on two descriptors of one process', () => {
    const socket = parseSsLine('tcp LISTEN 0 4096 *:9090 *:* users:(("systemd",pid=1,fd=52),("cockpit-ws",pid=812,fd=3),("cockpit-ws",pid=812,fd=4)) ino:23151 sk:9 cgroup:/system.slice/cockpit.socket v6only:0 <->')!;
    expect(connectionOwner(socket)).toEqual({
        processes: [{ name: 'systemd', pid: 1, fds: [52], exe: null }, { name: 'cockpit-ws', pid: 812, fds: [3, 4], exe: null }],
        uid: 0,
        group: { kind: 'unit', unit: 'cockpit.socket' },
    });
});
