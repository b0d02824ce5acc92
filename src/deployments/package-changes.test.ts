import { readFixture } from '../../test/unit/fixtures';
import { type PackageChanges, categoryOf, emptyChanges, filterChanges, importantChanges, isEmptyChanges, summarizeChanges } from './package-changes';
import { parsePackageDiff } from './package-diff-parser';

const photonRollback = () => parsePackageDiff(readFixture('rpm-ostree/rollback-with-diff-photon4-photondocs.txt'));

/** Names from the Silverblue NVIDIA recordings (status-busy-…-nvidia-rpmostree4713, upgrade-error-depsolve-nvidia-cuda-…). */
const nvidiaUpdate: PackageChanges = {
    upgraded: [
        { name: 'zlib', from: '1.2.13-4.fc39', to: '1.2.13-5.fc39', arch: null },
        { name: 'xorg-x11-drv-nvidia-cuda', from: '3:545.29.06-1.fc39', to: '3:550.54.14-1.fc39', arch: null },
        { name: 'kernel-modules', from: '6.6.3-200.fc39', to: '6.7.9-200.fc39', arch: null },
        { name: 'akmod-nvidia', from: '3:545.29.06-1.fc39', to: '3:550.54.14-1.fc39', arch: null },
        { name: 'kernel', from: '6.6.3-200.fc39', to: '6.7.9-200.fc39', arch: null },
        { name: 'Box2D', from: '2.4.1-10.fc39', to: '2.4.1-11.fc39', arch: null },
    ],
    downgraded: [{ name: 'cuda-libs', from: '12.4-1', to: '12.3-1', arch: null }],
    removed: [{ name: 'kmod-nvidia-6.6.3-200.fc39.x86_64', evr: '3:545.29.06-1.fc39', arch: 'x86_64' }],
    added: [
        { name: 'kmod-nvidia-6.7.9-200.fc39.x86_64', evr: '3:550.54.14-1.fc39', arch: 'x86_64' },
        { name: 'kernel-modules-core', evr: '6.7.9-200.fc39', arch: 'x86_64' },
        { name: 'libnvidia-ml', evr: '3:550.54.14-1.fc39', arch: 'x86_64' },
    ],
};

test('categories', () => {
    expect(['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core', 'kernel-modules-extra', 'linux'].map(categoryOf))
        .toEqual(Array(6).fill('kernel'));
    expect(['nvidia-driver-libs', 'akmod-nvidia', 'kmod-nvidia', 'xorg-x11-drv-nvidia-cuda-libs', 'libnvidia-ml', 'cuda-toolkit'].map(categoryOf))
        .toEqual(Array(6).fill('nvidia'));
    expect(['kernel-tools', 'linux-firmware', 'nvtop', 'mesa-libGL', 'libcuda-stub'].map(categoryOf)).toEqual(Array(5).fill('other'));
});

test('kernel first in its own order, then NVIDIA, then the rest by name', () => {
    expect(importantChanges(nvidiaUpdate).map(c => [c.category, c.kind, c.name])).toEqual([
        ['kernel', 'upgraded', 'kernel'],
        ['kernel', 'upgraded', 'kernel-modules'],
        ['kernel', 'added', 'kernel-modules-core'],
        ['nvidia', 'upgraded', 'akmod-nvidia'],
        ['nvidia', 'downgraded', 'cuda-libs'],
        ['nvidia', 'removed', 'kmod-nvidia-6.6.3-200.fc39.x86_64'],
        ['nvidia', 'added', 'kmod-nvidia-6.7.9-200.fc39.x86_64'],
        ['nvidia', 'added', 'libnvidia-ml'],
        ['nvidia', 'upgraded', 'xorg-x11-drv-nvidia-cuda'],
        ['other', 'upgraded', 'Box2D'],
        ['other', 'upgraded', 'zlib'],
    ]);
    const [first] = importantChanges(nvidiaUpdate);
    expect(first).toEqual({ category: 'kernel', kind: 'upgraded', name: 'kernel', from: '6.6.3-200.fc39', to: '6.7.9-200.fc39', arch: null });
    const removed = importantChanges(nvidiaUpdate).find(c => c.kind === 'removed');
    expect(removed).toMatchObject({ from: '3:545.29.06-1.fc39', to: null });
});

test('a recorded rollback: Photon\'s linux kernel comes first (photon4)', () => {
    const changes = importantChanges(photonRollback());
    expect(changes).toHaveLength(83);
    expect(changes[0]).toMatchObject({ category: 'kernel', name: 'linux', from: '5.9.0-3.ph4', to: '5.10.4-15.ph4' });
    expect(changes.slice(1).every(c => c.category === 'other')).toBe(true);
    const names = changes.slice(1).map(c => c.name.toLowerCase());
    expect(names).toEqual([...names].sort());
});

test('filterChanges: name or version, any case; blank keeps everything', () => {
    const changes = photonRollback();
    expect(filterChanges(changes, '')).toBe(changes);
    expect(filterChanges(changes, '   ')).toBe(changes);
    const python = filterChanges(changes, 'PyThOn3-SPHINX');
    expect(summarizeChanges(python)).toEqual({ upgraded: 0, downgraded: 0, removed: 0, added: 7 });
    const byVersion = filterChanges(changes, '247.3');
    expect(byVersion.upgraded.map(p => p.name)).toEqual(['systemd']);
    expect(byVersion.added.map(p => p.name)).toEqual(['systemd-libs', 'systemd-pam', 'systemd-rpm-macros', 'systemd-udev']);
    expect(isEmptyChanges(filterChanges(changes, 'nvidia'))).toBe(true);
    expect(filterChanges(nvidiaUpdate, 'nvidia').removed).toHaveLength(1);
});

test('empty changes', () => {
    expect(isEmptyChanges(emptyChanges())).toBe(true);
    expect(importantChanges(emptyChanges())).toEqual([]);
});
