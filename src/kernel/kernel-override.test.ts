import { ActionNotPossible } from '../deployments/actions';
import type { Replacement } from '../deployments/deployment';
import { nevraFromString } from '../deployments/nevra';
import { parseRpmOstreeStatus } from '../deployments/rpm-ostree-status-parser';
import { parseModinfo } from '../gpus/modinfo-parser';
import { readFixture } from '../../test/unit/fixtures';
import type { DeploymentInventory } from './kernel';
import {
    KERNEL_PACKAGES, type OverrideSource, kernelOverrides, kernelPinProblems, kernelRelease, overrideReplaceArgv,
    overrideResetArgv, pinnedKernelRelease, validateOverrideSource,
} from './kernel-override';
import { leavesModuleBehind, pinnedKernelLeavesModule } from './kernel-override-module';

function source(text: string): OverrideSource {
    const check = validateOverrideSource(text);
    if (!check.ok)
        throw new Error(check.reason);
    return check.source;
}

// The kernel of the recorded override (rpm-ostree/override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt:
// "kernel 5.15.10-200.fc35 -> 5.17.0-0.rc0.20220118gitfe81ba137ebc.69.vanilla.1.fc35"); the
// recording prints no arch, x86_64 is the FCOS 35 build the documentation ran on.
const VANILLA = '5.17.0-0.rc0.20220118gitfe81ba137ebc.69.vanilla.1.fc35';
const BASE = '5.15.10-200.fc35';

describe('validateOverrideSource', () => {
    test.each([
        ['/var/tmp/kernel-core-6.8.9-300.fc40.x86_64.rpm', 'path', 'kernel-core'],
        ['/home/admin/rpms/kernel-modules-extra-6.8.9-300.fc40.x86_64.rpm', 'path', 'kernel-modules-extra'],
        ['https://kojipkgs.fedoraproject.org/packages/kernel/6.8.9/300.fc40/x86_64/kernel-6.8.9-300.fc40.x86_64.rpm', 'url', 'kernel'],
        ['https://mirror.example.org:8443/k/kernel-modules-core-6.8.9-300.fc40.x86_64.rpm', 'url', 'kernel-modules-core'],
    ])('%s', (text, kind, name) => {
        const check = validateOverrideSource(text);
        expect(check).toMatchObject({ ok: true, source: { kind, text, package: { name } } });
    });

    test('a file name that is not a NEVRA is taken, with no package', () => {
        expect(source('/var/tmp/my-kernel.rpm').package).toBeNull();
    });

    test.each([
        ['', 'empty'],
        ['kernel-core-6.8.9-300.fc40.x86_64.rpm', 'absolute path'],
        ['./kernel.rpm', 'absolute path'],
        ['/var/tmp/../etc/shadow.rpm', '".."'],
        ['/var/tmp/kernel.rpm/..', '".."'],
        ['/var//tmp/kernel.rpm', 'empty or "."'],
        ['/var/tmp/kernel.tar', 'does not end in .rpm'],
        ['/var/tmp/kernel core.rpm', 'blanks'],
        ['/var/tmp/kernel\n.rpm', 'control characters'],
        ['/var/tmp/k$(id).rpm', 'characters RPM file names do not use'],
        ['/var/tmp/k;reboot.rpm', 'characters RPM file names do not use'],
        ['/var/tmp/kérnel.rpm', 'outside printable ASCII'],
        ['-rf.rpm', 'starts with "-"'],
        ['http://example.org/kernel.rpm', 'only https://'],
        ['ftp://example.org/kernel.rpm', 'only https://'],
        ['file:///var/tmp/kernel.rpm', 'only https://'],
        ['https://user:secret@example.org/kernel.rpm', 'credentials'],
        ['https://token@example.org/kernel.rpm', 'credentials'],
        ['https://example.org/kernel.rpm?x=1', 'query'],
        ['https://example.org/kernel.rpm#top', 'query'],
        ['https://example.org/a/../kernel.rpm', '".." parts'],
        ['https://example.org', '".." parts'],
        ['https://example.org/kernel.rpm.txt', 'does not end in .rpm'],
        ['https://example.org/k;id.rpm', 'need escaping'],
        ['https://exa mple.org/kernel.rpm', 'blanks'],
        ['https://example.org/kernel%zz.rpm', 'broken %-escape'],
    ])('%j is refused', (text, expected) => {
        const check = validateOverrideSource(text);
        expect(check.ok).toBe(false);
        expect(!check.ok && check.reason).toContain(expected);
    });
});

