// Translation completeness and sanity checks, pure: catalogs in, problem lines out.
// Used by build/po.test.ts and build/check-translations.ts.

import { type PoCatalog, type PoEntry, entryKey, isTranslated } from './po-file';

/** cockpit.format() placeholders: $0, $1, $name, ${name}; sorted, duplicates kept once. */
export function placeholders(text: string): string[] {
    const found = new Set<string>();
    for (const match of text.matchAll(/\$\{([^}]+)\}|\$([A-Za-z0-9_]+)/g))
        found.add('$' + (match[1] ?? match[2]));
    return [...found].sort();
}

function describe(entry: { msgctxt?: string; msgid: string }): string {
    return entry.msgctxt === undefined ? JSON.stringify(entry.msgid) : `${JSON.stringify(entry.msgid)} (context ${JSON.stringify(entry.msgctxt)})`;
}

/** Pot messages that have no finished (non-empty, non-fuzzy) translation in the catalog. */
export function missingTranslations(pot: PoCatalog, po: PoCatalog): string[] {
    const done = new Map<string, PoEntry>();
    for (const entry of po.entries)
        if (!entry.obsolete)
            done.set(entryKey(entry), entry);
    const problems: string[] = [];
    for (const wanted of pot.entries) {
        const entry = done.get(entryKey(wanted));
        if (!entry)
            problems.push(`${describe(wanted)} is not in the catalog (run build/update-po.ts)`);
        else if (!isTranslated(entry))
            problems.push(`${describe(wanted)} is ${entry.flags.includes('fuzzy') ? 'fuzzy' : 'untranslated'}`);
        else if ((wanted.msgidPlural !== undefined) !== (entry.msgidPlural !== undefined))
            problems.push(`${describe(wanted)}: plural does not match the pot (run build/update-po.ts)`);
    }
    return problems;
}

/** Translations whose placeholders differ from their msgid's. Plural forms may drop a placeholder
 *  that only one of msgid / msgid_plural has ("One file" / "$0 files"). */
export function placeholderProblems(po: PoCatalog): string[] {
    const problems: string[] = [];
    for (const entry of po.entries) {
        if (entry.obsolete)
            continue;
        const single = placeholders(entry.msgid);
        entry.msgstr.forEach((msgstr, i) => {
            if (msgstr === '')
                return;
            const got = placeholders(msgstr);
            let ok: boolean;
            if (entry.msgidPlural === undefined) {
                ok = got.join(' ') === single.join(' ');
            } else {
                const plural = placeholders(entry.msgidPlural);
                const allowed = new Set([...single, ...plural]);
                const required = single.filter(p => plural.includes(p));
                ok = got.every(p => allowed.has(p)) && required.every(p => got.includes(p));
            }
            if (!ok) {
                const form = entry.msgidPlural === undefined ? '' : `[${i}]`;
                problems.push(`line ${entry.line}: msgstr${form} of ${describe(entry)} has placeholders ` +
                    `${got.join(' ') || 'none'}, the msgid has ${single.join(' ') || 'none'}`);
            }
        });
    }
    return problems;
}
