import { ActionNotPossible } from '../deployments/actions';
import { parseKargs, parseProcCmdline } from '../deployments/kargs-parser';
import { listFixtures, readFixture } from '../../test/unit/fixtures';
import { type KargsPlan, applyKargsPlan, kargsArgv, planKargs, planWarnings, validateKarg } from './kargs-edit';

const fcos30 = parseKargs(readFixture('kargs-cmdline/rpm-ostree-kargs-show-fcos30-rpmostree1834.txt'));
const fah27 = parseKargs(readFixture('kargs-cmdline/rpm-ostree-ex-kargs-show-fah27-atomicsite.txt'));
const fah27After = parseKargs(readFixture('kargs-cmdline/rpm-ostree-ex-kargs-show-after-delete-fah27-atomicsite.txt'));

function plan(current: readonly string[], desired: readonly string[]): KargsPlan {
    const result = planKargs(current, desired);
    if (!result.ok)
        throw new Error(result.reason);
    return result.plan;
}

function sorted(list: readonly string[]): string[] {
    return [...list].sort();
}

const EMPTY: KargsPlan = { append: [], delete: [], replace: [] };

// Strings an attacker, a paste accident or a confused admin could put in the field.
const HOSTILE = [
    'quiet; rm -rf /',
    'quiet && reboot',
    'quiet || reboot',
    'a|nc evil 80',
    '`reboot`',
    '$(reboot)',
    '${IFS}reboot',
    'init=$SHELL',
    'x=a>/etc/passwd',
    'x=a</etc/shadow',
    '(reboot)',
    'a\\nb',
    'quiet\nreboot',
    'quiet\r\nreboot',
    'quiet\treboot',
    'nul\u0000byte',
    'bell\u0007',
    'del\u007f',
    'quiet reboot',
    ' quiet',
    'quiet ',
    'key="unbalanced',
    'key=unbalanced"',
    '"quiet"',
    'key="a" b="c"',
    'key="a"b',
    "key='a b'",
    '--append=init=/bin/sh',
    '-b',
    '--',
    '=value',
    '',
    '\uff4e\uff4f\uff4d\uff4f\uff44\uff45\uff53\uff45\uff54', // fullwidth "nomodeset"
    'n\u043emodeset', // Cyrillic "о"
    'quiet\u200b', // zero-width space
    'root=\u202e/dev/sda', // right-to-left override
    'a\u00a0b', // no-break space
    '\u2013append=x', // en dash
    'a\u2028b', // line separator
    'emoji=\ud83d\ude00',
    `long=${'a'.repeat(5000)}`,
    'x=*',
    'x=?',
    'x=[a]',
    'x={a,b}',
    'x=!1',
    'x=#1',
    'x=~root',
];

describe('hostile strings never reach argv', () => {
    test('at least 30 of them', () => {
        expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
    });

    test.each(HOSTILE.map(h => [JSON.stringify(h).slice(0, 40), h]))('%s', (_name, hostile) => {
        expect(validateKarg(hostile).ok).toBe(false);
        const result = planKargs(fah27, [...fah27, hostile]);
        expect(result.ok).toBe(false);
        // nor through a hand-made plan
        expect(() => kargsArgv({ append: [hostile], delete: [], replace: [] })).toThrow(ActionNotPossible);
    });

    // as the new value of a --replace: those that are not harmless value text ("-b", "" and
    // "=value" are fine values, `quiet=-b` is one argument)
    test.each(HOSTILE.filter(h => !['-b', '--', '', '=value', '"quiet"', '--append=init=/bin/sh'].includes(h))
        .map(h => [JSON.stringify(h).slice(0, 40), h]))('as a --replace value: %s', (_name, hostile) => {
        expect(() => kargsArgv({ append: [], delete: [], replace: [{ key: 'quiet', from: '1', to: hostile }] })).toThrow(ActionNotPossible);
    });

    test('a refusal quotes the argument escaped and cut short', () => {
        const result = planKargs([], ['quiet\nreboot']);
        expect(result).toEqual({ ok: false, reason: '"quiet\\nreboot": the argument contains a line break' });
        const long = planKargs([], [`x=${'$'.repeat(5000)}`]);
        expect(!long.ok && long.reason.length).toBeLessThan(200);
        const bidi = planKargs([], ['root=\u202e/dev/sda']);
        expect(bidi).toEqual({ ok: false, reason: '"root=\\u202e/dev/sda": the argument contains the non-ASCII character U+202E' });
    });
});

