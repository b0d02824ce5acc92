import { ActionNotPossible, actionArgv, conflictsWithTransaction, type DeploymentFacts } from './actions';

const list: DeploymentFacts[] = [
    { index: 0, booted: false, staged: true, pinned: false },
    { index: 1, booted: true, staged: false, pinned: false },
    { index: 2, booted: false, staged: false, pinned: true },
];

test('rpm-ostree argv', () => {
    expect(actionArgv('rpm-ostree', { kind: 'check' })).toEqual(['rpm-ostree', 'upgrade', '--check']);
    expect(actionArgv('rpm-ostree', { kind: 'preview' })).toEqual(['rpm-ostree', 'upgrade', '--preview']);
    expect(actionArgv('rpm-ostree', { kind: 'upgrade' })).toEqual(['rpm-ostree', 'upgrade']);
    expect(actionArgv('rpm-ostree', { kind: 'rollback' })).toEqual(['rpm-ostree', 'rollback']);
    expect(actionArgv('rpm-ostree', { kind: 'deploy', revision: '41.20241101.0' })).toEqual(['rpm-ostree', 'deploy', '41.20241101.0']);
    expect(actionArgv('rpm-ostree', { kind: 'rebase', target: 'fedora:fedora/41/x86_64/silverblue' })).toEqual(['rpm-ostree', 'rebase', 'fedora:fedora/41/x86_64/silverblue']);
    expect(actionArgv('rpm-ostree', { kind: 'cleanup', pending: true, rollback: false, cache: true })).toEqual(['rpm-ostree', 'cleanup', '--pending', '--repomd']);
    expect(actionArgv('rpm-ostree', { kind: 'cancel' })).toEqual(['rpm-ostree', 'cancel']);
    expect(actionArgv('rpm-ostree', { kind: 'reboot' })).toEqual(['systemctl', 'reboot']);
});

test('bootc argv and what bootc cannot do', () => {
    expect(actionArgv('bootc', { kind: 'check' })).toEqual(['bootc', 'upgrade', '--check']);
    expect(actionArgv('bootc', { kind: 'upgrade' })).toEqual(['bootc', 'upgrade']);
    expect(actionArgv('bootc', { kind: 'rollback' })).toEqual(['bootc', 'rollback']);
    expect(actionArgv('bootc', { kind: 'rebase', target: 'quay.io/example/os:42' })).toEqual(['bootc', 'switch', 'quay.io/example/os:42']);
    expect(() => actionArgv('bootc', { kind: 'deploy', revision: '1' })).toThrow(ActionNotPossible);
    expect(() => actionArgv('bootc', { kind: 'cleanup', pending: true, rollback: true, cache: true })).toThrow(ActionNotPossible);
    expect(() => actionArgv('bootc', { kind: 'cancel' })).toThrow(ActionNotPossible);
});

test('pin, unpin and delete use the ostree index and refuse what ostree refuses', () => {
    expect(actionArgv('rpm-ostree', { kind: 'pin', index: 1 }, list)).toEqual(['ostree', 'admin', 'pin', '1']);
    expect(actionArgv('bootc', { kind: 'unpin', index: 2 }, list)).toEqual(['ostree', 'admin', 'pin', '--unpin', '2']);
    expect(actionArgv('rpm-ostree', { kind: 'delete', index: 2 }, list)).toEqual(['ostree', 'admin', 'undeploy', '2']);
    expect(() => actionArgv('rpm-ostree', { kind: 'delete', index: 1 }, list)).toThrow('the booted deployment cannot be deleted');
    expect(() => actionArgv('rpm-ostree', { kind: 'pin', index: 0 }, list)).toThrow(ActionNotPossible);
    expect(() => actionArgv('rpm-ostree', { kind: 'delete', index: 7 }, list)).toThrow('there is no deployment 7');
    expect(() => actionArgv('rpm-ostree', { kind: 'cleanup', pending: false, rollback: false, cache: false })).toThrow(ActionNotPossible);
});

test('only cancel may run beside a transaction', () => {
    expect(conflictsWithTransaction('upgrade')).toBe(true);
    expect(conflictsWithTransaction('pin')).toBe(true);
    expect(conflictsWithTransaction('reboot')).toBe(true);
    expect(conflictsWithTransaction('cancel')).toBe(false);
});
