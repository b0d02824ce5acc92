// The catalog: the shipped file, a host's additions in catalog.d, what a file may not say
// (each refusal a ParseError naming the file and the entry), and the merge in which one
// broken file takes nothing else down.
import fs from 'node:fs';
import path from 'node:path';
import { ParseError } from '../../pkg/lib/parse-error';
import { parseErrorOf } from '../../test/unit/parse-errors';
import { CATALOG_DIR, mergeCatalogs, parseCatalog, shippedCatalog, type CatalogEntry } from './catalog';

const SITE = `${CATALOG_DIR}/site.json`;

/** A minimal valid server entry with some fields changed (undefined removes one). */
function server(change: Record<string, unknown> = {}): Record<string, unknown> {
    const base: Record<string, unknown> = {
        id: 'llama-cpp-mirror',
        name: 'llama.cpp (our mirror)',
        image: 'registry.lab.example:5000/mirror/llama.cpp:server-cuda',
        containerPort: 8080,
        modelFormats: ['gguf'],
    };
    const merged = { ...base, ...change };
    for (const key of Object.keys(merged)) {
        if (merged[key] === undefined)
            delete merged[key];
    }
    return merged;
}

const file = (...servers: unknown[]) => JSON.stringify({ version: 1, servers });

describe('the shipped catalog', () => {
    const entries = shippedCatalog();

    test('has llama.cpp, vLLM, Ollama and the custom image, in that order', () => {
        expect(entries.map(e => e.id)).toEqual(['llama-cpp', 'vllm', 'ollama', 'custom']);
        expect(entries.every(e => e.source === 'package')).toBe(true);
    });

    test('llama.cpp as read, defaults filled in', () => {
        expect(entries[0]).toEqual({
            id: 'llama-cpp',
            name: 'llama.cpp server',
            description: expect.stringContaining('GGUF'),
            url: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/server',
            license: 'MIT',
            image: 'ghcr.io/ggml-org/llama.cpp:server-cuda',
            cpuImage: 'ghcr.io/ggml-org/llama.cpp:server',
            api: 'openai',
            containerPort: 8080,
            defaultHostPort: 8080,
            modelFormats: ['gguf'],
            args: ['--model', '{model}', '--host', '0.0.0.0', '--port', '{port}', '--ctx-size', '{context}'],
            gpuArgs: ['--n-gpu-layers', '999'],
            env: {},
            healthPath: '/health',
            modelsPath: '/v1/models',
            chatPath: '/v1/chat/completions',
            healthCmd: ['curl', '-fsS', 'http://127.0.0.1:{port}/health'],
            contextSize: 4096,
            minVramGiB: 2,
            memoryLimit: '16g',
            requiresGpu: false,
            readOnlyRoot: true,
            shmSize: null,
            custom: false,
            source: 'package',
        });
    });

    test('vLLM needs a GPU, Ollama speaks its own API, custom has no image', () => {
        const byId = new Map(entries.map(e => [e.id, e]));
        expect(byId.get('vllm')).toMatchObject({ requiresGpu: true, cpuImage: null, shmSize: '8g', modelFormats: ['safetensors-folder'] });
        expect(byId.get('ollama')).toMatchObject({ api: 'ollama', modelFormats: ['ollama-store'], healthPath: '/api/version' });
        expect(byId.get('custom')).toMatchObject({ custom: true, image: '', healthCmd: null });
    });

    test('the demo catalog of the podman tests parses too', () => {
        const text = fs.readFileSync(path.join(__dirname, '../../test/podman/demo-catalog.json'), 'utf8');
        const demo = parseCatalog(text, 'test/podman/demo-catalog.json');
        expect(demo.map(e => e.id)).toEqual(['echo-demo']);
        expect(demo[0]).toMatchObject({ image: 'localhost/aiws-echo-server:latest', defaultHostPort: 18080, memoryLimit: '256m' });
    });
});

