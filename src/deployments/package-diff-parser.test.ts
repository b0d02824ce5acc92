import { ParseError } from '../../pkg/lib/parse-error';
import { readFixture } from '../../test/unit/fixtures';
import { summarizeChanges } from './package-changes';
import { parseDbDiff, parseModifiedLine, parsePackageDiff, parseSingleLine } from './package-diff-parser';

const FROM = 'e279286dcd8b5e231cff15c4130a4b1f5a03b6735327b213ee474332b311dd1e';
const TO = 'd8bab818f5abcfb58d2c038614965bf26426d55667e52018fcd295b9bfbc88b4';

test('rpm-ostree db diff: header and one upgrade (silverblue34)', () => {
    expect(parseDbDiff(readFixture('rpm-ostree/db-diff-silverblue34-fedoramag.txt'))).toEqual({
        from: { description: FROM, checksum: FROM },
        to: { description: TO, checksum: TO },
        changes: {
            upgraded: [{ name: 'soundtouch', from: '2.1.1-6.fc34', to: '2.1.2-1.fc34', arch: null }],
            downgraded: [], removed: [], added: [],
        },
    });
});

test('rpm-ostree db diff --changelogs: versions carry the arch, changelog lines are skipped', () => {
    const diff = parseDbDiff(readFixture('rpm-ostree/db-diff-changelogs-silverblue34-fedoramag.txt'));
    expect(diff.changes.upgraded).toEqual([{ name: 'soundtouch', from: '2.1.1-6.fc34', to: '2.1.2-1.fc34', arch: 'x86_64' }]);
    expect(summarizeChanges(diff.changes)).toEqual({ upgraded: 1, downgraded: 0, removed: 0, added: 0 });
});

test('db diff names a deployment and its checksum when it was not given a checksum', () => {
    const text = `ostree diff commit from: booted deployment (${FROM})\nostree diff commit to:   pending deployment (${TO})\n`;
    expect(parseDbDiff(text)).toMatchObject({
        from: { description: 'booted deployment', checksum: FROM },
        to: { description: 'pending deployment', checksum: TO },
        changes: { upgraded: [], downgraded: [], removed: [], added: [] },
    });
});

test('an upgrade that downgrades (allow-downgrade, photon4): 63 downgraded, 20 removed', () => {
    const changes = parsePackageDiff(readFixture('rpm-ostree/upgrade-allow-downgrade-progress-diff-photon4-photondocs.txt'));
    expect(summarizeChanges(changes)).toEqual({ upgraded: 0, downgraded: 63, removed: 20, added: 0 });
    expect(changes.downgraded).toContainEqual({ name: 'linux', from: '5.10.4-15.ph4', to: '5.9.0-3.ph4', arch: null });
    expect(changes.downgraded).toContainEqual({ name: 'libstdc++', from: '10.2.0-1.ph4', to: '8.4.0-1.ph4', arch: null });
    expect(changes.removed[0]).toEqual({ name: 'libpcap', evr: '1.10.0-1.ph4', arch: 'x86_64' });
    expect(changes.removed).toContainEqual({ name: 'python3-typing', evr: '3.7.4.3-1.ph4', arch: 'noarch' });
});

test('a rollback that upgrades and adds, with its indented reboot hint (photon4)', () => {
    const changes = parsePackageDiff(readFixture('rpm-ostree/rollback-with-diff-photon4-photondocs.txt'));
    expect(summarizeChanges(changes)).toEqual({ upgraded: 63, downgraded: 0, removed: 0, added: 20 });
    expect(changes.upgraded).toContainEqual({ name: 'openssl', from: '1.1.1g-3.ph4', to: '1.1.1i-2.ph4', arch: null });
    expect(changes.added[changes.added.length - 1]).toEqual({ name: 'systemd-udev', evr: '247.3-1.ph4', arch: 'x86_64' });
});

