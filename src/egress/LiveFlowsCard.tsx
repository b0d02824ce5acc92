// New flows from the kernel's connection tracking while the tab is open, forwarded container
// traffic among them, newest first.
import { Card, CardBody, CardHeader, CardTitle, Content, EmptyState, EmptyStateBody, Label } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import { ErrorAlert } from '../app/ErrorAlert';
import { MISSING } from '../gpus/format';
import { endpointText, peerClassText } from './egress-text';
import { FlagLabel } from './FlagLabel';
import type { LiveFlowsState } from './use-live-flows';

export const SHOWN_FLOWS = 100;

interface Props {
    live: LiveFlowsState;
    /** Our table is in audit or default deny mode: its rules make the kernel track connections. */
    tracking: boolean;
}

function timeText(timeS: number | null): string {
    return timeS === null ? MISSING : new Date(timeS * 1000).toLocaleTimeString();
}

export function LiveFlowsCard({ live, tracking }: Props) {
    const { flows, stream, unreadLines } = live;
    const flagged = flows.filter(f => f.flag !== null).length;
    const forwarded = flows.filter(f => f.origin === 'forwarded').length;

    return (
        <Card id="egress-flows-card">
            <CardHeader><CardTitle component="h2">{_("New flows")}</CardTitle></CardHeader>
            <CardBody>
                <Content component="p" className="aiws-muted">
                    {_("Every new flow to another machine as the kernel's connection tracking reports it (conntrack), while this page is open: also traffic that containers and virtual machines send through this machine, and connections too short to show up above.")}
                </Content>
                {stream.kind === 'waiting' && stream.error &&
                    <ErrorAlert title={_("conntrack stopped; trying again")} error={stream.error} />}
                {flows.length === 0
                    ? (
                        <EmptyState headingLevel="h4" variant="xs" id="egress-flows-empty" titleText={_("No new flows since this page was opened")}>
                            <EmptyStateBody>
                                {tracking
                                    ? _("New flows show up here as they start.")
                                    : _("The kernel reports new flows only while a firewall rule tracks connections; audit and default deny do.")}
                            </EmptyStateBody>
                        </EmptyState>)
                    : (
                        <>
                            <Content component="p" id="egress-flows-summary">
                                {format(ngettext("$0 new flow", "$0 new flows", flows.length), flows.length)}
                                {forwarded > 0 && <>{' '}<Label isCompact color="blue">{format(ngettext("$0 forwarded", "$0 forwarded", forwarded), forwarded)}</Label></>}
                                {flagged > 0 && <>{' '}<Label isCompact color="red">{format(ngettext("$0 to a flagged endpoint", "$0 to flagged endpoints", flagged), flagged)}</Label></>}
                                {unreadLines > 0 && <span className="aiws-muted">{' '}{format(ngettext("($0 line of conntrack could not be read)", "($0 lines of conntrack could not be read)", unreadLines), unreadLines)}</span>}
                                {flows.length > SHOWN_FLOWS && <span className="aiws-muted">{' '}{format(_("(the newest $0 are shown)"), SHOWN_FLOWS)}</span>}
                            </Content>
                            <Table variant="compact" aria-label={_("New flows")} id="egress-flows">
                                <Thead>
                                    <Tr>
                                        <Th>{_("Time")}</Th>
                                        <Th>{_("From")}</Th>
                                        <Th>{_("Destination")}</Th>
                                        <Th>{_("Flag")}</Th>
                                    </Tr>
                                </Thead>
                                <Tbody>
                                    {flows.slice(0, SHOWN_FLOWS).map(flow => (
                                        <Tr key={flow.key} data-origin={flow.origin} data-source={flow.source} data-destination={flow.destination}>
                                            <Td dataLabel={_("Time")}>{timeText(flow.timeS)}</Td>
                                            <Td dataLabel={_("From")} data-field="from">
                                                {flow.origin === 'forwarded'
                                                    ? <><Label isCompact color="blue">{_("Forwarded")}</Label>{' '}{flow.source}</>
                                                    : _("This machine")}
                                            </Td>
                                            <Td dataLabel={_("Destination")} data-field="destination">
                                                {flow.destinationName && <>{flow.destinationName}{' '}</>}
                                                <span className="aiws-muted">
                                                    {`${flow.protocol.toUpperCase()} ${flow.destinationPort === null ? flow.destination : endpointText(flow.destination, flow.destinationPort)}`}
                                                </span>{' '}
                                                <Label isCompact variant="outline">{peerClassText(flow.destinationClass)}</Label>
                                            </Td>
                                            <Td dataLabel={_("Flag")} data-field="flag">
                                                <FlagLabel flag={flow.flag} />
                                            </Td>
                                        </Tr>
                                    ))}
                                </Tbody>
                            </Table>
                        </>)}
            </CardBody>
        </Card>
    );
}
