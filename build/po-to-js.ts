// PO text → the po.<lang>.js file cockpit.js expects:
//   cockpit.locale({ "": { "plural-forms": (n) => ..., "language": "de", "language-direction": "ltr" },
//                    "msgid": [msgid_plural | null, "msgstr", ...], "ctx\u0004msgid": [...] });
// Pure: no file access, so the tests and the webpack plugin share it.

import { type PoCatalog, type PoEntry, entryKey, headerField, isTranslated, parsePo } from './po-file';
import { parsePluralForms } from './plural-forms';

/** Base languages written right to left. */
const RTL_LANGUAGES = new Set(['ar', 'ckb', 'dv', 'fa', 'he', 'ps', 'sd', 'ug', 'ur', 'yi']);

const LANGUAGE_CODE = /^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]+)?$/;

export interface LocaleOptions {
    /** Used when the catalog's Language header is empty: normally the file's base name. */
    language: string;
    /** Which translated entries go in (default: all). */
    include?: (entry: PoEntry) => boolean;
}

export function languageDirection(language: string): 'ltr' | 'rtl' {
    const base = language.split(/[_@-]/)[0].toLowerCase();
    return RTL_LANGUAGES.has(base) ? 'rtl' : 'ltr';
}

/** The translated entries that go into the locale: not fuzzy, not obsolete, no empty msgstr. */
export function localeEntries(catalog: PoCatalog, include?: (entry: PoEntry) => boolean): PoEntry[] {
    return catalog.entries.filter(e => isTranslated(e) && (include ? include(e) : true));
}

export function catalogToLocaleJs(catalog: PoCatalog, options: LocaleOptions): string {
    const pluralHeader = headerField(catalog.header, 'Plural-Forms');
    if (!pluralHeader)
        throw new Error('the header has no Plural-Forms');
    const plural = parsePluralForms(pluralHeader);

    const language = headerField(catalog.header, 'Language') || options.language;
    if (!LANGUAGE_CODE.test(language))
        throw new Error(`"${language}" is not a language code`);

    const lines = [
        'cockpit.locale({',
        ' "": {',
        `  "plural-forms": ${plural.functionSource},`,
        `  "language": ${JSON.stringify(language)},`,
        `  "language-direction": "${languageDirection(language)}"`,
        ' }',
    ];
    for (const entry of localeEntries(catalog, options.include)) {
        if (entry.msgidPlural !== undefined && entry.msgstr.length !== plural.nplurals)
            throw new Error(`line ${entry.line}: "${entry.msgid}" has ${entry.msgstr.length} plural forms, Plural-Forms says ${plural.nplurals}`);
        const value = [entry.msgidPlural ?? null, ...entry.msgstr];
        lines[lines.length - 1] += ',';
        lines.push(` ${JSON.stringify(entryKey(entry))}: ${JSON.stringify(value)}`);
    }
    lines.push('});', '');
    return lines.join('\n');
}

/** PO text → po.<lang>.js source. Throws with the line on malformed input or a bad Plural-Forms. */
export function poToLocaleJs(poText: string, options: LocaleOptions): string {
    return catalogToLocaleJs(parsePo(poText), options);
}
