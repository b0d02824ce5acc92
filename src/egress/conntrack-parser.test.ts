// conntrack's output as recorded in network namespaces (test/fixtures/conntrack, see
// SOURCES.md): every event of a flow's life, the lists, what accounting and kernel
// timestamps add, what conntrack says on stderr, and lines it must refuse.
import { parseErrorOf } from '../../test/unit/parse-errors';
import { readFixture } from '../../test/unit/fixtures';
import {
    parseConntrackLine, parseConntrackOutput, parseConntrackStderr, parseConntrackSummary,
    type ConntrackFlow,
} from './conntrack-parser';
import { LineSplitter } from '../../pkg/lib/line-splitter';

const read = (name: string) => readFixture(`conntrack/${name}`);
const flows = (name: string) => parseConntrackOutput(read(name));

const WS = '10.214.0.1';
const NET = '10.214.0.2';
const WS6 = 'fd00:a1a5:c7::1';
const NET6 = 'fd00:a1a5:c7::2';

/** A flow without what only some output options add. */
function bare(flow: ConntrackFlow): ConntrackFlow {
    const rest = { ...flow };
    delete rest.timestamp;
    delete rest.l3;
    delete rest.id;
    return rest;
}

describe('conntrack -E -o timestamp,id (the whole life of every flow)', () => {
    const events = flows('conntrack-E-o-timestamp-id-1.4.7.txt');
    const byId = (id: number) => events.filter(e => e.id === id);

    test('45 events: 13 NEW, 19 UPDATE, 13 DESTROY, in the order read, each with a time', () => {
        expect(events).toHaveLength(45);
        expect(events.filter(e => e.event === 'NEW')).toHaveLength(13);
        expect(events.filter(e => e.event === 'UPDATE')).toHaveLength(19);
        expect(events.filter(e => e.event === 'DESTROY')).toHaveLength(13);
        for (let i = 1; i < events.length; i++)
            expect(events[i].timestamp!).toBeGreaterThanOrEqual(events[i - 1].timestamp!);
        expect(events[0].timestamp).toBeCloseTo(1796223483.889395, 6);
        expect(events[44].timestamp).toBeCloseTo(1796223528.42166, 6);
    });

    test('the first line, field by field', () => {
        expect(events[0]).toEqual({
            event: 'NEW',
            timestamp: expect.closeTo(1796223483.889395, 6),
            protocol: 'tcp',
            protocolName: 'tcp',
            protocolNumber: 6,
            timeout: 6,
            state: 'SYN_SENT',
            original: { src: WS, dst: NET, sport: 59058, dport: 8080 },
            reply: { src: NET, dst: WS, sport: 8080, dport: 59058 },
            flags: ['UNREPLIED'],
            id: 2194783008,
        });
    });

    test('every flow that began also ended, under one id', () => {
        const started = events.filter(e => e.event === 'NEW').map(e => e.id);
        const ended = events.filter(e => e.event === 'DESTROY').map(e => e.id);
        expect(new Set(started).size).toBe(13);
        expect([...ended].sort()).toEqual([...started].sort());
    });

    test('a TCP connection answered and closed: SYN_SENT → … → TIME_WAIT, then an expired DESTROY without timeout', () => {
        const life = byId(2194783008);
        expect(life.map(e => [e.event, e.state, e.timeout])).toEqual([
            ['NEW', 'SYN_SENT', 6],
            ['UPDATE', 'SYN_RECV', 60],
            ['UPDATE', 'ESTABLISHED', 432000],
            ['UPDATE', 'FIN_WAIT', 120],
            ['UPDATE', 'LAST_ACK', 30],
            ['UPDATE', 'TIME_WAIT', 3],
            ['DESTROY', 'TIME_WAIT', undefined],
        ]);
        expect(life.map(e => e.flags)).toEqual([['UNREPLIED'], [], ['ASSURED'], ['ASSURED'], ['ASSURED'], ['ASSURED'], ['ASSURED']]);
        // the DESTROY came when the kernel's garbage collection found it, seconds after TIME_WAIT ran out
        expect(life[6].timestamp! - life[5].timestamp!).toBeCloseTo(6.08, 1);
    });

    test('a refused connection (RST): destroyed at once, with its timeout and state CLOSE, never replied', () => {
        expect(byId(3973494913)).toEqual([
            expect.objectContaining({ event: 'NEW', state: 'SYN_SENT', flags: ['UNREPLIED'] }),
            expect.objectContaining({
                event: 'DESTROY', timeout: 6, state: 'CLOSE', flags: ['UNREPLIED'],
                original: { src: WS, dst: NET, sport: 60222, dport: 8081 },
            }),
        ]);
    });

    test('a dropped port: only NEW and, when SYN_SENT ran out, DESTROY, both UNREPLIED', () => {
        const life = byId(917506473);
        expect(life.map(e => [e.event, e.state, e.timeout, e.flags])).toEqual([
            ['NEW', 'SYN_SENT', 6, ['UNREPLIED']],
            ['DESTROY', 'SYN_SENT', undefined, ['UNREPLIED']],
        ]);
        expect(life[0].original.dport).toBe(9);
    });

    test('IPv6 TCP and UDP', () => {
        const tcp6 = byId(2402841215);
        expect(tcp6[0].original).toEqual({ src: WS6, dst: NET6, sport: 47742, dport: 8080 });
        expect(tcp6.at(-1)!.event).toBe('DESTROY');
        const udp6 = byId(3782250773);
        expect(udp6.map(e => [e.event, e.protocol, e.timeout, e.flags])).toEqual([
            ['NEW', 'udp', 5, ['UNREPLIED']],
            ['UPDATE', 'udp', 5, []],
            ['DESTROY', 'udp', undefined, []],
        ]);
        expect(udp6[0].reply).toEqual({ src: NET6, dst: WS6, sport: 53, dport: 41364 });
    });

    test('DNS-like UDP: NEW unreplied, UPDATE when the answer came; UDP has no state', () => {
        const dns = byId(1681150177);
        expect(dns[1]).toEqual({
            event: 'UPDATE',
            timestamp: expect.any(Number),
            protocol: 'udp', protocolName: 'udp', protocolNumber: 17, timeout: 5,
            original: { src: WS, dst: NET, sport: 36172, dport: 53 },
            reply: { src: NET, dst: WS, sport: 53, dport: 36172 },
            flags: [], id: 1681150177,
        });
        expect(dns.every(e => e.state === undefined)).toBe(true);
    });

    test('zone=7 (set by the ruleset) on the flow, and the answer, outside the zone, a flow of its own the other way', () => {
        const zoned = byId(1451592383);
        expect(zoned.map(e => [e.event, e.zone])).toEqual([['NEW', 7], ['DESTROY', 7]]);
        expect(byId(3018404729)[0]).toMatchObject({
            event: 'NEW', original: { src: NET, dst: WS, sport: 5353, dport: 33770 }, flags: ['UNREPLIED'],
        });
        expect(byId(3018404729)[0].zone).toBeUndefined();
    });

    test('ct mark 42 on every event of the marked flow, and no mark= on the others', () => {
        const marked = byId(2539366573);
        expect(marked).toHaveLength(7);
        expect(marked.every(e => e.mark === 42)).toBe(true);
        expect(events.filter(e => e.mark !== undefined).every(e => e.id === 2539366573)).toBe(true);
    });

    test('ICMP and ICMPv6: the tuple\'s own id= is the echo identifier, the last id= the flow\'s', () => {
        const [ping] = byId(1139923033);
        expect(ping).toMatchObject({
            protocol: 'icmp', protocolNumber: 1, timeout: 5,
            original: { src: WS, dst: NET, icmp: { type: 8, code: 0, id: 16385 } },
            reply: { src: NET, dst: WS, icmp: { type: 0, code: 0, id: 16385 } },
            id: 1139923033,
        });
        expect(ping.original.sport).toBeUndefined();
        const [ping6] = byId(4274761554);
        expect(ping6).toMatchObject({
            protocol: 'icmpv6', protocolName: 'icmpv6', protocolNumber: 58,
            original: { src: WS6, dst: NET6, icmp: { type: 128, code: 0, id: 16386 } },
            reply: { icmp: { type: 129, code: 0, id: 16386 } },
        });
    });

    test('IP protocol 253: "unknown", other, with its number and addresses only', () => {
        expect(byId(3664243421).map(e => [e.event, e.protocol, e.protocolName, e.protocolNumber, e.timeout])).toEqual([
            ['NEW', 'other', 'unknown', 253, 6],
            ['DESTROY', 'other', 'unknown', 253, undefined],
        ]);
        expect(byId(3664243421)[0].original).toEqual({ src: WS, dst: NET });
    });
});

