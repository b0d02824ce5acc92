import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { parseContainerInspect } from './libpod-inspect-parser';

const fixtures = path.join(__dirname, '../../test/fixtures/podman');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const recorded = read('libpod-container-inspect-4.3.1.json');

/** The recorded aiws-test1 with some parts changed. */
const variant = (change: (c: Record<string, Record<string, unknown>>) => void): string => {
    const c = JSON.parse(recorded) as Record<string, Record<string, unknown>>;
    change(c);
    return JSON.stringify(c);
};

const expectParseError = (text: string, message: RegExp) => {
    expect(() => parseContainerInspect(text)).toThrow(ParseError);
    expect(() => parseContainerInspect(text)).toThrow(message);
};

test('aiws-test1 as podman 4.3.1 describes it', () => {
    expect(parseContainerInspect(recorded)).toEqual({
        id: '6da563e7c49f98676d254474fb60aba716602a4495c79133590b004dd2f3398f',
        name: 'aiws-test1',
        image: 'localhost/aiws-echo-server:latest',
        imageId: '7f46d9e1c1427ce0f8a6937e7430738505f961eb577947373e2b4dfc39d64a08',
        created: Date.UTC(2026, 11, 2, 7, 59, 45, 243),
        command: ['--model', '/models/tiny.gguf', '--host', '0.0.0.0', '--port', '8080'],
        entrypoint: ['/bin/aiws-echo-server'],
        env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm', 'container=podman', 'HOSTNAME=6da563e7c49f'],
        mounts: [{ source: '/srv/models/tiny.gguf', destination: '/models/tiny.gguf', readOnly: true, type: 'bind' }],
        // --cap-drop all is listed cap by cap, as podman resolved it
        capDrop: [
            'CAP_AUDIT_WRITE', 'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_MKNOD',
            'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
        ],
        capAdd: [],
        noNewPrivileges: true,
        readOnlyRoot: true,
        memoryLimit: 256 * 1024 * 1024,
        networks: ['ai-workstation'],
        ports: [{ hostIp: '127.0.0.1', hostPort: 18080, containerPort: 8080, protocol: 'tcp' }],
        devices: [],
        health: { status: 'starting', failingStreak: 0, log: [] },
        restartPolicy: 'no',
        state: 'running',
        exitCode: 0,
        error: '',
        oomKilled: false,
    });
});

test('healthy after one check: the log entry', () => {
    const details = parseContainerInspect(read('libpod-container-inspect-ours-4.3.1.json'));
    expect(details.health).toEqual({
        status: 'healthy',
        failingStreak: 0,
        log: [{ start: '2026-12-02T08:03:09.274972976Z', exitCode: 0, output: '' }],
    });
    expect(details.env).toContain('LLAMA_ARG_CTX_SIZE=4096');
});

test('unhealthy: failing streak and the checks\' output', () => {
    const { health } = parseContainerInspect(read('libpod-container-inspect-unhealthy-4.3.1.json'));
    expect(health.status).toBe('unhealthy');
    expect(health.failingStreak).toBe(3);
    expect(health.log).toHaveLength(3);
    expect(health.log[2]).toEqual({
        start: '2026-12-02T08:03:09.836198439Z',
        exitCode: 1,
        output: "wget: can't connect to remote host (127.0.0.1): Connection refused",
    });
});

test('exited: no healthcheck (Status ""), exit code, defaults of a plain run', () => {
    expect(parseContainerInspect(read('libpod-container-inspect-exited-4.3.1.json'))).toMatchObject({
        name: 'aiws-rec-exited',
        state: 'exited',
        exitCode: 1,
        health: { status: 'none', failingStreak: 0, log: [] },
        capDrop: [],
        noNewPrivileges: false,
        readOnlyRoot: false,
        memoryLimit: null,
        networks: ['podman'],
        ports: [{ hostIp: '127.0.0.1', hostPort: 18185, containerPort: 8080, protocol: 'tcp' }],
    });
});

test('devices, restart policy, added caps, a volume, an image without entrypoint', () => {
    expect(parseContainerInspect(read('libpod-container-inspect-devices-4.3.1.json'))).toMatchObject({
        name: 'aiws-rec-devices',
        image: 'localhost/bbtest:1',
        state: 'created',
        devices: ['/dev/null', '/dev/zero'],
        restartPolicy: 'on-failure:3',
        capAdd: ['CAP_NET_ADMIN'],
        mounts: [{ source: '/var/lib/containers/storage/volumes/aiws-rec-vol/_data', destination: '/data', readOnly: false, type: 'volume' }],
        // Entrypoint is "" and Args is ["60"]: the command is Cmd
        entrypoint: [],
        command: ['sleep', '60'],
        ports: [],
    });
});

