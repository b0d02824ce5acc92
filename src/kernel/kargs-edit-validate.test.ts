import { COMMAND_LINE_MAX, hostValue, kernelKey, splitHostKarg, validateKarg } from './kargs-edit-validate';

function reason(text: string): string {
    const check = validateKarg(text);
    if (check.ok)
        throw new Error(`${JSON.stringify(text)} was accepted`);
    return check.reason;
}

describe('validateKarg accepts what the kernel takes', () => {
    test.each([
        ['quiet', 'quiet', null],
        ['rw', 'rw', null],
        ['nvidia-drm.modeset=1', 'nvidia-drm.modeset', '1'],
        ['rd.driver.blacklist=nouveau', 'rd.driver.blacklist', 'nouveau'],
        ['console=ttyS0,115200n8', 'console', 'ttyS0,115200n8'],
        ['root=UUID=a7419806-7b3f-45a6-8ae9-e0c96a73f86c', 'root', 'UUID=a7419806-7b3f-45a6-8ae9-e0c96a73f86c'],
        ['rd.lvm.lv=atomicos/root', 'rd.lvm.lv', 'atomicos/root'],
        ['isolcpus=1,2,10-20,100-2000:2/25', 'isolcpus', '1,2,10-20,100-2000:2/25'],
        ['video=1920x1080@60', 'video', '1920x1080@60'],
        ['empty=', 'empty', ''],
        // rpm-ostree's own example (kargs-cmdline/rpm-ostree-kargs-append-staged-rhcos46-rpmostree2159.txt)
        ['bar="hello world"', 'bar', 'hello world'],
        ['8250.nr_uarts=4', '8250.nr_uarts', '4'],
    ])('%s', (text, key, value) => {
        expect(validateKarg(text)).toEqual({ ok: true, karg: { key, value, text } });
    });

    test(`an argument of exactly ${COMMAND_LINE_MAX} characters`, () => {
        const text = `x=${'a'.repeat(COMMAND_LINE_MAX - 2)}`;
        expect(validateKarg(text).ok).toBe(true);
    });
});

describe('validateKarg refuses, each rule with its reason', () => {
    test.each([
        ['', 'empty'],
        ['   ', 'empty'],
        [`x=${'a'.repeat(COMMAND_LINE_MAX)}`, 'longer than 4096'],
        ['quiet\nreboot', 'line break'],
        ['quiet\r', 'line break'],
        ['\tquiet', 'control character U+0009'],
        ['a\u0000b', 'control character U+0000'],
        ['n\u043emodeset', 'non-ASCII character U+043E'],
        ['quiet\u200b', 'non-ASCII character U+200B'],
        ['-b', 'starts with "-"'],
        ['--', 'starts with "-"'],
        ['key="unbalanced', 'unbalanced double quote'],
        ['quiet;reboot', 'shell character ";"'],
        ['a&b', 'shell character "&"'],
        ['a|b', 'shell character "|"'],
        ['`id`', 'shell character "`"'],
        ['x=$HOME', 'shell character "$"'],
        ['a<b', 'shell character "<"'],
        ['a>b', 'shell character ">"'],
        ['f(x)', 'shell character "("'],
        ['a\\b', 'shell character "\\"'],
        ['=value', 'no name'],
        ['"quiet"', 'may only wrap the value'],
        ['a b', 'blank outside double quotes'],
        ['key=a b', 'blank outside double quotes'],
        ['key=a"b"', 'may only wrap the whole value'],
        ['key="a"b', 'may only wrap the whole value'],
        ['key="a""b"', 'double quote inside its quotes'],
        ["key='a'", 'do not use here'],
        ['key=*', 'do not use here'],
        ['ke*y=1', 'names do not use'],
    ])('%j', (text, expected) => {
        expect(reason(text)).toContain(expected);
    });
});

test('kernelKey: "-" and "_" are the same in parameter names', () => {
    expect(kernelKey('nvidia-drm.modeset')).toBe(kernelKey('nvidia_drm.modeset'));
    expect(kernelKey('print-fatal-signals')).toBe('print_fatal_signals');
});

test('host arguments are split at the first "=" and keep their quotes', () => {
    expect(splitHostKarg('root=UUID=x')).toEqual({ key: 'root', rawValue: 'UUID=x' });
    expect(splitHostKarg('$ignition_firstboot')).toEqual({ key: '$ignition_firstboot', rawValue: null });
    expect(splitHostKarg('bar="hello world"')).toEqual({ key: 'bar', rawValue: '"hello world"' });
    expect(hostValue('"hello world"')).toBe('hello world');
    expect(hostValue('"')).toBe('"');
    expect(hostValue(null)).toBeNull();
});
