// The update guard on the recorded package diffs of test/fixtures/rpm-ostree (the only
// recorded ones that change a kernel: the FCOS 35 kernel override and Photon 4's rollback
// and downgrade; no recording shows an NVIDIA kmod in a diff), then on small PackageChanges
// built here, one per rule of the table, with package names in RPM Fusion's kmodtool
// naming (see nvidia-packages.ts). The booted inventories are built here too.
import { readFixture } from '../../test/unit/fixtures';
import { parsePackageDiff, parseDbDiff } from '../deployments/package-diff-parser';
import { type PackageChanges, emptyChanges } from '../deployments/package-changes';
import type { DeploymentInventory, NvidiaModuleFacts } from './kernel';
import { guardStaged, guardUpdate } from './update-guard';

const K_OLD = '6.8.9-300.fc40.x86_64';
const K_NEW = '6.9.4-200.fc40.x86_64';

function module(version: string, builtFor: string): NvidiaModuleFacts {
    return { version, flavour: 'open', signer: null, builtFor, path: `usr/lib/modules/${builtFor}/extra/nvidia/nvidia.ko.xz` };
}

function inventory(kernel: string | null, nvidia: NvidiaModuleFacts | null, over: Partial<DeploymentInventory> = {}): DeploymentInventory {
    return { deploymentId: 'd', checksum: 'c'.repeat(64), kernel, nvidia, moduleMatchesKernel: nvidia ? nvidia.builtFor === kernel : null, source: 'tree', problems: [], ...over };
}

const withModule = inventory(K_OLD, module('570.124.04', K_OLD));
const withoutModule = inventory(K_OLD, null);

function changes(over: Partial<PackageChanges>): PackageChanges {
    return { ...emptyChanges(), ...over };
}

const kernelUpdate = (): Partial<PackageChanges> => ({
    upgraded: [
        { name: 'kernel', from: '6.8.9-300.fc40', to: '6.9.4-200.fc40', arch: null },
        { name: 'kernel-core', from: '6.8.9-300.fc40', to: '6.9.4-200.fc40', arch: null },
    ],
});

describe('recorded package diffs', () => {
    const vanilla = parsePackageDiff(readFixture('rpm-ostree/override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt'));
    const vanillaKernel = '5.17.0-0.rc0.20220118gitfe81ba137ebc.69.vanilla.1.fc35.x86_64';

    test('a kernel override on a host with an NVIDIA module and no kmod for the new kernel: danger', () => {
        const booted = inventory('5.15.10-200.fc35.x86_64', module('495.46', '5.15.10-200.fc35.x86_64'));
        expect(guardUpdate({ booted, changes: vanilla, newKernelLabel: null })).toEqual({
            level: 'danger',
            // the arch the list does not print comes from the booted kernel
            findings: [{ kind: 'kernel-without-module', fromKernel: '5.15.10-200.fc35.x86_64', toKernel: vanillaKernel }],
        });
    });

    test('the same override with akmod-nvidia layered: built on the host, check the staged tree', () => {
        const booted = inventory('5.15.10-200.fc35.x86_64', module('495.46', '5.15.10-200.fc35.x86_64'));
        expect(guardUpdate({ booted, changes: vanilla, newKernelLabel: null, keptPackages: ['akmod-nvidia', 'xorg-x11-drv-nvidia'] }))
            .toEqual({ level: 'warning', findings: [{ kind: 'module-built-on-host', toKernel: vanillaKernel }] });
    });

    test('the same override on a host without an NVIDIA module: nothing to lose', () => {
        expect(guardUpdate({ booted: inventory('5.15.10-200.fc35.x86_64', null), changes: vanilla, newKernelLabel: null })).toEqual({ level: 'ok', findings: [] });
    });

    test('Photon\'s kernel package is `linux`, its release has no arch', () => {
        const rollback = parsePackageDiff(readFixture('rpm-ostree/rollback-with-diff-photon4-photondocs.txt'));
        const booted = inventory('5.9.0-3.ph4', module('470.57.02', '5.9.0-3.ph4'));
        expect(guardUpdate({ booted, changes: rollback, newKernelLabel: null }).findings)
            .toEqual([{ kind: 'kernel-without-module', fromKernel: '5.9.0-3.ph4', toKernel: '5.10.4-15.ph4' }]);
        const downgrade = parsePackageDiff(readFixture('rpm-ostree/upgrade-allow-downgrade-progress-diff-photon4-photondocs.txt'));
        expect(guardUpdate({ booted: inventory('5.10.4-15.ph4', module('470.57.02', '5.10.4-15.ph4')), changes: downgrade, newKernelLabel: null }).findings)
            .toEqual([{ kind: 'kernel-without-module', fromKernel: '5.10.4-15.ph4', toKernel: '5.9.0-3.ph4' }]);
    });

    test('an update that touches neither kernel nor driver is ok', () => {
        const { changes: soundtouch } = parseDbDiff(readFixture('rpm-ostree/db-diff-silverblue34-fedoramag.txt'));
        expect(guardUpdate({ booted: withModule, changes: soundtouch, newKernelLabel: null })).toEqual({ level: 'ok', findings: [] });
    });
});

