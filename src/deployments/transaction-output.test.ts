import { listFixtures, readFixture } from '../../test/unit/fixtures';
import { type TransactionLine, classifyTransactionLine, cleanConsoleLine, transactionInProgress } from './transaction-output';

const classify = (file: string): TransactionLine[] =>
    readFixture(file).split('\n').filter(l => l !== '').map(classifyTransactionLine);

const textRecordings = [
    ...listFixtures('rpm-ostree'), ...listFixtures('bootc'), ...listFixtures('ostree'),
    ...listFixtures('kargs-cmdline').filter(f => f.includes('/rpm-ostree-')),
].filter(f => f.endsWith('.txt'));

test.each(textRecordings)('every line of %s is classified, with its text cleaned', file => {
    for (const line of classify(file)) {
        expect(line.text).not.toMatch(/\s$/);
        expect(line.text).not.toMatch(/[\u2800-\u28ff]/);
        if (line.kind === 'progress')
            expect(line.phase).not.toBe('');
    }
});

test('an rpm-ostree upgrade with a spinner line, a staged deployment and a package diff (photon4)', () => {
    const lines = classify('rpm-ostree/upgrade-allow-downgrade-progress-diff-photon4-photondocs.txt');
    expect(lines[0]).toEqual({
        kind: 'progress', phase: 'Receiving metadata objects', percent: null, done: false,
        text: 'Receiving metadata objects: 0/(estimating) -/s 0 bytes...',
    });
    expect(lines[1]).toMatchObject({ kind: 'progress', phase: 'Receiving metadata objects', done: true });
    expect(lines[2]).toEqual({ kind: 'progress', phase: 'Staging deployment', percent: null, done: true, text: 'Staging deployment... done' });
    expect(lines[3]).toEqual({ kind: 'text', text: 'Downgraded:' });
    expect(lines[lines.length - 1]).toEqual({ kind: 'reboot-hint', text: 'Run "systemctl reboot" to start a reboot' });
    expect(lines.filter(l => l.kind === 'error')).toEqual([]);
});

test('a pull that times out midway: a percentage, then the error (silverblue40)', () => {
    const lines = classify('rpm-ostree/upgrade-install-error-pull-timeout-silverblue40-rpmostree5075.txt');
    expect(lines.map(l => l.kind)).toEqual(['text', 'progress', 'error']);
    expect(lines[1]).toMatchObject({ phase: 'Receiving objects', percent: 68, done: true });
    expect(lines[2]).toMatchObject({ message: expect.stringMatching(/^While pulling fedora\/40\/x86_64\/silverblue: .*\[28\] Timeout was reached$/) });
});

test('other recorded progress forms', () => {
    expect(classify('rpm-ostree/upgrade-success-added-rhel8-edge-rhdeworkshop.txt')[0])
        .toEqual({ kind: 'progress', phase: 'Writing objects', percent: null, done: false, text: 'Writing objects: 1' });
    expect(classify('rpm-ostree/override-remove-tail-trimmed-bazzite-rpmostree5625.txt')[0])
        .toMatchObject({ kind: 'progress', phase: 'Staging deployment', done: true });
    const kernel = classify('rpm-ostree/override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt');
    expect(kernel).toContainEqual(expect.objectContaining({ kind: 'progress', phase: 'Checking out tree a90b696', done: true }));
    expect(kernel).toContainEqual(expect.objectContaining({ kind: 'progress', phase: 'Generating initramfs', done: true }));
    expect(kernel.filter(l => l.kind === 'reboot-hint')).toHaveLength(1);
    const container = classify('rpm-ostree/upgrade-check-container-no-updates-kinoite-rpmostree4176.txt');
    expect(container[0]).toMatchObject({ kind: 'progress', phase: 'Pulling manifest' });
    expect(container[1]).toMatchObject({ kind: 'progress', phase: 'Importing' });
    expect(container[2]).toMatchObject({ kind: 'text' });
    expect(container[3]).toMatchObject({ kind: 'progress', phase: 'Fetching ostree chunk', done: false });
    expect(container[4]).toMatchObject({ kind: 'progress', phase: 'Fetching ostree chunk', done: true });
});

