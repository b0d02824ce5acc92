// The audit log as the tab shows and exports it: the journal's events of our table with the
// peer's name and flag where the page knows them, and the programs the page saw making the
// same connection while it was open (the kernel's line carries the uid, not the program). Pure.
import type { AuditEvent } from './audit-log-parser';
import { LOG_PREFIX_DENIED } from './egress-ruleset';
import type { Endpoint, EndpointMatcher } from './endpoints';
import type { NameOf } from './connections';

export type AuditVerdict = 'allowed' | 'denied';

export interface AuditRow {
    cursor: string;
    /** Microseconds since the epoch, the kernel's time as near as the journal tells. */
    timeUs: number;
    verdict: AuditVerdict;
    protocol: string;
    source: string;
    sport: number | null;
    destination: string;
    dport: number | null;
    uid: number | null;
    destinationName: string | null;
    flag: Endpoint | null;
    /** Programs seen with this uid, destination and port, or []. */
    programs: string[];
}

/** Key of "this uid reached this destination and port" for the join with live connections. */
export function sightingKey(uid: number | null, address: string, port: number | '*' | null): string {
    return `${uid ?? ''} ${address} ${port ?? ''}`;
}

export function auditRows(events: readonly AuditEvent[], nameOf: NameOf, matcher: EndpointMatcher,
                          sightings: ReadonlyMap<string, readonly string[]> = new Map()): AuditRow[] {
    return events.map(event => {
        const destinationName = nameOf(event.dst);
        return {
            cursor: event.cursor,
            timeUs: event.timeUs,
            verdict: event.prefix === LOG_PREFIX_DENIED ? 'denied' : 'allowed',
            protocol: event.protocolName,
            source: event.src,
            sport: event.sport ?? null,
            destination: event.dst,
            dport: event.dport ?? null,
            uid: event.uid ?? null,
            destinationName,
            flag: destinationName === null ? null : matcher.match(destinationName),
            programs: [...(sightings.get(sightingKey(event.uid ?? null, event.dst, event.dport ?? null)) ?? [])],
        };
    });
}

const CSV_COLUMNS = ['time', 'verdict', 'protocol', 'source', 'source_port', 'destination', 'destination_port', 'destination_name', 'flag', 'vendor', 'uid', 'programs'] as const;

function csvField(value: string): string {
    // a field that a spreadsheet would run as a formula is quoted and prefixed (CSV injection)
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\n\r']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function isoTime(timeUs: number): string {
    return new Date(Math.floor(timeUs / 1000)).toISOString();
}

export function auditCsv(rows: readonly AuditRow[]): string {
    const lines = [CSV_COLUMNS.join(',')];
    for (const row of rows) {
        lines.push([
            isoTime(row.timeUs), row.verdict, row.protocol, row.source, String(row.sport ?? ''), row.destination, String(row.dport ?? ''),
            row.destinationName ?? '', row.flag?.category ?? '', row.flag?.vendor ?? '', String(row.uid ?? ''), row.programs.join(' '),
        ].map(csvField).join(','));
    }
    return lines.join('\r\n') + '\r\n';
}

export function auditJson(rows: readonly AuditRow[]): string {
    return JSON.stringify(rows.map(row => ({
        time: isoTime(row.timeUs),
        verdict: row.verdict,
        protocol: row.protocol,
        source: row.source,
        sourcePort: row.sport,
        destination: row.destination,
        destinationPort: row.dport,
        destinationName: row.destinationName,
        flag: row.flag ? { category: row.flag.category, vendor: row.flag.vendor } : null,
        uid: row.uid,
        programs: row.programs,
        cursor: row.cursor,
    })), null, 2) + '\n';
}
