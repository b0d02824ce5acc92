// The Overview's look at the last 24 hours of the audit log: who reached flagged endpoints.
// Names come from forward lookups of the shipped endpoint list and one bounded batch of
// reverse lookups, as on the tab.
import { useAsync, type AsyncResult } from '../../pkg/lib/use-async';
import { auditRows } from './audit-log';
import { lookUpHosts, readAuditLog } from './egress-client';
import { EndpointMatcher, lookupNames, shippedEndpoints } from './endpoints';
import { flaggedSenders, type FlaggedSender } from './flagged-senders';
import { NameCache } from './name-cache';

export const FLAGGED_WINDOW_S = 24 * 3600;

export interface FlaggedLastDay {
    senders: FlaggedSender[];
    /** Lines of the journal that could not be read. */
    problemCount: number;
}

async function loadFlaggedLastDay(): Promise<FlaggedLastDay> {
    const endpoints = shippedEndpoints();
    const nowS = Date.now() / 1000;
    const [journal, forward] = await Promise.all([
        readAuditLog(nowS - FLAGGED_WINDOW_S, nowS),
        // without names nothing is flagged, but the log is still read
        lookUpHosts('forward', lookupNames(endpoints)).catch(() => new Map<string, string[]>()),
    ]);
    const names = new NameCache();
    names.setForward(forward);
    const asked = names.toLookUp(new Set(journal.events.map(e => e.dst)), Date.now());
    if (asked.length > 0)
        names.record(asked, await lookUpHosts('reverse', asked).catch(() => new Map<string, string[]>()), Date.now());
    const rows = auditRows(journal.events, address => names.name(address), new EndpointMatcher(endpoints));
    return { senders: flaggedSenders(rows), problemCount: journal.problemCount };
}

/** null while not enabled (no nft, or no administrative access). */
export function useFlaggedLastDay(enabled: boolean): AsyncResult<FlaggedLastDay | null> {
    return useAsync(() => (enabled ? loadFlaggedLastDay() : Promise.resolve(null)), [enabled]);
}
