// Kernel-argument editing: the difference between the arguments a deployment has
// (`rpm-ostree kargs`, parsed by parseKargs) and the ones the admin wants, as the one
// `rpm-ostree kargs --append/--delete/--replace` transaction that gets there. The
// validator and the per-argument rules live in kargs-edit-validate.ts and
// kargs-edit-safety.ts; this file re-exports them so the view has one import. Reasons
// and warnings are shown to the admin as they are, so they are translated here. Pure.
import { _, format } from '../../pkg/lib/gettext';
import { ActionNotPossible } from '../deployments/actions';
import { COMMAND_LINE_MAX, hostValue, kernelKey, splitHostKarg, validateKarg } from './kargs-edit-validate';
import { dangerousKarg, dangerousRemoval, managedKarg } from './kargs-edit-safety';

export { COMMAND_LINE_MAX, kernelKey, validateKarg, type Karg, type KargCheck } from './kargs-edit-validate';
export { NVIDIA_PRESETS, dangerousKarg, dangerousRemoval, managedKarg, type KargPreset } from './kargs-edit-safety';

/** `--replace=KEY=FROM=TO`: values as written, quotes included, since ostree compares them so. */
export interface KargReplace {
    key: string;
    from: string;
    to: string;
}

export interface KargsPlan {
    /** Whole arguments for `--append=`. */
    append: string[];
    /** Whole arguments (`key=value`, or `key` alone) for `--delete=`. */
    delete: string[];
    replace: KargReplace[];
}

export type KargsPlanResult =
    | { ok: true, plan: KargsPlan }
    | { ok: false, reason: string };

function refuse(reason: string): KargsPlanResult {
    return { ok: false, reason };
}

/**
 * An argument quoted for a message, cut to a readable length, with line breaks, controls
 * and everything outside ASCII escaped: a bidi override must not reorder the message.
 */
