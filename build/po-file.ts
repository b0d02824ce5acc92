// Reading and writing gettext PO/POT text. Pure functions: text in, data out, and back.
// (Own parser rather than gettext-parser: that package is ESM-only, which jest cannot load here,
// and this one reports errors with line numbers.)

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

export function withHeaderField(header: PoEntry, name: string, value: string): PoEntry {
    const fields = headerFields(header);
    const index = fields.findIndex(([key]) => key.toLowerCase() === name.toLowerCase());
    if (index >= 0)
        fields[index] = [fields[index][0], value];
    else
        fields.push([name, value]);
    return { ...header, msgstr: [fields.map(([key, val]) => `${key}: ${val}\n`).join('')] };
}

// --- parsing ---

const ESCAPES: Record<string, string> = {
    'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\x07', 'b': '\b', 'f': '\f', 'v': '\v', '?': '?', '\'': '\'',
};

function unquote(text: string, line: number): string {
    const trimmed = text.trim();
    if (trimmed.length < 2 || !trimmed.startsWith('"') || !trimmed.endsWith('"'))
        throw new PoSyntaxError(line, `expected a quoted string, found: ${trimmed}`);
    const body = trimmed.slice(1, -1);
    let out = '';
    for (let i = 0; i < body.length; i++) {
        const ch = body[i];
        if (ch === '"')
            throw new PoSyntaxError(line, 'unescaped " inside a string');
        if (ch !== '\\') {
            out += ch;
            continue;
        }
        const next = body[++i];
        if (next === undefined || !(next in ESCAPES))
            throw new PoSyntaxError(line, `unknown escape sequence \\${next ?? ''}`);
        out += ESCAPES[next];
    }
    return out;
}

type Field = 'msgctxt' | 'msgid' | 'msgid_plural' | 'msgstr';

interface Draft {
    entry: PoEntry;
    /** Which string continuation lines append to. */
    target: { field: Field; index: number } | null;
    hasMsgid: boolean;
    hasMsgstr: boolean;
    startLine: number;
}

function newDraft(line: number, obsolete: boolean): Draft {
    const entry = emptyEntry('', line);
    entry.msgstr = [];
    entry.obsolete = obsolete;
    return { entry, target: null, hasMsgid: false, hasMsgstr: false, startLine: line };
}

function finishDraft(draft: Draft): PoEntry {
    const { entry } = draft;
    if (!draft.hasMsgid)
        throw new PoSyntaxError(draft.startLine, 'entry without msgid');
    if (!draft.hasMsgstr)
        throw new PoSyntaxError(entry.line, `msgid "${entry.msgid}" has no msgstr`);
    if (entry.msgidPlural === undefined && entry.msgstr.length !== 1)
        throw new PoSyntaxError(entry.line, `msgid "${entry.msgid}" has msgstr[n] but no msgid_plural`);
    if (entry.msgidPlural !== undefined && Array.from(entry.msgstr).some(s => s === undefined))
        throw new PoSyntaxError(entry.line, `msgid "${entry.msgid}" skips a msgstr[n] index`);
    return entry;
}

function appendTo(entry: PoEntry, target: { field: Field; index: number }, value: string): void {
    switch (target.field) {
    case 'msgctxt': entry.msgctxt = (entry.msgctxt ?? '') + value; break;
    case 'msgid': entry.msgid += value; break;
    case 'msgid_plural': entry.msgidPlural = (entry.msgidPlural ?? '') + value; break;
    case 'msgstr': entry.msgstr[target.index] = (entry.msgstr[target.index] ?? '') + value; break;
    }
}

const KEYWORD = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*)$/;

/** Parses PO or POT text. Throws PoSyntaxError (with the line) on anything malformed. */
export function parsePo(text: string): PoCatalog {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const entries: PoEntry[] = [];
    let draft: Draft | null = null;

    for (let i = 0; i < lines.length; i++) {
        const lineNo = i + 1;
        let line = lines[i].trim();
        let obsolete = false;
        if (line.startsWith('#~')) {
            obsolete = true;
            line = line.slice(2).trim();
            if (line.startsWith('|'))
                continue; // previous msgid of an obsolete entry: not kept
        }
        if (line === '')
            continue;

        if (line.startsWith('#')) {
            // A comment after a msgstr starts the next entry.
            if (draft && draft.hasMsgstr)
                draft = flushDraft(draft, entries);
            draft ??= newDraft(lineNo, obsolete);
            addComment(draft.entry, line);
            continue;
        }

        if (line.startsWith('"')) {
            if (!draft || !draft.target)
                throw new PoSyntaxError(lineNo, 'string without a keyword before it');
            appendTo(draft.entry, draft.target, unquote(line, lineNo));
            continue;
        }

        const match = KEYWORD.exec(line);
        if (!match)
            throw new PoSyntaxError(lineNo, `cannot parse: ${line}`);
        const keyword = match[1];
        const value = unquote(match[3], lineNo);

        if (keyword === 'msgctxt' || keyword === 'msgid') {
            if (draft && (draft.hasMsgid || (keyword === 'msgctxt' && draft.entry.msgctxt !== undefined)))
                draft = flushDraft(draft, entries);
            draft ??= newDraft(lineNo, obsolete);
            draft.entry.obsolete = draft.entry.obsolete || obsolete;
            if (keyword === 'msgctxt') {
                draft.entry.msgctxt = value;
                draft.target = { field: 'msgctxt', index: 0 };
            } else {
                draft.entry.msgid = value;
                draft.entry.line = lineNo;
                draft.hasMsgid = true;
                draft.target = { field: 'msgid', index: 0 };
            }
            continue;
        }

        if (!draft || !draft.hasMsgid)
            throw new PoSyntaxError(lineNo, `${keyword} without msgid`);

        if (keyword === 'msgid_plural') {
            if (draft.hasMsgstr || draft.entry.msgidPlural !== undefined)
                throw new PoSyntaxError(lineNo, 'misplaced msgid_plural');
            draft.entry.msgidPlural = value;
            draft.target = { field: 'msgid_plural', index: 0 };
            continue;
        }

        // msgstr or msgstr[n]
        const index = match[2] === undefined ? 0 : Number(match[2]);
        if (match[2] === undefined && draft.entry.msgidPlural !== undefined)
            throw new PoSyntaxError(lineNo, 'plural entry needs msgstr[n], not msgstr');
        if (match[2] !== undefined && draft.entry.msgidPlural === undefined)
            throw new PoSyntaxError(lineNo, 'msgstr[n] without msgid_plural');
        if (draft.entry.msgstr[index] !== undefined)
            throw new PoSyntaxError(lineNo, `duplicate ${keyword}`);
        draft.entry.msgstr[index] = value;
        draft.hasMsgstr = true;
        draft.target = { field: 'msgstr', index };
    }
    // Comments after the last entry belong to nothing.
    if (draft && (draft.hasMsgid || draft.entry.msgctxt !== undefined))
        flushDraft(draft, entries);

    return splitHeader(entries);
}

