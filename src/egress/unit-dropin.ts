// Blocking one systemd unit's network: a persistent drop-in with IPAddressDeny=any and
// IPAddressAllow=localhost plus chosen exceptions (systemd.resource-control(5): where an
// address matches both lists, the allow list wins). systemd enforces it with a BPF program on
// the unit's cgroup, in both directions and for every process of the unit, so this needs no
// nftables rule. The unit name and every exception are checked before they reach a path or the
// file (DESIGN decision 3); refusals are sentences for the admin. Pure: the text, its path, and
// the parse of such a drop-in back.
//
// The unit reaches DNS only if its resolver is on localhost (systemd-resolved's 127.0.0.53);
// otherwise the caller adds the resolvers as exceptions. The drop-in takes effect after
// `systemctl daemon-reload` and a restart of the unit (the adapter's business).
import { _, format } from '../../pkg/lib/gettext';
import { ParseError } from '../../pkg/lib/parse-error';
import type { AllowlistEntry } from './allowlist';
import { parseNetwork } from './ip-network';

export const DROPIN_FILE_NAME = '50-ai-workstation-egress.conf';

/** systemd's unit types (unit_type_from_string); only the first three carry IPAddressDeny= in a way that helps here. */
const SECTIONS = { service: 'Service', socket: 'Socket', slice: 'Slice' } as const;
const UNIT_TYPES = ['service', 'socket', 'slice', 'scope', 'target', 'device', 'mount', 'automount', 'swap', 'timer', 'path'];
/** UNIT_NAME_MAX is 256 with the final NUL. */
const UNIT_NAME_MAX = 255;
/** systemd's VALID_CHARS plus the instance separator. */
const UNIT_CHARS = /^[a-zA-Z0-9:_.\\@-]+$/;

export function dropInPath(unit: string): string {
    return `/etc/systemd/system/${unit}.d/${DROPIN_FILE_NAME}`;
}

/** systemd's unit_name_is_valid (plain, instance or template names), and a type that can be blocked; null when fine. */
export function unitNameProblem(unit: string): string | null {
    if (unit === '')
        return _("Give the unit's name, for example ollama.service.");
    if (unit.length > UNIT_NAME_MAX)
        return format(_("A unit name has at most $0 characters."), UNIT_NAME_MAX);
    const dot = unit.lastIndexOf('.');
    const type = dot > 0 ? unit.slice(dot + 1) : '';
    if (!UNIT_TYPES.includes(type))
        return _("A unit name ends in its type, such as .service or .socket.");
    if (!UNIT_CHARS.test(unit.slice(0, dot)))
        return _("A unit name has letters, digits, ':', '-', '_', '.', '\\' and '@' only.");
    if (unit.startsWith('@'))
        return _("A unit name starts with its name, before any '@'.");
    if (!(type in SECTIONS))
        return format(_("A .$0 unit cannot be kept off the network: systemd applies IPAddressDeny= to the processes of services, sockets and slices."), type);
    return null;
}

/** An exception that systemd can take; null when fine. */
export function exceptionProblem(entry: AllowlistEntry): string | null {
    if (entry.kind === 'name')
        return format(_("$0 is a host name: systemd's IPAddressAllow= takes addresses and networks only, it does not resolve names. Allow the host's addresses, or use the host-wide allowlist."), entry.value);
    const parsed = parseNetwork(entry.value);
    if (!parsed.ok || parsed.network.prefix === 0)
        return format(_("$0 is not an address or network that can be allowed."), entry.value);
    return null;
}

export type DropInResult = { ok: true, path: string, text: string } | { ok: false, reason: string };

