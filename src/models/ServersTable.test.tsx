import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFixture } from '../../test/unit/fixtures';
import { recordedServers } from '../../test/unit/fake-podman-client';
import { parseContainerList } from './libpod-containers-parser';
import type { ModelServer } from './model-server';
import { parseQuadletFile, type QuadletServer } from './quadlet';
import { ServersTable, type ServerAction } from './ServersTable';
import type { ProbedHealth } from './use-server-health';

const servers = recordedServers();
const server = (name: string): ModelServer => {
    const found = servers.find(s => s.name === name);
    if (!found)
        throw new Error(`no ${name}`);
    return found;
};

// a Quadlet unit whose file name differs from the container's name
const publicQuadlet = parseQuadletFile('models-public.container', [
    '[Unit]',
    'Description=aiws-rec-public',
    '',
    '[Container]',
    'ContainerName=aiws-rec-public',
    'Image=localhost/aiws-echo-server:latest',
    'PublishPort=0.0.0.0:18184:8080',
    'Label=ai-workstation.managed=true ai-workstation.catalog=llama-cpp',
    '',
    '[Install]',
    'WantedBy=multi-user.target default.target',
    '',
].join('\n')) as QuadletServer;

// 1 h 15 min after aiws-rec-ours started (StartedAt 1796198583)
const NOW = (1796198583 + 75 * 60) * 1000;

const probes = new Map<string, ProbedHealth>([
    ['aiws-rec-ours', { kind: 'healthy', at: NOW }],
    ['aiws-rec-ramalama', { kind: 'starting' }],
    ['aiws-rec-ailab', { kind: 'unhealthy', at: NOW, detail: 'HTTP 500' }],
    ['aiws-rec-public', { kind: 'no-endpoint' }],
    // a stale probe of a server that is not running is not shown
    ['aiws-rec-exited', { kind: 'healthy', at: NOW }],
]);

function renderTable({ list = servers, quadlets = [publicQuadlet], health = probes, gpuMemory = new Map<string, number>(),
    reason = () => null, onAction = jest.fn() }: {
    list?: readonly ModelServer[];
    quadlets?: readonly QuadletServer[];
    health?: ReadonlyMap<string, ProbedHealth>;
    gpuMemory?: ReadonlyMap<string, number>;
    reason?: (server: ModelServer, action: ServerAction) => string | null;
    onAction?: jest.Mock;
} = {}) {
    render(<ServersTable servers={list} quadlets={quadlets} health={health} gpuMemory={gpuMemory} now={NOW} reason={reason} onAction={onAction} />);
    return onAction;
}

function row(name: string): HTMLElement {
    const element = document.querySelector<HTMLElement>(`tr[data-server="${name}"]`);
    if (!element)
        throw new Error(`no row ${name}`);
    return element;
}

function cell(name: string, field: string): HTMLElement {
    return row(name).querySelector(`[data-field="${field}"]`) as HTMLElement;
}

async function openMenu(name: string): Promise<string[]> {
    await userEvent.click(within(row(name)).getByRole('button', { name: 'Kebab toggle' }));
    return screen.getAllByRole('menuitem').map(item => item.textContent ?? '');
}

test('the recorded list: one row per inference server, with who made it', () => {
    renderTable();
    const rows = [...document.querySelectorAll('tbody tr')];
    expect(rows.map(r => r.getAttribute('data-server'))).toEqual([
        'aiws-test1', 'aiws-rec-ours', 'aiws-rec-ramalama', 'aiws-rec-ailab', 'aiws-rec-ailab-badlabel',
        'aiws-rec-public', 'aiws-rec-exited', 'aiws-rec-unhealthy', 'aiws-rec-stopped', 'aiws-rec-paused',
    ]);
    expect(document.querySelector('tr[data-server="aiws-rec-nolabels"]')).toBeNull();
    expect(row('aiws-rec-ours')).toHaveTextContent('by this page, image localhost/aiws-echo-server:latest');
    expect(row('aiws-rec-ramalama')).toHaveTextContent('by RamaLama, image localhost/aiws-echo-server:latest');
    // only ai.ramalama.* labels, no ai.ramalama itself: still RamaLama's
    expect(row('aiws-rec-stopped')).toHaveTextContent('by RamaLama');
    expect(row('aiws-rec-ailab')).toHaveTextContent('by Podman AI Lab');
    expect(row('aiws-rec-ailab-badlabel')).toHaveTextContent('by Podman AI Lab');
});

