// Package names of the NVIDIA kernel module as kmodtool makes them (rpmfusion/kmodtool,
// kmodtool-kmodtool) and as Universal Blue's images install them (kmod-nvidia-${KERNEL_VERSION}-…rpm).
import { archOfRelease, driverPackageRank, isAkmod, kernelRelease, kmodKernel, sameKernel } from './nvidia-packages';

test.each([
    ['kmod-nvidia-6.8.9-300.fc40.x86_64', '6.8.9-300.fc40.x86_64'],
    ['kmod-nvidia-470xx-6.8.9-300.fc40.x86_64', '6.8.9-300.fc40.x86_64'],
    ['kmod-nvidia', null],
    ['kmod-nvidia-470xx', null],
    ['kmod-nvidia-open-dkms', null],
    ['kmod-nvidia-latest-dkms', null],
    ['akmod-nvidia', null],
    ['kmod-v4l2loopback-6.8.9-300.fc40.x86_64', null],
])('kmodKernel(%s) = %s', (name, kernel) => {
    expect(kmodKernel(name)).toBe(kernel);
});

test('akmod packages, and which packages carry the driver version', () => {
    expect(isAkmod('akmod-nvidia')).toBe(true);
    expect(isAkmod('akmod-nvidia-470xx')).toBe(true);
    expect(isAkmod('akmods')).toBe(false);
    expect(isAkmod('akmod-v4l2loopback')).toBe(false);
    expect(['akmod-nvidia', 'kmod-nvidia-6.8.9-300.fc40.x86_64', 'xorg-x11-drv-nvidia', 'nvidia-driver-cuda', 'xorg-x11-drv-nvidia-cuda', 'libnvidia-ml'].map(driverPackageRank))
        .toEqual([0, 1, 2, 3, null, null]);
});

test('kernel releases: arch, epoch, and a release without its arch', () => {
    expect(archOfRelease('6.8.9-300.fc40.x86_64')).toBe('x86_64');
    expect(archOfRelease('5.10.4-15.ph4')).toBeNull();
    expect(archOfRelease(null)).toBeNull();
    expect(kernelRelease('1:6.8.9-300.fc40', 'aarch64')).toBe('6.8.9-300.fc40.aarch64');
    expect(sameKernel('6.8.9-300.fc40.x86_64', '6.8.9-300.fc40')).toBe(true);
    expect(sameKernel('6.8.9-300.fc40.x86_64', '6.8.9-300.fc40.x86_64')).toBe(true);
    expect(sameKernel('6.8.9-300.fc40.x86_64', '6.8.9-30.fc40.x86_64')).toBe(false);
});
