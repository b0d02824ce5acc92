import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HostError } from '../../pkg/lib/host-error';
import { ParseError } from '../../pkg/lib/parse-error';
import type { HostCapabilities } from './capabilities';
import { parseOsRelease } from './os-release-parser';
import { HostCapabilitiesProvider } from './host-capabilities-context';
import { SystemCard } from './SystemCard';

const silverblue: HostCapabilities = {
    root: '',
    kernel: '6.11.4-301.fc41.x86_64',
    ostreeBooted: true,
    tools: { 'rpm-ostree': '/usr/bin/rpm-ostree', bootc: '/usr/bin/bootc', 'nvidia-smi': null, podman: '/usr/bin/podman', nft: '/usr/sbin/nft', conntrack: null, ss: null },
    podmanSocket: false,
    os: parseOsRelease('NAME="Fedora Linux"\nPRETTY_NAME="Fedora Linux 41.20241101.0 (Silverblue)"\nVARIANT="Silverblue"\n'),
    osReleasePath: '/etc/os-release',
};

function renderCard(probe: () => Promise<HostCapabilities>, admin: boolean | null = true) {
    return render(<HostCapabilitiesProvider probe={probe}><SystemCard admin={admin} /></HostCapabilitiesProvider>);
}

function field(name: string): HTMLElement {
    const element = document.querySelector<HTMLElement>(`[data-field="${name}"]`);
    if (!element)
        throw new Error(`no field ${name}`);
    return element;
}

test('shows the OS, kernel, installation and every tool', async () => {
    renderCard(() => Promise.resolve(silverblue));
    expect(await screen.findByText('Fedora Linux 41.20241101.0 (Silverblue)')).toBeInTheDocument();
    expect(field('kernel')).toHaveTextContent('6.11.4-301.fc41.x86_64');
    expect(field('update-model')).toHaveTextContent('Image-based, managed by rpm-ostree');
    expect(field('admin')).toHaveTextContent('Available');
    const tool = (name: string) => document.querySelector(`[data-tool="${name}"]`) as HTMLElement;
    expect(within(tool('rpm-ostree')).getByText('Installed')).toBeInTheDocument();
    expect(within(tool('nvidia-smi')).getByText('Not installed')).toBeInTheDocument();
    expect(within(tool('conntrack')).getByText('Not installed')).toBeInTheDocument();
    expect(within(tool('podman-socket')).getByText('Not found')).toBeInTheDocument();
});

test('says so when the host has no os-release or kernel facts', async () => {
    renderCard(() => Promise.resolve({ ...silverblue, os: null, osReleasePath: null, kernel: null, ostreeBooted: false }));
    expect(await screen.findByText(/no readable \/etc\/os-release/)).toBeInTheDocument();
    expect(field('kernel')).toHaveTextContent('Unknown');
    expect(field('update-model')).toHaveTextContent('Package-based');
});

test('a session without administrative access is told it is read-only', async () => {
    renderCard(() => Promise.resolve(silverblue), false);
    await screen.findByText('Fedora Linux 41.20241101.0 (Silverblue)');
    expect(field('admin')).toHaveTextContent('Not available: read-only');
});

test('bad probe output is a readable error with the snippet, and retry works', async () => {
    const probe = jest.fn<Promise<HostCapabilities>, []>()
            .mockRejectedValueOnce(new ParseError('capability probe', 'the probe answered in an unknown format', 'Segmentation fault'))
            .mockResolvedValueOnce(silverblue);
    renderCard(probe);
    expect(await screen.findByText('Could not find out what this host offers')).toBeInTheDocument();
    expect(screen.getByText(/answered in a form this page does not understand/)).toBeInTheDocument();
    expect(screen.getByText('Segmentation fault')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Fedora Linux 41.20241101.0 (Silverblue)')).toBeInTheDocument();
    expect(probe).toHaveBeenCalledTimes(2);
});

test('a host error names the failure and what to do', async () => {
    renderCard(() => Promise.reject(new HostError('disconnected', 'probe.sh', 'no-session')));
    expect(await screen.findByText('The connection to the host was lost')).toBeInTheDocument();
    expect(screen.getByText('Reload the page to reconnect.')).toBeInTheDocument();
});

test('the refresh button probes again', async () => {
    const probe = jest.fn(() => Promise.resolve(silverblue));
    renderCard(probe);
    await screen.findByText('Fedora Linux 41.20241101.0 (Silverblue)');
    await userEvent.click(screen.getByRole('button', { name: 'Probe the host again' }));
    expect(probe).toHaveBeenCalledTimes(2);
});
