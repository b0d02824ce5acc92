// The GPUs tab: the driver verdict first (it matters most when something is wrong), then
// each GPU live, the processes on them, and the PCI view that works without nvidia-smi.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, EmptyState, EmptyStateBody, Flex, FlexItem,
    Skeleton, Stack, StackItem,
} from '@patternfly/react-core';
import { SyncAltIcon } from '@patternfly/react-icons';
import { useEffect, useMemo } from 'react';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import { measureSinceArrival } from '../../pkg/lib/perf';
import type { StreamState } from '../../pkg/lib/use-restarting-stream';
import { useNow } from '../../pkg/lib/use-now';
import { ErrorAlert } from '../app/ErrorAlert';
import { describeError } from '../app/error-text';
import type { Gpu } from './gpu';
import { DriverHealthCard } from './DriverHealthCard';
import { ago } from './format';
import { GpuCard } from './GpuCard';
import { GpuProcessesTable, type GpuProcessRow } from './GpuProcessesTable';
import { PciDevicesTable } from './PciDevicesTable';
import { useGpuHealth } from './use-gpu-health';
import { LIVE_INTERVAL_MS, LIVE_RENDER_MEASURE, LIVE_SAMPLE_MARK, useComputeAppsLive, useGpuLive } from './use-gpu-live';

function StreamNotice({ stream, lastSampleAt, now }: { stream: StreamState, lastSampleAt: number | null, now: number }) {
    if (stream.kind === 'running' || stream.kind === 'starting')
        return null;
    const since = lastSampleAt === null ? _("no sample yet") : format(_("last sample $0"), ago(lastSampleAt, now));
    if (stream.kind === 'stalled') {
        return (
            <Alert variant="warning" isInline id="live-stale" title={format(_("Live data has stopped ($0)"), since)}>
                {_("nvidia-smi is running but not reporting; the driver may be stuck. The values below are the last known ones. The page restarts nvidia-smi if it stays silent.")}
            </Alert>
        );
    }
    const retryIn = Math.max(0, Math.round((stream.retryAt - now) / 1000));
    return (
        <Alert variant="warning" isInline id="live-stale"
            title={stream.stalled
                ? format(_("Live data stopped ($0); nvidia-smi was restarted"), since)
                : format(_("The live nvidia-smi stream ended ($0)"), since)}>
            {stream.error && <p>{describeError(stream.error).summary}: {stream.error instanceof Error ? stream.error.message : ''}</p>}
            <p>{format(ngettext("Starting it again in $0 second (attempt $1).", "Starting it again in $0 seconds (attempt $1).", retryIn), retryIn, stream.attempts)}</p>
        </Alert>
    );
}

function gpuLabel(gpus: readonly Gpu[], uuid: string, busId: string | null): string {
    const gpu = gpus.find(g => g.uuid === uuid) ?? gpus.find(g => busId !== null && g.pciBusId === busId);
    if (gpu)
        return format(_("GPU $0"), gpu.index);
    return uuid.startsWith('MIG-') ? _("MIG device") : uuid;
}

