// Who owns a process, from real /proc/<pid>/cgroup files.
import { ParseError } from '../../pkg/lib/parse-error';
import { readFixture } from '../../test/unit/fixtures';
import { ownerOfCgroupPath, parseProcCgroup } from './process-owner';

test.each([
    ['proc-cgroup/podman-rootful-libpod-scope-podman20423.txt',
        { kind: 'container', engine: 'podman', id: 'cf21d19260ace8544fe8b769fc2638bf2c0873dfbfff0b6253f0569b26a1d5eb', unit: null }],
    ['proc-cgroup/nginx-service-laurel228.txt', { kind: 'unit', unit: 'nginx.service' }],
    ['proc-cgroup/ssh-session-ubuntu2204-cgmemtime5.txt', { kind: 'user-session', uid: 1000, session: '3', unit: null }],
    ['proc-cgroup/gnome-app-scope-cgmemtime5.txt', { kind: 'user-session', uid: 1000, session: null, unit: 'app-gnome-kitty-3842.scope' }],
    ['proc-cgroup/podman-unshare-crun376.txt', { kind: 'user-session', uid: 1000, session: null, unit: 'podman-6696.scope' }],
    // cgroup v1 + v2 hybrid: the unified line names the session
    ['proc-cgroup/hybrid-session-systemd4602.txt', { kind: 'user-session', uid: 1000, session: '1', unit: null }],
    // v1 with an empty unified line: the name=systemd hierarchy holds the path
    ['proc-cgroup/v1-root-unified-snapd9128.txt', { kind: 'user-session', uid: 0, session: '1', unit: null }],
])('%s', (file, owner) => {
    expect(parseProcCgroup(readFixture(file))).toEqual(owner);
});

test('a Quadlet container runs under its unit (podman --cgroups=split)', () => {
    // the path layout of podman-run(1) --cgroups=split: <unit>.service/libpod-payload-<id>
    expect(ownerOfCgroupPath('/system.slice/llama-server.service/libpod-payload-91c57c2ae87a8d57123bbb3083b3e158b911c4fd485da131f636f83f979b092c'))
            .toEqual({ kind: 'container', engine: 'podman', id: '91c57c2ae87a8d57123bbb3083b3e158b911c4fd485da131f636f83f979b092c', unit: 'llama-server.service' });
    expect(ownerOfCgroupPath('/init.scope')).toEqual({ kind: 'unknown', path: '/init.scope' });
});

test('a socket unit owns the listeners systemd made in its cgroup', () => {
    expect(ownerOfCgroupPath('/system.slice/cockpit.socket')).toEqual({ kind: 'unit', unit: 'cockpit.socket' });
    expect(ownerOfCgroupPath('/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.socket'))
            .toEqual({ kind: 'user-session', uid: 1000, session: null, unit: 'pipewire.socket' });
});

test('a file that is not a cgroup list is a parse error', () => {
    expect(() => parseProcCgroup('')).toThrow(ParseError);
    expect(() => parseProcCgroup('not a cgroup line')).toThrow(ParseError);
});
