// Services kept off the network with a systemd drop-in (IPAddressDeny=any, localhost and
// chosen exceptions allowed): the ones blocked now, unblocking, and blocking another, with the
// services seen in the live connections offered first.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, Checkbox, Content, DataList, DataListCell, DataListItem,
    DataListItemCells, DataListItemRow, Flex, FlexItem, FormGroup, FormHelperText, HelperText, HelperTextItem,
    Label, LabelGroup, Skeleton, TextInput,
} from '@patternfly/react-core';
import { useMemo, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { useAsync } from '../../pkg/lib/use-async';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { ErrorAlert } from '../app/ErrorAlert';
import { parseAllowlistEntry, type AllowlistEntry } from './allowlist';
import type { BlockedUnit } from './blocked-units-parser';
import type { EgressConnection } from './connections';
import { blockUnit, readBlockedUnits, unblockUnit } from './unit-blocks-client';
import { exceptionProblem, unitNameProblem } from './unit-dropin';

interface Props {
    connections: readonly EgressConnection[] | null;
    /** The resolvers of /etc/resolv.conf: a blocked unit needs them to look names up. */
    resolvers: readonly string[];
}

type Pending = { action: 'block', unit: string, exceptions: AllowlistEntry[] } | { action: 'unblock', unit: string };

/** Exceptions typed as a list separated by spaces or commas; the first bad one's reason. */
function parseExceptions(text: string): { entries: AllowlistEntry[], problem: string | null } {
    const entries: AllowlistEntry[] = [];
    for (const word of text.split(/[\s,]+/).filter(w => w !== '')) {
        const parsed = parseAllowlistEntry(word);
        const problem = parsed.ok ? exceptionProblem(parsed.entry) : parsed.reason;
        if (problem || !parsed.ok)
            return { entries, problem: problem ?? '' };
        entries.push(parsed.entry);
    }
    return { entries, problem: null };
}

function BlockedUnitRow({ blocked, onUnblock }: { blocked: BlockedUnit, onUnblock: () => void }) {
    const exceptions = blocked.state?.exceptions.map(e => e.value) ?? [];
    return (
        <DataListItem aria-labelledby={`egress-unit-${blocked.unit}`}>
            <DataListItemRow data-unit={blocked.unit}>
                <DataListItemCells dataListCells={[
                    <DataListCell key="unit" id={`egress-unit-${blocked.unit}`}><strong>{blocked.unit}</strong></DataListCell>,
                    <DataListCell key="state" data-field="unit-state">
                        {blocked.state === null
                            ? <Label isCompact color="orange" title={blocked.problem ?? undefined}>{_("Drop-in not readable")}</Label>
                            : blocked.state.blocksOutbound
                                ? <Label isCompact color="red">{_("Only this machine")}</Label>
                                : <Label isCompact color="orange">{_("Drop-in edited: not blocked")}</Label>}
                        {exceptions.length > 0 &&
                            <span className="aiws-muted">{' '}{format(_("and $0"), exceptions.join(', '))}</span>}
                    </DataListCell>,
                    <DataListCell key="actions" isFilled={false} alignRight>
                        <Button variant="secondary" size="sm" onClick={onUnblock} aria-label={format(_("Unblock $0"), blocked.unit)}>{_("Unblock")}</Button>
                    </DataListCell>,
                ]} />
            </DataListItemRow>
        </DataListItem>
    );
}

export function UnitBlocksCard({ connections, resolvers }: Props) {
    const blocks = useAsync(readBlockedUnits, []);
    const [unitText, setUnitText] = useState('');
    const [exceptionsText, setExceptionsText] = useState('');
    const [allowResolvers, setAllowResolvers] = useState(true);
    const [pending, setPending] = useState<Pending | null>(null);
    const [problem, setProblem] = useState<string | null>(null);

    const blocked = blocks.state.status === 'ready' ? blocks.state.data : null;
    const remoteResolvers = resolvers.filter(r => !r.startsWith('127.') && r !== '::1');
    const seenUnits = useMemo(() => {
        const units = new Set<string>();
        for (const connection of connections ?? [])
            if (connection.direction === 'outbound' && connection.owner.group?.kind === 'unit')
                units.add(connection.owner.group.unit);
        return [...units].filter(unit => !blocked?.some(b => b.unit === unit)).sort();
    }, [connections, blocked]);

    const askToBlock = (unit: string) => {
        const nameProblem = unitNameProblem(unit);
        const exceptions = parseExceptions(exceptionsText);
        if (nameProblem || exceptions.problem !== null) {
            setProblem(nameProblem ?? exceptions.problem);
            return;
        }
        setProblem(null);
        const withResolvers = allowResolvers
            ? [...exceptions.entries, ...remoteResolvers.flatMap(r => { const p = parseAllowlistEntry(r); return p.ok ? [p.entry] : [] })]
            : exceptions.entries;
        setPending({ action: 'block', unit, exceptions: withResolvers });
    };

    return (
        <Card id="egress-units-card">
            <CardHeader><CardTitle component="h2">{_("Services kept off the network")}</CardTitle></CardHeader>
            <CardBody>
                <Content component="p" className="aiws-muted">
                    {_("systemd refuses every address to a blocked service except this machine and its exceptions, in both directions and for all its processes (IPAddressDeny=, a drop-in in /etc/systemd/system). It stays so across reboots.")}
                </Content>
                {blocks.state.status === 'loading' && <Skeleton screenreaderText={_("Reading the drop-ins")} />}
                {blocks.state.status === 'error' &&
                    <ErrorAlert title={_("The blocked services could not be read")} error={blocks.state.error} onRetry={blocks.reload} />}
                {blocked && blocked.length > 0 &&
                    <DataList aria-label={_("Blocked services")} isCompact id="egress-blocked-units">
                        {blocked.map(b => <BlockedUnitRow key={b.unit} blocked={b} onUnblock={() => setPending({ action: 'unblock', unit: b.unit })} />)}
                    </DataList>}
                {blocked && blocked.length === 0 &&
                    <Content component="p" id="egress-no-blocked-units">{_("No service is blocked.")}</Content>}

                <FormGroup label={_("Block a service")} fieldId="egress-unit-input" className="pf-v6-u-mt-md">
                    <Flex>
                        <FlexItem grow={{ default: 'grow' }}>
                            <TextInput id="egress-unit-input" value={unitText} onChange={(_event, value) => setUnitText(value)}
                                aria-label={_("Unit name")} placeholder={_("Unit name, for example ollama.service")}
                                validated={problem ? 'error' : 'default'} />
                        </FlexItem>
                        <FlexItem grow={{ default: 'grow' }}>
                            <TextInput id="egress-unit-exceptions" value={exceptionsText} onChange={(_event, value) => setExceptionsText(value)}
                                aria-label={_("Exceptions")} placeholder={_("Exceptions: addresses or networks (optional)")} />
                        </FlexItem>
                        <FlexItem>
                            <Button variant="secondary" id="egress-unit-block" isDisabled={unitText.trim() === ''} onClick={() => askToBlock(unitText.trim())}>
                                {_("Block")}
                            </Button>
                        </FlexItem>
                    </Flex>
                    <FormHelperText>
                        <HelperText>
                            {problem
                                ? <HelperTextItem variant="error" id="egress-unit-problem">{problem}</HelperTextItem>
                                : <HelperTextItem>{_("Services, sockets and slices can be blocked. The service is restarted if it runs, so that the rule applies to it.")}</HelperTextItem>}
                        </HelperText>
                    </FormHelperText>
                    {remoteResolvers.length > 0 &&
                        <Checkbox id="egress-unit-allow-resolvers" className="pf-v6-u-mt-sm" isChecked={allowResolvers} onChange={(_event, checked) => setAllowResolvers(checked)}
                            label={format(_("Let it reach the DNS resolvers ($0)"), remoteResolvers.join(', '))} />}
                </FormGroup>
                {seenUnits.length > 0 &&
                    <Flex className="pf-v6-u-mt-sm" alignItems={{ default: 'alignItemsCenter' }}>
                        <FlexItem>{_("Seen talking to other machines now:")}</FlexItem>
                        <FlexItem>
                            <LabelGroup>
                                {seenUnits.map(unit => (
                                    <Label key={unit} variant="outline" onClick={() => setUnitText(unit)}>{unit}</Label>))}
                            </LabelGroup>
                        </FlexItem>
                    </Flex>}
                {pending &&
                    <ConfirmDialog
                        id="egress-unit-confirm"
                        variant="warning"
                        steps={[pending.action === 'block'
                            ? {
                                title: format(_("Keep $0 off the network?"), pending.unit),
                                confirmLabel: _("Block and restart"),
                                body: (
                                    <>
                                        <Content component="p">
                                            {pending.exceptions.length > 0
                                                ? format(_("It can reach only this machine and $0."), pending.exceptions.map(e => e.value).join(', '))
                                                : _("It can reach only this machine.")}
                                        </Content>
                                        <Content component="p">{_("If it runs, it is restarted now: its open connections end.")}</Content>
                                    </>),
                            }
                            : {
                                title: format(_("Give $0 the network back?"), pending.unit),
                                confirmLabel: _("Unblock and restart"),
                                body: <Content component="p">{_("The drop-in is removed; if the service runs, it is restarted now.")}</Content>,
                            }]}
                        onConfirm={async () => {
                            if (pending.action === 'block') {
                                await blockUnit(pending.unit, pending.exceptions);
                                setUnitText('');
                                setExceptionsText('');
                            } else {
                                await unblockUnit(pending.unit);
                            }
                            blocks.reload();
                        }}
                        onClose={() => setPending(null)}
                    />}
                {blocked?.some(b => b.state !== null && !b.state.blocksOutbound) &&
                    <Alert variant="warning" isInline isPlain className="pf-v6-u-mt-sm"
                        title={_("A drop-in of this page was edited so that it no longer blocks its service; unblock and block it again.")} />}
            </CardBody>
        </Card>
    );
}
