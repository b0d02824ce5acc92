// One kernel argument as the admin types it, checked before it can reach argv (DESIGN
// decision 3). The grammar is the kernel's own (Documentation/admin-guide/
// kernel-parameters.rst, top of the file): `key`, `key=value`, and a value in double
// quotes to protect blanks (`param="spaces in here"`). Everything else is refused
// rather than repaired: the page never guesses what a hostile or garbled string meant.
// The reasons are shown to the admin as they are, so they are translated here. Pure.
import { _, format } from '../../pkg/lib/gettext';

export interface Karg {
    key: string;
    /** The value without its quotes; null for a bare `key`, '' for `key=`. */
    value: string | null;
    /** The argument exactly as it will be written: ostree compares kernel arguments as written. */
    text: string;
}

export type KargCheck =
    | { ok: true, karg: Karg }
    | { ok: false, reason: string };

/**
 * The longest command line any architecture takes: kernel-parameters.rst says the
 * limit "is between 256 and 4096 characters" (COMMAND_LINE_SIZE in asm/setup.h;
 * 2048 on x86). One argument can never be longer than the whole line.
 */
export const COMMAND_LINE_MAX = 4096;

// Characters a shell, a here-document or a command substitution would act on. argv never
// passes through a shell, but a string carrying them is not a kernel argument anyone means.
const SHELL = /[;&|`$<>()\\]/;

// What keys are made of: letters, digits, `_`, `-` and the `.` of `module.param`
// (`rd.driver.blacklist`, `nvidia-drm.modeset`, `8250.nr_uarts`).
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

// What values use in practice: device paths (`root=/dev/mapper/x`), lists
// (`console=ttyS0,115200n8`, `isolcpus=1,2,10-20,100-2000:2/25`), UUIDs
// (`root=UUID=…`), `video=1920x1080@60`, `dyndbg=+p`. A space only inside quotes.
const VALUE_CHAR = /[A-Za-z0-9._,:/=+@%-]/;

function refuse(reason: string): KargCheck {
    return { ok: false, reason };
}

/**
 * The key as the kernel compares it. "Hyphens (dashes) and underscores are equivalent in
 * parameter names" (kernel-parameters.rst; parameq() in kernel/params.c), so
 * `nvidia-drm.modeset` and `nvidia_drm.modeset` set the same module parameter. ostree
 * itself compares keys byte for byte, so this is only for duplicates and warnings.
 */
export function kernelKey(key: string): string {
    return key.replace(/-/g, '_');
}

/** Why the argument holds a character that must never be in one, or null. */
function forbiddenCharacter(text: string): string | null {
    for (const ch of text) {
        const code = ch.codePointAt(0) ?? 0;
        const hex = code.toString(16).toUpperCase().padStart(4, '0');
        if (code === 0x0a || code === 0x0d)
            return _("the argument contains a line break");
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f\u007f]/.test(ch))
            // Translators: $0 is a code point in hexadecimal, e.g. 001B
            return format(_("the argument contains the control character U+$0"), hex);
        // Unicode lookalikes (fullwidth letters, Cyrillic "е", no-break and zero-width
        // spaces, bidi overrides) would show one thing and boot another
        if (code > 0x7e)
            // Translators: $0 is a code point in hexadecimal, e.g. 00A0
            return format(_("the argument contains the non-ASCII character U+$0"), hex);
    }
    return null;
}

/** `"…"` around the whole value, nothing after it, no quote inside. */
function unquote(raw: string): { value: string } | { reason: string } {
    if (!raw.includes('"'))
        return { value: raw };
    if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"'))
        return { reason: _("a double quote may only wrap the whole value, as in key=\"a b\"") };
    const inner = raw.slice(1, -1);
    if (inner.includes('"'))
        return { reason: _("the value has a double quote inside its quotes; the kernel has no way to escape one") };
    return { value: inner };
}

export function validateKarg(text: string): KargCheck {
    if (text.trim() === '')
        return refuse(_("the argument is empty"));
    if (text.length > COMMAND_LINE_MAX)
        return refuse(format(_("the argument is longer than $0 characters, the most any kernel command line holds"), COMMAND_LINE_MAX));
    const bad = forbiddenCharacter(text);
    if (bad)
        return refuse(bad);
    // `--` ends the kernel's own parameters, and a leading `-` reads as an option
    if (text.startsWith('-'))
        return refuse(_("the argument starts with \"-\" and would be read as an option"));
    const quotes = (text.match(/"/g) ?? []).length;
    if (quotes % 2 !== 0)
        return refuse(_("the argument has an unbalanced double quote"));
    const shell = SHELL.exec(text);
    if (shell)
        return refuse(format(_("the argument contains the shell character \"$0\""), shell[0]));

    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (key === '')
        return refuse(_("the argument has no name before \"=\""));
    if (key.includes('"'))
        return refuse(_("a double quote may only wrap the value, as in key=\"a b\""));
    if (/\s/.test(key))
        return refuse(_("the argument contains a blank outside double quotes"));
    if (!KEY.test(key))
        return refuse(format(_("the name \"$0\" has characters kernel parameter names do not use (letters, digits, \"_\", \"-\", \".\")"), key));
    if (eq < 0)
        return { ok: true, karg: { key, value: null, text } };

    const unquoted = unquote(text.slice(eq + 1));
    if ('reason' in unquoted)
        return refuse(unquoted.reason);
    const quoted = text.slice(eq + 1).startsWith('"');
    for (const ch of unquoted.value) {
        if (ch === ' ') {
            if (!quoted)
                return refuse(_("the argument contains a blank outside double quotes; quote the value: key=\"a b\""));
            continue;
        }
        if (!VALUE_CHAR.test(ch))
            return refuse(format(_("the value contains \"$0\", which kernel argument values do not use here"), ch));
    }
    return { ok: true, karg: { key, value: unquoted.value, text } };
}

/**
 * An argument that came from the host (`rpm-ostree kargs`, /proc/cmdline), split the
 * kernel's way: key before the first `=`, value as written with its quotes. Host text is
 * not validated like the admin's (FCOS carries `$ignition_firstboot`), only taken apart.
 */
export function splitHostKarg(text: string): { key: string, rawValue: string | null } {
    const eq = text.indexOf('=');
    return eq < 0 ? { key: text, rawValue: null } : { key: text.slice(0, eq), rawValue: text.slice(eq + 1) };
}

/** The value with one pair of wrapping quotes taken off, as the kernel reads it. */
export function hostValue(rawValue: string | null): string | null {
    if (rawValue !== null && rawValue.length >= 2 && rawValue.startsWith('"') && rawValue.endsWith('"'))
        return rawValue.slice(1, -1);
    return rawValue;
}
