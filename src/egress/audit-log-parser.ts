// The durable egress audit log as the journal gives it back: `journalctl -o json` (one JSON
// object a line) of the kernel lines that nftables' `log prefix "aiws-egress: " flags skuid`
// writes through the kernel's nf_log_syslog. Pure.
//
// Why `-o json` and not `-o export` or `-o short-iso`: JSON is one self-delimiting object a
// line with every field (cursor, boot id, the receive and the kernel's own timestamps, the
// transport and facility that tell a kernel line from a forged one), a message that is not UTF-8
// comes as an array of bytes instead of raw bytes in a text channel (export writes such a field
// in binary, which a UTF-8 stream from cockpit.spawn would mangle), and it is what Cockpit's own
// journal code reads. short-iso has no cursor, no boot id and no transport.
//
// The shapes (test/fixtures/journal, provenance in SOURCES.md), recorded with systemd 252:
//  - keys come in any order, every value is a string: "__REALTIME_TIMESTAMP":"1796225677482755";
//  - MESSAGE that is not valid UTF-8 is an array of byte values: "MESSAGE":[97,105,...,255,254];
//  - a kernel MESSAGE keeps its trailing space ("pcpu-alloc: [0] 0 1 "), and nf_log ends every
//    line with one;
//  - journald stamps kernel lines with the time it read them (__REALTIME_TIMESTAMP): lines it
//    read from the ring buffer when it started all carry that moment; the kernel's own stamp is
//    _SOURCE_MONOTONIC_TIMESTAMP, on the clock of __MONOTONIC_TIMESTAMP;
//  - `--grep` that matches nothing prints nothing and exits 1; an empty time range prints
//    nothing and exits 0. Both are "no events", not errors (the adapter's business);
//  - `journalctl -k` implies `-b` (this boot only): for a time range across reboots the adapter
//    matches `_TRANSPORT=kernel` instead;
//  - `--output-fields=MESSAGE,PRIORITY,_TRANSPORT,SYSLOG_FACILITY,_SOURCE_MONOTONIC_TIMESTAMP`
//    keeps what this reads (journalctl always adds __CURSOR, the timestamps and _BOOT_ID) and
//    drops the rest (hostname, machine id, ...).
// So the adapter's call is `journalctl _TRANSPORT=kernel --grep '^aiws-egress' -o json
// --output-fields=... --since ... --until ...` (--grep needs journalctl built with PCRE2).
//
// The kernel's line (net/netfilter/nf_log_syslog.c; recordings of iptables LOG and nftables
// log from public sources in test/fixtures/journal): `<prefix>IN=<if> OUT=<if> ` then, on input,
// `MAC=<hex:...> ` (or `MACSRC= MACDST= [VPROTO= VID=] MACPROTO=` with flags ether), the network
// header (IPv4: `SRC= DST= LEN= TOS= PREC= TTL= ID= [CE] [DF] [MF] [FRAG:n] [OPT (hex)]`; IPv6:
// `SRC= DST= LEN= TC= HOPLIMIT= FLOWLBL=`, addresses written out in full, 2001:0db8:0000:...),
// `PROTO=` and its header (TCP: `SPT= DPT= [SEQ= ACK=] WINDOW= RES= <flags> URGP= [OPT (hex)]`,
// UDP: `SPT= DPT= LEN=`, ICMP/ICMPv6: `TYPE= CODE= [ID= SEQ=]` and, for errors, the offending
// packet's header in `[...]`; other protocols a number), then `UID= GID=` (flags skuid, only for
// a packet whose socket has an owner: the kernel's own ICMPv6 router solicitations have none)
// and `MARK=0x..` when the packet has a mark. Several keys repeat (LEN for IP and UDP, ID for IP
// and ICMP), so what follows PROTO= is read as the transport header.
import { ParseError } from '../../pkg/lib/parse-error';
import { parseIpAddress } from './address-class';
import { LOG_PREFIX_ALLOWED, LOG_PREFIX_DENIED } from './egress-ruleset';
import { formatIpAddress } from './ip-network';