describe('recorded arguments round-trip: nothing changed gives an empty plan', () => {
    const recordings = [
        ...listFixtures('kargs-cmdline').filter(f => f.includes('/proc-cmdline-')).map(f => [f, parseProcCmdline(readFixture(f))] as const),
        ...listFixtures('kargs-cmdline').filter(f => /kargs-show/.test(f)).map(f => [f, parseKargs(readFixture(f))] as const),
        ['nvidia-driver/proc-cmdline-modprobe-blacklist-nouveau-kubevirt45.txt',
            parseProcCmdline(readFixture('nvidia-driver/proc-cmdline-modprobe-blacklist-nouveau-kubevirt45.txt'))] as const,
    ];

    test.each(recordings)('%s', (_file, args) => {
        expect(plan(args, args)).toEqual(EMPTY);
        expect(() => kargsArgv(plan(args, args))).toThrow('nothing to change');
        // the host's own odd arguments ($ignition_firstboot, BOOT_IMAGE=(hd0,gpt3)/…) stay untouched
        expect(plan(args, [...args].reverse())).toEqual(EMPTY);
    });

    test('the recorded delete (atomic host 27) is planned as the two --delete the blog ran', () => {
        const p = plan(fah27, fah27After.filter(a => !a.startsWith('ostree=')).concat(fah27.filter(a => a.startsWith('ostree='))));
        expect(p).toEqual({ append: [], delete: ['no_timer_check', 'console=tty1'], replace: [] });
        expect(kargsArgv(p)).toEqual(['rpm-ostree', 'kargs', '--delete=no_timer_check', '--delete=console=tty1']);
    });
});

