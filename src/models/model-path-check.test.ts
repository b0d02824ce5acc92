/** @jest-environment node */
// model-path-check.sh run for real, with dash (/bin/sh) and busybox, on a folder of every kind
// of thing an admin might point at; then the parser and checkModelPath on its answers and on
// hand-written ones for what a root test run cannot produce; then the text check.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParseError } from '../../pkg/lib/parse-error';
import type { ModelFormat } from './catalog';
import { checkModelPath, parseModelPathReport, validateModelPathText, type ModelPathReport } from './model-path-parser';

const SCRIPT = fs.readFileSync(path.join(__dirname, 'model-path-check.sh'), 'utf8');
const BUSYBOX = '/usr/bin/busybox';
const NOBODY = 65534;
// absolute: the script runs with a PATH of its own tools only
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find(p => fs.existsSync(p));

let dir: string;
/** PATH holding only the tools the script may use, so nothing else can leak in. */
let coreutils: string;
let busyboxBin: string;

function toolDir(name: string, target: (tool: string) => string): string {
    const bin = path.join(dir, name);
    fs.mkdirSync(bin);
    for (const tool of ['stat', 'od'])
        fs.symlinkSync(target(tool), path.join(bin, tool));
    return bin;
}

function run(target: string, options: { shell?: string[], bin?: string, root?: string } = {}): string {
    const [command, ...args] = options.shell ?? ['/bin/sh'];
    return execFileSync(command, [...args, '-c', SCRIPT, '--', target], {
        env: { PATH: options.bin ?? coreutils, ...(options.root !== undefined ? { AI_WORKSTATION_ROOT: options.root } : {}) },
        encoding: 'utf8',
    });
}

function report(target: string): ModelPathReport {
    return parseModelPathReport(run(target));
}

const at = (name: string) => path.join(dir, name);

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-model-path-'));
    // nobody must be able to enter it for the unprivileged cases
    fs.chmodSync(dir, 0o755);
    const find = (tool: string) => {
        const found = ['/usr/bin', '/bin'].map(d => path.join(d, tool)).find(p => fs.existsSync(p));
        if (!found)
            throw new Error(`this machine lacks ${tool}`);
        return found;
    };
    coreutils = toolDir('bin', find);
    if (fs.existsSync(BUSYBOX))
        busyboxBin = toolDir('busybox-bin', () => BUSYBOX);

    fs.writeFileSync(at('model.gguf'), Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0, 1, 2, 3])]));
    fs.writeFileSync(at('empty.gguf'), '');
    fs.writeFileSync(at('notes.txt'), 'not a model\n');
    fs.mkdirSync(at('hf'));
    fs.writeFileSync(at('hf/config.json'), '{}');
    fs.writeFileSync(at('hf/model.safetensors'), 'x');
    fs.writeFileSync(at('hf/.hidden'), '');
    fs.mkdirSync(at('weights-only'));
    fs.writeFileSync(at('weights-only/model-00001-of-00002.safetensors'), 'x');
    fs.writeFileSync(at('weights-only/model-00002-of-00002.safetensors'), 'x');
    fs.mkdirSync(at('ollama/blobs'), { recursive: true });
    fs.mkdirSync(at('ollama/manifests'));
    fs.mkdirSync(at('empty-folder'));
    fs.mkdirSync(at('ggufs'));
    fs.writeFileSync(at('ggufs/a.gguf'), 'GGUF');
    execFileSync('mkfifo', [at('pipe')]);
    fs.symlinkSync('does-not-exist', at('dangling'));
    fs.symlinkSync('model.gguf', at('link.gguf'));
    fs.mkdirSync(at('with space'));
    fs.writeFileSync(at('with space/my model $1 %d "q".gguf'), 'GGUF....');
    fs.writeFileSync(at('secret.gguf'), 'GGUF', { mode: 0o600 });
    fs.mkdirSync(at('closed'), { mode: 0o700 });
    fs.writeFileSync(at('closed/inside.gguf'), 'GGUF');
});

afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('the script', () => {
    test('a GGUF file: its size and first bytes', () => {
        expect(run(at('model.gguf'))).toBe('aiws-model-path 1\nexists=yes\nlink=no\ntype=file\nreadable=yes\nsize=11\nmagic=47475546\nend=ok\n');
        expect(report(at('model.gguf'))).toEqual({ type: 'file', link: false, readable: true, size: 11, magic: '47475546' });
    });

    test('an empty file and a text file', () => {
        expect(report(at('empty.gguf'))).toEqual({ type: 'file', link: false, readable: true, size: 0, magic: '' });
        expect(report(at('notes.txt'))).toMatchObject({ type: 'file', magic: '6e6f7420' });
    });

    test('folders: Hugging Face, weights only, Ollama store, empty, a folder of GGUF files', () => {
        expect(report(at('hf'))).toEqual({
            type: 'directory', link: false, readable: true,
            contents: { hasConfigJson: true, safetensors: 1, gguf: 0, ollamaStore: false, entries: 3 },
        });
        expect(report(at('weights-only'))).toMatchObject({ contents: { hasConfigJson: false, safetensors: 2 } });
        expect(report(at('ollama'))).toMatchObject({ contents: { ollamaStore: true, entries: 2 } });
        expect(report(at('empty-folder'))).toMatchObject({ contents: { entries: 0, safetensors: 0, gguf: 0 } });
        expect(report(at('ggufs'))).toMatchObject({ contents: { gguf: 1, entries: 1 } });
    });

    test('special files are named, never opened: /dev/null, a fifo (reading it would hang)', () => {
        expect(report('/dev/null')).toEqual({ type: 'device', link: false, readable: true });
        expect(report(at('pipe'))).toEqual({ type: 'fifo', link: false, readable: true });
    });

    test('links: a dangling one, one to a file (followed, link=yes)', () => {
        expect(report(at('dangling'))).toEqual({ type: 'symlink-dangling' });
        expect(report(at('link.gguf'))).toEqual({ type: 'file', link: true, readable: true, size: 11, magic: '47475546' });
    });

    test('a path with blanks, $, % and quotes is one argument, never re-read by the shell', () => {
        expect(report(at('with space/my model $1 %d "q".gguf'))).toMatchObject({ type: 'file', size: 8, magic: '47475546' });
    });

    test('a missing path', () => {
        expect(run(at('missing.gguf'))).toBe('aiws-model-path 1\nexists=no\nend=ok\n');
        expect(report(at('missing/deeper/x.gguf'))).toEqual({ type: 'missing', hiddenBy: null });
    });

    test('under a root prefix, as the simulated workstation runs it', () => {
        expect(parseModelPathReport(run('/hf', { root: dir }))).toMatchObject({ type: 'directory', contents: { hasConfigJson: true } });
        expect(parseModelPathReport(run('/nothing', { root: dir }))).toEqual({ type: 'missing', hiddenBy: null });
    });

    test('without a path it says so, and the parser refuses the answer', () => {
        const result = spawnSync('/bin/sh', ['-c', SCRIPT, '--', ''], { env: { PATH: coreutils }, encoding: 'utf8' });
        expect(result.status).toBe(2);
        expect(() => parseModelPathReport(result.stdout)).toThrow(ParseError);
    });

    // Tests run as root, and root reads everything: unreadable files and closed folders are
    // only seen by dropping to nobody, which needs setpriv (util-linux).
    const asNobody = SETPRIV !== undefined && spawnSync(SETPRIV, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'true']).status === 0;
    (asNobody ? test : test.skip)('as nobody: an unreadable file, a closed folder and what hides behind it', () => {
        const runAsNobody = (target: string) => parseModelPathReport(run(target, {
            shell: [SETPRIV ?? 'setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '/bin/sh'],
        }));
        expect(runAsNobody(at('secret.gguf'))).toEqual({ type: 'file', link: false, readable: false, size: 4, magic: null });
        expect(runAsNobody(at('closed'))).toEqual({ type: 'directory', link: false, readable: false, contents: null });
        expect(runAsNobody(at('closed/inside.gguf'))).toEqual({ type: 'missing', hiddenBy: at('closed') });
    });

    (fs.existsSync(BUSYBOX) ? test : test.skip)('busybox sh, stat and od answer the same', () => {
        const shell = [BUSYBOX, 'sh'];
        for (const target of [at('model.gguf'), at('empty.gguf'), at('hf'), at('ollama'), at('pipe'), '/dev/null', at('dangling'), at('link.gguf'), at('with space/my model $1 %d "q".gguf'), at('missing')])
            expect(run(target, { shell, bin: busyboxBin })).toBe(run(target));
    });
});

