// The Overview's Deployments card: what runs, what boots next (an update staged or a
// rollback done), and where Roll back would go.
import { Card, CardBody, CardFooter, CardHeader, CardTitle, DescriptionList, Button, Skeleton, Content } from '@patternfly/react-core';
import { _, format } from '../../pkg/lib/gettext';
import { navigate } from '../../pkg/lib/use-location';
import { ErrorAlert } from '../app/ErrorAlert';
import type { DeploymentsStatus } from './deployment';
import { deploymentName, nextBoot, transactionText } from './deployment-text';
import type { WatchedResource } from '../../pkg/lib/use-watched-resource';
import type { DeploymentsSupport } from './use-deployments';
import { FactTerm } from '../app/FactTerm';


function Summary({ status }: { status: DeploymentsStatus }) {
    const booted = status.deployments.find(d => d.booted);
    const next = nextBoot(status.deployments);
    const plan = status.rollback;
    const target = plan.kind === 'target' ? status.deployments.find(d => d.index === plan.index) : undefined;
    const update = status.cachedUpdate;
    return (
        <DescriptionList isCompact isHorizontal>
            <FactTerm term={_("Running")} field="booted">{booted ? deploymentName(booted) : _("Unknown")}</FactTerm>
            <FactTerm term={_("Next boot")} field="next-boot">
                {!next || next.booted ? _("The same") : next.staged ? format(_("$0 (staged update)"), deploymentName(next)) : deploymentName(next)}
            </FactTerm>
            {update?.version &&
                <FactTerm term={_("Update found")} field="update">{format(_("$0 (not downloaded yet)"), update.version)}</FactTerm>}
            <FactTerm term={_("Roll back to")} field="rollback">
                {target ? deploymentName(target) : plan.kind === 'blocked-by-staged' ? _("after removing the staged deployment") : _("Nothing")}
            </FactTerm>
            {status.transaction &&
                <FactTerm term={_("Busy")} field="transaction">{format(_("rpm-ostree is running $0"), transactionText(status.transaction.title))}</FactTerm>}
        </DescriptionList>
    );
}

export function DeploymentsSummaryCard({ support, resource }: { support: DeploymentsSupport, resource: WatchedResource<DeploymentsStatus> }) {
    const tool = support.kind === 'managed' ? support.tool : null;
    return (
        <Card id="deployments-summary-card">
            <CardHeader><CardTitle component="h2">{_("Deployments")}</CardTitle></CardHeader>
            <CardBody>
                {(support.kind === 'probing' || resource.loading) && <Skeleton screenreaderText={_("Reading the deployments")} />}
                {support.kind === 'package-based' && <Content component="p">{_("This host is installed from packages: it has no deployments.")}</Content>}
                {support.kind === 'ostree-only' && <Content component="p">{_("Neither rpm-ostree nor bootc is installed.")}</Content>}
                {resource.data && <Summary status={resource.data} />}
                {resource.data === null && resource.error !== null &&
                    <ErrorAlert title={_("The deployments could not be read")} error={resource.error} onRetry={resource.reload} />}
            </CardBody>
            {tool &&
                <CardFooter>
                    <Button variant="link" isInline onClick={() => navigate(['deployments'])}>{_("Open Deployments")}</Button>
                </CardFooter>}
        </Card>
    );
}
