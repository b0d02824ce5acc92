// GET /libpod/containers/json?all=true → the inference servers among the host's
// containers: ours (our labels), RamaLama's and Podman AI Lab's (their labels). Field
// shapes are the ones podman 4.3.1 sends (test/fixtures/podman); see the notes below
// where they differ from Docker's list or from podman's own inspect.
import type { ServedApi } from './catalog';
import { FieldReader, parseJson } from './libpod-error';
import {
    LABEL,
    type ContainerHealth, type ContainerState, type GpuAssignment, type ModelServer, type PublishedPort, type ServerOrigin,
} from './model-server';

const RAMALAMA = 'ai.ramalama';
const RAMALAMA_MODEL = 'ai.ramalama.model';
const RAMALAMA_PORT = 'ai.ramalama.port';
const AI_LAB = 'ai-lab-inference-server';
const AI_LAB_API = 'api';
const SYSTEMD_UNIT = 'PODMAN_SYSTEMD_UNIT';

/** Who made a container, from its labels; null when it is not an inference server we know. */
export function serverOrigin(labels: Record<string, string> | null | undefined): ServerOrigin | null {
    if (!labels)
        return null;
    if (labels[LABEL.managed] === 'true')
        return 'ai-workstation';
    // older RamaLama releases set only some of the ai.ramalama.* labels
    if (RAMALAMA in labels || Object.keys(labels).some(key => key.startsWith(RAMALAMA + '.')))
        return 'ramalama';
    if (AI_LAB in labels)
        return 'ai-lab';
    return null;
}

export function isInferenceServer(labels: Record<string, string> | null | undefined): boolean {
    return serverOrigin(labels) !== null;
}

export function parseContainerList(text: string): ModelServer[] {
    const r: FieldReader = new FieldReader('container list', text);
    const list = parseJson(text, 'container list');
    if (!Array.isArray(list))
        r.fail('not a list of containers');
    const servers: ModelServer[] = [];
    list.forEach((item, i) => {
        const entry = r.record(item, `container ${i}`);
        const labels = r.stringMap(entry.Labels, 'Labels');
        const origin = serverOrigin(labels);
        if (origin)
            servers.push(toServer(r, entry, labels, origin));
    });
    return servers;
}

