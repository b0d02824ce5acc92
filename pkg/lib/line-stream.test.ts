import { onSpawn, resetFake, spawnCalls, type SpawnCall } from '../../test/unit/fake-cockpit';
import { LineSplitter } from './line-splitter';
import { streamLines } from './line-stream';
import type { HostError } from './host-error';

beforeEach(resetFake);

test('LineSplitter keeps partial lines until they are complete', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('a,b\nc')).toEqual(['a,b']);
    expect(splitter.push(',d\r\n\ne')).toEqual(['c,d', '']);
    expect(splitter.flush()).toEqual(['e']);
    expect(splitter.flush()).toEqual([]);
});

function started(): Promise<SpawnCall> {
    return new Promise(resolve => onSpawn(resolve));
}

test('delivers lines across chunks and ends cleanly', async () => {
    const callPromise = started();
    const lines: string[] = [];
    const onEnd = jest.fn();
    const stream = streamLines(['nvidia-smi', '-lms', '1000'], { onLine: line => lines.push(line), onEnd });
    const call = await callPromise;
    call.emit('0, 12\n1, ');
    call.emit('40\n2, 7');
    call.finish({ stdout: '' });
    await stream.done;
    expect(lines).toEqual(['0, 12', '1, 40', '2, 7']);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onEnd).toHaveBeenCalledWith(null);
});

test('stop() closes the process, drops later output and reports a clean end', async () => {
    const callPromise = started();
    const lines: string[] = [];
    const onEnd = jest.fn();
    const stream = streamLines(['conntrack', '-E'], { admin: true, onLine: line => lines.push(line), onEnd });
    const call = await callPromise;
    expect(spawnCalls[0].options.superuser).toBe('require');
    call.emit('first\n');
    stream.stop();
    stream.stop();
    call.emit('late\n');
    await stream.done;
    expect(call.closedWith).toBe('terminated');
    expect(lines).toEqual(['first']);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onEnd).toHaveBeenCalledWith(null);
});

test('a dying process reports a HostError once', async () => {
    const callPromise = started();
    const onEnd = jest.fn<void, [HostError | null]>();
    const stream = streamLines(['nvidia-smi', '-lms', '500'], { onLine: () => {}, onEnd });
    const call = await callPromise;
    call.finish({ error: { problem: null, exit_status: 15, message: 'GPU has fallen off the bus' } });
    await stream.done;
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onEnd.mock.calls[0][0]).toMatchObject({ kind: 'exit', exitStatus: 15, detail: 'GPU has fallen off the bus' });
});
