// Who owns a connection: the processes holding the socket, the user, and the systemd unit,
// podman container or login session its cgroup belongs to. Pure.
import { ownerOfCgroupPath, type ProcessOwner } from '../system/process-owner';
import type { SsSocket } from './egress';

export interface OwnerProcess {
    name: string;
    pid: number;
    /** A process can hold one socket on several descriptors (dup, inherited). */
    fds: number[];
    /** readlink /proc/<pid>/exe, where the adapter read it. */
    exe: string | null;
}

export interface ConnectionOwner {
    /** Lowest pid first: a parent before the children it handed the socket to. */
    processes: OwnerProcess[];
    uid: number | null;
    /** null when no cgroup path is known. */
    group: ProcessOwner | null;
}

export interface OwnerFacts {
    /** The process's own cgroup path (from /proc/<pid>/cgroup), for when ss printed none or only '/'. */
    processCgroup?: string | null;
    /** Executables by pid. */
    exes?: ReadonlyMap<number, string>;
}

export function connectionOwner(socket: SsSocket, facts: OwnerFacts = {}): ConnectionOwner {
    const byPid = new Map<number, OwnerProcess>();
    for (const p of socket.processes) {
        const known = byPid.get(p.pid);
        if (known)
            known.fds.push(p.fd);
        else
            byPid.set(p.pid, { name: p.name, pid: p.pid, fds: [p.fd], exe: facts.exes?.get(p.pid) ?? null });
    }
    const processes = [...byPid.values()].sort((a, b) => a.pid - b.pid);

    const path = cgroupPathFor(socket.cgroup, facts.processCgroup ?? null);
    const group = path === null ? null : ownerOfCgroupPath(path);
    const uid = socket.uid ?? (group?.kind === 'user-session' ? group.uid : null);
    return { processes, uid, group };
}

// The socket's own cgroup says who opened it, even after it was handed on. But on a host
// whose processes live in cgroup v1 (hybrid layouts) every socket sits in the v2 root, '/',
// which says nothing; the process's name=systemd path knows more there.
function cgroupPathFor(socketCgroup: string | null, processCgroup: string | null): string | null {
    if (socketCgroup !== null && socketCgroup !== '/')
        return socketCgroup;
    return processCgroup ?? socketCgroup;
}
