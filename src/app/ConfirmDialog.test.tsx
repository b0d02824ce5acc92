import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HostError } from '../../pkg/lib/host-error';
import { ConfirmDialog } from './ConfirmDialog';

const step = (n: number) => ({ title: `Step ${n}`, body: <p>{`Body ${n}`}</p>, confirmLabel: `Go ${n}` });

test('asks once, runs the action, closes', async () => {
    const onConfirm = jest.fn();
    const onClose = jest.fn();
    render(<ConfirmDialog steps={[step(1)]} onConfirm={onConfirm} onClose={onClose} />);
    expect(screen.getByText('Body 1')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Go 1' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledTimes(1);
});

test('two steps: the action runs only after the second', async () => {
    const onConfirm = jest.fn();
    render(<ConfirmDialog steps={[step(1), step(2)]} onConfirm={onConfirm} onClose={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Go 1' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByText('Body 2')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Go 2' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
});

test('a failure stays in the dialog with the host\'s words', async () => {
    const onClose = jest.fn();
    const onConfirm = () => Promise.reject(new HostError('exit', 'ostree admin undeploy 1', 'error: Cannot undeploy currently booted deployment 0', { exitStatus: 1, detail: 'error: Cannot undeploy currently booted deployment 0' }));
    render(<ConfirmDialog steps={[step(1)]} onConfirm={onConfirm} onClose={onClose} />);
    await userEvent.click(screen.getByRole('button', { name: 'Go 1' }));
    expect(await screen.findByText('error: Cannot undeploy currently booted deployment 0')).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
});
