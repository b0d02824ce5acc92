import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HostCapabilities } from '../system/capabilities';
import { App } from './App';

// the view is tested against a scripted fake of pkg/lib's hooks
const fakeLocation = { path: [] as string[], listeners: new Set<() => void>() };
let fakeAdmin: boolean | null = true;

jest.mock('../../pkg/lib/use-admin', () => ({ useAdmin: () => fakeAdmin }));
jest.mock('../../pkg/lib/use-location', () => {
    const { useEffect, useState } = jest.requireActual('react');
    return {
        useLocation: () => {
            const [, setTick] = useState(0);
            useEffect(() => {
                const listener = () => setTick((n: number) => n + 1);
                fakeLocation.listeners.add(listener);
                return () => { fakeLocation.listeners.delete(listener) };
            }, []);
            return { path: fakeLocation.path, options: {} };
        },
        navigate: (path: string[]) => {
            fakeLocation.path = path;
            fakeLocation.listeners.forEach(listener => listener());
        },
    };
});

const caps: HostCapabilities = {
    root: '',
    kernel: '6.8.0',
    ostreeBooted: false,
    tools: { 'rpm-ostree': null, bootc: null, 'nvidia-smi': null, podman: null, nft: null, conntrack: null, ss: null },
    podmanSocket: false,
    os: null,
    osReleasePath: null,
};
const probe = () => Promise.resolve(caps);

beforeEach(() => {
    fakeLocation.path = [];
    fakeAdmin = true;
});

test('the empty path shows the Overview tab', async () => {
    render(<App probe={probe} />);
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('6.8.0')).toBeInTheDocument();
    expect(screen.queryByText(/Read-only/)).not.toBeInTheDocument();
});

test('an unknown path says so and leads back to the Overview', async () => {
    fakeLocation.path = ['nowhere', 'GPU-1'];
    render(<App probe={probe} />);
    expect(screen.getByText('This page does not exist')).toBeInTheDocument();
    expect(screen.getByText(/nowhere\/GPU-1/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Go to Overview' }));
    expect(fakeLocation.path).toEqual(['overview']);
    expect(await screen.findByText('6.8.0')).toBeInTheDocument();
});

test('a location change from outside (back button) switches the view', async () => {
    fakeLocation.path = ['overview'];
    render(<App probe={probe} />);
    await screen.findByText('6.8.0');
    act(() => {
        fakeLocation.path = ['nowhere'];
        fakeLocation.listeners.forEach(listener => listener());
    });
    expect(screen.getByText('This page does not exist')).toBeInTheDocument();
});

test('without administrative access the read-only notice is shown', async () => {
    fakeAdmin = false;
    render(<App probe={probe} />);
    expect(screen.getByText('Read-only: administrative access is off')).toBeInTheDocument();
    await screen.findByText('6.8.0');
});

test('while Cockpit has not said, no notice flashes', async () => {
    fakeAdmin = null;
    render(<App probe={probe} />);
    expect(screen.queryByText('Read-only: administrative access is off')).not.toBeInTheDocument();
    await screen.findByText('6.8.0');
});
