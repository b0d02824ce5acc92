// What `rpm-ostree deploy` may be given: a version (`41.20241101.0`, `9.4`) or a commit
// checksum (64 hex digits; a shorter prefix is ambiguous to rpm-ostree). Nothing that
// could pass for an option or carry shell syntax. Pure.
import { _ } from '../../pkg/lib/gettext';

export type RevisionCheck = { ok: true, kind: 'version' | 'checksum' } | { ok: false, reason: string };

export function validateRevision(text: string): RevisionCheck {
    if (text === '')
        return { ok: false, reason: _("Enter a version or a commit checksum.") };
    if (/^[0-9a-f]{64}$/.test(text))
        return { ok: true, kind: 'checksum' };
    if (/^[0-9a-fA-F]{65,}$/.test(text) || /^[0-9a-f]{40,63}$/.test(text))
        return { ok: false, reason: _("A commit checksum has exactly 64 hexadecimal digits.") };
    if (text.startsWith('-'))
        return { ok: false, reason: _("A version cannot start with \"-\".") };
    // ostree versions are free text in principle; in practice digits, dots, letters, -, _, +, ~
    if (!/^[A-Za-z0-9][A-Za-z0-9._+~-]*$/.test(text) || text.length > 128)
        return { ok: false, reason: _("A version holds only letters, digits and . _ + ~ -") };
    return { ok: true, kind: 'version' };
}
