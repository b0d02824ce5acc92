// ss -tunp[H] [-a] [-e] [--cgroup]: one socket a line, with or without the header, in the
// column layouts of old (CentOS 7) and new (iproute2 5.x, 6.x) ss. Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import type { SsEndpoint, SsNetid, SsProcess, SsSocket, SsState } from './egress';

const TOOL = 'ss';

const NETIDS: ReadonlySet<string> = new Set<SsNetid>(['tcp', 'udp']);
const STATES: ReadonlySet<string> = new Set<SsState>([
    'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT',
    'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'UNKNOWN',
]);

// Newer ss pads the last column, old ss pads every one; only what follows the sixth column
// (process names, cgroup paths) can hold spaces, and a cut name can even hold a newline.
const COLUMNS = /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/;
const HEADER = /^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s/;

const USERS = 'users:(';
// where the process list starts: right after the six columns, not in a cgroup path
const PROCESSES_START = /^\s*(?:\S+\s+){6}users:\(/;
// ss prints ("name",pid=N,fd=N) with the name unescaped, but reads it with %[^)] from
// /proc/<pid>/stat, so a name never holds ')': an entry ends at its first ')', and the greedy
// name takes any '",pid=' a hostile name carries.
const USER_ENTRY = /\("([^)]*)",pid=(\d+),fd=(\d+)\)/y;

// -e prints uid (only when not 0), ino and sk, then cgroup where the kernel reports one, then
// v6only and the shutdown arrows; --cgroup prints the cgroup once more at the end.
const CGROUP_START = /(?:^|\s)cgroup:/;
const CGROUP_END = /\s+(?:v6only:\d+|<->|-->|<--|---|cgroup:)(?=\s|$)/;
const UID = /(?:^|\s)uid:(\d+)(?=\s|$)/;
const INODE = /(?:^|\s)ino:(\d+)(?=\s|$)/;

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/;

/** TASK_COMM_LEN - 1 */
const MAX_NAME_BYTES = 15;

class LineError extends Error {}

/** Every socket of ss's output; the header and blank lines are skipped. */
export function parseSs(text: string): SsSocket[] {
    const lines = text.split('\n');
    const sockets: SsSocket[] = [];
    for (let i = 0; i < lines.length; i++) {
        const number = i + 1;
        let line = lines[i];
        // a process name with a newline cuts its socket's line; comm has room for 15 of them
        for (let joined = 0; isCutSsLine(line) && joined < MAX_NAME_BYTES && i + 1 < lines.length; joined++)
            line += '\n' + lines[++i];
        const socket = parseNumberedLine(line, `line ${number}`);
        if (socket)
            sockets.push(socket);
    }
    return sockets;
}

/**
 * One line of ss's output, for a stream; null for the header and blank lines. A line for
 * which isCutSsLine() is true needs the next line joined to it with '\n' first.
 */
export function parseSsLine(line: string): SsSocket | null {
    return parseNumberedLine(line, 'a line');
}

/** The line ends inside the process list: a process name held a newline. */
export function isCutSsLine(line: string): boolean {
    const start = PROCESSES_START.exec(line);
    // the list ends with "))", which no name can hold
    return start !== null && !line.includes('))', start[0].length);
}

function parseNumberedLine(line: string, where: string): SsSocket | null {
    try {
        return parseLine(line);
    } catch (ex) {
        if (ex instanceof LineError)
            throw new ParseError(TOOL, `${where} of ss's output: ${ex.message}`, line);
        throw ex;
    }
}

function parseLine(raw: string): SsSocket | null {
    const line = raw.trim();
    if (line === '' || HEADER.test(line))
        return null;
    const columns = COLUMNS.exec(line);
    if (!columns) {
        const first = line.split(/\s+/)[0];
        if (STATES.has(first))
            throw new LineError('there is no Netid column (ss prints one only when it lists both TCP and UDP)');
        throw new LineError('expected netid, state, queues, local and peer address');
    }
    const [, netid, state, recvQ, sendQ, local, peer, rest = ''] = columns;
    if (!NETIDS.has(netid))
        throw new LineError(`"${netid}" is not a TCP or UDP socket`);
    if (!STATES.has(state))
        throw new LineError(`"${state}" is not a socket state`);

    const { processes, details } = splitProcesses(rest);
    return {
        netid: netid as SsNetid,
        state: state as SsState,
        recvQ: Number(recvQ),
        sendQ: Number(sendQ),
        local: parseEndpoint(local),
        peer: parseEndpoint(peer),
        processes,
        ...parseDetails(details),
    };
}

function splitProcesses(rest: string): { processes: SsProcess[], details: string } {
    if (!rest.startsWith(USERS))
        return { processes: [], details: rest };
    const processes: SsProcess[] = [];
    let at = USERS.length;
    for (;;) {
        USER_ENTRY.lastIndex = at;
        const entry = USER_ENTRY.exec(rest);
        if (!entry)
            throw new LineError('the process list is not ("name",pid=N,fd=N),…');
        // a name that held a newline still fits in comm; a longer one ate the next line's text
        if (entry[1].includes('\n') && entry[1].length > MAX_NAME_BYTES)
            throw new LineError('a process name runs into the next line');
        processes.push({ name: entry[1], pid: Number(entry[2]), fd: Number(entry[3]) });
        at = USER_ENTRY.lastIndex;
        if (rest[at] === ',') {
            at++;
        } else if (rest[at] === ')') {
            return { processes, details: rest.slice(at + 1) };
        } else {
            throw new LineError('the process list does not end with "))"');
        }
    }
}

function parseDetails(details: string): Pick<SsSocket, 'uid' | 'inode' | 'cgroup'> {
    // what comes before the cgroup, so that a directory called "uid:0" stays a path
    const cgroupStart = CGROUP_START.exec(details);
    const head = cgroupStart ? details.slice(0, cgroupStart.index) : details;
    let cgroup: string | null = null;
    if (cgroupStart) {
        const path = details.slice(cgroupStart.index + cgroupStart[0].length);
        const end = CGROUP_END.exec(path);
        cgroup = (end ? path.slice(0, end.index) : path).trimEnd();
    }

    const inode = INODE.exec(head);
    if (!inode)
        return { uid: null, inode: null, cgroup };
    // ino:0 is a socket without a file (TIME-WAIT, SYN-RECV): the kernel says uid 0 for it
    if (Number(inode[1]) === 0)
        return { uid: null, inode: null, cgroup };
    const uid = UID.exec(head);
    return { uid: uid ? Number(uid[1]) : 0, inode: Number(inode[1]), cgroup };
}

function parseEndpoint(text: string): SsEndpoint {
    const colon = text.lastIndexOf(':');
    if (colon < 0)
        throw new LineError(`"${text}" is not address:port`);
    const host = text.slice(0, colon);
    const portText = text.slice(colon + 1);

    let port: number | '*';
    if (portText === '*') {
        port = '*';
    } else if (/^\d{1,5}$/.test(portText) && Number(portText) <= 65535) {
        port = Number(portText);
    } else {
        throw new LineError(`"${portText}" is not a port number (ss needs -n)`);
    }

    let address: string;
    let iface: string | null = null;
    if (host.startsWith('[')) {
        const close = host.indexOf(']');
        if (close < 0)
            throw new LineError(`"${text}" has no closing bracket`);
        address = host.slice(1, close);
        const after = host.slice(close + 1);
        if (after.startsWith('%'))
            iface = after.slice(1);
        else if (after !== '')
            throw new LineError(`"${text}" has "${after}" after the address`);
    } else {
        address = host;
    }
    // old ss and some addresses carry the scope inside: fe80::1%eth0
    const percent = address.indexOf('%');
    if (percent >= 0) {
        iface = address.slice(percent + 1);
        address = address.slice(0, percent);
    }
    if (iface === '')
        throw new LineError(`"${text}" has an empty interface name`);
    if (address !== '*' && !IPV4.test(address) && !IPV6.test(address))
        throw new LineError(`"${address}" is not a numeric address (ss needs -n)`);
    return { address, port, iface };
}
