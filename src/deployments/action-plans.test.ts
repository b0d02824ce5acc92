// What each action may do now and what its confirmation promises, on recorded statuses.
import { readFixture } from '../../test/unit/fixtures';
import type { DeploymentAction } from './actions';
import { confirmPlan, unavailableReason } from './action-plans';
import type { DeploymentsStatus } from './deployment';
import { parseRpmOstreeStatus } from './rpm-ostree-status-parser';

const silverblue = parseRpmOstreeStatus(readFixture('rpm-ostree/puptoo-silverblue33-layered-override-replace.json'));
const staged = parseRpmOstreeStatus(readFixture('rpm-ostree/zincati-fcos31-staged-pending.json'));
const single = parseRpmOstreeStatus(readFixture('rpm-ostree/insights-rhel95-edge-single.json'));

const ok = (status: DeploymentsStatus, action: DeploymentAction) => unavailableReason(action, { status, admin: true, busy: false });

test('nothing changes without administrative access, and the page says so', () => {
    expect(unavailableReason({ kind: 'upgrade' }, { status: silverblue, admin: false, busy: false })).toMatch(/administrative access/);
    expect(unavailableReason({ kind: 'pin', index: 1 }, { status: silverblue, admin: null, busy: false })).toMatch(/administrative access/);
});

test('the running deployment cannot be deleted; another one can', () => {
    expect(ok(silverblue, { kind: 'delete', index: 0 })).toBe('The running deployment cannot be deleted.');
    expect(ok(silverblue, { kind: 'delete', index: 1 })).toBeNull();
});

test('rollback: there, blocked by a staged deployment, or nowhere to go', () => {
    expect(ok(silverblue, { kind: 'rollback' })).toBeNull();
    expect(ok(staged, { kind: 'rollback' })).toMatch(/staged/);
    expect(ok(single, { kind: 'rollback' })).toMatch(/no other deployment/);
    expect(ok(staged, { kind: 'pin', index: 0 })).toMatch(/staged deployment cannot be pinned/);
});

test('a running transaction blocks all but cancel, and cancel needs one', () => {
    const busy: DeploymentsStatus = { ...silverblue, transaction: { title: 'AutomaticUpdateTrigger', owner: ':1.42', path: '/org/projectatomic/rpmostree1/fedora/transaction' } };
    expect(ok(busy, { kind: 'upgrade' })).toMatch(/automatic update/);
    expect(ok(busy, { kind: 'reboot' })).toMatch(/busy/);
    expect(ok(busy, { kind: 'cancel' })).toBeNull();
    expect(ok(silverblue, { kind: 'cancel' })).toMatch(/No transaction/);
    expect(unavailableReason({ kind: 'pin', index: 1 }, { status: silverblue, admin: true, busy: true })).toMatch(/Another action/);
});

test('confirmations say what changes and when', () => {
    const rollback = confirmPlan({ kind: 'rollback' }, silverblue)!;
    expect(rollback.takesEffect).toBe('next-boot');
    expect(rollback.steps[0].body.join(' ')).toContain('33.17 (deployment 1) becomes the default for the next boot');
    const pin = confirmPlan({ kind: 'pin', index: 1 }, silverblue)!;
    expect(pin.takesEffect).toBe('now');
    expect(confirmPlan({ kind: 'check' }, silverblue)).toBeNull();
    expect(confirmPlan({ kind: 'reboot' }, staged)!.steps[0].body[0]).toContain('31.20200517.3.0 (deployment 0)');
});

test('deleting a pinned deployment asks twice', () => {
    const pinned: DeploymentsStatus = { ...silverblue, deployments: silverblue.deployments.map(d => d.index === 1 ? { ...d, pinned: true } : d) };
    expect(confirmPlan({ kind: 'delete', index: 1 }, pinned)!.steps).toHaveLength(2);
    expect(confirmPlan({ kind: 'delete', index: 1 }, silverblue)!.steps).toHaveLength(1);
});
