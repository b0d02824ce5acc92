/** @jest-environment node */
// Translation pipeline: po → po.<lang>.js, extraction → pot, merging, the webpack plugin, and the
// completeness of po/de.po against the strings in src/ and pkg/ right now.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

import webpack from 'webpack';

import { extractFromSource, extractFromSources } from './extract-messages';
import { PO_DIR, REPO_ROOT, extractRepository } from './extract-repository';
import { extractManifestMessages } from './manifest-messages';
import { mergePo } from './merge-po';
import { missingTranslations, placeholderProblems, placeholders } from './po-check';
import { PoSyntaxError, parsePo, serializePo } from './po-file';
import { CockpitPoPlugin } from './po-plugin';
import { poToLocaleJs } from './po-to-js';
import { PluralFormsError, parsePluralForms } from './plural-forms';
import { potText } from './pot-builder';
import { readSources } from './source-files';

type LocaleEntry = (string | null)[];
interface LocaleHeader {
    'plural-forms': (n: number) => number | boolean;
    language: string;
    'language-direction': string;
}
type LocaleData = { '': LocaleHeader } & Record<string, LocaleEntry | LocaleHeader>;

/** Runs a po.<lang>.js the way a page does and returns what it hands to cockpit.locale(). */
function runLocaleJs(js: string): LocaleData {
    const calls: LocaleData[] = [];
    vm.runInNewContext(js, { cockpit: { locale: (data: LocaleData) => calls.push(data) } });
    expect(calls).toHaveLength(1);
    return calls[0];
}

/** cockpit.js 287's ngettext: plural-forms result true → form 1, number → that form. */
function pluralIndex(header: LocaleHeader, n: number): number {
    const result = header['plural-forms'](n);
    return result === true ? 1 : Number(result) || 0;
}

function header(plural = 'nplurals=2; plural=(n != 1);', language = 'de'): string {
    return [
        'msgid ""',
        'msgstr ""',
        // po.compile (gettext-parser) writes the charset in lower case
        '"Content-Type: text/plain; charset=utf-8\\n"',
        `"Language: ${language}\\n"`,
        `"Plural-Forms: ${plural}\\n"`,
        '',
    ].join('\n');
}

const SAMPLE_PO = header() + `
#: src/a.tsx:1
msgid "Hello"
msgstr "Hallo"

msgctxt "verb"
msgid "Open"
msgstr "Öffnen"

msgid "$0 file"
msgid_plural "$0 files"
msgstr[0] "$0 Datei"
msgstr[1] "$0 Dateien"

#, fuzzy
msgid "Fuzzy one"
msgstr "Unsicher"

msgid "Untranslated"
msgstr ""

msgid "Multi"
msgstr ""
"Zeile 1\\n"
"Zeile \\"2\\""

#~ msgid "Gone"
#~ msgstr "Weg"
`;

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-po-'));
}

function writeFiles(root: string, files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), text);
    }
}

