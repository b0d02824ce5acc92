// mokutil's answers: `--sb-state` (one line, plus "Platform is in Setup Mode" on some
// firmware) and `--list-enrolled` (each key as "[key N]", its SHA1 fingerprint and the
// openssl text dump of the certificate). Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import type { EnrolledKey, SecureBootState } from './gpu';

const TOOL = 'mokutil';

/** mokutil's words on a machine without EFI variables (exit status non-zero). */
const NO_EFI = /EFI variables are not supported on this system/i;

export function parseSbState(text: string): SecureBootState {
    if (/SecureBoot enabled/i.test(text))
        return 'enabled';
    if (/SecureBoot disabled/i.test(text))
        return 'disabled';
    if (NO_EFI.test(text))
        return 'no-efi';
    if (/doesn't support Secure Boot|does not support Secure Boot/i.test(text))
        return 'unsupported';
    throw new ParseError(TOOL, 'the Secure Boot state is not in the answer', text);
}

/** Whether a failing `--list-enrolled` only says there are no EFI variables. */
export function isNoEfiAnswer(text: string): boolean {
    return NO_EFI.test(text);
}

function cnOf(distinguishedName: string | null): string | null {
    if (!distinguishedName)
        return null;
    // "C=GB, ST=Isle of Man, O=Canonical Ltd., CN=Canonical Ltd. Master Certificate Authority"
    const match = /(?:^|[,/]\s*)CN\s*=\s*([^,/]+?)\s*(?:,\s*[A-Za-z]+\s*=|\/|$)/.exec(distinguishedName);
    return match ? match[1].trim() : null;
}

export function parseEnrolledKeys(text: string): EnrolledKey[] {
    if (/^\s*MokListRT is empty\s*$/im.test(text) || text.trim() === '')
        return [];
    const blocks = text.split(/^\[key \d+\]\s*$/m).slice(1);
    if (blocks.length === 0)
        throw new ParseError(TOOL, 'no "[key N]" entry in the list of enrolled keys', text);
    return blocks.map(block => {
        const line = (pattern: RegExp) => pattern.exec(block)?.[1].trim() ?? null;
        const subject = line(/^\s*Subject:\s*(.+)$/m);
        const issuer = line(/^\s*Issuer:\s*(.+)$/m);
        const fingerprint = line(/^SHA1 Fingerprint:\s*([0-9a-fA-F:]+)/m);
        // the serial is on the line after "Serial Number:", or on the same line for short ones
        const serial = line(/Serial Number:\s*\n\s*([0-9a-fA-F:]+)/) ?? line(/Serial Number:\s*(\S[^\n]*)/);
        return {
            subject,
            subjectCn: cnOf(subject),
            issuerCn: cnOf(issuer),
            sha1Fingerprint: fingerprint ? fingerprint.replace(/:/g, '').toLowerCase() : null,
            serial,
        };
    });
}

/**
 * Whether the key that signed a module (modinfo's `signer`, the certificate's CN) is
 * among the enrolled ones. modinfo prints the signer's CN; sig_key is the key id, which
 * mokutil does not print, so the CN is all there is to compare.
 */
export function isSignerEnrolled(signer: string, keys: readonly EnrolledKey[]): boolean {
    const wanted = signer.trim().toLowerCase();
    return keys.some(key => key.subjectCn?.toLowerCase() === wanted);
}
