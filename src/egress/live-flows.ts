// New flows as conntrack reports them (`conntrack -E -e NEW -o timestamp,id`) while the tab is
// open: what ss cannot show, because the socket lives in another network namespace (a
// container's traffic forwarded through this machine) or was gone before the next snapshot.
// Pure: which flows leave the machine, where from, and the destination's name and flag.
import { classifyAddress } from './address-class';
import { plainAddress, type NameOf, type PeerClass } from './connections';
import type { ConntrackFlow } from './conntrack-parser';
import type { Endpoint, EndpointMatcher } from './endpoints';

/**
 * this-machine: the flow's source is one of this machine's addresses; forwarded: it came
 * through from another (a container or VM behind this machine, before any masquerading).
 */
export type FlowOrigin = 'this-machine' | 'forwarded';

export interface LiveFlow {
    /** conntrack's id of the flow, or its tuple where conntrack printed no id. */
    key: string;
    /** Seconds since the epoch (conntrack's -o timestamp); null without it. */
    timeS: number | null;
    protocol: string;
    source: string;
    sourcePort: number | null;
    destination: string;
    destinationPort: number | null;
    destinationClass: PeerClass;
    destinationName: string | null;
    flag: Endpoint | null;
    origin: FlowOrigin;
}

/**
 * A NEW flow to another machine, or null for the rest: other events, loopback, and flows to
 * one of this machine's own addresses (incoming ones, and the machine talking to itself).
 * localAddresses: the addresses this machine's sockets were seen on (ss), plain IPv4 form.
 */
export function liveFlow(flow: ConntrackFlow, localAddresses: ReadonlySet<string>, nameOf: NameOf, matcher: EndpointMatcher): LiveFlow | null {
    if (flow.event !== 'NEW')
        return null;
    const destination = plainAddress(flow.original.dst);
    const source = plainAddress(flow.original.src);
    const destinationClass = classifyAddress(destination);
    if (destinationClass !== 'internet' && destinationClass !== 'local-network')
        return null;
    if (localAddresses.has(destination))
        return null;
    const destinationName = nameOf(destination);
    return {
        key: flow.id !== undefined
            ? `id ${flow.id}`
            : `${flow.protocolName} ${source}:${flow.original.sport ?? ''} ${destination}:${flow.original.dport ?? ''} ${flow.timestamp ?? ''}`,
        timeS: flow.timestamp ?? null,
        protocol: flow.protocolName,
        source,
        sourcePort: flow.original.sport ?? null,
        destination,
        destinationPort: flow.original.dport ?? null,
        destinationClass,
        destinationName,
        flag: destinationName === null ? null : matcher.match(destinationName),
        origin: localAddresses.has(source) ? 'this-machine' : 'forwarded',
    };
}

/** The flows worth showing, newest first. */
export function liveFlows(flows: readonly ConntrackFlow[], localAddresses: ReadonlySet<string>, nameOf: NameOf, matcher: EndpointMatcher): LiveFlow[] {
    const shown: LiveFlow[] = [];
    for (let i = flows.length - 1; i >= 0; i--) {
        const flow = liveFlow(flows[i], localAddresses, nameOf, matcher);
        if (flow)
            shown.push(flow);
    }
    return shown;
}

/** Keeps the newest `limit` flows of a stream. */
export class FlowBuffer {
    private flows: ConntrackFlow[] = [];

    constructor(private readonly limit: number) {}

    push(flow: ConntrackFlow): void {
        this.flows.push(flow);
        if (this.flows.length > this.limit * 2)
            this.flows = this.flows.slice(-this.limit);
    }

    all(): ConntrackFlow[] {
        return this.flows.length > this.limit ? this.flows.slice(-this.limit) : this.flows;
    }
}