describe('po → po.<lang>.js', () => {
    const data = runLocaleJs(poToLocaleJs(SAMPLE_PO, { language: 'de' }));

    it('has the header cockpit.locale() reads', () => {
        expect(data[''].language).toBe('de');
        expect(data['']['language-direction']).toBe('ltr');
    });

    it('turns Plural-Forms into a working function', () => {
        expect(pluralIndex(data[''], 1)).toBe(0);
        expect(pluralIndex(data[''], 2)).toBe(1);
        expect(pluralIndex(data[''], 0)).toBe(1);
        expect(data['$0 file']).toEqual(['$0 files', '$0 Datei', '$0 Dateien']);
    });

    it('writes translations as [null, msgstr] and context keys with U+0004', () => {
        expect(data['Hello']).toEqual([null, 'Hallo']);
        expect(data['verb\u0004Open']).toEqual([null, 'Öffnen']);
        expect(data['Open']).toBeUndefined();
        expect(data['Multi']).toEqual([null, 'Zeile 1\nZeile "2"']);
    });

    it('leaves out fuzzy, untranslated and obsolete entries', () => {
        expect(data['Fuzzy one']).toBeUndefined();
        expect(data['Untranslated']).toBeUndefined();
        expect(data['Gone']).toBeUndefined();
    });

    it('marks right-to-left languages', () => {
        const he = runLocaleJs(poToLocaleJs(header('nplurals=2; plural=(n != 1);', 'he'), { language: 'he' }));
        expect(he['']['language-direction']).toBe('rtl');
    });

    it('filters entries on request (po.manifest.<lang>.js)', () => {
        const only = runLocaleJs(poToLocaleJs(SAMPLE_PO, { language: 'de', include: e => e.msgid === 'Hello' }));
        expect(Object.keys(only).sort()).toEqual(['', 'Hello']);
    });

    it('reports malformed po text with its line', () => {
        expect(() => poToLocaleJs(header() + 'msgid "x"\nmsgstr "y\n', { language: 'de' })).toThrow(/line 7/);
        expect(() => parsePo(header() + 'msgid "x"\n')).toThrow(PoSyntaxError);
        expect(() => parsePo(header() + 'msgid "x"\nmsgstr "a"\nmsgid "x"\nmsgstr "b"\n')).toThrow(/duplicate msgid "x"/);
        expect(() => poToLocaleJs('msgid ""\nmsgstr "Language: de\\n"\n', { language: 'de' })).toThrow(/Plural-Forms/);
    });
});

