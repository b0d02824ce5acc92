// One GPU: what nvidia-smi -q -x said, overlaid with the newest live sample, and its
// last ten minutes as a chart.
import {
    Card, CardBody, CardHeader, CardTitle, DescriptionList, ExpandableSection, Flex, FlexItem, Grid, GridItem, Label, LabelGroup, Progress,
    ProgressMeasureLocation, ProgressSize, Spinner,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { lazy, Suspense, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { useThrottled } from '../../pkg/lib/use-throttled';
import type { ClockEventReason, Gpu, LiveSample } from './gpu';
import type { HistoryPoint } from './history';
import { memoryPercent } from './history';
import { celsius, count, megahertz, memoryOf, MISSING, percent, watts } from './format';
import { FactTerm } from '../app/FactTerm';

// the chart library is large: load it only when a GPU is shown
const GpuUsageChart = lazy(() => import('./GpuUsageChart'));
/** A 10-minute chart gains little from a redraw per 2 s sample. */
const CHART_REFRESH_MS = 4000;

function reasonText(reason: ClockEventReason): string {
    switch (reason) {
    case 'gpu_idle': return _("Idle");
    case 'applications_clocks_setting': return _("Application clocks setting");
    case 'sw_power_cap': return _("Power cap (software)");
    case 'hw_slowdown': return _("Hardware slowdown");
    case 'hw_thermal_slowdown': return _("Thermal slowdown (hardware)");
    case 'hw_power_brake_slowdown': return _("Power brake (hardware)");
    case 'sync_boost': return _("Sync boost");
    case 'sw_thermal_slowdown': return _("Thermal slowdown (software)");
    case 'display_clocks_setting': return _("Display clocks setting");
    default: return reason;
    }
}

/** Reasons that mean the GPU is held back by heat or power, not just idle. */
function isConcern(reason: ClockEventReason): boolean {
    return reason !== 'gpu_idle' && reason !== 'applications_clocks_setting' && reason !== 'display_clocks_setting';
}


function switchText(value: 'enabled' | 'disabled' | null): string {
    return value === 'enabled' ? _("Enabled") : value === 'disabled' ? _("Disabled") : MISSING;
}

function boolText(value: boolean | null): string {
    return value === true ? _("Yes") : value === false ? _("No") : MISSING;
}

function Details({ gpu }: { gpu: Gpu }) {
    const ecc = gpu.ecc;
    return (
        <>
            <DescriptionList isCompact isHorizontal columnModifier={{ lg: '2Col' }}>
                <FactTerm term={_("UUID")} field="uuid">{gpu.uuid}</FactTerm>
                <FactTerm term={_("PCI bus")} field="pci-bus">{gpu.pciBusId}</FactTerm>
                <FactTerm term={_("VBIOS")} field="vbios">{gpu.vbios ?? MISSING}</FactTerm>
                <FactTerm term={_("Serial number")} field="serial">{gpu.serial ?? MISSING}</FactTerm>
                <FactTerm term={_("Architecture")} field="architecture">{gpu.architecture ?? MISSING}</FactTerm>
                <FactTerm term={_("PCIe link")} field="pcie">
                    {gpu.pcie.genCurrent === null
                        ? MISSING
                        : format(_("Gen $0 ×$1 (max Gen $2 ×$3)"), count(gpu.pcie.genCurrent), count(gpu.pcie.widthCurrent), count(gpu.pcie.genMax), count(gpu.pcie.widthMax))}
                </FactTerm>
                <FactTerm term={_("Persistence mode")} field="persistence">{boolText(gpu.persistenceMode)}</FactTerm>
                <FactTerm term={_("Compute mode")} field="compute-mode">{gpu.computeMode ?? MISSING}</FactTerm>
                {gpu.driverModel.current && <FactTerm term={_("Driver model")} field="driver-model">{gpu.driverModel.current}</FactTerm>}
                <FactTerm term={_("Virtualisation")} field="virtualization">{gpu.virtualizationMode ?? MISSING}</FactTerm>
                <FactTerm term={_("Power limit")} field="power-limits">
                    {format(_("$0 (default $1, range $2 – $3)"), watts(gpu.power.limit), watts(gpu.power.defaultLimit), watts(gpu.power.minLimit), watts(gpu.power.maxLimit))}
                </FactTerm>
                <FactTerm term={_("Temperature limits")} field="temperature-limits">
                    {format(_("slowdown $0, shutdown $1"), celsius(gpu.temperature.slowdown), celsius(gpu.temperature.shutdown))}
                </FactTerm>
                <FactTerm term={_("Maximum clocks")} field="max-clocks">
                    {format(_("SM $0, memory $1"), megahertz(gpu.clocks.max.sm), megahertz(gpu.clocks.max.memory))}
                </FactTerm>
                <FactTerm term={_("BAR1 memory")} field="bar1">{memoryOf(gpu.bar1.used, gpu.bar1.total)}</FactTerm>
                <FactTerm term={_("ECC mode")} field="ecc-mode">
                    {switchText(ecc.current)}
                    {ecc.pending !== ecc.current && ecc.pending !== null && ` ${format(_("($0 after reset)"), switchText(ecc.pending))}`}
                </FactTerm>
                <FactTerm term={_("ECC errors (volatile)")} field="ecc-volatile">
                    {format(_("corrected $0, uncorrected $1"), count(ecc.volatile.singleBit), count(ecc.volatile.doubleBit))}
                </FactTerm>
                <FactTerm term={_("ECC errors (aggregate)")} field="ecc-aggregate">
                    {format(_("corrected $0, uncorrected $1"), count(ecc.aggregate.singleBit), count(ecc.aggregate.doubleBit))}
                </FactTerm>
                {ecc.retiredPages &&
                    <FactTerm term={_("Retired pages")} field="retired-pages">
                        {format(_("single-bit $0, double-bit $1"), count(ecc.retiredPages.singleBit), count(ecc.retiredPages.doubleBit))}
                        {ecc.retiredPages.pending && ` ${_("(retirement waits for a reboot)")}`}
                    </FactTerm>}
                {ecc.remappedRows &&
                    <FactTerm term={_("Remapped rows")} field="remapped-rows">
                        {format(_("correctable $0, uncorrectable $1"), count(ecc.remappedRows.correctable), count(ecc.remappedRows.uncorrectable))}
                        {ecc.remappedRows.pending && ` ${_("(a remap waits for a GPU reset)")}`}
                        {ecc.remappedRows.failure && ` ${_("(remapping failed: the GPU needs service)")}`}
                    </FactTerm>}
                <FactTerm term={_("MIG mode")} field="mig-mode">
                    {switchText(gpu.mig.current)}
                    {gpu.mig.pending !== gpu.mig.current && gpu.mig.pending !== null && ` ${format(_("($0 after reset)"), switchText(gpu.mig.pending))}`}
                </FactTerm>
            </DescriptionList>
            {gpu.mig.devices.length > 0 &&
                <Table variant="compact" aria-label={_("MIG devices")} data-table="mig-devices">
                    <Thead>
                        <Tr>
                            <Th>{_("MIG device")}</Th>
                            <Th>{_("GPU instance")}</Th>
                            <Th>{_("Compute instance")}</Th>
                            <Th>{_("Profile")}</Th>
                            <Th>{_("Multiprocessors")}</Th>
                            <Th>{_("Memory")}</Th>
                        </Tr>
                    </Thead>
                    <Tbody>
                        {gpu.mig.devices.map(device => (
                            <Tr key={device.index}>
                                <Td dataLabel={_("MIG device")}>{device.index}</Td>
                                <Td dataLabel={_("GPU instance")}>{device.gpuInstanceId ?? MISSING}</Td>
                                <Td dataLabel={_("Compute instance")}>{device.computeInstanceId ?? MISSING}</Td>
                                <Td dataLabel={_("Profile")}>{device.profile ?? MISSING}</Td>
                                <Td dataLabel={_("Multiprocessors")}>{count(device.multiprocessorCount)}</Td>
                                <Td dataLabel={_("Memory")}>{memoryOf(device.memory.used, device.memory.total)}</Td>
                            </Tr>
                        ))}
                    </Tbody>
                </Table>}
        </>
    );
}

export function GpuCard({ gpu, live, history, stale }: {
    gpu: Gpu;
    live: LiveSample | null;
    history: readonly HistoryPoint[];
    /** The live data stopped coming: values shown are the last known ones. */
    stale: boolean;
}) {
    const [expanded, setExpanded] = useState(false);
    const util = live?.utilGpu ?? gpu.utilisation.gpu;
    const memUsed = live?.memUsed ?? gpu.memory.used;
    const memTotal = live?.memTotal ?? gpu.memory.total;
    const memPct = memoryPercent(memUsed, memTotal);
    const temperature = live?.temperature ?? gpu.temperature.gpu;
    const powerDraw = live?.powerDraw ?? gpu.power.draw;
    const powerLimit = live?.powerLimit ?? gpu.power.limit;
    const fan = live?.fanSpeed ?? gpu.fanSpeed;
    const pstate = live?.pstate ?? gpu.performanceState;
    const concerns = gpu.clockEventReasons.filter(isConcern);
    // the chart is the costly part of a refresh; the numbers beside it stay live
    const chartPoints = useThrottled(history, CHART_REFRESH_MS);

    return (
        <Card isCompact data-gpu-uuid={gpu.uuid} data-gpu-index={gpu.index} className="aiws-gpu-card">
            <CardHeader>
                <Flex alignItems={{ default: 'alignItemsCenter' }} gap={{ default: 'gapSm' }}>
                    <FlexItem>
                        <CardTitle component="h3">{format(_("GPU $0: $1"), gpu.index, gpu.name)}</CardTitle>
                    </FlexItem>
                    <FlexItem>
                        <LabelGroup>
                            {pstate && <Label isCompact data-field="pstate">{pstate}</Label>}
                            {gpu.mig.current === 'enabled' && <Label isCompact color="purple">{_("MIG")}</Label>}
                            {stale && <Label isCompact color="orange" data-field="stale">{_("Not updating")}</Label>}
                        </LabelGroup>
                    </FlexItem>
                </Flex>
            </CardHeader>
            <CardBody>
                <Grid hasGutter>
                    <GridItem lg={5}>
                        <DescriptionList isCompact isHorizontal>
                            <FactTerm term={_("Utilisation")} field="utilisation">
                                {util === null
                                    ? MISSING
                                    : <Progress value={util} aria-label={_("GPU utilisation")} size={ProgressSize.sm} measureLocation={ProgressMeasureLocation.outside} />}
                            </FactTerm>
                            <FactTerm term={_("Memory")} field="memory">
                                {memPct === null
                                    ? memoryOf(memUsed, memTotal)
                                    : <Progress value={memPct} aria-label={_("GPU memory used")} size={ProgressSize.sm}
                                        measureLocation={ProgressMeasureLocation.outside} label={memoryOf(memUsed, memTotal)} valueText={memoryOf(memUsed, memTotal)} />}
                            </FactTerm>
                            <FactTerm term={_("Temperature")} field="temperature">{celsius(temperature)}</FactTerm>
                            <FactTerm term={_("Power")} field="power">{format(_("$0 of $1"), watts(powerDraw), watts(powerLimit))}</FactTerm>
                            <FactTerm term={_("Fan")} field="fan">{percent(fan)}</FactTerm>
                            <FactTerm term={_("Clocks")} field="clocks">
                                {format(_("SM $0, memory $1"), megahertz(live?.clockSm ?? gpu.clocks.sm), megahertz(live?.clockMem ?? gpu.clocks.memory))}
                            </FactTerm>
                            <FactTerm term={_("Processes")} field="process-count">{gpu.processes.length}</FactTerm>
                            {concerns.length > 0 &&
                                <FactTerm term={_("Held back by")} field="clock-events">
                                    <LabelGroup>
                                        {concerns.map(reason => <Label key={reason} isCompact color="orange">{reasonText(reason)}</Label>)}
                                    </LabelGroup>
                                </FactTerm>}
                        </DescriptionList>
                    </GridItem>
                    <GridItem lg={7}>
                        <Suspense fallback={<Spinner size="md" aria-label={_("Loading the chart")} />}>
                            <GpuUsageChart points={chartPoints} title={format(_("Utilisation and memory of GPU $0, last 10 minutes"), gpu.index)} />
                        </Suspense>
                    </GridItem>
                </Grid>
                <ExpandableSection
                    toggleText={expanded ? _("Hide details") : _("Show details")}
                    isExpanded={expanded}
                    onToggle={(_event, value) => setExpanded(value)}
                >
                    <Details gpu={gpu} />
                </ExpandableSection>
            </CardBody>
        </Card>
    );
}

