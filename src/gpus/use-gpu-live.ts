// The live side of the GPUs tab: one nvidia-smi --query-gpu stream for all GPUs and one
// slower compute-apps stream, both long-lived (DESIGN decision 6), kept in state with
// the last ten minutes of history. Bad lines are counted, not fatal.
import { useCallback, useEffect, useRef, useState } from 'react';
import { markArrival } from '../../pkg/lib/perf';
import { useRestartingStream, type StreamState } from '../../pkg/lib/use-restarting-stream';
import type { ComputeApp, LiveSample } from './gpu';
import type { ProcessOwner } from '../system/process-owner';
import { applyAppLine, computeAppsStreamArgv, expireApps, type SeenApp } from './compute-apps-live';
import { readProcessOwner } from './gpus-client';
import { addPoint, memoryPercent, type GpuHistory } from './history';
import { liveQueryArgv, parseLiveLine } from './nvidia-smi-csv-parser';

export const LIVE_INTERVAL_MS = 2000;
export const APPS_INTERVAL_MS = 5000;
/** User-timing names: a block of live samples arrived / its render was committed (make bench). */
export const LIVE_SAMPLE_MARK = 'aiws-gpu-sample';
export const LIVE_RENDER_MEASURE = 'aiws-gpu-refresh';

export interface GpuLive {
    samples: ReadonlyMap<string, LiveSample>;
    history: GpuHistory;
    stream: StreamState;
    /** Lines the page could not read, and the last such problem. */
    badLines: number;
    lastBadLine: unknown;
    /** When a GPU was last heard of; one that stops appearing has gone missing. */
    lastSeen: ReadonlyMap<string, number>;
}

export function useGpuLive(enabled: boolean, intervalMs = LIVE_INTERVAL_MS): GpuLive {
    const [samples, setSamples] = useState<ReadonlyMap<string, LiveSample>>(new Map());
    const [history, setHistory] = useState<GpuHistory>(new Map());
    const [lastSeen, setLastSeen] = useState<ReadonlyMap<string, number>>(new Map());
    const [bad, setBad] = useState<{ count: number, last: unknown }>({ count: 0, last: null });

    const onLine = useCallback((line: string) => {
        if (line.trim() === '')
            return;
        const result = parseLiveLine(line);
        if (!result.ok) {
            setBad(previous => ({ count: previous.count + 1, last: result.error }));
            return;
        }
        const sample = result.sample;
        markArrival(LIVE_SAMPLE_MARK);
        const now = Date.now();
        setSamples(previous => new Map(previous).set(sample.uuid, sample));
        setLastSeen(previous => new Map(previous).set(sample.uuid, now));
        setHistory(previous => addPoint(previous, sample.uuid, { t: now, util: sample.utilGpu, mem: memoryPercent(sample.memUsed, sample.memTotal) }));
    }, []);

    const stream = useRestartingStream(enabled ? liveQueryArgv(intervalMs) : null, {
        onLine,
        stallAfterMs: intervalMs * 3,
        restartAfterMs: Math.max(intervalMs * 10, 20000),
    });

    return { samples, history, stream, badLines: bad.count, lastBadLine: bad.last, lastSeen };
}

export interface ComputeAppsLive {
    apps: ComputeApp[];
    owners: ReadonlyMap<number, ProcessOwner | null>;
    stream: StreamState;
}

export function useComputeAppsLive(enabled: boolean, intervalMs = APPS_INTERVAL_MS): ComputeAppsLive {
    const [apps, setApps] = useState<ReadonlyMap<string, SeenApp>>(new Map());
    const [owners, setOwners] = useState<ReadonlyMap<number, ProcessOwner | null>>(new Map());
    const asked = useRef(new Set<number>());

    const onLine = useCallback((line: string) => {
        setApps(previous => applyAppLine(previous, line, Date.now()).apps);
    }, []);

    // nvidia-smi prints nothing for a tick without compute processes: silence is the
    // normal state here, so only an ended stream is restarted, never a quiet one
    const stream = useRestartingStream(enabled ? computeAppsStreamArgv(intervalMs) : null, {
        onLine,
        stallAfterMs: Infinity,
        restartAfterMs: Infinity,
    });

    // an ended process is one the stream stopped reporting
    useEffect(() => {
        if (!enabled)
            return;
        const timer = setInterval(() => setApps(previous => expireApps(previous, Date.now(), intervalMs)), intervalMs);
        return () => clearInterval(timer);
    }, [enabled, intervalMs]);

    // each new pid's owner is read once, from a file (no process)
    useEffect(() => {
        for (const { app } of apps.values()) {
            if (asked.current.has(app.pid))
                continue;
            asked.current.add(app.pid);
            void readProcessOwner(app.pid).then(owner => setOwners(previous => new Map(previous).set(app.pid, owner)));
        }
    }, [apps]);

    return { apps: [...apps.values()].map(seen => seen.app), owners, stream };
}
