import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { endpointHost, gpusOf, isInferenceServer, parseContainerList, serverOrigin } from './libpod-containers-parser';
import type { ModelServer } from './model-server';

const fixtures = path.join(__dirname, '../../test/fixtures/podman');
const recorded = fs.readFileSync(path.join(fixtures, 'libpod-containers-json-4.3.1.json'), 'utf8');
const entries = JSON.parse(recorded) as Record<string, unknown>[];

const byName = (servers: ModelServer[], name: string): ModelServer => {
    const server = servers.find(s => s.name === name);
    if (!server)
        throw new Error(`no ${name} in ${servers.map(s => s.name).join(' ')}`);
    return server;
};

/** A recorded entry with some fields changed, as a one-container list. */
const variant = (name: string, change: Record<string, unknown>): string => {
    const entry = entries.find(e => (e.Names as string[])[0] === name);
    return JSON.stringify([{ ...entry, ...change }]);
};

const expectParseError = (text: string, message: RegExp) => {
    let error: unknown;
    try {
        parseContainerList(text);
    } catch (e) {
        error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).tool).toBe('podman API');
    expect((error as ParseError).message).toMatch(message);
};

describe('the recorded list (podman 4.3.1)', () => {
    const servers = parseContainerList(recorded);

    test('keeps the inference servers only, in podman order', () => {
        expect(entries).toHaveLength(11);
        expect(servers.map(s => s.name)).toEqual([
            'aiws-test1', 'aiws-rec-ours', 'aiws-rec-ramalama', 'aiws-rec-ailab', 'aiws-rec-ailab-badlabel',
            'aiws-rec-public', 'aiws-rec-exited', 'aiws-rec-unhealthy', 'aiws-rec-stopped', 'aiws-rec-paused',
        ]);
    });

    test('ours, running, healthcheck not yet run', () => {
        expect(byName(servers, 'aiws-test1')).toEqual({
            id: '6da563e7c49f98676d254474fb60aba716602a4495c79133590b004dd2f3398f',
            name: 'aiws-test1',
            origin: 'ai-workstation',
            state: 'running',
            health: 'starting',
            image: 'localhost/aiws-echo-server:latest',
            model: null,
            catalogId: null,
            api: 'openai',
            ports: [{ hostIp: '127.0.0.1', hostPort: 18080, containerPort: 8080, protocol: 'tcp' }],
            endpoint: { host: '127.0.0.1', port: 18080 },
            gpus: { kind: 'none' },
            startedAt: 1796198385000,
            exitCode: null,
            systemdUnit: null,
            pid: 3945,
            labels: { 'ai-workstation.managed': 'true', 'org.opencontainers.image.title': 'aiws-echo-server' },
        });
    });

    test('ours with every label, healthy, run by a Quadlet unit', () => {
        expect(byName(servers, 'aiws-rec-ours')).toMatchObject({
            origin: 'ai-workstation',
            health: 'healthy',
            model: '/srv/models/tiny.gguf',
            catalogId: 'llama-cpp',
            api: 'openai',
            gpus: { kind: 'none' },
            endpoint: { host: '127.0.0.1', port: 18181 },
            systemdUnit: 'aiws-rec-ours.service',
            pid: 5606,
        });
    });

    test('RamaLama: model and endpoint from its labels', () => {
        expect(byName(servers, 'aiws-rec-ramalama')).toMatchObject({
            origin: 'ramalama',
            health: 'none',
            model: 'ollama://library/tinyllama:latest',
            catalogId: null,
            endpoint: { host: '127.0.0.1', port: 18182 },
            gpus: { kind: 'none' },
        });
    });

    test('RamaLama recognised by ai.ramalama.* labels alone, stopped with SIGKILL', () => {
        expect(byName(servers, 'aiws-rec-stopped')).toMatchObject({
            origin: 'ramalama',
            state: 'exited',
            exitCode: 137,
            pid: null,
            model: 'hf://TinyLlama/TinyLlama-1.1B-Chat-v1.0-GGUF',
            endpoint: { host: '127.0.0.1', port: 18188 },
        });
    });

    test('AI Lab: model ids from the JSON label, endpoint from the api label, all interfaces', () => {
        const server = byName(servers, 'aiws-rec-ailab');
        expect(server).toMatchObject({
            origin: 'ai-lab',
            model: 'hf.instructlab.granite-7b-lab-GGUF',
            endpoint: { host: '127.0.0.1', port: 18183 },
        });
        // podman 4.3.1 reports "" for a port published without an address
        expect(server.ports).toEqual([{ hostIp: '', hostPort: 18183, containerPort: 8000, protocol: 'tcp' }]);
    });

    test('AI Lab with a malformed label: shown raw, never started', () => {
        expect(byName(servers, 'aiws-rec-ailab-badlabel')).toMatchObject({
            origin: 'ai-lab',
            state: 'created',
            model: '[hf.instructlab.granite',
            startedAt: null,
            pid: null,
            exitCode: null,
            endpoint: { host: '127.0.0.1', port: 18186 },
        });
    });

    test('published on 0.0.0.0: podman says "", reached on loopback; GPU label as a CDI list', () => {
        const server = byName(servers, 'aiws-rec-public');
        expect(server.ports[0].hostIp).toBe('');
        expect(server.endpoint).toEqual({ host: '127.0.0.1', port: 18184 });
        expect(server.gpus).toEqual({ kind: 'some', devices: ['nvidia.com/gpu=0', 'nvidia.com/gpu=1'] });
    });

    test('exited at once (model missing): exit code, no pid, start time kept', () => {
        expect(byName(servers, 'aiws-rec-exited')).toMatchObject({
            state: 'exited', exitCode: 1, pid: null, startedAt: 1796198584000, health: 'none', model: '/srv/models/missing.gguf',
        });
    });

    test('unhealthy, Ollama API from the label', () => {
        expect(byName(servers, 'aiws-rec-unhealthy')).toMatchObject({ health: 'unhealthy', api: 'ollama', catalogId: 'custom', state: 'running' });
    });

    test('paused', () => {
        expect(byName(servers, 'aiws-rec-paused')).toMatchObject({ state: 'paused', exitCode: null });
    });
});

