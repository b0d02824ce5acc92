// The Overview's Models card: how many local model servers run, are stopped, or run but
// do not answer.
import { Button, Card, CardBody, CardFooter, CardHeader, CardTitle, Content, DescriptionList, Skeleton } from '@patternfly/react-core';
import { _ } from '../../pkg/lib/gettext';
import { useAdmin } from '../../pkg/lib/use-admin';
import { navigate } from '../../pkg/lib/use-location';
import { ErrorAlert } from '../app/ErrorAlert';
import { FactTerm } from '../app/FactTerm';
import { hasTool } from '../system/capabilities';
import { useHostCapabilities } from '../system/host-capabilities-context';
import { serverCounts } from './server-counts';
import { usePodmanServers } from './use-podman-servers';
import { useServerHealth } from './use-server-health';

export function ModelsSummaryCard() {
    const admin = useAdmin();
    const caps = useHostCapabilities();
    const ready = caps.state.status === 'ready' ? caps.state.data : null;
    const podman = usePodmanServers(admin, ready ? hasTool(ready, 'podman') : null, ready ? ready.podmanSocket : null);
    const health = useServerHealth(podman.servers);
    const counts = podman.servers ? serverCounts(podman.servers, health) : null;

    return (
        <Card id="models-summary-card">
            <CardHeader><CardTitle component="h2">{_("Models")}</CardTitle></CardHeader>
            <CardBody>
                {podman.access.kind === 'no-podman' && <Content component="p">{_("podman is not installed, so no model servers run here.")}</Content>}
                {podman.access.kind === 'no-socket' && <Content component="p">{_("podman's API service is not running.")}</Content>}
                {podman.access.kind === 'needs-admin' && <Content component="p">{_("Turn on administrative access to see the model servers.")}</Content>}
                {podman.access.kind === 'ready' && podman.error !== null &&
                    <ErrorAlert title={_("podman could not list its containers")} error={podman.error} onRetry={podman.reload} />}
                {(podman.access.kind === 'checking' || (podman.access.kind === 'ready' && counts === null && podman.error === null)) &&
                    <Skeleton screenreaderText={_("Listing model servers")} />}
                {counts && podman.servers?.length === 0 && <Content component="p" data-field="models-none">{_("No model servers yet.")}</Content>}
                {counts && podman.servers && podman.servers.length > 0 &&
                    <DescriptionList isCompact isHorizontal>
                        <FactTerm term={_("Running")} field="models-running">{counts.running}</FactTerm>
                        <FactTerm term={_("Stopped")} field="models-stopped">{counts.stopped}</FactTerm>
                        <FactTerm term={_("Unhealthy")} field="models-unhealthy">{counts.unhealthy}</FactTerm>
                    </DescriptionList>}
            </CardBody>
            <CardFooter>
                <Button variant="link" isInline onClick={() => navigate(['models'])}>{_("Open Models")}</Button>
            </CardFooter>
        </Card>
    );
}
