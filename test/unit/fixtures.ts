// Recorded real tool output (test/fixtures, provenance in SOURCES.md) for unit tests.
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = path.join(__dirname, '../fixtures');

export function readFixture(relative: string): string {
    return fs.readFileSync(path.join(FIXTURES_DIR, relative), 'utf8');
}

export function listFixtures(category: string): string[] {
    return fs.readdirSync(path.join(FIXTURES_DIR, category)).sort().map(name => `${category}/${name}`);
}