const TOOL = 'journalctl';

/** The prefixes of our table's log rules: connections let through, and refused ones. */
export const AUDIT_LOG_PREFIXES: readonly string[] = [LOG_PREFIX_ALLOWED, LOG_PREFIX_DENIED];

/** The bench loads 100,000 logged events; more than that is read in pages (lastCursor). */
export const AUDIT_EVENT_LIMIT = 100_000;

/** Problems kept with their error; the rest are only counted. */
const PROBLEMS_KEPT = 100;

// ---- the journal's envelope -------------------------------------------------------------

/**
 * One line of `journalctl -o json`. Required: __REALTIME_TIMESTAMP (the time range and the
 * order), __CURSOR (paging with --after-cursor) and _BOOT_ID (journalctl prints these three
 * for every entry), and MESSAGE. The rest is read when it is there and well formed.
 */
export interface JournalRecord {
    /** When journald received the line, microseconds since the epoch. */
    realtimeUs: number;
    cursor: string;
    bootId: string;
    /** UTF-8 decoded; a byte array (not valid UTF-8) with U+FFFD for each bad sequence. */
    message: string;
    /** MESSAGE came as an array of bytes. */
    messageWasBytes: boolean;
    /** 0 (emerg) to 7 (debug). */
    priority: number | null;
    /** kernel, journal, syslog, stdout, driver, audit. */
    transport: string | null;
    /** 0 for the kernel's own lines; lines written to /dev/kmsg from user space are never 0. */
    facility: number | null;
    /** journald's monotonic clock when it received the line, microseconds since boot. */
    monotonicUs: number | null;
    /** The kernel's own stamp of the line, on the same clock (kernel lines only). */
    sourceMonotonicUs: number | null;
}

type JsonObject = Record<string, unknown>;

/** One line of `journalctl -o json`; ParseError for anything else. */
export function parseJournalJsonLine(line: string): JournalRecord {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() === '')
        throw new ParseError(TOOL, 'journalctl printed an empty line where a journal entry was expected', text);
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (ex) {
        const reason = ex instanceof Error ? ex.message : String(ex);
        throw new ParseError(TOOL, `journalctl printed a line that is not a JSON journal entry (${reason})`, text);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ParseError(TOOL, 'journalctl printed a JSON value that is not a journal entry object', text);
    const entry = value as JsonObject;

    const cursor = entry.__CURSOR;
    if (typeof cursor !== 'string' || cursor === '')
        throw new ParseError(TOOL, 'journal entry without __CURSOR', text);
    const realtimeUs = microseconds(entry.__REALTIME_TIMESTAMP);
    if (realtimeUs === null)
        throw new ParseError(TOOL, 'journal entry without a valid __REALTIME_TIMESTAMP', text);
    const bootId = entry._BOOT_ID;
    if (typeof bootId !== 'string' || !isHex(bootId, 32))
        throw new ParseError(TOOL, 'journal entry without a valid _BOOT_ID', text);
    if (!('MESSAGE' in entry))
        throw new ParseError(TOOL, 'journal entry without MESSAGE', text);
    const rawMessage = entry.MESSAGE;
    let message: string;
    let messageWasBytes = false;
    if (typeof rawMessage === 'string') {
        message = rawMessage;
    } else if (rawMessage === null) {
        // journalctl writes null for a field of 4096 bytes or more unless it runs with --all
        throw new ParseError(TOOL, 'journal entry whose MESSAGE journalctl left out as too long (null; --all prints it)', text);
    } else if (isByteArray(rawMessage)) {
        message = decodeUtf8(rawMessage);
        messageWasBytes = true;
    } else {
        throw new ParseError(TOOL, 'journal entry whose MESSAGE is neither text nor bytes (several values?)', text);
    }

    return {
        realtimeUs,
        cursor,
        bootId,
        message,
        messageWasBytes,
        priority: smallNumber(entry.PRIORITY, 7),
        transport: typeof entry._TRANSPORT === 'string' ? entry._TRANSPORT : null,
        facility: smallNumber(entry.SYSLOG_FACILITY, 23),
        monotonicUs: microseconds(entry.__MONOTONIC_TIMESTAMP),
        sourceMonotonicUs: microseconds(entry._SOURCE_MONOTONIC_TIMESTAMP),
    };
}

