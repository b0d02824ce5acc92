// Every inference server on the host: ours, RamaLama's and AI Lab's, with state, health,
// the endpoint, GPUs and whether it starts at boot; the actions that apply to each.
import { Label, Tooltip } from '@patternfly/react-core';
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr, type IAction } from '@patternfly/react-table';
import { _, format } from '../../pkg/lib/gettext';
import type { ModelServer, ServerOrigin } from './model-server';
import type { QuadletServer } from './quadlet';
import type { ProbedHealth } from './use-server-health';

export type ServerAction = 'start' | 'stop' | 'restart' | 'details' | 'try' | 'boot-on' | 'boot-off' | 'delete';

function originText(origin: ServerOrigin): string {
    switch (origin) {
    case 'ai-workstation': return _("this page");
    case 'ramalama': return 'RamaLama';
    case 'ai-lab': return 'Podman AI Lab';
    }
}

export function stateText(server: ModelServer): string {
    switch (server.state) {
    case 'running': return _("Running");
    case 'exited':
    case 'stopped': return server.exitCode ? format(_("Exited ($0)"), server.exitCode) : _("Stopped");
    case 'created':
    case 'initialized': return _("Created");
    case 'paused': return _("Paused");
    case 'stopping': return _("Stopping");
    case 'removing': return _("Removing");
    case 'unknown': return _("Unknown");
    }
}

function healthLabel(server: ModelServer, probed: ProbedHealth | undefined) {
    if (server.state !== 'running')
        return null;
    const health = probed?.kind ?? (server.health === 'none' ? 'checking' : server.health);
    switch (health) {
    case 'healthy': return <Label color="green" isCompact>{_("Healthy")}</Label>;
    case 'unhealthy':
        return (
            <Tooltip content={probed?.kind === 'unhealthy' ? probed.detail : _("podman's health check failed")}>
                <Label color="red" isCompact tabIndex={0}>{_("Unhealthy")}</Label>
            </Tooltip>
        );
    case 'starting': return <Label color="blue" isCompact>{_("Starting")}</Label>;
    case 'no-endpoint': return <Label color="grey" isCompact>{_("No endpoint")}</Label>;
    case 'checking': return <Label color="grey" isCompact>{_("Checking")}</Label>;
    }
}

function gpuText(server: ModelServer): string {
    switch (server.gpus.kind) {
    case 'none': return _("CPU only");
    case 'all': return _("All GPUs");
    case 'some': return server.gpus.devices.join(', ');
    }
}

function uptimeText(server: ModelServer, now: number): string {
    if (server.state !== 'running' || server.startedAt === null)
        return '—';
    const minutes = Math.max(0, Math.floor((now - server.startedAt) / 60000));
    if (minutes < 60)
        return format(_("$0 min"), minutes);
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? format(_("$0 h $1 min"), hours, minutes % 60) : format(_("$0 days"), Math.floor(hours / 24));
}

export function endpointUrl(server: ModelServer): string | null {
    return server.endpoint ? `http://${server.endpoint.host}:${server.endpoint.port}` : null;
}

export function bootUnitOf(server: ModelServer, quadlets: readonly QuadletServer[]): QuadletServer | null {
    return quadlets.find(q => q.containerName === server.name) ?? null;
}

function gpuMemoryText(mib: number): string {
    return mib >= 1024 ? format(_("$0 GiB in use"), (mib / 1024).toFixed(1)) : format(_("$0 MiB in use"), mib);
}

/** The model's file or folder name, its folder below: paths are long, the name is what tells them apart. */
function ModelCell({ model }: { model: string | null }) {
    if (!model)
        return <>—</>;
    const cut = model.lastIndexOf('/');
    if (cut <= 0)
        return <>{model}</>;
    return <>{model.slice(cut + 1)}<div><small>{model.slice(0, cut)}</small></div></>;
}