describe('the rule table', () => {
    test('a kernel change with kmod-nvidia-<new kernel> added: the module comes with it', () => {
        const c = changes({
            ...kernelUpdate(),
            removed: [{ name: `kmod-nvidia-${K_OLD}`, evr: '3:570.124.04-1.fc40', arch: 'x86_64' }],
            added: [{ name: `kmod-nvidia-${K_NEW}`, evr: '3:570.133.07-1.fc40', arch: 'x86_64' }],
        });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }))
            .toEqual({ level: 'ok', findings: [{ kind: 'kernel-with-module', toKernel: K_NEW, moduleVersion: '570.133.07' }] });
    });

    test('a kmod built for another kernel than the new one does not count', () => {
        const c = changes({ ...kernelUpdate(), added: [{ name: 'kmod-nvidia-6.9.3-200.fc40.x86_64', evr: '3:570.133.07-1.fc40', arch: 'x86_64' }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }).findings)
            .toEqual([{ kind: 'kernel-without-module', fromKernel: K_OLD, toKernel: K_NEW }]);
    });

    test('legacy branches are kmods too (kmod-nvidia-470xx-<kernel>)', () => {
        const c = changes({ ...kernelUpdate(), added: [{ name: `kmod-nvidia-470xx-${K_NEW}`, evr: '3:470.256.02-1.fc40', arch: 'x86_64' }] });
        expect(guardUpdate({ booted: inventory(K_OLD, module('470.256.02', K_OLD)), changes: c, newKernelLabel: null }).findings)
            .toEqual([{ kind: 'kernel-with-module', toKernel: K_NEW, moduleVersion: '470.256.02' }]);
    });

    test('the kmod meta package names no kernel: it is no module for the new one', () => {
        const c = changes({ ...kernelUpdate(), upgraded: [...kernelUpdate().upgraded!, { name: 'kmod-nvidia', from: '3:570.124.04-1.fc40', to: '3:570.133.07-1.fc40', arch: null }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }).level).toBe('danger');
    });

    test('only akmod-nvidia (in the list): built on the host, a warning', () => {
        const c = changes({ ...kernelUpdate(), upgraded: [...kernelUpdate().upgraded!, { name: 'akmod-nvidia', from: '3:570.124.04-1.fc40', to: '3:570.133.07-1.fc40', arch: null }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }))
            .toEqual({ level: 'warning', findings: [{ kind: 'module-built-on-host', toKernel: K_NEW }] });
    });

    test('akmod-nvidia removed by the update does not build anything', () => {
        const c = changes({ ...kernelUpdate(), removed: [{ name: 'akmod-nvidia', evr: '3:570.124.04-1.fc40', arch: 'x86_64' }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null, keptPackages: ['akmod-nvidia'] }).level).toBe('danger');
    });

    test('neither kmod nor akmod while the booted deployment has a module: danger', () => {
        expect(guardUpdate({ booted: withModule, changes: changes(kernelUpdate()), newKernelLabel: null }))
            .toEqual({ level: 'danger', findings: [{ kind: 'kernel-without-module', fromKernel: K_OLD, toKernel: K_NEW }] });
    });

    test('neither, on a host without a module: nothing to lose', () => {
        expect(guardUpdate({ booted: withoutModule, changes: changes(kernelUpdate()), newKernelLabel: null })).toEqual({ level: 'ok', findings: [] });
    });

    test('booted inventory unknown: NVIDIA packages in the list say there is a module to lose', () => {
        const c = changes({ ...kernelUpdate(), upgraded: [...kernelUpdate().upgraded!, { name: 'xorg-x11-drv-nvidia', from: '3:570.124.04-1.fc40', to: '3:570.133.07-1.fc40', arch: null }] });
        expect(guardUpdate({ booted: null, changes: c, newKernelLabel: null }).findings)
            .toEqual([{ kind: 'kernel-without-module', fromKernel: '6.8.9-300.fc40', toKernel: '6.9.4-200.fc40' }]);
        expect(guardUpdate({ booted: null, changes: changes(kernelUpdate()), newKernelLabel: null }).level).toBe('ok');
    });

    test('kernel-core added counts as a kernel change', () => {
        const c = changes({ added: [{ name: 'kernel-core', evr: '6.9.4-200.fc40', arch: 'x86_64' }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }).findings)
            .toEqual([{ kind: 'kernel-without-module', fromKernel: K_OLD, toKernel: K_NEW }]);
    });

    test('kernel-core downgraded counts as a kernel change', () => {
        const c = changes({ downgraded: [{ name: 'kernel-core', from: '6.8.9-300.fc40', to: '6.8.5-301.fc40', arch: null }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }).findings[0]).toMatchObject({ kind: 'kernel-without-module', toKernel: '6.8.5-301.fc40.x86_64' });
    });

    test.each([
        ['akmod-nvidia', 'upgraded'],
        ['xorg-x11-drv-nvidia', 'upgraded'],
        ['nvidia-driver', 'upgraded'],
        ['nvidia-driver-libs', 'downgraded'],
    ] as const)('another driver branch in %s (%s): danger, even without a kernel change', (name, kind) => {
        const c = changes({ [kind]: [{ name, from: '3:570.124.04-1.fc40', to: '3:580.65.06-1.fc40', arch: null }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }))
            .toEqual({ level: 'danger', findings: [{ kind: 'driver-major-change', from: '570.124.04', to: '580.65.06' }] });
    });

    test('a new branch in the kmod that comes with the new kernel: both findings, danger', () => {
        const c = changes({
            ...kernelUpdate(),
            removed: [{ name: `kmod-nvidia-${K_OLD}`, evr: '3:570.124.04-1.fc40', arch: 'x86_64' }],
            added: [{ name: `kmod-nvidia-${K_NEW}`, evr: '3:580.65.06-1.fc40', arch: 'x86_64' }],
        });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null })).toEqual({
            level: 'danger',
            findings: [
                { kind: 'kernel-with-module', toKernel: K_NEW, moduleVersion: '580.65.06' },
                { kind: 'driver-major-change', from: '570.124.04', to: '580.65.06' },
            ],
        });
    });

    test('the booted module\'s version stands in for an old side the list lacks', () => {
        const c = changes({ added: [{ name: 'nvidia-driver', evr: '3:580.65.06-1.fc40', arch: 'x86_64' }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null }).findings).toEqual([{ kind: 'driver-major-change', from: '570.124.04', to: '580.65.06' }]);
    });

    test('a new version in the same branch is no major change', () => {
        const c = changes({ upgraded: [{ name: 'akmod-nvidia', from: '3:570.124.04-1.fc40', to: '3:570.133.07-1.fc40', arch: null }] });
        expect(guardUpdate({ booted: withModule, changes: c, newKernelLabel: null })).toEqual({ level: 'ok', findings: [] });
    });

    test('no package list: the image label tells the kernel; the module cannot be told: a warning', () => {
        expect(guardUpdate({ booted: withModule, changes: null, newKernelLabel: K_NEW }))
            .toEqual({ level: 'warning', findings: [{ kind: 'module-unknown', fromKernel: K_OLD, toKernel: K_NEW }] });
        expect(guardUpdate({ booted: withModule, changes: null, newKernelLabel: K_OLD })).toEqual({ level: 'ok', findings: [] });
    });

    test('no package list and no label: unknown, a warning', () => {
        expect(guardUpdate({ booted: withModule, changes: null, newKernelLabel: null })).toEqual({ level: 'warning', findings: [{ kind: 'unknown' }] });
    });

    test('with a package list, the label gives the exact release of the new kernel', () => {
        const c = changes({ ...kernelUpdate(), added: [{ name: `kmod-nvidia-${K_NEW}`, evr: '3:570.133.07-1.fc40', arch: 'x86_64' }] });
        expect(guardUpdate({ booted: inventory(null, module('570.124.04', K_OLD)), changes: c, newKernelLabel: K_NEW }).findings)
            .toEqual([{ kind: 'kernel-with-module', toKernel: K_NEW, moduleVersion: '570.133.07' }]);
    });
});

