import fs from 'fs';
import path from 'path';
import { parseOsRelease } from './os-release-parser';

const fixtures = path.join(__dirname, '../../test/fixtures/os-release');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

test('Fedora Silverblue (recorded)', () => {
    const os = parseOsRelease(read('fedora-silverblue-34-lkml.txt'));
    expect(os).toMatchObject({
        id: 'fedora',
        name: 'Fedora',
        prettyName: 'Fedora 34.20210721.0 (Silverblue)',
        version: '34.20210721.0 (Silverblue)',
        versionId: '34',
        variant: 'Silverblue',
        variantId: 'silverblue',
    });
    // single quotes are literal, empty values are kept as empty
    expect(os.fields.OSTREE_VERSION).toBe('34.20210721.0');
    expect(os.fields.VERSION_CODENAME).toBe('');
});

test.each(fs.readdirSync(fixtures))('every recorded os-release parses: %s', name => {
    const os = parseOsRelease(read(name));
    expect(os.id).toMatch(/^[a-z0-9._-]+$/);
    expect(os.prettyName.length).toBeGreaterThan(0);
});

test('RHEL lists its relatives in ID_LIKE', () => {
    const os = parseOsRelease(read('rhel-9.6-python-distro.txt'));
    expect(os.id).toBe('rhel');
    expect(os.idLike).toContain('fedora');
});

test('defaults from os-release(5) when fields are missing', () => {
    expect(parseOsRelease('')).toMatchObject({ id: 'linux', name: 'Linux', prettyName: 'Linux', version: null, variant: null, idLike: [] });
    expect(parseOsRelease('NAME=Foo\nVERSION=2\n').prettyName).toBe('Foo 2');
});

test('escapes in double quotes, comments and junk lines', () => {
    const os = parseOsRelease([
        '# a comment',
        'PRETTY_NAME="Say \\"hi\\" \\$HOME \\\\o/"',
        'not an assignment',
        'lower=ignored',
        'NAME="unterminated',
        'ID=bare\\ word',
        '',
    ].join('\n'));
    expect(os.prettyName).toBe('Say "hi" $HOME \\o/');
    expect(os.fields.lower).toBeUndefined();
    expect(os.fields.NAME).toBeUndefined();
    expect(os.id).toBe('bare word');
});
