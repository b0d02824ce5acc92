// Known-good deployments: the records in /var/lib/cockpit-ai-workstation/known-good.jsonl
// (one KnownGoodRecord per line, newest last), written by record-known-good.sh at boot and
// by the page. Reading is tolerant per line: a corrupt or truncated line is counted and
// ignored, never fatal, because one bad line must not hide every other known-good
// deployment (issue 5, "records repaired or ignored with a notice"). Pure.
import type { Deployment } from '../deployments/deployment';
import type { KnownGoodFile, KnownGoodRecord } from './kernel';

/** The writers keep this many lines (the oldest go first). */
export const KNOWN_GOOD_MAX_LINES = 50;

const CHECKSUM = /^[0-9a-f]{64}$/;
// what `date -u +%Y-%m-%dT%H:%M:%SZ` (the sh writer) and Date.toISOString() (the page) print
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

type JsonRecord = Record<string, unknown>;

function isObject(value: unknown): value is JsonRecord {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
    return typeof value === 'string' && value.trim() !== '';
}

/** null or a non-empty string; a missing key counts as null (older or hand-written lines). */
function optionalText(value: unknown): string | null | undefined {
    if (value === undefined || value === null)
        return null;
    return nonEmpty(value) ? value : undefined;
}

/** One line as a record, or null when any field is not what a record holds. */
export function recordOfLine(line: string): KnownGoodRecord | null {
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch {
        return null;
    }
    if (!isObject(value))
        return null;
    const { checksum, kernel, driverVersion, gpus, recordedAt, recordedBy } = value;
    const osname = optionalText(value.osname);
    const version = optionalText(value.version);
    if (typeof checksum !== 'string' || !CHECKSUM.test(checksum))
        return null;
    if (osname === undefined || version === undefined || !nonEmpty(kernel) || !nonEmpty(driverVersion))
        return null;
    if (!Array.isArray(gpus) || !gpus.every(nonEmpty))
        return null;
    if (typeof recordedAt !== 'string' || !ISO_UTC.test(recordedAt) || Number.isNaN(Date.parse(recordedAt)))
        return null;
    if (recordedBy !== 'boot' && recordedBy !== 'page')
        return null;
    return { checksum, osname, version, kernel, driverVersion, gpus: [...gpus], recordedAt, recordedBy };
}

/**
 * The file's records, one per checksum: the newest (by recordedAt, a later line on a tie),
 * ordered oldest first like the file. Blank lines are no records and no damage either.
 */
export function parseKnownGood(text: string): KnownGoodFile {
    const newest = new Map<string, { record: KnownGoodRecord, line: number }>();
    let ignoredLines = 0;
    text.split('\n').forEach((line, index) => {
        if (line.trim() === '')
            return;
        const record = recordOfLine(line);
        if (!record) {
            ignoredLines++;
            return;
        }
        const seen = newest.get(record.checksum);
        if (!seen || Date.parse(record.recordedAt) >= Date.parse(seen.record.recordedAt))
            newest.set(record.checksum, { record, line: index });
    });
    const records = [...newest.values()]
        .sort((a, b) => Date.parse(a.record.recordedAt) - Date.parse(b.record.recordedAt) || a.line - b.line)
        .map(entry => entry.record);
    return { records, ignoredLines };
}

/** One line, no newline; the keys in the order record-known-good.sh writes them. */
export function serializeRecord(record: KnownGoodRecord): string {
    return JSON.stringify({
        checksum: record.checksum,
        osname: record.osname,
        version: record.version,
        kernel: record.kernel,
        driverVersion: record.driverVersion,
        gpus: record.gpus,
        recordedAt: record.recordedAt,
        recordedBy: record.recordedBy,
    });
}

/**
 * The new file text with `record` appended: lines of the same checksum go (the new record
 * supersedes them, exactly as record-known-good.sh does it, so one deployment booted many
 * times cannot push every other one out), blank lines go, other lines stay as they are
 * (a corrupt one too: the reader ignores it), and at most KNOWN_GOOD_MAX_LINES remain.
 */
export function appendRecord(text: string, record: KnownGoodRecord): string {
    const same = `"checksum":"${record.checksum}"`;
    const kept = text.split('\n').filter(line => line.trim() !== '' && !line.includes(same));
    return [...kept.slice(-(KNOWN_GOOD_MAX_LINES - 1)), serializeRecord(record)].join('\n') + '\n';
}

/** The record of each deployment (by Deployment.id), matched by checksum, and by osname where both say one. */
export function knownGoodFor(deployments: readonly Deployment[], file: KnownGoodFile): Map<string, KnownGoodRecord> {
    const byChecksum = new Map(file.records.map(r => [r.checksum, r]));
    const result = new Map<string, KnownGoodRecord>();
    for (const d of deployments) {
        const record = byChecksum.get(d.checksum);
        if (record && (record.osname === null || d.osname === null || record.osname === d.osname))
            result.set(d.id, record);
    }
    return result;
}

export interface HealthSeen {
    /** The booted deployment the healthy verdict was seen on. */
    booted: Deployment;
    /** uname -r of the running kernel. */
    kernel: string | null;
    /** The loaded module's version (/sys/module/nvidia/version or nvidia-smi's). */
    driverVersion: string | null;
    /** The GPU names nvidia-smi reported. */
    gpus: readonly string[];
    now: Date;
}

/**
 * What the page records when it sees a healthy verdict; null when the facts do not make a
 * record (no kernel, no driver, no GPU, or the deployment is not the booted one), because a
 * record must only ever say "this deployment worked with this driver".
 */
export function recordFromHealth(seen: HealthSeen): KnownGoodRecord | null {
    const { booted, kernel, driverVersion, gpus, now } = seen;
    if (!booted.booted || !CHECKSUM.test(booted.checksum) || !nonEmpty(kernel) || !nonEmpty(driverVersion))
        return null;
    const names = gpus.filter(nonEmpty);
    if (names.length === 0)
        return null;
    return {
        checksum: booted.checksum,
        osname: booted.osname,
        version: booted.version,
        kernel: kernel.trim(),
        driverVersion: driverVersion.trim(),
        gpus: names,
        recordedAt: now.toISOString(),
        recordedBy: 'page',
    };
}

/**
 * The file already says this: a record of the same deployment with the same kernel and
 * driver. The page then writes nothing, so opening it does not rewrite the file each time.
 */
export function alreadyRecorded(file: KnownGoodFile, record: KnownGoodRecord): boolean {
    return file.records.some(r => r.checksum === record.checksum && r.kernel === record.kernel && r.driverVersion === record.driverVersion);
}

/**
 * Newest first: by commit time, then by list position (ostree lists the newer deployment
 * first). Auto-pinning and recovery both mean "newest" this way, so they agree.
 */
export function newestFirst<T extends Pick<Deployment, 'timestamp' | 'index'>>(deployments: readonly T[]): T[] {
    return [...deployments].sort((a, b) => (b.timestamp ?? -Infinity) - (a.timestamp ?? -Infinity) || a.index - b.index);
}
