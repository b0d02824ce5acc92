// Enrolling the key that signed the NVIDIA module as a Machine Owner Key: `mokutil
// --import <cert.der>` asks twice for a one-time password that shim's MokManager asks
// for again at the next boot, and `mokutil --list-new` shows the pending request. The
// limits below are mokutil's own (src/mokutil.c of lcp/mokutil). The reasons the checks
// return are shown to the admin, so they are translated here; ParseError messages stay
// English developer text. Pure; parsers throw only ParseError.
import { _, format } from '../../pkg/lib/gettext';
import { ParseError } from '../../pkg/lib/parse-error';
import { ActionNotPossible } from '../deployments/actions';
import type { EnrolledKey } from '../gpus/gpu';
import { isNoEfiAnswer, parseEnrolledKeys } from '../gpus/mokutil-parser';

const TOOL = 'mokutil';

/**
 * `mokutil --list-new`: list_keys_in_var("MokNew") prints each pending key the way
 * --list-enrolled prints an enrolled one ("[key N]", SHA1 fingerprint, the certificate).
 * With no request pending, the efivar-era mokutil printed "MokNew is empty"
 * (`printf ("%s is empty\n", var_name)` in list_keys_in_var, src/mokutil.c at 012d82be);
 * current mokutil prints nothing and exits 0 (list_keys_in_var returns 0 once
 * efi_get_variable fails, src/mokutil.c at 9c277b5d).
 */
export function parseListNew(text: string): EnrolledKey[] {
    if (text.trim() === '' || /^\s*MokNew is empty\s*$/m.test(text))
        return [];
    if (isNoEfiAnswer(text))
        throw new ParseError(TOOL, 'EFI variables are not supported on this system: there is no MOK to list', text);
    // main() checks the SecureBoot variable before any listing
    if (/This system doesn't support Secure Boot/.test(text))
        throw new ParseError(TOOL, 'this system does not support Secure Boot: there is no MOK to list', text);
    if (/^Failed to read MokNew/m.test(text))
        throw new ParseError(TOOL, 'mokutil could not read the pending MOK requests', text);
    return parseEnrolledKeys(text);
}

export type PathCheck = { ok: true } | { ok: false, reason: string };

const CERT_PATH = /^\/[A-Za-z0-9._+~^/-]+$/;

/**
 * An absolute path of a DER certificate file: .der, .cer or .crt, no `..`. The name does
 * not prove the format; mokutil checks and refuses anything but DER ("Abort!!! %s is not a
 * valid x509 certificate in DER format", issue_mok_request in src/mokutil.c).
 */
export function validateCertificatePath(path: string): PathCheck {
    if (path === '')
        return { ok: false, reason: _("the certificate path is empty") };
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(path) || /\s/.test(path))
        return { ok: false, reason: _("the certificate path contains blanks or control characters") };
    if (!path.startsWith('/'))
        return { ok: false, reason: _("give the certificate's absolute path") };
    if (!CERT_PATH.test(path))
        return { ok: false, reason: _("the certificate path contains characters file names here do not use") };
    const segments = path.split('/').slice(1);
    if (segments.includes('..'))
        return { ok: false, reason: _("the certificate path contains \"..\"") };
    if (segments.some(s => s === '' || s === '.'))
        return { ok: false, reason: _("the certificate path has an empty or \".\" part") };
    if (!/\.(der|cer|crt)$/i.test(path))
        return { ok: false, reason: _("the certificate file does not end in .der, .cer or .crt") };
    return { ok: true };
}

/** `mokutil --import <path>`; throws ActionNotPossible for a path validateCertificatePath refuses. */
export function mokImportArgv(path: string): string[] {
    const check = validateCertificatePath(path);
    if (!check.ok)
        throw new ActionNotPossible(check.reason);
    return ['mokutil', '--import', path];
}

export interface KnownCertificate {
    id: 'akmods' | 'ublue-akmods' | 'ublue-akmods-usr' | 'ublue-nvidia-legacy';
    path: string;
    /**
     * Whose key it is, translated: a getter in KNOWN_CERTIFICATES, so it is translated when
     * read, not when the table is built at load time. Shown as it is, without _().
     */
    origin: string;
}

/** Where the keys that sign NVIDIA modules on Fedora-based hosts are found, to offer first. */
export const KNOWN_CERTIFICATES: readonly KnownCertificate[] = [
    {
        // `kmodgenca` then `mokutil --import /etc/pki/akmods/certs/public_key.der`
        // (README of CheariX/silverblue-akmods-keys, the Silverblue workaround for akmods signing)
        id: 'akmods',
        path: '/etc/pki/akmods/certs/public_key.der',
        get origin() { return _("Fedora akmods: the key kmodgenca creates and akmods signs the modules it builds with"); },
    },
    {
        // ublue-os-akmods-addons.spec of ublue-os/akmods installs public_key.der under this
        // name "in case kmodgenca is needed for creating more keys"
        id: 'ublue-akmods',
        path: '/etc/pki/akmods/certs/akmods-ublue.der',
        get origin() { return _("Universal Blue: the key its prebuilt kernel modules are signed with (ublue-os-akmods-addons)"); },
    },
    {
        // the same spec keeps a copy under %{_datadir}/ublue-os, out of the admin's /etc
        id: 'ublue-akmods-usr',
        path: '/usr/share/ublue-os/etc/pki/akmods/certs/akmods-ublue.der',
        get origin() { return _("Universal Blue: the copy of that key under /usr, for when /etc was changed"); },
    },
    {
        // ublue-os-nvidia-addons.spec changelog 0.7: "Remove MOK keys; now provided by
        // ublue-os-akmods-addons"; its earlier versions installed akmods-nvidia.der
        id: 'ublue-nvidia-legacy',
        path: '/etc/pki/akmods/certs/akmods-nvidia.der',
        get origin() { return _("older Universal Blue nvidia images (ublue-os-nvidia-addons before 0.7)"); },
    },
];

/**
 * mokutil's limits for the one-time password: `#define PASSWORD_MIN 1` and
 * `#define PASSWORD_MAX 256` (src/mokutil.c), enforced by get_password ("password should
 * be %d~%d characters") on the length getline read, in bytes. Printable ASCII only: the
 * password is typed again on the firmware console at MokManager, and mokutil turns each
 * byte into one UCS-2 character (efichar_from_char), so what is not ASCII cannot match.
 */
export const MOK_PASSWORD_MIN = 1;
export const MOK_PASSWORD_MAX = 256;

export function mokPasswordRule(password: string): PathCheck {
    if (password.length < MOK_PASSWORD_MIN)
        return { ok: false, reason: _("the password is empty") };
    if (/[\r\n]/.test(password))
        return { ok: false, reason: _("the password contains a line break: mokutil reads one line per prompt") };
    if (!/^[\x20-\x7e]+$/.test(password))
        return { ok: false, reason: _("the password has characters outside printable ASCII, which cannot be typed at MokManager") };
    if (password.length > MOK_PASSWORD_MAX)
        return { ok: false, reason: format(_("the password is longer than $0 characters, mokutil's limit"), MOK_PASSWORD_MAX) };
    return { ok: true };
}

/**
 * What to write to mokutil's terminal: the password for "input password: " and again for
 * "input password again: " (get_password), each ended by a newline. mokutil reads the
 * lines with getline, echo off when stdin is a terminal. Throws ActionNotPossible for a
 * password mokPasswordRule refuses.
 */
export function mokPasswordInput(password: string): string {
    const check = mokPasswordRule(password);
    if (!check.ok)
        throw new ActionNotPossible(check.reason);
    return `${password}\n${password}\n`;
}