/** journalctl prints numbers as strings of digits; 16 digits of microseconds reach year 2255. */
function microseconds(value: unknown): number | null {
    if (typeof value !== 'string' || value.length === 0 || value.length > 16 || !isDigits(value))
        return null;
    return Number(value);
}

function smallNumber(value: unknown, max: number): number | null {
    if (typeof value !== 'string' || value.length === 0 || value.length > 3 || !isDigits(value))
        return null;
    const n = Number(value);
    return n <= max ? n : null;
}

function isByteArray(value: unknown): value is number[] {
    return Array.isArray(value) && value.every(b => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255);
}

/** UTF-8 → string, one U+FFFD for each maximal invalid subsequence (as TextDecoder does). */
export function decodeUtf8(bytes: readonly number[]): string {
    let out = '';
    let i = 0;
    const n = bytes.length;
    while (i < n) {
        const b0 = bytes[i];
        if (b0 < 0x80) {
            out += String.fromCharCode(b0);
            i++;
            continue;
        }
        let need = 0;
        let cp = 0;
        let lower = 0x80;
        let upper = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            need = 1; cp = b0 & 0x1f;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            need = 2; cp = b0 & 0x0f;
            if (b0 === 0xe0) lower = 0xa0;
            if (b0 === 0xed) upper = 0x9f;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            need = 3; cp = b0 & 0x07;
            if (b0 === 0xf0) lower = 0x90;
            if (b0 === 0xf4) upper = 0x8f;
        } else {
            out += '\ufffd';
            i++;
            continue;
        }
        let j = i + 1;
        let ok = true;
        for (let k = 0; k < need; k++, j++) {
            const b = j < n ? bytes[j] : -1;
            if (b < lower || b > upper) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (b & 0x3f);
            lower = 0x80;
            upper = 0xbf;
        }
        if (!ok) {
            out += '\ufffd';
            i = j; // the bytes read so far are the maximal subpart; the offending byte starts anew
            continue;
        }
        out += String.fromCodePoint(cp);
        i = j;
    }
    return out;
}

// ---- the kernel's nf_log line ------------------------------------------------------------

export type NfLogFamily = 'ipv4' | 'ipv6';
export type NfLogProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';

export interface NfLogPacket {
    /** The log rule's prefix, exactly as given. */
    prefix: string;
    /** '' where the kernel printed none (IN= on output, OUT= on input). */
    inIface: string;
    outIface: string;
    /** MAC= on input: destination, source and ethertype bytes as the kernel prints them. */
    mac?: string;
    /** MACSRC=/MACDST= (log flags ether). */
    macSource?: string;
    macDest?: string;
    family: NfLogFamily;
    /** Canonical: IPv4 dotted, IPv6 as RFC 5952 writes it (the kernel writes all eight groups). */
    src: string;
    dst: string;
    /** The IP packet's length (LEN= before PROTO=). */
    length: number;
    /** IPv4 only. */
    ttl?: number;
    /** IPv6 only. */
    hopLimit?: number;
    /** DF, MF, CE. */
    ipFlags: string[];
    protocol: NfLogProtocol;
    /** As the kernel wrote it: TCP, UDP, UDPLITE, ICMP, ICMPv6, AH, ESP, or a number. */
    protocolName: string;
    /** The IP protocol number. */
    protocolNumber: number;
    sport?: number;
    dport?: number;
    /** TCP flags in the kernel's order: CWR ECE URG ACK PSH RST SYN FIN. */
    tcpFlags: string[];
    icmpType?: number;
    icmpCode?: number;
    /** The owner of the sending socket (log flags skuid); none for packets without an owner. */
    uid?: number;
    gid?: number;
    mark?: number;
    /** A non-first fragment, or a header cut short (FRAG:, INCOMPLETE, TRUNCATED): no ports. */
    partial: boolean;
    /**
     * Every other KEY=value (TOS, PREC, ID, WINDOW, FLOWLBL, SEQ, OPT, an unknown field, ...). A
     * key of the transport header that the network header already has is written PROTO.KEY
     * (ICMP.ID, UDP.LEN).
     */
    extra: Record<string, string>;
    /** Words that are neither KEY=value nor a known flag. */
    extraWords: string[];
    /** The header of the packet an ICMP error is about, as the kernel printed it in [...]. */
    embedded?: string;
}

