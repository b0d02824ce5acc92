// Kernel arguments: what `rpm-ostree kargs` shows, what `/proc/cmdline` says the running
// kernel got, and what `rpm-ostree kargs --append/--delete/--replace` answered. Pure;
// throws only ParseError.
import { ParseError } from '../../pkg/lib/parse-error';
import { cleanConsoleLine } from './transaction-output';

/**
 * Split a command line the way the kernel does (next_arg in linux lib/cmdline.c): blanks
 * separate arguments except inside double quotes, so `bar="hello world"` is one argument.
 * The quotes stay in the argument, as /proc/cmdline and `rpm-ostree kargs` show them and
 * as `--delete` must be given them back. An unclosed quote runs to the end, as in the kernel.
 */
export function splitKernelCmdline(line: string): string[] {
    const args: string[] = [];
    let current = '';
    let inQuote = false;
    for (const ch of line) {
        if (/\s/.test(ch) && !inQuote) {
            if (current !== '')
                args.push(current);
            current = '';
            continue;
        }
        if (ch === '"')
            inQuote = !inQuote;
        current += ch;
    }
    if (current !== '')
        args.push(current);
    return args;
}

const KARGS = 'rpm-ostree';

// rpm-ostree until ~2019 printed a header line first (kargs-cmdline/rpm-ostree-ex-kargs-show-*,
// rpm-ostree-kargs-show-fcos30-rpmostree1834.txt); current rpm-ostree prints the boot entry's
// options alone, `g_print ("%s\n", old_kernel_arg_string)` (rpmostree_builtin_kargs in
// src/app/rpmostree-builtin-kargs.cxx; tests/vmcheck/test-kernel-args.sh compares that line
// with the `options` of the BLS entry).
const HEADER = 'The kernel arguments are:';

/** `rpm-ostree kargs [--deploy-index=N]`: the deployment's kernel arguments. */
export function parseKargs(text: string): string[] {
    const lines = text.split('\n').map(l => l.trim()).filter(l => l !== '');
    const error = lines.find(l => l.startsWith('error: '));
    if (error)
        throw new ParseError(KARGS, `rpm-ostree kargs failed: ${error.slice('error: '.length)}`, text);
    const args = lines[0] === HEADER ? lines.slice(1) : lines;
    if (args.length === 0)
        throw new ParseError(KARGS, 'rpm-ostree kargs printed no kernel arguments', text);
    if (args.length > 1)
        throw new ParseError(KARGS, 'rpm-ostree kargs printed more than one line of arguments', text);
    return splitKernelCmdline(args[0]);
}

/** `/proc/cmdline`: one line, with or without its newline (kargs-cmdline/proc-cmdline-*). */
export function parseProcCmdline(text: string): string[] {
    const lines = text.split('\n').filter(l => l.trim() !== '');
    if (lines.length !== 1)
        throw new ParseError('/proc/cmdline', lines.length === 0 ? 'the file is empty' : 'the file has more than one line', text);
    return splitKernelCmdline(lines[0]);
}

// ---- the answer to a change ------------------------------------------------------------

/** Why rpm-ostree refused a kernel-argument change, for the view's wording. */
export type KargsErrorReason =
    /** `Multiple values for key 'nosmt' found` (…-delete-error-multiple-values-fcos30-rpmostree1834.txt) */
    | 'multiple-values'
    /** `No karg 'crashkernel=auto' found` (…-error-no-karg-found-el9-rpmostree4718.txt) */
    | 'not-found'
    /** `The kernel arguments remained the same` (--editor; …-editor-error-unchanged-silverblue35-sbissue217.txt) */
    | 'unchanged'
    /** `This system was not booted via libostree.` (…-error-not-booted-via-libostree-rpmostree3738.txt) */
    | 'not-ostree-booted'
    /** `Transaction in progress: …` and anything else. */
    | 'other';

export type KargsChange =
    /** A new deployment carries the arguments; they apply at the next boot. */
    | { kind: 'updated', rebootHint: boolean, notes: string[] }
    /**
     * Nothing printed: nothing changed (rpm-ostree prints nothing then, and exits 77 with
     * --unchanged-exit-77; end of rpmostree_builtin_kargs).
     */
    | { kind: 'unchanged' }
    | { kind: 'error', reason: KargsErrorReason, message: string, detail: string[] };

function reasonOf(message: string): KargsErrorReason {
    if (/^Multiple values for key '.*' found$/.test(message))
        return 'multiple-values';
    if (/^No karg '.*' found$/.test(message))
        return 'not-found';
    if (message === 'The kernel arguments remained the same')
        return 'unchanged';
    if (/^This system was not booted via libostree/.test(message))
        return 'not-ostree-booted';
    return 'other';
}

/** The output of `rpm-ostree kargs --append/--delete/--replace/...` (stdout and stderr together). */
export function parseKargsChange(text: string): KargsChange {
    const lines = text.split('\n').map(l => cleanConsoleLine(l).trim()).filter(l => l !== '');
    const errorAt = lines.findIndex(l => l.startsWith('error: '));
    if (errorAt >= 0) {
        const message = lines[errorAt].slice('error: '.length).trim();
        return { kind: 'error', reason: reasonOf(message), message, detail: lines.slice(errorAt + 1) };
    }
    if (lines.length === 0)
        return { kind: 'unchanged' };
    // `Kernel arguments updated.` then the reboot hint (rpmostree_builtin_kargs; the fah27
    // recordings); the rhcos46 recording shows it without the hint, as quoted
    const updated = lines.indexOf('Kernel arguments updated.');
    if (updated < 0)
        throw new ParseError(KARGS, 'rpm-ostree kargs did not say whether the arguments were updated', text);
    const hint = lines.findIndex(l => l === 'Run "systemctl reboot" to start a reboot');
    return { kind: 'updated', rebootHint: hint >= 0, notes: lines.filter((_l, i) => i !== updated && i !== hint) };
}
