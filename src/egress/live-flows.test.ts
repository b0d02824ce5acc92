// Live flows on conntrack's events as recorded in the egress world (test/fixtures/conntrack,
// `conntrack -E -e NEW -o timestamp,id`, the tab's own command): which flows leave the
// machine, which were forwarded from the container, names and flags.
import { readFixture } from '../../test/unit/fixtures';
import { parseConntrackOutput, type ConntrackFlow } from './conntrack-parser';
import { EndpointMatcher, shippedEndpoints } from './endpoints';
import { FlowBuffer, liveFlow, liveFlows } from './live-flows';

const matcher = new EndpointMatcher(shippedEndpoints());
const NAMES: Record<string, string> = { '203.0.113.10': 'api.openai.com', '203.0.113.12': 'huggingface.co', '203.0.113.20': 'allowed.example.net' };
const nameOf = (address: string) => NAMES[address] ?? null;
// the workstation's addresses as its sockets show them (ss)
const LOCAL = new Set(['198.51.100.2', '10.213.9.1']);

const agents = parseConntrackOutput(readFixture('conntrack/conntrack-E-e-NEW-o-timestamp-id-egress-world-1.4.7.txt'));
const mixed = parseConntrackOutput(readFixture('conntrack/conntrack-E-e-NEW-o-timestamp-id-egress-world-inbound-dns-1.4.7.txt'));

test('every NEW flow of the agents, newest first, with its origin, name and flag', () => {
    const flows = liveFlows(agents, LOCAL, nameOf, matcher);
    expect(flows).toHaveLength(9);
    expect(flows[0]).toEqual({
        key: 'id 740157566',
        timeS: 1796288521.856088,
        protocol: 'tcp',
        source: '198.51.100.2', sourcePort: 38084,
        destination: '203.0.113.20', destinationPort: 443,
        destinationClass: 'internet',
        destinationName: 'allowed.example.net',
        flag: null,
        origin: 'this-machine',
    });
    expect(flows.map(f => f.timeS)).toEqual([...flows.map(f => f.timeS)].sort((a, b) => b! - a!));
});

test('the container\'s flow is forwarded, from its own address, and flagged as a model hub', () => {
    const forwarded = liveFlows(agents, LOCAL, nameOf, matcher).filter(f => f.origin === 'forwarded');
    expect(forwarded.map(f => `${f.source} ${f.destination}:${f.destinationPort}`)).toEqual(
        ['10.213.9.2 203.0.113.12:443', '10.213.9.2 203.0.113.12:443', '10.213.9.2 203.0.113.12:443']);
    expect(forwarded.every(f => f.flag?.category === 'model-hub' && f.flag.vendor === 'Hugging Face')).toBe(true);
});

test('flows to this machine\'s own addresses are left out: the incoming one and the machine talking to itself', () => {
    expect(mixed).toHaveLength(9);
    const flows = liveFlows(mixed, LOCAL, nameOf, matcher);
    expect(flows.some(f => f.destination === '198.51.100.2')).toBe(false);
    expect(flows).toHaveLength(7);
    const dns = flows.find(f => f.protocol === 'udp');
    expect(dns).toMatchObject({ destination: '203.0.113.53', destinationPort: 53, destinationName: null, flag: null, origin: 'this-machine' });
});

test('without a name the flow carries no flag; unknown sources count as forwarded', () => {
    const [first] = agents;
    expect(liveFlow(first, new Set(), () => null, matcher)).toMatchObject({ destinationName: null, flag: null, origin: 'forwarded' });
});

test('other events and loopback are not flows to show', () => {
    const update: ConntrackFlow = { ...agents[0], event: 'UPDATE' };
    expect(liveFlow(update, LOCAL, nameOf, matcher)).toBeNull();
    const loopback: ConntrackFlow = { ...agents[0], original: { ...agents[0].original, dst: '127.0.0.1' } };
    expect(liveFlow(loopback, LOCAL, nameOf, matcher)).toBeNull();
});

test('a flow without -o id is keyed by its tuple and time', () => {
    const withoutId: ConntrackFlow = { ...agents[0] };
    delete withoutId.id;
    expect(liveFlow(withoutId, LOCAL, nameOf, matcher)?.key).toBe('tcp 198.51.100.2:42044 203.0.113.10:443 1796288517.842323');
});

test('FlowBuffer keeps the newest flows only', () => {
    const buffer = new FlowBuffer(4);
    for (const flow of [...agents, ...mixed])
        buffer.push(flow);
    expect(buffer.all()).toEqual(mixed.slice(-4));
});
