// The live connections table on connections built from a recorded ss output: groups,
// filter, "Flagged only", grouping by owner, and sorting.
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFixture } from '../../test/unit/fixtures';
import { egressConnections } from './connections';
import { ConnectionsTable, PAGE_SIZE } from './ConnectionsTable';
import { EndpointMatcher, shippedEndpoints } from './endpoints';
import { SsSnapshotReader, type SsSnapshot } from './ss-snapshot-parser';

function snapshotOf(ssText: string, cgroupFiles: [number, string][]): SsSnapshot {
    const reader = new SsSnapshotReader();
    for (const line of ssText.split('\n').filter(l => l !== ''))
        reader.push(`ss\t${line}`);
    reader.push('status\t0');
    for (const [pid, file] of cgroupFiles)
        for (const line of readFixture(`proc-cgroup/${file}`).split('\n').filter(l => l !== ''))
            reader.push(`cgroup\t${pid}\t${line}`);
    return reader.push('end\t')!;
}

const snapshot = snapshotOf(readFixture('ss/ss-tunapH-e-6.1-workstation.txt'), [
    [6542, 'gnome-app-scope-cgmemtime5.txt'],
    [6533, 'hybrid-session-systemd4602.txt'],
    [6529, 'nginx-service-laurel228.txt'],
]);
// api.openai.com is on the shipped list; archive.example.org is not
const NAMES: Record<string, string> = { '198.51.100.7': 'api.openai.com', '2001:db8:a1e5::7': 'archive.example.org' };
const connections = egressConnections(snapshot, address => NAMES[address] ?? null, new EndpointMatcher(shippedEndpoints()));

const groupLabels = () => [...document.querySelectorAll('tbody[data-group]')].map(g => g.getAttribute('data-group'));
const group = (label: string) => document.querySelector(`tbody[data-group="${label}"]`) as HTMLElement;
const rowsOf = (label: string) => [...group(label).querySelectorAll('tr[data-peer]')] as HTMLElement[];
const peersOf = (label: string) => rowsOf(label).map(row => `${row.getAttribute('data-peer')} ${within(row).getAllByRole('cell')[0].textContent}`);
const dataRows = () => document.querySelectorAll('tr[data-peer]').length;

// curl and model-fetch: 5 connections each, flagged ones in both: by label. python3 only
// serves port 8000 to 10.213.0.1 (incoming), hidden until asked for.
const BY_PROGRAM = ['curl', 'model-fetch', 'bash', 'half-closed', 'nc', 'q', 'we(i', 'Web Content', 'x",pid=1,fd=2', 'dhcp-client'];

test('groups by program, flagged groups first, one row per outbound connection', () => {
    render(<ConnectionsTable connections={connections} />);
    expect(connections).toHaveLength(19);
    expect(groupLabels()).toEqual(BY_PROGRAM);
    expect(dataRows()).toBe(18);
    const header = group('model-fetch').querySelector('tr.aiws-group-row') as HTMLElement;
    // model-fetch: 3 to api.openai.com (flagged), 2 to archive.example.org
    expect(header).toHaveTextContent('model-fetch 5 connections 3 flagged');
    expect(screen.queryByRole('navigation', { name: /pagination/i })).toBeNull();
});

test('incoming connections (to this machine\'s services) are shown when asked for', async () => {
    render(<ConnectionsTable connections={connections} />);
    await userEvent.click(screen.getByRole('checkbox', { name: /^Incoming \(1\)/ }));
    expect(dataRows()).toBe(19);
    expect(group('python3').querySelector('tr.aiws-group-row')).toHaveTextContent(/^python3 1 connection$/);
    const [row] = rowsOf('python3');
    expect(row).toHaveAttribute('data-direction', 'inbound');
    expect(within(row).getAllByRole('cell')[2]).toHaveTextContent('Incoming from 10.213.0.1:59196 to port 8000 Local network');
});

test('a long list is paged, PAGE_SIZE rows a page, group headers keep their whole count', async () => {
    const many = Array.from({ length: PAGE_SIZE * 2 + 5 }, (_unused, i) => {
        const base = connections.find(c => c.owner.processes[0]?.name === 'nc')!;
        return { ...base, key: `${base.key} copy ${i}`, local: { ...base.local, port: 40000 + i } };
    });
    render(<ConnectionsTable connections={many} />);
    expect(dataRows()).toBe(PAGE_SIZE);
    expect(group('nc').querySelector('tr.aiws-group-row')).toHaveTextContent(`nc ${many.length} connections`);
    const next = screen.getAllByRole('button', { name: 'Go to next page' })[0];
    await userEvent.click(next);
    await userEvent.click(screen.getAllByRole('button', { name: 'Go to next page' })[0]);
    expect(dataRows()).toBe(5);
});

test('a row: program, owner, destination with its class, flag, user, state', () => {
    render(<ConnectionsTable connections={connections} />);
    const [row] = rowsOf('half-closed');
    expect(within(row).getAllByRole('cell').map(cell => cell.textContent)).toEqual([
        'half-closed (6547)', '\u2014', 'api.openai.com TCP 198.51.100.7:7000 Internet', 'Cloud AI: OpenAI', '0', 'CLOSE-WAIT',
    ]);
    const [container] = rowsOf('model-fetch');
    expect(within(container).getAllByRole('cell')[1]).toHaveTextContent('Container 3f1c0a7be2d9');
    const [local] = rowsOf('dhcp-client');
    expect(within(local).getAllByRole('cell').map(cell => cell.textContent).slice(2, 4))
            .toEqual(['TCP [fe80::a1e5:1]:443 Local network', '\u2014']);
    const [nobody] = rowsOf('curl').filter(r => within(r).getAllByRole('cell')[0].textContent === 'curl (6531)');
    expect(within(nobody).getAllByRole('cell')[4]).toHaveTextContent('65534');
});

