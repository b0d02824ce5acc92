// Reading and writing gettext PO/POT text through gettext-parser's po.parse and po.compile
// (version 7: the CommonJS release, which jest can load). Pure functions: text in, data out, and back.
//
// gettext-parser's table is keyed by context, then msgid: it loses the file's order, the line of
// each entry and duplicates, and it reads an unterminated string on to the end of the file. So
// parsePo cuts the text into entries by the shape of its lines and hands each one to po.parse,
// and keeps the checks msgfmt makes that gettext-parser does not.

import { type GetTextComment, type GetTextTranslation, type GetTextTranslationRecord, po } from 'gettext-parser';

export interface PoEntry {
    msgctxt?: string;
    msgid: string;
    msgidPlural?: string;
    /** One string, or one per plural form when msgidPlural is set. */
    msgstr: string[];
    /** "# ..." lines, without the "# ". */
    translatorComments: string[];
    /** "#. ..." lines. */
    extractedComments: string[];
    /** "#: file:line" items. */
    references: string[];
    /** "#, fuzzy, ..." items. */
    flags: string[];
    /** "#| ..." lines, kept as written. */
    previous: string[];
    /** A "#~" entry that msgmerge keeps for reuse. */
    obsolete: boolean;
    /** 1-based line of the entry's msgid in the text it came from (0 when built in memory). */
    line: number;
}

export interface PoCatalog {
    /** The msgid "" entry; its msgstr[0] holds the "Name: value" header lines. */
    header: PoEntry;
    entries: PoEntry[];
}

export class PoSyntaxError extends Error {
    readonly line: number;

    constructor(line: number, message: string) {
        super(`line ${line}: ${message}`);
        this.name = 'PoSyntaxError';
        this.line = line;
    }
}

/** The lookup key cockpit.js uses: context, U+0004, msgid. */
export function entryKey(entry: { msgctxt?: string; msgid: string }): string {
    return entry.msgctxt === undefined ? entry.msgid : `${entry.msgctxt}\u0004${entry.msgid}`;
}

export function emptyEntry(msgid: string, line = 0): PoEntry {
    return {
        msgid,
        msgstr: [''],
        translatorComments: [],
        extractedComments: [],
        references: [],
        flags: [],
        previous: [],
        obsolete: false,
        line,
    };
}

export function isFuzzy(entry: PoEntry): boolean {
    return entry.flags.includes('fuzzy');
}

/** Translated: every msgstr non-empty, not fuzzy, not obsolete. */
export function isTranslated(entry: PoEntry): boolean {
    return !entry.obsolete && !isFuzzy(entry) && entry.msgstr.length > 0 && entry.msgstr.every(s => s !== '');
}

// --- header fields ---

/** "Name: value" pairs of a header, in order. */
export function headerFields(header: PoEntry): [string, string][] {
    const fields: [string, string][] = [];
    for (const line of (header.msgstr[0] ?? '').split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0)
            fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
    return fields;
}

/** A header field by case-insensitive name. */
export function headerField(header: PoEntry, name: string): string | undefined {
    const wanted = name.toLowerCase();
    return headerFields(header).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

// --- parsing ---

/** An optional keyword, then one complete quoted string (after "#~ " for obsolete entries). */
const STRING_LINE = /^(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*)?"(?:[^"\\]|\\.)*"$/;

/** One entry's lines, from its first comment or keyword on, with the number of each keyword's line. */
interface Block { start: number; lines: string[]; keywords: string[]; keywordLines: number[]; msgidLine: number }

/** Cuts the text into entries (a comment, msgctxt or msgid after a msgid starts the next one) and
 *  rejects lines gettext-parser would misread, such as an unterminated string. */
function splitEntries(text: string): Block[] {
    const blocks: Block[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
        // "#~|": the previous msgid of an obsolete entry; gettext-parser cannot read it, and it is not kept.
        const line = raw.trim().startsWith('#~|') ? '' : raw.trim();
        const body = line.startsWith('#~') ? line.slice(2).trim() : line;
        const match = body === '' || body.startsWith('#') ? null : STRING_LINE.exec(body);
        if (body !== '' && !body.startsWith('#') && !match)
            throw new PoSyntaxError(i + 1, `cannot parse: ${line}`);
        const keyword = match?.[1];
        let block = blocks.at(-1);
        if (body !== '' && (!block || (block.msgidLine > 0 && (!match || keyword === 'msgctxt' || keyword === 'msgid'))))
            blocks.push(block = { start: i + 1, lines: [], keywords: [], keywordLines: [], msgidLine: 0 });
        if (match && !keyword && block?.keywords.length === 0)
            throw new PoSyntaxError(i + 1, 'string without a keyword before it');
        block?.lines.push(line);
        if (block && keyword) {
            block.keywords.push(keyword);
            block.keywordLines.push(i + 1);
            if (keyword === 'msgid')
                block.msgidLine = i + 1;
        }
    });
    return blocks;
}

const commentLines = (text: string | undefined): string[] => text === undefined ? [] : text.split('\n');

