import { act, renderHook } from '@testing-library/react';
import { onSpawn, resetFake, spawnCalls, type SpawnCall } from '../../test/unit/fake-cockpit';
import { Backoff } from './backoff';
import { useRestartingStream } from './use-restarting-stream';

let calls: SpawnCall[];
beforeEach(() => {
    resetFake();
    calls = [];
    onSpawn(call => calls.push(call));
    // the fake cockpit starts processes in a microtask
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
});
afterEach(() => jest.useRealTimers());

async function flush() {
    await act(async () => { await Promise.resolve(); await Promise.resolve() });
}

const argv = ['nvidia-smi', '--query-gpu=index', '-lms', '1000'];

test('one process, lines delivered, restarted with back-off when it dies', async () => {
    const lines: string[] = [];
    const { result, unmount } = renderHook(() => useRestartingStream(argv, {
        onLine: line => lines.push(line), stallAfterMs: 3000, restartAfterMs: 10000,
        backoff: new Backoff({ firstMs: 1000, maxMs: 8000, healthyAfterMs: 60000 }),
    }));
    await flush();
    expect(result.current.kind).toBe('starting');
    expect(spawnCalls).toHaveLength(1);
    act(() => calls[0].emit('0\n'));
    expect(result.current.kind).toBe('running');
    expect(lines).toEqual(['0']);

    act(() => calls[0].finish({ error: { problem: null, message: 'Unable to determine the device handle for GPU0000:01:00.0: GPU is lost', exit_status: 15 } }));
    await flush();
    expect(result.current).toMatchObject({ kind: 'waiting', stalled: false, attempts: 1, error: { kind: 'exit', exitStatus: 15 } });
    await act(async () => { jest.advanceTimersByTime(999) });
    expect(spawnCalls).toHaveLength(1);
    await act(async () => { jest.advanceTimersByTime(1) });
    await flush();
    expect(spawnCalls).toHaveLength(2);

    act(() => calls[1].finish({ error: { problem: null, message: 'again', exit_status: 15 } }));
    await flush();
    expect(result.current).toMatchObject({ kind: 'waiting', attempts: 2 });
    await act(async () => { jest.advanceTimersByTime(2000) });
    await flush();
    expect(spawnCalls).toHaveLength(3);

    unmount();
    await flush();
    expect(calls[2].closedWith).toBe('terminated');
});

test('silence marks the stream stalled, then stops it and starts a new one', async () => {
    const { result } = renderHook(() => useRestartingStream(argv, {
        onLine: () => {}, stallAfterMs: 3000, restartAfterMs: 8000,
        backoff: new Backoff({ firstMs: 1000, maxMs: 8000, healthyAfterMs: 60000 }),
    }));
    await flush();
    act(() => calls[0].emit('0\n'));
    await act(async () => { jest.advanceTimersByTime(4000) });
    expect(result.current.kind).toBe('stalled');
    await act(async () => { jest.advanceTimersByTime(4500) });
    await flush();
    expect(calls[0].closedWith).toBe('terminated');
    expect(result.current).toMatchObject({ kind: 'waiting', stalled: true, error: null });
    await act(async () => { jest.advanceTimersByTime(1000) });
    await flush();
    expect(spawnCalls).toHaveLength(2);
});

test('no argv, no process', async () => {
    renderHook(() => useRestartingStream(null, { onLine: () => {}, stallAfterMs: 1000, restartAfterMs: 2000 }));
    await flush();
    expect(spawnCalls).toHaveLength(0);
});

test('a stream whose silence is normal is never restarted for it, and counts as running', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    try {
        onSpawn(() => {});
        const { result } = renderHook(() => useRestartingStream(['nvidia-smi', '--query-compute-apps=pid', '-lms', '5000'], {
            onLine: () => {}, stallAfterMs: Infinity, restartAfterMs: Infinity,
        }));
        expect(result.current.kind).toBe('running');
        await act(async () => { jest.advanceTimersByTime(10 * 60 * 1000) });
        expect(spawnCalls).toHaveLength(1);
        expect(spawnCalls[0].closedWith).toBeUndefined();
    } finally {
        jest.useRealTimers();
    }
});
