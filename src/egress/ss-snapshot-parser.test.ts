// The framed output of ss-snapshots.sh: recorded runs of the shipped script on this
// machine (test/fixtures/ss-snapshots), and frames built around the recorded ss and
// /proc/<pid>/cgroup files.
import { readFixture } from '../../test/unit/fixtures';
import { SsSnapshotReader, type SsSnapshot } from './ss-snapshot-parser';

/** Feeds the text line by line; the snapshots, and the lines left after the last "end". */
function readAll(text: string): { snapshots: SsSnapshot[], pendingAfterLast: number } {
    const reader = new SsSnapshotReader();
    const snapshots: SsSnapshot[] = [];
    let pendingAfterLast = 0;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '')
        lines.pop();
    for (const line of lines) {
        const snapshot = reader.push(line);
        if (snapshot) {
            snapshots.push(snapshot);
            pendingAfterLast = 0;
        } else {
            pendingAfterLast++;
        }
    }
    return { snapshots, pendingAfterLast };
}

/** What ss-snapshots.sh prints for one round: every ss line prefixed, the status, the processes' facts, "end". */
function frame(ssText: string, { status = 0, exes = [], cgroups = [] }: {
    status?: number;
    exes?: [number, string][];
    cgroups?: [number, string][];
} = {}): string {
    const lines = ssText.split('\n').filter(line => line !== '').map(line => `ss\t${line}`);
    lines.push(`status\t${status}`);
    for (const [pid, exe] of exes)
        lines.push(`exe\t${pid}\t${exe}`);
    for (const [pid, file] of cgroups)
        for (const line of file.split('\n').filter(l => l !== ''))
            lines.push(`cgroup\t${pid}\t${line}`);
    lines.push('end\t');
    return lines.join('\n') + '\n';
}

describe('three rounds of the real script, one second apart', () => {
    const { snapshots, pendingAfterLast } = readAll(readFixture('ss-snapshots/ss-snapshots-1s-3-snapshots-node-holder.txt'));

    test('one snapshot per "end" line, nothing left over', () => {
        expect(snapshots).toHaveLength(3);
        expect(pendingAfterLast).toBe(0);
        expect(snapshots.map(s => s.sockets.length)).toEqual([11, 9, 9]);
        expect(snapshots.map(s => [s.status, s.error])).toEqual([[0, null], [0, null], [0, null]]);
    });

    test('the first round: both processes, their executables and cgroups', () => {
        const [first] = snapshots;
        expect([...first.exes]).toEqual([[18145, '/usr/bin/node'], [18153, '/usr/bin/node']]);
        // this machine's v2 line is "0::/" and its name=systemd line "/": nothing more telling
        expect([...first.cgroups]).toEqual([[18145, '/'], [18153, '/']]);
        expect(first.sockets.filter(s => s.processes.some(p => p.pid === 18153)).map(s => [s.local.port, s.peer.address, s.peer.port]))
                .toEqual([[54854, '192.0.2.2', 46447]]);
    });

    test('a socket of the real output, field by field', () => {
        expect(snapshots[0].sockets[0]).toEqual({
            netid: 'udp', state: 'ESTAB', recvQ: 0, sendQ: 0,
            local: { address: '192.0.2.2', port: 34501, iface: null },
            peer: { address: '198.51.100.7', port: 53, iface: null },
            processes: [{ name: 'node', pid: 18145, fd: 24 }],
            uid: 0, inode: 45380, cgroup: '/',
        });
        const accepted = snapshots[0].sockets.find(s => s.inode === 44861)!;
        expect([accepted.local, accepted.peer]).toEqual([
            { address: '::ffff:192.0.2.2', port: 46447, iface: null },
            { address: '::ffff:192.0.2.2', port: 54854, iface: null },
        ]);
    });

    test('rounds are independent: the child that exited leaves no trace in the next one', () => {
        const [first, second, third] = snapshots;
        expect([...second.exes]).toEqual([[18145, '/usr/bin/node']]);
        expect([...second.cgroups.keys()]).toEqual([18145]);
        expect(second.sockets.some(s => s.processes.some(p => p.pid === 18153))).toBe(false);
        // both ends of the child's connection are gone
        expect(second.sockets.map(s => s.inode)).not.toContain(45391);
        expect(second.sockets.map(s => s.inode)).not.toContain(44861);
        expect(first.sockets.map(s => s.inode)).toEqual(expect.arrayContaining([45391, 44861]));
        // each snapshot has maps of its own
        expect(second.exes).not.toBe(first.exes);
        expect(first.exes.size).toBe(2);
        expect(third.sockets.map(s => s.inode)).toEqual(second.sockets.map(s => s.inode));
    });
});

