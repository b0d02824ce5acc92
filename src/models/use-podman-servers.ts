// The model servers podman has, for the Models tab and the Overview: one API connection,
// the list read again when podman's event stream says a container changed (no polling),
// the stream restarted with back-off when it ends (podman restarted, socket gone).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Backoff } from '../../pkg/lib/backoff';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { parseEventLine } from './libpod-events-parser';
import type { ModelServer } from './model-server';
import { connectPodman, type PodmanClient } from './podman-client';
import { LineSplitter } from '../../pkg/lib/line-splitter';

export type PodmanAccess =
    | { kind: 'checking' }
    | { kind: 'no-podman' } // podman is not installed
    | { kind: 'no-socket' } // installed, its API socket is not there
    | { kind: 'needs-admin' } // rootful socket: root only
    | { kind: 'ready', client: PodmanClient };

export interface PodmanServers {
    access: PodmanAccess;
    servers: ModelServer[] | null;
    error: unknown;
    /** The event stream is down: the list may be stale until it comes back. */
    eventsDown: boolean;
    reload(): void;
}

const EVENT_QUIET_MS = 300;

export function usePodmanServers(admin: AdminAccess, podmanInstalled: boolean | null, socketPresent: boolean | null): PodmanServers {
    const [client, setClient] = useState<PodmanClient | null>(null);
    const [connectError, setConnectError] = useState<unknown>(null);
    const [servers, setServers] = useState<ModelServer[] | null>(null);
    const [error, setError] = useState<unknown>(null);
    const [eventsDown, setEventsDown] = useState(false);
    const generation = useRef(0);

    useEffect(() => {
        if (admin !== true || !socketPresent)
            return;
        let alive = true;
        // closed here, not in a state updater: React never runs an updater queued while unmounting
        let connected: PodmanClient | null = null;
        connectPodman().then(c => {
            if (alive) {
                connected = c;
                setConnectError(null);
                setClient(c);
            } else {
                c.close();
            }
        }, e => alive && setConnectError(e));
        return () => {
            alive = false;
            connected?.close();
            setClient(null);
        };
    }, [admin, socketPresent]);

    const reload = useCallback(() => {
        if (!client)
            return;
        const mine = ++generation.current;
        client.listServers().then(list => {
            if (mine === generation.current) {
                setServers(list);
                setError(null);
            }
        }, e => mine === generation.current && setError(e));
    }, [client]);

    // the event stream: any container change means one more list read, coalesced
    useEffect(() => {
        if (!client)
            return;
        reload();
        let disposed = false;
        let stream: ReturnType<PodmanClient['followEvents']> | null = null;
        let quiet: ReturnType<typeof setTimeout> | null = null;
        let retry: ReturnType<typeof setTimeout> | null = null;
        const backoff = new Backoff();
        const start = () => {
            if (disposed)
                return;
            const startedAt = Date.now();
            const splitter = new LineSplitter({ skipBlank: true });
            const current = client.followEvents(chunk => {
                setEventsDown(false);
                for (const line of splitter.push(chunk)) {
                    // a line that cannot be read still says something changed; thrown, it
                    // would escape into the HTTP channel's handler
                    let event: ReturnType<typeof parseEventLine> | undefined;
                    try {
                        event = parseEventLine(line);
                    } catch {
                        event = undefined;
                    }
                    if (event === null)
                        continue;
                    if (quiet)
                        clearTimeout(quiet);
                    quiet = setTimeout(reload, EVENT_QUIET_MS);
                }
            });
            stream = current;
            current.done.catch(() => undefined).then(() => {
                if (disposed || stream !== current)
                    return;
                setEventsDown(true);
                retry = setTimeout(() => {
                    reload();
                    start();
                }, backoff.next(Date.now() - startedAt));
            });
        };
        start();
        return () => {
            disposed = true;
            if (quiet)
                clearTimeout(quiet);
            if (retry)
                clearTimeout(retry);
            stream?.close();
        };
    }, [client, reload]);

    const access: PodmanAccess = useMemo(() => {
        if (podmanInstalled === false)
            return { kind: 'no-podman' };
        if (socketPresent === false)
            return { kind: 'no-socket' };
        if (admin === false)
            return { kind: 'needs-admin' };
        if (client)
            return { kind: 'ready', client };
        return { kind: 'checking' };
    }, [podmanInstalled, socketPresent, admin, client]);

    return { access, servers, error: error ?? connectError, eventsDown, reload };
}
