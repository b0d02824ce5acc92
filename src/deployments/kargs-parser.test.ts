import { ParseError } from '../../pkg/lib/parse-error';
import { listFixtures, readFixture } from '../../test/unit/fixtures';
import { parseKargs, parseKargsChange, parseProcCmdline, splitKernelCmdline } from './kargs-parser';

const dir = 'kargs-cmdline';

test('the kernel\'s splitting: blanks separate, double quotes group and stay', () => {
    expect(splitKernelCmdline('  a b=c\t"d e" bar="hello world" x=" y  ')).toEqual(['a', 'b=c', '"d e"', 'bar="hello world"', 'x=" y  ']);
    expect(splitKernelCmdline('')).toEqual([]);
});

describe('rpm-ostree kargs', () => {
    test('with the old header line (fcos30), `$ignition_firstboot` kept literally', () => {
        expect(parseKargs(readFixture(`${dir}/rpm-ostree-kargs-show-fcos30-rpmostree1834.txt`))).toEqual([
            'console=tty0', 'console=ttyS0,115200n8', 'rootflags=defaults,prjquota', 'rw', '$ignition_firstboot',
            'root=UUID=a7419806-7b3f-45a6-8ae9-e0c96a73f86c',
            'ostree=/ostree/boot.0/fedora-coreos/cbf6671e03030cce364aa7620bbfcfddce9e98f1d6201c457bf940ef521de94c/0',
            'ignition.platform.id=qemu', 'nosmt',
        ]);
    });

    test('before and after a delete (atomic host 27)', () => {
        const before = parseKargs(readFixture(`${dir}/rpm-ostree-ex-kargs-show-fah27-atomicsite.txt`));
        const after = parseKargs(readFixture(`${dir}/rpm-ostree-ex-kargs-show-after-delete-fah27-atomicsite.txt`));
        expect(before).toHaveLength(8);
        expect(before.slice(0, 2)).toEqual(['no_timer_check', 'console=tty1']);
        expect(after).toHaveLength(6);
        expect(before.filter(a => !after.includes(a))).toEqual([
            'no_timer_check', 'console=tty1',
            'ostree=/ostree/boot.0/fedora-atomic/9a9b350be75846811cbb0b1fd7b3d42a49908ed1265bc59e292bb4a34674332c/0',
        ]);
    });

    test('the header-less form of current rpm-ostree (rpmostree_builtin_kargs prints the options alone)', () => {
        const line = readFixture(`${dir}/rpm-ostree-kargs-show-fcos30-rpmostree1834.txt`).split('\n')[1];
        expect(parseKargs(`${line}\n`)).toEqual(parseKargs(readFixture(`${dir}/rpm-ostree-kargs-show-fcos30-rpmostree1834.txt`)));
        // what `--append=bar="hello world"` (rhcos46 recording) leaves behind is one argument
        expect(parseKargs('rw bar="hello world" quiet\n')).toEqual(['rw', 'bar="hello world"', 'quiet']);
    });

    test.each([
        ['empty', ''],
        ['only the header', 'The kernel arguments are:\n'],
        ['two lines of arguments', 'rw quiet\nsplash\n'],
    ])('%s is a ParseError', (_name, text) => {
        expect(() => parseKargs(text)).toThrow(ParseError);
    });

    test('a failure is a ParseError naming it (not booted via libostree)', () => {
        expect(() => parseKargs(readFixture(`${dir}/rpm-ostree-kargs-error-not-booted-via-libostree-rpmostree3738.txt`)))
            .toThrow('rpm-ostree kargs failed: This system was not booted via libostree.');
    });
});

