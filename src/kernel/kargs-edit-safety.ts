// What the page knows about particular kernel arguments: the ones ostree owns (never
// edited here), the ones known to leave a headless GPU box unbootable, unreachable or
// less safe (shown as a warning, the admin may still go ahead), and the NVIDIA presets.
// The reasons and the presets' purposes are shown to the admin as they are, so they are
// translated here. Pure.
import { _, format } from '../../pkg/lib/gettext';
import { kernelKey } from './kargs-edit-validate';

/**
 * Arguments ostree and the boot loader write for every boot entry: `ostree=` points
 * the initramfs at the deployment (ostree-prepare-root) and `BOOT_IMAGE=` is GRUB's
 * (ostree's own kargs code filters it from /proc/cmdline: ostree_kernel_args_append_proc_cmdline
 * in src/libostree/ostree-kernel-args.c). Changing either by hand breaks the entry.
 */
export function managedKarg(key: string): string | null {
    switch (kernelKey(key)) {
    case 'ostree':
        return _("ostree= is written by ostree for each deployment and points the initramfs at it; it cannot be edited here");
    case 'BOOT_IMAGE':
        return _("BOOT_IMAGE= is set by the boot loader for the kernel it loaded; it cannot be edited here");
    default:
        return null;
    }
}

function listNames(value: string | null): string[] {
    return (value ?? '').split(',').map(m => kernelKey(m.trim()));
}

// rescue and emergency targets: systemd's kernel-command-line(7) ("systemd.unit=",
// "rescue, rd.rescue, single, s, S, 1", "emergency, rd.emergency, -b")
const RESCUE_UNITS = ['rescue.target', 'emergency.target'];
const RESCUE_WORDS = ['single', 's', 'S', '1', 'rescue', 'rd.rescue', 'emergency', 'rd.emergency', '-b'];

/** A short reason to warn about an argument about to be added, or null. */
export function dangerousKarg(karg: { key: string, value: string | null }): string | null {
    const key = kernelKey(karg.key);
    const value = karg.value;
    // bare words systemd reads as "boot into rescue/emergency mode"
    if (value === null && RESCUE_WORDS.includes(karg.key))
        return _("boots into rescue or emergency mode, which waits for a password on the console: a headless box does not come up on the network (systemd kernel-command-line(7))");
    switch (key) {
    case 'init':
        // kernel-parameters.txt "init=": the program run instead of /sbin/init
        return _("replaces the init program; a wrong path or a shell leaves the box unbootable or without its services (kernel-parameters.txt, init=)");
    case 'rd.break':
        return _("stops the boot in the initramfs and waits at a shell on the console (dracut.cmdline(7), rd.break)");
    case 'systemd.unit':
    case 'rd.systemd.unit':
        if (value !== null && RESCUE_UNITS.includes(value))
            // Translators: $0 is a systemd target, rescue.target or emergency.target
            return format(_("boots into $0, which waits for a password on the console: a headless box does not come up on the network (systemd kernel-command-line(7), systemd.unit=)"), value);
        return null;
    case 'selinux':
        return value === '0' ? _("turns SELinux off; turning it back on needs a full relabel (kernel-parameters.txt, selinux=)") : null;
    case 'enforcing':
        return value === '0' ? _("puts SELinux in permissive mode: denials are logged, not enforced (kernel-parameters.txt, enforcing=)") : null;
    case 'root':
        return _("changes which filesystem the initramfs mounts as root; a wrong value leaves the box unbootable (kernel-parameters.txt, root=; dracut.cmdline(7))");
    case 'rd.driver.blacklist':
    case 'modprobe.blacklist':
    case 'module_blacklist':
        // dracut.cmdline(7) rd.driver.blacklist=, modprobe.d(5) modprobe.blacklist=,
        // kernel-parameters.txt module_blacklist=
        return listNames(value).some(m => m.startsWith('nvidia'))
            ? _("keeps the NVIDIA driver from loading: the GPUs stay without a driver")
            : null;
    case 'nomodeset':
        // kernel-parameters.txt: "With nomodeset, DRM and fbdev drivers will not load if
        // they could possibly displace the pre-initialized output"
        return _("disables kernel modesetting: NVIDIA's DRM driver (nvidia-drm) then gets no modesetting (kernel-parameters.txt, nomodeset)");
    case 'mitigations':
        return value === 'off' ? _("turns off the CPU vulnerability mitigations (Spectre, Meltdown and the rest) (kernel-parameters.txt, mitigations=)") : null;
    case 'module.sig_enforce':
        // kernel/module/signing.c declares it bool_enable_only: it can be switched on, never off
        return value === '0'
            ? _("asks to stop enforcing module signatures; the kernel only lets this be switched on, so it changes nothing and does not make an unsigned NVIDIA module load (kernel/module/signing.c)")
            : null;
    case 'lockdown':
        // security/lockdown/lockdown.c lockdown_param() accepts integrity and confidentiality only
        return value !== 'integrity' && value !== 'confidentiality'
            ? _("asks to lift kernel lockdown; the kernel only accepts lockdown=integrity or lockdown=confidentiality, so this changes nothing and Secure Boot still locks the kernel down (security/lockdown/lockdown.c)")
            : null;
    default:
        return null;
    }
}

/** Why removing an argument is risky, or null (only removals that break booting). */
export function dangerousRemoval(key: string): string | null {
    return kernelKey(key) === 'root'
        ? _("removes root=: the initramfs then does not know which filesystem to mount and the box does not boot (dracut.cmdline(7), root=)")
        : null;
}

export interface KargPreset {
    /** Stable id for the view's labels and tests. */
    id: 'rd-driver-blacklist-nouveau' | 'modprobe-blacklist-nouveau' | 'nvidia-drm-modeset' | 'nvidia-drm-fbdev';
    karg: string;
    /**
     * What it is for, in one line, translated: a getter in NVIDIA_PRESETS, so it is translated
     * when read, not when the table is built at load time. Shown as it is, without _().
     */
    purpose: string;
}

/** The NVIDIA presets of issue 5 (item 6). */
export const NVIDIA_PRESETS: readonly KargPreset[] = [
    {
        id: 'rd-driver-blacklist-nouveau',
        karg: 'rd.driver.blacklist=nouveau',
        get purpose() { return _("Keeps nouveau out of the initramfs (dracut), so it cannot take the GPU before the NVIDIA driver loads"); },
    },
    {
        id: 'modprobe-blacklist-nouveau',
        karg: 'modprobe.blacklist=nouveau',
        get purpose() { return _("Keeps modprobe from loading nouveau once the real root is mounted"); },
    },
    {
        id: 'nvidia-drm-modeset',
        karg: 'nvidia-drm.modeset=1',
        get purpose() { return _("Turns on kernel modesetting in nvidia-drm, which Wayland compositors and a DRM console need"); },
    },
    {
        id: 'nvidia-drm-fbdev',
        karg: 'nvidia-drm.fbdev=1',
        // "Newer nvidia drivers (>=545) are now providing a framebuffer device, but it's
        // disabled by default" (canonical/ubuntu-drivers-common pull request 101)
        get purpose() { return _("Gives nvidia-drm its own framebuffer console device (drivers 545 and newer; off by default there)"); },
    },
];
