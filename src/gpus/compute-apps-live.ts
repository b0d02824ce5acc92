// The compute-apps stream prints one line per process per tick and nothing at all when
// no process runs, so a process that ended is one that stopped being reported: it is
// dropped after a few missed ticks. Pure.
import type { ComputeApp } from './gpu';
import { parseComputeApps } from './compute-apps-parser';

export const COMPUTE_APPS_STREAM_FIELDS = ['timestamp', 'pid', 'process_name', 'used_gpu_memory', 'gpu_uuid', 'gpu_bus_id'] as const;

export function computeAppsStreamArgv(intervalMs: number): string[] {
    return [
        'nvidia-smi',
        `--query-compute-apps=${COMPUTE_APPS_STREAM_FIELDS.join(',')}`,
        '--format=csv,noheader,nounits',
        '-lms', String(Math.max(100, Math.round(intervalMs))),
    ];
}

export interface SeenApp {
    app: ComputeApp;
    seenAt: number;
}

/** The key of one process on one GPU (a process can use several GPUs). */
export function appKey(app: ComputeApp): string {
    return `${app.pid}@${app.gpuUuid}`;
}

/** Apply one stream line; a line that does not parse is reported and changes nothing. */
export function applyAppLine(apps: ReadonlyMap<string, SeenApp>, line: string, now: number): { apps: ReadonlyMap<string, SeenApp>, error: unknown } {
    if (line.trim() === '')
        return { apps, error: null };
    try {
        const next = new Map(apps);
        for (const app of parseComputeApps(line, COMPUTE_APPS_STREAM_FIELDS))
            next.set(appKey(app), { app, seenAt: now });
        return { apps: next, error: null };
    } catch (error) {
        return { apps, error };
    }
}

/** Drop the processes not reported for `missedTicks` intervals. */
export function expireApps(apps: ReadonlyMap<string, SeenApp>, now: number, intervalMs: number, missedTicks = 2.5): ReadonlyMap<string, SeenApp> {
    const cutoff = now - intervalMs * missedTicks;
    if ([...apps.values()].every(seen => seen.seenAt >= cutoff))
        return apps;
    return new Map([...apps].filter(([, seen]) => seen.seenAt >= cutoff));
}
