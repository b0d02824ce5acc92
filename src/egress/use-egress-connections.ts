// Live connections while the tab is open: one ss-snapshots.sh process (restarted when it
// dies or goes silent), the names of their peers: the DNS answers systemd-resolved gives
// (`resolvectl monitor`, where it runs), bounded reverse lookups for the rest, and forward
// lookups of the endpoint list's names every ten minutes.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ParseError } from '../../pkg/lib/parse-error';
import { run } from '../../pkg/lib/run';
import { useRestartingStream, type StreamState } from '../../pkg/lib/use-restarting-stream';
import { sightingKey } from './audit-log';
import { egressConnections, plainAddress, type EgressConnection, type NameOf } from './connections';
import { lookUpHosts } from './egress-client';
import { EndpointMatcher, lookupNames, shippedEndpoints } from './endpoints';
import { NameCache } from './name-cache';
import { parseResolvedMonitorLine } from './resolved-monitor-parser';
import snapshotsScript from './ss-snapshots.sh';
import { SsSnapshotReader, type SsSnapshot } from './ss-snapshot-parser';

export const SNAPSHOT_INTERVAL_S = 2;
// the monitor's varlink socket; root only (systemd-resolve owns it, mode 0600)
const RESOLVED_MONITOR_CHECK = 'command -v resolvectl >/dev/null && test -S /run/systemd/resolve/io.systemd.Resolve.Monitor';
const RESOLVED_MONITOR_ARGV = ['resolvectl', 'monitor', '--json=short'];
/** DNS answers can come by the hundred; names are redrawn at most this often. */
const OBSERVED_NAMES_REDRAW_MS = 500;
const FORWARD_REFRESH_MS = 10 * 60_000;

export interface EgressConnections {
    /** null until the first snapshot. */
    connections: EgressConnection[] | null;
    /** ss's own complaint of the last snapshot. */
    ssError: string | null;
    stream: StreamState;
    /** When the last snapshot arrived. */
    at: number | null;
    /** The peer names the page knows, for the audit log too. */
    nameOf: NameOf;
    matcher: EndpointMatcher;
    /** Programs seen per sightingKey(uid, peer, port) since the tab opened, for the log's join. */
    sightings: ReadonlyMap<string, readonly string[]>;
    /** Changes when names or sightings were added. */
    version: number;
    /** Names come from systemd-resolved's answers too (resolvectl monitor runs). */
    dnsMonitor: boolean;
    /** Every address this machine's sockets were seen on since the tab opened (plain IPv4 form). */
    localAddresses: ReadonlySet<string>;
    /** Ask for the names of peers seen elsewhere (conntrack's flows); they arrive through nameOf and version. */
    requestNames: (addresses: readonly string[]) => void;
}

