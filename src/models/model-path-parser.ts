// The model path the admin gives, in three steps: the text itself before it goes anywhere
// (validateModelPathText), what model-path-check.sh found at it on the host
// (parseModelPathReport), and whether that is something the chosen server can load
// (checkModelPath). Refusals are sentences for the admin, so they are translated here. Pure;
// the parser throws only ParseError.
import { _, format } from '../../pkg/lib/gettext';
import { ParseError } from '../../pkg/lib/parse-error';
import type { ModelFormat } from './catalog';

const TOOL = 'model path check script';
const HEADER = 'aiws-model-path 1';
/** The bytes "GGUF" every GGUF file starts with. */
const GGUF_MAGIC = '47475546';
const MAX_PATH = 4096;

/** What a readable folder holds directly. */
export interface FolderContents {
    hasConfigJson: boolean;
    safetensors: number;
    gguf: number;
    /** blobs/ and manifests/ next to each other, as in Ollama's store. */
    ollamaStore: boolean;
    entries: number;
}

export type ModelPathReport =
    /** hiddenBy: the folder above that the page's user cannot enter, when that is why. */
    | { type: 'missing', hiddenBy: string | null }
    | { type: 'symlink-dangling' }
    | { type: 'device' | 'fifo' | 'socket' | 'other', link: boolean, readable: boolean }
    /** size null when stat could not tell; magic null when the file could not be read. */
    | { type: 'file', link: boolean, readable: boolean, size: number | null, magic: string | null }
    /** contents null when the folder cannot be listed. */
    | { type: 'directory', link: boolean, readable: boolean, contents: FolderContents | null };

export type ModelPathCheck = { ok: true, format: ModelFormat } | { ok: false, reason: string };

function fields(text: string): Map<string, string> {
    const lines = text.split('\n');
    if (lines[0] !== HEADER)
        throw new ParseError(TOOL, 'the script answered in an unknown format', text);
    const values = new Map<string, string>();
    for (const line of lines.slice(1)) {
        if (line === '')
            continue;
        const eq = line.indexOf('=');
        if (eq <= 0)
            throw new ParseError(TOOL, `unexpected line "${line}"`, text);
        values.set(line.slice(0, eq), line.slice(eq + 1));
    }
    const error = values.get('error');
    if (error !== undefined)
        throw new ParseError(TOOL, `the script failed: ${error}`, text);
    if (values.get('end') !== 'ok')
        throw new ParseError(TOOL, 'the answer is incomplete', text);
    return values;
}

export function parseModelPathReport(text: string): ModelPathReport {
    const values = fields(text);
    const yesNo = (key: string): boolean => {
        const value = values.get(key);
        if (value !== 'yes' && value !== 'no')
            throw new ParseError(TOOL, `"${key}" must be yes or no, not "${value ?? ''}"`, text);
        return value === 'yes';
    };
    const count = (key: string): number => {
        const value = values.get(key) ?? '';
        if (!/^[0-9]+$/.test(value))
            throw new ParseError(TOOL, `"${key}" must be a count, not "${value}"`, text);
        return Number(value);
    };

    if (!yesNo('exists'))
        return { type: 'missing', hiddenBy: values.get('hidden_by') ?? null };
    const type = values.get('type');
    if (type === 'symlink-dangling')
        return { type };
    const link = yesNo('link');
    const readable = yesNo('readable');
    switch (type) {
    case 'device':
    case 'fifo':
    case 'socket':
    case 'other':
        return { type, link, readable };
    case 'file': {
        const magic = values.get('magic');
        if (magic !== undefined && !/^(?:[0-9a-f]{2}){0,4}$/.test(magic))
            throw new ParseError(TOOL, `"magic" must be hex bytes, not "${magic}"`, text);
        return { type, link, readable, size: values.has('size') ? count('size') : null, magic: magic ?? null };
    }
    case 'directory':
        return {
            type,
            link,
            readable,
            contents: readable && values.has('entries')
                ? {
                    hasConfigJson: yesNo('has_config_json'),
                    safetensors: count('safetensors'),
                    gguf: count('gguf'),
                    ollamaStore: yesNo('ollama_store'),
                    entries: count('entries'),
                }
                : null,
        };
    default:
        throw new ParseError(TOOL, `unknown type "${type ?? ''}"`, text);
    }
}

const FOLDER_FORMATS: readonly ModelFormat[] = ['safetensors-folder', 'ollama-store', 'folder'];

function describe(f: ModelFormat): string {
    switch (f) {
    case 'gguf':
        return _("a single .gguf file");
    case 'safetensors-folder':
        return _("a Hugging Face model folder (config.json and .safetensors files)");
    case 'ollama-store':
        return _("an Ollama model store (a folder with blobs/ and manifests/)");
    case 'folder':
        return _("a folder");
    }
}

