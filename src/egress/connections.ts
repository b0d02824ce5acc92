// Live connections as the Network egress tab shows them: each socket with a peer off this
// machine, its class, its owner, the peer's host name where one is known, and the flag of
// the shipped endpoint list that name carries. Pure.
import { _ } from '../../pkg/lib/gettext';
import type { ProcessOwner } from '../system/process-owner';
import { classifyAddress } from './address-class';
import { connectionOwner, type ConnectionOwner } from './connection-owner';
import type { SsEndpoint, SsNetid, SsState } from './egress';
import type { Endpoint, EndpointMatcher } from './endpoints';
import type { SsSnapshot } from './ss-snapshot-parser';

export type PeerClass = 'local-network' | 'internet';

/**
 * outbound: this machine opened it; inbound: a peer connected to one of this machine's
 * listening TCP ports (an admin's Cockpit or SSH session, a published model server).
 */
export type ConnectionDirection = 'outbound' | 'inbound';

export interface EgressConnection {
    /** Stable across snapshots while the socket lives. */
    key: string;
    netid: SsNetid;
    state: SsState;
    local: SsEndpoint;
    peer: SsEndpoint;
    peerClass: PeerClass;
    direction: ConnectionDirection;
    /** The peer's host name, null while none is known. */
    peerName: string | null;
    /** The endpoint list's entry for peerName; outbound connections only (a peer that calls in is not egress). */
    flag: Endpoint | null;
    owner: ConnectionOwner;
}

/** What the page knows of host names: address → name (from DNS answers and lookups). */
export type NameOf = (address: string) => string | null;

/** Strips what ss adds to an IPv4 peer of a dual-stack socket. */
export function plainAddress(address: string): string {
    return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '*']);

/** This machine's listening TCP ports: on every address (the port) or on one ("address port"). */
function tcpListeners(snapshot: SsSnapshot): { anyAddress: Set<number>, onAddress: Set<string> } {
    const anyAddress = new Set<number>();
    const onAddress = new Set<string>();
    for (const socket of snapshot.sockets) {
        if (socket.netid !== 'tcp' || socket.state !== 'LISTEN' || socket.local.port === '*')
            continue;
        if (ANY_ADDRESS.has(socket.local.address))
            anyAddress.add(socket.local.port);
        else
            onAddress.add(`${plainAddress(socket.local.address)} ${socket.local.port}`);
    }
    return { anyAddress, onAddress };
}

/** ss run with -a (ss-snapshots.sh) lists the listening sockets that tell inbound from outbound. */
export function egressConnections(snapshot: SsSnapshot, nameOf: NameOf, matcher: EndpointMatcher): EgressConnection[] {
    const connections: EgressConnection[] = [];
    const localAddresses = new Set(snapshot.sockets.map(socket => plainAddress(socket.local.address)));
    const listeners = tcpListeners(snapshot);
    for (const socket of snapshot.sockets) {
        if (socket.state === 'LISTEN')
            continue;
        const peerAddress = plainAddress(socket.peer.address);
        const peerClass = classifyAddress(peerAddress);
        if (peerClass !== 'local-network' && peerClass !== 'internet')
            continue;
        // a connection to one of this machine's own addresses never leaves it
        if (localAddresses.has(peerAddress))
            continue;
        const firstPid = socket.processes.length > 0 ? Math.min(...socket.processes.map(p => p.pid)) : null;
        const owner = connectionOwner(socket, {
            processCgroup: firstPid === null ? null : snapshot.cgroups.get(firstPid) ?? null,
            exes: snapshot.exes,
        });
        const peerName = nameOf(peerAddress);
        const localPort = socket.local.port;
        const inbound = socket.netid === 'tcp' && localPort !== '*' &&
            (listeners.anyAddress.has(localPort) || listeners.onAddress.has(`${plainAddress(socket.local.address)} ${localPort}`));
        connections.push({
            key: `${socket.netid} ${socket.local.address}:${socket.local.port} ${socket.peer.address}:${socket.peer.port} ${socket.inode ?? ''}`,
            netid: socket.netid,
            state: socket.state,
            local: socket.local,
            peer: { ...socket.peer, address: peerAddress },
            peerClass,
            direction: inbound ? 'inbound' : 'outbound',
            peerName,
            flag: peerName === null || inbound ? null : matcher.match(peerName),
            owner,
        });
    }
    return connections;
}

