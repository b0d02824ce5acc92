// The durable log: new outbound connections our table logged to the journal (also while
// nobody had the page open), for a chosen time range, with names and flags where known, and
// CSV and JSON exports of all of it.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, Content, EmptyState, EmptyStateBody, Flex, FlexItem, Label, Skeleton,
    ToggleGroup, ToggleGroupItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMemo, useState } from 'react';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import { ErrorAlert } from '../app/ErrorAlert';
import { auditCsv, auditJson, auditRows } from './audit-log';
import type { NameOf } from './connections';
import { MISSING } from '../gpus/format';
import { endpointText } from './egress-text';
import { FlagLabel } from './FlagLabel';
import type { EndpointMatcher } from './endpoints';
import { useAuditLog, type AuditRange } from './use-audit-log';

/** Rows drawn at once; the exports hold them all. */
const SHOWN_ROWS = 500;

function download(name: string, type: string, text: string) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}

interface Props {
    nameOf: NameOf;
    matcher: EndpointMatcher;
    sightings: ReadonlyMap<string, readonly string[]>;
    /** Changes when new names arrived, so rows get them. */
    namesVersion: number;
}

export function AuditLogCard({ nameOf, matcher, sightings, namesVersion }: Props) {
    const [range, setRange] = useState<AuditRange>('24h');
    const log = useAuditLog(range, true);
    const journal = log.state.status === 'ready' ? log.state.data : null;
    const rows = useMemo(
        () => journal ? auditRows(journal.events, nameOf, matcher, sightings).reverse() : null,
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [journal, namesVersion, matcher, sightings]);
    const flagged = rows?.filter(row => row.flag !== null).length ?? 0;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');

    return (
        <Card id="egress-log-card">
            <CardHeader><CardTitle component="h2">{_("Audit log")}</CardTitle></CardHeader>
            <CardBody>
                <Flex alignItems={{ default: 'alignItemsCenter' }}>
                    <FlexItem>
                        <ToggleGroup aria-label={_("Time range")}>
                            <ToggleGroupItem id="egress-log-1h" text={_("Last hour")} isSelected={range === '1h'} onChange={() => setRange('1h')} />
                            <ToggleGroupItem id="egress-log-24h" text={_("Last 24 hours")} isSelected={range === '24h'} onChange={() => setRange('24h')} />
                            <ToggleGroupItem id="egress-log-7d" text={_("Last 7 days")} isSelected={range === '7d'} onChange={() => setRange('7d')} />
                        </ToggleGroup>
                    </FlexItem>
                    <FlexItem><Button variant="secondary" id="egress-log-refresh" onClick={log.reload} isLoading={log.refreshing}>{_("Refresh")}</Button></FlexItem>
                    <FlexItem>
                        <Button variant="link" id="egress-log-csv" isDisabled={!rows || rows.length === 0}
                            onClick={() => rows && download(`egress-log-${stamp}.csv`, 'text/csv', auditCsv(rows))}>{_("Export CSV")}</Button>
                    </FlexItem>
                    <FlexItem>
                        <Button variant="link" id="egress-log-json" isDisabled={!rows || rows.length === 0}
                            onClick={() => rows && download(`egress-log-${stamp}.json`, 'application/json', auditJson(rows))}>{_("Export JSON")}</Button>
                    </FlexItem>
                </Flex>
                {log.state.status === 'loading' && <Skeleton screenreaderText={_("Reading the journal")} />}
                {log.state.status === 'error' && <ErrorAlert title={_("The journal could not be read")} error={log.state.error} onRetry={log.reload} />}
                {journal && journal.problemCount > 0 &&
                    <Alert variant="warning" isInline isPlain id="egress-log-problems"
                        title={format(ngettext("$0 line of the journal could not be read; the rest is shown", "$0 lines of the journal could not be read; the rest is shown", journal.problemCount), journal.problemCount)} />}
                {journal?.truncated &&
                    <Alert variant="info" isInline isPlain title={format(_("Only the first $0 events are loaded; choose a shorter range."), journal.events.length)} />}
                {rows && rows.length === 0 &&
                    <EmptyState headingLevel="h4" variant="xs" id="egress-log-empty" titleText={_("No logged connections in this time range")}>
                        <EmptyStateBody>{_("In audit and default deny mode, every new connection to the internet is logged here.")}</EmptyStateBody>
                    </EmptyState>}
                {rows && rows.length > 0 &&
                    <>
                        <Content component="p" id="egress-log-summary">
                            {format(ngettext("$0 connection logged", "$0 connections logged", rows.length), rows.length)}
                            {flagged > 0 && <>{' '}<Label isCompact color="red">{format(ngettext("$0 to a flagged endpoint", "$0 to flagged endpoints", flagged), flagged)}</Label></>}
                            {rows.length > SHOWN_ROWS && <span className="aiws-muted">{' '}{format(_("(the newest $0 are shown; the exports hold all)"), SHOWN_ROWS)}</span>}
                        </Content>
                        <Table variant="compact" aria-label={_("Audit log")} id="egress-log">
                            <Thead>
                                <Tr>
                                    <Th>{_("Time")}</Th>
                                    <Th>{_("Verdict")}</Th>
                                    <Th>{_("Destination")}</Th>
                                    <Th>{_("Flag")}</Th>
                                    <Th>{_("User")}</Th>
                                    <Th>{_("Seen as")}</Th>
                                </Tr>
                            </Thead>
                            <Tbody>
                                {rows.slice(0, SHOWN_ROWS).map(row => (
                                    <Tr key={row.cursor} data-destination={row.destination} data-time-us={row.timeUs}>
                                        <Td dataLabel={_("Time")}>{new Date(row.timeUs / 1000).toLocaleString()}</Td>
                                        <Td dataLabel={_("Verdict")}>
                                            {row.verdict === 'denied' ? <Label isCompact color="red">{_("Refused")}</Label> : <Label isCompact color="grey">{_("Let through")}</Label>}
                                        </Td>
                                        <Td dataLabel={_("Destination")} data-field="destination">
                                            {row.destinationName && <>{row.destinationName}{' '}</>}
                                            <span className="aiws-muted">{`${row.protocol} ${row.dport === null ? row.destination : endpointText(row.destination, row.dport)}`}</span>
                                        </Td>
                                        <Td dataLabel={_("Flag")} data-field="flag">
                                            <FlagLabel flag={row.flag} />
                                        </Td>
                                        <Td dataLabel={_("User")}>{row.uid ?? MISSING}</Td>
                                        <Td dataLabel={_("Seen as")} data-field="programs">{row.programs.length > 0 ? row.programs.join(', ') : MISSING}</Td>
                                    </Tr>
                                ))}
                            </Tbody>
                        </Table>
                    </>}
            </CardBody>
        </Card>
    );
}
