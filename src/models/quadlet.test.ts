// The Quadlet files of a model server: the exact text for one plan, the GPU variants,
// values that would break a naive writer (blanks, quotes, backslashes, '%', '$'), the
// reader that finds them again, and every key checked against podman's documented lists.
import { samplePlan } from '../../test/unit/server-plan';
import { LABEL } from './model-server';
import {
    QUADLET_CONTAINER_KEYS, QUADLET_NETWORK_KEYS, parseQuadletFile, quadletFile, quadletKeysProblem, quadletNetworkFile,
    unitWord, unitWords,
} from './quadlet';

const plan = samplePlan;

/** The values of one key, in order. */
function values(text: string, key: string): string[] {
    return text.split('\n').filter(line => line.startsWith(`${key}=`)).map(line => line.slice(key.length + 1));
}

test('the exact file for a GPU server with every GPU', () => {
    const file = quadletFile(plan());
    expect(file.fileName).toBe('llama.container');
    expect(file.unitName).toBe('llama.service');
    expect(file.text).toBe(`# A model server of the Cockpit AI workstation page (Models tab).
[Unit]
Description=Model server llama
Requires=ai-workstation-models-firewall.service
After=ai-workstation-models-firewall.service

[Container]
ContainerName=llama
Image=ghcr.io/ggml-org/llama.cpp:server-cuda
Pull=missing
Network=ai-workstation.network
PublishPort=127.0.0.1:8080:8080
Volume=/var/lib/models/qwen2.5-7b-q4.gguf:/models/qwen2.5-7b-q4.gguf:ro,nosuid,nodev
AddDevice=nvidia.com/gpu=all
DropCapability=ALL
NoNewPrivileges=true
ReadOnly=true
ReadOnlyTmpfs=true
PodmanArgs=--memory=16g
Label=ai-workstation.api=openai
Label=ai-workstation.catalog=llama-cpp
Label=ai-workstation.gpus=all
Label=ai-workstation.health-path=/health
Label=ai-workstation.managed=true
Label=ai-workstation.model=/var/lib/models/qwen2.5-7b-q4.gguf
HealthCmd=["curl","-fsS","http://127.0.0.1:8080/health"]
HealthInterval=30s
HealthRetries=3
HealthStartPeriod=60s
HealthTimeout=5s
Exec=--model /models/qwen2.5-7b-q4.gguf --port 8080 --host 0.0.0.0 -ngl 999

[Service]
Restart=on-failure
TimeoutStartSec=900

[Install]
WantedBy=multi-user.target default.target
`);
    expect(quadletKeysProblem(file.text)).toBeNull();
});

test('two CDI devices give one AddDevice each; a bare index becomes a CDI name', () => {
    const { text } = quadletFile(plan({ gpus: { kind: 'some', devices: ['nvidia.com/gpu=0', '1'] } }));
    expect(values(text, 'AddDevice')).toEqual(['nvidia.com/gpu=0', 'nvidia.com/gpu=1']);
    expect(quadletKeysProblem(text)).toBeNull();
});

test('a CPU-only server has no devices; without a read-only root or health command those keys go too', () => {
    const { text } = quadletFile(plan({ gpus: { kind: 'none' }, readOnlyRoot: false, healthCmd: null, shmSize: '2g', env: { OLLAMA_HOST: '0.0.0.0:11434' } }));
    expect(values(text, 'AddDevice')).toEqual([]);
    expect(values(text, 'ReadOnly')).toEqual([]);
    expect(values(text, 'ReadOnlyTmpfs')).toEqual([]);
    expect(text).not.toMatch(/^Health/m);
    expect(values(text, 'ShmSize')).toEqual(['2g']);
    expect(values(text, 'Environment')).toEqual(['OLLAMA_HOST=0.0.0.0:11434']);
    expect(quadletKeysProblem(text)).toBeNull();
});

