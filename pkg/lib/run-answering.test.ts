import { onSpawn, resetFake, spawnCalls } from '../../test/unit/fake-cockpit';
import { runAnswering } from './run-answering';

beforeEach(resetFake);

test('each reply goes out after its prompt, on a pty, as root', async () => {
    onSpawn(call => {
        call.emit('input password: ');
        queueMicrotask(() => {
            call.emit('input password again: ');
            queueMicrotask(() => call.finish({ stdout: '' }));
        });
    });
    await runAnswering(['mokutil', '--import', '/etc/pki/akmods/certs/public_key.der'],
        [{ prompt: /password:\s*$/, reply: 'secret1\n' }, { prompt: /again:\s*$/, reply: 'secret1\n' }], { admin: true });
    expect(spawnCalls[0].options).toMatchObject({ pty: true, superuser: 'require' });
    expect(spawnCalls[0].inputs).toEqual([{ data: 'secret1\n', stream: true }, { data: 'secret1\n', stream: true }]);
});

test('no reply before its prompt; a failure keeps the program\'s last words', async () => {
    onSpawn(call => {
        call.emit('input password: ');
        queueMicrotask(() => call.finish({ error: { problem: null, exit_status: 255, message: '' } }));
    });
    const error = await runAnswering(['mokutil', '--import', '/x.der'],
        [{ prompt: /password:\s*$/, reply: 'a\n' }, { prompt: /again:\s*$/, reply: 'a\n' }]).catch(e => e);
    expect(spawnCalls[0].inputs).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'exit', exitStatus: 255, message: 'input password:' });
});

test('a prompt that never comes is a timeout', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    try {
        onSpawn(() => {});
        const pending = runAnswering(['mokutil', '--import', '/x.der'], [{ prompt: /password:/, reply: 'a\n' }], { promptTimeoutMs: 5000 }).catch(e => e);
        await Promise.resolve();
        jest.advanceTimersByTime(5000);
        expect(await pending).toMatchObject({ kind: 'timeout' });
        expect(spawnCalls[0].closedWith).toBe('terminated');
    } finally {
        jest.useRealTimers();
    }
});
