// How the host treats new outbound connections: off, audit (log them all) or default deny
// with an allowlist, and containers blocked by address. Every change is one nft
// transaction, persisted for boot; turning it off is one click.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, Checkbox, Content, DescriptionList, Flex, FlexItem,
    FormGroup, FormHelperText, HelperText, HelperTextItem, Label, LabelGroup, Radio, Skeleton, TextArea, TextInput,
} from '@patternfly/react-core';
import { useEffect, useMemo, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { ErrorAlert } from '../app/ErrorAlert';
import { FactTerm } from '../app/FactTerm';
import { parseAllowlist, parseAllowlistEntry } from './allowlist';
import { suggestAllowlist } from './allowlist-suggestions';
import type { EgressConnection } from './connections';
import { applyEgress, type ApplyResult } from './egress-client';
import type { EgressMode } from './egress-ruleset';
import { modeColor, modeText } from './egress-text';
import type { EgressControl } from './use-egress-control';

interface Props {
    control: EgressControl;
    connections: readonly EgressConnection[] | null;
    onChanged: () => void;
}

export function EgressControlCard({ control, connections, onChanged }: Props) {
    const { table, settings } = control;
    const [mode, setMode] = useState<EgressMode>(table.mode === 'unknown' ? 'audit' : table.mode);
    const [allowlistText, setAllowlistText] = useState(settings.allowlistText);
    const [allowLocal, setAllowLocal] = useState(table.allowLocalNetworks ?? true);
    const [blocked, setBlocked] = useState<string[]>(table.sets.blockedContainers);
    const [blockText, setBlockText] = useState('');
    const [blockProblem, setBlockProblem] = useState<string | null>(null);
    const [confirming, setConfirming] = useState(false);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const [result, setResult] = useState<ApplyResult | null>(null);

    // what the host has now becomes the form's start after every change
    useEffect(() => {
        setMode(table.mode === 'unknown' ? 'audit' : table.mode);
        setAllowLocal(table.allowLocalNetworks ?? true);
        setBlocked(table.sets.blockedContainers);
    }, [table.mode, table.allowLocalNetworks, table.sets.blockedContainers.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
    useEffect(() => setAllowlistText(settings.allowlistText), [settings.allowlistText]);

    const allowlist = useMemo(() => parseAllowlist(allowlistText), [allowlistText]);
    const suggestions = useMemo(
        () => connections ? suggestAllowlist(connections, allowlist.entries, settings.resolvers) : [],
        [connections, allowlist.entries, settings.resolvers]);

    const apply = async (target: EgressMode) => {
        setBusy(true);
        setError(null);
        setResult(null);
        try {
            setResult(await applyEgress({ mode: target, allowlist: allowlist.entries, blockedContainers: blocked, allowLocalNetworks: allowLocal }));
            onChanged();
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };

    const addBlocked = () => {
        const parsed = parseAllowlistEntry(blockText.trim());
        if (!parsed.ok || parsed.entry.kind === 'name') {
            setBlockProblem(parsed.ok ? _("Give the container's address or its network, not a host name.") : parsed.reason);
            return;
        }
        setBlockProblem(null);
        if (!blocked.includes(parsed.entry.value))
            setBlocked([...blocked, parsed.entry.value]);
        setBlockText('');
    };

    const changed = mode !== table.mode || allowlistText !== settings.allowlistText ||
        (mode === 'enforce' && allowLocal !== (table.allowLocalNetworks ?? true)) ||
        blocked.join(',') !== table.sets.blockedContainers.join(',');
    const invalid = mode === 'enforce' && allowlist.problems.length > 0;

    return (
        <Card id="egress-control-card">
            <CardHeader><CardTitle component="h2">{_("Outbound connections")}</CardTitle></CardHeader>
            <CardBody>
                <DescriptionList isCompact isHorizontal termWidth="24ch">
                    <FactTerm term={_("Mode")} field="egress-mode">
                        <Label color={modeColor(table.mode)}>{modeText(table.mode)}</Label>
                    </FactTerm>
                    {table.mode !== 'off' &&
                        <FactTerm term={_("New connections logged")} field="egress-allowed">{table.counters.allowed.packets}</FactTerm>}
                    {table.mode === 'enforce' &&
                        <FactTerm term={_("Refused")} field="egress-denied">{table.counters.denied.packets}</FactTerm>}
                    {table.sets.blockedContainers.length > 0 &&
                        <FactTerm term={_("Refused for blocked containers")} field="egress-containers-blocked">{table.counters.containersBlocked.packets}</FactTerm>}
                </DescriptionList>

                <FormGroup role="radiogroup" fieldId="egress-mode-choice" label={_("New outbound connections")} className="pf-v6-u-mt-md">
                    <Radio id="egress-mode-off" name="egress-mode" label={_("Off")} isChecked={mode === 'off'} onChange={() => setMode('off')}
                        description={_("Nothing is logged or refused.")} />
                    <Radio id="egress-mode-audit" name="egress-mode" label={_("Audit")} isChecked={mode === 'audit'} onChange={() => setMode('audit')}
                        description={_("Every new connection to the internet is logged to the journal, also while this page is closed.")} />
                    <Radio id="egress-mode-enforce" name="egress-mode" label={_("Default deny")} isChecked={mode === 'enforce'} onChange={() => setMode('enforce')}
                        description={_("New connections to the internet are refused unless the allowlist names them.")} />
                </FormGroup>

                {mode === 'enforce' &&
                    <>
                        <FormGroup label={_("Allowlist")} fieldId="egress-allowlist" className="pf-v6-u-mt-md">
                            <TextArea id="egress-allowlist" value={allowlistText} onChange={(_event, value) => setAllowlistText(value)}
                                rows={5} resizeOrientation="vertical" aria-label={_("Allowlist")} validated={allowlist.problems.length > 0 ? 'error' : 'default'} />
                            <FormHelperText>
                                <HelperText>
                                    {allowlist.problems.length === 0
                                        ? <HelperTextItem>{_("One address, network (CIDR) or host name a line. Host names are resolved when you apply.")}</HelperTextItem>
                                        : allowlist.problems.map(problem => (
                                            <HelperTextItem key={problem.line} variant="error" data-line={problem.line}>
                                                {format(_("Line $0 ($1): $2"), problem.line, problem.text, problem.reason)}
                                            </HelperTextItem>))}
                                </HelperText>
                            </FormHelperText>
                        </FormGroup>
                        {suggestions.length > 0 &&
                            <Flex className="pf-v6-u-mt-sm" alignItems={{ default: 'alignItemsCenter' }} id="egress-suggestions">
                                <FlexItem>{_("Seen on the internet now:")}</FlexItem>
                                <FlexItem>
                                    <LabelGroup numLabels={8}>
                                        {suggestions.map(s => (
                                            <Label key={s.value} color="blue" isCompact title={s.programs.join(', ')}
                                                onClick={() => setAllowlistText(text => `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${s.value}\n`)}>
                                                {format(_("Allow $0"), s.value)}
                                            </Label>))}
                                    </LabelGroup>
                                </FlexItem>
                            </Flex>}
                        <Checkbox id="egress-allow-local" className="pf-v6-u-mt-sm" label={_("Let connections to local networks through")}
                            isChecked={allowLocal} onChange={(_event, checked) => setAllowLocal(checked)} />
                    </>}

                <FormGroup label={_("Blocked containers")} fieldId="egress-block-input" className="pf-v6-u-mt-md">
                    {blocked.length > 0 &&
                        <LabelGroup id="egress-blocked">
                            {blocked.map(value => (
                                <Label key={value} onClose={() => setBlocked(blocked.filter(b => b !== value))} closeBtnAriaLabel={format(_("Unblock $0"), value)}>{value}</Label>))}
                        </LabelGroup>}
                    <Flex className="pf-v6-u-mt-xs">
                        <FlexItem>
                            <TextInput id="egress-block-input" value={blockText} onChange={(_event, value) => setBlockText(value)}
                                aria-label={_("Container address or network")} placeholder={_("Container address or network")}
                                validated={blockProblem ? 'error' : 'default'} onKeyDown={event => { if (event.key === 'Enter') addBlocked() }} />
                        </FlexItem>
                        <FlexItem><Button variant="secondary" id="egress-block-add" onClick={addBlocked} isDisabled={blockText.trim() === ''}>{_("Block")}</Button></FlexItem>
                    </Flex>
                    <FormHelperText>
                        <HelperText>
                            <HelperTextItem variant={blockProblem ? 'error' : 'default'}>
                                {blockProblem ?? _("New connections from these addresses to the internet are refused in every mode; answers on published ports still go out.")}
                            </HelperTextItem>
                        </HelperText>
                    </FormHelperText>
                </FormGroup>

                {error !== null && <ErrorAlert title={_("The rules were not changed")} error={error} />}
                {result && result.unresolvedNames.length > 0 &&
                    <Alert variant="warning" isInline id="egress-unresolved" title={_("Some host names did not resolve")}>
                        {format(_("Nothing is let through for $0 until the name resolves and the rules are applied again."), result.unresolvedNames.join(', '))}
                    </Alert>}
                {result?.bootWarning &&
                    <Alert variant="warning" isInline id="egress-boot-warning" title={_("The rules apply now but will not be loaded at boot")}>
                        {result.bootWarning}
                    </Alert>}

                <Flex className="pf-v6-u-mt-md">
                    <FlexItem>
                        <Button id="egress-apply" variant="primary" isDisabled={!changed || invalid || busy} isLoading={busy}
                            onClick={() => (mode === 'enforce' ? setConfirming(true) : void apply(mode))}>
                            {_("Apply")}
                        </Button>
                    </FlexItem>
                    {table.mode !== 'off' &&
                        <FlexItem>
                            <Button id="egress-turn-off" variant="secondary" isDanger isDisabled={busy} onClick={() => { setMode('off'); void apply('off') }}>
                                {_("Turn off")}
                            </Button>
                        </FlexItem>}
                </Flex>
                {confirming &&
                    <ConfirmDialog
                        id="egress-enforce-confirm"
                        variant="warning"
                        steps={[{
                            title: _("Refuse new connections to the internet?"),
                            confirmLabel: _("Turn on default deny"),
                            body: (
                                <>
                                    <Content component="p">{format(_("Only DNS to the configured resolvers and the $0 allowlist entries are let through."), allowlist.entries.length)}</Content>
                                    <Content component="p">{_("Time synchronisation, system updates and image pulls fail unless their servers are on the allowlist.")}</Content>
                                    <Content component="p">{_("Connections already open, this Cockpit session and SSH sessions among them, are not cut.")}</Content>
                                </>),
                        }]}
                        onConfirm={() => apply('enforce')}
                        onClose={() => setConfirming(false)}
                    />}
            </CardBody>
        </Card>
    );
}

export function EgressControlSkeleton() {
    return <Card><CardBody><Skeleton screenreaderText={_("Reading the firewall rules")} /></CardBody></Card>;
}