describe('hostile values', () => {
    const hostPath = '/srv/my models/50% "best" it\'s $HOME\\x.gguf';
    const hostile = plan({
        modelHostPath: hostPath,
        modelContainerPath: '/models/50% "best" it\'s $HOME\\x.gguf',
        command: ['--model', '/models/a b.gguf', '--prompt', '"a b"', 'cost=100%', '$HOME', '${PATH}', 'back\\slash', "it's", 'tab\there'],
        env: { PROMPT: 'say "hi" to $USER at 100%' },
        labels: { [LABEL.managed]: 'true', [LABEL.model]: hostPath },
        healthCmd: ['sh', '-c', 'test -n "$X" && echo 100%'],
    });
    const { text } = quadletFile(hostile);

    test('Exec: quoted per systemd.syntax, % and $ doubled', () => {
        expect(values(text, 'Exec')).toEqual([
            '--model "/models/a b.gguf" --prompt "\\"a b\\"" cost=100%% $$HOME $${PATH} "back\\\\slash" "it\'s" "tab\\there"',
        ]);
        // what podman receives once Quadlet and systemd are done with it
        expect(unitWords(values(text, 'Exec')[0])).toEqual(hostile.command);
    });

    test('Volume is raw (Quadlet does not unquote it): only % and $ doubled', () => {
        expect(values(text, 'Volume')).toEqual([
            '/srv/my models/50%% "best" it\'s $$HOME\\x.gguf:/models/50%% "best" it\'s $$HOME\\x.gguf:ro,nosuid,nodev',
        ]);
        expect(text).not.toMatch(/:ro,z|:z|:Z/);
    });

    test('Environment and Label are single quoted words; HealthCmd is JSON, raw', () => {
        expect(values(text, 'Environment')).toEqual(['"PROMPT=say \\"hi\\" to $$USER at 100%%"']);
        expect(values(text, 'Label')).toContain('"ai-workstation.model=/srv/my models/50%% \\"best\\" it\'s $$HOME\\\\x.gguf"');
        expect(values(text, 'HealthCmd')).toEqual(['["sh","-c","test -n \\"$$X\\" && echo 100%%"]']);
        expect(quadletKeysProblem(text)).toBeNull();
    });

    test('the reader gets the labels back exactly', () => {
        const server = parseQuadletFile('llama.container', text);
        expect(server?.labels).toEqual(hostile.labels);
        expect(server?.managed).toBe(true);
    });
});

test('what cannot be written is refused rather than written wrong', () => {
    expect(() => quadletFile(plan({ command: ['--x', ''] }))).toThrow();
    expect(() => quadletFile(plan({ command: [';'] }))).toThrow();
    expect(() => quadletFile(plan({ modelHostPath: '/a:b' }))).toThrow();
    expect(() => quadletFile(plan({ modelHostPath: '/a\nb' }))).toThrow();
    expect(() => quadletFile(plan({ name: '../etc' }))).toThrow();
    expect(unitWord('new\nline')).toBe('"new\\nline"');
    expect(unitWords(unitWord('new\nline'))).toEqual(['new\nline']);
});

test('health commands given with CMD in front lose it: podman adds CMD to a JSON array itself', () => {
    const { text } = quadletFile(plan({ healthCmd: ['CMD', 'ollama', 'list'] }));
    expect(values(text, 'HealthCmd')).toEqual(['["ollama","list"]']);
});

test('all interfaces: PublishPort without an address, as podman run -p 9000:8080', () => {
    expect(values(quadletFile(plan({ hostAddress: '0.0.0.0', hostPort: 9000 })).text, 'PublishPort')).toEqual(['9000:8080']);
});

