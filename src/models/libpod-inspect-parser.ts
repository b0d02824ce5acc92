// GET /libpod/containers/{name}/json → what the details view shows about one server:
// how it was started, what it may touch, and its healthcheck's recent results. Shapes as
// podman 4.3.1 sends them (test/fixtures/podman/libpod-container-inspect-*.json).
import { FieldReader, parseJson, type JsonRecord } from './libpod-error';
import { containerState, healthWord } from './libpod-containers-parser';
import type { ContainerHealth, ContainerState, PublishedPort } from './model-server';

export interface ContainerMount {
    source: string;
    destination: string;
    readOnly: boolean;
    /** bind, volume, tmpfs, … */
    type: string;
}

export interface HealthLogEntry {
    /** As podman wrote it (RFC 3339 with nanoseconds). */
    start: string;
    exitCode: number;
    output: string;
}

export interface ContainerDetails {
    id: string;
    name: string;
    image: string;
    imageId: string;
    /** ms since epoch; null when podman's date does not parse. */
    created: number | null;
    command: string[];
    entrypoint: string[];
    /** NAME=value, as given: the view decides what to reveal. */
    env: string[];
    mounts: ContainerMount[];
    capDrop: string[];
    capAdd: string[];
    noNewPrivileges: boolean;
    readOnlyRoot: boolean;
    /** bytes; null when unlimited. */
    memoryLimit: number | null;
    networks: string[];
    ports: PublishedPort[];
    /** Host device paths (PathOnHost). */
    devices: string[];
    health: { status: ContainerHealth, failingStreak: number, log: HealthLogEntry[] };
    /** podman's --restart form: 'no', 'always', 'on-failure:3', 'unless-stopped'. */
    restartPolicy: string;
    state: ContainerState;
    exitCode: number;
    /** The runtime's error when the container failed to start; '' when none. */
    error: string;
    oomKilled: boolean;
}

