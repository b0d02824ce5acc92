// Who reached flagged endpoints, from audit-log rows: the Overview's "N senders reached cloud AI
// endpoints in the last 24 h". The journal names no program: a line carries the socket's user
// (UID=, only for packets of this machine's own sockets) and the source address, so a sender
// is a user of this machine or, without a UID, an address that sent through it (a container's,
// a VM's). Pure.
import type { EndpointCategory } from './endpoints';
import type { AuditRow } from './audit-log';

export interface FlaggedSender {
    /** 'uid 65534' or 'from 10.213.9.2'. */
    key: string;
    uid: number | null;
    /** The source address, for senders without a UID. */
    source: string | null;
    categories: EndpointCategory[];
    vendors: string[];
    connections: number;
    lastUs: number;
}

export function flaggedSenders(rows: readonly AuditRow[]): FlaggedSender[] {
    const senders = new Map<string, FlaggedSender>();
    for (const row of rows) {
        if (!row.flag)
            continue;
        const key = row.uid !== null ? `uid ${row.uid}` : `from ${row.source}`;
        let sender = senders.get(key);
        if (!sender) {
            sender = { key, uid: row.uid, source: row.uid === null ? row.source : null, categories: [], vendors: [], connections: 0, lastUs: 0 };
            senders.set(key, sender);
        }
        if (!sender.categories.includes(row.flag.category))
            sender.categories.push(row.flag.category);
        if (!sender.vendors.includes(row.flag.vendor))
            sender.vendors.push(row.flag.vendor);
        sender.connections++;
        sender.lastUs = Math.max(sender.lastUs, row.timeUs);
    }
    return [...senders.values()].sort((a, b) => b.lastUs - a.lastUs);
}