const IP_FLAGS: ReadonlySet<string> = new Set(['CE', 'DF', 'MF']);
const TCP_FLAGS: ReadonlySet<string> = new Set(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']);
// the names nf_log_syslog writes; every other protocol is its number
const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
    TCP: 6, UDP: 17, UDPLITE: 136, ICMP: 1, ICMPv6: 58, AH: 51, ESP: 50,
};
const MAX_PORT = 65535;
const MAX_U32 = 4294967295;
/** The network header's keys that become typed fields: a transport key of the same name is an extra PROTO.KEY. */
const NET_TYPED: ReadonlySet<string> = new Set(['IN', 'OUT', 'MAC', 'MACSRC', 'MACDST', 'SRC', 'DST', 'LEN', 'TTL', 'HOPLIMIT', 'PROTO']);

/** Why a line with our prefix cannot be read; parseNfLogMessage turns it into a ParseError naming the line. */
class LineProblem extends Error {}

function bad(why: string): never {
    throw new LineProblem(why);
}

// where a field stands: before PROTO= (link and network header), after it (the transport
// header), or after a [...] group
const NET = 0;
const TRANSPORT = 1;
const AFTER = 2;

/**
 * The fields of one line: one pass over the text, no regular expressions. The fields the packet
 * is read from go to their slots (twice is a broken line); the rest, in order, to the extras.
 */
class Scan {
    in?: string;
    out?: string;
    mac?: string;
    macSource?: string;
    macDest?: string;
    src?: string;
    dst?: string;
    len?: string;
    ttl?: string;
    hopLimit?: string;
    proto?: string;
    sport?: string;
    dport?: string;
    type?: string;
    code?: string;
    uid?: string;
    gid?: string;
    mark?: string;
    embedded?: string;
    partial = false;
    /** key, value, section; "WORD (...)" (OPT) is a key with the parenthesised text as value */
    readonly extras: (string | number)[] = [];
    /** word, section */
    readonly words: (string | number)[] = [];

    constructor(text: string) {
        const n = text.length;
        let section = NET;
        let incomplete = false;
        let i = 0;
        while (i < n) {
            const c = text.charCodeAt(i);
            if (c === 0x20) {
                i++;
                continue;
            }
            if (c === 0x5b) { // [
                let depth = 0;
                let j = i;
                for (; j < n; j++) {
                    const d = text.charCodeAt(j);
                    if (d === 0x5b)
                        depth++;
                    else if (d === 0x5d && --depth === 0)
                        break;
                }
                if (j >= n)
                    bad('a "[" without its "]"');
                // ICMP errors carry the offending packet's header; INCOMPLETE [n bytes] a size
                if (section === TRANSPORT && this.embedded === undefined && !incomplete)
                    this.embedded = text.slice(i + 1, j).trim();
                if (section !== NET)
                    section = AFTER;
                i = j + 1;
                continue;
            }
            if (c === 0x28) // (
                bad('a "(" that follows no field');
            let j = text.indexOf(' ', i);
            if (j < 0)
                j = n;
            const word = text.slice(i, j);
            i = j;
            const eq = word.indexOf('=');
            if (eq < 0) {
                let k = i;
                while (k < n && text.charCodeAt(k) === 0x20)
                    k++;
                if (k < n && text.charCodeAt(k) === 0x28) {
                    const close = text.indexOf(')', k);
                    if (close < 0)
                        bad(`"${word} (" without its ")"`);
                    this.extras.push(word, text.slice(k + 1, close).trim(), section);
                    i = close + 1;
                    continue;
                }
                this.words.push(word, section);
                if (word === 'INCOMPLETE')
                    incomplete = true;
                if (incomplete || word === 'TRUNCATED' || word.startsWith('FRAG:'))
                    this.partial = true;
                continue;
            }
            const key = word.slice(0, eq);
            const value = word.slice(eq + 1);
            if (!this.slot(key, value, section)) {
                if (!isKey(key))
                    bad(`"${word}" is not a KEY=value field`);
                this.extras.push(key, value, section);
            }
            if (key === 'PROTO' && section === NET)
                section = TRANSPORT;
        }
    }