export function parseContainerInspect(text: string): ContainerDetails {
    const r: FieldReader = new FieldReader('container inspect', text);
    // GET /libpod/containers/{name}/json gives one object; `podman inspect` prints a list of them
    let value = parseJson(text, 'container inspect');
    if (Array.isArray(value) && value.length === 1)
        value = value[0];
    const c = r.record(value, 'container');
    const config = r.optRecord(c.Config, 'Config') ?? {};
    const host = r.optRecord(c.HostConfig, 'HostConfig') ?? {};
    const state = r.optRecord(c.State, 'State') ?? {};
    const network = r.optRecord(c.NetworkSettings, 'NetworkSettings') ?? {};
    const memory = r.number(host.Memory, 'HostConfig.Memory');
    const created = Date.parse(r.optString(c.Created, 'Created'));
    return {
        id: r.string(c.Id, 'Id'),
        name: r.optString(c.Name, 'Name').replace(/^\//, ''),
        image: r.optString(c.ImageName, 'ImageName') || r.optString(config.Image, 'Config.Image'),
        imageId: r.optString(c.Image, 'Image'),
        created: Number.isNaN(created) ? null : created,
        // Args is the argv after Path (the entrypoint's first word, or Cmd's when there is
        // none), so it is only a fallback for an answer without Config.Cmd
        command: config.Cmd === undefined ? r.strings(c.Args, 'Args') : r.strings(config.Cmd, 'Config.Cmd'),
        entrypoint: entrypointOf(r, config.Entrypoint),
        env: r.strings(config.Env, 'Config.Env'),
        mounts: r.array(c.Mounts, 'Mounts').map((m, i) => mountOf(r, m, i)),
        capDrop: r.strings(host.CapDrop, 'HostConfig.CapDrop'),
        capAdd: r.strings(host.CapAdd, 'HostConfig.CapAdd'),
        noNewPrivileges: r.strings(host.SecurityOpt, 'HostConfig.SecurityOpt').some(isNoNewPrivileges),
        readOnlyRoot: r.boolean(host.ReadonlyRootfs, 'HostConfig.ReadonlyRootfs'),
        memoryLimit: memory > 0 ? memory : null,
        networks: Object.keys(r.optRecord(network.Networks, 'NetworkSettings.Networks') ?? {}),
        ports: portsOf(r, r.optRecord(network.Ports, 'NetworkSettings.Ports') ?? {}),
        devices: r.array(host.Devices, 'HostConfig.Devices').map((d, i) =>
            r.string(r.record(d, `HostConfig.Devices[${i}]`).PathOnHost, `HostConfig.Devices[${i}].PathOnHost`)),
        health: healthOf(r, state),
        restartPolicy: restartOf(r, r.optRecord(host.RestartPolicy, 'HostConfig.RestartPolicy')),
        state: containerState(r.optString(state.Status, 'State.Status')),
        exitCode: r.number(state.ExitCode, 'State.ExitCode'),
        error: r.optString(state.Error, 'State.Error'),
        oomKilled: r.boolean(state.OOMKilled, 'State.OOMKilled'),
    };
}

// podman 4 joins the entrypoint into one string with spaces (podman 5 and Docker send a
// list); a word with a space in it cannot be told apart, which is podman's loss, not ours
function entrypointOf(r: FieldReader, value: unknown): string[] {
    if (typeof value === 'string')
        return value.split(' ').filter(word => word !== '');
    return r.strings(value, 'Config.Entrypoint');
}

function mountOf(r: FieldReader, value: unknown, i: number): ContainerMount {
    const m = r.record(value, `Mounts[${i}]`);
    return {
        source: r.optString(m.Source, 'Mounts.Source'),
        destination: r.string(m.Destination, 'Mounts.Destination'),
        // podman reports RW; a missing one is a read-write mount as in Docker
        readOnly: m.RW === undefined ? false : !r.boolean(m.RW, 'Mounts.RW'),
        type: r.optString(m.Type, 'Mounts.Type'),
    };
}

// Docker spells it no-new-privileges:true too, and =false turns it off
function isNoNewPrivileges(option: string): boolean {
    const match = /^no-new-privileges(?:[:=](\w+))?$/.exec(option);
    return match !== null && (match[1] === undefined || match[1] === 'true');
}

// "8080/tcp": [{HostIp, HostPort}], or null for a port the image exposes but nobody publishes
function portsOf(r: FieldReader, map: JsonRecord): PublishedPort[] {
    const out: PublishedPort[] = [];
    for (const [key, bindings] of Object.entries(map)) {
        const match = /^(\d+)(?:\/(\w+))?$/.exec(key);
        if (!match)
            r.fail(`port ${key} is not PORT/PROTOCOL`);
        for (const [i, b] of r.array(bindings, `Ports.${key}`).entries()) {
            const binding = r.record(b, `Ports.${key}[${i}]`);
            const hostPort = Number(r.string(binding.HostPort, 'HostPort'));
            if (!Number.isInteger(hostPort))
                r.fail(`HostPort of ${key} is not a number`);
            out.push({
                hostIp: r.optString(binding.HostIp, 'HostIp'),
                hostPort,
                containerPort: Number(match[1]),
                protocol: match[2] ?? 'tcp',
            });
        }
    }
    return out;
}

// podman 4.3 calls it State.Health (as Docker does); podman 3 said State.Healthcheck
function healthOf(r: FieldReader, state: JsonRecord): ContainerDetails['health'] {
    const health = r.optRecord(state.Health ?? state.Healthcheck, 'State.Health');
    if (!health)
        return { status: 'none', failingStreak: 0, log: [] };
    return {
        status: healthWord(r.optString(health.Status, 'Health.Status')),
        failingStreak: r.number(health.FailingStreak, 'Health.FailingStreak'),
        log: r.array(health.Log, 'Health.Log').map((item, i) => {
            const entry = r.record(item, `Health.Log[${i}]`);
            return {
                start: r.optString(entry.Start, 'Health.Log.Start'),
                exitCode: r.number(entry.ExitCode, 'Health.Log.ExitCode'),
                output: r.optString(entry.Output, 'Health.Log.Output'),
            };
        }),
    };
}

function restartOf(r: FieldReader, policy: JsonRecord | null): string {
    const name = policy ? r.optString(policy.Name, 'RestartPolicy.Name') : '';
    const retries = policy ? r.number(policy.MaximumRetryCount, 'RestartPolicy.MaximumRetryCount') : 0;
    if (name === '')
        return 'no';
    return name === 'on-failure' && retries > 0 ? `${name}:${retries}` : name;
}
