// The host-wide egress table: audit (log every new connection to the outside world) and
// enforce (default deny with an allowlist), plus per-container blocking, as ONE `nft -f`
// transaction on a table of our own, `inet ai_workstation_egress`. firewalld's, podman's and
// the Models tab's tables (src/models/models-firewall.ts) are never named. Pure: the text of
// the ruleset and the boot unit, and the parse of `nft -j list table inet ai_workstation_egress`.
//
// Why the admin's own Cockpit and SSH sessions are never cut:
//  - they are connections the admin's browser or ssh client opened *to* this host. Their
//    packets arrive on the input hook, and this table has no input chain at all;
//  - the host's answers leave on the output hook, where conntrack marks them
//    `ct state established` (a reply is never "new"), and the second rule of the output chain
//    accepts established and related packets before any rule that could reject;
//  - every rule that rejects sits behind `ct state new jump new_outbound`, so a packet of an
//    existing connection never reaches one;
//  - when this table is what first switches conntrack on (a host without any other firewall),
//    conntrack meets a running session in the middle and calls the host's next packet "new"
//    (it "picks it up", net.netfilter.nf_conntrack_tcp_loose). A connection this host starts
//    begins with a bare SYN; new_outbound lets every other TCP packet pass first, so a
//    picked-up session is never logged as egress nor rejected (recorded in a namespace: without
//    that rule the session's packets were rejected until the admin's side sent something);
//  - loading the table is one transaction that does not touch conntrack: existing
//    connections stay established across every change of mode.
import { ParseError } from '../../pkg/lib/parse-error';
import type { AllowlistEntry } from './allowlist';
import { parseNetwork, type IpFamily, type IpNetwork } from './ip-network';
import { nftBootUnit } from '../system/nft-boot-unit';

export const EGRESS_TABLE = 'ai_workstation_egress';
export const EGRESS_FILE = '/etc/cockpit-ai-workstation/egress.nft';
export const EGRESS_UNIT = 'ai-workstation-egress-firewall.service';
export const EGRESS_UNIT_FILE = `/etc/systemd/system/${EGRESS_UNIT}`;
/** Refreshes default deny's host names on the host (egress-refresh-names.sh), also while no page is open. */
export const NAMES_SCRIPT = '/etc/cockpit-ai-workstation/egress-refresh-names.sh';
export const NAMES_SERVICE = 'ai-workstation-egress-names.service';
export const NAMES_TIMER = 'ai-workstation-egress-names.timer';

/**
 * The journal's kernel messages start with these (`journalctl -k --grep '^aiws-egress'`):
 * a new connection to the outside world that was let through, and one that was refused.
 */
export const LOG_PREFIX_ALLOWED = 'aiws-egress: ';
export const LOG_PREFIX_DENIED = 'aiws-egress-deny: ';

export type EgressMode = 'off' | 'audit' | 'enforce';

export interface ResolvedName {
    /** An allowlist name entry's value. */
    name: string;
    /** What it resolved to, both families; the adapter resolves and refreshes. */
    addresses: readonly string[];
}

export interface EgressRulesetInput {
    mode: EgressMode;
    /** The nameservers of /etc/resolv.conf (a '%zone' is dropped); the only DNS servers that enforce lets through. */
    resolvers?: readonly string[];
    /** From parseAllowlist: addresses and networks go into sets as they are, names through resolvedNames. */
    allowlist?: readonly AllowlistEntry[];
    /** Addresses of the allowlist's names; a name that is no longer in the allowlist is left out. */
    resolvedNames?: readonly ResolvedName[];
    /** Container addresses or networks (a podman network's subnet) whose new connections to the outside world are refused, in every mode. */
    blockedContainers?: readonly string[];
    /**
     * Enforce only: the LAN (RFC 1918, CGNAT, link-local, ULA, multicast) stays reachable;
     * default deny is about the outside world. Default true.
     */
    allowLocalNetworks?: boolean;
}