/** What the check found, as the create dialog says it under the path. */
export function foundText(f: ModelFormat): string {
    switch (f) {
    case 'gguf':
        return _("Found a GGUF model file.");
    case 'safetensors-folder':
        return _("Found a Hugging Face model folder (config.json and .safetensors files).");
    case 'ollama-store':
        return _("Found an Ollama model store.");
    case 'folder':
        return _("Found a folder.");
    }
}

function checkFolder(contents: FolderContents, f: ModelFormat): string | null {
    switch (f) {
    case 'safetensors-folder':
        // vLLM reads the architecture from config.json: weights alone do not load
        if (!contents.hasConfigJson)
            return _("The folder has no config.json. vLLM needs a Hugging Face model folder: config.json, which describes the model, next to the .safetensors weights.");
        if (contents.safetensors === 0)
            return _("The folder has no .safetensors files directly inside it.");
        return null;
    case 'ollama-store':
        if (!contents.ollamaStore)
            return _("This is not an Ollama model store: it needs the folders blobs/ and manifests/.");
        return null;
    case 'folder':
        return contents.entries > 0 ? null : _("The folder is empty.");
    case 'gguf':
        return _("This is a folder, but the server loads a single .gguf file.");
    }
}

/** Whether the server can load what the path holds, in the first of its formats that fits. */
export function checkModelPath(report: ModelPathReport, formats: ModelFormat[]): ModelPathCheck {
    const refuse = (reason: string): ModelPathCheck => ({ ok: false, reason });
    if (formats.length === 0)
        return refuse(_("The server accepts no model format."));
    switch (report.type) {
    case 'missing':
        return refuse(report.hiddenBy !== null
            ? format(_("The path cannot be checked: the folder $0 is closed to the user this page runs as."), report.hiddenBy)
            : _("Nothing exists at this path."));
    case 'symlink-dangling':
        return refuse(_("This is a symbolic link to something that does not exist."));
    case 'device':
        return refuse(_("This is a device file, not a model."));
    case 'fifo':
        return refuse(_("This is a named pipe (FIFO), not a model."));
    case 'socket':
        return refuse(_("This is a socket, not a model."));
    case 'other':
        return refuse(_("This is neither a regular file nor a folder."));
    case 'file': {
        if (!formats.includes('gguf'))
            return refuse(format(_("This is a file, but the server loads $0."), describe(formats[0])));
        if (!report.readable)
            return refuse(_("The file is not readable by the user this page runs as."));
        if (report.size === 0 || report.magic === '')
            return refuse(_("The file is empty."));
        if (report.magic !== GGUF_MAGIC)
            return refuse(_("This is not a GGUF file: it does not start with the bytes \"GGUF\"."));
        return { ok: true, format: 'gguf' };
    }
    case 'directory': {
        const folderFormats = formats.filter(f => FOLDER_FORMATS.includes(f));
        if (folderFormats.length === 0) {
            const inside = report.contents !== null && report.contents.gguf > 0;
            return refuse(inside
                ? _("This is a folder, but the server loads a single .gguf file: pick one of the .gguf files inside it.")
                : _("This is a folder, but the server loads a single .gguf file."));
        }
        if (!report.readable || report.contents === null)
            return refuse(_("The folder cannot be listed by the user this page runs as."));
        const contents = report.contents;
        const fits = folderFormats.find(f => checkFolder(contents, f) === null);
        if (fits)
            return { ok: true, format: fits };
        // the first format the server names is the one it expects most
        return refuse(checkFolder(contents, folderFormats[0]) ?? _("The folder holds no model."));
    }
    }
}

/** The path as typed, before it reaches argv or a Quadlet file; null when it may be checked on the host. */
export function validateModelPathText(path: string): string | null {
    if (path === '')
        return _("Give the path of the model on this host.");
    if (path.length > MAX_PATH)
        return format(_("The path is longer than $0 characters."), MAX_PATH);
    if (!path.startsWith('/'))
        return _("The path must be absolute: it starts with /.");
    if ([...path].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
        return _("The path must not contain control characters such as line breaks.");
    if (path.split('/').includes('..'))
        return _("The path must not contain \"..\" segments.");
    // podman's -v and Quadlet's Volume= separate host path, container path and options with ':'
    if (path.includes(':'))
        return _("The path must not contain \":\": podman uses it to separate the parts of a mount.");
    // systemd drops blanks at the end of a value in the Quadlet file
    if (/\s$/.test(path))
        return _("The path must not end with a space.");
    return null;
}
