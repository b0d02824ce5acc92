// `make check-po`: node -r ts-node/register build/check-translations.ts [lang...]
// Extracts the sources in memory and checks po/<lang>.po (default: every po file) for missing or
// fuzzy translations and placeholder mismatches. Exit status 1 on any problem.

import fs from 'node:fs';
import path from 'node:path';

import { PO_DIR, REPO_ROOT, extractRepository } from './extract-repository';
import { listPoFiles } from './po-dir';
import { missingTranslations, placeholderProblems } from './po-check';
import { parsePo } from './po-file';

function main(langs: string[]): number {
    const { catalog: pot, errors } = extractRepository(REPO_ROOT);
    for (const error of errors)
        console.error(error);
    const files = langs.length > 0
        ? langs.map(lang => path.join(REPO_ROOT, PO_DIR, `${lang}.po`))
        : listPoFiles(path.join(REPO_ROOT, PO_DIR));
    let problems = errors.length;
    for (const file of files) {
        const name = path.relative(REPO_ROOT, file);
        try {
            const po = parsePo(fs.readFileSync(file, 'utf8'));
            const found = [...missingTranslations(pot, po), ...placeholderProblems(po)];
            for (const problem of found)
                console.error(`${name}: ${problem}`);
            problems += found.length;
            if (found.length === 0)
                console.log(`${name}: complete (${pot.entries.length} messages)`);
        } catch (ex) {
            console.error(`${name}: ${ex instanceof Error ? ex.message : String(ex)}`);
            problems++;
        }
    }
    return problems > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