/** Networks that are not the outside world: loopback and local-network of address-class.ts, range for range. */
export const LOCAL_NETWORKS_V4 = [
    '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16',
    '224.0.0.0/4', '255.255.255.255',
] as const;
export const LOCAL_NETWORKS_V6 = ['::1', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'] as const;

type Family<T> = Record<IpFamily, T>;

/** Valid, canonical and without repeats, split by family; anything else is the caller's bug and throws. */
function elements(values: readonly string[], what: string, allowZone = false): Family<string[]> {
    const result: Family<string[]> = { ipv4: [], ipv6: [] };
    for (const text of values) {
        const parsed = parseNetwork(text.trim(), { allowZone });
        if (!parsed.ok)
            throw new Error(`${what}: "${text}" is not an address or network (${parsed.problem})`);
        const network: IpNetwork = parsed.network;
        if (!result[network.family].includes(network.value))
            result[network.family].push(network.value);
    }
    return result;
}

/**
 * 'plain' holds addresses; 'interval' networks that never overlap (listed as written);
 * 'merge' networks and addresses an admin chose: without auto-merge nft 1.0.6 refuses an
 * address inside a listed network ("conflicting intervals"); with it, nft lists overlapping
 * and adjacent elements merged (two /25 come back as one /24, or as a range).
 */
function setDeclaration(name: string, family: IpFamily, values: readonly string[], kind: 'plain' | 'interval' | 'merge'): string {
    const lines = [`type ${family === 'ipv4' ? 'ipv4_addr' : 'ipv6_addr'}`];
    if (kind !== 'plain')
        lines.push('flags interval');
    if (kind === 'merge')
        lines.push('auto-merge');
    if (values.length > 0)
        lines.push(`elements = { ${values.join(', ')} }`);
    return `    set ${name} {\n${lines.map(line => `        ${line}\n`).join('')}    }\n`;
}

const REJECT = 'reject with icmpx admin-prohibited';
const logAllowed = `log prefix "${LOG_PREFIX_ALLOWED}" flags skuid`;
const logDenied = `log prefix "${LOG_PREFIX_DENIED}" flags skuid`;

/**
 * The whole table in one `nft -f` transaction. The leading "table … / delete table …" pair
 * removes an older copy in the same transaction and works when there is none (nft 1.0.6
 * has no "destroy"; "add table" + "flush table" would keep stale sets and chains), so the
 * file is idempotent and atomic: nft applies all of it or, refusing any line, none.
 *
 * 'off' without blocked containers is only that pair: the table is gone afterwards, whether
 * or not it was there. Blocked containers are a choice of their own and stay blocked in
 * every mode; 'off' then keeps just their forward rules.
 */
export function egressRuleset(input: EgressRulesetInput): string {
    const mode = input.mode;
    const allowLocal = input.allowLocalNetworks ?? true;
    const blocked = elements(input.blockedContainers ?? [], 'blocked container');
    const anyBlocked = blocked.ipv4.length + blocked.ipv6.length > 0;
    const head = `#!/usr/sbin/nft -f
# Written by Cockpit's AI workstation page: network egress ${mode === 'enforce' ? 'default deny' : mode === 'audit' ? 'audit' : 'off'}${anyBlocked ? ', blocked containers' : ''}.
# Only the table inet ${EGRESS_TABLE} is named here; every other table stays as it is.
table inet ${EGRESS_TABLE}
delete table inet ${EGRESS_TABLE}
`;
    if (mode === 'off' && !anyBlocked)
        return head;

    const sets: string[] = [];
    const counters: string[] = [];
    sets.push(setDeclaration('local_v4', 'ipv4', LOCAL_NETWORKS_V4, 'interval'));
    sets.push(setDeclaration('local_v6', 'ipv6', LOCAL_NETWORKS_V6, 'interval'));
    if (anyBlocked) {
        counters.push('containers_blocked');
        sets.push(setDeclaration('blocked_containers_v4', 'ipv4', blocked.ipv4, 'merge'));
        sets.push(setDeclaration('blocked_containers_v6', 'ipv6', blocked.ipv6, 'merge'));
    }

    // Containers with a bridge network (rootful podman) are routed: their packets cross the
    // forward hook, never output, and are masqueraded only after it (postrouting), so here
    // they still carry the container's own address. Rootless containers (pasta,
    // slirp4netns) and everything else on the host leave through output.
    const forward: string[] = [
        'ct state established,related accept',
    ];
    if (anyBlocked) {
        forward.push(
            `ip saddr @blocked_containers_v4 ip daddr != @local_v4 ct state new counter name "containers_blocked" log prefix "${LOG_PREFIX_DENIED}" ${REJECT} comment "blocked container"`,
            `ip6 saddr @blocked_containers_v6 ip6 daddr != @local_v6 ct state new counter name "containers_blocked" log prefix "${LOG_PREFIX_DENIED}" ${REJECT} comment "blocked container"`,
        );
    }

    if (mode === 'off') {
        return head + table(counters, sets, [chain('forward', 'forward', forward)]);
    }

    // a connection from outside to a published container port (DNAT to the container) is
    // inbound, not egress: it passes whatever the mode
    forward.push('ct status dnat accept comment "inbound to a published port"', 'ct state new jump new_outbound');
    const output = [
        'oif "lo" accept comment "this host itself"',
        'ct state established,related accept comment "every packet of a connection already made, the admin\'s Cockpit and SSH sessions among them"',
        'ct state new jump new_outbound',
    ];
    const newOutbound = [
        'tcp flags & (fin | syn | rst | ack) != syn accept comment "not a connection this host starts: picked up mid-stream"',
    ];

    if (mode === 'audit') {
        counters.push('outbound_allowed');
        newOutbound.push(
            'ip daddr @local_v4 accept comment "local networks"',
            'ip6 daddr @local_v6 accept comment "local networks"',
            `counter name "outbound_allowed" ${logAllowed} accept comment "audit"`,
        );
    } else {
        counters.push('outbound_allowed', 'outbound_denied');
        const resolvers = elements(input.resolvers ?? [], 'resolver', true);
        const allowed = elements((input.allowlist ?? []).filter(e => e.kind !== 'name').map(e => e.value), 'allowlist entry');
        const names = new Set((input.allowlist ?? []).filter(e => e.kind === 'name').map(e => e.value));
        const resolved = elements((input.resolvedNames ?? []).filter(r => names.has(r.name)).flatMap(r => r.addresses), 'resolved name');
        sets.push(
            setDeclaration('resolvers_v4', 'ipv4', resolvers.ipv4, 'plain'),
            setDeclaration('resolvers_v6', 'ipv6', resolvers.ipv6, 'plain'),
            setDeclaration('allowed_v4', 'ipv4', allowed.ipv4, 'merge'),
            setDeclaration('allowed_v6', 'ipv6', allowed.ipv6, 'merge'),
            // Plain sets, no "flags timeout": the file loaded at boot carries the last
            // resolved addresses, so allowed hosts work before any page or helper runs;
            // timeouts would make the allowlist decay into deny whenever the refresher does
            // not run. A refresh replaces the elements in one transaction (nameSetsUpdate).
            setDeclaration('allowed_names_v4', 'ipv4', resolved.ipv4, 'plain'),
            setDeclaration('allowed_names_v6', 'ipv6', resolved.ipv6, 'plain'),
        );
        newOutbound.push(
            // what the box needs to keep its own addresses: IPv6 neighbour and router
            // discovery, DHCP and DHCPv6 (only root binds ports 68 and 546)
            'icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld-listener-report, mld2-listener-report } accept comment "IPv6 neighbour discovery"',
            'udp sport 68 udp dport 67 accept comment "DHCP"',
            'udp sport 546 udp dport 547 accept comment "DHCPv6"',
        );
        if (allowLocal) {
            newOutbound.push(
                'ip daddr @local_v4 accept comment "local networks"',
                'ip6 daddr @local_v6 accept comment "local networks"',
            );
        }
        newOutbound.push(
            `meta l4proto { tcp, udp } th dport 53 ip daddr @resolvers_v4 counter name "outbound_allowed" ${logAllowed} accept comment "DNS to the configured resolvers"`,
            `meta l4proto { tcp, udp } th dport 53 ip6 daddr @resolvers_v6 counter name "outbound_allowed" ${logAllowed} accept comment "DNS to the configured resolvers"`,
            `ip daddr @allowed_v4 counter name "outbound_allowed" ${logAllowed} accept comment "allowlist"`,
            `ip6 daddr @allowed_v6 counter name "outbound_allowed" ${logAllowed} accept comment "allowlist"`,
            `ip daddr @allowed_names_v4 counter name "outbound_allowed" ${logAllowed} accept comment "allowlist, host names"`,
            `ip6 daddr @allowed_names_v6 counter name "outbound_allowed" ${logAllowed} accept comment "allowlist, host names"`,
            `counter name "outbound_denied" ${logDenied} ${REJECT} comment "default deny"`,
        );
    }

    return head + table(counters, sets, [
        // policy accept everywhere: only new connections are judged (by new_outbound); what
        // is not new (established, related, invalid, untracked) is no connection being
        // started and is none of this table's business
        chain('output', 'output', output),
        chain('forward', 'forward', forward),
        chain('new_outbound', null, newOutbound),
    ]);
}

function table(counters: readonly string[], sets: readonly string[], chains: readonly string[]): string {
    return `table inet ${EGRESS_TABLE} {
${counters.map(name => `    counter ${name} {\n    }\n`).join('')}${sets.join('')}${chains.join('')}}
`;
}

/** A base chain when hook is given; priority filter - 5 runs after the Models table (- 10) and before firewalld (+ 10). */
function chain(name: string, hook: string | null, rules: readonly string[]): string {
    const base = hook ? `        type filter hook ${hook} priority filter - 5; policy accept;\n` : '';
    return `    chain ${name} {\n${base}${rules.map(rule => `        ${rule}\n`).join('')}    }\n`;
}

/**
 * A refresh of the names' addresses alone, in one transaction: the sets are emptied and
 * refilled together, counters and the rest of the table stay. The caller also writes the
 * full ruleset to EGRESS_FILE, so that the next boot starts from the same addresses.
 */
export function nameSetsUpdate(allowlist: readonly AllowlistEntry[], resolvedNames: readonly ResolvedName[]): string {
    const names = new Set(allowlist.filter(e => e.kind === 'name').map(e => e.value));
    const resolved = elements(resolvedNames.filter(r => names.has(r.name)).flatMap(r => r.addresses), 'resolved name');
    const lines = [
        `flush set inet ${EGRESS_TABLE} allowed_names_v4`,
        `flush set inet ${EGRESS_TABLE} allowed_names_v6`,
    ];
    if (resolved.ipv4.length > 0)
        lines.push(`add element inet ${EGRESS_TABLE} allowed_names_v4 { ${resolved.ipv4.join(', ')} }`);
    if (resolved.ipv6.length > 0)
        lines.push(`add element inet ${EGRESS_TABLE} allowed_names_v6 { ${resolved.ipv6.join(', ')} }`);
    return lines.map(line => line + '\n').join('');
}

/** Loads the table at boot, before the network comes up; stopping the unit removes only our table. */
export function egressUnit(): string {
    return nftBootUnit({ description: `Network egress audit and default deny (nftables table ${EGRESS_TABLE})`, file: EGRESS_FILE, table: EGRESS_TABLE });
}

export function namesServiceUnit(): string {
    return `# Written by Cockpit's AI workstation page: refreshes the addresses of default deny's
# allowlist host names in the nftables table ${EGRESS_TABLE}.
[Unit]
Description=Refresh the addresses of the egress allowlist's host names
After=${EGRESS_UNIT} network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/bin/sh ${NAMES_SCRIPT}
`;
}

export function namesTimerUnit(): string {
    return `# Written by Cockpit's AI workstation page (see ${NAMES_SERVICE}).
[Unit]
Description=Refresh the egress allowlist's host names every 10 minutes

[Timer]
OnBootSec=1min
OnUnitActiveSec=10min
Unit=${NAMES_SERVICE}

[Install]
WantedBy=timers.target
`;
}

// ---- nft -j list table inet ai_workstation_egress ----

export interface Counter {
    /** Each new connection is counted once per packet that conntrack still calls new (its first, and retries before an answer). */
    packets: number;
    bytes: number;
}

export interface EgressTableState {
    /** Our table is there. */
    loaded: boolean;
    /**
     * What the rules do: 'off' also when only containers are blocked; 'unknown' for a table of
     * our name whose new_outbound chain ends neither in audit's log nor in enforce's reject.
     */
    mode: EgressMode | 'unknown';
    /** Enforce only: whether local networks are let through; null in the other modes. */
    allowLocalNetworks: boolean | null;
    counters: {
        /** New connections to the outside world let through (audit: all of them) and logged. */
        allowed: Counter;
        /** Refused by default deny. */
        denied: Counter;
        /** Refused for a blocked container. */
        containersBlocked: Counter;
    };
    /** Set elements as nft lists them ('192.0.2.10', '10.0.0.0/8', 'a-b' for a range), IPv4 then IPv6. */
    sets: {
        resolvers: string[];
        allowed: string[];
        allowedNames: string[];
        blockedContainers: string[];
    };
}

/** No table of ours: nothing logged or refused. A fresh object each time (the parser fills it). */
export function offTableState(): EgressTableState {
    const zero = (): Counter => ({ packets: 0, bytes: 0 });
    return {
        loaded: false,
        mode: 'off',
        allowLocalNetworks: null,
        counters: { allowed: zero(), denied: zero(), containersBlocked: zero() },
        sets: { resolvers: [], allowed: [], allowedNames: [], blockedContainers: [] },
    };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const COUNTERS = { outbound_allowed: 'allowed', outbound_denied: 'denied', containers_blocked: 'containersBlocked' } as const;
const SETS: Record<string, keyof EgressTableState['sets']> = {
    resolvers_v4: 'resolvers', resolvers_v6: 'resolvers',
    allowed_v4: 'allowed', allowed_v6: 'allowed',
    allowed_names_v4: 'allowedNames', allowed_names_v6: 'allowedNames',
    blocked_containers_v4: 'blockedContainers', blocked_containers_v6: 'blockedContainers',
};

/**
 * nft's complaint when our table is not there, which is the plain "off": nft 1.0.6 exits 1,
 * prints nothing on stdout, and on stderr "Error: No such file or directory" with the command
 * and a caret line under the table's name.
 */
export function egressTableMissing(stderr: string): boolean {
    return /^Error: No such file or directory$/m.test(stderr) && stderr.includes(`table inet ${EGRESS_TABLE}`);
}

/** `nft -j list table inet ai_workstation_egress`; a missing table (egressTableMissing) is the caller's "off". */
export function parseEgressTable(text: string): EgressTableState {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        throw new ParseError('nft', 'nft -j did not print JSON', text);
    }
    const entries = isObject(json) ? json.nftables : undefined;
    if (!Array.isArray(entries))
        throw new ParseError('nft', 'no "nftables" list in nft -j output', text);
    const state = offTableState();
    const setElements: Record<string, string[]> = {};
    const newOutbound: Json[][] = [];
    for (const entry of entries) {
        if (!isObject(entry))
            throw new ParseError('nft', 'an entry of the "nftables" list is not an object', text);
        if (isObject(entry.table) && entry.table.name === EGRESS_TABLE && entry.table.family === 'inet')
            state.loaded = true;
        if (isObject(entry.counter) && entry.counter.table === EGRESS_TABLE) {
            const key = COUNTERS[entry.counter.name as keyof typeof COUNTERS] as keyof EgressTableState['counters'] | undefined;
            if (key) {
                const { packets, bytes } = entry.counter;
                if (typeof packets !== 'number' || typeof bytes !== 'number')
                    throw new ParseError('nft', `counter ${String(entry.counter.name)}: packets and bytes are not numbers`, text);
                state.counters[key] = { packets, bytes };
            }
        }
        if (isObject(entry.set) && entry.set.table === EGRESS_TABLE && typeof entry.set.name === 'string')
            setElements[entry.set.name] = elementTexts(entry.set.name, entry.set.elem, text);
        if (isObject(entry.rule) && entry.rule.table === EGRESS_TABLE && entry.rule.chain === 'new_outbound') {
            const expr = entry.rule.expr;
            if (!Array.isArray(expr) || !expr.every(isObject))
                throw new ParseError('nft', `rule ${String(entry.rule.handle ?? '?')}: "expr" is not a list of objects`, text);
            newOutbound.push(expr);
        }
    }
    for (const name of Object.keys(SETS).sort((a, b) => Number(a.endsWith('v6')) - Number(b.endsWith('v6'))))
        state.sets[SETS[name]].push(...(setElements[name] ?? []));

    if (!state.loaded || newOutbound.length === 0)
        return state;
    const last = newOutbound[newOutbound.length - 1];
    const has = (expr: Json[], key: string) => expr.some(e => key in e);
    if (has(last, 'reject')) {
        state.mode = 'enforce';
        state.allowLocalNetworks = newOutbound.some(expr => has(expr, 'accept') && expr.some(e => isObject(e.match) && e.match.right === '@local_v4'));
    } else if (has(last, 'log') && has(last, 'accept')) {
        state.mode = 'audit';
    } else {
        state.mode = 'unknown';
    }
    return state;
}

/** nft -j writes an element as "a", {"prefix": {"addr", "len"}}, {"range": [a, b]}, or {"elem": {"val": …}} with options. */
function elementTexts(set: string, elem: unknown, text: string): string[] {
    if (elem === undefined)
        return [];
    if (!Array.isArray(elem))
        throw new ParseError('nft', `set ${set}: "elem" is not a list`, text);
    const one = (value: unknown): string => {
        if (typeof value === 'string')
            return value;
        if (isObject(value) && isObject(value.prefix) && typeof value.prefix.addr === 'string' && typeof value.prefix.len === 'number')
            return `${value.prefix.addr}/${value.prefix.len}`;
        if (isObject(value) && Array.isArray(value.range) && value.range.length === 2)
            return `${one(value.range[0])}-${one(value.range[1])}`;
        if (isObject(value) && isObject(value.elem) && 'val' in value.elem)
            return one(value.elem.val);
        throw new ParseError('nft', `set ${set}: an element is neither an address, a prefix nor a range`, text);
    };
    return elem.map(one);
}
