// What a package list says about the kernel and the NVIDIA kernel module of a deployment,
// for the update guard. The names follow RPM Fusion's kmodtool (rpmfusion/kmodtool,
// kmodtool-kmodtool), which negativo17 and Universal Blue's akmods images use as well:
//   kmod-<kmodname>-<kernel uname -r>  the module built for that one kernel, e.g.
//                                      kmod-nvidia-6.8.9-300.fc40.x86_64 (print_rpmtemplate_per_kmodpkg)
//   kmod-<kmodname>                    a payload-free meta package that requires the above
//   akmod-<kmodname>                   sources that akmods builds on the host for each new kernel
// with kmodname `nvidia`, or `nvidia-470xx` and the like for RPM Fusion's legacy branches.
// Pure.
import type { PackageChanges } from '../deployments/package-changes';
import { isNvidiaPackage } from '../deployments/package-changes';
import { upstreamVersion, withoutEpoch } from './rpm-version';

/** `kmod-nvidia[-470xx]-<kernel release>`: a release starts `<digits>.<digits>` and holds a `-`. */
const PREBUILT_KMOD = /^kmod-nvidia(?:-\d+xx)?-(\d+\.\d+[^-\s]*-\S+)$/;
const AKMOD = /^akmod-nvidia(?:-\d+xx)?$/;

/** The kernel a prebuilt module package was built for, from its name; null for any other package. */
export function kmodKernel(name: string): string | null {
    return PREBUILT_KMOD.exec(name)?.[1] ?? null;
}

export function isAkmod(name: string): boolean {
    return AKMOD.test(name);
}

/**
 * The packages whose version is the driver's (the update guard's major-version rule), in
 * the order they are asked: the module's own packages first, then the user-space driver.
 */
export function driverPackageRank(name: string): number | null {
    if (isAkmod(name))
        return 0;
    if (name.startsWith('kmod-nvidia'))
        return 1;
    if (name === 'xorg-x11-drv-nvidia')
        return 2;
    if (name.startsWith('nvidia-driver'))
        return 3;
    return null;
}

/**
 * The kernel packages whose version is the kernel's, most telling first: Fedora's
 * kernel-core holds vmlinuz, `kernel` is its meta package, Photon OS calls it `linux`
 * (rollback-with-diff-photon4-photondocs.txt).
 */
const KERNEL_PACKAGES = ['kernel-core', 'kernel', 'linux'];

/** rpm architectures a kernel release ends in (uname -r of Fedora, RHEL, CentOS kernels). */
const KERNEL_ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x', 'i686', 'armv7hl', 'riscv64'];

/** `6.8.9-300.fc40.x86_64` → `x86_64`; null for a release without one (Photon's `5.10.4-15.ph4`). */
export function archOfRelease(release: string | null): string | null {
    const arch = release?.slice(release.lastIndexOf('.') + 1) ?? '';
    return KERNEL_ARCHES.includes(arch) ? arch : null;
}

/** uname -r of a kernel package's EVR: no epoch, the arch appended where known. */
export function kernelRelease(evr: string, arch: string | null): string {
    const vr = withoutEpoch(evr);
    return arch ? `${vr}.${arch}` : vr;
}

export interface KernelChange {
    from: string | null;
    to: string;
}

/**
 * The kernel change a package list shows: kernel-core (else kernel, linux) upgraded or
 * downgraded, or kernel-core added (a rebase onto a tree that splits the kernel differently).
 * rpm-ostree prints no arch without --changelogs, so the booted kernel's arch stands in.
 */
export function kernelChangeOf(changes: PackageChanges, bootedKernel: string | null): KernelChange | null {
    const bootedArch = archOfRelease(bootedKernel);
    for (const name of KERNEL_PACKAGES) {
        const modified = [...changes.upgraded, ...changes.downgraded].find(p => p.name === name);
        if (modified) {
            const arch = modified.arch ?? bootedArch;
            return { from: bootedKernel ?? kernelRelease(modified.from, arch), to: kernelRelease(modified.to, arch) };
        }
    }
    const added = changes.added.find(p => p.name === 'kernel-core');
    return added ? { from: bootedKernel, to: kernelRelease(added.evr, added.arch ?? bootedArch) } : null;
}

/** A kmod's kernel part and a kernel release name the same kernel (the release may lack its arch). */
export function sameKernel(kmodRelease: string, kernel: string): boolean {
    return kmodRelease === kernel || kmodRelease.startsWith(`${kernel}.`) || kernel.startsWith(`${kmodRelease}.`);
}

/** Names and EVRs the new deployment has, as far as the list shows: upgraded, downgraded (new side), added. */
export function newSide(changes: PackageChanges): { name: string, evr: string }[] {
    return [
        ...changes.upgraded.map(p => ({ name: p.name, evr: p.to })),
        ...changes.downgraded.map(p => ({ name: p.name, evr: p.to })),
        ...changes.added.map(p => ({ name: p.name, evr: p.evr })),
    ];
}

/** Names and EVRs the booted deployment had that changed: upgraded, downgraded (old side), removed. */
export function oldSide(changes: PackageChanges): { name: string, evr: string }[] {
    return [
        ...changes.upgraded.map(p => ({ name: p.name, evr: p.from })),
        ...changes.downgraded.map(p => ({ name: p.name, evr: p.from })),
        ...changes.removed.map(p => ({ name: p.name, evr: p.evr })),
    ];
}

/** The driver version one side shows: that of its most telling driver package. */
export function driverVersionOf(side: readonly { name: string, evr: string }[]): string | null {
    const ranked = side
        .map(p => ({ ...p, rank: driverPackageRank(p.name) }))
        .filter((p): p is { name: string, evr: string, rank: number } => p.rank !== null)
        .sort((a, b) => a.rank - b.rank);
    return ranked.length > 0 ? upstreamVersion(ranked[0].evr) : null;
}

export function mentionsNvidia(changes: PackageChanges): boolean {
    return [...newSide(changes), ...oldSide(changes)].some(p => isNvidiaPackage(p.name));
}
