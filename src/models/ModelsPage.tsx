// The Models tab: local inference servers under podman, how they are kept private, and
// their lifecycle. Reads are podman API calls and file reads; the list follows podman's
// event stream.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, EmptyState, EmptyStateActions, EmptyStateBody,
    EmptyStateFooter, ExpandableSection, Skeleton, Stack, StackItem,
} from '@patternfly/react-core';
import { PlusIcon } from '@patternfly/react-icons';
import { useMemo, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { hostPath } from '../../pkg/lib/host-root';
import { run } from '../../pkg/lib/run';
import { useAdmin } from '../../pkg/lib/use-admin';
import { useNow } from '../../pkg/lib/use-now';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { ErrorAlert } from '../app/ErrorAlert';
import { useHostCapabilities } from '../system/host-capabilities-context';
import { hasTool } from '../system/capabilities';
import { useComputeAppsLive } from '../gpus/use-gpu-live';
import { createServer } from './create-server';
import { CreateServerDialog, type CreateRequest } from './CreateServerDialog';
import type { ModelServer } from './model-server';
import { applyFirewall, checkModelPathOnHost, installBootUnit, removeBootUnit } from './models-host';
import type { PodmanClient } from './podman-client';
import { planServer } from './server-form';
import { ServerDetailsModal } from './ServerDetailsModal';
import { bootUnitOf, ServersTable, type ServerAction } from './ServersTable';
import { TryItModal } from './TryItModal';
import { hasQuadlet } from './libpod-version';
import { gpuMemoryByServer } from './server-gpu-memory';
import { useCdiFacts } from './use-cdi';
import { useModels, type ModelsData } from './use-models';
import { useServerHealth } from './use-server-health';

type Dialog =
    | { kind: 'create' }
    | { kind: 'details', name: string }
    | { kind: 'try', name: string }
    | { kind: 'delete', name: string }
    | { kind: 'boot-off', name: string };

function FirewallCard({ data }: { data: ModelsData }) {
    const fw = data.firewall;
    return (
        <Card id="models-firewall-card" isCompact>
            <CardHeader><CardTitle component="h2">{_("Outbound network of model servers")}</CardTitle></CardHeader>
            <CardBody>
                {data.firewallError !== null && <ErrorAlert title={_("The nftables rules could not be read")} error={data.firewallError} onRetry={data.reloadFirewall} />}
                {fw && fw.loaded &&
                    <Alert variant="success" isInline isPlain id="models-firewall-state" data-loaded="true"
                        title={format(_("Blocked: servers created here answer on their port but cannot open connections ($0 refused so far)."),
                                      fw.refusedOutbound + fw.refusedToHost)} />}
                {fw && !fw.loaded &&
                    <Alert variant="info" isInline isPlain id="models-firewall-state" data-loaded="false"
                        title={_("Not loaded yet: the rules are loaded when the first server is created here.")} />}
                <ExpandableSection toggleText={_("How it is enforced")} id="models-firewall-how">
                    <p>{_("The servers join the podman network ai-workstation (interface aiwsm0). The nftables table inet ai_workstation_models rejects every new connection that starts from that interface, to the internet and to this host; replies to connections made to a server's published port pass. The table is loaded from /etc/cockpit-ai-workstation/models.nft at boot by ai-workstation-models-firewall.service, before the servers start.")}</p>
                    {fw?.rules.map(rule => <pre key={rule}>{rule}</pre>)}
                </ExpandableSection>
            </CardBody>
        </Card>
    );
}

function AccessState({ data, onStartSocket }: { data: ModelsData, onStartSocket: (() => void) | null }) {
    switch (data.access.kind) {
    case 'checking':
        return <Skeleton screenreaderText={_("Connecting to podman")} />;
    case 'no-podman':
        return (
            <EmptyState titleText={_("podman is not installed")} headingLevel="h2" id="models-empty">
                <EmptyStateBody>{_("Model servers run as podman containers. Install podman on the host (dnf install podman, apt install podman), then reload this page.")}</EmptyStateBody>
            </EmptyState>
        );
    case 'no-socket':
        return (
            <EmptyState titleText={_("podman's API service is not running")} headingLevel="h2" id="models-empty">
                <EmptyStateBody>{_("This page talks to podman through /run/podman/podman.sock, which podman.socket provides.")}</EmptyStateBody>
                {onStartSocket &&
                    <EmptyStateFooter><EmptyStateActions>
                        <Button variant="primary" onClick={onStartSocket} id="models-start-socket">{_("Start podman.socket")}</Button>
                    </EmptyStateActions></EmptyStateFooter>}
            </EmptyState>
        );
    case 'needs-admin':
        return (
            <EmptyState titleText={_("Administrative access is needed")} headingLevel="h2" id="models-empty">
                <EmptyStateBody>{_("Model servers run under the system's podman, which only administrators can reach. Turn on administrative access in Cockpit's top bar.")}</EmptyStateBody>
            </EmptyState>
        );
    case 'ready':
        return null;
    }
}

export function ModelsPage() {
    const admin = useAdmin();
    const caps = useHostCapabilities();
    const ready = caps.state.status === 'ready' ? caps.state.data : null;
    const data = useModels(admin, ready ? hasTool(ready, 'podman') : null, ready ? ready.podmanSocket : null);
    const cdi = useCdiFacts();
    const health = useServerHealth(data.servers);
    // nvidia-smi's process stream runs only while a server here has GPUs
    const gpuServersRunning = (data.servers ?? []).some(s => s.state === 'running' && s.gpus.kind !== 'none');
    const computeApps = useComputeAppsLive(ready !== null && hasTool(ready, 'nvidia-smi') && gpuServersRunning);
    const now = useNow(30_000);
    const [dialog, setDialog] = useState<Dialog | null>(null);
    const [busy, setBusy] = useState<string | null>(null);
    const [actionError, setActionError] = useState<unknown>(null);
    const client: PodmanClient | null = data.access.kind === 'ready' ? data.access.client : null;
    const servers = useMemo(() => data.servers ?? [], [data.servers]);
    const byName = (name: string) => servers.find(s => s.name === name) ?? null;
    const gpuMemory = useMemo(() => gpuMemoryByServer(servers, computeApps.apps, computeApps.owners),
                              [servers, computeApps.apps, computeApps.owners]);

    const runAction = async (name: string, work: () => Promise<unknown>) => {
        setBusy(name);
        setActionError(null);
        try {
            await work();
        } catch (e) {
            setActionError(e);
        } finally {
            setBusy(null);
            data.reload();
        }
    };

    const reason = (server: ModelServer, action: ServerAction): string | null => {
        if (admin !== true)
            return _("Turn on administrative access to change model servers.");
        if (busy === server.name && action !== 'details' && action !== 'try')
            return _("An action on this server is running.");
        if (action === 'try' && !server.endpoint)
            return _("The server publishes no port on the host.");
        return null;
    };

    const onAction = (server: ModelServer, action: ServerAction) => {
        if (!client)
            return;
        switch (action) {
        case 'start': return void runAction(server.name, () => client.start(server.name));
        case 'stop': return void runAction(server.name, () => client.stop(server.name));
        case 'restart': return void runAction(server.name, () => client.restart(server.name));
        case 'details': return setDialog({ kind: 'details', name: server.name });
        case 'try': return setDialog({ kind: 'try', name: server.name });
        case 'delete': return setDialog({ kind: 'delete', name: server.name });
        case 'boot-off': return setDialog({ kind: 'boot-off', name: server.name });
        case 'boot-on': return void runAction(server.name, async () => {
            const details = await client.inspect(server.name);
            const entry = data.catalog.find(e => e.id === server.catalogId);
            if (!entry)
                throw new Error(format(_("The catalog has no entry $0 any more; create the server again to start it at boot."), server.catalogId ?? '?'));
            const portMapping = details.ports[0];
            const plan = planServer(entry, {
                name: server.name,
                image: server.image,
                modelPath: server.model ?? '',
                gpus: server.gpus,
                hostPort: String(portMapping?.hostPort ?? entry.defaultHostPort),
                containerPort: String(portMapping?.containerPort ?? entry.containerPort),
                exposeOnAllInterfaces: portMapping?.hostIp === '0.0.0.0' || portMapping?.hostIp === '',
                memoryLimit: details.memoryLimit ? `${Math.round(details.memoryLimit / 1024 ** 2)}m` : entry.memoryLimit,
                contextSize: String(entry.contextSize),
                extraArgs: '',
            }, []);
            if (!plan.ok)
                throw new Error(Object.values(plan.problems).join(' '));
            // the unit runs exactly the command the container runs now
            await installBootUnit({ ...plan.plan, image: server.image, command: details.command });
        });
        }
    };

    const create = async (request: CreateRequest, onStep: (line: string) => void) => {
        if (!client)
            return;
        const names = await client.containerNames();
        const plan = planServer(request.entry, request.form, names);
        if (!plan.ok)
            throw new Error(Object.values(plan.problems).join(' '));
        await createServer(request.entry, plan.plan, request.startAtBoot, {
            checkModelPath: checkModelPathOnHost,
            mountSource: hostPath,
            imageExists: ref => client.imageExists(ref),
            pullImage: (ref, onLine) => client.pullImage(ref, onLine).done,
            applyFirewall,
            ensurePrivateNetwork: () => client.ensurePrivateNetwork(),
            create: body => client.create(body),
            start: name => client.start(name),
            inspect: name => client.inspect(name),
            logsTail: name => client.logsTail(name),
            remove: name => client.remove(name),
            installBootUnit,
            sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
        }, onStep);
        data.reload();
        data.reloadFirewall();
    };

    const startSocket = admin === true
        ? () => void run(['systemctl', 'enable', '--now', 'podman.socket'], { admin: true }).then(() => caps.reload(), setActionError)
        : null;

    const dialogServer = dialog && dialog.kind !== 'create' ? byName(dialog.name) : null;
    const orphanQuadlets = data.quadlets.filter(q => q.managed && !servers.some(s => s.name === q.containerName));

    return (
        <Stack hasGutter id="models-page">
            {data.access.kind !== 'ready' && <StackItem><AccessState data={data} onStartSocket={startSocket} /></StackItem>}
            {actionError !== null && <StackItem><ErrorAlert title={_("The action failed")} error={actionError} /></StackItem>}
            {data.access.kind === 'ready' && <>
                <StackItem>
                    <Card id="models-servers-card">
                        <CardHeader actions={{
                            actions: <Button variant="primary" icon={<PlusIcon />} onClick={() => setDialog({ kind: 'create' })} isDisabled={admin !== true} id="models-create">{_("Create server")}</Button>,
                            hasNoOffset: true,
                        }}>
                            <CardTitle component="h2">{_("Model servers")}</CardTitle>
                        </CardHeader>
                        <CardBody>
                            {data.eventsDown && <Alert variant="warning" isInline isPlain title={_("podman's event stream ended; the list may be out of date until it reconnects.")} />}
                            {data.catalogProblems.map(p => <Alert key={p.tool} variant="warning" isInline isPlain title={format(_("A catalog file was ignored: $0: $1"), p.tool, p.message)} />)}
                            {data.error !== null && <ErrorAlert title={_("podman could not list its containers")} error={data.error} onRetry={data.reload} />}
                            {data.servers === null && data.error === null && <Skeleton screenreaderText={_("Listing model servers")} />}
                            {data.servers !== null && servers.length === 0 &&
                                <EmptyState titleText={_("No model servers yet")} headingLevel="h3" id="models-none">
                                    <EmptyStateBody>{_("Create one from the catalog: llama.cpp, vLLM, Ollama or your own image. Servers made by RamaLama or Podman AI Lab show up here too.")}</EmptyStateBody>
                                    {admin === true &&
                                        <EmptyStateFooter><EmptyStateActions>
                                            <Button variant="secondary" onClick={() => setDialog({ kind: 'create' })} id="models-create-empty">{_("Create server")}</Button>
                                        </EmptyStateActions></EmptyStateFooter>}
                                </EmptyState>}
                            {servers.length > 0 &&
                                <ServersTable servers={servers} quadlets={data.quadlets} health={health} gpuMemory={gpuMemory} now={now} reason={reason} onAction={onAction} />}
                            {data.podmanVersion && !hasQuadlet(data.podmanVersion) && data.quadlets.length > 0 &&
                                <Alert variant="warning" isInline isPlain id="models-no-quadlet"
                                    title={format(_("podman $0 has no Quadlet (it came with podman 4.4): the servers set to start at boot are not started at boot until podman is updated."), data.podmanVersion.version)} />}
                            {orphanQuadlets.length > 0 &&
                                <Alert variant="info" isInline isPlain id="models-boot-only"
                                    title={format(_("Set to start at boot, not running now: $0"), orphanQuadlets.map(q => q.unitName).join(', '))} />}
                        </CardBody>
                    </Card>
                </StackItem>
                <StackItem><FirewallCard data={data} /></StackItem>
            </>}
            {dialog?.kind === 'create' && client &&
                <CreateServerDialog catalog={data.catalog} servers={servers} takenNames={servers.map(s => s.name)} cdi={cdi} podmanVersion={data.podmanVersion}
                    checkPath={checkModelPathOnHost} onCreate={create} onClose={() => setDialog(null)} />}
            {dialog?.kind === 'details' && dialogServer && client &&
                <ServerDetailsModal server={dialogServer} client={client} firewall={data.firewall} onClose={() => setDialog(null)} />}
            {dialog?.kind === 'try' && dialogServer &&
                <TryItModal server={dialogServer} entry={data.catalog.find(e => e.id === dialogServer.catalogId) ?? null} onClose={() => setDialog(null)} />}
            {dialog?.kind === 'delete' && dialogServer && client &&
                <ConfirmDialog id="delete-server-dialog" onClose={() => setDialog(null)}
                    steps={[{
                        title: format(_("Delete $0?"), dialogServer.name),
                        body: <>
                            <p>{_("The container is stopped and removed now. The model files stay where they are.")}</p>
                            {bootUnitOf(dialogServer, data.quadlets) &&
                                <p>{format(_("Its boot unit $0 is removed too, so it does not come back at the next boot."), bootUnitOf(dialogServer, data.quadlets)?.unitName ?? '')}</p>}
                        </>,
                        confirmLabel: _("Delete"),
                    }]}
                    onConfirm={async () => {
                        const boot = bootUnitOf(dialogServer, data.quadlets);
                        if (boot)
                            await removeBootUnit(boot.fileName);
                        await client.remove(dialogServer.name);
                        data.reload();
                    }} />}
            {dialog?.kind === 'boot-off' && dialogServer &&
                <ConfirmDialog id="boot-off-dialog" variant="warning" onClose={() => setDialog(null)}
                    steps={[{
                        title: format(_("Stop starting $0 at boot?"), dialogServer.name),
                        body: <p>{_("The Quadlet file is removed and systemd reloaded. The server keeps running now; after the next boot it is not started.")}</p>,
                        confirmLabel: _("Do not start at boot"),
                    }]}
                    onConfirm={async () => {
                        const boot = bootUnitOf(dialogServer, data.quadlets);
                        if (boot)
                            await removeBootUnit(boot.fileName);
                        data.reload();
                    }} />}
        </Stack>
    );
}
