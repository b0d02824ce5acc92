// The Overview's GPU card: the one-line verdict, and the page status Cockpit's shell
// shows beside the menu entry so the verdict is seen from any page.
import { Alert, Button, Card, CardBody, CardFooter, CardHeader, CardTitle, Content, Skeleton } from '@patternfly/react-core';
import { useEffect } from 'react';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import { setPageStatus } from '../../pkg/lib/page-status';
import { navigate } from '../../pkg/lib/use-location';
import { ErrorAlert } from '../app/ErrorAlert';
import type { Diagnosis } from './gpu';
import { alertVariant } from './DriverHealthCard';
import type { GpuHealth } from './use-gpu-health';

function publish(diagnosis: Diagnosis): void {
    if (diagnosis.condition === 'healthy' || diagnosis.condition === 'no-nvidia-hardware')
        setPageStatus('ok', diagnosis.title);
    else
        setPageStatus(diagnosis.severity === 'danger' ? 'error' : diagnosis.severity === 'ok' ? 'ok' : diagnosis.severity, format(_("GPU: $0"), diagnosis.title));
}

export function GpuSummaryCard({ health }: { health: GpuHealth }) {
    const diagnosis = health.diagnosis;

    useEffect(() => {
        if (diagnosis)
            publish(diagnosis);
    }, [diagnosis]);

    const gpus = health.inventory?.gpus ?? [];
    return (
        <Card id="gpu-summary-card">
            <CardHeader><CardTitle component="h2">{_("GPU")}</CardTitle></CardHeader>
            <CardBody>
                {health.loading && <Skeleton screenreaderText={_("Checking the GPUs")} />}
                {health.error !== null && <ErrorAlert title={_("The GPUs could not be read")} error={health.error} onRetry={health.reload} />}
                {diagnosis &&
                    <Alert variant={alertVariant(diagnosis.severity)} isInline isPlain title={diagnosis.title} data-condition={diagnosis.condition} id="gpu-verdict" />}
                {gpus.length > 0 &&
                    <Content component="p" data-field="gpu-summary">
                        {format(ngettext("$0 GPU, driver $1", "$0 GPUs, driver $1", gpus.length), gpus.length, health.inventory?.driverVersion ?? '—')}
                        {': '}{[...new Set(gpus.map(gpu => gpu.name))].join(', ')}
                    </Content>}
            </CardBody>
            <CardFooter>
                <Button variant="link" isInline onClick={() => navigate(['gpus'])}>{_("Open GPUs")}</Button>
            </CardFooter>
        </Card>
    );
}