export function GpusPage() {
    const health = useGpuHealth();
    const gpus = useMemo(() => health.inventory?.gpus ?? [], [health.inventory]);
    const streaming = gpus.length > 0;
    const live = useGpuLive(streaming);
    const apps = useComputeAppsLive(streaming);
    const now = useNow(1000);

    // the refresh is committed: how long from the samples' arrival (make bench)
    useEffect(() => measureSinceArrival(LIVE_SAMPLE_MARK, LIVE_RENDER_MEASURE), [live.samples]);

    const lastSampleAt = useMemo(() => {
        const times = [...live.lastSeen.values()];
        return times.length > 0 ? Math.max(...times) : null;
    }, [live.lastSeen]);

    const processRows: GpuProcessRow[] = useMemo(() => {
        // with the live stream up, its view of processes is the current one
        if (apps.stream.kind === 'running' || apps.apps.length > 0) {
            return apps.apps.map(app => ({
                pid: app.pid,
                name: app.processName,
                usedMemoryMiB: app.usedMemoryMiB,
                gpuLabel: gpuLabel(gpus, app.gpuUuid, app.gpuBusId),
                owner: apps.owners.get(app.pid) ?? null,
            }));
        }
        return gpus.flatMap(gpu => gpu.processes.map(process => ({
            pid: process.pid,
            name: process.name,
            usedMemoryMiB: process.usedMemoryMiB,
            gpuLabel: process.gpuInstanceId === null ? format(_("GPU $0"), gpu.index) : format(_("GPU $0, instance $1"), gpu.index, process.gpuInstanceId),
            owner: apps.owners.get(process.pid) ?? null,
        })));
    }, [apps, gpus]);

    if (health.loading) {
        return (
            <Stack hasGutter id="gpus-loading">
                <StackItem><Skeleton height="8rem" screenreaderText={_("Asking nvidia-smi about the GPUs")} /></StackItem>
                <StackItem><Skeleton height="14rem" /></StackItem>
            </Stack>
        );
    }
    if (health.error)
        return <ErrorAlert title={_("The GPUs could not be read")} error={health.error} onRetry={health.reload} />;

    const noHardware = health.diagnosis?.condition === 'no-nvidia-hardware';
    const nvidiaSmiWorks = health.outcome?.kind === 'ok';

    return (
        <Stack hasGutter id="gpus-page">
            <StackItem>
                <Flex justifyContent={{ default: 'justifyContentFlexEnd' }}>
                    <FlexItem>
                        <Button variant="secondary" icon={<SyncAltIcon />} onClick={health.reload} isLoading={health.refreshing} isDisabled={health.refreshing} id="gpus-refresh">
                            {_("Check again")}
                        </Button>
                    </FlexItem>
                </Flex>
            </StackItem>
            {health.diagnosis &&
                <StackItem><DriverHealthCard diagnosis={health.diagnosis} facts={health.facts} /></StackItem>}
            {health.parseError !== null &&
                <StackItem><ErrorAlert title={_("nvidia-smi answered, but its report could not be read")} error={health.parseError} /></StackItem>}
            {streaming &&
                <StackItem><StreamNotice stream={live.stream} lastSampleAt={lastSampleAt} now={now} /></StackItem>}
            {live.badLines > 0 &&
                <StackItem>
                    <Alert variant="info" isInline isPlain id="live-bad-lines"
                        title={format(ngettext("$0 line of live data could not be read and was skipped", "$0 lines of live data could not be read and were skipped", live.badLines), live.badLines)} />
                </StackItem>}
            {gpus.map(gpu => {
                const seen = live.lastSeen.get(gpu.uuid) ?? null;
                const missing = live.stream.kind === 'running' && lastSampleAt !== null && (seen === null || lastSampleAt - seen > LIVE_INTERVAL_MS * 3);
                return (
                    <StackItem key={gpu.uuid}>
                        {missing &&
                            <Alert variant="danger" isInline isPlain className="aiws-gpu-missing"
                                title={format(_("GPU $0 stopped reporting; it may have fallen off the bus. Check `journalctl -k` for Xid errors."), gpu.index)} />}
                        <GpuCard
                            gpu={gpu}
                            live={live.samples.get(gpu.uuid) ?? null}
                            history={live.history.get(gpu.uuid) ?? []}
                            stale={missing || live.stream.kind === 'stalled' || live.stream.kind === 'waiting'}
                        />
                    </StackItem>
                );
            })}
            {nvidiaSmiWorks && gpus.length > 0 &&
                <StackItem>
                    <Card isCompact>
                        <CardHeader><CardTitle component="h2">{_("Processes")}</CardTitle></CardHeader>
                        <CardBody><GpuProcessesTable rows={processRows} /></CardBody>
                    </Card>
                </StackItem>}
            {noHardware
                ? <StackItem>
                    <EmptyState headingLevel="h2" titleText={_("No NVIDIA GPU")} id="gpus-empty">
                        <EmptyStateBody>{_("The PCI bus has no NVIDIA graphics device, so there is nothing to show here.")}</EmptyStateBody>
                    </EmptyState>
                </StackItem>
                : <StackItem>
                    <Card isCompact id="pci-card">
                        <CardHeader><CardTitle component="h2">{_("NVIDIA devices on the PCI bus")}</CardTitle></CardHeader>
                        <CardBody><PciDevicesTable devices={health.facts?.pciDevices ?? null} /></CardBody>
                    </Card>
                </StackItem>}
        </Stack>
    );
}
