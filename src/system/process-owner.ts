// Who owns a process or a socket: a podman container, a systemd unit or a user session, read
// from /proc/<pid>/cgroup or from the cgroup path ss prints for a socket. The GPU and the
// network egress areas both ask, so it lives with the other host facts.
// cgroup v2 has one "0::/path" line; hybrid hosts add v1 lines ("N:controllers:/path"), and
// on some of them the v2 line is just "0::/" while the systemd hierarchy (name=systemd)
// holds the real path.
import { ParseError } from '../../pkg/lib/parse-error';

export type ProcessOwner =
    | { kind: 'container', engine: 'podman', id: string, /** systemd unit of a Quadlet / podman-generate unit */ unit: string | null }
    | { kind: 'unit', unit: string }
    | { kind: 'user-session', uid: number | null, session: string | null, unit: string | null }
    | { kind: 'unknown', path: string };

const TOOL = '/proc/<pid>/cgroup';

/** The most telling cgroup path of the file. */
export function cgroupPathOf(text: string): string {
    const entries: { controllers: string, path: string }[] = [];
    for (const line of text.split('\n')) {
        if (line.trim() === '')
            continue;
        // hierarchy-ID:controller-list:cgroup-path; the path itself may hold ':'
        const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
        if (!match)
            throw new ParseError(TOOL, `unexpected line "${line}"`, text);
        entries.push({ controllers: match[2], path: match[3] });
    }
    if (entries.length === 0)
        throw new ParseError(TOOL, 'the file is empty', text);
    const unified = entries.find(e => e.controllers === '');
    if (unified && unified.path !== '/')
        return unified.path;
    const systemd = entries.find(e => e.controllers === 'name=systemd');
    if (systemd)
        return systemd.path;
    // otherwise the longest path says most
    return entries.reduce((a, b) => (b.path.length > a.path.length ? b : a)).path;
}

const LIBPOD_SCOPE = /^libpod-(?:conmon-)?([0-9a-f]{12,64})\.scope$/;
const LIBPOD_PAYLOAD = /^libpod-payload-([0-9a-f]{12,64})$/;
const USER_SLICE = /^user-(\d+)\.slice$/;
const USER_MANAGER = /^user@(\d+)\.service$/;

// A socket unit's listeners are made inside its own cgroup (systemd forks a helper there so
// that IPAddressDeny= and other BPF filters apply), so ss names X.socket for them.
function isUnit(name: string): boolean {
    return /\.(service|scope|socket)$/.test(name);
}

export function ownerOfCgroupPath(path: string): ProcessOwner {
    const parts = path.split('/').filter(p => p !== '');

    // --cgroups=split (Quadlet): <unit>.service/libpod-payload-<id>
    const payload = parts.findIndex(p => LIBPOD_PAYLOAD.test(p));
    if (payload >= 0) {
        const unit = payload > 0 && parts[payload - 1].endsWith('.service') ? parts[payload - 1] : null;
        return { kind: 'container', engine: 'podman', id: LIBPOD_PAYLOAD.exec(parts[payload])![1], unit };
    }
    // machine.slice/libpod-<id>.scope[/container], rootful or under a user manager
    const scope = parts.find(p => LIBPOD_SCOPE.test(p));
    if (scope)
        return { kind: 'container', engine: 'podman', id: LIBPOD_SCOPE.exec(scope)![1], unit: null };

    if (parts[0] === 'system.slice') {
        const unit = parts.slice(1).find(isUnit);
        if (unit)
            return { kind: 'unit', unit };
    }
    if (parts[0] === 'user.slice') {
        const uidMatch = parts[1] ? USER_SLICE.exec(parts[1]) : null;
        const uid = uidMatch ? Number(uidMatch[1]) : null;
        const session = parts.find(p => /^session-[^/]+\.scope$/.test(p));
        if (session)
            return { kind: 'user-session', uid, session: session.replace(/^session-|\.scope$/g, ''), unit: null };
        const manager = parts.findIndex(p => USER_MANAGER.test(p));
        if (manager >= 0) {
            // the innermost unit below the user manager: app-….scope, ollama.service
            const inner = parts.slice(manager + 1).filter(isUnit);
            return { kind: 'user-session', uid: uid ?? Number(USER_MANAGER.exec(parts[manager])![1]), session: null, unit: inner.length > 0 ? inner[inner.length - 1] : null };
        }
        if (uid !== null)
            return { kind: 'user-session', uid, session: null, unit: null };
    }
    // a unit directly under another slice (e.g. workloads.slice/foo.service)
    const unit = parts.find(p => p.endsWith('.service'));
    if (unit)
        return { kind: 'unit', unit };
    return { kind: 'unknown', path };
}

export function parseProcCgroup(text: string): ProcessOwner {
    return ownerOfCgroupPath(cgroupPathOf(text));
}