    /** A field the packet is read from goes to its slot; false for the others. */
    private slot(key: string, value: string, section: number): boolean {
        if (section === NET) {
            switch (key) {
            case 'IN': this.in = once(this.in, key, value); return true;
            case 'OUT': this.out = once(this.out, key, value); return true;
            case 'MAC': this.mac = once(this.mac, key, value); return true;
            case 'MACSRC': this.macSource = once(this.macSource, key, value); return true;
            case 'MACDST': this.macDest = once(this.macDest, key, value); return true;
            case 'SRC': this.src = once(this.src, key, value); return true;
            case 'DST': this.dst = once(this.dst, key, value); return true;
            case 'LEN': this.len = once(this.len, key, value); return true;
            case 'TTL': this.ttl = once(this.ttl, key, value); return true;
            case 'HOPLIMIT': this.hopLimit = once(this.hopLimit, key, value); return true;
            case 'PROTO': this.proto = once(this.proto, key, value); return true;
            }
        } else if (section === TRANSPORT) {
            switch (key) {
            case 'SPT': this.sport = once(this.sport, key, value); return true;
            case 'DPT': this.dport = once(this.dport, key, value); return true;
            case 'TYPE': this.type = once(this.type, key, value); return true;
            case 'CODE': this.code = once(this.code, key, value); return true;
            }
        }
        // skuid and the mark follow the transport header: read them wherever they stand
        switch (key) {
        case 'UID': this.uid = once(this.uid, key, value); return true;
        case 'GID': this.gid = once(this.gid, key, value); return true;
        case 'MARK': this.mark = once(this.mark, key, value); return true;
        }
        return false;
    }
}

/** A slot's value; a second one is a broken line. */
function once(had: string | undefined, key: string, value: string): string {
    if (had !== undefined)
        bad(`${key}= appears twice`);
    return value;
}

/**
 * The kernel line of a log rule with this prefix, or null when the message does not start with
 * it (another tool's line, another kernel message). A line that starts with the prefix but is
 * not a whole nf_log line is a ParseError naming it.
 */
export function parseNfLogMessage(message: string, prefix: string): NfLogPacket | null {
    if (prefix === '' || !message.startsWith(prefix))
        return null;
    try {
        return readPacket(message.slice(prefix.length), prefix);
    } catch (ex) {
        if (ex instanceof LineProblem)
            throw new ParseError(TOOL, `a "${prefix.trim()}" kernel line that cannot be read: ${ex.message}`, message);
        throw ex;
    }
}

