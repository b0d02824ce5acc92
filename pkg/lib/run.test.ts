import { onSpawn, resetFake, spawnCalls } from '../../test/unit/fake-cockpit';
import { HostError } from './host-error';
import { run, runScript } from './run';

beforeEach(resetFake);

test('resolves to stdout and runs unprivileged by default', async () => {
    onSpawn(call => call.finish({ stdout: 'hello\n' }));
    await expect(run(['echo', 'hello'])).resolves.toBe('hello\n');
    expect(spawnCalls[0].argv).toEqual(['echo', 'hello']);
    expect(spawnCalls[0].options.superuser).toBeUndefined();
    expect(spawnCalls[0].options.err).toBe('message');
});

test('admin runs with superuser "require" and feeds input', async () => {
    onSpawn(call => call.finish({ stdout: '' }));
    await run(['tee', '/x'], { admin: true, input: 'data' });
    expect(spawnCalls[0].options.superuser).toBe('require');
    expect(spawnCalls[0].input).toBe('data');
});

test('a non-zero exit becomes a HostError with the tool\'s stderr', async () => {
    onSpawn(call => call.finish({ error: { problem: null, exit_status: 9, message: 'NVIDIA-SMI has failed' } }));
    const error = await run(['nvidia-smi']).catch(e => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error.kind).toBe('exit');
    expect(error.exitStatus).toBe(9);
    expect(error.detail).toBe('NVIDIA-SMI has failed');
    expect(error.subject).toBe('nvidia-smi');
});

test('a missing program is kind not-found, not a crash', async () => {
    onSpawn(call => call.finish({ error: { problem: 'not-found', message: 'not found' } }));
    await expect(run(['rpm-ostree', 'status'])).rejects.toMatchObject({ kind: 'not-found', subject: 'rpm-ostree status' });
});

test('refused privileges are kind access-denied', async () => {
    onSpawn(call => call.finish({ error: { problem: 'access-denied', message: 'denied' } }));
    await expect(run(['nft', 'list', 'ruleset'], { admin: true })).rejects.toMatchObject({ kind: 'access-denied' });
});

test('a killed program is kind terminated', async () => {
    onSpawn(call => call.finish({ error: { problem: null, exit_signal: 'KILL', message: '' } }));
    await expect(run(['sleep', '9'])).rejects.toMatchObject({ kind: 'terminated' });
});

test('an empty argv is refused before reaching the host', async () => {
    await expect(run([])).rejects.toBeInstanceOf(HostError);
    expect(spawnCalls).toHaveLength(0);
});

test('runScript passes arguments as $1.. and names the script in errors', async () => {
    onSpawn(call => call.finish({ error: { problem: null, exit_status: 2, message: 'bad' } }));
    const error = await runScript('probe.sh', 'echo "$1"', ['a b; rm -rf /']).catch(e => e);
    expect(spawnCalls[0].argv).toEqual(['/bin/sh', '-c', 'echo "$1"', '--', 'a b; rm -rf /']);
    expect(error).toMatchObject({ kind: 'exit', subject: 'probe.sh', exitStatus: 2 });
});

test('a program that does not answer in time is stopped and reported as a timeout', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    try {
        onSpawn(() => {});
        const result = run(['nvidia-smi', '-q', '-x'], { timeoutMs: 15000 }).catch((e: unknown) => e);
        await Promise.resolve();
        jest.advanceTimersByTime(15000);
        const error = await result as HostError;
        expect([error.kind, error.subject, error.message]).toEqual(['timeout', 'nvidia-smi -q -x', 'no answer within 15 s']);
        expect(spawnCalls[0].closedWith).toBe('terminated');
    } finally {
        jest.useRealTimers();
    }
});

test('runForOutcome keeps a failing tool\'s stdout and its status', async () => {
    onSpawn(call => {
        call.emit('Failed to initialize NVML: Driver/library version mismatch\n');
        call.emit('NVML library version: 550.144\n');
        call.finish({ error: { problem: null, message: '', exit_status: 18 } });
    });
    const { runForOutcome } = await import('./run');
    expect(await runForOutcome(['nvidia-smi', '-q', '-x'])).toEqual({
        exitStatus: 18,
        output: 'Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 550.144\n',
    });
    expect(spawnCalls[0].options.err).toBe('out');
    onSpawn(call => call.finish({ error: { problem: 'not-found', message: 'not found' } }));
    await expect(runForOutcome(['nvidia-smi'])).rejects.toMatchObject({ kind: 'not-found' });
});
