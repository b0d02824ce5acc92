// recoveryPlan and recoverySteps on recorded statuses: Silverblue 33 (booted + rollback),
// FCOS 31 (staged + booted), FCOS 41 on a container image, and bootc (booted + rollback).
// Where a case needs a deployment the recordings do not have (a known-good one two back),
// a recorded deployment is copied under another checksum and index, and the rollback plan
// is computed again the way the status parsers do.
import { readFixture } from '../../test/unit/fixtures';
import type { Deployment, DeploymentsStatus } from '../deployments/deployment';
import { rollbackPlan } from '../deployments/deployment-roles';
import { parseBootcStatus } from '../deployments/bootc-status-parser';
import { parseRpmOstreeStatus } from '../deployments/rpm-ostree-status-parser';
import type { KnownGoodRecord } from './kernel';
import { recoveryPlan, recoverySteps } from './recovery-plan';

const silverblue = parseRpmOstreeStatus(readFixture('rpm-ostree/puptoo-silverblue33-layered-override-replace.json'));
const staged = parseRpmOstreeStatus(readFixture('rpm-ostree/zincati-fcos31-staged-pending.json'));
const image = parseRpmOstreeStatus(readFixture('rpm-ostree/zincati-fcos41-ostree-remote-image.json'));
const bootc = parseBootcStatus(readFixture('bootc/status-json-v1alpha1-booted-rollback-insightscore.json'));

function record(d: Deployment): KnownGoodRecord {
    return { checksum: d.checksum, osname: d.osname, version: d.version, kernel: 'k', driverVersion: '570.124.04', gpus: ['g'], recordedAt: '2026-01-01T00:00:00Z', recordedBy: 'boot' };
}

function good(...ds: Deployment[]): Map<string, KnownGoodRecord> {
    return new Map(ds.map(d => [d.id, record(d)]));
}

/** `status` with `extra` appended as the next indexes, the rollback plan recomputed. */
function withMore(status: DeploymentsStatus, ...extra: Partial<Deployment>[]): DeploymentsStatus {
    const template = status.deployments.find(d => d.booted)!;
    const added = extra.map((over, i) => {
        const index = status.deployments.length + i;
        const checksum = index.toString(16).padStart(64, 'e');
        return { ...template, booted: false, staged: false, pinned: false, index, checksum, id: `${template.osname ?? ''}-${checksum}.0`, ...over };
    });
    const deployments = [...status.deployments, ...added];
    return { ...status, deployments, rollback: rollbackPlan(status.tool, deployments) };
}

const [sbBooted, sbRollback] = silverblue.deployments;

test.each(['ok', 'warning', 'info'] as const)('severity %s: nothing to recover', severity => {
    expect(recoveryPlan(silverblue, severity, good(sbRollback))).toEqual({ kind: 'not-needed' });
});

test('the known-good deployment is the rollback target: roll back, pinning it first', () => {
    const plan = recoveryPlan(silverblue, 'danger', good(sbRollback));
    expect(plan).toEqual({ kind: 'rollback', targetIndex: 1, record: record(sbRollback) });
    expect(recoverySteps(plan, silverblue)).toEqual([{ kind: 'pin', index: 1 }, { kind: 'rollback' }]);
});

test('a target pinned already is not pinned again', () => {
    const pinned = { ...silverblue, deployments: silverblue.deployments.map(d => d.index === 1 ? { ...d, pinned: true } : d) };
    expect(recoverySteps(recoveryPlan(pinned, 'danger', good(pinned.deployments[1])), pinned)).toEqual([{ kind: 'rollback' }]);
});

test('the booted deployment is known-good: no deployment change fixes it', () => {
    expect(recoveryPlan(silverblue, 'danger', good(sbBooted, sbRollback))).toEqual({ kind: 'booted-is-known-good', record: record(sbBooted) });
    expect(recoverySteps({ kind: 'booted-is-known-good', record: record(sbBooted) }, silverblue)).toEqual([]);
});

test('no known-good deployment: none to return to, no steps', () => {
    expect(recoveryPlan(silverblue, 'danger', new Map())).toEqual({ kind: 'no-known-good' });
    expect(recoverySteps({ kind: 'no-known-good' }, silverblue)).toEqual([]);
});

test('known-good two deployments back: deploy its version, pinned first so the deploy does not prune it', () => {
    const status = withMore(silverblue, { version: '33.12', timestamp: 1 });
    const target = status.deployments[2];
    const plan = recoveryPlan(status, 'danger', good(target));
    expect(plan).toEqual({ kind: 'deploy', targetIndex: 2, revision: '33.12', record: record(target) });
    expect(recoverySteps(plan, status)).toEqual([{ kind: 'pin', index: 2 }, { kind: 'deploy', revision: '33.12' }]);
});