describe('po-file (gettext-parser)', () => {
    it('keeps file order, lines, comments and obsolete entries through parse and serialize', () => {
        const text = header() + `
# translator
#. extracted
#: b.ts:1 a.ts:2
#, fuzzy, c-format
#| msgid "Zed old"
msgctxt "z"
msgid "Zed"
msgstr ""
"eins\\n"
"zwei \\"drei\\" \\\\ \\t"

msgid "10"
msgstr "zehn"

msgid "Alpha"
msgstr "A"

# kept
#~| msgid "Old"
#~ msgid "Gone"
#~ msgstr ""
#~ "Weg\\n"
#~ "da"
`;
        const catalog = parsePo(text);
        expect(catalog.entries.map(e => [e.msgctxt, e.msgid, e.line, e.obsolete]))
            .toEqual([['z', 'Zed', 13, false], [undefined, '10', 18, false], [undefined, 'Alpha', 21, false], [undefined, 'Gone', 26, true]]);
        const [zed, , , gone] = catalog.entries;
        expect(zed.msgstr).toEqual(['eins\nzwei "drei" \\ \t']);
        expect([zed.translatorComments, zed.extractedComments, zed.references, zed.flags, zed.previous])
            .toEqual([['translator'], ['extracted'], ['b.ts:1', 'a.ts:2'], ['fuzzy', 'c-format'], ['msgid "Zed old"']]);
        expect([gone.msgstr, gone.translatorComments]).toEqual([['Weg\nda'], ['kept']]);
        const written = serializePo(catalog);
        expect(written).toContain('#~ msgid "Gone"\n#~ msgstr ""\n#~ "Weg\\n"\n#~ "da"\n');
        expect(written).not.toContain('#~|');
        expect(serializePo(parsePo(written))).toBe(written);
        expect(parsePo(written).entries.map(({ line: _, ...e }) => e)).toEqual(catalog.entries.map(({ line: _, ...e }) => e));
    });

    it('writes the header charset as gettext-parser does', () => {
        const upper = header().replace('charset=utf-8', 'charset=UTF-8');
        expect(serializePo(parsePo(upper))).toBe(header());
        expect(() => parsePo(header().replace('utf-8', 'ISO-8859-1'))).toThrow(/line 1: charset ISO-8859-1 is not supported/);
    });

    it.each([
        ['msgid "x"\nmsgstr "y', /^line 7: cannot parse: msgstr "y$/],
        ['msgid "x"\nmsgstr "a"b"\n', /^line 7: cannot parse/],
        ['msgid "x"\nmsgstr[0] "a"\n', /^line 7: msgid "x": expected msgid, msgstr, found msgid, msgstr\[0\]$/],
        ['msgid "x"\nmsgid_plural "y"\nmsgstr "a"\n', /^line 8: msgid "x": expected msgid, msgid_plural, msgstr\[0\]/],
        ['msgid "x"\nmsgid_plural "y"\nmsgstr[0] "a"\nmsgstr[2] "b"\n', /^line 9: .*found msgid, msgid_plural, msgstr\[0\], msgstr\[2\]$/],
        ['msgid "x"\nmsgstr "a"\nmsgstr "b"\n', /^line 8: msgid "x": expected msgid, msgstr, found/],
        ['# c\nmsgstr "a"\n', /^line 7: msgstr without msgid$/],
        ['msgctxt "c"\nmsgid "x"\nmsgstr "a"\n\nmsgctxt "c"\nmsgid "x"\nmsgstr "b"\n', /^line 11: duplicate msgid "x" \(first at line 7\)$/],
        ['msgid ""\nmsgstr ""\n', /^line 6: second header entry/],
    ])('rejects %j with its line', (tail, message) => {
        expect(() => parsePo(header() + tail)).toThrow(PoSyntaxError);
        expect(() => parsePo(header() + tail)).toThrow(message);
    });
});

describe('Plural-Forms', () => {
    it.each([
        'nplurals=2; plural=alert(1);',
        'nplurals=2; plural=(n != 1); alert(1)',
        'nplurals=2; plural=n.constructor;',
        'nplurals=2; plural=(n)=>{return 1};',
        'nplurals=2; plural=this;',
        'nplurals=2; plural=`n`;',
        'nplurals=2; plural=n /* x */;',
        'nplurals=2; plural=n[0];',
        'nplurals=2; plural=nn;',
        'nplurals=2; plural=(n != 1;',
        'nplurals=2; plural=n ? 1;',
        'nplurals=2; plural=n / 2;',
        'nplurals=2; plural=n;',
        'nplurals=x; plural=0;',
    ])('rejects %s', bad => {
        expect(() => parsePluralForms(bad)).toThrow(PluralFormsError);
        expect(() => poToLocaleJs(header(bad), { language: 'de' })).toThrow(PluralFormsError);
    });

    it('accepts the usual forms and computes them like gettext', () => {
        const ru = parsePluralForms('nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);');
        expect([1, 2, 5, 11, 21, 22, 25].map(ru.select)).toEqual([0, 1, 2, 2, 0, 1, 2]);
        const ar = parsePluralForms('nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;');
        expect([0, 1, 2, 3, 11, 100].map(ar.select)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(parsePluralForms('nplurals=1; plural=0;').functionSource).toBe('(n) => (0)');
        // The emitted function agrees with the checked evaluator.
        const fn = vm.runInNewContext(ru.functionSource) as (n: number) => number | boolean;
        for (let n = 0; n < 200; n++)
            expect(Number(fn(n))).toBe(ru.select(n));
    });
});

describe('extraction', () => {
    const source = {
        path: 'src/a.tsx',
        text: [
            "import { _, C_, N_, ngettext } from '../pkg/lib/gettext';",
            'const names = [N_("Marked")];',
            '// Translators: a button',
            'export const A = () => <button title={_("Title")}>{C_("verb", "Open")}</button>;',
            'const n = 2;',
            'ngettext("$0 GPU", "$0 GPUs", n);',
            '_(`Template`);',
            '_("Long " +',
            '  "line");',
            'cockpit.gettext("ctx", "Cockpit one");',
            'cockpit.ngettext("$0 item", "$0 items", n);',
            'other("Not me");',
            'obj._("Nor me");',
        ].join('\n'),
    };

    it('finds _, C_, N_, ngettext and cockpit.gettext with their lines', () => {
        const { messages, errors } = extractFromSource(source);
        expect(errors).toEqual([]);
        expect(messages.map(m => [m.msgctxt, m.msgid, m.msgidPlural, m.reference])).toEqual([
            [undefined, 'Marked', undefined, 'src/a.tsx:2'],
            [undefined, 'Title', undefined, 'src/a.tsx:4'],
            ['verb', 'Open', undefined, 'src/a.tsx:4'],
            [undefined, '$0 GPU', '$0 GPUs', 'src/a.tsx:6'],
            [undefined, 'Template', undefined, 'src/a.tsx:7'],
            [undefined, 'Long line', undefined, 'src/a.tsx:8'],
            ['ctx', 'Cockpit one', undefined, 'src/a.tsx:10'],
            [undefined, '$0 item', '$0 items', 'src/a.tsx:11'],
        ]);
        expect(messages[1].comments).toEqual(['Translators: a button']);
    });

    it('rejects non-literal arguments with file:line, except in pkg/lib/gettext.ts', () => {
        const bad = { path: 'src/bad.ts', text: 'const label = "x";\nconst t = `a${label}`;\n_(label);\nC_(label, "ok");\nngettext("a", t, 1);\n_();\n_(`a${label}`);\n' };
        const { errors, messages } = extractFromSource(bad);
        expect(errors.map(e => `${e.file}:${e.line}`)).toEqual(['src/bad.ts:3', 'src/bad.ts:4', 'src/bad.ts:5', 'src/bad.ts:6', 'src/bad.ts:7']);
        expect(errors[0].problem).toMatch(/_\(\) needs a string literal, not label/);
        expect(messages).toEqual([]);
        const helper = { path: 'pkg/lib/gettext.ts', text: 'export function _(message: string) { return cockpit.gettext(message); }' };
        expect(extractFromSource(helper).errors).toEqual([]);
    });

    it('scans src/ and pkg/ of a tree, skips tests, and the CLI exits 1 on _(variable)', () => {
        const root = tempDir();
        try {
            writeFiles(root, {
                'src/app/View.tsx': 'export const V = () => <p>{_("Shown")}</p>;\n',
                'src/app/View.test.tsx': '_("Only in a test");\n',
                'pkg/lib/gettext.ts': 'export function _(m: string) { return cockpit.gettext(m); }\n',
                'pkg/lib/util.ts': 'export const u = () => _("Shown");\n',
                'manifest.json': '{ "tools": { "index": { "label": "Tool", "keywords": [{ "matches": ["gpu"] }] } } }\n',
            });
            const extraction = extractFromSources(readSources(root));
            expect(extraction.messages.map(m => m.reference)).toEqual(['pkg/lib/util.ts:1', 'src/app/View.tsx:1']);

            const script = path.join(REPO_ROOT, 'build', 'extract-pot.ts');
            const run = () => execFileSync(process.execPath, ['-r', 'ts-node/register', script, root], { cwd: REPO_ROOT, stdio: 'pipe' });
            run();
            const pot = fs.readFileSync(path.join(root, 'po/cockpit-ai-workstation.pot'), 'utf8');
            expect(pot).toContain('#: pkg/lib/util.ts:1\n#: src/app/View.tsx:1\nmsgid "Shown"');
            expect(pot).toContain('#: manifest.json:1\nmsgid "gpu"');
            expect(pot).not.toContain('Only in a test');

            writeFiles(root, { 'src/app/Bad.ts': 'const v = "x";\n\n_(v);\n' });
            let failure: { status: number | null; stderr: Buffer } | null = null;
            try {
                run();
            } catch (ex) {
                failure = ex as { status: number | null; stderr: Buffer };
            }
            expect(failure?.status).toBe(1);
            expect(failure?.stderr.toString()).toContain('src/app/Bad.ts:3: _() needs a string literal');
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it('builds a sorted, stable pot with a proper header', () => {
        const a = extractFromSource({ path: 'src/b.ts', text: '_("Zebra");\n_("Apple");\nC_("x", "Apple");\n' });
        const b = extractFromSource({ path: 'src/a.ts', text: '\n_("Apple");\n' });
        const pot = potText([...a.messages, ...b.messages]);
        expect(potText([...b.messages, ...a.messages])).toBe(pot);
        expect(pot).toContain('"Content-Type: text/plain; charset=utf-8\\n"');
        expect(pot).toContain('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"');
        expect(pot.indexOf('msgid "Apple"')).toBeLessThan(pot.indexOf('msgid "Zebra"'));
        expect(pot).toContain('#: src/a.ts:2\n#: src/b.ts:2\nmsgid "Apple"');
        expect(pot).toContain('#: src/b.ts:3\nmsgctxt "x"\nmsgid "Apple"');
        expect(serializePo(parsePo(pot))).toBe(pot);
    });

    it('takes labels, keyword matches and docs labels from manifest.json', () => {
        const manifest = JSON.stringify({
            version: 0,
            menu: { index: { label: 'Menu item', docs: [{ label: 'Guide', url: 'https://example.com' }] } },
            tools: { index: { label: 'AI workstation', keywords: [{ matches: ['gpu', 'cuda'] }, { matches: ['nvidia-smi'], translate: false }] } },
        }, null, 2);
        expect(extractManifestMessages(manifest, 'manifest.json').map(m => m.msgid))
            .toEqual(['Menu item', 'Guide', 'AI workstation', 'gpu', 'cuda']);
        const labelLine = manifest.split('\n').findIndex(l => l.includes('"AI workstation"')) + 1;
        expect(extractManifestMessages(manifest, 'manifest.json')[2].reference).toBe(`manifest.json:${labelLine}`);
        expect(() => extractManifestMessages('{', 'manifest.json')).toThrow(/^manifest\.json: /);
    });
});

describe('merging the pot into a po file', () => {
    const pot = parsePo(potText([
        { msgid: 'Kept', reference: 'src/a.ts:1', comments: [] },
        { msgid: 'New', reference: 'src/a.ts:2', comments: [] },
        { msgid: '$0 GPU', msgidPlural: '$0 GPUs', reference: 'src/a.ts:3', comments: [] },
    ]));
    const po = parsePo(header() + `
# translator note
#: src/old.ts:9
msgid "Kept"
msgstr "Behalten"

msgid "Vanished"
msgstr "Verschwunden"

msgid "Vanished untranslated"
msgstr ""

msgid "$0 GPU"
msgstr "$0 GPU"
`);
    const merged = mergePo(pot, po);
    const text = serializePo(merged);

    it('keeps translations, adds new msgids and obsoletes vanished ones', () => {
        expect(text).toContain('# translator note\n#: src/a.ts:1\nmsgid "Kept"\nmsgstr "Behalten"');
        expect(text).toContain('#: src/a.ts:2\nmsgid "New"\nmsgstr ""');
        expect(text).toContain('#~ msgid "Vanished"\n#~ msgstr "Verschwunden"');
        expect(text).not.toContain('Vanished untranslated');
        expect(text.startsWith(header())).toBe(true);
    });

    it('marks a msgid whose plural changed as fuzzy', () => {
        expect(text).toContain('#, fuzzy\nmsgid "$0 GPU"\nmsgid_plural "$0 GPUs"\nmsgstr[0] "$0 GPU"\nmsgstr[1] "$0 GPU"');
    });

    it('is stable and revives obsolete translations', () => {
        expect(serializePo(mergePo(pot, parsePo(text)))).toBe(text);
        const back = parsePo(potText([{ msgid: 'Vanished', reference: 'src/b.ts:1', comments: [] }]));
        expect(serializePo(mergePo(back, parsePo(text)))).toContain('#: src/b.ts:1\nmsgid "Vanished"\nmsgstr "Verschwunden"');
    });
});

describe('checks', () => {
    it('finds placeholders', () => {
        expect(placeholders('$1 of $0, ${name} and $host')).toEqual(['$0', '$1', '$host', '$name']);
    });

    it('reports missing, fuzzy and placeholder problems', () => {
        const pot = parsePo(potText([
            { msgid: 'Hello', reference: 'a:1', comments: [] },
            { msgid: 'Fuzzy one', reference: 'a:2', comments: [] },
            { msgid: 'Missing', reference: 'a:3', comments: [] },
        ]));
        expect(missingTranslations(pot, parsePo(SAMPLE_PO))).toEqual([
            '"Fuzzy one" is fuzzy',
            '"Missing" is not in the catalog (run build/update-po.ts)',
        ]);
        const po = parsePo(header() + 'msgid "$0 of $1"\nmsgstr "$0 von $2"\n\nmsgid "One"\nmsgid_plural "$0 items"\nmsgstr[0] "Eins"\nmsgstr[1] "$0 Stück"\n');
        expect(placeholderProblems(po)).toEqual(['line 6: msgstr of "$0 of $1" has placeholders $0 $2, the msgid has $0 $1']);
    });
});

describe('webpack plugin', () => {
    const compile = (root: string) => new Promise<webpack.Stats>((resolve, reject) => {
        webpack({
            mode: 'development',
            context: root,
            entry: './index.js',
            output: { path: path.join(root, 'dist') },
            plugins: [new CockpitPoPlugin({ poDir: 'po', manifest: 'manifest.json' })],
        }, (err, stats) => (err || !stats ? reject(err ?? new Error('no stats')) : resolve(stats)));
    });

    it('emits po.<lang>.js and po.manifest.<lang>.js, and names a broken po file', async () => {
        const root = tempDir();
        try {
            writeFiles(root, {
                'index.js': 'export {};\n',
                'manifest.json': '{ "tools": { "index": { "label": "Hello", "keywords": [{ "matches": ["gpu"] }] } } }\n',
                'po/de.po': SAMPLE_PO + '\nmsgid "gpu"\nmsgstr "grafikkarte"\n',
            });
            const stats = await compile(root);
            expect(stats.hasErrors()).toBe(false);
            expect(stats.compilation.fileDependencies.has(path.join(root, 'po/de.po'))).toBe(true);
            const full = runLocaleJs(fs.readFileSync(path.join(root, 'dist/po.de.js'), 'utf8'));
            expect(full['Hello']).toEqual([null, 'Hallo']);
            expect(full['verb\u0004Open']).toEqual([null, 'Öffnen']);
            const manifestOnly = runLocaleJs(fs.readFileSync(path.join(root, 'dist/po.manifest.de.js'), 'utf8'));
            expect(Object.keys(manifestOnly).sort()).toEqual(['', 'Hello', 'gpu']);

            writeFiles(root, { 'po/fr.po': header('nplurals=2; plural=(n > 1);', 'fr') + 'msgid "x"\n' });
            const broken = await compile(root);
            expect(broken.hasErrors()).toBe(true);
            expect(broken.compilation.errors[0].message).toMatch(/CockpitPoPlugin: po\/fr\.po: line \d+: msgid "x" has no msgstr/);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});

describe('po/de.po', () => {
    const extraction = extractRepository(REPO_ROOT);
    const de = parsePo(fs.readFileSync(path.join(REPO_ROOT, PO_DIR, 'de.po'), 'utf8'));

    it('sources extract without errors', () => {
        expect(extraction.errors).toEqual([]);
    });

    it('translates every string of src/, pkg/ and manifest.json', () => {
        expect(missingTranslations(extraction.catalog, de)).toEqual([]);
    });

    it('keeps the $0/$1/$name placeholders of each msgid', () => {
        expect(placeholderProblems(de)).toEqual([]);
    });

    it('builds', () => {
        const data = runLocaleJs(poToLocaleJs(fs.readFileSync(path.join(REPO_ROOT, PO_DIR, 'de.po'), 'utf8'), { language: 'de' }));
        expect(data[''].language).toBe('de');
        expect(pluralIndex(data[''], 1)).toBe(0);
    });
});
