import { act, renderHook } from '@testing-library/react';
import { channelCalls, resetFake } from '../../test/unit/fake-cockpit';
import { primeHostRoot, resetHostRoot } from './host-root';
import { useWatchedResource } from './use-watched-resource';

beforeEach(() => {
    resetFake();
    resetHostRoot();
    primeHostRoot('/root-prefix');
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
});
afterEach(() => jest.useRealTimers());

async function flush() {
    await act(async () => { for (let i = 0; i < 5; i++) await Promise.resolve() });
}

test('reads once, again after a watched change (debounced), keeps data when a read fails', async () => {
    let n = 0;
    let fail = false;
    const load = jest.fn(() => fail ? Promise.reject(new Error('status failed')) : Promise.resolve(++n));
    const { result } = renderHook(() => useWatchedResource(load, { watch: ['/run/ostree', '/ostree'], pollMs: 0, quietMs: 100, maxWaitMs: 1000 }, []));
    await flush();
    expect(result.current).toMatchObject({ data: 1, loading: false, error: null });
    expect(channelCalls.map(c => c.options.path)).toEqual(['/root-prefix/run/ostree', '/root-prefix/ostree']);

    act(() => {
        channelCalls[0].emit(JSON.stringify({ event: 'created', path: '/root-prefix/run/ostree/staged-deployment' }));
        channelCalls[1].emit(JSON.stringify({ event: 'changed', path: '/root-prefix/ostree/boot.1' }));
    });
    await act(async () => { jest.advanceTimersByTime(100) });
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.data).toBe(2);

    fail = true;
    act(() => channelCalls[0].emit(JSON.stringify({ event: 'deleted' })));
    await act(async () => { jest.advanceTimersByTime(100) });
    await flush();
    expect(result.current.data).toBe(2);
    expect(result.current.error).toEqual(new Error('status failed'));
});

test('polls as a safety net, never two reads at once', async () => {
    let resolveRead: ((v: number) => void) | null = null;
    const load = jest.fn(() => new Promise<number>(resolve => { resolveRead = resolve }));
    const { result, unmount } = renderHook(() => useWatchedResource(load, { watch: [], pollMs: 1000 }, []));
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => { jest.advanceTimersByTime(3000) });
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => { resolveRead!(7) });
    await flush();
    expect(result.current.data).toBe(7);
    expect(load).toHaveBeenCalledTimes(2); // the reads asked for meanwhile collapse into one
    unmount();
});

test('no loader: nothing read, nothing watched', async () => {
    const { result } = renderHook(() => useWatchedResource<number>(null, { watch: ['/x'], pollMs: 1000 }, []));
    await flush();
    expect(result.current).toMatchObject({ data: null, loading: false });
    expect(channelCalls).toHaveLength(0);
});

test('new watch paths keep the data and do not read again', async () => {
    const load = jest.fn(() => Promise.resolve(1));
    const { result, rerender } = renderHook(({ watch }) => useWatchedResource(load, { watch, pollMs: 0 }, []), { initialProps: { watch: ['/a'] } });
    await flush();
    rerender({ watch: ['/a', '/b'] });
    await flush();
    expect(result.current.data).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
    expect(channelCalls.map(c => [c.options.path, c.closed])).toEqual([['/root-prefix/a', true], ['/root-prefix/a', false], ['/root-prefix/b', false]]);
});
