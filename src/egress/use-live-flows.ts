// New flows while the tab is open: one `conntrack -E -e NEW -o timestamp,id` (root: it reads
// the kernel's connection tracking over netlink), the newest FLOW_LIMIT kept, joined with the
// machine's addresses and the peer names of the live connections.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ParseError } from '../../pkg/lib/parse-error';
import { useRestartingStream, type StreamState } from '../../pkg/lib/use-restarting-stream';
import { parseConntrackLine } from './conntrack-parser';
import { FlowBuffer, liveFlows, type LiveFlow } from './live-flows';
import type { EgressConnections } from './use-egress-connections';

export const FLOW_LIMIT = 500;
const CONNTRACK_ARGV = ['conntrack', '-E', '-e', 'NEW', '-o', 'timestamp,id'];

export interface LiveFlowsState {
    flows: LiveFlow[];
    stream: StreamState;
    /** Lines conntrack printed that are not flows (kept out, counted). */
    unreadLines: number;
}

/** available null: not known yet; false: the host lacks conntrack. Only for an admin. */
export function useLiveFlows(available: boolean | null, admin: boolean, live: EgressConnections): LiveFlowsState {
    const buffer = useRef(new FlowBuffer(FLOW_LIMIT));
    const [version, setVersion] = useState(0);
    const [unreadLines, setUnreadLines] = useState(0);

    const stream = useRestartingStream(available && admin ? CONNTRACK_ARGV : null, {
        admin: true,
        // it prints only when a flow starts: silence is normal
        stallAfterMs: Infinity,
        restartAfterMs: Infinity,
        onLine: line => {
            try {
                const flow = parseConntrackLine(line);
                if (flow) {
                    buffer.current.push(flow);
                    setVersion(v => v + 1);
                }
            } catch (error) {
                if (!(error instanceof ParseError))
                    throw error;
                setUnreadLines(n => n + 1);
            }
        },
    });

    const flows = useMemo(
        () => liveFlows(buffer.current.all(), live.localAddresses, live.nameOf, live.matcher),
        // version: new flows; live.version: new names
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [version, live.version, live.connections, live.matcher]);

    const { requestNames } = live;
    useEffect(() => {
        requestNames([...new Set(flows.filter(f => f.destinationName === null).map(f => f.destination))]);
    }, [flows, requestNames]);

    return { flows, stream, unreadLines };
}