test('a deployment without a version is deployed by its base commit', () => {
    const status = withMore(silverblue, { version: null });
    const target = status.deployments[2];
    expect(target.base).not.toBeNull();
    expect(recoveryPlan(status, 'danger', good(target))).toMatchObject({ kind: 'deploy', revision: target.base!.checksum });
});

test('of several known-good deployments the newest is the target', () => {
    // the one two back is the newer commit here, so it wins over the rollback target
    const status = withMore(silverblue, { version: '33.30', timestamp: (sbRollback.timestamp ?? 0) + 10 });
    expect(recoveryPlan(status, 'danger', good(sbRollback, status.deployments[2]))).toMatchObject({ kind: 'deploy', targetIndex: 2 });
    const older = withMore(silverblue, { version: '33.12', timestamp: 1 });
    expect(recoveryPlan(older, 'danger', good(sbRollback, older.deployments[2]))).toMatchObject({ kind: 'rollback', targetIndex: 1 });
});

test('rollback blocked by a staged deployment: clean it up, then roll back to the one reached without it', () => {
    const status = withMore(staged, { version: '31.20200420.3.0', timestamp: 1 });
    expect(status.rollback.kind).toBe('blocked-by-staged');
    const target = status.deployments[2];
    const plan = recoveryPlan(status, 'danger', good(target));
    expect(plan).toEqual({ kind: 'rollback', targetIndex: 2, record: record(target) });
    expect(recoverySteps(plan, status)).toEqual([
        { kind: 'pin', index: 2 },
        { kind: 'cleanup', pending: true, rollback: false, cache: false },
        { kind: 'rollback' },
    ]);
});

test('a staged known-good deployment is the reboot into it, never a target to deploy; another stateroot is no target', () => {
    const knownStaged = good(staged.deployments[0]);
    expect(recoveryPlan(staged, 'danger', knownStaged)).toMatchObject({ kind: 'reboot-into', targetIndex: 0 });
    expect(recoverySteps(recoveryPlan(staged, 'danger', knownStaged), staged)).toEqual([]);
    const status = withMore(silverblue, { osname: 'other', id: 'other-x.0' });
    expect(recoveryPlan(status, 'danger', good(status.deployments[2]))).toEqual({ kind: 'no-known-good' });
});

test('bootc: the rollback target is reachable', () => {
    const plan = recoveryPlan(bootc, 'danger', good(bootc.deployments[1]));
    expect(plan).toMatchObject({ kind: 'rollback', targetIndex: 1 });
    expect(recoverySteps(plan, bootc)).toEqual([{ kind: 'pin', index: 1 }, { kind: 'rollback' }]);
});

test('bootc: a known-good deployment further back cannot be deployed; an older reachable one is taken instead', () => {
    const status = withMore(bootc, { timestamp: 9999999999 });
    const far = status.deployments[2];
    expect(recoveryPlan(status, 'danger', good(far))).toEqual({ kind: 'unreachable', targetIndex: 2, record: record(far), reason: 'bootc-no-deploy' });
    expect(recoverySteps(recoveryPlan(status, 'danger', good(far)), status)).toEqual([]);
    expect(recoveryPlan(status, 'danger', good(far, status.deployments[1]))).toMatchObject({ kind: 'rollback', targetIndex: 1 });
});

test('rpm-ostree on a container image origin cannot deploy a version', () => {
    const status = withMore(withMore(image, {}), {});
    expect(recoveryPlan(status, 'danger', good(status.deployments[2]))).toMatchObject({ kind: 'unreachable', targetIndex: 2, reason: 'container-origin' });
});

test('a known-good deployment of another origin (rebased since) cannot be deployed by version', () => {
    const status = withMore(silverblue, { origin: { kind: 'ostree-ref', text: 'fedora:fedora/32/x86_64/silverblue', remote: 'fedora', ref: 'fedora/32/x86_64/silverblue' } });
    expect(recoveryPlan(status, 'danger', good(status.deployments[2]))).toMatchObject({ kind: 'unreachable', reason: 'other-origin' });
});

test('no booted deployment in the status: nothing to return from', () => {
    const none = { ...silverblue, deployments: silverblue.deployments.map(d => ({ ...d, booted: false })) };
    expect(recoveryPlan(none, 'danger', good(sbRollback))).toEqual({ kind: 'no-known-good' });
});

test('once a known-good deployment boots next, the plan is the reboot into it', () => {
    // the recorded Silverblue status after a rollback: 33.17 at position 0 (default), 33.21 booted
    const rolledBack: DeploymentsStatus = {
        ...silverblue,
        deployments: [
            { ...silverblue.deployments[1], index: 0, booted: false, roles: ['default'] },
            { ...silverblue.deployments[0], index: 1, booted: true, roles: ['rollback-target'] },
        ],
    };
    const plan = recoveryPlan(rolledBack, 'danger', good(rolledBack.deployments[0]));
    expect(plan).toMatchObject({ kind: 'reboot-into', targetIndex: 0 });
    expect(recoverySteps(plan, rolledBack)).toEqual([]);
});
