// How "no outbound network" is made real. The page's servers join one podman bridge
// network whose host interface has a fixed name; an nftables table of our own refuses
// every connection that starts from that interface, whether it is headed for the
// internet (forward) or for the host itself (input: Cockpit, SSH, the DNS forwarder).
// Connections *to* a server, through its published port, start on the host side, so
// their replies are "established" and pass. Table and file are ours alone: firewalld's
// and podman's own rules are never touched. Pure: texts and the parse of `nft -j`.
import { ParseError } from '../../pkg/lib/parse-error';
import { PRIVATE_INTERFACE } from './model-server';
import { nftBootUnit } from '../system/nft-boot-unit';

export const FIREWALL_TABLE = 'ai_workstation_models';
export const FIREWALL_FILE = '/etc/cockpit-ai-workstation/models.nft';
export const FIREWALL_UNIT = 'ai-workstation-models-firewall.service';
export const FIREWALL_UNIT_FILE = `/etc/systemd/system/${FIREWALL_UNIT}`;

/**
 * The whole table in one `nft -f` transaction: the leading "table … / delete table …"
 * pair replaces an older copy atomically and works whether or not one exists.
 */
export function firewallRuleset(): string {
    return `#!/usr/sbin/nft -f
# Written by Cockpit's AI workstation page: model servers on the podman network
# "ai-workstation" (interface ${PRIVATE_INTERFACE}) may answer, never start a connection.
table inet ${FIREWALL_TABLE}
delete table inet ${FIREWALL_TABLE}
table inet ${FIREWALL_TABLE} {
    chain forward {
        type filter hook forward priority filter - 10; policy accept;
        iifname "${PRIVATE_INTERFACE}" ct state new counter reject with icmpx admin-prohibited comment "outbound from model servers"
    }
    chain input {
        type filter hook input priority filter - 10; policy accept;
        iifname "${PRIVATE_INTERFACE}" ct state new counter reject with icmpx admin-prohibited comment "model servers to this host"
    }
}
`;
}

/** Loads the table at boot, before any model server's unit (they require it). */
export function firewallUnit(): string {
    return nftBootUnit({ description: `Refuse outbound connections from local model servers (nftables table ${FIREWALL_TABLE})`, file: FIREWALL_FILE, table: FIREWALL_TABLE });
}

export interface FirewallState {
    loaded: boolean;
    /** Connections refused so far: to the outside, and to this host. */
    refusedOutbound: number;
    refusedToHost: number;
    /** The rules as nft prints them, for the admin who wants to see the enforcement. */
    rules: string[];
}

interface NftRuleExpr {
    match?: { left?: { meta?: { key?: string } }, right?: unknown };
    counter?: { packets?: number };
}

/** `nft -j list table inet ai_workstation_models`; the table missing is the caller's "not loaded". */
export function parseFirewallListing(text: string): FirewallState {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        throw new ParseError('nft', 'nft -j did not print JSON', text);
    }
    const entries = typeof json === 'object' && json !== null ? (json as { nftables?: unknown }).nftables : undefined;
    if (!Array.isArray(entries))
        throw new ParseError('nft', 'no "nftables" list in nft -j output', text);
    let loaded = false;
    let refusedOutbound = 0;
    let refusedToHost = 0;
    const rules: string[] = [];
    const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
    for (const entry of entries) {
        if (!isObject(entry))
            throw new ParseError('nft', 'an entry of the "nftables" list is not an object', text);
        const table = entry.table as { name?: string } | undefined;
        if (table?.name === FIREWALL_TABLE)
            loaded = true;
        const rule = entry.rule as { chain?: string, table?: string, expr?: NftRuleExpr[], comment?: string } | undefined;
        if (!rule || rule.table !== FIREWALL_TABLE)
            continue;
        const raw: unknown = rule.expr ?? [];
        if (!Array.isArray(raw) || !raw.every(isObject))
            throw new ParseError('nft', `rule ${String((rule as { handle?: unknown }).handle ?? '?')}: "expr" is not a list of objects`, text);
        const expr = raw as NftRuleExpr[];
        const matchesInterface = expr.some(e => e.match?.left?.meta?.key === 'iifname' && e.match.right === PRIVATE_INTERFACE);
        const packets = expr.reduce((sum, e) => sum + (typeof e.counter?.packets === 'number' ? e.counter.packets : 0), 0);
        if (!matchesInterface)
            continue;
        if (rule.chain === 'forward')
            refusedOutbound += packets;
        else if (rule.chain === 'input')
            refusedToHost += packets;
        rules.push(`${rule.chain}: iifname "${PRIVATE_INTERFACE}" ct state new reject${rule.comment ? ` (${rule.comment})` : ''}`);
    }
    return { loaded: loaded && rules.length >= 2, refusedOutbound, refusedToHost, rules };
}