function readPacket(text: string, prefix: string): NfLogPacket {
    const scan = new Scan(text);
    if (scan.in === undefined)
        bad('no IN=');
    if (scan.out === undefined)
        bad('no OUT=');
    const name = scan.proto;
    if (name === undefined)
        bad('no PROTO=');
    if (scan.src === undefined)
        bad('no SRC=');
    if (scan.dst === undefined)
        bad('no DST=');
    if (scan.len === undefined)
        bad('no LEN=');
    const src = address(scan.src, 'SRC');
    const dst = address(scan.dst, 'DST');
    if (src.family !== dst.family)
        bad(`SRC=${scan.src} and DST=${scan.dst} are not of one family`);
    const family = src.family;
    const length = uint(scan.len, MAX_U32, 'LEN');
    if (family === 'ipv4' && scan.hopLimit !== undefined)
        bad('HOPLIMIT= on an IPv4 packet');
    if (family === 'ipv6' && scan.ttl !== undefined)
        bad('TTL= on an IPv6 packet');

    const protocol: NfLogProtocol = name === 'TCP' ? 'tcp' : name === 'UDP' ? 'udp' : name === 'ICMP' ? 'icmp' : name === 'ICMPv6' ? 'icmpv6' : 'other';
    if ((protocol === 'icmp' && family === 'ipv6') || (protocol === 'icmpv6' && family === 'ipv4'))
        bad(`PROTO=${name} on an ${family} packet`);
    let protocolNumber: number;
    if (Object.hasOwn(PROTOCOL_NUMBERS, name))
        protocolNumber = PROTOCOL_NUMBERS[name];
    else if (name !== '' && isDigits(name)) // a name the kernel does not write is a garbled or cut line ("PROTO=TC")
        protocolNumber = uint(name, 255, 'PROTO');
    else
        bad(`PROTO=${name} is not a protocol`);

    const packet: NfLogPacket = {
        prefix,
        inIface: scan.in,
        outIface: scan.out,
        family,
        src: src.text,
        dst: dst.text,
        length,
        ipFlags: [],
        protocol,
        protocolName: name,
        protocolNumber,
        tcpFlags: [],
        partial: scan.partial,
        extra: {},
        extraWords: [],
    };
    if (scan.ttl !== undefined)
        packet.ttl = uint(scan.ttl, 255, 'TTL');
    if (scan.hopLimit !== undefined)
        packet.hopLimit = uint(scan.hopLimit, 255, 'HOPLIMIT');
    if (scan.mac !== undefined)
        packet.mac = scan.mac;
    if (scan.macSource !== undefined)
        packet.macSource = scan.macSource;
    if (scan.macDest !== undefined)
        packet.macDest = scan.macDest;

    const hasPorts = protocol === 'tcp' || protocol === 'udp' || name === 'UDPLITE';
    if (hasPorts) {
        if ((scan.sport === undefined || scan.dport === undefined) && !scan.partial)
            bad(`PROTO=${name} without SPT= and DPT=`);
        if (scan.sport !== undefined)
            packet.sport = uint(scan.sport, MAX_PORT, 'SPT');
        if (scan.dport !== undefined)
            packet.dport = uint(scan.dport, MAX_PORT, 'DPT');
    }
    const isIcmp = protocol === 'icmp' || protocol === 'icmpv6';
    if (isIcmp) {
        if ((scan.type === undefined || scan.code === undefined) && !scan.partial)
            bad(`PROTO=${name} without TYPE= and CODE=`);
        if (scan.type !== undefined)
            packet.icmpType = uint(scan.type, 255, 'TYPE');
        if (scan.code !== undefined)
            packet.icmpCode = uint(scan.code, 255, 'CODE');
    }
    if (scan.embedded !== undefined)
        packet.embedded = scan.embedded;
    if ((scan.uid === undefined) !== (scan.gid === undefined))
        bad('UID= without GID= or GID= without UID=');
    if (scan.uid !== undefined && scan.gid !== undefined) {
        packet.uid = uint(scan.uid, MAX_U32, 'UID');
        packet.gid = uint(scan.gid, MAX_U32, 'GID');
    }
    if (scan.mark !== undefined)
        packet.mark = hex(scan.mark, 'MARK');

    // the rest, for the details view and the export. Keys the kernel writes in both headers
    // keep both: ICMP.ID beside the IP header's ID, UDP.LEN beside its LEN; a transport key
    // that the packet does not read (SPT of ICMP) stays an extra too
    const extra = packet.extra;
    const extras = scan.extras;
    for (let i = 0; i < extras.length; i += 3) {
        let key = extras[i] as string;
        if (extras[i + 2] !== NET && (extra[key] !== undefined || NET_TYPED.has(key)))
            key = `${name}.${key}`;
        if (extra[key] === undefined)
            extra[key] = extras[i + 1] as string;
    }
    if (!hasPorts && scan.sport !== undefined)
        extra.SPT ??= scan.sport;
    if (!hasPorts && scan.dport !== undefined)
        extra.DPT ??= scan.dport;
    if (!isIcmp && scan.type !== undefined)
        extra.TYPE ??= scan.type;
    if (!isIcmp && scan.code !== undefined)
        extra.CODE ??= scan.code;
    const words = scan.words;
    for (let i = 0; i < words.length; i += 2) {
        const word = words[i] as string;
        const section = words[i + 1];
        if (section === NET && IP_FLAGS.has(word))
            packet.ipFlags.push(word);
        else if (section === TRANSPORT && protocol === 'tcp' && TCP_FLAGS.has(word))
            packet.tcpFlags.push(word);
        else if (word !== 'INCOMPLETE' && word !== 'TRUNCATED')
            packet.extraWords.push(word);
    }
    return packet;
}