export function ServersTable({ servers, quadlets, health, gpuMemory, now, reason, onAction }: {
    servers: readonly ModelServer[];
    quadlets: readonly QuadletServer[];
    health: ReadonlyMap<string, ProbedHealth>;
    /** MiB of GPU memory per server name, where nvidia-smi reports its processes. */
    gpuMemory: ReadonlyMap<string, number>;
    now: number;
    /** Why an action cannot run now (no admin, busy), or null. */
    reason: (server: ModelServer, action: ServerAction) => string | null;
    onAction: (server: ModelServer, action: ServerAction) => void;
}) {
    const actionsFor = (server: ModelServer): IAction[] => {
        const item = (title: string, action: ServerAction, isDanger = false): IAction => {
            const why = reason(server, action);
            return {
                title,
                isDanger,
                ...(why ? { isAriaDisabled: true, tooltipProps: { content: why } } : { onClick: () => onAction(server, action) }),
            };
        };
        const running = server.state === 'running';
        const boot = bootUnitOf(server, quadlets);
        return [
            item(_("Details and logs"), 'details'),
            ...(running ? [item(_("Try it"), 'try'), item(_("Restart"), 'restart'), item(_("Stop"), 'stop')] : [item(_("Start"), 'start')]),
            // a unit this page cannot read the file of (another folder, another tool) is left alone
            ...(server.origin === 'ai-workstation' && (boot || !server.systemdUnit)
                ? [boot ? item(_("Do not start at boot"), 'boot-off') : item(_("Start at boot"), 'boot-on')]
                : []),
            item(_("Delete"), 'delete', true),
        ];
    };

    return (
        <Table aria-label={_("Model servers")} id="model-servers-table" variant="compact">
            <Thead>
                <Tr>
                    <Th>{_("Name")}</Th>
                    <Th>{_("State")}</Th>
                    <Th>{_("Model")}</Th>
                    <Th>{_("Endpoint")}</Th>
                    <Th>{_("GPUs")}</Th>
                    <Th modifier="nowrap">{_("Uptime")}</Th>
                    <Th modifier="nowrap">{_("At boot")}</Th>
                    <Th screenReaderText={_("Actions")} />
                </Tr>
            </Thead>
            <Tbody>
                {servers.map(server => {
                    const boot = bootUnitOf(server, quadlets) ?? (server.systemdUnit ? { unitName: server.systemdUnit } : null);
                    const url = endpointUrl(server);
                    return (
                        <Tr key={server.id} data-server={server.name} data-state={server.state}>
                            <Td dataLabel={_("Name")}>
                                <strong>{server.name}</strong>
                                <div><small>{format(_("by $0, image $1"), originText(server.origin), server.image)}</small></div>
                            </Td>
                            <Td dataLabel={_("State")} data-field="state">
                                {stateText(server)} {healthLabel(server, health.get(server.name))}
                            </Td>
                            <Td dataLabel={_("Model")} modifier="breakWord"><ModelCell model={server.model} /></Td>
                            <Td dataLabel={_("Endpoint")} data-field="endpoint">
                                {url ?? '—'}
                                {server.ports.some(p => p.hostIp === '' || p.hostIp === '0.0.0.0') &&
                                    <div><Label color="orange" isCompact>{_("all interfaces")}</Label></div>}
                            </Td>
                            <Td dataLabel={_("GPUs")} data-field="gpus">
                                {gpuText(server)}
                                {gpuMemory.has(server.name) && <div><small>{gpuMemoryText(gpuMemory.get(server.name) ?? 0)}</small></div>}
                            </Td>
                            <Td dataLabel={_("Uptime")} modifier="nowrap">{uptimeText(server, now)}</Td>
                            <Td dataLabel={_("At boot")} data-field="boot">{boot ? boot.unitName : _("no")}</Td>
                            <Td isActionCell><ActionsColumn items={actionsFor(server)} /></Td>
                        </Tr>
                    );
                })}
            </Tbody>
        </Table>
    );
}
