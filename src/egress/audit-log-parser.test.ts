// The egress audit log: `journalctl -o json` entries as systemd 252 prints them (recorded on this
// build machine with a throw-away journald, test/record/record-journal.sh) and the kernel's
// nf_log lines of iptables LOG and nftables `log` rules as published (test/fixtures/journal, see
// SOURCES.md). No recording holds both at once, so whole audit journals are built here from the
// two: a recorded kernel entry whose MESSAGE is a recorded nf_log line under our prefix.
import { snippetOf } from '../../pkg/lib/parse-error';
import { parseErrorOf } from '../../test/unit/parse-errors';
import { readFixture } from '../../test/unit/fixtures';
import {
    AUDIT_LOG_PREFIXES, decodeUtf8, parseAuditJournal, parseJournalJsonLine, parseNfLogMessage,
    type NfLogPacket,
} from './audit-log-parser';

const read = (name: string) => readFixture(`journal/${name}`);
const linesOf = (name: string) => read(name).split('\n').filter(l => l !== '');

const OURS = 'aiws-egress: ';
const DENY = 'aiws-egress-deny: ';

/** The nf_log message of a recorded line: what follows its dmesg/syslog framing, from the prefix on. */
function messageOf(line: string, prefix: string): string {
    const at = line.indexOf(prefix);
    if (at < 0)
        throw new Error(`no ${prefix} in ${line}`);
    return line.slice(at);
}

/** The same message under another prefix: what our table's rule writes for that packet. */
function reprefixed(line: string, theirs: string, ours = OURS): string {
    return ours + messageOf(line, theirs).slice(theirs.length);
}

const SYN_LINE = linesOf('nflog-ipv4-tcp-syn-uid-gid-iptables-chirhonul.txt')[0];
const SYN_PREFIX = 'Dropped outbound packet: ';
const OUR_SYN = reprefixed(SYN_LINE, SYN_PREFIX);

