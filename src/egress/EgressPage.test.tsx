// The Network egress tab on a host that lacks its tools: it says what is missing and what
// still works, and runs nothing it cannot.
import { render, screen, waitFor } from '@testing-library/react';
import { onSpawn, resetFake, setPermission, spawnCalls } from '../../test/unit/fake-cockpit';
import type { HostCapabilities } from '../system/capabilities';
import { HostCapabilitiesProvider } from '../system/host-capabilities-context';
import { EgressPage } from './EgressPage';

function caps(tools: Partial<HostCapabilities['tools']>): HostCapabilities {
    return {
        root: '', kernel: '6.11.4-301.fc41.x86_64', ostreeBooted: true,
        tools: { 'rpm-ostree': null, bootc: null, 'nvidia-smi': null, podman: null, nft: null, conntrack: null, ss: null, ...tools },
        podmanSocket: false, os: null, osReleasePath: null,
    };
}

function renderPage(host: HostCapabilities) {
    const probe = () => Promise.resolve(host);
    return render(<HostCapabilitiesProvider probe={probe}><EgressPage /></HostCapabilitiesProvider>);
}

beforeEach(() => {
    resetFake();
    setPermission(true);
    // nothing answers: what the page starts is what the test looks at
    onSpawn(() => undefined);
});

test('no ss, nft or conntrack: three notes, and no process started for them', async () => {
    renderPage(caps({}));
    expect(await screen.findByText('ss is not installed')).toBeInTheDocument();
    expect(screen.getByText('nftables (nft) is not installed')).toBeInTheDocument();
    expect(screen.getByText('Live connections are still listed; auditing and blocking need nft.')).toBeInTheDocument();
    expect(screen.getByText('conntrack is not installed')).toBeInTheDocument();
    await waitFor(() => expect(spawnCalls.some(c => c.argv.includes('monitor'))).toBe(false));
    const started = spawnCalls.map(c => c.argv[0] === 'sh' || c.argv[0] === '/bin/sh' ? c.argv[3] ?? c.argv[2] : c.argv[0]);
    expect(started).not.toContain('ss-snapshots.sh');
    expect(started).not.toContain('nft');
    expect(started).not.toContain('conntrack');
    expect(document.querySelector('#egress-control-card')).toBeNull();
});

test('ss alone: connections are listed, the firewall parts say they need nft', async () => {
    renderPage(caps({ ss: '/usr/sbin/ss' }));
    expect(await screen.findByText('nftables (nft) is not installed')).toBeInTheDocument();
    expect(screen.queryByText('ss is not installed')).toBeNull();
    await waitFor(() => expect(spawnCalls.some(c => c.argv[3] === 'ss-snapshots.sh')).toBe(true));
    expect(spawnCalls.some(c => c.argv[0] === 'nft')).toBe(false);
});
