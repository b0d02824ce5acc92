// The catalog of inference servers the Models tab can create: the one shipped with the
// package (catalog.json) and the host's own additions under CATALOG_DIR, one JSON file
// each in the same shape. Fields follow Podman AI Lab's catalog where it has one and add
// what it lacks: VRAM needed, context size, which API the server speaks, how to ask it
// for its health. Pure: a file's text in, typed entries out, or a ParseError naming it.
import { ParseError } from '../../pkg/lib/parse-error';
import shipped from './catalog.json';
import { memoryBytes } from './server-form';
import { isJsonObject, versionedList, type JsonObject } from '../../pkg/lib/versioned-json';

/** The API the server answers: OpenAI's /v1 (llama.cpp, vLLM, most) or Ollama's own (it also has /v1). */
export type ServedApi = 'openai' | 'ollama';

/** What a server loads from the model path the admin picks. */
export type ModelFormat =
    | 'gguf' // one .gguf file (llama.cpp, ggml)
    | 'safetensors-folder' // a Hugging Face folder: config.json and *.safetensors
    | 'ollama-store' // Ollama's model store: blobs/ and manifests/
    | 'folder'; // any folder (custom images)

export const MODEL_FORMATS: readonly ModelFormat[] = ['gguf', 'safetensors-folder', 'ollama-store', 'folder'];

export interface CatalogEntry {
    id: string;
    name: string;
    description: string;
    url: string;
    license: string;
    /** The image for NVIDIA GPUs; '' for "custom image" (the admin gives it). */
    image: string;
    /** An image for CPU only, where the GPU one would not start without a GPU. */
    cpuImage: string | null;
    api: ServedApi;
    containerPort: number;
    defaultHostPort: number;
    modelFormats: ModelFormat[];
    /** The server's arguments; {model}, {port} and {context} are filled in. */
    args: string[];
    /** Added when the server gets GPUs. */
    gpuArgs: string[];
    env: Record<string, string>;
    healthPath: string;
    modelsPath: string;
    chatPath: string;
    /** A health command inside the container (podman's HEALTHCHECK); null when the image has no tool for it. */
    healthCmd: string[] | null;
    contextSize: number;
    minVramGiB: number;
    memoryLimit: string;
    requiresGpu: boolean;
    readOnlyRoot: boolean;
    shmSize: string | null;
    /** The admin supplies image, port and arguments. */
    custom: boolean;
    /** Where the entry came from: 'package' or the host file that added it. */
    source: string;
}

export const CATALOG_DIR = '/etc/cockpit-ai-workstation/catalog.d';

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

class Reader {
    constructor(private readonly source: string, private readonly text: string, private readonly where: string) {}

    fail(message: string): never {
        throw new ParseError(this.source, `${this.where}: ${message}`, this.text);
    }

    string(o: JsonObject, key: string, fallback?: string): string {
        const value = o[key] ?? fallback;
        if (typeof value !== 'string')
            this.fail(`"${key}" must be a string`);
        return value;
    }

    number(o: JsonObject, key: string, min: number, max: number, fallback?: number): number {
        const value = o[key] ?? fallback;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
            this.fail(`"${key}" must be a whole number from ${min} to ${max}`);
        return value;
    }

    bool(o: JsonObject, key: string): boolean {
        const value = o[key] ?? false;
        if (typeof value !== 'boolean')
            this.fail(`"${key}" must be true or false`);
        return value;
    }

    strings(o: JsonObject, key: string, fallback?: string[]): string[] {
        const value = o[key] ?? fallback;
        if (!Array.isArray(value) || !value.every(v => typeof v === 'string'))
            this.fail(`"${key}" must be a list of strings`);
        return value as string[];
    }

    env(o: JsonObject): Record<string, string> {
        const value = o.env ?? {};
        if (!isJsonObject(value) || !Object.values(value).every(v => typeof v === 'string'))
            this.fail('"env" must map names to strings');
        for (const name of Object.keys(value)) {
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
                this.fail(`"env" has a bad variable name "${name}"`);
        }
        return value as Record<string, string>;
    }
}