describe('shapes the recording lacks', () => {
    test('a leading slash on the name goes, unknown state words are unknown', () => {
        const [server] = parseContainerList(variant('aiws-test1', { Names: ['/aiws-x'], State: 'dead' }));
        expect(server.name).toBe('aiws-x');
        expect(server.state).toBe('unknown');
    });

    test('no Names: the short id', () => {
        const [server] = parseContainerList(variant('aiws-test1', { Names: null }));
        expect(server.name).toBe('6da563e7c49f');
    });

    test("Docker's status sentence and a Health field", () => {
        expect(parseContainerList(variant('aiws-test1', { Status: 'Up 3 minutes (healthy)' }))[0].health).toBe('healthy');
        expect(parseContainerList(variant('aiws-test1', { Status: 'Up 3 seconds (health: starting)' }))[0].health).toBe('starting');
        expect(parseContainerList(variant('aiws-test1', { Status: 'Up 3 minutes' }))[0].health).toBe('none');
        expect(parseContainerList(variant('aiws-test1', { Status: '', Health: { Status: 'unhealthy' } }))[0].health).toBe('unhealthy');
        expect(parseContainerList(variant('aiws-test1', { Status: '', Health: 'healthy' }))[0].health).toBe('healthy');
    });

    test('a port range is one port per number; udp is never the endpoint', () => {
        const [server] = parseContainerList(variant('aiws-test1', {
            Ports: [
                { host_ip: '127.0.0.1', container_port: 5353, host_port: 15353, range: 1, protocol: 'udp' },
                { host_ip: '10.1.2.3', container_port: 9000, host_port: 19000, range: 2, protocol: 'tcp' },
            ],
        }));
        expect(server.ports.map(p => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`)).toEqual([
            '127.0.0.1:15353->5353/udp', '10.1.2.3:19000->9000/tcp', '10.1.2.3:19001->9001/tcp',
        ]);
        expect(server.endpoint).toEqual({ host: '10.1.2.3', port: 19000 });
    });

    test('no ports: no endpoint', () => {
        expect(parseContainerList(variant('aiws-test1', { Ports: null }))[0]).toMatchObject({ ports: [], endpoint: null });
    });

    test('RamaLama: the port its label names, else none; without the label the first tcp port', () => {
        const ports = [
            { host_ip: '127.0.0.1', container_port: 9999, host_port: 19999, range: 1, protocol: 'tcp' },
            { host_ip: '', container_port: 8080, host_port: 18282, range: 1, protocol: 'tcp' },
        ];
        const labels = { 'ai.ramalama': 'true', 'ai.ramalama.port': '8080' };
        expect(parseContainerList(variant('aiws-rec-ramalama', { Ports: ports, Labels: labels }))[0].endpoint)
            .toEqual({ host: '127.0.0.1', port: 18282 });
        expect(parseContainerList(variant('aiws-rec-ramalama', { Ports: ports, Labels: { ...labels, 'ai.ramalama.port': '7000' } }))[0].endpoint)
            .toBeNull();
        expect(parseContainerList(variant('aiws-rec-ramalama', { Ports: ports, Labels: { 'ai.ramalama': 'true' } }))[0].endpoint)
            .toEqual({ host: '127.0.0.1', port: 19999 });
    });

    test('AI Lab: the api label picks the host port; a label without one falls back to the first', () => {
        const ports = [
            { host_ip: '', container_port: 9000, host_port: 19000, range: 1, protocol: 'tcp' },
            { host_ip: '', container_port: 8000, host_port: 35001, range: 1, protocol: 'tcp' },
        ];
        const labels = { 'ai-lab-inference-server': '["a","b"]', api: 'http://localhost:35001/v1' };
        const [server] = parseContainerList(variant('aiws-rec-ailab', { Ports: ports, Labels: labels }));
        expect(server.endpoint).toEqual({ host: '127.0.0.1', port: 35001 });
        expect(server.model).toBe('a, b');
        expect(parseContainerList(variant('aiws-rec-ailab', { Ports: ports, Labels: { ...labels, api: 'not a url' } }))[0].endpoint)
            .toEqual({ host: '127.0.0.1', port: 19000 });
    });

    test('AI Lab labels that are JSON but not a list of ids are shown as written', () => {
        const model = (label: string) => parseContainerList(variant('aiws-rec-ailab', { Labels: { 'ai-lab-inference-server': label } }))[0].model;
        expect(model('{"id":"x"}')).toBe('{"id":"x"}');
        expect(model('[1,2]')).toBe('[1,2]');
        expect(model('[]')).toBeNull();
        expect(model('')).toBeNull();
    });

    test('an empty list', () => {
        expect(parseContainerList('[]')).toEqual([]);
    });
});

describe('damaged answers are ParseErrors', () => {
    test('truncated JSON', () => {
        expectParseError(recorded.slice(0, recorded.length / 2), /not JSON/);
    });

    test('not a list', () => {
        expectParseError('{"cause":"x"}', /not a list/);
        expectParseError('null', /not a list/);
    });

    test('wrong field types', () => {
        expectParseError('[5]', /container 0 is not an object/);
        expectParseError(variant('aiws-test1', { Id: 5 }), /Id is not a string/);
        expectParseError(variant('aiws-test1', { Labels: { 'ai-workstation.managed': true } }), /Labels\.ai-workstation\.managed is not a string/);
        expectParseError(variant('aiws-test1', { Labels: ['x'] }), /Labels is not an object/);
        expectParseError(variant('aiws-test1', { Ports: {} }), /Ports is not a list/);
        expectParseError(variant('aiws-test1', { Ports: [{ host_port: '18080' }] }), /host_port is not a number/);
        expectParseError(variant('aiws-test1', { StartedAt: '2026-12-02' }), /StartedAt is not a number/);
    });

    test('a container we do not show is not read beyond its labels', () => {
        expect(parseContainerList(variant('aiws-rec-nolabels', { Ports: 'junk', Id: 7 }))).toEqual([]);
    });

    test('the snippet carries the text', () => {
        try {
            parseContainerList('[{"Id":');
        } catch (e) {
            expect((e as ParseError).snippet).toBe('[{"Id":');
        }
        expect.assertions(1);
    });
});

test('origins from labels', () => {
    expect(serverOrigin({ 'ai-workstation.managed': 'true', 'ai.ramalama': 'true' })).toBe('ai-workstation');
    expect(serverOrigin({ 'ai-workstation.managed': 'false' })).toBeNull();
    expect(serverOrigin({ 'ai.ramalama': '' })).toBe('ramalama');
    expect(serverOrigin({ 'ai.ramalama.engine': 'podman' })).toBe('ramalama');
    expect(serverOrigin({ 'ai.ramalamafoo': 'x' })).toBeNull();
    expect(serverOrigin({ 'ai-lab-inference-server': '[]' })).toBe('ai-lab');
    expect(isInferenceServer(null)).toBe(false);
    expect(isInferenceServer({})).toBe(false);
    expect(isInferenceServer({ 'org.opencontainers.image.title': 'aiws-echo-server' })).toBe(false);
    expect(isInferenceServer({ 'ai-workstation.managed': 'true' })).toBe(true);
});

test('GPU labels', () => {
    expect(gpusOf(undefined)).toEqual({ kind: 'none' });
    expect(gpusOf('none')).toEqual({ kind: 'none' });
    expect(gpusOf('all')).toEqual({ kind: 'all' });
    expect(gpusOf(' nvidia.com/gpu=GPU-3f2a , ')).toEqual({ kind: 'some', devices: ['nvidia.com/gpu=GPU-3f2a'] });
});

test('endpoint hosts', () => {
    expect(endpointHost('')).toBe('127.0.0.1');
    expect(endpointHost('0.0.0.0')).toBe('127.0.0.1');
    expect(endpointHost('127.0.0.1')).toBe('127.0.0.1');
    expect(endpointHost('192.0.2.7')).toBe('192.0.2.7');
});
