import { ParseError } from '../../pkg/lib/parse-error';
import { readFixture } from '../../test/unit/fixtures';
import { parseBootcUpgradeCheck } from './bootc-upgrade-check-parser';
import { parseErrorOf } from '../../test/unit/parse-errors';


describe('bootc upgrade --check', () => {
    test('an update with version, digest and the layer table (fedora-bootc eln)', () => {
        expect(parseBootcUpgradeCheck(readFixture('bootc/upgrade-check-update-available-fedora-bootc-eln-bootc248.txt'))).toEqual({
            kind: 'available', tool: 'bootc', version: '39.20240110.0', timestamp: null, commit: null, gpgSignature: [],
            advisories: null, diffSummary: null, packages: null,
            image: 'ostree-unverified-registry:quay.io/centos-bootc/fedora-bootc-cloud:eln',
            digest: 'sha256:77d80dab784f9c333fa289d9ff74d967a2147ac301b43803ab18185fd4f11e6d',
            layers: { total: 68, totalSize: '684.5 MB', removed: 2, removedSize: '75.9 MB', added: 2, addedSize: '75.9 MB' },
            notes: [],
        });
    });

    test('no changes, in ostree-ext\'s older form with the digest (bluefin)', () => {
        expect(parseBootcUpgradeCheck(readFixture('bootc/upgrade-no-changes-first-line-bluefin-stable-bluefin2262.txt'))).toEqual({
            kind: 'none', tool: 'bootc', image: 'ostree-image-signed:docker://ghcr.io/ublue-os/bluefin:stable',
            digest: 'sha256:f4e8d3ebaba7fe389a5b11dfa85707a3f0073d845f096aea6306ae13ffcf8e76', notes: [],
        });
    });

    test('no changes, in current bootc\'s form (upgrade() in crates/lib/src/cli.rs)', () => {
        expect(parseBootcUpgradeCheck('No changes in: docker://quay.io/centos-bootc/centos-bootc:stream9\n'))
            .toEqual({ kind: 'none', tool: 'bootc', image: 'docker://quay.io/centos-bootc/centos-bootc:stream9', digest: null, notes: [] });
    });

    test('an update without a version label or a booted image to compare with', () => {
        expect(parseBootcUpgradeCheck('Update available for: docker://quay.io/x/y:latest\n  Digest: sha256:77d80dab784f9c333fa289d9ff74d967a2147ac301b43803ab18185fd4f11e6d\n'))
            .toMatchObject({ kind: 'available', version: null, layers: null });
    });

    test.each([
        'bootc/status-error-composefs-entry-not-found-bootc1887.txt',
        'bootc/switch-error-unencapsulating-bad-message-bluefin-nvidia38-bluefin652.txt',
        'bootc/upgrade-error-no-final-diffid-label-almalinux-bootc1344.txt',
        'bootc/switch-progress-fcos42-bootc1418.txt',
    ])('a failure or another command is no answer: %s', file => {
        expect(() => parseBootcUpgradeCheck(readFixture(file))).toThrow(ParseError);
    });

    const available = readFixture('bootc/upgrade-check-update-available-fedora-bootc-eln-bootc248.txt');
    test.each([
        ['empty', ''],
        ['without its digest', available.replace(/^ {2}Digest: .*\n/m, '')],
        ['with a truncated digest', available.replace('77d80dab784f9c333fa289d9ff74d967a2147ac301b43803ab18185fd4f11e6d', '77d8')],
        ['with half the layer table', available.split('\n').slice(0, 4).join('\n')],
    ])('a damaged check (%s) is a ParseError', (_name, text) => {
        expect(parseErrorOf(() => parseBootcUpgradeCheck(text)).tool).toBe('bootc');
    });
});