describe('guardStaged', () => {
    test('a new kernel with a module built for it in the staged tree: ok', () => {
        expect(guardStaged(withModule, inventory(K_NEW, module('570.133.07', K_NEW))))
            .toEqual({ level: 'ok', findings: [{ kind: 'kernel-with-module', toKernel: K_NEW, moduleVersion: '570.133.07' }] });
    });

    test('a new kernel whose tree has no module, or one built for the old kernel: danger', () => {
        expect(guardStaged(withModule, inventory(K_NEW, null)))
            .toEqual({ level: 'danger', findings: [{ kind: 'kernel-without-module', fromKernel: K_OLD, toKernel: K_NEW }] });
        expect(guardStaged(withModule, inventory(K_NEW, module('570.124.04', K_OLD))).level).toBe('danger');
    });

    test('another driver branch in the staged tree: danger', () => {
        expect(guardStaged(withModule, inventory(K_OLD, module('580.65.06', K_OLD))))
            .toEqual({ level: 'danger', findings: [{ kind: 'driver-major-change', from: '570.124.04', to: '580.65.06' }] });
    });

    test('the same kernel and branch: ok; a host without a module loses nothing', () => {
        expect(guardStaged(withModule, inventory(K_OLD, module('570.133.07', K_OLD)))).toEqual({ level: 'ok', findings: [] });
        expect(guardStaged(withoutModule, inventory(K_NEW, null))).toEqual({ level: 'ok', findings: [] });
    });

    test('a staged tree that could not be read: unknown', () => {
        expect(guardStaged(withModule, inventory(null, null, { source: 'none' }))).toEqual({ level: 'warning', findings: [{ kind: 'unknown' }] });
    });
});