describe('the same flows through other output options (all four recorders ran at once)', () => {
    const timestamped = flows('conntrack-E-o-timestamp-id-1.4.7.txt');

    test('-o id: the same events without the time', () => {
        const plain = flows('conntrack-E-o-id-1.4.7.txt');
        expect(plain.every(e => e.timestamp === undefined)).toBe(true);
        expect(plain).toEqual(timestamped.map(e => ({ ...bare(e), id: e.id })));
    });

    test('-o extended,timestamp,id: the same events with ipv4/ipv6 before the protocol', () => {
        const extended = flows('conntrack-E-o-extended-timestamp-id-1.4.7.txt');
        expect(extended.map(bare)).toEqual(timestamped.map(bare));
        expect(extended.map(e => e.id)).toEqual(timestamped.map(e => e.id));
        for (const e of extended)
            expect(e.l3).toBe(e.original.src.includes(':') ? 'ipv6' : 'ipv4');
        expect(extended.filter(e => e.l3 === 'ipv6')).toHaveLength(13);
    });

    test('-e NEW: only the 13 NEW events, without ids', () => {
        const news = flows('conntrack-E-e-NEW-1.4.7.txt');
        expect(news).toEqual(timestamped.filter(e => e.event === 'NEW').map(bare));
        expect(news.at(-1)).toEqual({
            event: 'NEW', protocol: 'tcp', protocolName: 'tcp', protocolNumber: 6, timeout: 6, state: 'SYN_SENT',
            original: { src: WS, dst: NET, sport: 53716, dport: 8443 },
            reply: { src: NET, dst: WS, sport: 8443, dport: 53716 },
            flags: ['UNREPLIED'], mark: 42,
        });
    });
});