describe('planKargs', () => {
    test('the NVIDIA presets appended to FCOS 30', () => {
        const presets = ['rd.driver.blacklist=nouveau', 'modprobe.blacklist=nouveau', 'nvidia-drm.modeset=1'];
        const p = plan(fcos30, [...fcos30, ...presets]);
        expect(p).toEqual({ append: presets, delete: [], replace: [] });
        expect(kargsArgv(p)).toEqual([
            'rpm-ostree', 'kargs',
            '--append=rd.driver.blacklist=nouveau', '--append=modprobe.blacklist=nouveau', '--append=nvidia-drm.modeset=1',
        ]);
        expect(planWarnings(p)).toEqual([]);
    });

    test('one value changed is a --replace=KEY=VALUE=NEWVALUE in place', () => {
        const desired = fcos30.map(a => a === 'console=ttyS0,115200n8' ? 'console=ttyS1,9600' : a);
        const p = plan(fcos30, desired);
        expect(p).toEqual({ append: [], delete: [], replace: [{ key: 'console', from: 'ttyS0,115200n8', to: 'ttyS1,9600' }] });
        expect(kargsArgv(p)).toEqual(['rpm-ostree', 'kargs', '--replace=console=ttyS0,115200n8=ttyS1,9600']);
        expect(applyKargsPlan(fcos30, p)).toEqual(desired);
    });

    test('an old value with "=" in it cannot be a --replace: delete and append instead', () => {
        const desired = fcos30.map(a => a.startsWith('root=') ? 'root=UUID=0b1e8e8c-6d5e-4f4a-9b47-1c2b3a4d5e6f' : a);
        const p = plan(fcos30, desired);
        expect(p.replace).toEqual([]);
        expect(p.delete).toEqual(['root=UUID=a7419806-7b3f-45a6-8ae9-e0c96a73f86c']);
        expect(p.append).toEqual(['root=UUID=0b1e8e8c-6d5e-4f4a-9b47-1c2b3a4d5e6f']);
        expect(sorted(applyKargsPlan(fcos30, p))).toEqual(sorted(desired));
        expect(planWarnings(p).map(w => w.arg)).toEqual(['root=UUID=0b1e8e8c-6d5e-4f4a-9b47-1c2b3a4d5e6f']);
    });

    test('a key with several values: each removal names its value', () => {
        // fcos30 has console=tty0 and console=ttyS0,115200n8
        const p = plan(fcos30, fcos30.filter(a => !a.startsWith('console=')));
        expect(p).toEqual({ append: [], delete: ['console=tty0', 'console=ttyS0,115200n8'], replace: [] });
        expect(kargsArgv(p)).toContain('--delete=console=tty0');
        expect(kargsArgv(p)).not.toContain('--delete=console');
    });

    test('one of two values changed, the other kept', () => {
        const desired = fcos30.map(a => a === 'console=tty0' ? 'console=tty1' : a);
        const p = plan(fcos30, desired);
        expect(p.replace).toEqual([{ key: 'console', from: 'tty0', to: 'tty1' }]);
        expect(applyKargsPlan(fcos30, p)).toEqual(desired);
    });

    test('two values of one key changed at once go as deletes and appends', () => {
        const desired = [...fcos30.filter(a => !a.startsWith('console=')), 'console=tty1', 'console=ttyS1'];
        const p = plan(fcos30, desired);
        expect(p.replace).toEqual([]);
        expect(sorted(p.delete)).toEqual(['console=tty0', 'console=ttyS0,115200n8']);
        expect(p.append).toEqual(['console=tty1', 'console=ttyS1']);
        expect(sorted(applyKargsPlan(fcos30, p))).toEqual(sorted(desired));
    });

    test('a bare key given a value, and back', () => {
        const p = plan(['quiet', 'rw'], ['quiet=1', 'rw']);
        expect(p).toEqual({ append: ['quiet=1'], delete: ['quiet'], replace: [] });
        expect(plan(['quiet=1'], ['quiet'])).toEqual({ append: ['quiet'], delete: ['quiet=1'], replace: [] });
    });

    test('quoted values keep their quotes in --replace, as ostree stores them', () => {
        const p = plan(['rw', 'bar="hello world"'], ['rw', 'bar="hello there"']);
        expect(kargsArgv(p)).toEqual(['rpm-ostree', 'kargs', '--replace=bar="hello world"="hello there"']);
    });

    test('duplicates in desired are refused, kernel-equivalent keys included', () => {
        expect(planKargs(fcos30, [...fcos30, 'quiet', 'quiet'])).toMatchObject({ ok: false, reason: expect.stringContaining('more than once') });
        expect(planKargs(fcos30, [...fcos30, 'nosmt'])).toMatchObject({ ok: false, reason: expect.stringContaining('"nosmt" is there more than once') });
        expect(planKargs([], ['nvidia-drm.modeset=1', 'nvidia_drm.modeset=1'])).toMatchObject({ ok: false });
        expect(planKargs([], ['x="a"', 'x=a'])).toMatchObject({ ok: false });
        // the host's own duplicates (rpm-ostree issue 1834 had nosmt twice) may stay
        expect(plan(['nosmt', 'nosmt'], ['nosmt', 'nosmt'])).toEqual(EMPTY);
        expect(plan(['nosmt', 'nosmt'], ['nosmt'])).toEqual({ append: [], delete: ['nosmt'], replace: [] });
    });

    test('managed keys are refused, added, removed or changed', () => {
        const ostree = fcos30.find(a => a.startsWith('ostree='));
        expect(planKargs(fcos30, fcos30.filter(a => a !== ostree))).toMatchObject({ ok: false, reason: expect.stringContaining('ostree=') });
        expect(planKargs(fcos30, [...fcos30.filter(a => a !== ostree), 'ostree=/ostree/boot.1/x/y/0'])).toMatchObject({ ok: false });
        expect(planKargs(fcos30, [...fcos30, 'BOOT_IMAGE=/vmlinuz'])).toMatchObject({ ok: false, reason: expect.stringContaining('BOOT_IMAGE') });
        expect(() => kargsArgv({ append: [], delete: [ostree ?? ''], replace: [] })).toThrow('ostree=');
    });

    test('a command line longer than 4096 characters is refused', () => {
        const long = Array.from({ length: 9 }, (_v, i) => `k${i}=${'a'.repeat(500)}`);
        expect(planKargs(fcos30, [...fcos30, ...long])).toMatchObject({ ok: false, reason: expect.stringContaining('4096') });
    });

    test('host arguments that would not validate can still be removed', () => {
        const p = plan(fcos30, fcos30.filter(a => a !== '$ignition_firstboot'));
        expect(kargsArgv(p)).toEqual(['rpm-ostree', 'kargs', '--delete=$ignition_firstboot']);
    });

    test('dangerous additions come back as warnings', () => {
        const p = plan(fcos30, [...fcos30, 'nomodeset', 'systemd.unit=rescue.target']);
        expect(planWarnings(p).map(w => w.arg)).toEqual(['nomodeset', 'systemd.unit=rescue.target']);
        const noRoot = plan(fcos30, fcos30.filter(a => !a.startsWith('root=')));
        expect(planWarnings(noRoot)[0].reason).toContain('root=');
    });
});

