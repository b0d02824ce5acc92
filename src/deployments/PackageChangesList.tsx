// A package difference with a filter box: kernel and NVIDIA packages first (what breaks
// a GPU box), then the rest by name.
import { Content, Label, SearchInput, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMemo, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { filterChanges, importantChanges, isEmptyChanges, summarizeChanges, type ChangeKind, type DiffSummary, type PackageChanges } from './package-changes';

function kindText(kind: ChangeKind): string {
    switch (kind) {
    case 'upgraded': return _("Upgraded");
    case 'downgraded': return _("Downgraded");
    case 'removed': return _("Removed");
    case 'added': return _("Added");
    }
}

export function summaryText(counts: DiffSummary): string {
    return format(_("$0 upgraded, $1 downgraded, $2 removed, $3 added"), counts.upgraded, counts.downgraded, counts.removed, counts.added);
}

export function PackageChangesList({ changes, id }: { changes: PackageChanges, id: string }) {
    const [filter, setFilter] = useState('');
    const rows = useMemo(() => importantChanges(filterChanges(changes, filter)), [changes, filter]);
    if (isEmptyChanges(changes))
        return <Content component="p" id={id} data-empty="true">{_("No package changes.")}</Content>;
    return (
        <div id={id}>
            <Toolbar>
                <ToolbarContent>
                    <ToolbarItem>
                        <SearchInput placeholder={_("Filter packages")} value={filter} onChange={(_e, v) => setFilter(v)} onClear={() => setFilter('')}
                            aria-label={_("Filter packages")} />
                    </ToolbarItem>
                    <ToolbarItem>{summaryText(summarizeChanges(changes))}</ToolbarItem>
                </ToolbarContent>
            </Toolbar>
            <Table variant="compact" aria-label={_("Package changes")}>
                <Thead>
                    <Tr>
                        <Th>{_("Package")}</Th>
                        <Th>{_("Change")}</Th>
                        <Th>{_("From")}</Th>
                        <Th>{_("To")}</Th>
                    </Tr>
                </Thead>
                <Tbody>
                    {rows.map(row => (
                        <Tr key={`${row.kind}:${row.name}:${row.from}:${row.to}`} data-package={row.name} data-category={row.category}>
                            <Td dataLabel={_("Package")}>
                                {row.name}{' '}
                                {row.category === 'kernel' && <Label isCompact color="purple">{_("kernel")}</Label>}
                                {row.category === 'nvidia' && <Label isCompact color="green">{_("NVIDIA")}</Label>}
                            </Td>
                            <Td dataLabel={_("Change")}>{kindText(row.kind)}</Td>
                            <Td dataLabel={_("From")}>{row.from ?? '—'}</Td>
                            <Td dataLabel={_("To")}>{row.to ?? '—'}</Td>
                        </Tr>
                    ))}
                </Tbody>
            </Table>
            {rows.length === 0 && <Content component="p">{format(_("No package matches \"$0\"."), filter)}</Content>}
        </div>
    );
}
