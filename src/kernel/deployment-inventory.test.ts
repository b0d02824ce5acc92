// inventoryOf on recorded statuses (Silverblue 33 with two deployments and no kernel in the
// status; FCOS 41 with the kernel from the image label; a bootc status without stateroots)
// joined with trees built here in deployment-modules.sh's model, their modinfo parsed from
// the recorded modinfo output with the kernel in vermagic set to what each case needs.
import { readFixture } from '../../test/unit/fixtures';
import { parseBootcStatus } from '../deployments/bootc-status-parser';
import { parseRpmOstreeStatus } from '../deployments/rpm-ostree-status-parser';
import { parseModinfo } from '../gpus/modinfo-parser';
import { inventoryOf } from './deployment-inventory';
import type { DeploymentTree, TreeModule } from './kernel';

const silverblue = parseRpmOstreeStatus(readFixture('rpm-ostree/puptoo-silverblue33-layered-override-replace.json'));
const fcos = parseRpmOstreeStatus(readFixture('rpm-ostree/zincati-fcos41-ostree-remote-image.json'));
const bootc = parseBootcStatus(readFixture('bootc/status-json-v1alpha1-booted-rollback-insightscore.json'));
const [booted, rollback] = silverblue.deployments;
const PROPRIETARY = readFixture('nvidia-driver/modinfo-nvidia-510-proprietary-unsigned-fc36-silverblue272.txt');
const OPEN = readFixture('nvidia-driver/modinfo-nvidia-550.78-open-signed-fc40-ogkm635.txt').replace(/^--- cut ---\n?/m, '');

/** A module whose modinfo is the recording with vermagic for `builtFor`. */
function module(path: string, builtFor: string, recording = PROPRIETARY): TreeModule {
    const text = recording.replace(/^vermagic:\s+\S+/m, `vermagic:       ${builtFor}`);
    return { path, modinfo: parseModinfo(text), error: null };
}

function tree(osname: string, checksum: string, serial: number, kernels: DeploymentTree['kernels']): DeploymentTree {
    return { osname, checksum, serial, kernels };
}

const K1 = '5.9.16-200.fc33.x86_64';
const K2 = '5.10.7-200.fc33.x86_64';

test('one inventory per deployment, in order, matched by checksum, serial and stateroot', () => {
    const trees = [
        tree('fedora-silverblue', booted.checksum, 0, [{ version: K1, modules: [module(`usr/lib/modules/${K1}/extra/nvidia/nvidia.ko.xz`, K1)] }]),
        // same commit, another serial or another stateroot: not this deployment's tree
        tree('fedora-silverblue', rollback.checksum, 1, [{ version: K1, modules: [] }]),
        tree('other', rollback.checksum, 0, [{ version: K1, modules: [] }]),
    ];
    const [b, r] = inventoryOf(silverblue.deployments, trees);
    expect(b).toEqual({
        deploymentId: booted.id,
        checksum: booted.checksum,
        kernel: K1,
        nvidia: { version: '510.68.02', flavour: 'proprietary', signer: null, builtFor: K1, path: `usr/lib/modules/${K1}/extra/nvidia/nvidia.ko.xz` },
        moduleMatchesKernel: true,
        source: 'tree',
        problems: [],
    });
    expect(r.deploymentId).toBe(rollback.id);
    expect(r.source).toBe('none');
    expect(r.kernel).toBeNull();
    expect(r.problems).toEqual([`the deployment's tree (/ostree/deploy/fedora-silverblue/deploy/${rollback.checksum}.0) could not be read`]);
});

test('no trees at all (the script failed): every deployment says so, keeping the status\'s kernel', () => {
    const [only] = inventoryOf(fcos.deployments, []);
    expect(only).toMatchObject({ source: 'none', kernel: '6.12.7-200.fc41.x86_64', nvidia: null, moduleMatchesKernel: null });
    expect(only.problems).toHaveLength(1);
});

test('the status\'s kernel wins over a newer kernel folder in the tree', () => {
    const [d] = fcos.deployments;
    const status = d.kernel!.version;
    const [inv] = inventoryOf(fcos.deployments, [tree('fedora-coreos', d.checksum, d.serial, [
        { version: '6.13.0-1.fc41.x86_64', modules: [module('usr/lib/modules/6.13.0-1.fc41.x86_64/extra/nvidia/nvidia.ko.xz', '6.13.0-1.fc41.x86_64')] },
        { version: status, modules: [module(`usr/lib/modules/${status}/extra/nvidia/nvidia.ko.xz`, status, OPEN)] },
    ])]);
    expect(inv.kernel).toBe(status);
    expect(inv.nvidia).toMatchObject({ version: '550.78', flavour: 'open', signer: 'Nvidia Driver Kmod Signing MOK', builtFor: status });
    expect(inv.moduleMatchesKernel).toBe(true);
});

