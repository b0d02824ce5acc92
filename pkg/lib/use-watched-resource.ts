// A host resource read on demand and again whenever the files that reflect it change
// (inotify through the bridge, no process), with a slow poll as a safety net for
// changes no watched file shows. Keeps the last good answer when a later read fails,
// so a view can show what it knows and say it may be stale.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { debounce, watchPaths } from './fs-watch';

export interface WatchedResource<T> {
    data: T | null;
    /** The last read's failure; null after a good read. */
    error: unknown;
    /** No answer yet, good or bad. */
    loading: boolean;
    /** A read is running over data already shown. */
    refreshing: boolean;
    loadedAt: number | null;
    reload(): void;
}

export interface WatchOptions {
    /** Absolute host paths (root prefix added by the watch). */
    watch: readonly string[];
    /** Read again this often even without a change; 0 for never. */
    pollMs: number;
    quietMs?: number;
    maxWaitMs?: number;
}

export function useWatchedResource<T>(load: (() => Promise<T>) | null, options: WatchOptions, deps: readonly unknown[]): WatchedResource<T> {
    const [data, setData] = useState<T | null>(null);
    const [error, setError] = useState<unknown>(null);
    const [loading, setLoading] = useState(load !== null);
    const [refreshing, setRefreshing] = useState(false);
    const [loadedAt, setLoadedAt] = useState<number | null>(null);
    const loadRef = useRef(load);
    loadRef.current = load;
    const running = useRef(false);
    const again = useRef(false);
    const alive = useRef(true);
    const generation = useRef(0);

    const read = useCallback(() => {
        const current = loadRef.current;
        if (!current)
            return;
        // one read at a time; a change during a read means one more read after it
        if (running.current) {
            again.current = true;
            return;
        }
        running.current = true;
        setRefreshing(true);
        const mine = generation.current;
        current().then(
            value => {
                if (!alive.current || mine !== generation.current)
                    return;
                setData(value);
                setError(null);
                setLoadedAt(Date.now());
            },
            failure => {
                if (!alive.current || mine !== generation.current)
                    return;
                setError(failure);
            })
                .finally(() => {
                    running.current = false;
                    if (!alive.current)
                        return;
                    setLoading(false);
                    setRefreshing(false);
                    if (again.current) {
                        again.current = false;
                        read();
                    }
                });
    }, []);

    const watchKey = JSON.stringify(options.watch);
    const { pollMs, quietMs = 300, maxWaitMs = 2000 } = options;
    const soon = useMemo(() => debounce(() => read(), quietMs, maxWaitMs), [read, quietMs, maxWaitMs]);

    useEffect(() => {
        alive.current = true;
        generation.current++;
        running.current = false;
        again.current = false;
        if (!loadRef.current) {
            setLoading(false);
            return;
        }
        setLoading(true);
        setData(null);
        setError(null);
        read();
        const poll = pollMs > 0 ? setInterval(read, pollMs) : null;
        return () => {
            alive.current = false;
            soon.cancel();
            if (poll)
                clearInterval(poll);
        };
    // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [pollMs, read, soon, ...deps]);

    // the watched paths may follow the data (a new osname): changing them keeps the data
    useEffect(() => {
        if (!loadRef.current)
            return;
        const watch = watchPaths(JSON.parse(watchKey) as string[], () => soon.trigger());
        return () => watch.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [watchKey, soon, ...deps]);

    return { data, error, loading, refreshing: refreshing && !loading, loadedAt, reload: read };
}