export function egressDropIn(unit: string, exceptions: readonly AllowlistEntry[] = []): DropInResult {
    const unitProblem = unitNameProblem(unit);
    if (unitProblem)
        return { ok: false, reason: unitProblem };
    for (const entry of exceptions) {
        const problem = exceptionProblem(entry);
        if (problem)
            return { ok: false, reason: problem };
    }
    const section = SECTIONS[unit.slice(unit.lastIndexOf('.') + 1) as keyof typeof SECTIONS];
    const values = [...new Set(exceptions.map(entry => entry.value))];
    const text = `# Written by Cockpit's AI workstation page: ${unit} reaches only this host${values.length > 0 ? ' and the addresses below' : ''}.
# Delete this file (then systemctl daemon-reload and restart the unit) to give it the network back.
[${section}]
IPAddressDeny=any
IPAddressAllow=localhost
${values.map(value => `IPAddressAllow=${value}\n`).join('')}`;
    return { ok: true, path: dropInPath(unit), text };
}

// ---- reading a drop-in back ----

export interface EgressDropInState {
    /** IPAddressDeny= covers every address: 'any', or both 0.0.0.0/0 and ::/0. */
    deniesAll: boolean;
    allowsLocalhost: boolean;
    /** The allowed addresses and networks besides localhost (host bits masked as systemd does). */
    exceptions: AllowlistEntry[];
    /** Other keywords in IPAddressAllow= (link-local, multicast, any). */
    otherAllowed: string[];
    /** The unit cannot reach the outside world: everything is denied and 'any' is not allowed back. */
    blocksOutbound: boolean;
}

const KEYWORDS = ['any', 'localhost', 'link-local', 'multicast'];

/**
 * A drop-in as systemd reads it: sections, Key=value lines (a trailing '\' continues one),
 * comments with '#' or ';', several values in one assignment, and an empty assignment
 * resetting the list. IPAddressAllow= and IPAddressDeny= count in any section; other keys
 * are someone else's and are ignored.
 */
export function parseEgressDropIn(text: string): EgressDropInState {
    const lists: Record<'IPAddressAllow' | 'IPAddressDeny', string[]> = { IPAddressAllow: [], IPAddressDeny: [] };
    let section: string | null = null;
    const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
    for (const raw of lines) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#') || line.startsWith(';'))
            continue;
        if (/^\[[^\]]+\]$/.test(line)) {
            section = line.slice(1, -1);
            continue;
        }
        const equals = line.indexOf('=');
        if (equals <= 0)
            throw new ParseError('systemd', `not a Key=value line: ${line}`, text);
        if (section === null)
            throw new ParseError('systemd', `${line.slice(0, equals).trim()}= is outside any [section]`, text);
        const key = line.slice(0, equals).trim();
        if (key !== 'IPAddressAllow' && key !== 'IPAddressDeny')
            continue;
        const values = line.slice(equals + 1).trim().split(/\s+/).filter(value => value !== '');
        if (values.length === 0) {
            lists[key] = [];
            continue;
        }
        for (const value of values) {
            if (!KEYWORDS.includes(value) && !parseNetwork(value, { maskHostBits: true }).ok)
                throw new ParseError('systemd', `${key}=: "${value}" is not an address, a network or a keyword`, text);
            lists[key].push(value);
        }
    }
    const everything = (values: readonly string[]) => {
        const networks = values.map(value => parseNetwork(value, { maskHostBits: true }));
        return values.includes('any') ||
            (networks.some(n => n.ok && n.network.family === 'ipv4' && n.network.prefix === 0) &&
             networks.some(n => n.ok && n.network.family === 'ipv6' && n.network.prefix === 0));
    };
    const exceptions: AllowlistEntry[] = [];
    const otherAllowed: string[] = [];
    for (const value of lists.IPAddressAllow) {
        if (value === 'localhost')
            continue;
        const parsed = parseNetwork(value, { maskHostBits: true });
        if (parsed.ok) {
            const { kind, value: canonical, family } = parsed.network;
            if (!exceptions.some(e => e.value === canonical))
                exceptions.push({ kind, value: canonical, family });
        } else if (!otherAllowed.includes(value)) {
            otherAllowed.push(value);
        }
    }
    const deniesAll = everything(lists.IPAddressDeny);
    return {
        deniesAll,
        allowsLocalhost: lists.IPAddressAllow.includes('localhost'),
        exceptions,
        otherAllowed,
        blocksOutbound: deniesAll && !everything(lists.IPAddressAllow),
    };
}
