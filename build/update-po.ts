// `make update-po`: node -r ts-node/register build/update-po.ts
// Merges po/cockpit-ai-workstation.pot into every po/<lang>.po (see merge-po.ts) and prints
// how much of each is translated. Run build/extract-pot.ts first.

import fs from 'node:fs';
import path from 'node:path';

import { POT_FILE, PO_DIR, REPO_ROOT } from './extract-repository';
import { listPoFiles } from './po-dir';
import { mergePo } from './merge-po';
import { isFuzzy, isTranslated, parsePo, serializePo } from './po-file';

function main(): number {
    const potPath = path.join(REPO_ROOT, POT_FILE);
    if (!fs.existsSync(potPath)) {
        console.error(`${POT_FILE} is missing: run build/extract-pot.ts first`);
        return 1;
    }
    let status = 0;
    try {
        const pot = parsePo(fs.readFileSync(potPath, 'utf8'));
        for (const file of listPoFiles(path.join(REPO_ROOT, PO_DIR))) {
            const name = path.relative(REPO_ROOT, file);
            try {
                const old = fs.readFileSync(file, 'utf8');
                const merged = mergePo(pot, parsePo(old));
                const text = serializePo(merged);
                if (text !== old)
                    fs.writeFileSync(file, text);
                const live = merged.entries.filter(e => !e.obsolete);
                const done = live.filter(isTranslated).length;
                const fuzzy = live.filter(isFuzzy).length;
                console.log(`${name}: ${done} translated, ${fuzzy} fuzzy, ${live.length - done - fuzzy} untranslated` +
                    `${text === old ? ' (unchanged)' : ''}`);
            } catch (ex) {
                console.error(`${name}: ${ex instanceof Error ? ex.message : String(ex)}`);
                status = 1;
            }
        }
    } catch (ex) {
        console.error(`${POT_FILE}: ${ex instanceof Error ? ex.message : String(ex)}`);
        return 1;
    }
    return status;
}

process.exitCode = main();
