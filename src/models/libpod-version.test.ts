import fs from 'fs';
import path from 'path';
import { parseErrorOf } from '../../test/unit/parse-errors';
import { hasQuadlet, parseLibpodVersion } from './libpod-version';

const FIXTURE = fs.readFileSync(path.join(__dirname, '../../test/fixtures/podman/libpod-version-4.3.1.json'), 'utf8');

test('podman 4.3.1 as Debian 12 ships it: no Quadlet yet', () => {
    const version = parseLibpodVersion(FIXTURE);
    expect(version).toEqual({ version: '4.3.1', major: 4, minor: 3 });
    expect(hasQuadlet(version)).toBe(false);
});

test('Quadlet from 4.4 on', () => {
    const of = (v: string) => hasQuadlet(parseLibpodVersion(JSON.stringify({ Version: v })));
    expect(of('4.4.0')).toBe(true);
    expect(of('4.9.4-rhel')).toBe(true);
    expect(of('5.2.2')).toBe(true);
    expect(of('3.4.4')).toBe(false);
});

test('an answer without a version number is a parse error', () => {
    expect(parseErrorOf(() => parseLibpodVersion('{"Version": "dev"}')).message).toMatch(/not a version number/);
    expect(parseErrorOf(() => parseLibpodVersion('{}')).message).toMatch(/Version is not a string/);
    expect(parseErrorOf(() => parseLibpodVersion('<html>')).message).toMatch(/not JSON/);
});
