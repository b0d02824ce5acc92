// Typed reads of a status JSON document for both status parsers. Every failure is the
// parser's ParseError (DESIGN decision 2) naming the tool, the JSON path and, as the
// snippet, the offending value: for a deep type error the first lines of a 30 kB status
// would not show the admin what was wrong.
import { ParseError } from '../../pkg/lib/parse-error';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const CONTEXT = 80;

/** Parse the whole text; empty, truncated and non-JSON output each get their own message. */
export function parseJsonDocument(tool: string, text: string): Json {
    if (text.trim() === '')
        throw new ParseError(tool, `${tool} printed nothing`, text);
    try {
        return JSON.parse(text) as Json;
    } catch (ex) {
        const message = ex instanceof Error ? ex.message : String(ex);
        const where = errorOffset(text, message);
        // a cut-off document: "Unexpected end of JSON input" (V8), "unexpected end of data"
        // (Firefox), "Unexpected EOF" (Safari), or an error at the very end of the text
        const truncated = /end of (JSON input|data)|unexpected EOF/i.test(message) || (where !== null && where >= text.trimEnd().length);
        const at = where ?? (truncated ? text.length : 0);
        throw new ParseError(tool, truncated
            ? `${tool} output ends in the middle of its JSON (truncated?)`
            : `${tool} output is not valid JSON: ${message}`, text.slice(Math.max(0, at - CONTEXT), at + CONTEXT));
    }
}

/** Where JSON.parse gave up: a position, Firefox's line and column, or V8's quote of the text. */
function errorOffset(text: string, message: string): number | null {
    const position = /position (\d+)/.exec(message);
    if (position)
        return Number(position[1]);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    if (lineColumn) {
        const lines = text.split('\n').slice(0, Number(lineColumn[1]) - 1);
        return lines.reduce((sum, line) => sum + line.length + 1, 0) + Number(lineColumn[2]) - 1;
    }
    const quoted = /, (?:\.\.\.)?"([\s\S]+?)"(?:\.\.\.)? is not valid JSON/.exec(message);
    if (!quoted)
        return null;
    const found = text.indexOf(quoted[1]);
    return found < 0 ? null : found + Math.floor(quoted[1].length / 2);
}

export function isObject(value: Json | undefined): value is JsonObject {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: Json | undefined): string {
    if (value === undefined)
        return 'missing';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** One JSON object and where it sits in the document, with typed field reads. */
export class Fields {
    constructor(readonly tool: string, readonly path: string, readonly value: JsonObject) {}

    static of(tool: string, path: string, value: Json | undefined): Fields {
        if (!isObject(value))
            throw wrongType(tool, path, 'an object', value);
        return new Fields(tool, path, value);
    }

    at(key: string): string {
        return `${this.path}.${key}`;
    }

    raw(key: string): Json | undefined {
        return Object.prototype.hasOwnProperty.call(this.value, key) ? this.value[key] : undefined;
    }

    fail(key: string, expected: string): never {
        throw wrongType(this.tool, this.at(key), expected, this.raw(key));
    }

    string(key: string): string {
        const value = this.raw(key);
        if (typeof value !== 'string' || value === '')
            this.fail(key, 'a non-empty string');
        return value;
    }

    optString(key: string): string | null {
        const value = this.raw(key);
        if (value === undefined || value === null)
            return null;
        if (typeof value !== 'string')
            this.fail(key, 'a string');
        return value;
    }

    optBoolean(key: string): boolean | null {
        const value = this.raw(key);
        if (value === undefined || value === null)
            return null;
        if (typeof value !== 'boolean')
            this.fail(key, 'true or false');
        return value;
    }

    boolean(key: string, fallback: boolean): boolean {
        return this.optBoolean(key) ?? fallback;
    }

    integer(key: string): number {
        const value = this.optInteger(key);
        if (value === null)
            this.fail(key, 'an integer');
        return value;
    }

    optInteger(key: string): number | null {
        const value = this.raw(key);
        if (value === undefined || value === null)
            return null;
        if (typeof value !== 'number' || !Number.isInteger(value))
            this.fail(key, 'an integer');
        return value;
    }

    /** An array of strings; absent or null is the empty list. */
    strings(key: string): string[] {
        return this.array(key).map((item, i) => {
            if (typeof item !== 'string')
                throw wrongType(this.tool, `${this.at(key)}[${i}]`, 'a string', item);
            return item;
        });
    }

    /** An array; absent or null is the empty list. */
    array(key: string): Json[] {
        const value = this.raw(key);
        if (value === undefined || value === null)
            return [];
        if (!Array.isArray(value))
            this.fail(key, 'an array');
        return value;
    }

    optObject(key: string): Fields | null {
        const value = this.raw(key);
        if (value === undefined || value === null)
            return null;
        return Fields.of(this.tool, this.at(key), value);
    }
}

export function wrongType(tool: string, path: string, expected: string, value: Json | undefined): ParseError {
    return new ParseError(tool, `${path} is ${describe(value)}, expected ${expected}`, value === undefined ? '' : JSON.stringify(value));
}
