// The network egress area's model: what ss says about each socket.

// ---- ss -tunp[H] [-a] [-e] [--cgroup] ----

/** The page asks ss for TCP and UDP only (-t -u). */
export type SsNetid = 'tcp' | 'udp';

/** ss's state names (UNCONN is a UDP socket without a peer, or a closed TCP one). */
export type SsState =
    | 'ESTAB' | 'SYN-SENT' | 'SYN-RECV' | 'FIN-WAIT-1' | 'FIN-WAIT-2' | 'TIME-WAIT'
    | 'UNCONN' | 'CLOSE-WAIT' | 'LAST-ACK' | 'LISTEN' | 'CLOSING' | 'UNKNOWN';

export interface SsEndpoint {
    /**
     * As ss printed it, without brackets or interface: '10.0.0.2', 'fd42::2', '::ffff:10.0.0.2',
     * '0.0.0.0', '::', or '*' (any address; newer ss prints a dual-stack socket so).
     */
    address: string;
    port: number | '*';
    /** The interface after '%': a device-bound socket or a link-local address' scope. */
    iface: string | null;
}

export interface SsProcess {
    /**
     * The kernel's comm (at most 15 bytes), cut at the first ')' because ss reads it from
     * /proc/<pid>/stat that way; it may hold spaces, quotes, commas, '(' and control characters.
     */
    name: string;
    pid: number;
    fd: number;
}

export interface SsSocket {
    netid: SsNetid;
    state: SsState;
    recvQ: number;
    sendQ: number;
    local: SsEndpoint;
    peer: SsEndpoint;
    /** Empty when ss was run without -p, lacked the right to look, or no process holds it. */
    processes: SsProcess[];
    /**
     * The socket's owner, from -e. null without -e, and for sockets the kernel keeps without
     * an owner (TIME-WAIT, half-open SYN-RECV: ino:0).
     */
    uid: number | null;
    /** null without -e and for those ownerless sockets. */
    inode: number | null;
    /** The cgroup the socket was made in ('/' on hosts whose processes live in cgroup v1); null when ss printed none. */
    cgroup: string | null;
}
