// /proc/sys/kernel/tainted: a bit mask. The letters and names are the kernel's own
// (Documentation/admin-guide/tainted-kernels.rst). NVIDIA's proprietary module sets P,
// any out-of-tree module O, and an unsigned one E: that is how a kernel that loaded an
// unsigned driver says so. Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import type { Taint, TaintFlag } from './gpu';

const TOOL = '/proc/sys/kernel/tainted';

const FLAGS: readonly (readonly [string, string])[] = [
    ['P', 'proprietary module loaded'],
    ['F', 'module force loaded'],
    ['S', 'kernel running on an out of specification system'],
    ['R', 'module force unloaded'],
    ['M', 'processor reported a Machine Check Exception'],
    ['B', 'bad page referenced or unexpected page flags'],
    ['U', 'taint requested by userspace'],
    ['D', 'kernel died recently (OOPS or BUG)'],
    ['A', 'ACPI table overridden by user'],
    ['W', 'kernel issued a warning'],
    ['C', 'staging driver loaded'],
    ['I', 'workaround for a platform firmware bug applied'],
    ['O', 'externally built (out-of-tree) module loaded'],
    ['E', 'unsigned module loaded'],
    ['L', 'soft lockup occurred'],
    ['K', 'kernel live patched'],
    ['X', 'auxiliary taint (distribution defined)'],
    ['T', 'kernel built with the struct randomization plugin'],
    ['N', 'in-kernel test loaded'],
    ['J', 'userspace used a mutating debug operation in fwctl'],
];

export function parseTaint(text: string): Taint {
    const t = text.trim();
    if (!/^\d+$/.test(t))
        throw new ParseError(TOOL, 'not a number', text);
    const value = Number(t);
    if (!Number.isSafeInteger(value))
        throw new ParseError(TOOL, 'the number is out of range', text);
    const flags: TaintFlag[] = [];
    for (let bit = 0; bit < 53 && 2 ** bit <= value; bit++) {
        if (Math.floor(value / 2 ** bit) % 2 === 1) {
            const known = FLAGS[bit];
            flags.push({ bit, letter: known ? known[0] : '?', name: known ? known[1] : `taint bit ${bit}` });
        }
    }
    return { value, flags };
}
