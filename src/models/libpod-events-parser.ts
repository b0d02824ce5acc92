// GET /libpod/events?stream=true → container events, one JSON object a line. The page
// listens to them instead of polling the container list (DESIGN decision 6). Shapes as
// podman 4.3.1 sends them (test/fixtures/podman/libpod-events-4.3.1.jsonl).
import { FieldReader, parseJson } from './libpod-error';
import { healthWord } from './libpod-containers-parser';
import type { ContainerHealth } from './model-server';

export type ContainerEventStatus =
    | 'create' | 'init' | 'start' | 'died' | 'stop' | 'remove' | 'health_status' | 'cleanup' | 'kill'
    | 'pause' | 'unpause' | 'restart' | 'mount' | 'unmount' | 'exec' | 'exec_died' | 'attach' | 'other';

const STATUSES: readonly ContainerEventStatus[] = [
    'create', 'init', 'start', 'died', 'stop', 'remove', 'health_status', 'cleanup', 'kill',
    'pause', 'unpause', 'restart', 'mount', 'unmount', 'exec', 'exec_died', 'attach',
];

export interface ContainerEvent {
    id: string;
    name: string;
    status: ContainerEventStatus;
    /** ms since epoch. */
    time: number;
    /** The container's labels (podman sends them with every event). */
    labels: Record<string, string>;
    /** With health_status: the health podman read when it sent the event. */
    healthStatus?: ContainerHealth;
    /** With died: the exit code of the container's main process. */
    exitCode?: number;
}

// keys podman adds to Actor.Attributes next to the labels; a label with one of these
// names is shadowed by podman's value, which we cannot undo
const PODMAN_ATTRIBUTES = new Set(['name', 'image', 'podId', 'containerExitCode']);

/** One line of the stream; null for a blank line or an event about something else. */
export function parseEventLine(line: string): ContainerEvent | null {
    if (line.trim() === '')
        return null;
    const r: FieldReader = new FieldReader('event', line);
    const event = r.record(parseJson(line, 'event'), 'event');
    if (r.optString(event.Type, 'Type') !== 'container')
        return null;
    const actor = r.optRecord(event.Actor, 'Actor') ?? {};
    const attributes = r.stringMap(actor.Attributes, 'Actor.Attributes');
    const id = r.optString(event.id, 'id') || r.optString(actor.ID, 'Actor.ID');
    if (id === '')
        r.fail('a container event without an id');
    const raw = r.optString(event.status, 'status') || r.optString(event.Action, 'Action');
    const status = eventStatus(raw);
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(attributes))
        if (!PODMAN_ATTRIBUTES.has(key))
            labels[key] = value;
    const result: ContainerEvent = { id, name: attributes.name ?? '', status, time: eventTime(r, event), labels };
    if (status === 'health_status')
        result.healthStatus = healthWord(r.optString(event.HealthStatus, 'HealthStatus'));
    if (status === 'died' && attributes.containerExitCode !== undefined && /^-?\d+$/.test(attributes.containerExitCode))
        result.exitCode = Number(attributes.containerExitCode);
    return result;
}

function eventStatus(raw: string): ContainerEventStatus {
    // Docker's compat stream says die
    const status = raw === 'die' ? 'died' : raw;
    return (STATUSES as readonly string[]).includes(status) ? status as ContainerEventStatus : 'other';
}

// timeNano is beyond 2^53, so JSON.parse rounds it, but only below the microsecond
function eventTime(r: FieldReader, event: Record<string, unknown>): number {
    const nano = r.number(event.timeNano, 'timeNano');
    if (nano > 0)
        return Math.floor(nano / 1e6);
    return r.number(event.time, 'time') * 1000;
}