describe('journalctl -o json (systemd 252, recorded)', () => {
    const kernel = linesOf('journalctl-k-o-json-n6-252.json');

    test('six kernel entries, each with its cursor, boot, times, priority, transport and facility', () => {
        const records = kernel.map(parseJournalJsonLine);
        expect(records).toHaveLength(6);
        expect(records[0]).toEqual({
            realtimeUs: 1796225677482755,
            cursor: 's=a6ab6dae6d2b4ddf97ccfca72fa9e216;i=7be;b=708fe4a815704f06aff5e4d6ccc07096;m=187b79518;t=661a861715b03;x=764fed0b9e23a245',
            bootId: '708fe4a815704f06aff5e4d6ccc07096',
            message: 'veth0 (unregistering): left promiscuous mode',
            messageWasBytes: false,
            priority: 6,
            transport: 'kernel',
            facility: 0,
            monotonicUs: 6571922712,
            sourceMonotonicUs: 5804757521,
        });
        expect(records.map(r => r.message)).toEqual([
            'veth0 (unregistering): left promiscuous mode',
            'aiwsm0: port 1(veth0) entered disabled state',
            'podman0: port 1(veth1) entered disabled state',
            'veth1 (unregistering): left allmulticast mode',
            'veth1 (unregistering): left promiscuous mode',
            'podman0: port 1(veth1) entered disabled state',
        ]);
        expect(new Set(records.map(r => r.bootId))).toEqual(new Set(['708fe4a815704f06aff5e4d6ccc07096']));
        for (let i = 1; i < records.length; i++)
            expect(records[i].realtimeUs).toBeGreaterThan(records[i - 1].realtimeUs);
    });

    test('--output-fields keeps the address fields: what the audit log needs, in fewer bytes', () => {
        const slim = linesOf('journalctl-transport-kernel-o-json-output-fields-n3-252.json');
        const records = slim.map(parseJournalJsonLine);
        expect(records.map(r => r.message)).toEqual(kernel.slice(3).map(l => parseJournalJsonLine(l).message));
        expect(records[0]).toEqual({ ...parseJournalJsonLine(kernel[3]) });
        expect(Object.keys(JSON.parse(slim[0])).sort()).toEqual([
            'MESSAGE', 'PRIORITY', 'SYSLOG_FACILITY', '_BOOT_ID', '_SOURCE_MONOTONIC_TIMESTAMP', '_TRANSPORT',
            '__CURSOR', '__MONOTONIC_TIMESTAMP', '__REALTIME_TIMESTAMP',
        ]);
        expect(slim[0].length / kernel[3].length).toBeLessThan(0.85);
    });

    test('journald stamps what it read from the ring buffer at start-up with that moment; the kernel stamp tells the real age', () => {
        const [first] = linesOf('journalctl-k-o-json-grep-trailing-space-252.json').map(parseJournalJsonLine);
        // written 0.099 s after boot, read by journald 6571 s after boot
        expect(first.sourceMonotonicUs).toBe(99377);
        expect(first.monotonicUs).toBe(6571769569);
        expect(first.realtimeUs).toBe(1796225677329613);
    });

    test('a kernel MESSAGE keeps its trailing space', () => {
        const records = linesOf('journalctl-k-o-json-grep-trailing-space-252.json').map(parseJournalJsonLine);
        expect(records.map(r => r.message)).toEqual([
            'pcpu-alloc: s202520 r0 d30952 u1048576 alloc=1*2097152',
            'pcpu-alloc: [0] 0 1 ',
        ]);
        expect(records.map(r => r.priority)).toEqual([7, 7]);
    });

    test('a MESSAGE that is not UTF-8 comes as an array of bytes and is decoded with U+FFFD', () => {
        const [bytes, plain] = linesOf('journalctl-t-o-json-bytes-message-252.json').map(parseJournalJsonLine);
        expect(bytes).toMatchObject({
            message: 'aiws-record: bytes \ufffd\ufffd are not UTF-8',
            messageWasBytes: true,
            transport: 'stdout',
            facility: null,
            sourceMonotonicUs: null,
            realtimeUs: 1796225678405298,
        });
        expect(plain).toMatchObject({ message: 'aiws-record: plain text', messageWasBytes: false });
    });

    test('no match and an empty range print nothing (grep exits 1, the range 0): no events, no problems', () => {
        expect(read('journalctl-k-o-json-grep-no-match-252.json')).toBe('');
        expect(read('journalctl-k-o-json-grep-no-match-252.stderr.txt')).toBe('');
        expect(read('journalctl-k-o-json-grep-no-match-252.exit-code.txt')).toBe('1\n');
        expect(read('journalctl-k-o-json-empty-range-252.json')).toBe('');
        expect(read('journalctl-k-o-json-empty-range-252.exit-code.txt')).toBe('0\n');
        expect(parseAuditJournal('')).toEqual({ events: [], problems: [], problemCount: 0, ignored: 0, untrusted: 0, truncated: false, lastCursor: null });
    });

    test('-o export is not what this reads: every line is a problem, and nothing throws', () => {
        const text = read('journalctl-k-o-export-n1-252.txt');
        expect(text).toContain('_TRANSPORT=kernel\n');
        const journal = parseAuditJournal(text);
        expect(journal.events).toEqual([]);
        expect(journal.problemCount).toBe(13);
        expect(journal.problems[0]).toMatchObject({ line: 1, error: { tool: 'journalctl' } });
    });

    test.each([
        ['not JSON', '{"__CURSOR":"s=1"', /not a JSON journal entry/],
        ['an array', '[1,2]', /not a journal entry object/],
        ['no cursor', '{"__REALTIME_TIMESTAMP":"1","_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096","MESSAGE":"x"}', /without __CURSOR/],
        ['a time that is not digits', '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1e9","_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096","MESSAGE":"x"}', /__REALTIME_TIMESTAMP/],
        ['a time as a JSON number', '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":1,"_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096","MESSAGE":"x"}', /__REALTIME_TIMESTAMP/],
        ['no boot id', '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","MESSAGE":"x"}', /_BOOT_ID/],
        ['no MESSAGE', '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096"}', /without MESSAGE/],
        ['MESSAGE null (too long without --all)', '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096","MESSAGE":null}', /too long/],
        ['several MESSAGE values', '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096","MESSAGE":["a","b"]}', /neither text nor bytes/],
        ['bytes out of range', '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096","MESSAGE":[72,256]}', /neither text nor bytes/],
        ['an empty line', '  ', /empty line/],
    ])('%s is a ParseError of journalctl with the line as snippet', (_name, line, why) => {
        const error = parseErrorOf(() => parseJournalJsonLine(line));
        expect(error.tool).toBe('journalctl');
        expect(error.message).toMatch(why);
        expect(error.snippet).toBe(line.trim());
    });

    test('PRIORITY, the transport and the stamps are optional: missing or odd, they read as null', () => {
        const record = parseJournalJsonLine('{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","_BOOT_ID":"708fe4a815704f06aff5e4d6ccc07096","MESSAGE":"x","PRIORITY":"9","SYSLOG_FACILITY":"x"}');
        expect(record).toMatchObject({ priority: null, facility: null, transport: null, monotonicUs: null, sourceMonotonicUs: null });
    });
});