describe('conntrack -L (a snapshot a second after the traffic)', () => {
    const list = flows('conntrack-L-o-id-1.4.7.txt');

    test('9 entries, no event, mark= and use= on every one', () => {
        expect(list).toHaveLength(9);
        expect(list.every(e => e.event === null && e.use === 1 && e.mark !== undefined)).toBe(true);
        expect(list.map(e => e.mark).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 42]);
    });

    test('the established connection, field by field', () => {
        expect(list[6]).toEqual({
            event: null, protocol: 'tcp', protocolName: 'tcp', protocolNumber: 6, timeout: 431998, state: 'ESTABLISHED',
            original: { src: WS, dst: NET, sport: 53716, dport: 8443 },
            reply: { src: NET, dst: WS, sport: 8443, dport: 53716 },
            flags: ['ASSURED'], mark: 42, use: 1, id: 2539366573,
        });
    });

    test('in -L, zone= comes after mark=; the entry ids are those of the events', () => {
        expect(list[0]).toMatchObject({ zone: 7, mark: 0, flags: ['UNREPLIED'], original: { dport: 5353 }, id: 1451592383 });
        const eventIds = new Set(flows('conntrack-E-o-id-1.4.7.txt').map(e => e.id));
        expect(list.every(e => eventIds.has(e.id))).toBe(true);
    });

    test('a UDP entry whose timeout ran out but that gc has not reaped yet: timeout 0', () => {
        expect(list[8]).toMatchObject({ protocol: 'udp', timeout: 0, original: { dport: 53 } });
    });

    test('plain -L and -o extended list the same entries', () => {
        expect(flows('conntrack-L-1.4.7.txt')).toEqual(list.map(bare));
        const extended = flows('conntrack-L-o-extended-1.4.7.txt');
        expect(extended.map(bare)).toEqual(list.map(bare));
        expect(extended.map(e => e.l3)).toEqual(['ipv4', 'ipv4', 'ipv6', 'ipv4', 'ipv6', 'ipv4', 'ipv4', 'ipv4', 'ipv4']);
    });
});

