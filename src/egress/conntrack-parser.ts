// conntrack-tools' text output → typed flows: `conntrack -E` (one event a line) and
// `conntrack -L` (one entry a line), with or without `-o extended,timestamp,ktimestamp,id`.
// Shapes as conntrack v1.4.7 prints them (test/fixtures/conntrack, recorded in network
// namespaces): a right-aligned event tag ("    [NEW]", " [UPDATE]", "[DESTROY]"), `-o timestamp`
// puts "[seconds.micro]\t" first, DESTROY lines of expired flows lack timeout and state, ICMP
// tuples carry their own id= before the flow's id=, and at exit conntrack writes
// "conntrack v1.4.7 (conntrack-tools): 45 flow events have been shown." on stderr.
import { ParseError } from '../../pkg/lib/parse-error';

const TOOL = 'conntrack';

export type ConntrackEventType = 'NEW' | 'UPDATE' | 'DESTROY';
export type ConntrackProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';

export interface ConntrackTuple {
    src: string;
    dst: string;
    /** tcp, udp, udplite, sctp, dccp. */
    sport?: number;
    dport?: number;
    /** icmp and icmpv6: the message type and code, and the echo identifier. */
    icmp?: { type: number; code: number; id: number };
    /** With nf_conntrack_acct=1 (in -L, and in DESTROY events). */
    packets?: number;
    bytes?: number;
    /** A zone for this direction only (zone-orig= / zone-reply=). */
    zone?: number;
}

export interface ConntrackFlow {
    /** null for a line of `conntrack -L`. */
    event: ConntrackEventType | null;
    /** Seconds since the epoch when conntrack read the event (`-o timestamp`). */
    timestamp?: number;
    /** With `-o extended`. */
    l3?: 'ipv4' | 'ipv6';
    protocol: ConntrackProtocol;
    /** As conntrack names it: tcp, udp, icmp, icmpv6, sctp, gre, udplite, dccp, unknown. */
    protocolName: string;
    protocolNumber: number;
    /** Seconds until the entry expires; DESTROY events of expired entries have none. */
    timeout?: number;
    /** TCP (or SCTP, DCCP) state: SYN_SENT, ESTABLISHED, TIME_WAIT, CLOSE, ... */
    state?: string;
    original: ConntrackTuple;
    reply: ConntrackTuple;
    /** The bracketed status words: UNREPLIED, ASSURED, OFFLOAD, HW_OFFLOAD, ... */
    flags: string[];
    /** ct mark: in -L always, in events only when it is not 0. */
    mark?: number;
    secmark?: number;
    secctx?: string;
    zone?: number;
    /** Seconds since the flow started (nf_conntrack_timestamp=1). */
    deltaTime?: number;
    /** `-o ktimestamp`: start and stop as conntrack prints them (ctime, the host's time zone). */
    start?: string;
    stop?: string;
    helper?: string;
    use?: number;
    /** The kernel's id of the entry (`-o id`), the same in every event of one flow. */
    id?: number;
    labels?: string[];
}

const EVENT_TAGS: Record<string, ConntrackEventType> = { '[NEW]': 'NEW', '[UPDATE]': 'UPDATE', '[DESTROY]': 'DESTROY' };
const PROTOCOLS: Record<string, ConntrackProtocol> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'icmpv6' };
const TUPLE_NUMBERS = new Set(['sport', 'dport', 'type', 'code', 'packets', 'bytes']);
const SUMMARY = /^conntrack v[\w.-]+ \(conntrack-tools\): (\d+) (flow events|flow entries|expectation events|expectations) have been shown\.$/;

// "[1796223137.709942]": 1.4.7 pads the microseconds with zeros (%-.6ld); older versions
// left-justified them in 6 columns (%-6ld), so "[1234567890.5     ]" means 5 µs
const TIMESTAMP = /^\[(\d+)\.(\d+) *\]$/;

/**
 * One line of conntrack's output; null for a blank line or conntrack's closing summary
 * ("… N flow events have been shown."), which is on stderr but may share a stream with stdout.
 */
export function parseConntrackLine(line: string): ConntrackFlow | null {
    const text = line.replace(/\r$/, '');
    if (text.trim() === '' || SUMMARY.test(text.trim()))
        return null;
    return new LineReader(text).flow();
}

/** Every flow of a whole output (conntrack -L, or a finished -E recording). */
export function parseConntrackOutput(text: string): ConntrackFlow[] {
    const flows: ConntrackFlow[] = [];
    for (const line of text.split('\n')) {
        const flow = parseConntrackLine(line);
        if (flow)
            flows.push(flow);
    }
    return flows;
}

export interface ConntrackSummary {
    count: number;
    what: 'flow events' | 'flow entries' | 'expectation events' | 'expectations';
}

/** conntrack's closing line ("conntrack v1.4.7 (conntrack-tools): 9 flow entries have been shown."), or null. */
export function parseConntrackSummary(line: string): ConntrackSummary | null {
    const m = SUMMARY.exec(line.trim());
    return m ? { count: Number(m[1]), what: m[2] as ConntrackSummary['what'] } : null;
}