describe('ss failing inside the real script', () => {
    const { snapshots } = readAll(readFixture('ss-snapshots/ss-snapshots-bad-filter-status-1.txt'));

    test('the status and ss\'s own words, no sockets', () => {
        expect(snapshots).toHaveLength(1);
        expect(snapshots[0]).toEqual({
            sockets: [], status: 1,
            error: 'Error: "notaport" does not look like a port.\nCannot parse dst/src address.',
            exes: new Map(), cgroups: new Map(),
        });
    });

    test('a failure without words still says which status', () => {
        const reader = new SsSnapshotReader();
        expect(reader.push('status\t255')).toBeNull();
        expect(reader.push('end\t')).toMatchObject({ sockets: [], status: 255, error: 'ss exited with status 255' });
    });

    test('a good round after a failed one is clean again', () => {
        const text = readFixture('ss-snapshots/ss-snapshots-bad-filter-status-1.txt') +
            frame(readFixture('ss/ss-tunpH-e-6.1-workstation.txt'));
        const { snapshots: [failed, good] } = readAll(text);
        expect(failed.status).toBe(1);
        expect(good).toMatchObject({ status: 0, error: null });
        expect(good.sockets).toHaveLength(23);
    });

    test('ss lines after a non-zero status are not parsed as sockets', () => {
        const { snapshots: [snapshot] } = readAll(frame(readFixture('ss/ss-tunpH-e-6.1-workstation.txt'), { status: 1 }));
        expect(snapshot.sockets).toEqual([]);
        expect(snapshot.error).toMatch(/^udp ESTAB +0 +0 +10\.213\.0\.2:59387 /);
    });
});

describe('frames around the recorded ss and /proc/<pid>/cgroup files', () => {
    const workstation = readFixture('ss/ss-tunpH-e-6.1-workstation.txt');

    test('executables and cgroups of the named processes, by pid', () => {
        const { snapshots: [snapshot] } = readAll(frame(workstation, {
            exes: [[6527, '/usr/bin/curl'], [6542, '/usr/lib/firefox/firefox']],
            cgroups: [
                [6542, readFixture('proc-cgroup/gnome-app-scope-cgmemtime5.txt')],
                [6533, readFixture('proc-cgroup/hybrid-session-systemd4602.txt')],
                [6541, readFixture('proc-cgroup/v1-root-unified-snapd9128.txt')],
                [6532, readFixture('proc-cgroup/podman-rootful-libpod-scope-podman20423.txt')],
            ],
        }));
        expect(snapshot.sockets).toHaveLength(23);
        expect(snapshot.error).toBeNull();
        expect(snapshot.exes).toEqual(new Map([[6527, '/usr/bin/curl'], [6542, '/usr/lib/firefox/firefox']]));
        expect(snapshot.cgroups).toEqual(new Map([
            [6542, '/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-kitty-3842.scope'],
            [6533, '/user.slice/user-1000.slice/session-1.scope'],
            // v2 line "0::/": the name=systemd hierarchy is asked
            [6541, '/user.slice/user-0.slice/session-1.scope'],
            [6532, '/user.slice/user-0.slice/user@0.service/machine.slice/libpod-cf21d19260ace8544fe8b769fc2638bf2c0873dfbfff0b6253f0569b26a1d5eb.scope/container'],
        ]));
    });

    test('a process name cut by a newline still parses: the continuation carries the prefix too', () => {
        const { snapshots: [snapshot] } = readAll(frame(readFixture('ss/ss-tunpH-e-6.1-control-chars-in-names.txt'),
            { exes: [[6758, '/usr/bin/curl']] }));
        expect(snapshot.error).toBeNull();
        expect(snapshot.sockets.map(s => [s.processes[0].name, s.processes[0].pid, s.local.port])).toEqual([
            ['tab\there', 6759, 35986],
            ['ev\nil', 6758, 36002],
            ['\x1b[31mred', 6760, 36016],
        ]);
        expect(snapshot.exes.get(6758)).toBe('/usr/bin/curl');
    });

    test('a cut process name in the real script\'s output', () => {
        const { snapshots } = readAll(readFixture('ss-snapshots/ss-snapshots-exe-path-with-newline.txt'));
        expect(snapshots[0].sockets.map(s => [s.processes[0]?.name, s.peer.address, s.peer.port]))
                .toEqual([['py\nend\t', '198.51.100.9', 53]]);
    });

    test('malformed cgroup files are dropped without throwing; the others stay', () => {
        const reader = new SsSnapshotReader();
        const lines = frame(workstation, {
            cgroups: [
                [6527, readFixture('proc-cgroup/nginx-service-laurel228.txt')],
                [6529, 'not a cgroup line'],
                [6531, '0::/system.slice/ok.service\ngarbage'],
            ],
        }).split('\n').filter(l => l !== '');
        let snapshot: SsSnapshot | null = null;
        expect(() => {
            for (const line of lines)
                snapshot = reader.push(line) ?? snapshot;
        }).not.toThrow();
        expect(snapshot!.cgroups).toEqual(new Map([[6527, '/system.slice/nginx.service']]));
        expect(snapshot!.sockets).toHaveLength(23);
    });

    test('exe and cgroup lines without a pid are ignored', () => {
        const reader = new SsSnapshotReader();
        for (const line of ['status\t0', 'exe\t/usr/bin/curl', 'exe\tx12\t/usr/bin/curl', 'cgroup\t\t0::/x.service', 'exe\t7\t/usr/bin/ok'])
            expect(reader.push(line)).toBeNull();
        const snapshot = reader.push('end\t')!;
        expect(snapshot.exes).toEqual(new Map([[7, '/usr/bin/ok']]));
        expect(snapshot.cgroups.size).toBe(0);
    });

    test('lines of an unknown kind are ignored, and nothing is returned before "end"', () => {
        const reader = new SsSnapshotReader();
        expect(reader.push('hello\tworld')).toBeNull();
        expect(reader.push('')).toBeNull();
        expect(reader.push('status\t0')).toBeNull();
        expect(reader.push('end\t')).toEqual({ sockets: [], status: 0, error: null, exes: new Map(), cgroups: new Map() });
    });
});