describe('argv', () => {
    const sources = KERNEL_PACKAGES.map(name => source(`/var/tmp/${name}-${VANILLA}.x86_64.rpm`));

    test('override replace of the five kernel packages', () => {
        expect(overrideReplaceArgv(sources)).toEqual(['rpm-ostree', 'override', 'replace', ...sources.map(s => s.text)]);
        expect(kernelPinProblems(sources)).toEqual([]);
    });

    test('override replace refuses an empty list, a duplicate and an unchecked source', () => {
        expect(() => overrideReplaceArgv([])).toThrow(ActionNotPossible);
        expect(() => overrideReplaceArgv([sources[0], sources[0]])).toThrow('twice');
        expect(() => overrideReplaceArgv([{ kind: 'path', text: '/tmp/x.rpm; reboot', package: null }])).toThrow(ActionNotPossible);
    });

    test('override reset of names, or --all', () => {
        expect(overrideResetArgv(['kernel', 'kernel-core'])).toEqual(['rpm-ostree', 'override', 'reset', 'kernel', 'kernel-core']);
        expect(overrideResetArgv('all')).toEqual(['rpm-ostree', 'override', 'reset', '--all']);
        expect(() => overrideResetArgv([])).toThrow(ActionNotPossible);
        expect(() => overrideResetArgv(['--all'])).toThrow('not a package name');
        expect(() => overrideResetArgv(['kernel core'])).toThrow('not a package name');
    });

    test('a pin set that mixes kernels or carries other packages is pointed out', () => {
        const other = source(`/var/tmp/kernel-modules-${BASE}.x86_64.rpm`);
        expect(kernelPinProblems([sources[1], other])).toEqual([
            `the packages are of different kernels: ${VANILLA}.x86_64, ${BASE}.x86_64`,
        ]);
        expect(kernelPinProblems([source('/var/tmp/rpm-ostree-2021.1-2.fc33.x86_64.rpm')])[0]).toContain('not one of the kernel packages');
        expect(kernelPinProblems([sources[0], source(`/srv/${KERNEL_PACKAGES[0]}-${VANILLA}.x86_64.rpm`)])).toEqual(['kernel is given twice']);
        expect(kernelPinProblems([source('/var/tmp/my-kernel.rpm')])[0]).toContain('not named like an RPM');
    });
});

describe('the overrides a deployment carries', () => {
    const status = parseRpmOstreeStatus(readFixture('rpm-ostree/puptoo-silverblue33-layered-override-replace.json'));

    test('the Silverblue 33 recording overrides rpm-ostree, not the kernel', () => {
        expect(status.deployments[0].overrides.local).toHaveLength(2);
        expect(kernelOverrides(status.deployments[0])).toEqual([]);
        expect(pinnedKernelRelease(kernelOverrides(status.deployments[0]))).toBeNull();
    });

    test('kernel replacements are picked out and give the pinned release', () => {
        const replacements: Replacement[] = ['kernel', 'kernel-core', 'kernel-modules'].map(name => ({
            replacement: nevraFromString(`${name}-${VANILLA}.x86_64`),
            replaced: nevraFromString(`${name}-${BASE}.x86_64`),
        }));
        const deployment = { overrides: { ...status.deployments[0].overrides, local: [...status.deployments[0].overrides.local, ...replacements] } };
        const overrides = kernelOverrides(deployment);
        expect(overrides.map(o => o.name)).toEqual(['kernel', 'kernel-core', 'kernel-modules']);
        expect(overrides[1].from.version).toBe('5.15.10');
        expect(pinnedKernelRelease(overrides)).toBe(`${VANILLA}.x86_64`);
        expect(kernelRelease(nevraFromString('kernel-core-6.12.7-200.fc41.x86_64'))).toBe('6.12.7-200.fc41.x86_64');
    });
});

describe('pinnedKernelLeavesModule', () => {
    // the recorded module: nvidia 550.78 open, signed, vermagic 6.8.9-300.fc40.x86_64 (the
    // recording ends with the quoter's "--- cut ---" line, dropped as the gpus tests do)
    const modinfo = parseModinfo(readFixture('nvidia-driver/modinfo-nvidia-550.78-open-signed-fc40-ogkm635.txt').replace(/^--- cut ---\n?/m, ''));
    const inventory: Pick<DeploymentInventory, 'nvidia' | 'source'> = {
        source: 'tree',
        nvidia: {
            version: modinfo.version, flavour: modinfo.flavour, signer: modinfo.signer, builtFor: modinfo.vermagicKernel,
            path: 'usr/lib/modules/6.8.9-300.fc40.x86_64/extra/nvidia/nvidia.ko.xz',
        },
    };

    test('a pin to another kernel leaves the prebuilt module behind', () => {
        const check = pinnedKernelLeavesModule('6.8.5-301.fc40.x86_64', inventory);
        expect(check).toEqual({ kind: 'module-for-other-kernel', pinnedKernel: '6.8.5-301.fc40.x86_64', builtFor: '6.8.9-300.fc40.x86_64', moduleVersion: '550.78' });
        expect(leavesModuleBehind(check)).toBe(true);
    });

    test('a pin to the module\'s own kernel is fine', () => {
        const check = pinnedKernelLeavesModule('6.8.9-300.fc40.x86_64', inventory);
        expect(check).toEqual({ kind: 'module-matches', moduleVersion: '550.78' });
        expect(leavesModuleBehind(check)).toBe(false);
    });

    test('no module, no vermagic, no tree', () => {
        expect(pinnedKernelLeavesModule('6.8.9-300.fc40.x86_64', { source: 'tree', nvidia: null })).toEqual({ kind: 'no-nvidia-module' });
        expect(pinnedKernelLeavesModule('6.8.9-300.fc40.x86_64', { source: 'tree', nvidia: { ...inventory.nvidia!, builtFor: null } }))
            .toMatchObject({ kind: 'unknown', reason: expect.stringContaining('vermagic') });
        expect(pinnedKernelLeavesModule('6.8.9-300.fc40.x86_64', { source: 'none', nvidia: null })).toMatchObject({ kind: 'unknown' });
    });
});