describe('parseCatalog', () => {
    test('a minimal entry gets the documented defaults', () => {
        expect(parseCatalog(file(server()), SITE)).toEqual([{
            id: 'llama-cpp-mirror',
            name: 'llama.cpp (our mirror)',
            description: '',
            url: '',
            license: '',
            image: 'registry.lab.example:5000/mirror/llama.cpp:server-cuda',
            cpuImage: null,
            api: 'openai',
            containerPort: 8080,
            defaultHostPort: 8080,
            modelFormats: ['gguf'],
            args: [],
            gpuArgs: [],
            env: {},
            healthPath: '/v1/models',
            modelsPath: '/v1/models',
            chatPath: '/v1/chat/completions',
            healthCmd: null,
            contextSize: 4096,
            minVramGiB: 0,
            memoryLimit: '16g',
            requiresGpu: false,
            readOnlyRoot: false,
            shmSize: null,
            custom: false,
            source: SITE,
        }]);
    });

    test('an empty list of servers is a valid file', () => {
        expect(parseCatalog('{"version": 1, "servers": []}', SITE)).toEqual([]);
    });

    const refusal = (text: string) => {
        const error = parseErrorOf(() => parseCatalog(text, SITE));
        // the file is named as the "tool", so the admin knows which file to fix
        expect(error.tool).toBe(SITE);
        return error.message;
    };

    test.each([
        ['{"version": 1, "servers": [', /^not JSON: /],
        ['', /^not JSON: /],
        ['{"version": 2, "servers": []}', /expected \{ "version": 1, "servers": \[\.\.\.\] \}/],
        ['{"servers": []}', /expected \{ "version": 1/],
        ['{"version": 1, "servers": {}}', /expected \{ "version": 1/],
        ['[]', /expected \{ "version": 1/],
        ['null', /expected \{ "version": 1/],
    ])('the file %j is refused', (text, message) => {
        expect(refusal(text)).toMatch(message);
    });

    test.each([
        [{ id: 'Llama' }, 'server 1: "id" "Llama" must be lower-case letters, digits and dashes'],
        [{ id: 'llama_cpp' }, 'server 1: "id" "llama_cpp" must be lower-case letters, digits and dashes'],
        [{ id: '-llama' }, 'server 1: "id" "-llama" must be lower-case letters, digits and dashes'],
        [{ id: 'a'.repeat(64) }, `server 1: "id" "${'a'.repeat(64)}" must be lower-case letters, digits and dashes`],
        [{ id: 7 }, 'server 1: "id" must be a string'],
        [{ id: undefined }, 'server 1: "id" must be a string'],
        [{ api: 'anthropic' }, 'server 1: "api" must be "openai" or "ollama", not "anthropic"'],
        [{ name: undefined }, 'server 1: "name" must be a string'],
        [{ image: undefined }, 'server 1: "image" is missing'],
        [{ image: '' }, 'server 1: "image" is missing'],
        [{ containerPort: undefined }, 'server 1: "containerPort" must be a whole number from 1 to 65535'],
        [{ containerPort: 70000 }, 'server 1: "containerPort" must be a whole number from 1 to 65535'],
        [{ containerPort: '8080' }, 'server 1: "containerPort" must be a whole number from 1 to 65535'],
        [{ defaultHostPort: 80 }, 'server 1: "defaultHostPort" must be a whole number from 1024 to 65535'],
        [{ contextSize: 64 }, 'server 1: "contextSize" must be a whole number from 128 to 10000000'],
        [{ minVramGiB: 1.5 }, 'server 1: "minVramGiB" must be a whole number from 0 to 100000'],
        [{ modelFormats: undefined }, 'server 1: "modelFormats" must be a list of strings'],
        [{ modelFormats: [] }, 'server 1: "modelFormats" must list some of gguf, safetensors-folder, ollama-store, folder'],
        [{ modelFormats: ['gguf', 'onnx'] }, 'server 1: "modelFormats" must list some of gguf, safetensors-folder, ollama-store, folder'],
        [{ args: '--model {model}' }, 'server 1: "args" must be a list of strings'],
        [{ gpuArgs: [999] }, 'server 1: "gpuArgs" must be a list of strings'],
        [{ healthCmd: 'curl -f http://127.0.0.1/' }, 'server 1: "healthCmd" must be a list of strings'],
        [{ env: { 'BAD NAME': '1' } }, 'server 1: "env" has a bad variable name "BAD NAME"'],
        [{ env: { HF_HUB_OFFLINE: 1 } }, 'server 1: "env" must map names to strings'],
        [{ env: ['HF_HUB_OFFLINE=1'] }, 'server 1: "env" must map names to strings'],
        [{ healthPath: 'health' }, 'server 1: "healthPath" must start with /'],
        [{ chatPath: 'v1/chat/completions' }, 'server 1: "chatPath" must start with /'],
        [{ requiresGpu: 'yes' }, 'server 1: "requiresGpu" must be true or false'],
        [{ cpuImage: null }, 'server 1: "cpuImage" must be a string'],
    ])('an entry with %j is refused', (change, message) => {
        expect(refusal(file(server(change)))).toBe(message);
    });

    test('the position of the bad entry is named', () => {
        expect(refusal(file(server(), server({ id: 'second', api: 'grpc' })))).toBe('server 2: "api" must be "openai" or "ollama", not "grpc"');
        expect(refusal(file(server(), 'llama'))).toBe('server 2: is not an object');
    });

    test('an id may appear once per file', () => {
        expect(refusal(file(server(), server({ name: 'again' })))).toBe('server id "llama-cpp-mirror" appears twice');
    });

    test('a custom entry may leave the image out', () => {
        const [entry] = parseCatalog(file(server({ id: 'lab-custom', image: undefined, custom: true })), SITE);
        expect(entry.custom).toBe(true);
        expect(entry.image).toBe('');
    });

    test('the error carries the start of the file', () => {
        const text = file(server({ api: 'grpc' }));
        expect(text.length).toBeGreaterThan(200);
        const error = parseErrorOf(() => parseCatalog(text, SITE));
        expect(error).toBeInstanceOf(ParseError);
        expect(error.snippet).toBe(`${text.slice(0, 200)}…`);
    });
});

describe('mergeCatalogs', () => {
    const base = shippedCatalog();
    const ids = (entries: CatalogEntry[]) => entries.map(e => e.id);

    test('no host files: the shipped catalog as it is', () => {
        expect(mergeCatalogs(base, [])).toEqual({ entries: base, problems: [] });
    });

    test('a site file adds its entry, before the custom image, which stays last', () => {
        const { entries, problems } = mergeCatalogs(base, [{ path: SITE, text: file(server()) }]);
        expect(problems).toEqual([]);
        expect(ids(entries)).toEqual(['llama-cpp', 'vllm', 'ollama', 'llama-cpp-mirror', 'custom']);
        expect(entries[3].source).toBe(SITE);
    });

    test('a site entry with a shipped id replaces the shipped one, in its place', () => {
        const mirror = server({ id: 'llama-cpp', name: 'llama.cpp (lab mirror)' });
        const { entries, problems } = mergeCatalogs(base, [{ path: SITE, text: file(mirror) }]);
        expect(problems).toEqual([]);
        expect(ids(entries)).toEqual(['llama-cpp', 'vllm', 'ollama', 'custom']);
        expect(entries[0]).toMatchObject({
            name: 'llama.cpp (lab mirror)', image: 'registry.lab.example:5000/mirror/llama.cpp:server-cuda', source: SITE,
            // nothing of the shipped entry is kept: the site file says everything
            cpuImage: null, gpuArgs: [],
        });
    });

    test('files are read in path order: the later one wins', () => {
        const { entries } = mergeCatalogs(base, [
            { path: `${CATALOG_DIR}/20-b.json`, text: file(server({ name: 'from b' })) },
            { path: `${CATALOG_DIR}/10-a.json`, text: file(server({ name: 'from a' })) },
        ]);
        expect(entries.find(e => e.id === 'llama-cpp-mirror')).toMatchObject({ name: 'from b', source: `${CATALOG_DIR}/20-b.json` });
    });

    test('a broken file becomes a problem naming it; the other files and the shipped ones still load', () => {
        const broken = `${CATALOG_DIR}/broken.json`;
        const bad = `${CATALOG_DIR}/bad-entry.json`;
        const { entries, problems } = mergeCatalogs(base, [
            { path: broken, text: '{"version": 1, "servers": [{"id": "half"' },
            { path: SITE, text: file(server()) },
            // one bad entry refuses its whole file: its good entry is not half-loaded
            { path: bad, text: file(server({ id: 'good-one' }), server({ id: 'BAD' })) },
        ]);
        expect(ids(entries)).toEqual(['llama-cpp', 'vllm', 'ollama', 'llama-cpp-mirror', 'custom']);
        expect(problems.map(p => p.tool)).toEqual([bad, broken]);
        expect(problems.every(p => p instanceof ParseError)).toBe(true);
        expect(problems[1].message).toMatch(/^not JSON/);
    });

    test('the base list is not changed', () => {
        const before = ids(base);
        mergeCatalogs(base, [{ path: SITE, text: file(server({ id: 'llama-cpp' })) }]);
        expect(ids(base)).toEqual(before);
        expect(base[0].source).toBe('package');
    });
});
