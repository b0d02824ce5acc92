// A failed check is never "up to date": only the tool's own no-update answer says that.
import { HostError } from '../../pkg/lib/host-error';
import { readFixture } from '../../test/unit/fixtures';
import { checkResultOf } from './UpdatesCard';

const ended = (output: string) => ({ label: 'check', argv: ['rpm-ostree', 'upgrade', '--check'], output, startedAt: 0, endedAt: 1000 });

test('an update on record', () => {
    const result = checkResultOf({ kind: 'succeeded', ...ended(readFixture('rpm-ostree/upgrade-check-available-silverblue34-fedoramag.txt')) }, 'rpm-ostree', false);
    expect(result).toMatchObject({ kind: 'checked', check: { kind: 'available', version: '34.20210905.0' } });
});

test('no update: rpm-ostree exits 77 with its own words', () => {
    const output = readFixture('rpm-ostree/upgrade-check-container-no-updates-kinoite-rpmostree4176.txt');
    const error = new HostError('exit', 'rpm-ostree upgrade --check', 'No updates available.', { exitStatus: 77 });
    expect(checkResultOf({ kind: 'failed', ...ended(output), error }, 'rpm-ostree', false)).toMatchObject({ kind: 'checked', check: { kind: 'none' } });
});

test('a failing check is a failure, whatever it printed', () => {
    const timeout = readFixture('rpm-ostree/upgrade-install-error-pull-timeout-silverblue40-rpmostree5075.txt');
    const error = new HostError('exit', 'rpm-ostree upgrade --check', 'error: While pulling', { exitStatus: 1 });
    expect(checkResultOf({ kind: 'failed', ...ended(timeout), error }, 'rpm-ostree', false).kind).toBe('failed');
    // exit 0 but not a check answer
    expect(checkResultOf({ kind: 'succeeded', ...ended('') }, 'rpm-ostree', false).kind).toBe('failed');
    // exit 77 from something that says an update exists: the tool contradicts itself
    const contradicting = new HostError('exit', 'rpm-ostree upgrade --check', '', { exitStatus: 77 });
    expect(checkResultOf({ kind: 'failed', ...ended(readFixture('rpm-ostree/upgrade-check-available-silverblue34-fedoramag.txt')), error: contradicting }, 'rpm-ostree', false).kind).toBe('failed');
    // bootc has no exit 77: a non-zero exit is a failure
    expect(checkResultOf({ kind: 'failed', ...ended(readFixture('rpm-ostree/upgrade-check-container-no-updates-kinoite-rpmostree4176.txt')), error: contradicting }, 'bootc', false).kind).toBe('failed');
});
