import { act, render, renderHook, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { onSpawn, resetFake, type SpawnCall } from '../../test/unit/fake-cockpit';
import { ProgressPanel } from './ProgressPanel';
import { useActionRun } from './use-action-run';

let calls: SpawnCall[];
beforeEach(() => {
    resetFake();
    calls = [];
    onSpawn(call => calls.push(call));
});

test('a run streams, refuses a second start, and ends succeeded', async () => {
    const { result } = renderHook(() => useActionRun());
    let done!: Promise<boolean>;
    act(() => { done = result.current.start('Update', ['rpm-ostree', 'upgrade']) });
    await act(async () => { await Promise.resolve() });
    expect(calls[0].options).toMatchObject({ superuser: 'require', err: 'out' });
    act(() => calls[0].emit('Receiving objects: 10%\n'));
    expect(result.current.state).toMatchObject({ kind: 'running', output: 'Receiving objects: 10%\n' });
    expect(await result.current.start('Other', ['rpm-ostree', 'rollback'])).toBe(false);
    await act(async () => { calls[0].finish({ stdout: '' }); await done });
    expect(result.current.state).toMatchObject({ kind: 'succeeded', label: 'Update' });
    act(() => result.current.dismiss());
    expect(result.current.state.kind).toBe('idle');
});

test('a failed run keeps its output and the error', async () => {
    const { result } = renderHook(() => useActionRun());
    let done!: Promise<boolean>;
    act(() => { done = result.current.start('Update', ['rpm-ostree', 'upgrade']) });
    await act(async () => { await Promise.resolve() });
    act(() => calls[0].emit('error: No space left on device\n'));
    await act(async () => { calls[0].finish({ error: { problem: null, message: '', exit_status: 1 } }); await done });
    expect(result.current.state).toMatchObject({ kind: 'failed', output: 'error: No space left on device\n', error: { kind: 'exit', exitStatus: 1 } });
});

test('the panel shows output, the cancel button while running, and the outcome', async () => {
    const onCancel = jest.fn();
    const base = { label: 'Update', argv: ['rpm-ostree', 'upgrade'], output: 'Staging deployment...done\n', startedAt: Date.now() };
    const { rerender } = render(<ProgressPanel state={{ kind: 'running', ...base }} onCancel={onCancel} onDismiss={() => {}} />);
    expect(screen.getByText(/Staging deployment/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalled();
    rerender(<ProgressPanel state={{ kind: 'failed', ...base, endedAt: Date.now(), error: new Error('x') }} onDismiss={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Dismiss' })).toBeInTheDocument();
});
