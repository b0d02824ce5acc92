import fs from 'fs';
import path from 'path';
import type { DeploymentsTool } from './actions';
import { parseBootcStatus } from './bootc-status-parser';
import { deploymentRoles, rollbackPlan, type RoleFacts } from './deployment-roles';
import { parseRpmOstreeStatus } from './rpm-ostree-status-parser';

const fixtures = path.join(__dirname, '../../test/fixtures/rpm-ostree');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

describe('on the recordings', () => {
    test.each([
        // two deployments, the default booted: the other one becomes the default
        ['puptoo-silverblue33-layered-override-replace.json', { kind: 'target', index: 1, discardsStaged: false }],
        // a staged update: rpm-ostree refuses ("remove with cleanup -p")
        ['zincati-fcos31-staged-pending.json', { kind: 'blocked-by-staged', stagedIndex: 0 }],
        // a single deployment: "No rollback deployment found"
        ['zincati-fcos41-ostree-remote-image.json', { kind: 'none' }],
        ['insights-rhel95-edge-single.json', { kind: 'none' }],
        ['insights-image-mode-rhel94-bootc-unverified-registry.json', { kind: 'none' }],
        // no booted deployment in the (trimmed) list: nothing to reason from
        ['puptoo-bootc-staged-only-trimmed.json', { kind: 'none' }],
    ])('rpm-ostree %s', (name, plan) => {
        expect(parseRpmOstreeStatus(read(name)).rollback).toEqual(plan);
    });

    test('bootc insights-image-mode-rhel94-bootc-status.json', () => {
        expect(parseBootcStatus(read('insights-image-mode-rhel94-bootc-status.json')).rollback).toEqual({ kind: 'none' });
    });

    test('the roles of the recorded deployments', () => {
        const roles = (name: string) => parseRpmOstreeStatus(read(name)).deployments.map(d => d.roles);
        expect(roles('puptoo-silverblue33-layered-override-replace.json')).toEqual([['default'], ['rollback-target']]);
        expect(roles('zincati-fcos31-staged-pending.json')).toEqual([['default', 'pending'], []]);
        expect(roles('zincati-fcos41-ostree-remote-image.json')).toEqual([['default']]);
        expect(roles('puptoo-bootc-staged-only-trimmed.json')).toEqual([['default', 'pending']]);
    });
});

// Hand-made flag lists (not recordings): the cases the recordings do not have.
describe('on hand-made lists', () => {
    const list = (spec: string, osnames?: string[]): RoleFacts[] =>
        // one letter per deployment: B booted, S staged, P pinned, - plain
        spec.split('').map((c, index) => ({
            index, booted: c === 'B', staged: c === 'S', pinned: c === 'P', osname: osnames?.[index] ?? 'fedora',
        }));
    const plan = (tool: DeploymentsTool, spec: string, osnames?: string[]) => rollbackPlan(tool, list(spec, osnames));

    test('rpm-ostree', () => {
        expect(plan('rpm-ostree', 'B')).toEqual({ kind: 'none' });
        expect(plan('rpm-ostree', 'B-')).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        // after a rollback the booted one is second: rolling back again undoes it
        expect(plan('rpm-ostree', '-B')).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        expect(plan('rpm-ostree', 'SB')).toEqual({ kind: 'blocked-by-staged', stagedIndex: 0 });
        expect(plan('rpm-ostree', 'SB-')).toEqual({ kind: 'blocked-by-staged', stagedIndex: 0 });
        // a pinned deployment further down does not change the target
        expect(plan('rpm-ostree', 'B-P')).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        expect(plan('rpm-ostree', 'BP')).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        // three deployments, the booted one in the middle: the daemon picks the one after it
        expect(plan('rpm-ostree', '-B-')).toEqual({ kind: 'target', index: 2, discardsStaged: false });
        expect(plan('rpm-ostree', 'S-')).toEqual({ kind: 'none' });
        expect(plan('rpm-ostree', '')).toEqual({ kind: 'none' });
    });

    test('rpm-ostree only counts the booted stateroot', () => {
        expect(plan('rpm-ostree', 'B-', ['fedora', 'rhel'])).toEqual({ kind: 'none' });
        expect(plan('rpm-ostree', 'B--', ['fedora', 'rhel', 'fedora'])).toEqual({ kind: 'target', index: 2, discardsStaged: false });
        expect(plan('rpm-ostree', 'SB-', ['rhel', 'fedora', 'fedora'])).toEqual({ kind: 'target', index: 2, discardsStaged: false });
    });

    test('bootc', () => {
        expect(plan('bootc', 'B')).toEqual({ kind: 'none' });
        expect(plan('bootc', 'B-')).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        // a staged deployment is dropped, not a reason to refuse
        expect(plan('bootc', 'SB-')).toEqual({ kind: 'target', index: 2, discardsStaged: true });
        expect(plan('bootc', 'SB')).toEqual({ kind: 'none' });
        // a queued rollback (rollback before booted) is reverted
        expect(plan('bootc', '-B')).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        expect(plan('bootc', 'B-P')).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        expect(plan('bootc', 'B-', ['default', 'other'])).toEqual({ kind: 'none' });
    });

    test('roles', () => {
        const roles = (tool: DeploymentsTool, spec: string) => {
            const deployments = list(spec);
            return deploymentRoles(deployments, rollbackPlan(tool, deployments));
        };
        expect(roles('rpm-ostree', 'B-')).toEqual([['default'], ['rollback-target']]);
        expect(roles('rpm-ostree', '-B')).toEqual([['default', 'pending'], ['rollback-target']]);
        expect(roles('rpm-ostree', 'SB-')).toEqual([['default', 'pending'], [], []]);
        expect(roles('bootc', 'SB-')).toEqual([['default', 'pending'], [], ['rollback-target']]);
        expect(roles('rpm-ostree', 'S')).toEqual([['default', 'pending']]);
    });
});
