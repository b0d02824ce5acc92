// The shipped data files (the model catalog, the endpoint list) share one shape:
// `{ "version": 1, "<list>": [...] }`. Reading that envelope fails the same way for each.
import { ParseError } from './parse-error';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The list under `key` of a version 1 file; a ParseError naming `source` otherwise. */
export function versionedList(text: string, source: string, key: string): unknown[] {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new ParseError(source, `not JSON: ${error instanceof Error ? error.message : String(error)}`, text);
    }
    const list = isJsonObject(json) && json.version === 1 ? json[key] : undefined;
    if (!Array.isArray(list))
        throw new ParseError(source, `expected { "version": 1, "${key}": [...] }`, text);
    return list;
}
