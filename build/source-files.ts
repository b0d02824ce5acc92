// File access for the extractor: which sources to scan, and reading them.

import fs from 'node:fs';
import path from 'node:path';

import type { SourceText } from './extract-messages';

/** Directories scanned for translatable strings, relative to the repository root. */
export const SOURCE_DIRS = ['src', 'pkg'];

export function isTranslatableSource(name: string): boolean {
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts');
}

function walk(dir: string, found: string[]): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.'))
            continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory())
            walk(full, found);
        else if (entry.isFile() && isTranslatableSource(entry.name))
            found.push(full);
    }
}

/** Paths relative to root (forward slashes), sorted. Missing directories are skipped. */
export function listSourceFiles(root: string, dirs: string[] = SOURCE_DIRS): string[] {
    const found: string[] = [];
    for (const dir of dirs) {
        const full = path.join(root, dir);
        if (fs.existsSync(full))
            walk(full, found);
    }
    return found
        .map(file => path.relative(root, file).split(path.sep).join('/'))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function readSources(root: string, dirs: string[] = SOURCE_DIRS): SourceText[] {
    return listSourceFiles(root, dirs).map(file => ({ path: file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
}