function flushDraft(draft: Draft, entries: PoEntry[]): null {
    entries.push(finishDraft(draft));
    return null;
}

function addComment(entry: PoEntry, line: string): void {
    const kind = line[1];
    const rest = line.slice(2).trim();
    if (kind === ',')
        entry.flags.push(...rest.split(',').map(f => f.trim()).filter(f => f !== ''));
    else if (kind === ':')
        entry.references.push(...rest.split(/\s+/).filter(r => r !== ''));
    else if (kind === '.')
        entry.extractedComments.push(rest);
    else if (kind === '|')
        entry.previous.push(rest);
    else
        entry.translatorComments.push(line.slice(1).replace(/^ /, ''));
}

function splitHeader(all: PoEntry[]): PoCatalog {
    const seen = new Map<string, number>();
    let header: PoEntry | undefined;
    const entries: PoEntry[] = [];
    for (const entry of all) {
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
    const contentType = headerField(header, 'Content-Type');
    const charset = /charset=([^;\s]+)/i.exec(contentType ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset) && charset !== 'CHARSET')
        throw new PoSyntaxError(header.line, `charset ${charset} is not supported, use UTF-8`);
    return { header, entries };
}

// --- writing ---

function quote(value: string): string {
    return '"' + value
        .replace(/\\/g, '\\\\')
        .replace(/"/g, '\\"')
        .replace(/\t/g, '\\t')
        .replace(/\r/g, '\\r')
        .replace(/\n/g, '\\n') + '"';
}

/** keyword "value", split after each \n like msgmerge does, so multi-line strings stay readable. */
function writeString(keyword: string, value: string, prefix: string): string[] {
    const pieces = value.split(/(?<=\n)/).filter(p => p !== '');
    if (pieces.length <= 1)
        return [`${prefix}${keyword} ${quote(value)}`];
    return [`${prefix}${keyword} ""`, ...pieces.map(p => `${prefix}${quote(p)}`)];
}

function writeEntry(entry: PoEntry): string[] {
    const out: string[] = [];
    const prefix = entry.obsolete ? '#~ ' : '';
    for (const comment of entry.translatorComments)
        out.push(comment === '' ? '#' : `# ${comment}`);
    if (!entry.obsolete) {
        for (const comment of entry.extractedComments)
            out.push(`#. ${comment}`);
        for (const ref of entry.references)
            out.push(`#: ${ref}`);
    }
    if (entry.flags.length > 0)
        out.push(`#, ${entry.flags.join(', ')}`);
    if (!entry.obsolete)
        for (const prev of entry.previous)
            out.push(`#| ${prev}`);
    if (entry.msgctxt !== undefined)
        out.push(...writeString('msgctxt', entry.msgctxt, prefix));
    out.push(...writeString('msgid', entry.msgid, prefix));
    if (entry.msgidPlural !== undefined) {
        out.push(...writeString('msgid_plural', entry.msgidPlural, prefix));
        entry.msgstr.forEach((str, i) => out.push(...writeString(`msgstr[${i}]`, str, prefix)));
    } else {
        out.push(...writeString('msgstr', entry.msgstr[0] ?? '', prefix));
    }
    return out;
}

/** PO text: header, entries in the given order, obsolete entries last. */
export function serializePo(catalog: PoCatalog): string {
    const live = catalog.entries.filter(e => !e.obsolete);
    const obsolete = catalog.entries.filter(e => e.obsolete);
    const blocks = [catalog.header, ...live, ...obsolete].map(e => writeEntry(e).join('\n'));
    return blocks.join('\n\n') + '\n';
}

/** Code-point order (locale independent, so output is the same on every machine). */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function compareEntries(a: PoEntry, b: PoEntry): number {
    return compareStrings(a.msgid, b.msgid) || compareStrings(a.msgctxt ?? '', b.msgctxt ?? '') ||
        Number(a.msgctxt !== undefined) - Number(b.msgctxt !== undefined);
}
