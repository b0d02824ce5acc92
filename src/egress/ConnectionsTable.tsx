// Live connections to peers off this machine, grouped by process or by owner (service,
// container, session), filterable and sortable, flagged where a peer's name is on the
// shipped list of cloud AI, model hub and telemetry endpoints. Connections that came in to
// this machine's services (the admin's own Cockpit and SSH sessions) are not egress: hidden
// unless asked for. A page holds PAGE_SIZE rows so a busy host stays quick to draw.
import {
    Checkbox, EmptyState, EmptyStateBody, Label, Pagination, SearchInput, ToggleGroup, ToggleGroupItem,
    Toolbar, ToolbarContent, ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import { useMemo, useState } from 'react';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import { groupConnections, matchesFilter, type EgressConnection, type GroupBy } from './connections';
import { MISSING } from '../gpus/format';
import { OwnerLabel } from '../system/OwnerLabel';
import { endpointText, peerClassText } from './egress-text';
import { FlagLabel } from './FlagLabel';

type SortColumn = 'process' | 'destination' | 'flag';

const COLUMN_INDEX: Record<SortColumn, number> = { process: 0, destination: 2, flag: 3 };
export const PAGE_SIZE = 100;

function processText(connection: EgressConnection): string {
    const first = connection.owner.processes[0];
    return first ? `${first.name} (${first.pid})` : MISSING;
}

function destinationKey(connection: EgressConnection): string {
    return `${connection.peerName ?? ''} ${connection.peer.address}`;
}

function compare(a: EgressConnection, b: EgressConnection, column: SortColumn): number {
    switch (column) {
    case 'process': return processText(a).localeCompare(processText(b));
    case 'destination': return Number(a.peerName === null) - Number(b.peerName === null) || destinationKey(a).localeCompare(destinationKey(b));
    case 'flag': return Number(b.flag !== null) - Number(a.flag !== null) || destinationKey(a).localeCompare(destinationKey(b));
    }
}

export function ConnectionsTable({ connections }: { connections: readonly EgressConnection[] }) {
    const [filter, setFilter] = useState('');
    const [groupBy, setGroupBy] = useState<GroupBy>('process');
    const [flaggedOnly, setFlaggedOnly] = useState(false);
    const [showIncoming, setShowIncoming] = useState(false);
    const [sort, setSort] = useState<{ column: SortColumn, direction: 'asc' | 'desc' }>({ column: 'flag', direction: 'asc' });
    const [page, setPage] = useState(1);

    const incoming = useMemo(() => connections.filter(c => c.direction === 'inbound').length, [connections]);
    const groups = useMemo(() => {
        const shown = connections.filter(c =>
            (showIncoming || c.direction === 'outbound') && (!flaggedOnly || c.flag !== null) && matchesFilter(c, filter));
        const sign = sort.direction === 'asc' ? 1 : -1;
        return groupConnections(shown, groupBy).map(group => ({
            ...group,
            connections: [...group.connections].sort((a, b) => sign * compare(a, b, sort.column)),
        }));
    }, [connections, filter, groupBy, flaggedOnly, showIncoming, sort]);
    const total = groups.reduce((sum, group) => sum + group.connections.length, 0);
    const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const shownPage = Math.min(page, lastPage);
    const pageGroups = useMemo(() => pageOfGroups(groups, (shownPage - 1) * PAGE_SIZE, PAGE_SIZE), [groups, shownPage]);

    const sortBy = (column: SortColumn, index: number): ThProps['sort'] => ({
        columnIndex: index,
        sortBy: { index: COLUMN_INDEX[sort.column], direction: sort.direction },
        onSort: (_event, _index, direction) => setSort({ column, direction }),
    });

    return (
        <>
            <Toolbar id="egress-connections-toolbar">
                <ToolbarContent>
                    <ToolbarItem>
                        <SearchInput
                            id="egress-filter"
                            placeholder={_("Filter by program, service, address or name")}
                            value={filter}
                            onChange={(_event, value) => setFilter(value)}
                            onClear={() => setFilter('')}
                        />
                    </ToolbarItem>
                    <ToolbarItem>
                        <ToggleGroup aria-label={_("Group connections by")}>
                            <ToggleGroupItem id="egress-group-process" text={_("By program")} isSelected={groupBy === 'process'} onChange={() => setGroupBy('process')} />
                            <ToggleGroupItem id="egress-group-owner" text={_("By service or container")} isSelected={groupBy === 'owner'} onChange={() => setGroupBy('owner')} />
                        </ToggleGroup>
                    </ToolbarItem>
                    <ToolbarItem>
                        <Checkbox id="egress-flagged-only" label={_("Flagged only")} isChecked={flaggedOnly} onChange={(_event, checked) => setFlaggedOnly(checked)} />
                    </ToolbarItem>
                    <ToolbarItem>
                        <Checkbox id="egress-show-incoming" isChecked={showIncoming} onChange={(_event, checked) => setShowIncoming(checked)}
                            label={format(_("Incoming ($0)"), incoming)}
                            description={_("Connections to this machine's services")} />
                    </ToolbarItem>
                    {total > PAGE_SIZE &&
                        <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
                            <Pagination id="egress-connections-pagination" isCompact itemCount={total} perPage={PAGE_SIZE} page={shownPage}
                                perPageOptions={[{ title: String(PAGE_SIZE), value: PAGE_SIZE }]}
                                onSetPage={(_event, next) => setPage(next)} />
                        </ToolbarItem>}
                </ToolbarContent>
            </Toolbar>
            {groups.length === 0
                ? (
                    <EmptyState headingLevel="h4" variant="xs" id="egress-connections-empty"
                        titleText={connections.length === incoming && !showIncoming ? _("No connections leave this machine right now") : _("No connection matches")}>
                        <EmptyStateBody>
                            {connections.length === incoming && !showIncoming
                                ? _("Connections to other machines show up here while they are open. Loopback traffic is not listed.")
                                : _("Change the filter to see more.")}
                        </EmptyStateBody>
                    </EmptyState>)
                : (
                    <Table variant="compact" aria-label={_("Live connections")} id="egress-connections">
                        <Thead>
                            <Tr>
                                <Th sort={sortBy('process', 0)} modifier="nowrap">{_("Program")}</Th>
                                <Th modifier="nowrap">{_("Belongs to")}</Th>
                                <Th sort={sortBy('destination', 2)}>{_("Destination")}</Th>
                                <Th sort={sortBy('flag', 3)}>{_("Flag")}</Th>
                                <Th modifier="fitContent">{_("User")}</Th>
                                <Th modifier="fitContent">{_("State")}</Th>
                            </Tr>
                        </Thead>
                        {pageGroups.map(({ group, rows }) => (
                            <Tbody key={group.key} data-group={group.label}>
                                <Tr className="aiws-group-row">
                                    <Td colSpan={6}>
                                        <strong>{group.label}</strong>{' '}
                                        <span className="aiws-muted">{format(ngettext("$0 connection", "$0 connections", group.connections.length), group.connections.length)}</span>
                                        {group.flagged > 0 && <>{' '}<Label isCompact color="orange">{format(ngettext("$0 flagged", "$0 flagged", group.flagged), group.flagged)}</Label></>}
                                    </Td>
                                </Tr>
                                {rows.map(connection => (
                                    <Tr key={connection.key} data-peer={connection.peer.address} data-direction={connection.direction}
                                        data-process={connection.owner.processes[0]?.name ?? ''}>
                                        <Td dataLabel={_("Program")} modifier="nowrap" title={connection.owner.processes[0]?.exe ?? undefined}>{processText(connection)}</Td>
                                        <Td dataLabel={_("Belongs to")}><OwnerLabel owner={connection.owner.group} /></Td>
                                        <Td dataLabel={_("Destination")} data-field="destination">
                                            {connection.direction === 'inbound'
                                                ? <>
                                                    <Label isCompact color="purple">{_("Incoming")}</Label>{' '}
                                                    {connection.peerName && <>{connection.peerName}{' '}</>}
                                                    <span className="aiws-muted">
                                                        {format(_("from $0 to port $1"), endpointText(connection.peer.address, connection.peer.port), String(connection.local.port))}
                                                    </span>
                                                </>
                                                : <>
                                                    {connection.peerName && <>{connection.peerName}{' '}</>}
                                                    <span className="aiws-muted">{`${connection.netid.toUpperCase()} ${endpointText(connection.peer.address, connection.peer.port)}`}</span>
                                                </>}{' '}
                                            <Label isCompact variant="outline">{peerClassText(connection.peerClass)}</Label>
                                        </Td>
                                        <Td dataLabel={_("Flag")} data-field="flag">
                                            <FlagLabel flag={connection.flag} />
                                        </Td>
                                        <Td dataLabel={_("User")}>{connection.owner.uid ?? MISSING}</Td>
                                        <Td dataLabel={_("State")}>{connection.state}</Td>
                                    </Tr>
                                ))}
                            </Tbody>
                        ))}
                    </Table>)}
        </>
    );
}

type Group = ReturnType<typeof groupConnections>[number];

/** The rows from..from+count of the groups in order, each with its group (whose header keeps the group's whole count). */
function pageOfGroups(groups: readonly Group[], from: number, count: number): { group: Group, rows: EgressConnection[] }[] {
    const page: { group: Group, rows: EgressConnection[] }[] = [];
    let skip = from;
    let left = count;
    for (const group of groups) {
        if (left === 0)
            break;
        if (skip >= group.connections.length) {
            skip -= group.connections.length;
            continue;
        }
        const rows = group.connections.slice(skip, skip + left);
        skip = 0;
        left -= rows.length;
        page.push({ group, rows });
    }
    return page;
}