export type GroupBy = 'process' | 'owner';

export interface ConnectionGroup {
    key: string;
    /** What the group is: a process name, a unit, a container, a session. */
    label: string;
    kind: 'process' | ProcessOwner['kind'] | 'none';
    connections: EgressConnection[];
    flagged: number;
}

function ownerGroup(owner: ConnectionOwner): { key: string, label: string, kind: ConnectionGroup['kind'] } {
    const group = owner.group;
    if (group?.kind === 'container')
        return { key: `container ${group.id}`, label: group.unit ?? group.id.slice(0, 12), kind: 'container' };
    if (group?.kind === 'unit')
        return { key: `unit ${group.unit}`, label: group.unit, kind: 'unit' };
    if (group?.kind === 'user-session') {
        const label = group.unit ?? (group.session !== null ? `session ${group.session}` : `uid ${group.uid ?? '?'}`);
        return { key: `session ${group.uid ?? ''} ${label}`, label, kind: 'user-session' };
    }
    return processGroup(owner);
}

function processGroup(owner: ConnectionOwner): { key: string, label: string, kind: ConnectionGroup['kind'] } {
    const first = owner.processes[0];
    if (!first)
        return { key: 'none', label: _("No process (closing, or not visible to this user)"), kind: 'none' };
    return { key: `process ${first.name} ${first.exe ?? ''}`, label: first.name, kind: 'process' };
}

/** Groups with flagged connections first, then by size, then by label. */
export function groupConnections(connections: readonly EgressConnection[], by: GroupBy): ConnectionGroup[] {
    const groups = new Map<string, ConnectionGroup>();
    for (const connection of connections) {
        const { key, label, kind } = by === 'owner' ? ownerGroup(connection.owner) : processGroup(connection.owner);
        let group = groups.get(key);
        if (!group) {
            group = { key, label, kind, connections: [], flagged: 0 };
            groups.set(key, group);
        }
        group.connections.push(connection);
        if (connection.flag)
            group.flagged++;
    }
    // one program name from two executables (python3 of a venv and of the system): say which
    const labels = new Map<string, number>();
    for (const group of groups.values())
        labels.set(group.label, (labels.get(group.label) ?? 0) + 1);
    for (const group of groups.values()) {
        const exe = group.connections[0].owner.processes[0]?.exe;
        if (group.kind === 'process' && (labels.get(group.label) ?? 0) > 1 && exe)
            group.label = `${group.label} (${exe})`;
    }
    return [...groups.values()].sort((a, b) =>
        Number(b.flagged > 0) - Number(a.flagged > 0) || b.connections.length - a.connections.length || a.label.localeCompare(b.label));
}

/** Case-insensitive match on process, owner, peer address or name, and flag vendor. */
export function matchesFilter(connection: EgressConnection, filter: string): boolean {
    const needle = filter.trim().toLowerCase();
    if (needle === '')
        return true;
    const group = connection.owner.group;
    const haystack = [
        ...connection.owner.processes.flatMap(p => [p.name, p.exe ?? '', String(p.pid)]),
        connection.peer.address, String(connection.peer.port), connection.peerName ?? '',
        connection.flag?.vendor ?? '', connection.flag?.category ?? '',
        group?.kind === 'unit' ? group.unit : group?.kind === 'container' ? group.id : '',
        group?.kind === 'container' ? group.unit ?? '' : '',
        group?.kind === 'user-session' ? group.unit ?? '' : '',
        group?.kind === 'user-session' && group.session !== null ? `session ${group.session}` : '',
    ];
    return haystack.some(text => text.toLowerCase().includes(needle));
}
