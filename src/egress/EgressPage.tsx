// The Network egress tab: who on this machine talks to other machines right now, flagged
// where the peer is a cloud AI, model hub or telemetry endpoint, and how new outbound
// connections are treated (audit, default deny, blocked containers).
import { Alert, Card, CardBody, CardHeader, CardTitle, Content, Skeleton, Stack, StackItem } from '@patternfly/react-core';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import { useAdmin } from '../../pkg/lib/use-admin';
import { ErrorAlert } from '../app/ErrorAlert';
import { hasTool } from '../system/capabilities';
import { useHostCapabilities } from '../system/host-capabilities-context';
import { AuditLogCard } from './AuditLogCard';
import { ConnectionsTable } from './ConnectionsTable';
import { EgressControlCard, EgressControlSkeleton } from './EgressControlCard';
import { LiveFlowsCard } from './LiveFlowsCard';
import { UnitBlocksCard } from './UnitBlocksCard';
import { useEgressConnections } from './use-egress-connections';
import { useEgressControl } from './use-egress-control';
import { useLiveFlows } from './use-live-flows';

export function EgressPage() {
    const admin = useAdmin();
    const caps = useHostCapabilities();
    const ready = caps.state.status === 'ready' ? caps.state.data : null;
    const ss = ready ? hasTool(ready, 'ss') : null;
    const nft = ready ? hasTool(ready, 'nft') : null;
    const conntrack = ready ? hasTool(ready, 'conntrack') : null;
    const live = useEgressConnections(ss, admin === true);
    const flows = useLiveFlows(conntrack, admin === true, live);
    const control = useEgressControl(nft, admin);
    const tableMode = control.state.status === 'ready' ? control.state.data?.table.mode ?? null : null;
    const flagged = live.connections?.filter(c => c.flag !== null) ?? [];

    return (
        <Stack hasGutter id="egress-page">
            <StackItem>
                {nft === false &&
                    <Alert variant="info" isInline id="egress-no-nft" title={_("nftables (nft) is not installed")}>
                        {_("Live connections are still listed; auditing and blocking need nft.")}
                    </Alert>}
                {nft === true && admin === false &&
                    <Alert variant="info" isInline id="egress-needs-admin" title={_("Turn on administrative access to audit or block connections")}>
                        {_("Without it, only your own processes' connections are attributed to programs.")}
                    </Alert>}
                {nft === true && admin === true && control.state.status === 'loading' && <EgressControlSkeleton />}
                {control.state.status === 'error' &&
                    <ErrorAlert title={_("The egress rules could not be read")} error={control.state.error} onRetry={control.reload} />}
                {control.state.status === 'ready' && control.state.data &&
                    <EgressControlCard control={control.state.data} connections={live.connections} onChanged={control.reload} />}
            </StackItem>
            <StackItem>
                <Card id="egress-connections-card">
                    <CardHeader><CardTitle component="h2">{_("Live connections")}</CardTitle></CardHeader>
                    <CardBody>
                        {ss === false &&
                            <Alert variant="warning" isInline id="egress-no-ss" title={_("ss is not installed")}>
                                {_("Install iproute2 to list this machine's connections.")}
                            </Alert>}
                        {live.ssError !== null &&
                            <Alert variant="danger" isInline id="egress-ss-error" title={_("ss could not list the connections")}>{live.ssError}</Alert>}
                        {live.stream.kind === 'waiting' && live.stream.error &&
                            <ErrorAlert title={_("Listing connections stopped; trying again")} error={live.stream.error} />}
                        {flagged.length > 0 &&
                            <Alert variant="warning" isInline id="egress-flagged" title={format(ngettext("$0 connection to a flagged endpoint", "$0 connections to flagged endpoints", flagged.length), flagged.length)}>
                                {[...new Set(flagged.map(c => c.flag!.vendor))].join(', ')}
                            </Alert>}
                        {ss !== false && live.connections === null && <Skeleton screenreaderText={_("Listing connections")} />}
                        {live.connections !== null &&
                            <>
                                <Content component="p" className="aiws-muted">
                                    {live.dnsMonitor
                                        ? _("Sockets to other machines, from ss, every 2 seconds. Owners come from each process's control group; names from the answers systemd-resolved gave, else from the resolver.")
                                        : _("Sockets to other machines, from ss, every 2 seconds. Owners come from each process's control group; names from the resolver.")}
                                </Content>
                                <ConnectionsTable connections={live.connections} />
                            </>}
                    </CardBody>
                </Card>
            </StackItem>
            {admin === true &&
                <StackItem>
                    <UnitBlocksCard connections={live.connections}
                        resolvers={control.state.status === 'ready' ? control.state.data?.settings.resolvers ?? [] : []} />
                </StackItem>}
            {admin === true && conntrack === true &&
                <StackItem>
                    <LiveFlowsCard live={flows} tracking={tableMode === 'audit' || tableMode === 'enforce'} />
                </StackItem>}
            {admin === true && conntrack === false &&
                <StackItem>
                    <Alert variant="info" isInline id="egress-no-conntrack" title={_("conntrack is not installed")}>
                        {_("Install conntrack (conntrack-tools) to see new flows as they start, forwarded container traffic among them. Everything else on this page works without it.")}
                    </Alert>
                </StackItem>}
            {admin === true &&
                <StackItem>
                    <AuditLogCard nameOf={live.nameOf} matcher={live.matcher} sightings={live.sightings} namesVersion={live.version} />
                </StackItem>}
        </Stack>
    );
}