describe('with nf_conntrack_acct=1 and nf_conntrack_timestamp=1', () => {
    test('-E: counters, delta-time and, with -o ktimestamp, [start=…] [stop=…] only on DESTROY', () => {
        const events = flows('conntrack-E-o-extended-ktimestamp-id-acct-1.4.7.txt');
        expect(events).toHaveLength(17);
        expect(events.filter(e => e.original.packets !== undefined).map(e => e.event)).toEqual(['DESTROY', 'DESTROY', 'DESTROY']);
        expect(events[14]).toEqual({
            event: 'DESTROY', l3: 'ipv4', protocol: 'tcp', protocolName: 'tcp', protocolNumber: 6, state: 'TIME_WAIT',
            original: { src: WS, dst: NET, sport: 51082, dport: 8443, packets: 4, bytes: 216 },
            reply: { src: NET, dst: WS, sport: 8443, dport: 51082, packets: 2, bytes: 112 },
            flags: ['ASSURED'], mark: 42, deltaTime: 7,
            start: 'Wed Dec  2 14:59:14 2026', stop: 'Wed Dec  2 14:59:21 2026',
            id: 2242542978,
        });
    });

    test('-E -o timestamp,id: delta-time without start and stop', () => {
        const events = flows('conntrack-E-o-timestamp-id-acct-1.4.7.txt');
        const last = events.at(-1)!;
        expect(last).toMatchObject({ event: 'DESTROY', deltaTime: 5, original: { packets: 1, bytes: 38 }, reply: { packets: 1, bytes: 45 } });
        expect(last.start).toBeUndefined();
        expect(last.timestamp).toBeCloseTo(1796223573.476872, 6);
    });

    test('-L: start but no stop, counters only on flows that began after acct was on', () => {
        const list = flows('conntrack-L-o-extended-ktimestamp-id-acct-1.4.7.txt');
        expect(list.map(e => [e.state ?? e.protocol, e.original.packets, e.deltaTime, e.start, e.stop])).toEqual([
            ['ESTABLISHED', 2, 1, 'Wed Dec  2 14:59:14 2026', undefined],
            ['TIME_WAIT', 6, 2, 'Wed Dec  2 14:59:13 2026', undefined],
            ['udp', 1, 2, 'Wed Dec  2 14:59:13 2026', undefined],
        ]);
        expect(list[1].reply.bytes).toBe(1055);
    });
});

describe('the weave scope examples (shared recordings)', () => {
    test('four event lines, the DESTROY one without timeout and state', () => {
        const events = flows('conntrack-E-o-id-events-weavescope.txt');
        expect(events.map(e => [e.event, e.protocol, e.timeout, e.state, e.flags, e.id])).toEqual([
            ['UPDATE', 'udp', 29, undefined, [], undefined],
            ['NEW', 'tcp', 120, 'SYN_SENT', ['UNREPLIED'], 1595499776],
            ['UPDATE', 'tcp', 120, 'TIME_WAIT', ['ASSURED'], 3663628160],
            ['DESTROY', 'tcp', undefined, undefined, [], 3668417984],
        ]);
        expect(events[3].reply).toEqual({ src: '172.17.0.1', dst: '10.0.2.15', sport: 53, dport: 34078 });
    });

    test('the -L line with its id typo (407401088c) is refused, naming the field', () => {
        const error = parseErrorOf(() => flows('conntrack-L-o-id-line-weavescope.txt'));
        expect(error.tool).toBe('conntrack');
        expect(error.message).toBe('id=407401088c is not a number');
        expect(error.snippet).toMatch(/^tcp {6}6 431997 ESTABLISHED src=10\.32\.0\.1 .* id=407401088c$/);
    });
});

