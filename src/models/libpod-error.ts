// libpod's error bodies, and the JSON reading that every libpod parser in this folder
// shares, so that all of them fail the same way: a ParseError naming the podman API.
import { ParseError } from '../../pkg/lib/parse-error';

export const PODMAN_API = 'podman API';

export interface LibpodError {
    /** The HTTP status of the answer (libpod also repeats it as "response"). */
    status: number;
    /** libpod's short cause ("no such container", "address already in use"); '' when none. */
    cause: string;
    /** The whole message, cause included, as podman's CLI would print it. */
    message: string;
}

/**
 * Reads an error answer. Never throws: an error is already being reported, and a
 * proxy or a crashed service may answer with plain text or nothing at all.
 */
export function parseLibpodError(status: number, body: string): LibpodError {
    const trimmed = body.trim();
    let value: unknown;
    try {
        value = JSON.parse(trimmed);
    } catch {
        return { status, cause: '', message: trimmed };
    }
    if (!isRecord(value))
        return { status, cause: '', message: trimmed };
    const cause = typeof value.cause === 'string' ? value.cause : '';
    // the Docker-compatible endpoints answer {"message": ...} only
    const message = typeof value.message === 'string' && value.message !== '' ? value.message : cause || trimmed;
    return { status, cause, message };
}

// --- shared by the libpod parsers ---

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string, what: string): unknown {
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new ParseError(PODMAN_API, `${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`, text);
    }
}

/**
 * Field readers: absent or null gives the fallback, a value of another type is a ParseError.
 * Declare the reader with its type (`const r: FieldReader = …`): TypeScript narrows after
 * `r.fail()` only through an explicitly typed name.
 */
export class FieldReader {
    constructor(private readonly what: string, private readonly text: string) {}

    fail(message: string): never {
        throw new ParseError(PODMAN_API, `${this.what}: ${message}`, this.text);
    }

    record(value: unknown, field: string): JsonRecord {
        if (!isRecord(value))
            this.fail(`${field} is not an object`);
        return value;
    }

    optRecord(value: unknown, field: string): JsonRecord | null {
        return value === undefined || value === null ? null : this.record(value, field);
    }

    string(value: unknown, field: string): string {
        if (typeof value !== 'string')
            this.fail(`${field} is not a string`);
        return value;
    }

    optString(value: unknown, field: string, fallback = ''): string {
        return value === undefined || value === null ? fallback : this.string(value, field);
    }

    number(value: unknown, field: string, fallback = 0): number {
        if (value === undefined || value === null)
            return fallback;
        if (typeof value !== 'number' || !Number.isFinite(value))
            this.fail(`${field} is not a number`);
        return value;
    }

    boolean(value: unknown, field: string): boolean {
        if (value === undefined || value === null)
            return false;
        if (typeof value !== 'boolean')
            this.fail(`${field} is not a boolean`);
        return value;
    }

    array(value: unknown, field: string): unknown[] {
        if (value === undefined || value === null)
            return [];
        if (!Array.isArray(value))
            this.fail(`${field} is not a list`);
        return value;
    }

    strings(value: unknown, field: string): string[] {
        return this.array(value, field).map((item, i) => this.string(item, `${field}[${i}]`));
    }

    /** Labels, annotations: string to string; podman sends null for none. */
    stringMap(value: unknown, field: string): Record<string, string> {
        const map = this.optRecord(value, field);
        const out: Record<string, string> = {};
        if (map)
            for (const [key, item] of Object.entries(map))
                out[key] = this.string(item, `${field}.${key}`);
        return out;
    }
}
