// The framed output of ss-snapshots.sh, one snapshot at a time as its lines arrive. Pure.
import { cgroupPathOf } from '../system/process-owner';
import type { SsSocket } from './egress';
import { parseSs } from './ss-parser';

export interface SsSnapshot {
    sockets: SsSocket[];
    /** ss's exit status; its words (when not 0) are in `error`. */
    status: number;
    /** What ss printed instead of sockets, or the parse failure; null when all went well. */
    error: string | null;
    /** readlink /proc/<pid>/exe, for the processes the page may read. */
    exes: Map<number, string>;
    /** The telling cgroup path of each process (cgroupPathOf). */
    cgroups: Map<number, string>;
}

/** Feeds lines; returns a snapshot at each "end" line, null before. */
export class SsSnapshotReader {
    private ssLines: string[] = [];
    private status = 0;
    private exes = new Map<number, string>();
    private cgroupLines = new Map<number, string[]>();

    push(line: string): SsSnapshot | null {
        const tab = line.indexOf('\t');
        const kind = tab < 0 ? line : line.slice(0, tab);
        const rest = tab < 0 ? '' : line.slice(tab + 1);
        if (kind === 'ss') {
            this.ssLines.push(rest);
        } else if (kind === 'status') {
            this.status = Number.parseInt(rest, 10) || 0;
        } else if (kind === 'exe' || kind === 'cgroup') {
            const at = rest.indexOf('\t');
            const pid = Number.parseInt(rest.slice(0, at), 10);
            if (at > 0 && Number.isInteger(pid)) {
                const value = rest.slice(at + 1);
                if (kind === 'exe')
                    this.exes.set(pid, value);
                else
                    this.cgroupLines.set(pid, [...(this.cgroupLines.get(pid) ?? []), value]);
            }
        } else if (kind === 'end') {
            return this.finish();
        }
        // anything else (a continuation of a cut process name carries the prefix too) is ignored
        return null;
    }

    private finish(): SsSnapshot {
        const text = this.ssLines.join('\n');
        let sockets: SsSocket[] = [];
        let error: string | null = null;
        if (this.status !== 0) {
            error = text.trim() || `ss exited with status ${this.status}`;
        } else {
            try {
                sockets = parseSs(text);
            } catch (e) {
                error = e instanceof Error ? e.message : String(e);
            }
        }
        const cgroups = new Map<number, string>();
        for (const [pid, lines] of this.cgroupLines) {
            try {
                cgroups.set(pid, cgroupPathOf(lines.join('\n')));
            } catch {
                // a process that ended while the file was read: no attribution, not an error
            }
        }
        const snapshot: SsSnapshot = { sockets, status: this.status, error, exes: this.exes, cgroups };
        this.ssLines = [];
        this.status = 0;
        this.exes = new Map();
        this.cgroupLines = new Map();
        return snapshot;
    }
}