describe('/proc/cmdline', () => {
    test.each(listFixtures(dir).filter(f => f.includes('/proc-cmdline-')))('%s', file => {
        const args = parseProcCmdline(readFixture(file));
        expect(args[0]).toMatch(/^BOOT_IMAGE=\(hd0,(msdos|gpt)\d\)\/ostree\/.+\/vmlinuz-/);
        expect(args.filter(a => a.startsWith('ostree=/ostree/boot.'))).toHaveLength(1);
        expect(args.every(a => a.trim() === a && a !== '')).toBe(true);
    });

    test('spot checks, with and without the final newline', () => {
        expect(parseProcCmdline(readFixture(`${dir}/proc-cmdline-rhel94-image-mode.txt`)).slice(1))
            .toEqual(['rw', 'console=tty0', 'console=ttyS0', 'root=LABEL=root',
                'ostree=/ostree/boot.1/default/81dec1950eaf6e6762aa1f6e509104eaf342f51730155a0484d09fbc56a54044/0']);
        expect(parseProcCmdline(readFixture(`${dir}/proc-cmdline-rhel95-edge-nonl.txt`))).toHaveLength(5);
        expect(parseProcCmdline(readFixture(`${dir}/proc-cmdline-rhel85-edge.txt`))).toContain('crashkernel=auto');
    });

    test('an empty or multi-line file is a ParseError', () => {
        expect(() => parseProcCmdline('')).toThrow(ParseError);
        expect(() => parseProcCmdline('a\nb\n')).toThrow(ParseError);
    });
});

describe('the answer to a kernel-argument change', () => {
    test.each([
        'rpm-ostree-ex-kargs-append-fah27-atomicsite.txt',
        'rpm-ostree-ex-kargs-delete-fah27-atomicsite.txt',
    ])('updated, with the reboot hint: %s', file => {
        const change = parseKargsChange(readFixture(`${dir}/${file}`));
        expect(change).toMatchObject({ kind: 'updated', rebootHint: true });
        expect(change.kind === 'updated' && change.notes).toEqual([
            expect.stringMatching(/^Copying \/etc changes: /), 'Transaction complete; bootconfig swap: yes deployment count change: 0',
        ]);
    });

    test('updated into a staged deployment, the hint not quoted (rhcos46)', () => {
        expect(parseKargsChange(readFixture(`${dir}/rpm-ostree-kargs-append-staged-rhcos46-rpmostree2159.txt`)))
            .toEqual({ kind: 'updated', rebootHint: false, notes: ['Staging deployment... done'] });
    });

    test('nothing printed: nothing changed', () => {
        expect(parseKargsChange('')).toEqual({ kind: 'unchanged' });
    });

    test.each([
        ['rpm-ostree-kargs-delete-error-multiple-values-fcos30-rpmostree1834.txt', 'multiple-values', "Multiple values for key 'nosmt' found", []],
        ['rpm-ostree-kargs-error-no-karg-found-el9-rpmostree4718.txt', 'not-found', "No karg 'crashkernel=auto' found", []],
        ['rpm-ostree-kargs-editor-error-unchanged-silverblue35-sbissue217.txt', 'unchanged', 'The kernel arguments remained the same', []],
        ['rpm-ostree-kargs-error-not-booted-via-libostree-rpmostree3738.txt', 'not-ostree-booted', 'This system was not booted via libostree.',
            ['Currently, most rpm-ostree commands only work on ostree-based host systems.']],
    ])('refused: %s', (file, reason, message, detail) => {
        expect(parseKargsChange(readFixture(`${dir}/${file}`))).toEqual({ kind: 'error', reason, message, detail });
    });

    test('a transaction in the way is an error too (the plain recording, trailing space and all)', () => {
        expect(parseKargsChange(readFixture('rpm-ostree/error-transaction-in-progress-update-check-rpmostree4358.txt'))).toEqual({
            kind: 'error', reason: 'other', message: 'Transaction in progress: update --check',
            detail: ['You can cancel the current transaction with `rpm-ostree cancel`'],
        });
    });

    test('output that says neither is a ParseError (truncated before the verdict)', () => {
        const truncated = readFixture(`${dir}/rpm-ostree-ex-kargs-append-fah27-atomicsite.txt`).split('\n').slice(0, 2).join('\n');
        expect(() => parseKargsChange(truncated)).toThrow(ParseError);
        expect(() => parseKargsChange('garbage')).toThrow(ParseError);
    });
});