test('the model column: the file name, its folder below; AI Lab and RamaLama references as they are', () => {
    renderTable();
    const modelCell = (name: string) => row(name).querySelectorAll('td')[2];
    expect(modelCell('aiws-rec-ours')).toHaveTextContent(/^tiny\.gguf\/srv\/models$/);
    expect(within(modelCell('aiws-rec-ours')).getByText('/srv/models')).toBeInTheDocument();
    expect(modelCell('aiws-rec-ailab')).toHaveTextContent(/^hf\.instructlab\.granite-7b-lab-GGUF$/);
    expect(modelCell('aiws-rec-ailab-badlabel')).toHaveTextContent(/^\[hf\.instructlab\.granite$/);
    expect(modelCell('aiws-rec-paused')).toHaveTextContent(/^—$/);
});

test('state text per container state, with exit codes', () => {
    renderTable();
    expect(cell('aiws-rec-ours', 'state')).toHaveTextContent(/^Running/);
    expect(cell('aiws-rec-exited', 'state')).toHaveTextContent(/^Exited \(1\)$/);
    expect(cell('aiws-rec-stopped', 'state')).toHaveTextContent(/^Exited \(137\)$/);
    expect(cell('aiws-rec-ailab-badlabel', 'state')).toHaveTextContent(/^Created$/);
    expect(cell('aiws-rec-paused', 'state')).toHaveTextContent(/^Paused$/);
    const cleanExit = { ...server('aiws-rec-exited'), name: 'clean', id: 'clean', exitCode: 0 };
    cleanup();
    renderTable({ list: [cleanExit] });
    expect(cell('clean', 'state')).toHaveTextContent(/^Stopped$/);
});

test('health: the page\'s probe first, podman\'s healthcheck without one, nothing when not running', () => {
    renderTable();
    expect(cell('aiws-rec-ours', 'state')).toHaveTextContent('Running Healthy');
    expect(cell('aiws-rec-ramalama', 'state')).toHaveTextContent('Running Starting');
    expect(cell('aiws-rec-ailab', 'state')).toHaveTextContent('Running Unhealthy');
    expect(cell('aiws-rec-public', 'state')).toHaveTextContent('Running No endpoint');
    // no probe yet: podman's healthcheck says starting / unhealthy
    expect(cell('aiws-test1', 'state')).toHaveTextContent('Running Starting');
    expect(cell('aiws-rec-unhealthy', 'state')).toHaveTextContent('Running Unhealthy');
    expect(cell('aiws-rec-exited', 'state')).toHaveTextContent(/^Exited \(1\)$/);
});

test('an unhealthy label says why on hover: the probe\'s detail, or podman\'s check', async () => {
    renderTable();
    await userEvent.hover(within(cell('aiws-rec-ailab', 'state')).getByText('Unhealthy'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(/^HTTP 500$/);
    await userEvent.unhover(within(cell('aiws-rec-ailab', 'state')).getByText('Unhealthy'));
    await userEvent.hover(within(cell('aiws-rec-unhealthy', 'state')).getByText('Unhealthy'));
    expect(await screen.findByText("podman's health check failed")).toBeInTheDocument();
});

test('health without any probe and without a podman healthcheck is "Checking"', () => {
    renderTable({ health: new Map() });
    expect(cell('aiws-rec-ramalama', 'state')).toHaveTextContent('Running Checking');
    expect(cell('aiws-rec-ours', 'state')).toHaveTextContent('Running Healthy');
});

test('endpoint: loopback URL; "all interfaces" for an empty or 0.0.0.0 host address', () => {
    const recorded = JSON.parse(readFixture('podman/libpod-containers-json-4.3.1.json')) as { Names: string[], Ports: { host_ip: string }[] }[];
    const ours = recorded.find(c => c.Names[0] === 'aiws-rec-ours');
    const wildcard = { ...ours, Names: ['aiws-wildcard'], Id: 'f'.repeat(64), Ports: [{ ...ours?.Ports[0], host_ip: '0.0.0.0', host_port: 18190 }] };
    const list = [...servers, ...parseContainerList(JSON.stringify([wildcard]))];
    renderTable({ list });
    expect(cell('aiws-rec-ours', 'endpoint')).toHaveTextContent(/^http:\/\/127\.0\.0\.1:18181$/);
    expect(cell('aiws-rec-ramalama', 'endpoint')).toHaveTextContent(/^http:\/\/127\.0\.0\.1:18182$/);
    expect(cell('aiws-rec-ailab', 'endpoint')).toHaveTextContent(/^http:\/\/127\.0\.0\.1:18183all interfaces$/);
    expect(cell('aiws-rec-public', 'endpoint')).toHaveTextContent(/^http:\/\/127\.0\.0\.1:18184all interfaces$/);
    expect(cell('aiws-wildcard', 'endpoint')).toHaveTextContent(/^http:\/\/127\.0\.0\.1:18190all interfaces$/);
    const noPorts = { ...server('aiws-rec-ours'), id: 'np', name: 'no-ports', ports: [], endpoint: null };
    cleanup();
    renderTable({ list: [noPorts] });
    expect(cell('no-ports', 'endpoint')).toHaveTextContent(/^—$/);
});

test('GPUs, with the memory in use where nvidia-smi reports it', () => {
    renderTable({ gpuMemory: new Map([['aiws-rec-public', 5120], ['aiws-rec-ours', 512]]) });
    expect(cell('aiws-rec-public', 'gpus')).toHaveTextContent(/^nvidia\.com\/gpu=0, nvidia\.com\/gpu=15\.0 GiB in use$/);
    expect(cell('aiws-rec-ours', 'gpus')).toHaveTextContent(/^CPU only512 MiB in use$/);
    expect(cell('aiws-rec-ramalama', 'gpus')).toHaveTextContent(/^CPU only$/);
    const allGpus = { ...server('aiws-rec-ours'), id: 'all', name: 'all-gpus', gpus: { kind: 'all' as const } };
    cleanup();
    renderTable({ list: [allGpus], gpuMemory: new Map([['all-gpus', 1024]]) });
    expect(cell('all-gpus', 'gpus')).toHaveTextContent(/^All GPUs1\.0 GiB in use$/);
});

test('uptime of running servers', () => {
    renderTable();
    expect(row('aiws-rec-ours').querySelectorAll('td')[5]).toHaveTextContent(/^1 h 15 min$/);
    // started 198 s earlier
    expect(row('aiws-test1').querySelectorAll('td')[5]).toHaveTextContent(/^1 h 18 min$/);
    expect(row('aiws-rec-exited').querySelectorAll('td')[5]).toHaveTextContent(/^—$/);
});

test('at boot: the Quadlet unit, else the PODMAN_SYSTEMD_UNIT label, else no', () => {
    renderTable();
    expect(cell('aiws-rec-public', 'boot')).toHaveTextContent(/^models-public\.service$/);
    expect(cell('aiws-rec-ours', 'boot')).toHaveTextContent(/^aiws-rec-ours\.service$/);
    expect(cell('aiws-rec-ramalama', 'boot')).toHaveTextContent(/^no$/);
    expect(cell('aiws-rec-exited', 'boot')).toHaveTextContent(/^no$/);
});

describe('actions', () => {
    test('a running server of this page: Try it, Restart, Stop; no Start at boot beside a unit it already has', async () => {
        // aiws-rec-ours carries PODMAN_SYSTEMD_UNIT with no Quadlet file the page read: a second unit would clash
        const onAction = renderTable();
        expect(await openMenu('aiws-rec-ours')).toEqual(['Details and logs', 'Try it', 'Restart', 'Stop', 'Delete']);
        await userEvent.click(screen.getByRole('menuitem', { name: 'Restart' }));
        expect(onAction).toHaveBeenCalledTimes(1);
        expect(onAction).toHaveBeenCalledWith(server('aiws-rec-ours'), 'restart');
    });

    test('a running server of this page without any unit can be put on the boot', async () => {
        const plain = { ...server('aiws-rec-ours'), id: 'plain', name: 'plain', systemdUnit: null };
        const onAction = renderTable({ list: [plain] });
        expect(await openMenu('plain')).toEqual(['Details and logs', 'Try it', 'Restart', 'Stop', 'Start at boot', 'Delete']);
        await userEvent.click(screen.getByRole('menuitem', { name: 'Start at boot' }));
        expect(onAction).toHaveBeenCalledWith(plain, 'boot-on');
    });

    test('a stopped server of this page: Start', async () => {
        const onAction = renderTable();
        expect(await openMenu('aiws-rec-exited')).toEqual(['Details and logs', 'Start', 'Start at boot', 'Delete']);
        await userEvent.click(screen.getByRole('menuitem', { name: 'Start' }));
        expect(onAction).toHaveBeenCalledWith(server('aiws-rec-exited'), 'start');
    });

    test('a server with a Quadlet unit can be taken off the boot', async () => {
        const onAction = renderTable();
        expect(await openMenu('aiws-rec-public')).toEqual(['Details and logs', 'Try it', 'Restart', 'Stop', 'Do not start at boot', 'Delete']);
        await userEvent.click(screen.getByRole('menuitem', { name: 'Do not start at boot' }));
        expect(onAction).toHaveBeenCalledWith(server('aiws-rec-public'), 'boot-off');
    });

    test('RamaLama\'s and AI Lab\'s servers are not put on the boot by this page', async () => {
        renderTable();
        expect(await openMenu('aiws-rec-ramalama')).toEqual(['Details and logs', 'Try it', 'Restart', 'Stop', 'Delete']);
        await userEvent.keyboard('{Escape}');
        expect(await openMenu('aiws-rec-stopped')).toEqual(['Details and logs', 'Start', 'Delete']);
        await userEvent.keyboard('{Escape}');
        expect(await openMenu('aiws-rec-ailab')).toEqual(['Details and logs', 'Try it', 'Restart', 'Stop', 'Delete']);
    });

    test('an action with a reason is disabled, says why, and does nothing', async () => {
        const reason = jest.fn((s: ModelServer, action: ServerAction) =>
            s.name === 'aiws-rec-ours' && action !== 'details' ? 'Turn on administrative access to change model servers.' : null);
        const onAction = renderTable({ reason });
        await openMenu('aiws-rec-ours');
        const stop = screen.getByRole('menuitem', { name: 'Stop' });
        expect(stop).toHaveAttribute('aria-disabled', 'true');
        expect(screen.getByRole('menuitem', { name: 'Details and logs' })).not.toHaveAttribute('aria-disabled', 'true');
        await userEvent.click(stop);
        expect(onAction).not.toHaveBeenCalled();
        await userEvent.hover(stop);
        expect(await screen.findByRole('tooltip')).toHaveTextContent('Turn on administrative access to change model servers.');
        expect(reason).toHaveBeenCalledWith(server('aiws-rec-ours'), 'stop');
        await userEvent.click(screen.getByRole('menuitem', { name: 'Details and logs' }));
        expect(onAction).toHaveBeenCalledWith(server('aiws-rec-ours'), 'details');
    });
});
