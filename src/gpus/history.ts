// The last minutes of live samples per GPU, for the charts. Pure: the stream hook
// feeds it, the views read it. Old points fall off by time, not by count, so a slower
// interval or a gap after a restart still shows the right window.

export interface HistoryPoint {
    /** Milliseconds since the epoch, from the page's clock when the line arrived. */
    t: number;
    /** GPU utilisation, percent; null when the driver did not say. */
    util: number | null;
    /** Memory used, percent of total; null when unknown. */
    mem: number | null;
}

export const HISTORY_WINDOW_MS = 10 * 60 * 1000;

export type GpuHistory = ReadonlyMap<string, readonly HistoryPoint[]>;

/** A new history with `point` added for `key` and everything older than the window dropped. */
export function addPoint(history: GpuHistory, key: string, point: HistoryPoint, windowMs = HISTORY_WINDOW_MS): GpuHistory {
    const next = new Map(history);
    const cutoff = point.t - windowMs;
    const points = (history.get(key) ?? []).filter(p => p.t >= cutoff && p.t < point.t);
    points.push(point);
    next.set(key, points);
    return next;
}

export function memoryPercent(usedMiB: number | null, totalMiB: number | null): number | null {
    if (usedMiB === null || totalMiB === null || totalMiB <= 0)
        return null;
    return Math.min(100, Math.max(0, (usedMiB / totalMiB) * 100));
}