describe('what conntrack says on stderr', () => {
    test('the closing summary of -E and -L', () => {
        expect(parseConntrackStderr(read('conntrack-E-o-timestamp-id-1.4.7.stderr.txt'))).toEqual({
            summary: { count: 45, what: 'flow events' }, messages: [], permissionDenied: false,
        });
        expect(parseConntrackStderr(read('conntrack-E-e-NEW-1.4.7.stderr.txt')).summary).toEqual({ count: 13, what: 'flow events' });
        expect(parseConntrackStderr(read('conntrack-L-o-id-1.4.7.stderr.txt')).summary).toEqual({ count: 9, what: 'flow entries' });
        expect(parseConntrackSummary('conntrack v1.4.7 (conntrack-tools): 17 flow events have been shown.')).toEqual({ count: 17, what: 'flow events' });
        expect(parseConntrackSummary('17 flow events')).toBeNull();
    });

    test('as nobody: -L says why in words, -E only that the bind was refused; both exit 1', () => {
        expect(parseConntrackStderr(read('conntrack-L-nobody-1.4.7.stderr.txt'))).toEqual({
            summary: null,
            messages: ['Operation failed: sorry, you must be root or get CAP_NET_ADMIN capability to do this'],
            permissionDenied: true,
        });
        expect(parseConntrackStderr(read('conntrack-E-nobody-1.4.7.stderr.txt'))).toEqual({
            summary: null,
            messages: ['mnl_socket_bind: Operation not permitted', "Can't open netlink socket"],
            permissionDenied: true,
        });
        expect(read('conntrack-L-nobody-1.4.7.exit-code.txt').trim()).toBe('1');
        expect(read('conntrack-E-nobody-1.4.7.exit-code.txt').trim()).toBe('1');
        expect(read('conntrack-E-nobody-1.4.7.txt')).toBe('');
    });

    test('a namespace without any ct rule: no notice at all, just nothing (0 events, 0 entries, count 0, exit 0)', () => {
        expect(flows('conntrack-E-o-id-no-ct-rule-1.4.7.txt')).toEqual([]);
        expect(flows('conntrack-L-o-id-no-ct-rule-1.4.7.txt')).toEqual([]);
        expect(parseConntrackStderr(read('conntrack-E-o-id-no-ct-rule-1.4.7.stderr.txt'))).toEqual({
            summary: { count: 0, what: 'flow events' }, messages: [], permissionDenied: false,
        });
        expect(parseConntrackStderr(read('conntrack-L-o-id-no-ct-rule-1.4.7.stderr.txt')).summary).toEqual({ count: 0, what: 'flow entries' });
        expect(read('conntrack-L-o-id-no-ct-rule-1.4.7.exit-code.txt').trim()).toBe('0');
        expect(read('conntrack-C-no-ct-rule-1.4.7.txt').trim()).toBe('0');
        expect(read('conntrack-C-no-ct-rule-1.4.7.stderr.txt')).toBe('');
    });
});

describe('parseConntrackLine', () => {
    test('blank lines and the summary line (stderr merged into the stream) are no flow', () => {
        expect(parseConntrackLine('')).toBeNull();
        expect(parseConntrackLine('   \r')).toBeNull();
        expect(parseConntrackLine('conntrack v1.4.7 (conntrack-tools): 45 flow events have been shown.')).toBeNull();
    });

    test('a line ending in \\r is read as without it', () => {
        const line = read('conntrack-E-o-id-1.4.7.txt').split('\n')[0];
        expect(parseConntrackLine(line + '\r')).toEqual(parseConntrackLine(line));
    });

    test('older conntrack left-justified the microseconds ("[1234567890.5     ]" is 5 µs)', () => {
        const flow = parseConntrackLine('[1234567890.5     ]\t    [NEW] udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1');
        expect(flow!.timestamp).toBeCloseTo(1234567890.000005, 6);
    });

    test('fields it does not know after the reply tuple are passed over; OFFLOAD flags, helper, labels, secmark are kept', () => {
        const flow = parseConntrackLine(
            'tcp      6 431999 ESTABLISHED src=192.0.2.10 dst=198.51.100.7 sport=40000 dport=21 src=198.51.100.7 dst=192.0.2.10 sport=21 dport=40000 '
            + '[ASSURED] [OFFLOAD] mark=0 secmark=3 secctx=system_u:object_r:unlabeled_t:s0 helper=ftp use=2 labels=audit,ai newfield=x id=99',
        );
        expect(flow).toMatchObject({
            flags: ['ASSURED', 'OFFLOAD'], secmark: 3, secctx: 'system_u:object_r:unlabeled_t:s0', helper: 'ftp',
            use: 2, labels: ['audit', 'ai'], id: 99,
        });
    });

    test('GRE keys and directional zones stay in their tuple', () => {
        const flow = parseConntrackLine(
            '    [NEW] gre      47 30 src=192.0.2.1 dst=192.0.2.2 srckey=0x0 dstkey=0x0 zone-orig=3 [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 srckey=0x0 dstkey=0x0 zone-reply=4',
        );
        expect(flow).toMatchObject({ protocol: 'other', protocolName: 'gre', protocolNumber: 47, original: { zone: 3 }, reply: { zone: 4 } });
    });
});

