// The Models tab's host files in one round trip: the real models-host-files.sh run with sh
// against a temporary root (AI_WORKSTATION_ROOT, as the simulated workstation sets it),
// and its output parsed back into paths and texts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseErrorOf } from '../../test/unit/parse-errors';
import { parseHostFiles } from './models-host-files-parser';

const SCRIPT = path.join(__dirname, 'models-host-files.sh');

const CATALOG = `{
  "version": 1,
  "servers": [{ "id": "lab-llama", "name": "llama.cpp (lab)", "image": "registry.lab.example/llama.cpp:server-cuda", "containerPort": 8080, "modelFormats": ["gguf"] }]
}
`;

const CONTAINER = `[Unit]
Description=Model server x

[Container]
ContainerName=x
Image=ghcr.io/ggml-org/llama.cpp:server-cuda
Exec=--model /models/tiny.gguf --port 8080

[Install]
WantedBy=multi-user.target
`;

let root: string;

function write(relative: string, text: string) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}

function runScript(): string {
    return execFileSync('sh', [SCRIPT], { encoding: 'utf8', env: { PATH: process.env.PATH, AI_WORKSTATION_ROOT: root } });
}

beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-host-files-'));
});

afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
});

test('a catalog file and a Quadlet unit, under the root, reported by their host paths', () => {
    write('etc/cockpit-ai-workstation/catalog.d/a.json', CATALOG);
    write('etc/containers/systemd/x.container', CONTAINER);
    const output = runScript();
    expect(output.split('\n')[0]).toBe('aiws-models-files 1');
    expect(output).toContain('\n@@aiws file /etc/cockpit-ai-workstation/catalog.d/a.json\n');
    expect(output.endsWith('@@aiws end ok\n')).toBe(true);
    expect(parseHostFiles(output)).toEqual([
        { path: '/etc/cockpit-ai-workstation/catalog.d/a.json', text: CATALOG },
        { path: '/etc/containers/systemd/x.container', text: CONTAINER },
    ]);
});

test('a file without a final newline, an empty file and blank lines keep their text', () => {
    write('etc/cockpit-ai-workstation/catalog.d/a.json', '{"version": 1, "servers": []}');
    write('etc/cockpit-ai-workstation/catalog.d/b.json', '');
    write('etc/containers/systemd/x.container', '[Container]\n\n\nImage=x\n\n');
    expect(parseHostFiles(runScript())).toEqual([
        { path: '/etc/cockpit-ai-workstation/catalog.d/a.json', text: '{"version": 1, "servers": []}' },
        { path: '/etc/cockpit-ai-workstation/catalog.d/b.json', text: '' },
        { path: '/etc/containers/systemd/x.container', text: '[Container]\n\n\nImage=x\n\n' },
    ]);
});

test('only *.json in catalog.d and *.container in systemd; folders are skipped', () => {
    write('etc/cockpit-ai-workstation/catalog.d/a.json', CATALOG);
    write('etc/cockpit-ai-workstation/catalog.d/notes.txt', 'not a catalog');
    write('etc/cockpit-ai-workstation/catalog.d/a.json.rpmsave', CATALOG);
    fs.mkdirSync(path.join(root, 'etc/cockpit-ai-workstation/catalog.d/dir.json'));
    write('etc/containers/systemd/x.container', CONTAINER);
    write('etc/containers/systemd/ai-workstation.network', '[Network]\n');
    write('etc/containers/systemd/x.container.d/override.conf', '[Container]\n');
    expect(parseHostFiles(runScript()).map(f => f.path)).toEqual([
        '/etc/cockpit-ai-workstation/catalog.d/a.json',
        '/etc/containers/systemd/x.container',
    ]);
});

test('neither folder exists: no files, and that is an answer', () => {
    const output = runScript();
    expect(output).toBe('aiws-models-files 1\n@@aiws end ok\n');
    expect(parseHostFiles(output)).toEqual([]);
});

test('output that stops before the end marker is a ParseError', () => {
    write('etc/cockpit-ai-workstation/catalog.d/a.json', CATALOG);
    write('etc/containers/systemd/x.container', CONTAINER);
    const output = runScript();
    for (const cut of [output.indexOf('@@aiws end ok'), output.indexOf('[Container]'), 'aiws-models-files 1\n'.length]) {
        const error = parseErrorOf(() => parseHostFiles(output.slice(0, cut)));
        expect(error.tool).toBe('models-host-files.sh');
        expect(error.message).toBe('output ends early');
    }
});

test.each([
    ['', 'unknown header'],
    ['aiws-models-files 2\n@@aiws end ok\n', 'unknown header'],
    ['sh: 1: cannot open models-host-files.sh: No such file\n', 'unknown header'],
])('%j is a ParseError', (output, message) => {
    const error = parseErrorOf(() => parseHostFiles(output));
    expect(error.tool).toBe('models-host-files.sh');
    expect(error.message).toBe(message);
});
