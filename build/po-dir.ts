// The catalogs of a po/ directory: <lang>.po files (not the .pot). Kept apart from the extractor
// so that the webpack plugin does not load the TypeScript compiler.

import fs from 'node:fs';
import path from 'node:path';

const PO_NAME = /^[A-Za-z]{2,3}(?:_[A-Za-z0-9]+)?(?:@[A-Za-z0-9]+)?\.po$/;

/** Full paths of po/<lang>.po, sorted; empty when the directory does not exist. */
export function listPoFiles(poDir: string): string[] {
    if (!fs.existsSync(poDir))
        return [];
    return fs.readdirSync(poDir)
        .filter(name => PO_NAME.test(name))
        .sort()
        .map(name => path.join(poDir, name));
}