test('bootc switch: layers fetched, deployed, queued for the next boot (fcos42)', () => {
    expect(classify('bootc/switch-progress-fcos42-bootc1418.txt').map(l => l.kind))
        .toEqual(['text', 'progress', 'progress', 'reboot-hint', 'text', 'text']);
    expect(classify('bootc/switch-progress-fcos42-bootc1418.txt')[2])
        .toEqual({ kind: 'progress', phase: 'Deploying', percent: null, done: true, text: '  Deploying: done (3 seconds)' });
    expect(classify('bootc/rollback-next-boot-bootc1029.txt')).toEqual([{ kind: 'reboot-hint', text: 'Next boot: rollback deployment' }]);
});

test('errors: rpm-ostree, ostree and bootc forms', () => {
    expect(classify('rpm-ostree/rollback-error-no-rollback-deployment-fa26-rpmostree955.txt'))
        .toEqual([{ kind: 'error', message: 'No rollback deployment found', text: 'error: No rollback deployment found' }]);
    expect(classify('ostree/admin-undeploy-v-0-error-booted-photon-photondocs.txt').map(l => l.kind)).toEqual(['text', 'error']);
    const bootc = classify('bootc/switch-error-unencapsulating-bad-message-bluefin-nvidia38-bluefin652.txt');
    expect(bootc[1]).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Switching: Pulling: Importing: .*Bad message$/) });
    // quoted without its `error: ` prefix by the reporter: plain text, not guessed at
    expect(classify('bootc/upgrade-error-no-final-diffid-label-almalinux-bootc1344.txt')[0].kind).toBe('text');
    // the second line of a two-line error is text
    expect(classify('kargs-cmdline/rpm-ostree-kargs-error-not-booted-via-libostree-rpmostree3738.txt').map(l => l.kind)).toEqual(['error', 'text']);
});

test('the reboot hint, also when a list indents it (photon4 rollback)', () => {
    const rollback = classify('rpm-ostree/rollback-with-diff-photon4-photondocs.txt');
    expect(rollback[rollback.length - 1]).toEqual({ kind: 'reboot-hint', text: '  Run "systemctl reboot" to start a reboot' });
    expect(rollback[0]).toMatchObject({ kind: 'text' });
    expect(classify('rpm-ostree/rollback-fah27-atomicsite-kargs-blog.txt').map(l => l.kind)).toEqual(['text', 'text', 'reboot-hint']);
});

test('forms from rpm-ostree\'s source: the C client\'s colon, delta parts, redraws and colours', () => {
    expect(classifyTransactionLine('Receiving objects: 45% (1234/2700) 12.4 MB/s 120.0 MB'))
        .toMatchObject({ kind: 'progress', phase: 'Receiving objects', percent: 45 });
    expect(classifyTransactionLine('Receiving delta parts: 3/12 1.0 MB/s 3.0 MB/12.0 MB'))
        .toMatchObject({ kind: 'progress', phase: 'Receiving delta parts', percent: 25 });
    expect(classifyTransactionLine('Scanning metadata: 12')).toMatchObject({ kind: 'progress', phase: 'Scanning metadata' });
    expect(cleanConsoleLine('Receiving objects; 10% (1/10)\rReceiving objects; 20% (2/10)  ')).toBe('Receiving objects; 20% (2/10)');
    expect(cleanConsoleLine('\x1b[1m\x1b[31m  SecAdvisories: 1 moderate\x1b[0m')).toBe('  SecAdvisories: 1 moderate');
    expect(classifyTransactionLine('')).toEqual({ kind: 'text', text: '' });
});

describe('transactionInProgress', () => {
    test('the plain and the GDBus-wrapped refusals', () => {
        expect(transactionInProgress(readFixture('rpm-ostree/error-transaction-in-progress-update-check-rpmostree4358.txt'))).toBe('update --check');
        expect(transactionInProgress(readFixture('rpm-ostree/upgrade-install-error-transaction-in-progress-gdbus-silverblue40-rpmostree5075.txt')))
            .toBe('upgrade (download only)');
    });

    test('`rpm-ostree status` text while busy, with its trailing space', () => {
        expect(transactionInProgress(readFixture('rpm-ostree/status-busy-transaction-upgrade-silverblue39-nvidia-rpmostree4713.txt'))).toBe('upgrade');
        expect(transactionInProgress(readFixture('rpm-ostree/status-pending-diff-added-rhel8-edge-rhdeworkshop.txt'))).toBeNull();
    });

    test.each(textRecordings.filter(f => !/transaction-in-progress|status-busy/.test(f)))('nothing blocks in %s', file => {
        expect(transactionInProgress(readFixture(file))).toBeNull();
    });
});