function address(text: string, key: string): { family: NfLogFamily, text: string } {
    if (text.indexOf(':') < 0) {
        const v4 = ipv4(text);
        if (v4 === null)
            bad(`${key}=${text} is not an IP address`);
        return { family: 'ipv4', text: v4 };
    }
    // the kernel writes %pI6: hex and colons (and dots in a mapped address), never brackets or a %zone
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const ok = (c >= 0x30 && c <= 0x3a) || c === 0x2e || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
        if (!ok)
            bad(`${key}=${text} is not an IP address`);
    }
    const ip = parseIpAddress(text);
    if (!ip || ip.family !== 6)
        bad(`${key}=${text} is not an IP address`);
    return { family: 'ipv6', text: formatIpAddress(ip) };
}

/** A dotted quad as the kernel writes it (%pI4) → itself; leading zeros dropped; null if not one. */
function ipv4(text: string): string | null {
    let parts = 0;
    let digits = 0;
    let value = 0;
    let leadingZero = false;
    for (let i = 0; i <= text.length; i++) {
        const c = i < text.length ? text.charCodeAt(i) : 0x2e;
        if (c === 0x2e) {
            if (digits === 0 || value > 255)
                return null;
            parts++;
            digits = 0;
            value = 0;
            continue;
        }
        if (c < 0x30 || c > 0x39 || digits === 3)
            return null;
        if (digits === 1 && value === 0)
            leadingZero = true;
        value = value * 10 + (c - 0x30);
        digits++;
    }
    if (parts !== 4)
        return null;
    return leadingZero ? text.split('.').map(Number).join('.') : text;
}

function uint(text: string, max: number, key: string): number {
    if (text.length === 0 || text.length > 10 || !isDigits(text))
        bad(`${key}=${text} is not a number`);
    const n = Number(text);
    if (n > max)
        bad(`${key}=${text} is out of range`);
    return n;
}

function hex(text: string, key: string): number {
    const digits = text.startsWith('0x') ? text.slice(2) : '';
    if (digits.length === 0 || digits.length > 8 || !isHex(digits, digits.length))
        bad(`${key}=${text} is not a hexadecimal number`);
    return parseInt(digits, 16);
}

function isDigits(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x30 || c > 0x39)
            return false;
    }
    return true;
}

function isHex(text: string, length: number): boolean {
    if (text.length !== length)
        return false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)))
            return false;
    }
    return true;
}

/** A field's key as the kernel writes them: upper case, digits and '_', a letter first (IN, SRC, HOPLIMIT, PHYSIN). */
function isKey(text: string): boolean {
    if (text.length === 0)
        return false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const ok = (c >= 0x41 && c <= 0x5a) || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x5f));
        if (!ok)
            return false;
    }
    return true;
}

// ---- a whole time range -------------------------------------------------------------------

export interface AuditEvent extends NfLogPacket {
    /** When journald received the line (what --since/--until select on). */
    realtimeUs: number;
    /**
     * When the kernel wrote it, as near as the journal tells: the receive time less the time
     * between the kernel's stamp and journald's (large for lines journald read from the ring
     * buffer when it started); the receive time where the stamps are missing.
     */
    timeUs: number;
    cursor: string;
    bootId: string;
}

