// The allowlist an admin types for default deny, one entry per line: an address, a network
// in CIDR form or a host name. Checked before any of it reaches an nftables set or a systemd
// drop-in (DESIGN decision 3); every refusal is a sentence for the admin, so it is
// translated here. Values come out canonical, so duplicates are found however they were
// written and compare equal with what nft lists back. Pure.
import { _, format } from '../../pkg/lib/gettext';
import { looksNumeric, parseNetwork, type IpFamily } from './ip-network';

export interface AllowlistEntry {
    kind: 'address' | 'network' | 'name';
    /** '192.0.2.10', '2001:db8::/32', 'api.example.com' (lower case, no final dot). */
    value: string;
    /** null for a name: it may resolve to either. */
    family: IpFamily | null;
}

export interface AllowlistProblem {
    /** 1-based, as an editor counts. */
    line: number;
    /** The line as typed, trimmed. */
    text: string;
    reason: string;
}

export interface Allowlist {
    entries: AllowlistEntry[];
    problems: AllowlistProblem[];
}

export type EntryResult = { ok: true, entry: AllowlistEntry } | { ok: false, reason: string };

const NAME_MAX = 253;
const LABEL_MAX = 63;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** One entry, already trimmed. */
export function parseAllowlistEntry(text: string): EntryResult {
    const refuse = (reason: string): EntryResult => ({ ok: false, reason });
    if (text === '')
        return refuse(_("Give an address, a network or a host name."));
    if (/\s/.test(text))
        return refuse(_("Write one entry per line: an address, a network or a host name, without spaces."));
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || (!looksNumeric(text) && text.includes('/')))
        return refuse(_("Write the host name alone, without http:// or a path: for example api.example.com."));
    // [2001:db8::1]:443, 192.0.2.1:443, example.com:443 (a name has a dot or a letter that is no hex digit)
    if (/^\[.*\]:[0-9]*$/.test(text) || /^[^:]*[.g-z_][^:]*:[0-9]*$/i.test(text))
        return refuse(_("Leave out the port: an allowed host or network is allowed on every port."));
    if (/^\[.*\]$/.test(text))
        return refuse(_("Write an IPv6 address without the brackets, such as 2001:db8::10."));
    if (text.includes('*'))
        return refuse(_("A wildcard cannot be allowed: nftables matches addresses, and only a whole name can be resolved to them. List each host name, for example api.example.com."));
    if (looksNumeric(text))
        return addressEntry(text);
    return nameEntry(text);
}

function addressEntry(text: string): EntryResult {
    const parsed = parseNetwork(text);
    if (parsed.ok) {
        if (parsed.network.prefix === 0)
            return { ok: false, reason: _("A network of length 0 is every address: it would turn default deny off. Turn enforcing off instead, or list the networks you mean.") };
        const { kind, value, family } = parsed.network;
        return { ok: true, entry: { kind, value, family } };
    }
    switch (parsed.problem) {
    case 'ipv4':
        return { ok: false, reason: _("This is not an IPv4 address: it has four numbers from 0 to 255 separated by dots, such as 192.0.2.10.") };
    case 'ipv4-leading-zero':
        return { ok: false, reason: _("Write the numbers of an IPv4 address without leading zeros: some programs read 010 as an octal number.") };
    case 'ipv6':
        return { ok: false, reason: _("This is not an IPv6 address: up to eight groups of hexadecimal digits separated by ':', with '::' at most once, such as 2001:db8::10.") };
    case 'zone':
        return { ok: false, reason: _("Leave out the interface after '%': the allowlist applies on every interface.") };
    case 'mapped':
        return { ok: false, reason: format(_("This is an IPv4 address written as IPv6: write $0."), parsed.ipv4) };
    case 'prefix':
        return { ok: false, reason: format(_("The length after '/' is a number from 0 to $0."), parsed.max) };
    case 'host-bits':
        return {
            ok: false,
            reason: format(_("Host bits are set after the first $0 bits: the network is $1. Write that, or the single address without /$0."),
                           parsed.prefix, parsed.network),
        };
    }
}

function nameEntry(typed: string): EntryResult {
    // one final dot is the root of DNS (a fully qualified name); it is the same host
    const text = typed.endsWith('.') && !typed.endsWith('..') ? typed.slice(0, -1) : typed;
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(text))
        return { ok: false, reason: _("Write an international name in its ASCII form (xn--…), as DNS carries it.") };
    if (text.length > NAME_MAX)
        return { ok: false, reason: format(_("A host name has at most $0 characters."), NAME_MAX) };
    const labels = text.toLowerCase().split('.');
    if (labels.some(label => label === ''))
        return { ok: false, reason: _("A host name has no empty part: check for two dots in a row, or a dot at the start.") };
    if (labels.some(label => label.length > LABEL_MAX))
        return { ok: false, reason: format(_("Each part of a host name between dots has at most $0 characters."), LABEL_MAX) };
    if (!labels.every(label => LABEL.test(label)))
        return { ok: false, reason: _("A host name has letters, digits and '-' only, in parts separated by dots; no part starts or ends with '-'.") };
    if (labels.length < 2)
        return { ok: false, reason: _("Give the full host name with its domain, such as api.example.com: a single name means a different host on each network.") };
    if (/^[0-9]+$/.test(labels[labels.length - 1]))
        return { ok: false, reason: _("The last part of a host name is not a number: is this a mistyped address?") };
    return { ok: true, entry: { kind: 'name', value: labels.join('.'), family: null } };
}

/**
 * The admin's text: one entry a line; blank lines and lines starting with '#' are skipped.
 * A repeated entry is a problem on its later line and is kept once.
 */
export function parseAllowlist(text: string): Allowlist {
    const entries: AllowlistEntry[] = [];
    const problems: AllowlistProblem[] = [];
    const firstLine = new Map<string, number>();
    for (const [index, raw] of text.split('\n').entries()) {
        const line = index + 1;
        const trimmed = raw.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            continue;
        const result = parseAllowlistEntry(trimmed);
        if (!result.ok) {
            problems.push({ line, text: trimmed, reason: result.reason });
            continue;
        }
        const key = `${result.entry.kind} ${result.entry.value}`;
        const first = firstLine.get(key);
        if (first !== undefined) {
            problems.push({ line, text: trimmed, reason: format(_("This repeats line $0."), first) });
            continue;
        }
        firstLine.set(key, line);
        entries.push(result.entry);
    }
    return { entries, problems };
}

/** The lines an allowlist is shown and stored as. */
export function formatAllowlist(entries: readonly AllowlistEntry[]): string {
    return entries.map(entry => entry.value + '\n').join('');
}
