// A server plan as the body of libpod's POST /containers/create (its SpecGenerator), with
// the hardening the plan promises: no capabilities, no privilege gain, the model mounted
// read-only, the port published on the address the admin chose, and the private network
// whose outbound traffic nftables refuses. The Quadlet file (quadlet.ts) says the same
// for systemd. Pure.
import { PRIVATE_NETWORK, type GpuAssignment, type ServerPlan } from './model-server';
import { memoryBytes } from './server-form';

/** The fields of libpod's SpecGenerator this page sets (podman ≥ 4.0). */
export interface ContainerCreateBody {
    name: string;
    image: string;
    command: string[];
    env: Record<string, string>;
    labels: Record<string, string>;
    cap_drop: string[];
    no_new_privileges: boolean;
    read_only_filesystem: boolean;
    mounts: { type: 'bind', source: string, destination: string, options: string[] }[];
    portmappings: { host_ip: string, host_port: number, container_port: number, protocol: 'tcp' }[];
    netns: { nsmode: 'bridge' };
    Networks: Record<string, Record<string, never>>;
    resource_limits: { memory: { limit: number } };
    shm_size?: number;
    devices: { path: string }[];
    healthconfig?: { Test: string[], Interval: number, Timeout: number, Retries: number, StartPeriod: number };
}

const SECOND_NS = 1_000_000_000;

export const HEALTH_TIMING = { intervalS: 30, timeoutS: 5, retries: 3, startPeriodS: 60 } as const;

/** CDI device names: the container runtime resolves them through /etc/cdi or /var/run/cdi. */
export function cdiDevices(gpus: GpuAssignment): string[] {
    if (gpus.kind === 'all')
        return ['nvidia.com/gpu=all'];
    if (gpus.kind === 'some')
        return gpus.devices.map(device => device.includes('=') ? device : `nvidia.com/gpu=${device}`);
    return [];
}

/**
 * The host address of the port mapping: all interfaces is no address at all, as podman's
 * own `-p 8080:8080` sends it. An explicit 0.0.0.0 makes netavark 1.4 (Debian 12) match
 * the destination 0.0.0.0/32 literally, so connections from the host itself are never
 * forwarded (recorded here: its NETAVARK-DN chain holds `-d 0.0.0.0/32`).
 */
export function publishAddress(plan: Pick<ServerPlan, 'hostAddress'>): string {
    return plan.hostAddress === '0.0.0.0' ? '' : plan.hostAddress;
}

export function containerCreateBody(plan: ServerPlan): ContainerCreateBody {
    const memory = memoryBytes(plan.memoryLimit);
    if (memory === null)
        throw new Error(`memory limit ${plan.memoryLimit} was not validated`);
    const shm = plan.shmSize === null ? null : memoryBytes(plan.shmSize);
    return {
        name: plan.name,
        image: plan.image,
        command: plan.command,
        env: plan.env,
        labels: plan.labels,
        cap_drop: ['ALL'],
        no_new_privileges: true,
        read_only_filesystem: plan.readOnlyRoot,
        // nosuid/nodev: a model file is data; no relabel (:z) so shared model folders keep their labels
        mounts: [{ type: 'bind', source: plan.modelHostPath, destination: plan.modelContainerPath, options: ['ro', 'nosuid', 'nodev'] }],
        portmappings: [{ host_ip: publishAddress(plan), host_port: plan.hostPort, container_port: plan.containerPort, protocol: 'tcp' }],
        netns: { nsmode: 'bridge' },
        Networks: { [PRIVATE_NETWORK]: {} },
        resource_limits: { memory: { limit: memory } },
        ...(shm !== null ? { shm_size: shm } : {}),
        devices: cdiDevices(plan.gpus).map(path => ({ path })),
        ...(plan.healthCmd
            ? {
                healthconfig: {
                    Test: ['CMD', ...plan.healthCmd],
                    Interval: HEALTH_TIMING.intervalS * SECOND_NS,
                    Timeout: HEALTH_TIMING.timeoutS * SECOND_NS,
                    Retries: HEALTH_TIMING.retries,
                    StartPeriod: HEALTH_TIMING.startPeriodS * SECOND_NS,
                },
            }
            : {}),
    };
}
