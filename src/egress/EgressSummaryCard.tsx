// The Overview's Network egress card: whether new outbound connections are audited or
// refused, how many were so far (the table's counters), and who reached flagged endpoints
// in the last 24 hours (the audit log). Reads our nftables table and the journal once.
import { Button, Card, CardBody, CardFooter, CardHeader, CardTitle, Content, DescriptionList, Label, LabelGroup, Skeleton } from '@patternfly/react-core';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { navigate } from '../../pkg/lib/use-location';
import { ErrorAlert } from '../app/ErrorAlert';
import { FactTerm } from '../app/FactTerm';
import { hasTool } from '../system/capabilities';
import { useHostCapabilities } from '../system/host-capabilities-context';
import { categoryText, modeColor, modeText } from './egress-text';
import type { FlaggedSender } from './flagged-senders';
import { useEgressControl } from './use-egress-control';
import { useFlaggedLastDay } from './use-flagged-senders';

function senderText(sender: FlaggedSender): string {
    const who = sender.uid !== null ? format(_("user $0"), sender.uid) : format(_("$0, forwarded"), sender.source ?? '');
    return `${who}: ${sender.vendors.join(', ')}`;
}

function FlaggedSenders({ senders }: { senders: readonly FlaggedSender[] }) {
    if (senders.length === 0)
        return <>{_("None")}</>;
    const cloud = senders.filter(s => s.categories.includes('cloud-ai')).length;
    return (
        <>
            <div>
                {format(ngettext("$0 sender reached flagged endpoints", "$0 senders reached flagged endpoints", senders.length), senders.length)}
                {cloud > 0 && <>{', '}{format(ngettext("$0 of them cloud AI", "$0 of them cloud AI", cloud), cloud)}</>}
            </div>
            <LabelGroup numLabels={4}>
                {senders.map(sender => (
                    <Label key={sender.key} isCompact color="red" title={sender.categories.map(categoryText).join(', ')}>{senderText(sender)}</Label>))}
            </LabelGroup>
        </>
    );
}

export function EgressSummaryCard({ admin }: { admin: AdminAccess }) {
    const caps = useHostCapabilities();
    const ready = caps.state.status === 'ready' ? caps.state.data : null;
    const nft = ready ? hasTool(ready, 'nft') : null;
    const control = useEgressControl(nft, admin, { poll: false });
    const table = control.state.status === 'ready' ? control.state.data?.table ?? null : null;
    const flagged = useFlaggedLastDay(nft === true && admin === true);
    const lastDay = flagged.state.status === 'ready' ? flagged.state.data : null;

    return (
        <Card id="egress-summary-card">
            <CardHeader><CardTitle component="h2">{_("Network egress")}</CardTitle></CardHeader>
            <CardBody>
                {nft === false && <Content component="p">{_("nftables is not installed: outbound connections are neither audited nor blocked.")}</Content>}
                {nft === true && admin === false && <Content component="p">{_("Turn on administrative access to see how outbound connections are treated.")}</Content>}
                {control.state.status === 'error' && <ErrorAlert title={_("The egress rules could not be read")} error={control.state.error} onRetry={control.reload} />}
                {nft === true && admin !== false && control.state.status === 'loading' && <Skeleton screenreaderText={_("Reading the firewall rules")} />}
                {table &&
                    <DescriptionList isCompact isHorizontal>
                        <FactTerm term={_("Mode")} field="egress-summary-mode">
                            <Label isCompact color={modeColor(table.mode)}>{modeText(table.mode)}</Label>
                        </FactTerm>
                        {table.mode !== 'off' && <FactTerm term={_("New connections logged")} field="egress-summary-allowed">{table.counters.allowed.packets}</FactTerm>}
                        {table.mode === 'enforce' && <FactTerm term={_("Refused")} field="egress-summary-denied">{table.counters.denied.packets}</FactTerm>}
                        {lastDay &&
                            <FactTerm term={_("Flagged in the last 24 hours")} field="egress-summary-flagged">
                                <FlaggedSenders senders={lastDay.senders} />
                            </FactTerm>}
                    </DescriptionList>}
                {flagged.state.status === 'error' &&
                    <ErrorAlert title={_("The audit log could not be read")} error={flagged.state.error} onRetry={flagged.reload} />}
            </CardBody>
            <CardFooter>
                <Button variant="link" isInline onClick={() => navigate(['egress'])}>{_("Open Network egress")}</Button>
            </CardFooter>
        </Card>
    );
}