test('the status\'s kernel without a folder in the tree: no module, unknown match, a problem', () => {
    const [d] = fcos.deployments;
    const [inv] = inventoryOf(fcos.deployments, [tree('fedora-coreos', d.checksum, d.serial, [{ version: K1, modules: [module('x', K1)] }])]);
    expect(inv).toMatchObject({ kernel: d.kernel!.version, nvidia: null, moduleMatchesKernel: null, source: 'tree' });
    expect(inv.problems).toEqual([`the deployment's tree has no modules folder for its kernel ${d.kernel!.version}`]);
});

test('without a kernel in the status: the only kernel, else the newest by rpm\'s version order', () => {
    const only = inventoryOf([booted], [tree('fedora-silverblue', booted.checksum, 0, [{ version: K1, modules: [] }])])[0];
    expect(only.kernel).toBe(K1);
    // 5.10.7 is newer than 5.9.16 although it sorts first as text
    const newest = inventoryOf([booted], [tree('fedora-silverblue', booted.checksum, 0, [
        { version: K1, modules: [] }, { version: K2, modules: [] },
    ])])[0];
    expect(newest.kernel).toBe(K2);
    const none = inventoryOf([booted], [tree('fedora-silverblue', booted.checksum, 0, [])])[0];
    expect(none).toMatchObject({ kernel: null, nvidia: null, moduleMatchesKernel: null });
    expect(none.problems[0]).toMatch(/no kernel modules folder/);
});

test('of several modules, the one built for the kernel (vermagic) is the one that counts', () => {
    const [inv] = inventoryOf([booted], [tree('fedora-silverblue', booted.checksum, 0, [{ version: K2, modules: [
        module(`usr/lib/modules/${K2}/extra/nvidia/nvidia.ko.xz`, K1),
        module(`usr/lib/modules/${K2}/updates/dkms/nvidia.ko.xz`, K2, OPEN),
    ] }])]);
    expect(inv.nvidia?.path).toBe(`usr/lib/modules/${K2}/updates/dkms/nvidia.ko.xz`);
    expect(inv.moduleMatchesKernel).toBe(true);
});

test('a module built for another kernel does not match it', () => {
    const [inv] = inventoryOf([booted], [tree('fedora-silverblue', booted.checksum, 0, [{ version: K2, modules: [module('m', K1)] }])]);
    expect(inv.nvidia?.builtFor).toBe(K1);
    expect(inv.moduleMatchesKernel).toBe(false);
});

test('a module modinfo could not read: there, facts unknown, match unknown, modinfo\'s words as the problem', () => {
    const [inv] = inventoryOf([booted], [tree('fedora-silverblue', booted.checksum, 0, [{ version: K1, modules: [
        { path: 'usr/lib/modules/k/extra/nvidia/nvidia.ko.xz', modinfo: null, error: 'modinfo: ERROR: Module nvidia not found.' },
    ] }])]);
    expect(inv.nvidia).toEqual({ version: null, flavour: null, signer: null, builtFor: null, path: 'usr/lib/modules/k/extra/nvidia/nvidia.ko.xz' });
    expect(inv.moduleMatchesKernel).toBeNull();
    expect(inv.problems).toEqual(['usr/lib/modules/k/extra/nvidia/nvidia.ko.xz: modinfo: ERROR: Module nvidia not found.']);
});

test('no NVIDIA module for the kernel: none, and no match claimed', () => {
    const [inv] = inventoryOf([booted], [tree('fedora-silverblue', booted.checksum, 0, [{ version: K1, modules: [] }])]);
    expect(inv).toMatchObject({ nvidia: null, moduleMatchesKernel: null, problems: [] });
});

test('bootc names no stateroot: the tree is matched by checksum and serial alone', () => {
    const [d] = bootc.deployments;
    expect(d.osname).toBeNull();
    const [inv] = inventoryOf(bootc.deployments, [tree('default', d.checksum, d.serial, [{ version: K1, modules: [] }])]);
    expect(inv.source).toBe('tree');
});