describe('the parser', () => {
    test('refuses what is not the script\'s answer, or only part of it', () => {
        expect(() => parseModelPathReport('')).toThrow(ParseError);
        expect(() => parseModelPathReport('aiws-model-path 1\nexists=yes\nlink=no\ntype=file\n')).toThrow(/incomplete/);
        expect(() => parseModelPathReport('aiws-model-path 1\nexists=maybe\nend=ok\n')).toThrow(/yes or no/);
        expect(() => parseModelPathReport('aiws-model-path 1\nexists=yes\nlink=no\nreadable=yes\ntype=tape\nend=ok\n')).toThrow(/unknown type/);
        expect(() => parseModelPathReport('aiws-model-path 1\nexists=yes\nlink=no\nreadable=yes\ntype=file\nsize=-1\nend=ok\n')).toThrow(/count/);
        expect(() => parseModelPathReport('aiws-model-path 1\ngarbage\nend=ok\n')).toThrow(/unexpected line/);
    });

    test('a socket and something else', () => {
        expect(parseModelPathReport('aiws-model-path 1\nexists=yes\nlink=no\ntype=socket\nreadable=yes\nend=ok\n')).toEqual({ type: 'socket', link: false, readable: true });
        expect(parseModelPathReport('aiws-model-path 1\nexists=yes\nlink=yes\ntype=other\nreadable=no\nend=ok\n')).toEqual({ type: 'other', link: true, readable: false });
    });
});