describe('decodeUtf8 (what journalctl\'s byte arrays need; jsdom has no TextDecoder)', () => {
    test.each([
        [[104, 105], 'hi'],
        [[0xc3, 0xa9], 'é'],
        [[0xe2, 0x82, 0xac], '€'],
        [[0xf0, 0x9f, 0x98, 0x80], '😀'],
        [[0xff, 0xfe], '\ufffd\ufffd'],
        [[0xe2, 0x82], '\ufffd'],
        [[0xe2, 0x82, 0x41], '\ufffdA'],
        [[0xc0, 0xaf], '\ufffd\ufffd'],
        [[0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],
        [[0xf4, 0x90, 0x80, 0x80], '\ufffd\ufffd\ufffd\ufffd'],
    ])('%j → %j', (bytes, text) => {
        expect(decodeUtf8(bytes)).toBe(text);
    });
});

describe('nf_log lines as published', () => {
    test('iptables LOG --log-uid, IPv4 TCP SYN to localhost with UID and GID (chirhonul/tools)', () => {
        expect(parseNfLogMessage(messageOf(SYN_LINE, SYN_PREFIX), SYN_PREFIX)).toEqual({
            prefix: 'Dropped outbound packet: ',
            inIface: '',
            outIface: 'lo',
            family: 'ipv4',
            src: '127.0.0.1',
            dst: '127.0.0.1',
            length: 52,
            ttl: 64,
            ipFlags: ['DF'],
            protocol: 'tcp',
            protocolName: 'TCP',
            protocolNumber: 6,
            sport: 40892,
            dport: 8332,
            tcpFlags: ['SYN'],
            uid: 1000,
            gid: 1000,
            partial: false,
            extra: { TOS: '0x00', PREC: '0x00', ID: '42742', WINDOW: '43690', RES: '0x00', URGP: '0' },
            extraWords: [],
        } satisfies NfLogPacket);
    });

    test('IPv4 ICMP echo out of wlp4s0, from `journalctl | grep` (openshift-eng/aos-cd-jobs), with and without the trailing space', () => {
        const [withSpace, without] = linesOf('nflog-ipv4-icmp-out-journalctl-aos-cd-jobs.txt');
        expect(withSpace.endsWith('SEQ=1 ')).toBe(true);
        const a = parseNfLogMessage(messageOf(withSpace, 'New Connection: '), 'New Connection: ')!;
        expect(a).toMatchObject({
            inIface: '', outIface: 'wlp4s0', family: 'ipv4', src: '192.168.187.204', dst: '104.102.192.20',
            length: 84, ttl: 64, ipFlags: ['DF'], protocol: 'icmp', protocolName: 'ICMP', protocolNumber: 1,
            icmpType: 8, icmpCode: 0, tcpFlags: [],
            // the IP header's ID and the echo's ID both stay
            extra: { TOS: '0x00', PREC: '0x00', ID: '41741', 'ICMP.ID': '10677', SEQ: '1' },
        });
        expect(a.sport).toBeUndefined();
        expect(a.uid).toBeUndefined();
        const b = parseNfLogMessage(messageOf(without, 'Disallowed Connection: '), 'Disallowed Connection: ')!;
        expect({ ...b, prefix: a.prefix }).toEqual(a);
    });

    test('nftables `log flags skuid` on output, IPv6 ICMPv6 router solicitations (FoobarOy/foomuuri#107): the kernel\'s own packets have no UID', () => {
        const packets = linesOf('nflog-ipv6-icmpv6-out-nft-skuid-foomuuri-107.txt').map(l => parseNfLogMessage(messageOf(l, 'OUTPUT REJECT '), 'OUTPUT REJECT ')!);
        expect(packets.map(p => [p.outIface, p.src, p.dst])).toEqual([
            ['eth1', 'fe80::4262:31ff:fe07:d301', 'ff02::2'],
            ['wlan0', 'fe80::76f0:6dff:fe4e:9934', 'ff02::2'],
            ['eth3', 'fe80::4262:31ff:fe07:d303', 'ff02::2'],
        ]);
        expect(packets[0]).toEqual({
            prefix: 'OUTPUT REJECT ',
            inIface: '',
            outIface: 'eth1',
            family: 'ipv6',
            src: 'fe80::4262:31ff:fe07:d301',
            dst: 'ff02::2',
            length: 56,
            hopLimit: 255,
            ipFlags: [],
            protocol: 'icmpv6',
            protocolName: 'ICMPv6',
            protocolNumber: 58,
            icmpType: 133,
            icmpCode: 0,
            tcpFlags: [],
            partial: false,
            extra: { TC: '0', FLOWLBL: '0' },
            extraWords: [],
        } satisfies NfLogPacket);
    });

    test('IPv4 UDP to port 53 on input, with MAC= (nftables, openSUSE/news-o-o#83): the UDP length is UDP.LEN', () => {
        const [line] = linesOf('nflog-ipv4-udp-in-mac-nft-opensuse-pr83.txt');
        expect(parseNfLogMessage(messageOf(line, '[nftables] input reject '), '[nftables] input reject ')).toMatchObject({
            inIface: 'enp1s0', outIface: '', mac: '52:54:00:4c:51:6c:52:54:00:c7:a4:3a:08:00',
            src: '172.16.16.11', dst: '172.16.16.30', length: 74, ttl: 64, ipFlags: ['DF'],
            protocol: 'udp', protocolNumber: 17, sport: 58099, dport: 53, tcpFlags: [],
            extra: { TOS: '0x00', PREC: '0x00', ID: '54957', 'UDP.LEN': '54' },
        });
    });

    test('IPv4 TCP SYN to ssh on input (nftables, openSUSE/news-o-o blog post)', () => {
        const [line] = linesOf('nflog-ipv4-tcp-syn-in-mac-nft-opensuse-blog.txt');
        expect(parseNfLogMessage(messageOf(line, '[nftables] input reject '), '[nftables] input reject ')).toMatchObject({
            inIface: 'enp1s0', mac: '52:54:00:4c:51:6c:52:54:00:73:a1:57:08:00', src: '172.16.16.2', dst: '172.16.16.30',
            length: 60, protocol: 'tcp', sport: 55574, dport: 22, tcpFlags: ['SYN'], extra: { WINDOW: '64240' },
        });
    });

    test('log flags ether: MACSRC, MACDST and a VLAN tag (the kernel patch that added VPROTO/VID)', () => {
        const [tcp] = linesOf('nflog-macdecode-vlan-tcp-arp-netdev-patch.txt');
        expect(parseNfLogMessage(messageOf(tcp, 'test: '), 'test: ')).toMatchObject({
            inIface: 'veth0', macSource: '86:6c:92:ea:d6:73', macDest: '0e:3b:eb:86:73:76',
            src: '192.168.10.2', dst: '172.217.168.163', sport: 55848, dport: 80, tcpFlags: ['ACK', 'FIN'],
            extra: { VPROTO: '8100', VID: '10', MACPROTO: '0800' },
        });
    });

    test('an ARP line under a prefix is refused: it has no IP header and names MACSRC twice (our table is inet and never logs ARP)', () => {
        const [, arp] = linesOf('nflog-macdecode-vlan-tcp-arp-netdev-patch.txt');
        const error = parseErrorOf(() => parseNfLogMessage(messageOf(arp, 'test: '), 'test: '));
        expect(error.message).toBe('a "test:" kernel line that cannot be read: MACSRC= appears twice');
        const once = arp.replace(/ MACSRC=86:6c:92:ea:d6:73 IPSRC/, ' IPSRC').replace(/ MACDST=0e:3b:eb:86:73:76 IPDST/, ' IPDST');
        expect(parseErrorOf(() => parseNfLogMessage(messageOf(once, 'test: '), 'test: ')).message).toMatch(/no PROTO=$/);
    });

    test('IPv6 GRE (PROTO=47) on input (netfilter-devel): another protocol, by number', () => {
        const [line] = linesOf('nflog-ipv6-proto47-in-mac-netfilter-devel.txt');
        expect(parseNfLogMessage(messageOf(line, '[FW6-IN-2-D] '), '[FW6-IN-2-D] ')).toEqual({
            prefix: '[FW6-IN-2-D] ',
            inIface: 'eth0',
            outIface: '',
            mac: '0c:d8:6a:66:03:00:0c:d8:6a:b7:90:00:86:dd',
            family: 'ipv6',
            src: '2001:db8:1000::2',
            dst: '2001:db8:1000::1',
            length: 136,
            hopLimit: 64,
            ipFlags: [],
            protocol: 'other',
            protocolName: '47',
            protocolNumber: 47,
            tcpFlags: [],
            partial: false,
            extra: { TC: '0', FLOWLBL: '825134' },
            extraWords: [],
        } satisfies NfLogPacket);
    });

    test('a prefix without a trailing space runs into IN= (firehol#462); addresses the reporter masked are a ParseError naming the line', () => {
        const [accept, drop] = linesOf('nflog-ipv4-tcp-ack-uid-masked-firehol-462.txt');
        const message = messageOf(accept, 'ACCEPT user output:');
        expect(message.startsWith('ACCEPT user output:IN= OUT=eth0 ')).toBe(true);
        const error = parseErrorOf(() => parseNfLogMessage(message, 'ACCEPT user output:'));
        expect(error.tool).toBe('journalctl');
        expect(error.message).toBe('a "ACCEPT user output:" kernel line that cannot be read: SRC=x.x.x.x is not an IP address');
        expect(error.snippet).toBe(message.trim());
        // with the masked addresses put back as addresses, the rest of the line is an owned ACK
        const unmasked = message.replace('SRC=x.x.x.x', 'SRC=192.0.2.10').replace('DST=y.y.y.y', 'DST=198.51.100.20');
        expect(parseNfLogMessage(unmasked, 'ACCEPT user output:')).toMatchObject({
            outIface: 'eth0', src: '192.0.2.10', dst: '198.51.100.20', sport: 52932, dport: 9543,
            tcpFlags: ['ACK'], uid: 400013, gid: 400013,
        });
        // the kernel's own RST has no owner
        const rst = parseNfLogMessage(messageOf(drop, 'DROP UNMATCHED OUT-wan:').replace('SRC=x.x.x.x', 'SRC=192.0.2.10').replace('DST=y.y.y.y', 'DST=198.51.100.20'), 'DROP UNMATCHED OUT-wan:')!;
        expect(rst.tcpFlags).toEqual(['RST']);
        expect(rst.uid).toBeUndefined();
    });
});

describe('the prefix decides whose line it is', () => {
    test('our prefix: the recorded SYN as our rule writes it', () => {
        expect(parseNfLogMessage(OUR_SYN, OURS)).toMatchObject({ prefix: OURS, dst: '127.0.0.1', dport: 8332, uid: 1000 });
    });

    test.each([
        ['another tool\'s prefix', messageOf(SYN_LINE, SYN_PREFIX)],
        ['the refusal prefix', reprefixed(SYN_LINE, SYN_PREFIX, DENY)],
        ['a space before it', ` ${OUR_SYN}`],
        ['the prefix later in the line', `kernel: ${OUR_SYN}`],
        ['another kernel message', 'pcpu-alloc: [0] 0 1 '],
        ['a prefix without its space', OUR_SYN.replace(OURS, 'aiws-egress:')],
    ])('%s: not ours (null)', (_name, message) => {
        expect(parseNfLogMessage(message, OURS)).toBeNull();
    });

    test('an empty prefix matches nothing', () => {
        expect(parseNfLogMessage(OUR_SYN, '')).toBeNull();
    });

    test('the refusal prefix is read with its own prefix', () => {
        expect(parseNfLogMessage(reprefixed(SYN_LINE, SYN_PREFIX, DENY), DENY)).toMatchObject({ prefix: DENY, dport: 8332 });
    });
});

describe('robust to field order and unknown fields', () => {
    const base = parseNfLogMessage(OUR_SYN, OURS)!;

    test('unknown KEY=value and unknown words are kept; known fields read the same', () => {
        const message = OUR_SYN.replace(' LEN=52 ', ' LEN=52 NEWFIELD=7 ').replace(' SYN ', ' SYN WEIRD ') + ' MARK=0x2a CGROUP=4242 ';
        const packet = parseNfLogMessage(message, OURS)!;
        expect(packet.extra).toMatchObject({ NEWFIELD: '7', CGROUP: '4242' });
        expect(packet.extraWords).toEqual(['WEIRD']);
        expect(packet.mark).toBe(42);
        expect({ ...packet, extra: {}, extraWords: [], mark: undefined }).toEqual({ ...base, extra: {}, extraWords: [], mark: undefined });
    });

    test('fields in another order read the same', () => {
        const body = OUR_SYN.slice(OURS.length).trim().split(' ');
        // network fields reversed among themselves, UID/GID moved before PROTO
        const protoAt = body.findIndex(w => w.startsWith('PROTO='));
        const net = body.slice(0, protoAt).reverse();
        const rest = body.slice(protoAt).filter(w => !w.startsWith('UID=') && !w.startsWith('GID='));
        const message = OURS + ['GID=1000', 'UID=1000', ...net, ...rest].join(' ');
        const packet = parseNfLogMessage(message, OURS)!;
        expect({ ...packet, extra: {} }).toEqual({ ...base, extra: {} });
        expect(packet.extra).toEqual(base.extra);
    });

    test('TCP sequence and options (log flags tcp sequence,options): SEQ, the ACK number and OPT (...)', () => {
        const message = OUR_SYN.replace(' WINDOW=', ' SEQ=1655794081 ACK=0 WINDOW=') + ' OPT (020405B40402080A031715B70000000001030307) ';
        const packet = parseNfLogMessage(message, OURS)!;
        expect(packet.tcpFlags).toEqual(['SYN']);
        expect(packet.extra).toMatchObject({ SEQ: '1655794081', ACK: '0', OPT: '020405B40402080A031715B70000000001030307' });
        expect(packet.uid).toBe(1000);
    });

    test('an ICMP error carries the packet it is about in [...]; what follows is read on', () => {
        const message = `${OURS}IN= OUT=eth0 SRC=192.0.2.1 DST=198.51.100.7 LEN=68 TOS=0x00 PREC=0xC0 TTL=64 ID=1 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.7 DST=192.0.2.1 LEN=40 TOS=0x00 PREC=0x00 TTL=63 ID=2 PROTO=UDP SPT=53 DPT=40000 LEN=20 ] MARK=0x1 `;
        const packet = parseNfLogMessage(message, OURS)!;
        expect(packet).toMatchObject({ protocol: 'icmp', icmpType: 3, icmpCode: 3, mark: 1 });
        expect(packet.embedded).toBe('SRC=198.51.100.7 DST=192.0.2.1 LEN=40 TOS=0x00 PREC=0x00 TTL=63 ID=2 PROTO=UDP SPT=53 DPT=40000 LEN=20');
        expect(packet.sport).toBeUndefined();
    });

    test('a non-first fragment has no ports: partial, not an error', () => {
        const message = `${OURS}IN= OUT=eth0 SRC=192.0.2.1 DST=198.51.100.7 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=9 FRAG:185 PROTO=UDP `;
        expect(parseNfLogMessage(message, OURS)).toMatchObject({ partial: true, protocol: 'udp', extraWords: ['FRAG:185'] });
    });
});

describe('our prefix with broken fields: a ParseError naming the line', () => {
    test.each([
        ['no DST', OUR_SYN.replace(' DST=127.0.0.1', ''), 'no DST='],
        ['no OUT', OUR_SYN.replace(' OUT=lo', ''), 'no OUT='],
        ['no PROTO', OUR_SYN.replace('PROTO=TCP ', ''), 'no PROTO='],
        ['an address out of range', OUR_SYN.replace('DST=127.0.0.1', 'DST=127.0.0.256'), 'DST=127.0.0.256 is not an IP address'],
        ['an address with a zone', OUR_SYN.replace('SRC=127.0.0.1 DST=127.0.0.1', 'SRC=fe80::1%eth0 DST=fe80::2'), 'SRC=fe80::1%eth0 is not an IP address'],
        ['families mixed', OUR_SYN.replace('DST=127.0.0.1', 'DST=::1'), 'SRC=127.0.0.1 and DST=::1 are not of one family'],
        ['a port out of range', OUR_SYN.replace('DPT=8332', 'DPT=65536'), 'DPT=65536 is out of range'],
        ['a length that is not a number', OUR_SYN.replace('LEN=52', 'LEN=5x'), 'LEN=5x is not a number'],
        ['no ports on TCP', OUR_SYN.replace(' SPT=40892 DPT=8332', ''), 'PROTO=TCP without SPT= and DPT='],
        ['a UID without GID', OUR_SYN.replace(' GID=1000', ''), 'UID= without GID= or GID= without UID='],
        ['a protocol name the kernel does not write', OUR_SYN.replace('PROTO=TCP', 'PROTO=TC'), 'PROTO=TC is not a protocol'],
        ['SRC twice', OUR_SYN.replace('DST=', 'SRC=10.0.0.1 DST='), 'SRC= appears twice'],
        ['a [ that never closes', `${OUR_SYN} [SRC=1.2.3.4`, 'a "[" without its "]"'],
        ['OPT ( that never closes', `${OUR_SYN} OPT (0204`, '"OPT (" without its ")"'],
        ['an odd field', OUR_SYN.replace('TOS=0x00', 'T.OS=0x00'), '"T.OS=0x00" is not a KEY=value field'],
        ['a key in lower case', OUR_SYN.replace('TOS=0x00', 'tos=0x00'), '"tos=0x00" is not a KEY=value field'],
        ['a key that would name the prototype', `${OUR_SYN} __proto__=x`, '"__proto__=x" is not a KEY=value field'],
        ['a mark that is not hex', `${OUR_SYN} MARK=42`, 'MARK=42 is not a hexadecimal number'],
        ['ICMPv6 on IPv4', OUR_SYN.replace('PROTO=TCP', 'PROTO=ICMPv6'), 'PROTO=ICMPv6 on an ipv4 packet'],
        ['TTL on IPv6', OUR_SYN.replace('SRC=127.0.0.1 DST=127.0.0.1', 'SRC=0000:0000:0000:0000:0000:0000:0000:0001 DST=0000:0000:0000:0000:0000:0000:0000:0001'), 'TTL= on an IPv6 packet'],
        ['text that is no nf_log line', `${OURS}hello world`, 'no IN='],
    ])('%s', (_name, message, why) => {
        const error = parseErrorOf(() => parseNfLogMessage(message, OURS));
        expect(error.tool).toBe('journalctl');
        expect(error.message).toBe(`a "aiws-egress:" kernel line that cannot be read: ${why}`);
        expect(error.snippet).toBe(snippetOf(message));
        expect(error.snippet.startsWith('aiws-egress: ')).toBe(true);
    });

    test('the recorded line cut short anywhere throws nothing but a ParseError', () => {
        const whole = parseNfLogMessage(OUR_SYN, OURS)!;
        let parsed = 0;
        for (let end = OURS.length; end < OUR_SYN.length; end++) {
            const cut = OUR_SYN.slice(0, end);
            let packet: NfLogPacket | null;
            try {
                packet = parseNfLogMessage(cut, OURS);
            } catch (error) {
                expect(error).toMatchObject({ name: 'ParseError', tool: 'journalctl' });
                continue;
            }
            // what does parse is the line less its tail (a number in it may be cut short)
            parsed++;
            expect(packet!.src).toBe(whole.src);
            expect('8332'.startsWith(String(packet!.dport))).toBe(true);
            expect(packet!.protocol).toBe('tcp');
        }
        expect(parsed).toBeGreaterThan(0);
    });
});

/** A recorded kernel entry of systemd 252 with another MESSAGE (and cursor, time, stamps). */
function kernelEntry(message: string | number[], i: number, fields: Record<string, string> = {}): string {
    const entry = JSON.parse(linesOf('journalctl-k-o-json-n6-252.json')[0]) as Record<string, unknown>;
    entry.MESSAGE = message;
    entry.__CURSOR = `s=a6ab6dae6d2b4ddf97ccfca72fa9e216;i=${(0x900 + i).toString(16)};b=708fe4a815704f06aff5e4d6ccc07096`;
    entry.__REALTIME_TIMESTAMP = String(1796225677482755 + i * 1000);
    entry.__MONOTONIC_TIMESTAMP = String(6571922712 + i * 1000);
    entry._SOURCE_MONOTONIC_TIMESTAMP = String(6571922712 + i * 1000 - 250);
    Object.assign(entry, fields);
    return JSON.stringify(entry);
}

describe('parseAuditJournal: a whole time range', () => {
    const icmp = linesOf('nflog-ipv4-icmp-out-journalctl-aos-cd-jobs.txt')[0];
    const v6 = linesOf('nflog-ipv6-icmpv6-out-nft-skuid-foomuuri-107.txt')[0];
    const recordedKernel = linesOf('journalctl-k-o-json-n6-252.json');
    const recordedBytes = linesOf('journalctl-t-o-json-bytes-message-252.json')[0];
    const lines = [
        recordedKernel[0], //                                         1: another kernel message
        kernelEntry(OUR_SYN, 1), //                                   2: ours
        kernelEntry(reprefixed(icmp, 'New Connection: '), 2), //      3: ours
        '{"__CURSOR":"s=broken", "MESSAGE": "aiws-egress: IN=', //    4: malformed JSON
        kernelEntry(reprefixed(v6, 'OUTPUT REJECT ', DENY), 3), //    5: ours, refused
        kernelEntry(reprefixed(SYN_LINE, SYN_PREFIX).replace('DPT=8332', 'DPT=99999'), 4), // 6: ours, broken field
        kernelEntry(OUR_SYN, 5, { _TRANSPORT: 'stdout' }), //         7: our prefix, not from the kernel
        kernelEntry(OUR_SYN, 6, { SYSLOG_FACILITY: '1' }), //         8: written to /dev/kmsg from user space
        recordedBytes, //                                             9: not ours, bytes
        kernelEntry(messageOf(v6, 'OUTPUT REJECT '), 7), //          10: another tool's nf_log line
        '', //                                                        11: (blank)
        recordedKernel[1], //                                        12: another kernel message
    ];
    const text = lines.join('\n') + '\n' + kernelEntry(OUR_SYN, 8).slice(0, 120); // 13: cut short, no newline

    const journal = parseAuditJournal(text);

    test('our events, in order, with their journal position and time', () => {
        expect(journal.events.map(e => [e.prefix, e.protocol, e.dst])).toEqual([
            [OURS, 'tcp', '127.0.0.1'],
            [OURS, 'icmp', '104.102.192.20'],
            [DENY, 'icmpv6', 'ff02::2'],
        ]);
        expect(journal.events[0]).toMatchObject({
            uid: 1000, gid: 1000, dport: 8332,
            realtimeUs: 1796225677483755,
            // received 250 µs after the kernel wrote it
            timeUs: 1796225677483505,
            bootId: '708fe4a815704f06aff5e4d6ccc07096',
            cursor: 's=a6ab6dae6d2b4ddf97ccfca72fa9e216;i=901;b=708fe4a815704f06aff5e4d6ccc07096',
        });
    });

    test('lines that cannot be read are counted with their line numbers; the rest is read', () => {
        expect(journal.problemCount).toBe(3);
        expect(journal.problems.map(p => p.line)).toEqual([4, 6, 13]);
        expect(journal.problems.map(p => p.error.message)).toEqual([
            expect.stringMatching(/^journalctl printed a line that is not a JSON journal entry/),
            'a "aiws-egress:" kernel line that cannot be read: DPT=99999 is out of range',
            expect.stringMatching(/^journalctl printed a line that is not a JSON journal entry/),
        ]);
        expect(journal.problems.every(p => p.error.tool === 'journalctl')).toBe(true);
    });

    test('other messages are ignored; our prefix from anywhere but the kernel is untrusted', () => {
        expect(journal.ignored).toBe(4);
        expect(journal.untrusted).toBe(2);
        expect(journal.truncated).toBe(false);
        expect(journal.lastCursor).toBe(JSON.parse(recordedKernel[1]).__CURSOR);
    });

    test('only the prefixes asked for are ours', () => {
        const allowedOnly = parseAuditJournal(text, { prefixes: [OURS] });
        expect(allowedOnly.events.map(e => e.prefix)).toEqual([OURS, OURS]);
        expect(allowedOnly.ignored).toBe(5);
        expect(AUDIT_LOG_PREFIXES).toEqual([OURS, DENY]);
    });

    test('it stops at the limit and says where to read on', () => {
        const capped = parseAuditJournal(text, { limit: 2 });
        expect(capped.events).toHaveLength(2);
        expect(capped.truncated).toBe(true);
        expect(capped.lastCursor).toBe('s=a6ab6dae6d2b4ddf97ccfca72fa9e216;i=902;b=708fe4a815704f06aff5e4d6ccc07096');
        expect(capped.problemCount).toBe(0);
    });

    test('a journal of nothing but garbage keeps 100 problems and counts them all', () => {
        const garbage = Array.from({ length: 250 }, (_, i) => `garbage ${i}`).join('\n');
        const result = parseAuditJournal(garbage);
        expect(result.problemCount).toBe(250);
        expect(result.problems).toHaveLength(100);
        expect(result.problems[99].line).toBe(100);
        expect(result.events).toEqual([]);
    });

    test('CRLF line ends read the same', () => {
        expect(parseAuditJournal(lines.slice(0, 3).join('\r\n')).events).toHaveLength(2);
    });

    test('a kernel stamp after the receive time (clock oddities) leaves the receive time', () => {
        const odd = kernelEntry(OUR_SYN, 1, { _SOURCE_MONOTONIC_TIMESTAMP: '9999999999999' });
        const [event] = parseAuditJournal(odd).events;
        expect(event.timeUs).toBe(event.realtimeUs);
    });

    test('a byte-array MESSAGE with our prefix is read like text', () => {
        const bytes = Array.from(Buffer.from(OUR_SYN.replace('OUT=lo', 'OUT=\xff'), 'latin1'));
        const journal = parseAuditJournal(kernelEntry(bytes, 1));
        expect(journal.events).toHaveLength(1);
        expect(journal.events[0].outIface).toBe('\ufffd');
    });
});
