// msgmerge in miniature: brings a translation catalog in line with a fresh .pot.
// - msgids still in the pot keep their translation, flags and translator comments;
//   references and extracted comments come from the pot;
// - a msgid whose plural changed keeps its old msgstr but is marked fuzzy;
// - new msgids come in untranslated; msgids that came back are revived from the obsolete ones;
// - vanished translated msgids become obsolete (#~), vanished untranslated ones are dropped.
// The header is kept as is. Pure: catalogs in, catalog out.

import { type PoCatalog, type PoEntry, compareEntries, entryKey, headerField, isFuzzy } from './po-file';
import { parsePluralForms } from './plural-forms';

/** nplurals from the catalog's Plural-Forms (2 when it has none yet). */
export function pluralCount(catalog: PoCatalog): number {
    const header = headerField(catalog.header, 'Plural-Forms');
    return header ? parsePluralForms(header).nplurals : 2;
}

function fitMsgstr(msgstr: string[], plural: boolean, nplurals: number): string[] {
    if (!plural)
        return [msgstr[0] ?? ''];
    return Array.from({ length: nplurals }, (_unused, i) => msgstr[i] ?? msgstr[msgstr.length - 1] ?? '');
}

function hasTranslation(entry: PoEntry): boolean {
    return entry.msgstr.some(s => s !== '');
}

function mergeEntry(template: PoEntry, old: PoEntry | undefined, nplurals: number): PoEntry {
    const plural = template.msgidPlural !== undefined;
    const merged: PoEntry = {
        ...template,
        msgstr: fitMsgstr([], plural, nplurals),
        translatorComments: [],
        flags: [...template.flags],
        previous: [],
        obsolete: false,
        line: 0,
    };
    if (!old)
        return merged;

    merged.translatorComments = [...old.translatorComments];
    merged.msgstr = fitMsgstr(old.msgstr, plural, nplurals);
    for (const flag of old.flags)
        if (!merged.flags.includes(flag))
            merged.flags.push(flag);
    const pluralChanged = old.msgidPlural !== template.msgidPlural;
    if (pluralChanged && hasTranslation(old) && !isFuzzy(merged))
        merged.flags.push('fuzzy');
    if (!hasTranslation(merged))
        merged.flags = merged.flags.filter(f => f !== 'fuzzy');
    return merged;
}

export function mergePo(pot: PoCatalog, po: PoCatalog): PoCatalog {
    const nplurals = pluralCount(po);
    const live = new Map<string, PoEntry>();
    const obsolete = new Map<string, PoEntry>();
    for (const entry of po.entries)
        (entry.obsolete ? obsolete : live).set(entryKey(entry), entry);

    const wanted = new Set(pot.entries.map(entryKey));
    const entries = pot.entries.map(template => {
        const key = entryKey(template);
        return mergeEntry(template, live.get(key) ?? obsolete.get(key), nplurals);
    });

    const gone: PoEntry[] = [];
    for (const [key, entry] of [...live, ...obsolete]) {
        if (wanted.has(key) || !hasTranslation(entry) || (!entry.obsolete && obsolete.has(key)))
            continue;
        gone.push({ ...entry, obsolete: true, references: [], extractedComments: [], previous: [], line: 0 });
    }
    gone.sort(compareEntries);

    return { header: po.header, entries: [...entries, ...gone] };
}
