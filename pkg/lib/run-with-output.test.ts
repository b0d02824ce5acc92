import { onSpawn, resetFake, spawnCalls } from '../../test/unit/fake-cockpit';
import { HostError } from './host-error';
import { runWithOutput } from './run-with-output';

beforeEach(resetFake);

test('streams combined output as it comes and resolves to all of it', async () => {
    onSpawn(call => {
        call.emit('Receiving objects: 10%\n');
        call.emit('Staging deployment...done\n');
        call.finish({ stdout: '' });
    });
    const chunks: string[] = [];
    const run = runWithOutput(['rpm-ostree', 'upgrade'], { admin: true, onOutput: chunk => chunks.push(chunk) });
    expect(await run.done).toBe('Receiving objects: 10%\nStaging deployment...done\n');
    expect(chunks).toEqual(['Receiving objects: 10%\n', 'Staging deployment...done\n']);
    expect(spawnCalls[0].options).toEqual({ err: 'out', superuser: 'require' });
});

test('a failure carries the exit status, the last line as message and the output tail as detail', async () => {
    onSpawn(call => {
        call.emit('Receiving objects: 50%\n');
        call.emit('error: Writing content object: No space left on device\n');
        call.finish({ error: { problem: null, message: '', exit_status: 1 } });
    });
    const run = runWithOutput(['rpm-ostree', 'upgrade'], { admin: true, onOutput: () => {} });
    const error = await run.done.catch((e: unknown) => e) as HostError;
    expect(error).toBeInstanceOf(HostError);
    expect([error.kind, error.exitStatus, error.message]).toEqual(['exit', 1, 'error: Writing content object: No space left on device']);
    expect(error.detail).toBe('Receiving objects: 50%\nerror: Writing content object: No space left on device');
});

test('stop closes the process and the run rejects as terminated', async () => {
    onSpawn(() => {});
    const run = runWithOutput(['rpm-ostree', 'upgrade'], { onOutput: () => {} });
    await Promise.resolve();
    run.stop();
    await expect(run.done).rejects.toMatchObject({ kind: 'terminated' });
    expect(spawnCalls[0].closedWith).toBe('terminated');
    expect(spawnCalls[0].options).toEqual({ err: 'out' });
});
