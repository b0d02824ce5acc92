// The strings of manifest.json that the Cockpit shell translates with cockpit.gettext():
// menu/tools/dashboard item labels, their keyword matches (unless "translate": false) and
// docs labels. Pure: manifest text in, messages out.

import type { Message } from './messages';

const SECTIONS = ['menu', 'tools', 'dashboard'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: Json | undefined): Json[] {
    return Array.isArray(value) ? value : [];
}

function docsLabels(docs: Json | undefined): string[] {
    return asArray(docs).flatMap(doc => (isObject(doc) && typeof doc.label === 'string' ? [doc.label] : []));
}

/** The translatable strings of a manifest, in document order (duplicates kept). */
export function manifestStrings(manifest: Json): string[] {
    if (!isObject(manifest))
        return [];
    const strings: string[] = [];
    for (const section of SECTIONS) {
        const items = manifest[section];
        if (!isObject(items))
            continue;
        for (const item of Object.values(items)) {
            if (!isObject(item))
                continue;
            if (typeof item.label === 'string')
                strings.push(item.label);
            for (const keyword of asArray(item.keywords)) {
                if (!isObject(keyword) || keyword.translate === false)
                    continue;
                for (const match of asArray(keyword.matches))
                    if (typeof match === 'string')
                        strings.push(match);
            }
            strings.push(...docsLabels(item.docs));
        }
    }
    if (isObject(manifest.parent))
        strings.push(...docsLabels(manifest.parent.docs));
    return strings.filter(s => s !== '');
}

/** 1-based line where the JSON string literal first appears, 1 if it cannot be found. */
function lineOf(text: string, value: string): number {
    const at = text.indexOf(JSON.stringify(value));
    return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

/** Messages for the pot. `file` is the reference path (e.g. "manifest.json"). Throws on invalid JSON. */
export function extractManifestMessages(text: string, file: string): Message[] {
    let manifest: Json;
    try {
        manifest = JSON.parse(text) as Json;
    } catch (ex) {
        throw new Error(`${file}: ${ex instanceof Error ? ex.message : String(ex)}`);
    }
    return manifestStrings(manifest).map(msgid => ({
        msgid,
        reference: `${file}:${lineOf(text, msgid)}`,
        comments: [],
    }));
}