function toServer(r: FieldReader, entry: Record<string, unknown>, labels: Record<string, string>, origin: ServerOrigin): ModelServer {
    const id = r.string(entry.Id, 'Id');
    const names = r.strings(entry.Names, 'Names');
    const state = containerState(r.optString(entry.State, 'State'));
    const ports = r.array(entry.Ports, 'Ports').flatMap((port, i) => publishedPorts(r, port, i));
    const startedAt = r.number(entry.StartedAt, 'StartedAt');
    const pid = r.number(entry.Pid, 'Pid');
    const stopped = state === 'exited' || state === 'stopped' || r.boolean(entry.Exited, 'Exited');
    return {
        id,
        name: (names[0] ?? id.slice(0, 12)).replace(/^\//, ''),
        origin,
        state,
        health: listHealth(r, entry),
        image: r.optString(entry.Image, 'Image'),
        model: modelOf(origin, labels),
        catalogId: labels[LABEL.catalog] || null,
        api: servedApi(labels[LABEL.api]),
        ports,
        endpoint: endpointOf(origin, labels, ports),
        gpus: gpusOf(labels[LABEL.gpus]),
        // podman sends Go's zero time (-62135596800) for a container never started
        startedAt: startedAt > 0 ? startedAt * 1000 : null,
        exitCode: stopped ? r.number(entry.ExitCode, 'ExitCode') : null,
        systemdUnit: labels[SYSTEMD_UNIT] || null,
        pid: pid > 0 ? pid : null,
        labels,
    };
}

const STATES: readonly ContainerState[] = ['created', 'initialized', 'running', 'paused', 'stopping', 'stopped', 'exited', 'removing'];

export function containerState(value: string): ContainerState {
    const state = value.toLowerCase();
    return (STATES as readonly string[]).includes(state) ? state as ContainerState : 'unknown';
}

/** podman's health words; '' (no healthcheck, or not yet run) is 'none'. */
export function healthWord(value: string): ContainerHealth {
    switch (value.toLowerCase()) {
    case 'healthy':
        return 'healthy';
    case 'unhealthy':
        return 'unhealthy';
    case 'starting':
    case 'health: starting':
        return 'starting';
    default:
        return 'none';
    }
}

// podman 4.3's list puts the bare health word in Status ("healthy", "starting", '') and
// has no Health field; Docker's list (and the compat endpoint) says "Up 3 minutes (healthy)".
function listHealth(r: FieldReader, entry: Record<string, unknown>): ContainerHealth {
    if (typeof entry.Health === 'string')
        return healthWord(entry.Health);
    const health = r.optRecord(entry.Health, 'Health');
    if (health)
        return healthWord(r.optString(health.Status, 'Health.Status'));
    const status = r.optString(entry.Status, 'Status');
    const inParens = /\((healthy|unhealthy|health: starting|starting)\)/.exec(status);
    return healthWord(inParens ? inParens[1] : status);
}

// a range publishes host_port..host_port+range-1 onto container_port..; podman caps ranges at 65535
function publishedPorts(r: FieldReader, value: unknown, i: number): PublishedPort[] {
    const port = r.record(value, `Ports[${i}]`);
    const hostIp = r.optString(port.host_ip, 'host_ip');
    const hostPort = r.number(port.host_port, 'host_port');
    const containerPort = r.number(port.container_port, 'container_port');
    const protocol = r.optString(port.protocol, 'protocol', 'tcp') || 'tcp';
    const range = Math.max(1, r.number(port.range, 'range', 1));
    const out: PublishedPort[] = [];
    for (let k = 0; k < range; k++)
        out.push({ hostIp, hostPort: hostPort + k, containerPort: containerPort + k, protocol });
    return out;
}

function modelOf(origin: ServerOrigin, labels: Record<string, string>): string | null {
    switch (origin) {
    case 'ai-workstation':
        return labels[LABEL.model] || null;
    case 'ramalama':
        return labels[RAMALAMA_MODEL] || null;
    case 'ai-lab':
        return aiLabModels(labels[AI_LAB] ?? '');
    }
}

// AI Lab stores a JSON array of model ids; someone else's hand-made label must not hide
// the container, so anything else is shown as written
function aiLabModels(label: string): string | null {
    if (label.trim() === '')
        return null;
    try {
        const ids: unknown = JSON.parse(label);
        if (Array.isArray(ids) && ids.every(id => typeof id === 'string'))
            return ids.length > 0 ? ids.join(', ') : null;
    } catch {
        // shown raw below
    }
    return label;
}

function servedApi(label: string | undefined): ServedApi {
    return label === 'ollama' ? 'ollama' : 'openai';
}

export function gpusOf(label: string | undefined): GpuAssignment {
    const value = (label ?? '').trim();
    if (value === 'all')
        return { kind: 'all' };
    const devices = value.split(',').map(d => d.trim()).filter(d => d !== '' && d !== 'none');
    return devices.length > 0 ? { kind: 'some', devices } : { kind: 'none' };
}

function portNumber(value: string | undefined): number | null {
    if (value === undefined || !/^\d{1,5}$/.test(value.trim()))
        return null;
    const port = Number(value);
    return port > 0 && port <= 65535 ? port : null;
}

function urlPort(url: string | undefined): number | null {
    const match = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/:?#]*):(\d+)/i.exec((url ?? '').trim());
    return match ? portNumber(match[1]) : null;
}

function endpointOf(origin: ServerOrigin, labels: Record<string, string>, ports: PublishedPort[]): ModelServer['endpoint'] {
    const tcp = ports.filter(p => p.protocol === 'tcp');
    let port: PublishedPort | undefined;
    if (origin === 'ramalama' && RAMALAMA_PORT in labels) {
        const containerPort = portNumber(labels[RAMALAMA_PORT]);
        port = tcp.find(p => p.containerPort === containerPort);
    } else if (origin === 'ai-lab') {
        // the api label names the host side (http://localhost:<hostport>/v1)
        const hostPort = urlPort(labels[AI_LAB_API]);
        port = tcp.find(p => p.hostPort === hostPort) ?? tcp[0];
    } else {
        // our catalog's container port is not in a label; our containers publish one port
        port = tcp[0];
    }
    return port ? { host: endpointHost(port.hostIp), port: port.hostPort } : null;
}

/** Where the host itself reaches a published port: loopback when it listens on all interfaces. */
export function endpointHost(hostIp: string): string {
    return hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::' || hostIp === '127.0.0.1' ? '127.0.0.1' : hostIp;
}