describe('shapes the recordings lack', () => {
    test("podman inspect's one-element list", () => {
        expect(parseContainerInspect(`[${recorded}]`).name).toBe('aiws-test1');
    });

    test('podman 5 and Docker: Entrypoint as a list, name with a slash', () => {
        const details = parseContainerInspect(variant(c => {
            c.Config.Entrypoint = ['/bin/sh', '-c'];
            c.Name = '/aiws-test1' as unknown as Record<string, unknown>;
        }));
        expect(details.entrypoint).toEqual(['/bin/sh', '-c']);
        expect(details.name).toBe('aiws-test1');
    });

    test('podman 3: State.Healthcheck', () => {
        const details = parseContainerInspect(variant(c => {
            c.State.Healthcheck = { Status: 'healthy', FailingStreak: 0, Log: null };
            delete c.State.Health;
        }));
        expect(details.health.status).toBe('healthy');
    });

    test('no Config.Cmd: Args', () => {
        expect(parseContainerInspect(variant(c => {
            delete c.Config.Cmd;
        })).command).toEqual(['--model', '/models/tiny.gguf', '--host', '0.0.0.0', '--port', '8080']);
    });

    test('security options in their other spellings', () => {
        const nnp = (opts: string[]) => parseContainerInspect(variant(c => {
            c.HostConfig.SecurityOpt = opts;
        })).noNewPrivileges;
        expect(nnp(['label=disable', 'no-new-privileges:true'])).toBe(true);
        expect(nnp(['no-new-privileges=true'])).toBe(true);
        expect(nnp(['no-new-privileges:false'])).toBe(false);
        expect(nnp(['seccomp=unconfined'])).toBe(false);
    });

    test('an exposed port nobody publishes, udp, several bindings', () => {
        expect(parseContainerInspect(variant(c => {
            c.NetworkSettings.Ports = {
                '8080/tcp': null,
                '5353/udp': [{ HostIp: '', HostPort: '15353' }, { HostIp: '::1', HostPort: '15354' }],
            };
        })).ports).toEqual([
            { hostIp: '', hostPort: 15353, containerPort: 5353, protocol: 'udp' },
            { hostIp: '::1', hostPort: 15354, containerPort: 5353, protocol: 'udp' },
        ]);
    });

    test('a start failure and an OOM kill', () => {
        expect(parseContainerInspect(variant(c => {
            c.State.Status = 'exited';
            c.State.Error = 'crun: executable file not found';
            c.State.OOMKilled = true;
            c.State.ExitCode = 137;
        }))).toMatchObject({ state: 'exited', error: 'crun: executable file not found', oomKilled: true, exitCode: 137 });
    });

    test('a date that does not parse is null', () => {
        expect(parseContainerInspect(variant(c => {
            c.Created = 'yesterday' as unknown as Record<string, unknown>;
        })).created).toBeNull();
    });
});

describe('damaged answers are ParseErrors', () => {
    test('truncated', () => {
        expectParseError(recorded.slice(0, 3000), /container inspect is not JSON/);
    });

    test('not an object', () => {
        expectParseError('[]', /container is not an object/);
        expectParseError('"x"', /container is not an object/);
    });

    test('wrong field types', () => {
        expectParseError(variant(c => {
            delete c.Id;
        }), /Id is not a string/);
        expectParseError(variant(c => {
            c.Config.Entrypoint = 5;
        }), /Config\.Entrypoint is not a list/);
        expectParseError(variant(c => {
            c.HostConfig.Memory = '256m';
        }), /HostConfig\.Memory is not a number/);
        expectParseError(variant(c => {
            c.NetworkSettings.Ports = { http: [] };
        }), /port http is not PORT\/PROTOCOL/);
        expectParseError(variant(c => {
            c.NetworkSettings.Ports = { '8080/tcp': [{ HostIp: '', HostPort: 'eighty' }] };
        }), /HostPort of 8080\/tcp is not a number/);
        expectParseError(variant(c => {
            c.State.Health = { Status: 'healthy', Log: {} };
        }), /Health\.Log is not a list/);
        expectParseError(variant(c => {
            c.HostConfig.Devices = ['/dev/null'];
        }), /HostConfig\.Devices\[0\] is not an object/);
    });
});