function shown(arg: string): string {
    const quoted = JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}...` : arg);
    return quoted.replace(/[\u007f-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `"arg": reason`, the argument shown as in every message. */
function argumentProblem(arg: string, reason: string): string {
    // Translators: $0 is a kernel argument in double quotes, $1 why it is refused
    return format(_("$0: $1"), shown(arg), reason);
}

function counts(list: readonly string[]): Map<string, number> {
    const map = new Map<string, number>();
    for (const item of list)
        map.set(item, (map.get(item) ?? 0) + 1);
    return map;
}

/** The items of `a` left once each item of `b` has cancelled one equal item (a multiset difference, in a's order). */
function minus(a: readonly string[], b: readonly string[]): string[] {
    const left = counts(b);
    return a.filter(item => {
        const n = left.get(item) ?? 0;
        if (n === 0)
            return true;
        left.set(item, n - 1);
        return false;
    });
}

/** What makes two arguments the same for the kernel: the key with `-` = `_`, and the unquoted value. */
function sameness(arg: string): string {
    const { key, rawValue } = splitHostKarg(arg);
    const value = hostValue(rawValue);
    return `${kernelKey(key)}\u0000${value === null ? '\u0001' : value}`;
}

function isEmpty(plan: KargsPlan): boolean {
    return plan.append.length === 0 && plan.delete.length === 0 && plan.replace.length === 0;
}

/**
 * From `current` to `desired`, both lists of whole arguments as rpm-ostree prints them.
 * Arguments kept as they are pass unchecked (they are the host's: FCOS carries
 * `$ignition_firstboot`); every new one must pass validateKarg.
 */
export function planKargs(current: readonly string[], desired: readonly string[]): KargsPlanResult {
    const removed = minus(current, desired);
    const added = minus(desired, current);

    for (const arg of added) {
        const check = validateKarg(arg);
        if (!check.ok)
            return refuse(argumentProblem(arg, check.reason));
    }
    for (const arg of [...removed, ...added]) {
        const managed = managedKarg(splitHostKarg(arg).key);
        if (managed)
            return refuse(managed);
    }

    // the same argument twice (`nosmt nosmt`, or `nvidia-drm.modeset=1 nvidia_drm.modeset=1`)
    // is refused, unless the host already had it that way and the admin left it alone
    const before = counts(current.map(sameness));
    const after = counts(desired.map(sameness));
    for (const arg of added) {
        const n = after.get(sameness(arg)) ?? 0;
        if (n > 1 && n > (before.get(sameness(arg)) ?? 0))
            // Translators: $0 is a kernel argument in double quotes
            return refuse(format(_("$0 is there more than once"), shown(arg)));
    }
    if (desired.join(' ').length > COMMAND_LINE_MAX)
        return refuse(format(_("the kernel command line would be longer than $0 characters"), COMMAND_LINE_MAX));

    const plan: KargsPlan = { append: [], delete: [], replace: [] };
    const keysOf = (list: string[]) => new Set(list.map(a => splitHostKarg(a).key));
    const removedKeys = keysOf(removed);
    for (const key of removedKeys) {
        const gone = removed.filter(a => splitHostKarg(a).key === key);
        const come = added.filter(a => splitHostKarg(a).key === key);
        const from = gone.length === 1 ? splitHostKarg(gone[0]).rawValue : null;
        const to = come.length === 1 ? splitHostKarg(come[0]).rawValue : null;
        // ostree splits `KEY=FROM=TO` at the first two "=" (ostree_kernel_args_new_replace
        // in src/libostree/ostree-kernel-args.c), so FROM must hold none; bare keys and
        // several values per key go as delete + append, which always says exactly what
        if (from !== null && to !== null && !from.includes('=')) {
            plan.replace.push({ key, from, to });
            continue;
        }
        // `--delete=key` is refused once the key has several entries ("Multiple values for
        // key 'nosmt' found", kargs-cmdline/rpm-ostree-kargs-delete-error-multiple-values-*),
        // so each removal names its whole argument, value included
        plan.delete.push(...gone);
        plan.append.push(...come);
    }
    for (const arg of added) {
        if (!removedKeys.has(splitHostKarg(arg).key))
            plan.append.push(arg);
    }
    return { ok: true, plan };
}

/** Host text safe to hand back to rpm-ostree: one argument, nothing a terminal or argv parser would trip on. */
function hostArgProblem(arg: string): string | null {
    if (arg === '')
        return _("an empty argument");
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\uffff]/.test(arg))
        // Translators: $0 is a kernel argument in double quotes
        return format(_("$0 has control or non-ASCII characters"), shown(arg));
    const outsideQuotes = arg.replace(/"[^"]*"/g, '');
    if (outsideQuotes.includes('"') || /\s/.test(outsideQuotes))
        // Translators: $0 is a kernel argument in double quotes
        return format(_("$0 is not one kernel argument"), shown(arg));
    return null;
}

/**
 * `rpm-ostree kargs --delete=… --replace=KEY=VALUE=NEWVALUE … --append=…`, one
 * transaction (the `--replace` form is rpm-ostree's own: the option's argument
 * description "KEY=VALUE=NEWVALUE" in src/app/rpmostree-builtin-kargs.cxx and
 * rpm-ostree-kargs(1)). Checks the plan again, since a plan is plain data: throws
 * ActionNotPossible for an empty or unsafe one.
 */
export function kargsArgv(plan: KargsPlan): string[] {
    if (isEmpty(plan))
        throw new ActionNotPossible(_("nothing to change: the kernel arguments are the same"));
    for (const arg of plan.append) {
        const check = validateKarg(arg);
        if (!check.ok)
            throw new ActionNotPossible(argumentProblem(arg, check.reason));
    }
    for (const r of plan.replace) {
        const check = validateKarg(`${r.key}=${r.to}`);
        if (!check.ok)
            throw new ActionNotPossible(argumentProblem(`${r.key}=${r.to}`, check.reason));
        const problem = hostArgProblem(`${r.key}=${r.from}`);
        if (problem)
            throw new ActionNotPossible(problem);
        if (r.from.includes('='))
            // Translators: $0 is the old value of a kernel argument, in double quotes
            throw new ActionNotPossible(format(_("--replace cannot name the old value $0: it contains \"=\""), shown(r.from)));
    }
    for (const arg of plan.delete) {
        const problem = hostArgProblem(arg);
        if (problem)
            throw new ActionNotPossible(problem);
    }
    for (const key of [...plan.append, ...plan.delete].map(a => splitHostKarg(a).key).concat(plan.replace.map(r => r.key))) {
        const managed = managedKarg(key);
        if (managed)
            throw new ActionNotPossible(managed);
    }
    // rpm-ostree's client refuses --delete with --replace in one call ("Cannot specify both
    // --delete and --replace", src/app/rpmostree-builtin-kargs.cxx): then each replacement
    // goes as the delete of its old value and the append of its new one
    const split = plan.delete.length > 0 && plan.replace.length > 0;
    const append = split ? [...plan.append, ...plan.replace.map(r => `${r.key}=${r.to}`)] : plan.append;
    const remove = split ? [...plan.delete, ...plan.replace.map(r => `${r.key}=${r.from}`)] : plan.delete;
    return [
        'rpm-ostree', 'kargs',
        ...append.map(a => `--append=${a}`),
        ...remove.map(a => `--delete=${a}`),
        ...(split ? [] : plan.replace.map(r => `--replace=${r.key}=${r.from}=${r.to}`)),
    ];
}

export interface KargWarning {
    /** The argument as it will be (or was, for a removal). */
    arg: string;
    reason: string;
}

/** The warnings to show next to the diff before the admin applies it. */
export function planWarnings(plan: KargsPlan): KargWarning[] {
    const warnings: KargWarning[] = [];
    for (const arg of [...plan.append, ...plan.replace.map(r => `${r.key}=${r.to}`)]) {
        const { key, rawValue } = splitHostKarg(arg);
        const reason = dangerousKarg({ key, value: hostValue(rawValue) });
        if (reason)
            warnings.push({ arg, reason });
    }
    for (const arg of plan.delete) {
        const { key } = splitHostKarg(arg);
        // a root= replaced by another root= is warned about above, as an addition
        const reason = plan.append.some(a => kernelKey(splitHostKarg(a).key) === kernelKey(key)) ? null : dangerousRemoval(key);
        if (reason)
            warnings.push({ arg, reason });
    }
    return warnings;
}

/**
 * The arguments after the plan, the way ostree applies it (ostree-kernel-args.c):
 * `--delete` takes out the entry with that exact value, `--replace` swaps the first
 * entry of the key with the old value in place, `--append` adds at the end. For the
 * diff the view shows and for tests; the host's answer is what counts.
 */
export function applyKargsPlan(current: readonly string[], plan: KargsPlan): string[] {
    const args = [...current];
    for (const arg of plan.delete) {
        const at = args.indexOf(arg);
        if (at >= 0)
            args.splice(at, 1);
    }
    for (const r of plan.replace) {
        const at = args.findIndex(a => {
            const { key, rawValue } = splitHostKarg(a);
            return key === r.key && rawValue === r.from;
        });
        if (at >= 0)
            args[at] = `${r.key}=${r.to}`;
    }
    return [...args, ...plan.append];
}
