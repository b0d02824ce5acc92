import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakePodmanClient, recordedServers, type FakePodmanClient } from '../../test/unit/fake-podman-client';
import type { TcpHttp } from '../../pkg/lib/http';
import type { HostCapabilities } from '../system/capabilities';
import { HostCapabilitiesProvider } from '../system/host-capabilities-context';
import { ModelsSummaryCard } from './ModelsSummaryCard';
import type { PodmanClient } from './podman-client';

// the card is tested against scripted pkg/lib hooks and HTTP, and a scripted PodmanClient
let mockAdmin: boolean | null = true;
let mockConnect: jest.Mock<Promise<PodmanClient>, []>;
/** What each server's health endpoint answers, by host port. */
let mockAnswers: Map<number, number | Error | 'hang'>;
const mockNavigate = jest.fn();

jest.mock('../../pkg/lib/use-admin', () => ({ useAdmin: () => mockAdmin }));
jest.mock('../../pkg/lib/use-location', () => ({ navigate: (path: string[]) => mockNavigate(path) }));
jest.mock('./podman-client', () => ({ connectPodman: () => mockConnect() }));
jest.mock('../../pkg/lib/http', () => ({
    tcpHttp: (_address: string, port: number): TcpHttp => ({
        exchange: () => {
            const answer = mockAnswers.get(port) ?? 200;
            if (answer === 'hang')
                return new Promise(() => {});
            return answer instanceof Error ? Promise.reject(answer) : Promise.resolve({ status: answer, body: '' });
        },
        close() {},
    }),
}));

const caps: HostCapabilities = {
    root: '',
    kernel: '6.11.4-301.fc41.x86_64',
    ostreeBooted: true,
    tools: { 'rpm-ostree': '/usr/bin/rpm-ostree', bootc: null, 'nvidia-smi': null, podman: '/usr/bin/podman', nft: null, conntrack: null, ss: null },
    podmanSocket: true,
    os: null,
    osReleasePath: null,
};

let client: FakePodmanClient;
beforeEach(() => {
    mockAdmin = true;
    client = fakePodmanClient();
    mockConnect = jest.fn(() => Promise.resolve(client));
    mockAnswers = new Map();
    mockNavigate.mockClear();
});

function renderCard(host: HostCapabilities = caps) {
    return render(<HostCapabilitiesProvider probe={() => Promise.resolve(host)}><ModelsSummaryCard /></HostCapabilitiesProvider>);
}

const field = (name: string) => document.querySelector(`[data-field="${name}"]`);

test('the recorded servers: running, stopped, and running but not answering', async () => {
    // aiws-rec-public (18184) refuses the connection; aiws-rec-unhealthy (18187) answers 500;
    // aiws-rec-ramalama (18182) is still loading its model (503): starting, not unhealthy
    mockAnswers = new Map<number, number | Error | 'hang'>([[18184, new Error('connection refused')], [18187, 500], [18182, 503]]);
    renderCard();
    await waitFor(() => expect(field('models-running')).toHaveTextContent(/^6$/));
    expect(field('models-stopped')).toHaveTextContent(/^4$/);
    await waitFor(() => expect(field('models-unhealthy')).toHaveTextContent(/^2$/));
    expect(mockConnect).toHaveBeenCalledTimes(1);
});

test('before the probes answer, podman\'s own healthcheck counts', async () => {
    mockAnswers = new Map<number, number | Error | 'hang'>([...[18080, 18181, 18182, 18183, 18184, 18187].map(port => [port, 'hang'] as const)]);
    renderCard();
    await waitFor(() => expect(field('models-running')).toHaveTextContent(/^6$/));
    // aiws-rec-unhealthy: podman's healthcheck failed
    expect(field('models-unhealthy')).toHaveTextContent(/^1$/);
});

test('a probe that answers overrides podman\'s healthcheck', async () => {
    renderCard();
    await waitFor(() => expect(field('models-running')).toHaveTextContent(/^6$/));
    await waitFor(() => expect(field('models-unhealthy')).toHaveTextContent(/^0$/));
});

test('no model servers yet', async () => {
    client.answer = () => Promise.resolve([]);
    renderCard();
    expect(await screen.findByText('No model servers yet.')).toBeInTheDocument();
    expect(field('models-running')).toBeNull();
});

test('a failed list says so and can be tried again', async () => {
    client.answer = () => Promise.reject(new Error('connection reset by peer'));
    renderCard();
    expect(await screen.findByText('podman could not list its containers')).toBeInTheDocument();
    client.answer = () => Promise.resolve(recordedServers().filter(s => s.state !== 'running'));
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(field('models-stopped')).toHaveTextContent(/^4$/));
    expect(field('models-running')).toHaveTextContent(/^0$/);
    expect(screen.queryByText('podman could not list its containers')).toBeNull();
});

test('without podman', async () => {
    renderCard({ ...caps, tools: { ...caps.tools, podman: null }, podmanSocket: false });
    expect(await screen.findByText('podman is not installed, so no model servers run here.')).toBeInTheDocument();
    expect(mockConnect).not.toHaveBeenCalled();
});

test('podman without its API socket', async () => {
    renderCard({ ...caps, podmanSocket: false });
    expect(await screen.findByText("podman's API service is not running.")).toBeInTheDocument();
    expect(mockConnect).not.toHaveBeenCalled();
});

test('without administrative access', async () => {
    mockAdmin = false;
    renderCard();
    expect(await screen.findByText('Turn on administrative access to see the model servers.')).toBeInTheDocument();
    expect(mockConnect).not.toHaveBeenCalled();
    expect(field('models-running')).toBeNull();
});

test('while the host is probed: a placeholder, and the link to the Models tab', async () => {
    renderCard();
    expect(screen.getByText('Listing model servers')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Open Models' }));
    expect(mockNavigate).toHaveBeenCalledWith(['models']);
    await waitFor(() => expect(field('models-running')).toHaveTextContent(/^6$/));
});
