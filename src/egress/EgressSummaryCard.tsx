// The Overview's Network egress card: whether new outbound connections are audited or
// refused, and how many were so far (the table's counters). Reads our nftables table once.
import { Button, Card, CardBody, CardFooter, CardHeader, CardTitle, Content, DescriptionList, Label, Skeleton } from '@patternfly/react-core';
import { _ } from '../../pkg/lib/gettext';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { navigate } from '../../pkg/lib/use-location';
import { ErrorAlert } from '../app/ErrorAlert';
import { FactTerm } from '../app/FactTerm';
import { hasTool } from '../system/capabilities';
import { useHostCapabilities } from '../system/host-capabilities-context';
import { modeColor, modeText } from './egress-text';
import { useEgressControl } from './use-egress-control';

export function EgressSummaryCard({ admin }: { admin: AdminAccess }) {
    const caps = useHostCapabilities();
    const ready = caps.state.status === 'ready' ? caps.state.data : null;
    const nft = ready ? hasTool(ready, 'nft') : null;
    const control = useEgressControl(nft, admin, { poll: false });
    const table = control.state.status === 'ready' ? control.state.data?.table ?? null : null;

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
                    </DescriptionList>}
            </CardBody>
            <CardFooter>
                <Button variant="link" isInline onClick={() => navigate(['egress'])}>{_("Open Network egress")}</Button>
            </CardFooter>
        </Card>
    );
}
