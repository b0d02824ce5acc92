// `make pot`: node -r ts-node/register build/extract-pot.ts [root]
// Writes <root>/po/cockpit-ai-workstation.pot from src/, pkg/ and manifest.json (root: this
// repository). Exit status 1, with file:line for each problem, when a gettext call has a
// non-literal argument; the pot is then left as it was.

import fs from 'node:fs';
import path from 'node:path';

import { POT_FILE, REPO_ROOT, extractRepository } from './extract-repository';
import { serializePo } from './po-file';

function main(root: string): number {
    const { catalog, errors } = extractRepository(root);
    if (errors.length > 0) {
        for (const error of errors)
            console.error(error);
        console.error(`extract-pot: ${errors.length} problem(s), ${POT_FILE} not written`);
        return 1;
    }
    const target = path.join(root, POT_FILE);
    const text = serializePo(catalog);
    const old = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (old !== text) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
    }
    console.log(`${POT_FILE}: ${catalog.entries.length} messages${old === text ? ' (unchanged)' : ''}`);
    return 0;
}

process.exitCode = main(path.resolve(process.argv[2] ?? REPO_ROOT));
