// The Models tab's picture of the host: inference servers under podman, as the libpod
// API described them, and the plan of a server the admin is about to create.
import type { ServedApi } from './catalog';

/** Who made the container: this page (our labels), RamaLama, Podman AI Lab. */
export type ServerOrigin = 'ai-workstation' | 'ramalama' | 'ai-lab';

/** libpod's container states (State in /libpod/containers/json). */
export type ContainerState =
    | 'created' | 'initialized' | 'running' | 'paused' | 'stopping' | 'stopped' | 'exited' | 'removing' | 'unknown';

/** podman's healthcheck status; 'none' when the container has no healthcheck. */
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface PublishedPort {
    hostIp: string; // '' = all interfaces
    hostPort: number;
    containerPort: number;
    protocol: string;
}

/** GPUs given to the container: CDI names (nvidia.com/gpu=all, =0, =GPU-…), or none. */
export type GpuAssignment =
    | { kind: 'none' }
    | { kind: 'all' }
    | { kind: 'some', devices: string[] };

export interface ModelServer {
    id: string;
    name: string;
    origin: ServerOrigin;
    state: ContainerState;
    health: ContainerHealth;
    image: string;
    /** What the labels say the server serves (a host path for ours, a model reference for RamaLama). */
    model: string | null;
    catalogId: string | null;
    api: ServedApi;
    ports: PublishedPort[];
    /** The port the API is reached on from the host, when one is published. */
    endpoint: { host: string, port: number } | null;
    gpus: GpuAssignment;
    /** Container start time (ms since epoch), null when never started. */
    startedAt: number | null;
    exitCode: number | null;
    /** The Quadlet unit that runs it at boot (PODMAN_SYSTEMD_UNIT label), null when none. */
    systemdUnit: string | null;
    /** Main process pid on the host while running (for the GPUs tab's process mapping). */
    pid: number | null;
    labels: Record<string, string>;
}

/** What the create dialog produced once every field is valid: the single source for the container spec and the Quadlet file. */
export interface ServerPlan {
    name: string;
    catalogId: string;
    image: string;
    api: ServedApi;
    /** Host path of the model (file or folder) and where it appears inside. */
    modelHostPath: string;
    modelContainerPath: string;
    hostAddress: '127.0.0.1' | '0.0.0.0';
    hostPort: number;
    containerPort: number;
    gpus: GpuAssignment;
    /** podman's --memory form: 16g, 512m. */
    memoryLimit: string;
    shmSize: string | null;
    /** The container's command after the image's entrypoint, placeholders filled in. */
    command: string[];
    env: Record<string, string>;
    healthCmd: string[] | null;
    healthPath: string;
    readOnlyRoot: boolean;
    labels: Record<string, string>;
}

/** The podman network the page's servers join; outbound traffic from it is refused by nftables. */
export const PRIVATE_NETWORK = 'ai-workstation';
export const PRIVATE_INTERFACE = 'aiwsm0';

export const LABEL = {
    managed: 'ai-workstation.managed',
    catalog: 'ai-workstation.catalog',
    model: 'ai-workstation.model',
    api: 'ai-workstation.api',
    healthPath: 'ai-workstation.health-path',
    gpus: 'ai-workstation.gpus',
} as const;