describe('kargsArgv checks a hand-made plan', () => {
    test('empty', () => {
        expect(() => kargsArgv(EMPTY)).toThrow(ActionNotPossible);
    });

    test('a --replace whose old value has "="', () => {
        expect(() => kargsArgv({ append: [], delete: [], replace: [{ key: 'root', from: 'UUID=a', to: 'UUID=b' }] })).toThrow('contains "="');
    });

    test('a delete that is not one argument', () => {
        expect(() => kargsArgv({ append: [], delete: ['quiet rw'], replace: [] })).toThrow('not one kernel argument');
        expect(() => kargsArgv({ append: [], delete: ['quiet\nrw'], replace: [] })).toThrow('control');
        expect(() => kargsArgv({ append: [], delete: [''], replace: [] })).toThrow('empty');
    });

    test('the argv order: --append, --delete, --replace; with a delete, a replace becomes delete + append', () => {
        expect(kargsArgv({ append: ['nvidia-drm.fbdev=1'], delete: [], replace: [{ key: 'console', from: 'tty0', to: 'tty1' }] })).toEqual([
            'rpm-ostree', 'kargs', '--append=nvidia-drm.fbdev=1', '--replace=console=tty0=tty1',
        ]);
        expect(kargsArgv({ append: ['nvidia-drm.fbdev=1'], delete: ['rhgb'], replace: [{ key: 'console', from: 'tty0', to: 'tty1' }] })).toEqual([
            'rpm-ostree', 'kargs', '--append=nvidia-drm.fbdev=1', '--append=console=tty1', '--delete=rhgb', '--delete=console=tty0',
        ]);
    });
});

test('a delete and a replace never share one rpm-ostree kargs call', () => {
    const result = planKargs(['quiet', 'rhgb', 'nvidia-drm.modeset=0'], ['rhgb', 'nvidia-drm.modeset=1']);
    expect(result.ok).toBe(true);
    if (!result.ok)
        return;
    const argv = kargsArgv(result.plan);
    expect(argv.some(a => a.startsWith('--replace='))).toBe(false);
    expect(argv).toEqual(expect.arrayContaining(['--delete=quiet', '--delete=nvidia-drm.modeset=0', '--append=nvidia-drm.modeset=1']));
    // alone, a replacement stays one
    const only = planKargs(['nvidia-drm.modeset=0'], ['nvidia-drm.modeset=1']);
    expect(only.ok && kargsArgv(only.plan)).toEqual(['rpm-ostree', 'kargs', '--replace=nvidia-drm.modeset=0=1']);
});
