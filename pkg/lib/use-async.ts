// A small async-data hook: one load, its loading / error / ready state, and reload.
import { useCallback, useEffect, useRef, useState } from 'react';

export type AsyncState<T> =
    | { status: 'loading' }
    | { status: 'error', error: unknown }
    | { status: 'ready', data: T };

export interface AsyncResult<T> {
    state: AsyncState<T>;
    /** Load again; the previous data stays visible until the new answer arrives. */
    reload: () => void;
    /** True while a reload runs over data already shown. */
    refreshing: boolean;
}

export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncResult<T> {
    const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
    const [refreshing, setRefreshing] = useState(false);
    const generation = useRef(0);
    const loadRef = useRef(load);
    loadRef.current = load;

    const start = useCallback(() => {
        const mine = ++generation.current;
        setRefreshing(true);
        loadRef.current().then(
            data => {
                if (mine === generation.current)
                    setState({ status: 'ready', data });
            },
            error => {
                if (mine === generation.current)
                    setState({ status: 'error', error });
            })
                .finally(() => {
                    if (mine === generation.current)
                        setRefreshing(false);
                });
    }, []);

    useEffect(() => {
        setState({ status: 'loading' });
        start();
        return () => {
            // answers of a load started for other deps are dropped; the counter is
            // meant to have moved on by then, which is what the rule warns about
            // eslint-disable-next-line react-hooks/exhaustive-deps
            generation.current++;
        };
    // eslint-disable-next-line react-hooks/exhaustive-deps
    }, deps);

    return { state, reload: start, refreshing: refreshing && state.status !== 'loading' };
}
