// The deployments in ostree's order (the next boot first), each expandable, with the
// actions that apply to it. An action that cannot run says why instead of vanishing.
import { Label, LabelGroup } from '@patternfly/react-core';
import { ActionsColumn, ExpandableRowContent, Table, Tbody, Td, Th, Thead, Tr, type IAction } from '@patternfly/react-table';
import { useState } from 'react';
import { _ } from '../../pkg/lib/gettext';
import type { DeploymentAction } from './actions';
import type { Deployment, DeploymentsStatus } from './deployment';
import { DeploymentDetails } from './DeploymentDetails';
import { deploymentMarks, deploymentName, originShort, timeText } from './deployment-text';

export interface RowActions {
    /** Why the action cannot run now, or null. */
    reason(action: DeploymentAction): string | null;
    run(action: DeploymentAction): void;
    /** Package changes between the running deployment and this one; null: not available here. */
    compare: ((deployment: Deployment) => void) | null;
}

function rowActions(d: Deployment, status: DeploymentsStatus, actions: RowActions): IAction[] {
    const item = (title: string, action: DeploymentAction, isDanger = false): IAction => {
        const reason = actions.reason(action);
        return {
            title,
            isDanger,
            ...(reason ? { isAriaDisabled: true, tooltipProps: { content: reason } } : { onClick: () => actions.run(action) }),
        };
    };
    const items: IAction[] = [];
    const booted = status.deployments.find(b => b.booted);
    if (actions.compare && booted && booted !== d)
        items.push({ title: _("Compare packages"), onClick: () => actions.compare?.(d) });
    if (d.roles.includes('rollback-target'))
        items.push(item(_("Roll back to this deployment"), { kind: 'rollback' }));
    items.push(d.pinned ? item(_("Unpin"), { kind: 'unpin', index: d.index }) : item(_("Pin"), { kind: 'pin', index: d.index }));
    if (d.staged && status.tool === 'rpm-ostree')
        items.push(item(_("Remove the staged deployment"), { kind: 'cleanup', pending: true, rollback: false, cache: false }, true));
    else
        items.push(item(_("Delete"), { kind: 'delete', index: d.index }, true));
    return items;
}

export function DeploymentsTable({ status, actions, knownGood }: {
    status: DeploymentsStatus;
    actions: RowActions;
    /** Ids of the deployments recorded as known-good. */
    knownGood: ReadonlySet<string>;
}) {
    const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
    const toggle = (id: string) => setExpanded(previous => {
        const next = new Set(previous);
        if (!next.delete(id))
            next.add(id);
        return next;
    });
    return (
        <Table aria-label={_("Deployments")} id="deployments-table" variant="compact">
            <Thead>
                <Tr>
                    <Th screenReaderText={_("Details")} />
                    <Th>{_("Version")}</Th>
                    <Th>{_("State")}</Th>
                    <Th>{_("Origin")}</Th>
                    <Th>{_("Kernel")}</Th>
                    <Th>{_("Created")}</Th>
                    <Th screenReaderText={_("Actions")} />
                </Tr>
            </Thead>
            {status.deployments.map((d, rowIndex) => {
                const isExpanded = expanded.has(d.id);
                return (
                    <Tbody key={d.id} isExpanded={isExpanded}>
                        <Tr data-deployment={d.index} data-checksum={d.checksum} data-booted={d.booted} data-staged={d.staged} data-pinned={d.pinned}>
                            <Td expand={{ rowIndex, isExpanded, onToggle: () => toggle(d.id), expandId: `deployment-${d.index}` }} />
                            <Td dataLabel={_("Version")} data-field="version" modifier="nowrap">{deploymentName(d)}</Td>
                            <Td dataLabel={_("State")} data-field="marks">
                                <LabelGroup numLabels={5}>
                                    {deploymentMarks(d, knownGood.has(d.id)).map(mark => <Label key={mark.kind} isCompact color={mark.color} data-mark={mark.kind}>{mark.text}</Label>)}
                                </LabelGroup>
                            </Td>
                            <Td dataLabel={_("Origin")} data-field="origin" modifier="nowrap">{originShort(d.origin)}</Td>
                            <Td dataLabel={_("Kernel")} data-field="kernel">{d.kernel?.version ?? '—'}</Td>
                            <Td dataLabel={_("Created")} data-field="timestamp" modifier="nowrap">{timeText(d.timestamp)}</Td>
                            <Td isActionCell>
                                <ActionsColumn items={rowActions(d, status, actions)} popperProps={{ position: 'right' }} />
                            </Td>
                        </Tr>
                        <Tr isExpanded={isExpanded}>
                            <Td colSpan={7}>
                                <ExpandableRowContent>{isExpanded && <DeploymentDetails deployment={d} />}</ExpandableRowContent>
                            </Td>
                        </Tr>
                    </Tbody>
                );
            })}
        </Table>
    );
}
