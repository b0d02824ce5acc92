import { channelCalls, resetFake } from '../../test/unit/fake-cockpit';
import { debounce, watchPaths, type FsChange } from './fs-watch';
import { primeHostRoot, resetHostRoot } from './host-root';

beforeEach(() => {
    resetFake();
    resetHostRoot();
});

async function settle() {
    await new Promise(resolve => setTimeout(resolve, 0));
}

test('one fswatch1 channel per path, under the root prefix, events named by the watched path', async () => {
    primeHostRoot('/tmp/state/root');
    const changes: FsChange[] = [];
    const watch = watchPaths(['/run/ostree', '/ostree/repo/tmp'], change => changes.push(change));
    await settle();
    expect(channelCalls.map(c => c.options)).toEqual([
        { payload: 'fswatch1', path: '/tmp/state/root/run/ostree' },
        { payload: 'fswatch1', path: '/tmp/state/root/ostree/repo/tmp' },
    ]);
    channelCalls[0].emit(JSON.stringify({ event: 'created', path: '/tmp/state/root/run/ostree/staged-deployment', type: 'file' }));
    channelCalls[1].emit('not json');
    channelCalls[1].emit(JSON.stringify({ tag: 'x' }));
    expect(changes).toEqual([{ watched: '/run/ostree', event: 'created', path: '/tmp/state/root/run/ostree/staged-deployment' }]);

    watch.close();
    expect(channelCalls.every(c => c.closed)).toBe(true);
    channelCalls[0].emit(JSON.stringify({ event: 'deleted' }));
    expect(changes).toHaveLength(1);
});

test('closing before the root prefix is known opens nothing', async () => {
    primeHostRoot('');
    watchPaths(['/run/ostree'], () => {}).close();
    await settle();
    expect(channelCalls).toEqual([]);
});

test('debounce waits for quiet but not longer than the maximum', () => {
    jest.useFakeTimers();
    try {
        const action = jest.fn();
        const d = debounce(action, 100, 250);
        d.trigger();
        jest.advanceTimersByTime(90);
        d.trigger();
        jest.advanceTimersByTime(90);
        expect(action).not.toHaveBeenCalled();
        d.trigger();
        jest.advanceTimersByTime(80);
        expect(action).toHaveBeenCalledTimes(1); // 250 ms after the first trigger
        d.trigger();
        jest.advanceTimersByTime(100);
        expect(action).toHaveBeenCalledTimes(2);
        d.trigger();
        d.cancel();
        jest.advanceTimersByTime(1000);
        expect(action).toHaveBeenCalledTimes(2);
    } finally {
        jest.useRealTimers();
    }
});