describe('malformed lines are refused with a ParseError naming conntrack', () => {
    const good = read('conntrack-E-o-timestamp-id-1.4.7.txt').split('\n')[0];

    test.each([
        ['hello world', 'a line without a protocol'],
        ['    [NEW] tcp      6 6 SYN_SENT src=10.214.0.1 dst=10.214.0.2 sport=59058 dport=8080 [UNREPLIED]', 'no reply tuple'],
        ['    [NEW] tcp      6 6 SYN_SENT', 'no original tuple'],
        ['    [NEW] tcp      6 6 SYN_SENT src=10.214.0.1 dst=10.214.0.2 src=10.214.0.2 dst=10.214.0.1', 'a tcp original tuple without ports'],
        ['    [NEW] tcp      6 6 SYN_SENT src=10.214.0.1 dst=10.214.0.2 sport=70000 dport=8080 src=10.214.0.2 dst=10.214.0.1 sport=8080 dport=1', 'sport 70000 is out of range'],
        ['    [NEW] tcp      300 6 src=10.214.0.1 dst=10.214.0.2 sport=1 dport=2 src=10.214.0.2 dst=10.214.0.1 sport=2 dport=1', 'protocol number 300 is out of range'],
        ['    [NEW] udp      17 5 src=999.214.0.1 dst=10.214.0.2 sport=1 dport=2 src=10.214.0.2 dst=10.214.0.1 sport=2 dport=1', '"999.214.0.1" is not an address'],
        ['    [NEW] udp      17 5 src=fd00::1::2 dst=10.214.0.2 sport=1 dport=2 src=10.214.0.2 dst=10.214.0.1 sport=2 dport=1', '"fd00::1::2" is not an address'],
        ['   [MAYBE] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', 'an unknown event [MAYBE]'],
        ['    [NEW udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', 'an unknown event [NEW'],
        ['    [NEW] ipx      4 udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', 'an unknown layer 3 protocol ipx'],
        ['    [NEW] icmp     1 5 src=10.0.0.1 dst=10.0.0.2 src=10.0.0.2 dst=10.0.0.1', 'an icmp original tuple without type, code and id'],
        ['    [NEW] tcp      6 5 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 type=8 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', 'type= in a tcp tuple'],
        ['    [NEW] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 src=10.0.0.3', 'a third tuple'],
        ['    [NEW] udp      17 5 mark=1 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', '"mark=1" before the original tuple'],
        ['    [NEW] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 mark=1 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', '"mark=1" between the tuples'],
        ['    [NEW] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=-1', 'mark=-1 is not a number'],
        ['    [NEW] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 garbage', 'unexpected "garbage"'],
        ['    [NEW] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 dport=3', '"dport=3" after the reply tuple'],
        ['    [NEW] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 [start=Wed Dec', 'an unclosed [start=Wed'],
        ['    [NEW] udp      17 5 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 [weird thing]', 'unexpected [weird thing]'],
    ])('%s', (line, message) => {
        const error = parseErrorOf(() => parseConntrackLine(line));
        expect(error.tool).toBe('conntrack');
        expect(error.message).toBe(message);
        expect(error.snippet).toBe(line.trim());
    });

    test('a recorded line cut short anywhere throws nothing but a ParseError', () => {
        const whole = parseConntrackLine(good)!;
        for (let end = 1; end < good.length; end++) {
            const cut = good.slice(0, end);
            let flow: ConntrackFlow | null = null;
            try {
                flow = parseConntrackLine(cut);
            } catch (error) {
                expect(error).toMatchObject({ name: 'ParseError', tool: 'conntrack' });
                continue;
            }
            // what does parse is the line less its tail (a number in it may be cut short)
            expect(flow!.original.src).toBe(whole.original.src);
            expect(flow!.event).toBe('NEW');
        }
    });
});

describe('LineSplitter on conntrack\'s stream', () => {
    const text = read('conntrack-E-o-timestamp-id-1.4.7.txt');
    const lines = text.split('\n').filter(l => l !== '');

    test.each([1, 7, 100, 4096])('the recording in chunks of %i characters gives its 45 lines', size => {
        const splitter = new LineSplitter({ skipBlank: true });
        const out: string[] = [];
        for (let i = 0; i < text.length; i += size)
            out.push(...splitter.push(text.slice(i, i + size)));
        out.push(...splitter.flush());
        expect(out).toEqual(lines);
        expect(out.map(parseConntrackLine)).toEqual(flows('conntrack-E-o-timestamp-id-1.4.7.txt'));
    });

    test('a last line without newline comes with flush; \\r\\n and blank lines are dealt with', () => {
        const splitter = new LineSplitter({ skipBlank: true });
        expect(splitter.push('a\r\n\r\nb')).toEqual(['a']);
        expect(splitter.push('c')).toEqual([]);
        expect(splitter.flush()).toEqual(['bc']);
        expect(splitter.flush()).toEqual([]);
    });
});