export interface AuditLineProblem {
    /** 1-based line of journalctl's output. */
    line: number;
    error: ParseError;
}

export interface AuditJournal {
    events: AuditEvent[];
    /** The first problems with their errors (at most 100); problemCount counts them all. */
    problems: AuditLineProblem[];
    /** Lines that could not be read: the tab says "N lines could not be read" and shows the rest. */
    problemCount: number;
    /** Well-formed entries that are not ours: other kernel messages, other prefixes. */
    ignored: number;
    /** Entries with our prefix that the kernel did not write (another transport, or user space writing to /dev/kmsg). */
    untrusted: number;
    /** Stopped at the event limit; read on with --after-cursor=lastCursor. */
    truncated: boolean;
    /** The cursor of the last entry read. */
    lastCursor: string | null;
}

export interface AuditJournalOptions {
    /** The log prefixes that are ours (AUDIT_LOG_PREFIXES). */
    prefixes?: readonly string[];
    /** Stop after this many events (AUDIT_EVENT_LIMIT). */
    limit?: number;
}

/**
 * The whole output of `journalctl -o json` for a time range. A line that cannot be read is
 * counted (and the first ones kept) instead of failing the rest; never throws. An entry counts
 * as the kernel's only with _TRANSPORT=kernel and SYSLOG_FACILITY=0, so --output-fields must
 * keep both (and _SOURCE_MONOTONIC_TIMESTAMP for timeUs).
 */
export function parseAuditJournal(text: string, options: AuditJournalOptions = {}): AuditJournal {
    // the longest prefix first, should one prefix begin with another
    const prefixes = [...(options.prefixes ?? AUDIT_LOG_PREFIXES)].filter(p => p !== '').sort((a, b) => b.length - a.length);
    const limit = options.limit ?? AUDIT_EVENT_LIMIT;
    const result: AuditJournal = { events: [], problems: [], problemCount: 0, ignored: 0, untrusted: 0, truncated: false, lastCursor: null };
    const problem = (line: number, error: unknown) => {
        result.problemCount++;
        if (result.problems.length < PROBLEMS_KEPT)
            result.problems.push({ line, error: error instanceof ParseError ? error : new ParseError(TOOL, String(error)) });
    };

    let start = 0;
    let lineNumber = 0;
    const n = text.length;
    while (start < n) {
        let end = text.indexOf('\n', start);
        if (end < 0)
            end = n;
        const line = text.slice(start, end);
        start = end + 1;
        lineNumber++;
        if (line === '' || line === '\r')
            continue;
        if (result.events.length >= limit) {
            result.truncated = true;
            break;
        }
        let record: JournalRecord;
        try {
            record = parseJournalJsonLine(line);
        } catch (ex) {
            problem(lineNumber, ex);
            continue;
        }
        result.lastCursor = record.cursor;
        let prefix: string | undefined;
        for (const p of prefixes) {
            if (record.message.startsWith(p)) {
                prefix = p;
                break;
            }
        }
        if (prefix === undefined) {
            result.ignored++;
            continue;
        }
        if (record.transport !== 'kernel' || record.facility !== 0) {
            result.untrusted++;
            continue;
        }
        let packet: NfLogPacket | null;
        try {
            packet = parseNfLogMessage(record.message, prefix);
        } catch (ex) {
            problem(lineNumber, ex);
            continue;
        }
        if (!packet) {
            result.ignored++;
            continue;
        }
        let timeUs = record.realtimeUs;
        if (record.monotonicUs !== null && record.sourceMonotonicUs !== null && record.sourceMonotonicUs <= record.monotonicUs)
            timeUs = record.realtimeUs - (record.monotonicUs - record.sourceMonotonicUs);
        const event = packet as AuditEvent;
        event.realtimeUs = record.realtimeUs;
        event.timeUs = timeUs;
        event.cursor = record.cursor;
        event.bootId = record.bootId;
        result.events.push(event);
    }
    return result;
}
