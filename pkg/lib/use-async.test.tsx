import { act, render, screen } from '@testing-library/react';
import { useAsync } from './use-async';

function Loader({ load }: { load: () => Promise<string> }) {
    const { state, reload, refreshing } = useAsync(load, [load]);
    return (
        <div>
            <span>{state.status === 'ready' ? state.data : state.status === 'error' ? `error: ${String(state.error)}` : 'loading'}</span>
            <span>{refreshing ? 'refreshing' : 'idle'}</span>
            <button onClick={reload}>reload</button>
        </div>
    );
}

test('loading, then data, then an error on reload', async () => {
    let answer: Promise<string> = Promise.resolve('first');
    const load = () => answer;
    render(<Loader load={load} />);
    expect(screen.getByText('loading')).toBeInTheDocument();
    expect(await screen.findByText('first')).toBeInTheDocument();
    answer = Promise.reject('broken');
    await act(async () => screen.getByText('reload').click());
    expect(await screen.findByText('error: broken')).toBeInTheDocument();
});

test('an answer for a superseded load is dropped', async () => {
    let resolveSlow!: (value: string) => void;
    const slow = () => new Promise<string>(resolve => { resolveSlow = resolve });
    const fast = () => Promise.resolve('fast');
    const { rerender } = render(<Loader load={slow} />);
    rerender(<Loader load={fast} />);
    expect(await screen.findByText('fast')).toBeInTheDocument();
    await act(async () => resolveSlow('slow'));
    expect(screen.getByText('fast')).toBeInTheDocument();
});
