// Whether pinning a kernel leaves the NVIDIA module behind. A prebuilt module (kmod-nvidia,
// Universal Blue's akmods images) is built for one kernel release: its vermagic names it,
// and the kernel refuses one whose vermagic differs ("nvidia: version magic '5.4.18-100.fc30…'
// should be '5.4.18-200.fc31…'", nvidia-driver/dmesg-version-magic-mismatch-*), or modprobe
// finds none for the new kernel at all (nvidia-driver/modprobe-fatal-module-not-found-new-kernel-*).
// Pinning another kernel with `override replace` therefore leaves the GPU without a driver
// unless a module for the pinned kernel comes along. The reason of an 'unknown' check is
// shown to the admin, so it is translated here. Pure.
import { _, format } from '../../pkg/lib/gettext';
import type { DeploymentInventory } from './kernel';

export type PinnedKernelModuleCheck =
    /** The deployment carries no NVIDIA module: nothing to leave behind. */
    | { kind: 'no-nvidia-module' }
    /** The module was built for the pinned kernel. */
    | { kind: 'module-matches', moduleVersion: string | null }
    /** The module is for another kernel: after the pin, nvidia.ko does not load. */
    | { kind: 'module-for-other-kernel', pinnedKernel: string, builtFor: string, moduleVersion: string | null }
    /** The module's vermagic could not be read: say so instead of guessing. */
    | { kind: 'unknown', reason: string };

/**
 * `pinnedKernel` is `uname -r` of the kernel the override installs (kernelRelease of its
 * kernel-core); `inventory` is the deployment the override is applied to, as it is now.
 */
export function pinnedKernelLeavesModule(pinnedKernel: string, inventory: Pick<DeploymentInventory, 'nvidia' | 'source'>): PinnedKernelModuleCheck {
    if (inventory.source === 'none')
        return { kind: 'unknown', reason: _("the deployment's tree could not be read") };
    const module = inventory.nvidia;
    if (!module)
        return { kind: 'no-nvidia-module' };
    if (!module.builtFor)
        // Translators: $0 is the path of the NVIDIA kernel module file
        return { kind: 'unknown', reason: format(_("the vermagic of $0 could not be read"), module.path) };
    if (module.builtFor === pinnedKernel)
        return { kind: 'module-matches', moduleVersion: module.version };
    return { kind: 'module-for-other-kernel', pinnedKernel, builtFor: module.builtFor, moduleVersion: module.version };
}

/** Whether the check is one to show in red before the override is applied. */
export function leavesModuleBehind(check: PinnedKernelModuleCheck): boolean {
    return check.kind === 'module-for-other-kernel';
}