test('an upgrade that adds packages with epochs (rhel8 edge)', () => {
    const changes = parsePackageDiff(readFixture('rpm-ostree/upgrade-success-added-rhel8-edge-rhdeworkshop.txt'));
    expect(changes.added).toEqual([
        { name: 'libev', evr: '4.24-6.el8', arch: 'x86_64' },
        { name: 'libuv', evr: '1:1.41.1-1.el8_4', arch: 'x86_64' },
        { name: 'libwebsockets', evr: '4.0.1-2.el8', arch: 'x86_64' },
        { name: 'mosquitto', evr: '1.6.15-1.el8', arch: 'x86_64' },
        { name: 'nodejs', evr: '1:16.18.1-3.module+el8.7.0+17465+1a1abd74', arch: 'x86_64' },
    ]);
});

test('a kernel override replace (fcos35)', () => {
    const changes = parsePackageDiff(readFixture('rpm-ostree/override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt'));
    expect(changes.upgraded.map(p => p.name)).toEqual(['kernel', 'kernel-core', 'kernel-modules']);
    expect(changes.upgraded[1]).toEqual({
        name: 'kernel-core', from: '5.15.10-200.fc35', to: '5.17.0-0.rc0.20220118gitfe81ba137ebc.69.vanilla.1.fc35', arch: null,
    });
});

test('output without lists has no changes', () => {
    for (const file of ['rpm-ostree/override-remove-tail-trimmed-bazzite-rpmostree5625.txt', 'rpm-ostree/rollback-fah27-atomicsite-kargs-blog.txt'])
        expect(summarizeChanges(parsePackageDiff(readFixture(file)))).toEqual({ upgraded: 0, downgraded: 0, removed: 0, added: 0 });
    expect(parsePackageDiff('')).toEqual({ upgraded: [], downgraded: [], removed: [], added: [] });
});

test('item lines', () => {
    expect(parseModifiedLine('  NetworkManager 1:1.40.6-1.fc37 -> 1:1.40.10-1.fc37'))
        .toEqual({ name: 'NetworkManager', from: '1:1.40.6-1.fc37', to: '1:1.40.10-1.fc37', arch: null });
    expect(parseSingleLine('base-pkg-boo-3.7-2.11.x86_64')).toEqual({ name: 'base-pkg-boo', evr: '3.7-2.11', arch: 'x86_64' });
});

describe('damaged copies are ParseErrors', () => {
    const dbDiff = readFixture('rpm-ostree/db-diff-silverblue34-fedoramag.txt');
    const upgrade = readFixture('rpm-ostree/upgrade-allow-downgrade-progress-diff-photon4-photondocs.txt');

    test.each([
        ['empty', ''],
        ['without its header', dbDiff.split('\n').slice(2).join('\n')],
        ['cut after the first line', dbDiff.split('\n')[0]],
        ['with a bad checksum', dbDiff.replace(FROM, 'e279286d')],
        ['with garbage after the list', `${dbDiff}garbage\n`],
        ['with a truncated package line', dbDiff.replace(' -> 2.1.2-1.fc34', ' ->')],
    ])('db diff %s', (_name, text) => {
        expect(() => parseDbDiff(text)).toThrow(ParseError);
    });

    test('a truncated or garbled list line in upgrade output', () => {
        expect(() => parsePackageDiff(upgrade.replace('  audit 2.8.5-6.ph4 -> 2.8.5-3.ph4', '  audit 2.8.5-6.ph4 ->'))).toThrow(ParseError);
        expect(() => parsePackageDiff(upgrade.replace('  libpcap-1.10.0-1.ph4.x86_64', '  libpcap-1.10'))).toThrow(/not a package NEVRA: "libpcap-1.10"/);
        try {
            parsePackageDiff(upgrade.replace('  cpio 2.13-3.ph4 -> 2.13-1.ph4', '  cpio ???'));
        } catch (ex) {
            expect(ex).toBeInstanceOf(ParseError);
            expect((ex as ParseError).tool).toBe('rpm-ostree');
            expect((ex as ParseError).snippet).toMatch(/^⠂ Receiving metadata objects/);
        }
        expect.assertions(5);
    });
});
