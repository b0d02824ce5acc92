// The Network egress tab's hands on the host: host-name lookups, our nftables table
// (read, checked, applied, persisted for boot) and the allowlist file. Texts go to the pure
// parsers and builders beside this file.
import { ensureDirectory, readFile, replaceFile } from '../../pkg/lib/file';
import { HostError } from '../../pkg/lib/host-error';
import { hostPath } from '../../pkg/lib/host-root';
import { run, runScript } from '../../pkg/lib/run';
import { formatAllowlist, type AllowlistEntry } from './allowlist';
import { parseAuditJournal, type AuditJournal } from './audit-log-parser';
import {
    EGRESS_FILE, EGRESS_TABLE, EGRESS_UNIT, EGRESS_UNIT_FILE, NAMES_SCRIPT, NAMES_SERVICE, NAMES_TIMER, egressRuleset, egressTableMissing,
    egressUnit, namesServiceUnit, namesTimerUnit, offTableState,
    parseEgressTable, type EgressMode, type EgressTableState, type ResolvedName,
} from './egress-ruleset';
import { parseHostLookups } from './host-lookups-parser';
import refreshNamesScript from './egress-refresh-names.sh';
import lookupsScript from './host-lookups.sh';
import { parseResolvConf } from './resolv-conf-parser';

export const ALLOWLIST_FILE = '/etc/cockpit-ai-workstation/egress-allowlist.conf';
const LOOKUP_TIMEOUT_MS = 15_000;
const AUDIT_TIMEOUT_MS = 60_000;

export async function lookUpHosts(mode: 'reverse' | 'forward', keys: readonly string[]): Promise<Map<string, string[]>> {
    if (keys.length === 0)
        return new Map();
    return parseHostLookups(await runScript('host-lookups.sh', lookupsScript, [mode, ...keys], { timeoutMs: LOOKUP_TIMEOUT_MS }), mode);
}

/** Our table as the kernel has it; the off state when it is not there. */
export async function readEgressTable(): Promise<EgressTableState> {
    try {
        return parseEgressTable(await run(['nft', '-j', 'list', 'table', 'inet', EGRESS_TABLE], { admin: true }));
    } catch (error) {
        if (error instanceof HostError && error.kind === 'exit' && egressTableMissing(error.detail || error.message))
            return offTableState();
        throw error;
    }
}

export interface EgressSettings {
    /** The allowlist file's text ('' when there is none). */
    allowlistText: string;
    resolvers: string[];
}

export async function readEgressSettings(): Promise<EgressSettings> {
    const [allowlist, resolvConf] = await Promise.all([
        readFile(ALLOWLIST_FILE).catch(() => null),
        readFile('/etc/resolv.conf').catch(() => null),
    ]);
    return { allowlistText: allowlist ?? '', resolvers: parseResolvConf(resolvConf ?? '') };
}

export interface ApplyRequest {
    mode: EgressMode;
    allowlist: readonly AllowlistEntry[];
    blockedContainers: readonly string[];
    allowLocalNetworks: boolean;
}

export interface ApplyResult {
    ruleset: string;
    /** Allowlist names that resolved to nothing: they let nothing through until they do. */
    unresolvedNames: string[];
    /** Why the boot unit could not be enabled (no systemd), or null. */
    bootWarning: string | null;
}

async function resolveNames(entries: readonly AllowlistEntry[]): Promise<ResolvedName[]> {
    const names = entries.filter(e => e.kind === 'name').map(e => e.value);
    const answers = await lookUpHosts('forward', names);
    return names.map(name => ({ name, addresses: answers.get(name) ?? [] }));
}

/**
 * One transaction: the ruleset is checked with `nft -c`, then the file loaded at boot is
 * replaced and loaded with `nft -f`. When nft refuses the load, the previous file goes back,
 * so the kernel's rules and the boot file stay what they were, and the error says why.
 */
export async function applyEgress(request: ApplyRequest): Promise<ApplyResult> {
    const settings = await readEgressSettings();
    const resolvedNames = request.mode === 'enforce' ? await resolveNames(request.allowlist) : [];
    const ruleset = egressRuleset({
        mode: request.mode,
        resolvers: settings.resolvers,
        allowlist: request.allowlist,
        resolvedNames,
        blockedContainers: request.blockedContainers,
        allowLocalNetworks: request.allowLocalNetworks,
    });
    // nft reads the ruleset from its standard input; -c checks it without touching the kernel's rules
    await run(['nft', '-c', '-f', '/dev/stdin'], { admin: true, input: ruleset });

    await ensureDirectory('/etc/cockpit-ai-workstation');
    const previous = await readFile(EGRESS_FILE, { admin: true }).catch(() => null);
    await replaceFile(EGRESS_FILE, ruleset, { admin: true });
    try {
        await run(['nft', '-f', await hostPath(EGRESS_FILE)], { admin: true });
    } catch (error) {
        await replaceFile(EGRESS_FILE, previous, { admin: true }).catch(() => undefined);
        throw error;
    }
    await replaceFile(ALLOWLIST_FILE, formatAllowlist(request.allowlist), { admin: true });

    let bootWarning: string | null = null;
    try {
        await ensureDirectory('/etc/systemd/system');
        await replaceFile(EGRESS_UNIT_FILE, egressUnit(), { admin: true });
        await replaceFile(NAMES_SCRIPT, refreshNamesScript, { admin: true });
        await replaceFile(`/etc/systemd/system/${NAMES_SERVICE}`, namesServiceUnit(), { admin: true });
        await replaceFile(`/etc/systemd/system/${NAMES_TIMER}`, namesTimerUnit(), { admin: true });
        await run(['systemctl', 'daemon-reload'], { admin: true });
        await run(['systemctl', 'enable', EGRESS_UNIT], { admin: true });
        // the names' addresses change (CDNs); the timer keeps the sets current while enforcing
        const refreshNames = request.mode === 'enforce' && resolvedNames.length > 0;
        await run(['systemctl', refreshNames ? 'enable' : 'disable', NAMES_TIMER], { admin: true });
    } catch (error) {
        bootWarning = error instanceof Error ? error.message : String(error);
    }
    return {
        ruleset,
        unresolvedNames: resolvedNames.filter(r => r.addresses.length === 0).map(r => r.name),
        bootWarning,
    };
}

const AUDIT_FIELDS = 'MESSAGE,PRIORITY,_TRANSPORT,SYSLOG_FACILITY,_SOURCE_MONOTONIC_TIMESTAMP';

/**
 * The journal's lines of our table between two moments (seconds since the epoch). A time
 * range that holds none is not an error: journalctl's --grep exits 1 when nothing matches.
 */
export async function readAuditLog(sinceS: number, untilS: number): Promise<AuditJournal> {
    const argv = ['journalctl', '_TRANSPORT=kernel', '--grep', '^aiws-egress', '-o', 'json', '--no-pager',
        `--output-fields=${AUDIT_FIELDS}`, `--since=@${Math.floor(sinceS)}`, `--until=@${Math.ceil(untilS)}`];
    try {
        return parseAuditJournal(await run(argv, { admin: true, timeoutMs: AUDIT_TIMEOUT_MS }));
    } catch (error) {
        // --grep without a match: status 1 and not a word on stderr
        if (error instanceof HostError && error.kind === 'exit' && error.exitStatus === 1 && error.detail.trim() === '')
            return parseAuditJournal('');
        throw error;
    }
}
