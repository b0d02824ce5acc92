// Extraction of the whole repository in memory: src/ and pkg/ sources, manifest.json and
// the shipped model catalog.
// Shared by `make pot` (build/extract-pot.ts), build/check-translations.ts and the tests.

import fs from 'node:fs';
import path from 'node:path';

import { CATALOG_FILE, extractCatalogMessages } from './catalog-messages';
import { extractFromSources } from './extract-messages';
import { extractManifestMessages } from './manifest-messages';
import { DOMAIN, formatExtractionError } from './messages';
import type { PoCatalog } from './po-file';
import { buildPotCatalog } from './pot-builder';
import { readSources } from './source-files';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const PO_DIR = 'po';
export const POT_FILE = `${PO_DIR}/${DOMAIN}.pot`;
export const MANIFEST_FILE = 'manifest.json';

export interface RepositoryExtraction {
    catalog: PoCatalog;
    /** "file:line: problem" lines; non-empty means the pot must not be written. */
    errors: string[];
}

export function extractRepository(root: string = REPO_ROOT): RepositoryExtraction {
    const sources = extractFromSources(readSources(root));
    const messages = [...sources.messages];
    const errors = sources.errors.map(formatExtractionError);

    const manifestPath = path.join(root, MANIFEST_FILE);
    if (fs.existsSync(manifestPath)) {
        try {
            messages.push(...extractManifestMessages(fs.readFileSync(manifestPath, 'utf8'), MANIFEST_FILE));
        } catch (ex) {
            errors.push(ex instanceof Error ? ex.message : String(ex));
        }
    }

    const catalogPath = path.join(root, CATALOG_FILE);
    if (fs.existsSync(catalogPath)) {
        try {
            messages.push(...extractCatalogMessages(fs.readFileSync(catalogPath, 'utf8'), CATALOG_FILE));
        } catch (ex) {
            errors.push(ex instanceof Error ? ex.message : String(ex));
        }
    }

    const pot = buildPotCatalog(messages);
    errors.push(...pot.errors.map(formatExtractionError));
    return { catalog: pot.catalog, errors };
}
