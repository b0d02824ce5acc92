import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import fs from 'fs';
import path from 'path';
import { GpuCard } from './GpuCard';
import { parseNvidiaSmiXml } from './nvidia-smi-xml-parser';

jest.mock('./GpuUsageChart', () => ({
    __esModule: true,
    default: ({ points }: { points: readonly unknown[] }) => <div data-testid="chart">{`${points.length} points`}</div>,
}));

const xml = (name: string) => fs.readFileSync(path.join(__dirname, '../../test/fixtures/nvidia-smi-xml', name), 'utf8');
const field = (name: string) => document.querySelector(`[data-field="${name}"]`) as HTMLElement;

test('the inventory values of a recorded RTX 3060', async () => {
    const gpu = parseNvidiaSmiXml(xml('telegraf-rtx3060-570.xml')).gpus[0];
    render(<GpuCard gpu={gpu} live={null} history={[]} stale={false} />);
    expect(screen.getByText(`GPU 0: ${gpu.name}`)).toBeInTheDocument();
    expect(await screen.findByTestId('chart')).toHaveTextContent('0 points');
    expect(field('memory')).toHaveTextContent(/of 12 GiB/);
    expect(screen.queryByText('Not updating')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Show details' }));
    expect(field('uuid')).toHaveTextContent(gpu.uuid);
    expect(field('pci-bus')).toHaveTextContent(gpu.pciBusId);
});

test('live values win over the inventory, and a stale card says so', () => {
    const gpu = parseNvidiaSmiXml(xml('telegraf-rtx3060-570.xml')).gpus[0];
    const live = {
        index: 0, uuid: gpu.uuid, busId: gpu.pciBusId, time: '2026/11/22 08:00:00.000', utilGpu: 87, utilMem: 40,
        memTotal: 12288, memUsed: 6144, memFree: 6144, temperature: 71, powerDraw: 151.5, powerLimit: 170,
        clockSm: 1777, clockMem: 7500, fanSpeed: 55, pstate: 'P2' as const,
    };
    render(<GpuCard gpu={gpu} live={live} history={[{ t: 1, util: 87, mem: 50 }]} stale />);
    expect(field('temperature')).toHaveTextContent('71 °C');
    expect(field('power')).toHaveTextContent('151.5 W of 170 W');
    expect(field('memory')).toHaveTextContent('6 GiB of 12 GiB');
    expect(field('pstate')).toHaveTextContent('P2');
    expect(screen.getByText('Not updating')).toBeInTheDocument();
});

test('MIG devices of the recorded A100 are listed in the details', async () => {
    const gpu = parseNvidiaSmiXml(xml('telegraf-a100-sxm4-mig-535.xml')).gpus[0];
    render(<GpuCard gpu={gpu} live={null} history={[]} stale={false} />);
    expect(screen.getByText('MIG')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show details' }));
    expect(document.querySelectorAll('[data-table="mig-devices"] tbody tr')).toHaveLength(gpu.mig.devices.length);
    expect(gpu.mig.devices.length).toBeGreaterThan(0);
});
