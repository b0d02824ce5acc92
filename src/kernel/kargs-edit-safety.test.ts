import { NVIDIA_PRESETS, dangerousKarg, dangerousRemoval, managedKarg } from './kargs-edit-safety';
import { validateKarg } from './kargs-edit-validate';

function karg(text: string) {
    const check = validateKarg(text);
    if (!check.ok)
        throw new Error(check.reason);
    return check.karg;
}

test('ostree= and BOOT_IMAGE= are managed, other keys are not', () => {
    expect(managedKarg('ostree')).toContain('written by ostree');
    expect(managedKarg('BOOT_IMAGE')).toContain('boot loader');
    expect(managedKarg('BOOT-IMAGE')).toContain('boot loader');
    expect(managedKarg('root')).toBeNull();
    expect(managedKarg('ostree.prepare-root.composefs')).toBeNull();
});

describe('dangerousKarg warns about what leaves a headless box unbootable or less safe', () => {
    test.each([
        ['init=/bin/sh', 'init program'],
        ['rd.break', 'initramfs'],
        ['rd.break=pre-mount', 'initramfs'],
        ['emergency', 'emergency mode'],
        ['single', 'rescue'],
        ['1', 'rescue'],
        ['systemd.unit=rescue.target', 'rescue.target'],
        ['systemd.unit=emergency.target', 'emergency.target'],
        ['rd.systemd.unit="emergency.target"', 'emergency.target'],
        ['selinux=0', 'SELinux off'],
        ['enforcing=0', 'permissive'],
        ['root=/dev/sda9', 'root'],
        ['rd.driver.blacklist=nvidia', 'NVIDIA driver'],
        ['modprobe.blacklist=nouveau,nvidia-drm', 'NVIDIA driver'],
        ['module_blacklist=nvidia_uvm', 'NVIDIA driver'],
        ['nomodeset', 'nvidia-drm'],
        ['mitigations=off', 'mitigations'],
        ['module.sig_enforce=0', 'module signatures'],
        ['module.sig-enforce=0', 'module signatures'],
        ['lockdown=none', 'lockdown'],
    ])('%s', (text, expected) => {
        expect(dangerousKarg(karg(text))).toContain(expected);
    });

    test.each([
        'quiet', 'rhgb', 'systemd.unit=multi-user.target', 'selinux=1', 'enforcing=1', 'mitigations=auto',
        'rd.driver.blacklist=nouveau', 'modprobe.blacklist=nouveau', 'nvidia-drm.modeset=1', 'module.sig_enforce=1',
        'lockdown=integrity', 'console=ttyS0,115200n8',
    ])('%s is fine', text => {
        expect(dangerousKarg(karg(text))).toBeNull();
    });
});

test('removing root= is warned about, other removals are not', () => {
    expect(dangerousRemoval('root')).toContain('does not boot');
    expect(dangerousRemoval('quiet')).toBeNull();
});

test('the four NVIDIA presets, valid and not dangerous, ids stable', () => {
    expect(NVIDIA_PRESETS.map(p => [p.id, p.karg])).toEqual([
        ['rd-driver-blacklist-nouveau', 'rd.driver.blacklist=nouveau'],
        ['modprobe-blacklist-nouveau', 'modprobe.blacklist=nouveau'],
        ['nvidia-drm-modeset', 'nvidia-drm.modeset=1'],
        ['nvidia-drm-fbdev', 'nvidia-drm.fbdev=1'],
    ]);
    for (const preset of NVIDIA_PRESETS) {
        expect(dangerousKarg(karg(preset.karg))).toBeNull();
        expect(preset.purpose).not.toBe('');
    }
});