describe('parseQuadletFile', () => {
    test('round trip of every variant', () => {
        for (const p of [plan(), plan({ gpus: { kind: 'none' }, hostAddress: '0.0.0.0', hostPort: 9000 }), plan({ name: 'v.1_x', image: 'quay.io/a/b@sha256:' + 'a'.repeat(64) })]) {
            const file = quadletFile(p);
            expect(parseQuadletFile(file.fileName, file.text)).toEqual({
                fileName: file.fileName,
                unitName: file.unitName,
                containerName: p.name,
                image: p.image,
                publishPorts: [p.hostAddress === '0.0.0.0' ? `${p.hostPort}:${p.containerPort}` : `${p.hostAddress}:${p.hostPort}:${p.containerPort}`],
                labels: p.labels,
                managed: true,
            });
        }
    });

    test('a hand-written file: comments, continuations, quotes, repeated and reset keys, the default name', () => {
        const server = parseQuadletFile('/etc/containers/systemd/web.container', [
            '# a comment',
            '; another',
            '[Unit]',
            'Description=web',
            '',
            '[Container]',
            'Image="docker.io/library/nginx:latest"',
            'PublishPort=8080:80',
            'PublishPort=',
            'PublishPort=127.0.0.1:8081:80',
            'Label=a=1 "b=two words" \\',
            '# a comment inside a continuation is skipped',
            '   c=3',
            "Label='d=x y'",
            '  Label = e=%%5',
        ].join('\n'));
        expect(server).toEqual({
            fileName: '/etc/containers/systemd/web.container',
            unitName: 'web.service',
            containerName: 'systemd-web',
            image: 'docker.io/library/nginx:latest',
            publishPorts: ['127.0.0.1:8081:80'],
            labels: { a: '1', b: 'two words', c: '3', d: 'x y', e: '%5' },
            managed: false,
        });
    });

    test('no [Container] section: not a container file', () => {
        expect(parseQuadletFile('ai-workstation.network', quadletNetworkFile().text)).toBeNull();
        expect(parseQuadletFile('x.container', '')).toBeNull();
    });
});

describe('quadletKeysProblem', () => {
    test('the network file', () => {
        const network = quadletNetworkFile();
        expect(network.fileName).toBe('ai-workstation.network');
        expect(values(network.text, 'NetworkName')).toEqual(['ai-workstation']);
        expect(values(network.text, 'DisableDNS')).toEqual(['true']);
        expect(values(network.text, 'Label')).toEqual(['ai-workstation.managed=true']);
        expect(values(network.text, 'PodmanArgs')).toEqual(['--interface-name=aiwsm0']);
        expect(quadletKeysProblem(network.text)).toBeNull();
    });

    test('unknown keys and sections, bad lines', () => {
        expect(quadletKeysProblem('[Container]\nImage=x\nMemroy=1g\n')).toBe("line 3: unsupported key 'Memroy' in [Container]");
        expect(quadletKeysProblem('[Network]\nImage=x\n')).toBe("line 2: unsupported key 'Image' in [Network]");
        expect(quadletKeysProblem('[Pod]\nPodName=x\n')).toBe('line 1: unknown section [Pod]');
        expect(quadletKeysProblem('Image=x\n')).toMatch(/outside any section/);
        expect(quadletKeysProblem('[Container]\nnot a key\n')).toMatch(/not key=value/);
        expect(quadletKeysProblem('[Service]\nAnything=1\n[X-Mine]\nWhatever=2\n[Quadlet]\nDefaultDependencies=false\n')).toBeNull();
    });

    test('the lists hold every key this page writes', () => {
        const written = [quadletFile(plan({ shmSize: '1g', env: { A: 'b' } })).text, quadletFile(plan({ readOnlyRoot: true })).text].join('\n');
        const containerKeys = new Set(written.split('[Container]')[1].split('[Service]')[0].split('\n').filter(l => l.includes('=')).map(l => l.slice(0, l.indexOf('='))));
        for (const key of containerKeys)
            expect(QUADLET_CONTAINER_KEYS).toContain(key);
        expect(QUADLET_NETWORK_KEYS).toEqual(expect.arrayContaining(['NetworkName', 'DisableDNS', 'Label', 'PodmanArgs']));
    });
});