/** ssAvailable null: not known yet; false: the host lacks ss (no stream). */
export function useEgressConnections(ssAvailable: boolean | null, admin: boolean): EgressConnections {
    const matcher = useMemo(() => new EndpointMatcher(shippedEndpoints()), []);
    const cache = useRef(new NameCache());
    const reader = useRef(new SsSnapshotReader());
    const [snapshot, setSnapshot] = useState<{ snapshot: SsSnapshot, at: number } | null>(null);
    const [namesVersion, setNamesVersion] = useState(0);
    const sightings = useRef(new Map<string, string[]>());
    const nameOf = useCallback((address: string) => cache.current.name(address), []);
    const localAddresses = useRef(new Set<string>());

    // bounded reverse lookups of addresses without a name, a batch at a time
    const requestNames = useCallback((addresses: readonly string[]) => {
        const asked = cache.current.toLookUp(addresses.filter(address => cache.current.name(address) === null), Date.now());
        if (asked.length === 0)
            return;
        lookUpHosts('reverse', asked).then(
            answers => {
                cache.current.record(asked, answers, Date.now());
                if (asked.some(address => (answers.get(address) ?? []).length > 0))
                    setNamesVersion(v => v + 1);
            },
            // a resolver that does not answer is asked again only after the cache's time to live
            () => cache.current.record(asked, new Map(), Date.now()));
    }, []);

    const argv = ssAvailable ? ['sh', '-c', snapshotsScript, 'ss-snapshots.sh', String(SNAPSHOT_INTERVAL_S)] : null;
    // systemd-resolved's answers: the names programs asked for
    const [monitorAvailable, setMonitorAvailable] = useState(false);
    useEffect(() => {
        if (!admin)
            return;
        let disposed = false;
        run(['sh', '-c', RESOLVED_MONITOR_CHECK]).then(() => !disposed && setMonitorAvailable(true), () => undefined);
        return () => {
            disposed = true;
        };
    }, [admin]);
    const redrawTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
    useEffect(() => () => {
        if (redrawTimer.current)
            clearTimeout(redrawTimer.current);
    }, []);
    const monitor = useRestartingStream(monitorAvailable ? RESOLVED_MONITOR_ARGV : null, {
        admin: true,
        // it prints only when a query finishes
        stallAfterMs: Infinity,
        restartAfterMs: Infinity,
        onLine: line => {
            let observed;
            try {
                observed = parseResolvedMonitorLine(line);
            } catch (error) {
                if (error instanceof ParseError)
                    return; // a line of another shape tells no name; the next ones may
                throw error;
            }
            if (!observed || observed.length === 0)
                return;
            for (const { address, name } of observed)
                cache.current.observe(address, name);
            redrawTimer.current ??= setTimeout(() => {
                redrawTimer.current = null;
                setNamesVersion(v => v + 1);
            }, OBSERVED_NAMES_REDRAW_MS);
        },
    });

    const stream = useRestartingStream(argv, {
        admin,
        stallAfterMs: SNAPSHOT_INTERVAL_S * 5000,
        restartAfterMs: SNAPSHOT_INTERVAL_S * 15000,
        onLine: line => {
            const done = reader.current.push(line);
            if (done) {
                for (const socket of done.sockets)
                    localAddresses.current.add(plainAddress(socket.local.address));
                setSnapshot({ snapshot: done, at: Date.now() });
            }
        },
    });

    useEffect(() => {
        if (!ssAvailable)
            return;
        let disposed = false;
        const names = lookupNames(shippedEndpoints());
        const refresh = () => {
            lookUpHosts('forward', names).then(answers => {
                if (disposed)
                    return;
                cache.current.setForward(answers);
                setNamesVersion(v => v + 1);
            }, () => undefined);
        };
        refresh();
        const timer = setInterval(refresh, FORWARD_REFRESH_MS);
        return () => {
            disposed = true;
            clearInterval(timer);
        };
    }, [ssAvailable]);

    const connections = useMemo(
        () => snapshot ? egressConnections(snapshot.snapshot, nameOf, matcher) : null,
        // namesVersion: new names arrived for the same snapshot
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [snapshot, namesVersion, matcher]);

    // names for peers without one; sightings for the log
    useEffect(() => {
        if (!connections)
            return;
        let seen = false;
        for (const connection of connections) {
            const key = sightingKey(connection.owner.uid, connection.peer.address, connection.peer.port);
            const programs = sightings.current.get(key) ?? [];
            for (const process of connection.owner.processes) {
                if (!programs.includes(process.name)) {
                    programs.push(process.name);
                    seen = true;
                }
            }
            sightings.current.set(key, programs);
        }
        if (seen)
            setNamesVersion(v => v + 1);
        requestNames(connections.filter(c => c.peerName === null).map(c => c.peer.address));
    }, [connections, requestNames]);

    return {
        connections,
        ssError: snapshot?.snapshot.error ?? null,
        stream,
        at: snapshot?.at ?? null,
        nameOf,
        matcher,
        sightings: sightings.current,
        version: namesVersion,
        localAddresses: localAddresses.current,
        requestNames,
        dnsMonitor: monitorAvailable && monitor.kind === 'running',
    };
}