function readEntry(raw: unknown, source: string, text: string, position: number): CatalogEntry {
    const where = `server ${position + 1}`;
    const r = new Reader(source, text, where);
    if (!isJsonObject(raw))
        throw new ParseError(source, `${where}: is not an object`, text);
    const id = r.string(raw, 'id');
    if (!ID.test(id))
        r.fail(`"id" "${id}" must be lower-case letters, digits and dashes`);
    const apiText = r.string(raw, 'api', 'openai');
    if (apiText !== 'openai' && apiText !== 'ollama')
        r.fail(`"api" must be "openai" or "ollama", not "${apiText}"`);
    const api = apiText as ServedApi;
    const formats = r.strings(raw, 'modelFormats');
    const modelFormats = formats.filter((f): f is ModelFormat => (MODEL_FORMATS as readonly string[]).includes(f));
    if (modelFormats.length !== formats.length || modelFormats.length === 0)
        r.fail(`"modelFormats" must list some of ${MODEL_FORMATS.join(', ')}`);
    const custom = r.bool(raw, 'custom');
    const image = r.string(raw, 'image', '');
    if (!custom && image === '')
        r.fail('"image" is missing');
    const path = (key: string, fallback: string) => {
        const value = r.string(raw, key, fallback);
        if (!value.startsWith('/'))
            r.fail(`"${key}" must start with /`);
        return value;
    };
    const cpuImage = raw.cpuImage === undefined ? null : r.string(raw, 'cpuImage');
    const shmSize = raw.shmSize === undefined ? null : r.string(raw, 'shmSize');
    // the container spec needs bytes and the Quadlet file the same value: only m and g forms
    if (shmSize !== null && memoryBytes(shmSize) === null)
        r.fail('"shmSize" must be a size like 8g or 512m');
    const memoryLimit = r.string(raw, 'memoryLimit', '16g');
    if (memoryBytes(memoryLimit) === null)
        r.fail('"memoryLimit" must be a size like 16g or 512m');
    const healthCmd = raw.healthCmd === undefined ? null : r.strings(raw, 'healthCmd');
    const containerPort = r.number(raw, 'containerPort', 1, 65535);
    return {
        id,
        name: r.string(raw, 'name'),
        description: r.string(raw, 'description', ''),
        url: r.string(raw, 'url', ''),
        license: r.string(raw, 'license', ''),
        image,
        cpuImage,
        api,
        containerPort,
        defaultHostPort: r.number(raw, 'defaultHostPort', 1024, 65535, containerPort),
        modelFormats,
        args: r.strings(raw, 'args', []),
        gpuArgs: r.strings(raw, 'gpuArgs', []),
        env: r.env(raw),
        healthPath: path('healthPath', '/v1/models'),
        modelsPath: path('modelsPath', '/v1/models'),
        chatPath: path('chatPath', '/v1/chat/completions'),
        healthCmd,
        contextSize: r.number(raw, 'contextSize', 128, 10_000_000, 4096),
        minVramGiB: r.number(raw, 'minVramGiB', 0, 100_000, 0),
        memoryLimit,
        requiresGpu: r.bool(raw, 'requiresGpu'),
        readOnlyRoot: r.bool(raw, 'readOnlyRoot'),
        shmSize,
        custom,
        source,
    };
}

/** One catalog file: `{ "version": 1, "servers": [...] }`. */
export function parseCatalog(text: string, source: string): CatalogEntry[] {
    const entries = versionedList(text, source, 'servers').map((raw, i) => readEntry(raw, source, text, i));
    const ids = new Set<string>();
    for (const entry of entries) {
        if (ids.has(entry.id))
            throw new ParseError(source, `server id "${entry.id}" appears twice`, text);
        ids.add(entry.id);
    }
    return entries;
}

export function shippedCatalog(): CatalogEntry[] {
    return parseCatalog(JSON.stringify(shipped), 'package');
}

/**
 * The shipped entries, then the host's; a host entry with a shipped id replaces it, so a
 * site can point llama.cpp at its own mirror. Files that do not parse are reported, not
 * dropped silently, and take nothing else down.
 */
export function mergeCatalogs(base: CatalogEntry[], hostFiles: { path: string, text: string }[]): { entries: CatalogEntry[], problems: ParseError[] } {
    const byId = new Map(base.map(entry => [entry.id, entry]));
    const problems: ParseError[] = [];
    for (const file of [...hostFiles].sort((a, b) => a.path.localeCompare(b.path))) {
        try {
            for (const entry of parseCatalog(file.text, file.path))
                byId.set(entry.id, entry);
        } catch (error) {
            if (!(error instanceof ParseError))
                throw error;
            problems.push(error);
        }
    }
    // "custom image" stays last: it is the way out when nothing above fits
    const entries = [...byId.values()].sort((a, b) => Number(a.custom) - Number(b.custom));
    return { entries, problems };
}
