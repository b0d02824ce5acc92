import { ParseError } from '../../pkg/lib/parse-error';
import { listFixtures, readFixture } from '../../test/unit/fixtures';
import { parseRpmOstreeUpdateCheck } from './update-check-parser';
import { parseErrorOf } from '../../test/unit/parse-errors';

const CHECK = 'rpm-ostree/upgrade-check-available-silverblue34-fedoramag.txt';
const COMMIT = 'd8bab818f5abcfb58d2c038614965bf26426d55667e52018fcd295b9bfbc88b4';


describe('rpm-ostree upgrade --check / --preview', () => {
    test('an available update with advisories and a diff summary (silverblue34)', () => {
        expect(parseRpmOstreeUpdateCheck(readFixture(CHECK))).toEqual({
            kind: 'available', tool: 'rpm-ostree',
            version: '34.20210905.0', timestamp: Date.UTC(2021, 8, 5, 20, 59, 47) / 1000, commit: COMMIT,
            gpgSignature: ['Valid signature by 8C5BA6990BDB26E19F2A1A801161AE6945719A39'],
            advisories: { counts: { unknown: 0, low: 0, moderate: 1, important: 0, critical: 0 }, list: [] },
            diffSummary: { upgraded: 4, downgraded: 0, removed: 0, added: 0 },
            packages: null, image: null, digest: null, layers: null, notes: [],
        });
    });

    test('no updates after a container pull, the chunk lines and the "unreliable" note kept as notes (kinoite)', () => {
        const result = parseRpmOstreeUpdateCheck(readFixture('rpm-ostree/upgrade-check-container-no-updates-kinoite-rpmostree4176.txt'));
        expect(result).toMatchObject({ kind: 'none', tool: 'rpm-ostree', image: null, digest: null });
        expect(result.notes).toHaveLength(14);
        expect(result.notes[0]).toBe('Pulling manifest: ostree-unverified-image:docker://quay.io/fedora-ostree-desktops/kinoite-nightly');
        expect(result.notes[13]).toBe('Note: --check and --preview may be unreliable.  See https://github.com/coreos/rpm-ostree/issues/1579');
    });

    test('"No updates available" without its period (rhel edge, --preview under watch)', () => {
        expect(parseRpmOstreeUpdateCheck(readFixture('rpm-ostree/upgrade-preview-no-updates-rhel-edge-rhdeaapdemo.txt'))).toEqual({
            kind: 'none', tool: 'rpm-ostree', image: null, digest: null,
            notes: [
                '1 metadata, 0 content objects fetched; 153 B transferred in 0 seconds; 0 bytes content written',
                'Note: --check and --preview may be unreliable.  See https://github.com/coreos/rpm-ostree/issues/1579',
            ],
        });
    });

    test('notes before the block: the stage-policy note and a spinner line', () => {
        const text = `note: automatic updates (stage) are enabled\n\u2802 Receiving metadata objects: 0/(estimating) -/s 0 bytes... \n${readFixture(CHECK)}`;
        expect(parseRpmOstreeUpdateCheck(text).notes)
            .toEqual(['note: automatic updates (stage) are enabled', 'Receiving metadata objects: 0/(estimating) -/s 0 bytes...']);
    });

    // No recording of --preview with an update: the lines below are the ones
    // tests/vmcheck/test-autoupdate-check.sh (coreos/rpm-ostree) asserts for `upgrade --preview`
    // (assert_output / assert_output2), laid out with the widths of rpmostree_print_advisories and
    // rpmostree_variant_diff_print_formatted (src/app/rpmostree-clientlib.cxx, src/libpriv/
    // rpmostree-util.cxx); the Version and Commit lines are the --check recording's, which
    // rpmostree_print_cached_update prints the same way in both modes.
    const checkHead = readFixture(CHECK).split('\n').slice(0, 3).join('\n');
    const preview = `${checkHead}
  SecAdvisories: VMCHECK-SEC-NONE  Unknown    base-pkg-sec-none-2.0-1.x86_64
                 VMCHECK-SEC-NONE  Unknown    layered-sec-none-2.0-1.x86_64
                 VMCHECK-SEC-LOW   Low        base-pkg-sec-low-2.0-1.x86_64
                 VMCHECK-SEC-LOW   Low        layered-sec-low-2.0-1.x86_64
                 VMCHECK-SEC-CRIT  Critical   base-pkg-sec-crit-2.0-1.x86_64
                 VMCHECK-SEC-CRIT  Critical   layered-sec-crit-2.0-1.x86_64
       Upgraded: base-pkg-enh 1.0-1 -> 2.0-1
                 base-pkg-foo 1.4-7 -> 1.4-8
     Downgraded: base-pkg-bar 1.0-1 -> 0.9-3
        Removed: base-pkg-baz-1.1-1.x86_64
          Added: base-pkg-boo-3.7-2.11.x86_64
`;

    test('--preview: advisories per package and the package lists (rpm-ostree\'s own test lines)', () => {
        const result = parseRpmOstreeUpdateCheck(preview);
        if (result.kind !== 'available')
            throw new Error('expected an update');
        expect(result).toMatchObject({ version: '34.20210905.0', commit: COMMIT, gpgSignature: [] });
        expect(result.advisories?.counts).toEqual({ unknown: 1, low: 1, moderate: 0, important: 0, critical: 1 });
        expect(result.advisories?.list[0]).toEqual({
            id: 'VMCHECK-SEC-NONE', severity: 'unknown',
            packages: ['base-pkg-sec-none-2.0-1.x86_64', 'layered-sec-none-2.0-1.x86_64'], references: [],
        });
        expect(result.packages).toEqual({
            upgraded: [
                { name: 'base-pkg-enh', from: '1.0-1', to: '2.0-1', arch: null },
                { name: 'base-pkg-foo', from: '1.4-7', to: '1.4-8', arch: null },
            ],
            downgraded: [{ name: 'base-pkg-bar', from: '1.0-1', to: '0.9-3', arch: null }],
            removed: [{ name: 'base-pkg-baz', evr: '1.1-1', arch: 'x86_64' }],
            added: [{ name: 'base-pkg-boo', evr: '3.7-2.11', arch: 'x86_64' }],
        });
        expect(result.diffSummary).toEqual({ upgraded: 2, downgraded: 1, removed: 1, added: 1 });
    });

    test('--preview: CVE references under an advisory, several signatures (formats of rpmostree-clientlib.cxx)', () => {
        const text = `AvailableUpdate:
        Version: 34.20210905.0 (2021-09-05T20:59:47Z)
         Commit: ${COMMIT}
   GPGSignature: Valid signature by 8C5BA6990BDB26E19F2A1A801161AE6945719A39
                 Can't check signature: public key 1161AE6945719A39 not found
  SecAdvisories: VMCHECK-SEC-LOW   Low        base-pkg-sec-low-2.0-1.x86_64
                   CVE-2018-0001 first title
                   https://example.org/cve-1
                   CVE-2018-0002 second title
                   https://example.org/cve-2
                 VMCHECK-SEC-CRIT  Critical   base-pkg-sec-crit-2.0-1.x86_64
`;
        const result = parseRpmOstreeUpdateCheck(text);
        if (result.kind !== 'available')
            throw new Error('expected an update');
        expect(result.gpgSignature).toHaveLength(2);
        expect(result.advisories?.list).toEqual([
            {
                id: 'VMCHECK-SEC-LOW', severity: 'low', packages: ['base-pkg-sec-low-2.0-1.x86_64'],
                references: [
                    { title: 'CVE-2018-0001 first title', url: 'https://example.org/cve-1' },
                    { title: 'CVE-2018-0002 second title', url: 'https://example.org/cve-2' },
                ],
            },
            { id: 'VMCHECK-SEC-CRIT', severity: 'critical', packages: ['base-pkg-sec-crit-2.0-1.x86_64'], references: [] },
        ]);
        expect(result.diffSummary).toBeNull();
    });

    test('an update of layered packages only: no Version or Commit (test-autoupdate-check.sh "check mode layered only")', () => {
        expect(parseRpmOstreeUpdateCheck('AvailableUpdate:\n           Diff: 1 upgraded\n')).toMatchObject({
            kind: 'available', version: null, timestamp: null, commit: null, diffSummary: { upgraded: 1, downgraded: 0, removed: 0, added: 0 },
        });
        // the summary form of SecAdvisories with several severities (same test, assert_output)
        const advisories = parseRpmOstreeUpdateCheck('AvailableUpdate:\n  SecAdvisories: 1 unknown severity, 1 low, 1 critical\n           Diff: 3 upgraded\n');
        expect(advisories.kind === 'available' && advisories.advisories?.counts).toEqual({ unknown: 1, low: 1, moderate: 0, important: 0, critical: 1 });
    });

    test('an unversioned commit prints Timestamp; an unknown field becomes a note', () => {
        const result = parseRpmOstreeUpdateCheck(`AvailableUpdate:\n      Timestamp: 2021-09-05T20:59:47Z\n         Commit: ${COMMIT}\n       NewField: something\n`);
        expect(result).toMatchObject({ kind: 'available', version: null, timestamp: 1630875587, notes: ['NewField: something'] });
    });

    test('a refused check is an error, never "up to date" (transaction in progress)', () => {
        const error = parseErrorOf(() => parseRpmOstreeUpdateCheck(readFixture('rpm-ostree/error-transaction-in-progress-update-check-rpmostree4358.txt')));
        expect(error.tool).toBe('rpm-ostree');
        expect(error.message).toBe('the update check failed: Transaction in progress: update --check');
    });

    const checkRecordings = ['upgrade-check-available-silverblue34-fedoramag.txt', 'upgrade-check-container-no-updates-kinoite-rpmostree4176.txt',
        'upgrade-preview-no-updates-rhel-edge-rhdeaapdemo.txt'];
    test.each(listFixtures('rpm-ostree').filter(f => f.endsWith('.txt') && !checkRecordings.some(c => f.endsWith(c))))(
        'output of another command is no answer: %s', file => {
            expect(() => parseRpmOstreeUpdateCheck(readFixture(file))).toThrow(ParseError);
        });

    const check = readFixture(CHECK);
    test.each([
        ['empty', ''],
        ['garbage', 'lorem ipsum\n'],
        ['cut after the heading', 'AvailableUpdate:\n'],
        ['with a truncated commit', check.replace(COMMIT, 'd8bab818f5ab')],
        ['with a garbled Diff', check.replace('4 upgraded', '4 upgrad')],
        ['with a garbled SecAdvisories', check.replace('1 moderate', 'one moderate')],
        ['with a continuation line after Version', check.replace('(2021-09-05T20:59:47Z)\n', '(2021-09-05T20:59:47Z)\n                 extra\n')],
        ['reporting both answers', `${check}No updates available.\n`],
        ['with a dangling advisory reference', 'AvailableUpdate:\n  SecAdvisories: A-1  Low        p-1-1.x86_64\n                   CVE-1 title\n'],
    ])('a damaged check (%s) is a ParseError', (_name, text) => {
        expect(() => parseRpmOstreeUpdateCheck(text)).toThrow(ParseError);
    });
});