test('the filter narrows the rows; a filter without match says so', async () => {
    render(<ConnectionsTable connections={connections} />);
    const filter = screen.getByPlaceholderText('Filter by program, service, address or name');
    await userEvent.type(filter, 'archive.example');
    expect(groupLabels()).toEqual(['model-fetch', 'curl']);
    expect(dataRows()).toBe(3);
    expect(peersOf('curl')).toEqual(['2001:db8:a1e5::7 curl (6528)']);
    await userEvent.clear(filter);
    await userEvent.type(filter, 'nginx.service');
    expect(groupLabels()).toEqual(['curl']);
    expect(peersOf('curl')).toEqual(['198.51.100.7 curl (6529)']);
    await userEvent.clear(filter);
    await userEvent.type(filter, 'no-such-peer');
    expect(document.querySelector('#egress-connections')).toBeNull();
    expect(screen.getByText('No connection matches')).toBeInTheDocument();
    expect(screen.getByText('Change the filter to see more.')).toBeInTheDocument();
});

test('"Flagged only" leaves the flagged connections', async () => {
    render(<ConnectionsTable connections={connections} />);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Flagged only' }));
    expect(dataRows()).toBe(14);
    // now curl has 4, model-fetch 3
    expect(groupLabels()).toEqual(['curl', 'model-fetch', 'bash', 'half-closed', 'nc', 'q', 'we(i', 'Web Content', 'x",pid=1,fd=2']);
    expect([...document.querySelectorAll('td[data-field="flag"]')].every(cell => cell.textContent === 'Cloud AI: OpenAI')).toBe(true);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Flagged only' }));
    expect(dataRows()).toBe(18);
});

test('grouping by service or container changes the group rows', async () => {
    render(<ConnectionsTable connections={connections} />);
    await userEvent.click(screen.getByRole('button', { name: 'By service or container' }));
    expect(groupLabels()).toEqual([
        '3f1c0a7be2d9', 'curl', 'aiws-rec-fetch.service', 'app-gnome-kitty-3842.scope', 'half-closed', 'nc', 'nginx.service', 'q',
        'session 1', 'we(i', 'x",pid=1,fd=2', 'dhcp-client',
    ]);
    expect(dataRows()).toBe(18);
    expect(within(rowsOf('nginx.service')[0]).getAllByRole('cell')[1]).toHaveTextContent('Service nginx.service');
    expect(within(rowsOf('session 1')[0]).getAllByRole('cell')[1]).toHaveTextContent('User session 1');
    await userEvent.click(screen.getByRole('button', { name: 'By program' }));
    expect(groupLabels()).toEqual(BY_PROGRAM);
});

test('sorting by Destination, both ways; by default flagged rows come first', async () => {
    render(<ConnectionsTable connections={connections} />);
    const flaggedFirst = [
        '198.51.100.7 curl (6531)', '198.51.100.7 curl (6529)', '198.51.100.7 curl (6527)', '198.51.100.7 curl (6546)',
        '2001:db8:a1e5::7 curl (6528)',
    ];
    expect(peersOf('curl')).toEqual(flaggedFirst);
    expect(screen.getByRole('columnheader', { name: 'Flag' })).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('columnheader', { name: 'Destination' })).not.toHaveAttribute('aria-sort');
    await userEvent.click(screen.getByRole('button', { name: 'Destination' }));
    expect(screen.getByRole('columnheader', { name: 'Destination' })).toHaveAttribute('aria-sort', 'ascending');
    // by name: "api.openai.com" < "archive.example.org"; rows of one destination keep their order
    expect(peersOf('curl')).toEqual(flaggedFirst);
    expect(peersOf('model-fetch').map(p => p.split(' ')[0])).toEqual(['198.51.100.7', '198.51.100.7', '198.51.100.7', '2001:db8:a1e5::7', '2001:db8:a1e5::7']);
    await userEvent.click(screen.getByRole('button', { name: 'Destination' }));
    expect(peersOf('curl')).toEqual([
        '2001:db8:a1e5::7 curl (6528)',
        '198.51.100.7 curl (6531)', '198.51.100.7 curl (6529)', '198.51.100.7 curl (6527)', '198.51.100.7 curl (6546)',
    ]);
    expect(screen.getByRole('columnheader', { name: 'Destination' })).toHaveAttribute('aria-sort', 'descending');
});

test('sorting by Program', async () => {
    render(<ConnectionsTable connections={connections} />);
    await userEvent.click(screen.getByRole('button', { name: 'Program' }));
    expect(peersOf('curl').map(p => p.split(' ').slice(1).join(' '))).toEqual(['curl (6527)', 'curl (6528)', 'curl (6529)', 'curl (6531)', 'curl (6546)']);
});

test('no connections at all', () => {
    render(<ConnectionsTable connections={[]} />);
    expect(screen.getByText('No connections leave this machine right now')).toBeInTheDocument();
    expect(document.querySelector('#egress-connections')).toBeNull();
});