describe('checkModelPath', () => {
    const GGUF: ModelFormat[] = ['gguf'];
    const HF: ModelFormat[] = ['safetensors-folder'];
    const file = (over: Partial<Extract<ModelPathReport, { type: 'file' }>> = {}): ModelPathReport => ({ type: 'file', link: false, readable: true, size: 11, magic: '47475546', ...over });
    const folder = (contents: Partial<Extract<ModelPathReport, { type: 'directory' }>['contents'] & object> = {}): ModelPathReport => ({
        type: 'directory', link: false, readable: true,
        contents: { hasConfigJson: false, safetensors: 0, gguf: 0, ollamaStore: false, entries: 1, ...contents },
    });
    const reason = (r: ModelPathReport, formats: ModelFormat[]) => {
        const result = checkModelPath(r, formats);
        return result.ok ? null : result.reason;
    };

    test('what loads', () => {
        expect(checkModelPath(file(), GGUF)).toEqual({ ok: true, format: 'gguf' });
        expect(checkModelPath(file({ link: true }), ['gguf', 'folder'])).toEqual({ ok: true, format: 'gguf' });
        expect(checkModelPath(folder({ hasConfigJson: true, safetensors: 4 }), HF)).toEqual({ ok: true, format: 'safetensors-folder' });
        expect(checkModelPath(folder({ ollamaStore: true }), ['ollama-store'])).toEqual({ ok: true, format: 'ollama-store' });
        expect(checkModelPath(folder(), ['folder'])).toEqual({ ok: true, format: 'folder' });
        // the first format the folder fits wins
        expect(checkModelPath(folder({ entries: 3 }), ['safetensors-folder', 'folder'])).toEqual({ ok: true, format: 'folder' });
    });

    test('the script\'s real answers', () => {
        expect(checkModelPath(report(at('model.gguf')), GGUF)).toEqual({ ok: true, format: 'gguf' });
        expect(checkModelPath(report(at('hf')), HF)).toEqual({ ok: true, format: 'safetensors-folder' });
        expect(checkModelPath(report(at('ollama')), ['ollama-store'])).toEqual({ ok: true, format: 'ollama-store' });
        expect(reason(report('/dev/null'), GGUF)).toBe('This is a device file, not a model.');
        expect(reason(report(at('notes.txt')), GGUF)).toMatch(/not a GGUF file/);
    });

    test('every refusal', () => {
        expect(reason({ type: 'missing', hiddenBy: null }, GGUF)).toBe('Nothing exists at this path.');
        expect(reason({ type: 'missing', hiddenBy: '/root' }, GGUF)).toBe('The path cannot be checked: the folder /root is closed to the user this page runs as.');
        expect(reason({ type: 'symlink-dangling' }, GGUF)).toBe('This is a symbolic link to something that does not exist.');
        expect(reason({ type: 'device', link: false, readable: true }, GGUF)).toBe('This is a device file, not a model.');
        expect(reason({ type: 'fifo', link: false, readable: true }, ['folder'])).toBe('This is a named pipe (FIFO), not a model.');
        expect(reason({ type: 'socket', link: true, readable: true }, GGUF)).toBe('This is a socket, not a model.');
        expect(reason({ type: 'other', link: false, readable: true }, GGUF)).toBe('This is neither a regular file nor a folder.');
        expect(reason(file({ readable: false, magic: null }), GGUF)).toBe('The file is not readable by the user this page runs as.');
        expect(reason(file({ size: 0, magic: '' }), GGUF)).toBe('The file is empty.');
        expect(reason(file({ size: null, magic: '' }), GGUF)).toBe('The file is empty.');
        expect(reason(file({ magic: '7b7d0a' }), GGUF)).toBe('This is not a GGUF file: it does not start with the bytes "GGUF".');
        expect(reason(file(), HF)).toBe('This is a file, but the server loads a Hugging Face model folder (config.json and .safetensors files).');
        expect(reason(folder(), GGUF)).toBe('This is a folder, but the server loads a single .gguf file.');
        expect(reason(folder({ gguf: 2 }), GGUF)).toMatch(/pick one of the .gguf files inside it/);
        expect(reason({ type: 'directory', link: false, readable: false, contents: null }, HF)).toBe('The folder cannot be listed by the user this page runs as.');
        expect(reason(folder({ safetensors: 2 }), HF)).toMatch(/^The folder has no config.json. vLLM needs/);
        expect(reason(folder({ hasConfigJson: true }), HF)).toBe('The folder has no .safetensors files directly inside it.');
        expect(reason(folder(), ['ollama-store'])).toBe('This is not an Ollama model store: it needs the folders blobs/ and manifests/.');
        expect(reason(folder({ entries: 0 }), ['folder'])).toBe('The folder is empty.');
        expect(reason(folder({ entries: 0 }), ['safetensors-folder', 'folder'])).toMatch(/no config.json/);
        expect(reason(file(), [])).toBe('The server accepts no model format.');
    });
});

describe('validateModelPathText', () => {
    test('accepts absolute paths, blanks and odd characters included', () => {
        expect(validateModelPathText('/var/lib/models/qwen.gguf')).toBeNull();
        expect(validateModelPathText('/srv/my models/50% "best" it\'s $HOME.gguf')).toBeNull();
        expect(validateModelPathText('/srv/models/')).toBeNull();
        expect(validateModelPathText('/srv/a..b/.hidden')).toBeNull();
        expect(validateModelPathText('/' + 'a'.repeat(4095))).toBeNull();
    });

    test('refuses', () => {
        expect(validateModelPathText('')).toMatch(/Give the path/);
        expect(validateModelPathText('models/x.gguf')).toMatch(/absolute/);
        expect(validateModelPathText('~/x.gguf')).toMatch(/absolute/);
        expect(validateModelPathText('/a\nb')).toMatch(/control characters/);
        expect(validateModelPathText('/a\0b')).toMatch(/control characters/);
        expect(validateModelPathText('/srv/../etc/shadow')).toMatch(/".."/);
        expect(validateModelPathText('/srv/models/..')).toMatch(/".."/);
        expect(validateModelPathText('/' + 'a'.repeat(4096))).toBe('The path is longer than 4096 characters.');
        expect(validateModelPathText('/a:b')).toMatch(/":"/);
        expect(validateModelPathText('/a ')).toMatch(/end with a space/);
    });
});