/** One entry through po.parse, or null for comments after the last entry. */
function parseEntry(block: Block): PoEntry | null {
    if (block.msgidLine === 0) {
        if (block.keywords.length > 0)
            throw new PoSyntaxError(block.keywordLines[0], `${block.keywords[0]} without msgid`);
        return null;
    }
    let table;
    try {
        table = po.parse(block.lines.join('\n'));
    } catch (ex) {
        const at = (ex as { lineNumber?: unknown }).lineNumber;
        throw new PoSyntaxError(block.start + (typeof at === 'number' ? at - 1 : 0), ex instanceof Error ? ex.message : String(ex));
    }
    const [translation] = Object.values(table.obsolete ?? table.translations).flatMap(Object.values);
    const comments = translation.comments ?? {};
    const entry: PoEntry = {
        ...emptyEntry(translation.msgid, block.msgidLine),
        ...(translation.msgctxt === undefined ? {} : { msgctxt: translation.msgctxt }),
        ...(translation.msgid_plural === undefined ? {} : { msgidPlural: translation.msgid_plural }),
        msgstr: translation.msgstr,
        translatorComments: commentLines(comments.translator),
        extractedComments: commentLines(comments.extracted),
        references: commentLines(comments.reference).flatMap(r => r.split(/\s+/)).filter(r => r !== ''),
        flags: commentLines(comments.flag).flatMap(f => f.split(',')).map(f => f.trim()).filter(f => f !== ''),
        previous: commentLines(comments.previous),
        obsolete: table.obsolete !== undefined,
    };

    // gettext-parser takes msgstr lines in any number, order and form; msgfmt does not.
    const msgstrs = block.keywords.filter(k => k.startsWith('msgstr'));
    if (msgstrs.length === 0)
        throw new PoSyntaxError(entry.line, `msgid "${entry.msgid}" has no msgstr`);
    const expected = [...(block.keywords[0] === 'msgctxt' ? ['msgctxt'] : []), 'msgid',
        ...(entry.msgidPlural === undefined ? ['msgstr'] : ['msgid_plural', ...msgstrs.map((_, n) => `msgstr[${n}]`)])];
    const wrong = block.keywords.findIndex((k, n) => k !== expected[n]);
    if (wrong >= 0 || expected.length !== block.keywords.length)
        throw new PoSyntaxError(block.keywordLines[wrong] ?? entry.line,
            `msgid "${entry.msgid}": expected ${expected.join(', ')}, found ${block.keywords.join(', ')}`);
    return entry;
}

/** Parses PO or POT text. Throws PoSyntaxError (with the line) on anything malformed. */
export function parsePo(text: string): PoCatalog {
    const seen = new Map<string, number>();
    let header: PoEntry | undefined;
    const entries: PoEntry[] = [];
    for (const entry of splitEntries(text.replace(/^\uFEFF/, '')).map(parseEntry)) {
        if (entry === null)
            continue;
        if (entry.msgid === '' && entry.msgctxt === undefined && !entry.obsolete) {
            if (header)
                throw new PoSyntaxError(entry.line, 'second header entry (msgid "")');
            header = entry;
            continue;
        }
        if (entry.msgid === '')
            throw new PoSyntaxError(entry.line, 'empty msgid');
        const key = (entry.obsolete ? '~' : '') + entryKey(entry);
        const earlier = seen.get(key);
        if (earlier !== undefined)
            throw new PoSyntaxError(entry.line, `duplicate msgid "${entry.msgid}" (first at line ${earlier})`);
        seen.set(key, entry.line);
        entries.push(entry);
    }
    if (!header)
        throw new PoSyntaxError(1, 'no header entry (msgid "")');
    const charset = /charset=([^;\s]+)/i.exec(headerField(header, 'Content-Type') ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset) && charset !== 'CHARSET')
        throw new PoSyntaxError(header.line, `charset ${charset} is not supported, use UTF-8`);
    return { header, entries };
}

// --- writing ---

function toTranslation(entry: PoEntry): GetTextTranslation {
    const comments: GetTextComment = {};
    const lists = {
        translator: entry.translatorComments, extracted: entry.extractedComments, reference: entry.references,
        flag: entry.flags.length > 0 ? [entry.flags.join(', ')] : [], previous: entry.previous,
    };
    for (const [kind, lines] of Object.entries(lists) as [keyof GetTextComment, string[]][])
        if (lines.length > 0)
            comments[kind] = lines.join('\n');
    const translation: GetTextTranslation = { msgid: entry.msgid, msgstr: entry.msgstr, comments };
    if (entry.msgctxt !== undefined)
        translation.msgctxt = entry.msgctxt;
    if (entry.msgidPlural !== undefined)
        translation.msgid_plural = entry.msgidPlural;
    return translation;
}

/** PO text as po.compile writes it: header, entries in the given order, obsolete entries last;
 *  strings split only after "\n", never folded. */
export function serializePo(catalog: PoCatalog): string {
    const order = new Map<GetTextTranslation, number>();
    const record = (entries: PoEntry[]): GetTextTranslationRecord => {
        const result: GetTextTranslationRecord = {};
        for (const entry of entries) {
            const translation = toTranslation(entry);
            order.set(translation, order.size);
            (result[entry.msgctxt ?? ''] ??= {})[entry.msgid] = translation;
        }
        return result;
    };
    const translations = record(catalog.entries.filter(e => !e.obsolete));
    (translations[''] ??= {})[''] = toTranslation(catalog.header);
    const text = po.compile({
        charset: 'utf-8',
        headers: Object.fromEntries(headerFields(catalog.header)),
        translations,
        obsolete: record(catalog.entries.filter(e => e.obsolete)),
    }, { foldLength: 0, sort: (a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0) });
    return text.toString('utf8');
}

/** Code-point order (locale independent, so output is the same on every machine). */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function compareEntries(a: PoEntry, b: PoEntry): number {
    return compareStrings(a.msgid, b.msgid) || compareStrings(a.msgctxt ?? '', b.msgctxt ?? '') ||
        Number(a.msgctxt !== undefined) - Number(b.msgctxt !== undefined);
}