export interface ConntrackStderr {
    summary: ConntrackSummary | null;
    /** What conntrack complained about, without its "conntrack vX (conntrack-tools): " prefix. */
    messages: string[];
    /** It lacked CAP_NET_ADMIN (-L says so in words, -E only that the bind was not permitted). */
    permissionDenied: boolean;
}

const PREFIX = /^conntrack v[\w.-]+ \(conntrack-tools\): /;

/** What conntrack wrote on stderr: its summary, or why it failed. */
export function parseConntrackStderr(text: string): ConntrackStderr {
    const result: ConntrackStderr = { summary: null, messages: [], permissionDenied: false };
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (line === '')
            continue;
        const summary = parseConntrackSummary(line);
        if (summary) {
            result.summary = summary;
            continue;
        }
        result.messages.push(line.replace(PREFIX, ''));
        if (/CAP_NET_ADMIN|Operation not permitted|Permission denied/.test(line))
            result.permissionDenied = true;
    }
    return result;
}


type Phase = 'head' | 'original' | 'reply' | 'tail';

class LineReader {
    private readonly tokens: string[];
    private pos = 0;

    constructor(private readonly line: string) {
        // a bracketed word may hold spaces: "[start=Wed Dec  2 14:56:49 2026]"
        // (an unclosed "[" stays a token of its own, to be refused)
        this.tokens = line.match(/\[[^\]]*\]|\[\S*|[^\s[]+/g) ?? [];
    }

    fail(message: string): never {
        throw new ParseError(TOOL, message, this.line);
    }

    private peek(offset = 0): string | undefined {
        return this.tokens[this.pos + offset];
    }

    flow(): ConntrackFlow {
        let timestamp: number | undefined;
        const stamp = TIMESTAMP.exec(this.peek() ?? '');
        if (stamp) {
            timestamp = Number(stamp[1]) + Number(stamp[2]) / 1e6;
            this.pos++;
        }
        let event: ConntrackEventType | null = null;
        const tag = this.peek();
        if (tag !== undefined && tag.startsWith('[') && !tag.includes('=')) {
            event = EVENT_TAGS[tag] ?? this.fail(`an unknown event ${tag}`);
            this.pos++;
        }
        let l3: 'ipv4' | 'ipv6' | undefined;
        // -o extended: "ipv4     2 tcp      6 …", a name and number before the protocol's
        if (isWord(this.peek()) && isNumber(this.peek(1)) && isWord(this.peek(2)) && isNumber(this.peek(3))) {
            const name = this.tokens[this.pos];
            if (name !== 'ipv4' && name !== 'ipv6')
                this.fail(`an unknown layer 3 protocol ${name}`);
            l3 = name;
            this.pos += 2;
        }
        const protocolName = this.peek();
        const protocolNumber = this.peek(1);
        if (!isWord(protocolName) || !isNumber(protocolNumber))
            this.fail('a line without a protocol');
        const number = Number(protocolNumber);
        if (number > 255)
            this.fail(`protocol number ${protocolNumber} is out of range`);
        this.pos += 2;

        const flow: ConntrackFlow = {
            event, protocol: PROTOCOLS[protocolName] ?? 'other', protocolName, protocolNumber: number,
            original: { src: '', dst: '' }, reply: { src: '', dst: '' }, flags: [],
        };
        if (timestamp !== undefined)
            flow.timestamp = timestamp;
        if (l3)
            flow.l3 = l3;
        if (isNumber(this.peek()))
            flow.timeout = Number(this.tokens[this.pos++]);
        if (/^[A-Z][A-Z_]*$/.test(this.peek() ?? ''))
            flow.state = this.tokens[this.pos++];
        this.fields(flow);
        this.check(flow, flow.original, 'original');
        this.check(flow, flow.reply, 'reply');
        return flow;
    }

    private fields(flow: ConntrackFlow): void {
        let phase: Phase = 'head';
        let tuple: ConntrackTuple | null = null;
        for (; this.pos < this.tokens.length; this.pos++) {
            const token = this.tokens[this.pos];
            if (token.startsWith('[')) {
                this.bracket(flow, token);
                if (phase === 'reply')
                    phase = 'tail';
                continue;
            }
            const eq = token.indexOf('=');
            if (eq <= 0)
                this.fail(`unexpected "${token}"`);
            const key = token.slice(0, eq);
            const value = token.slice(eq + 1);
            if (key === 'src') {
                if (phase === 'head') {
                    phase = 'original';
                    tuple = flow.original;
                } else if (phase === 'original') {
                    phase = 'reply';
                    tuple = flow.reply;
                } else {
                    this.fail('a third tuple');
                }
                tuple.src = this.address(value);
                continue;
            }
            if (tuple && (phase === 'original' || phase === 'reply') && this.tupleField(flow, tuple, key, value))
                continue;
            if (phase === 'head')
                this.fail(`"${token}" before the original tuple`);
            if (phase === 'original')
                this.fail(`"${token}" between the tuples`);
            if (key === 'dst' || TUPLE_NUMBERS.has(key))
                this.fail(`"${token}" after the reply tuple`);
            phase = 'tail';
            this.tailField(flow, key, value);
        }
    }

    private bracket(flow: ConntrackFlow, token: string): void {
        if (!token.endsWith(']'))
            this.fail(`an unclosed ${token}`);
        const inner = token.slice(1, -1);
        const m = /^(start|stop)=(.+)$/.exec(inner);
        if (m)
            flow[m[1] as 'start' | 'stop'] = m[2];
        else if (/^[A-Z][A-Z_]*$/.test(inner))
            flow.flags.push(inner);
        else
            this.fail(`unexpected ${token}`);
    }

    /** false: not a key of a tuple, so the tuple is over. */
    private tupleField(flow: ConntrackFlow, tuple: ConntrackTuple, key: string, value: string): boolean {
        if (key === 'dst') {
            tuple.dst = this.address(value);
            return true;
        }
        if (key === 'zone-orig' || key === 'zone-reply') {
            tuple.zone = this.integer(key, value);
            return true;
        }
        if (key === 'srckey' || key === 'dstkey')      // GRE keys: nothing to keep
            return true;
        const icmp = flow.protocol === 'icmp' || flow.protocol === 'icmpv6';
        if (key === 'id') {
            // "type=8 code=0 id=27098": the ICMP id comes right after code=; a later id= is the flow's
            if (!icmp || tuple.icmp === undefined || tuple.icmp.id >= 0)
                return false;
            tuple.icmp.id = this.integer(key, value);
            return true;
        }
        if (!TUPLE_NUMBERS.has(key))
            return false;
        const n = this.integer(key, value);
        if (key === 'sport' || key === 'dport') {
            if (n > 65535)
                this.fail(`${key} ${value} is out of range`);
            tuple[key] = n;
        } else if (key === 'type' || key === 'code') {
            if (!icmp)
                this.fail(`${key}= in a ${flow.protocolName} tuple`);
            tuple.icmp = tuple.icmp ?? { type: -1, code: -1, id: -1 };
            tuple.icmp[key] = n;
        } else {
            tuple[key as 'packets' | 'bytes'] = n;
        }
        return true;
    }

    private tailField(flow: ConntrackFlow, key: string, value: string): void {
        switch (key) {
        case 'mark': case 'secmark': case 'zone': case 'use': case 'id':
            flow[key] = this.integer(key, value);
            break;
        case 'delta-time':
            flow.deltaTime = this.integer(key, value);
            break;
        case 'secctx': case 'helper':
            flow[key] = value;
            break;
        case 'labels':
            flow.labels = value.split(',').filter(label => label !== '');
            break;
        default:
            // a field this parser does not know: newer conntrack versions add some; keep going
            break;
        }
    }

    private check(flow: ConntrackFlow, tuple: ConntrackTuple, which: string): void {
        if (tuple.src === '' || tuple.dst === '')
            this.fail(`no ${which} tuple`);
        if ((flow.protocol === 'tcp' || flow.protocol === 'udp') && (tuple.sport === undefined || tuple.dport === undefined))
            this.fail(`a ${flow.protocol} ${which} tuple without ports`);
        const icmp = flow.protocol === 'icmp' || flow.protocol === 'icmpv6';
        if (icmp && (!tuple.icmp || tuple.icmp.type < 0 || tuple.icmp.code < 0 || tuple.icmp.id < 0))
            this.fail(`an ${flow.protocolName} ${which} tuple without type, code and id`);
    }

    private integer(key: string, value: string): number {
        if (!/^\d{1,20}$/.test(value))
            this.fail(`${key}=${value} is not a number`);
        return Number(value);
    }

    private address(value: string): string {
        if (!isIPv4(value) && !isIPv6(value))
            this.fail(`"${value}" is not an address`);
        return value;
    }
}

function isWord(token: string | undefined): token is string {
    return token !== undefined && /^[a-z][a-z0-9-]*$/.test(token);
}

function isNumber(token: string | undefined): token is string {
    return token !== undefined && /^\d{1,20}$/.test(token);
}

function isIPv4(value: string): boolean {
    const parts = value.split('.');
    return parts.length === 4 && parts.every(p => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(value: string): boolean {
    // what inet_ntop prints: hex groups with one "::" at most, maybe an IPv4 tail (::ffff:1.2.3.4)
    if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':'))
        return false;
    const doubles = value.split('::').length - 1;
    if (doubles > 1)
        return false;
    let groups = value.split(':').filter(g => g !== '');
    const last = groups[groups.length - 1];
    let count = groups.length;
    if (last !== undefined && last.includes('.')) {
        if (!isIPv4(last))
            return false;
        groups = groups.slice(0, -1);
        count++;
    }
    if (!groups.every(g => /^[0-9a-fA-F]{1,4}$/.test(g)))
        return false;
    return doubles === 1 ? count <= 7 : count === 8;
}
