// What podman says about a running server's confinement, checked against what this page
// promises (container-spec.ts): read back from the container, never from what the page
// meant to set. Pure.
import { PRIVATE_NETWORK } from './model-server';
import type { ContainerDetails } from './libpod-inspect-parser';
import type { FirewallState } from './models-firewall';
import { MODEL_MOUNT_ROOT } from './server-form';

/**
 * podman's default capability set (containers.conf default_capabilities, podman 4.x):
 * with --cap-drop=all, inspect lists these one by one as dropped instead of "ALL".
 */
const PODMAN_DEFAULT_CAPABILITIES = [
    'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID',
    'SYS_CHROOT',
];

const bare = (cap: string) => cap.toUpperCase().replace(/^CAP_/, '');

export function dropsAllCapabilities(details: Pick<ContainerDetails, 'capDrop' | 'capAdd'>): boolean {
    if (details.capAdd.length > 0)
        return false;
    const dropped = new Set(details.capDrop.map(bare));
    return dropped.has('ALL') || PODMAN_DEFAULT_CAPABILITIES.every(cap => dropped.has(cap));
}

export type HardeningCheck =
    | 'capabilities' | 'no-new-privileges' | 'model-read-only' | 'read-only-root' | 'loopback-only' | 'no-outbound'
    | 'memory-limit';

export interface HardeningMark {
    check: HardeningCheck;
    ok: boolean;
}

export function hardeningMarks(details: ContainerDetails, firewall: FirewallState | null): HardeningMark[] {
    const modelMounts = details.mounts.filter(m => m.destination === MODEL_MOUNT_ROOT || m.destination.startsWith(`${MODEL_MOUNT_ROOT}/`));
    return [
        { check: 'capabilities', ok: dropsAllCapabilities(details) },
        { check: 'no-new-privileges', ok: details.noNewPrivileges },
        { check: 'model-read-only', ok: modelMounts.length > 0 && modelMounts.every(m => m.readOnly) },
        { check: 'read-only-root', ok: details.readOnlyRoot },
        { check: 'loopback-only', ok: details.ports.every(p => p.hostIp === '127.0.0.1') },
        { check: 'no-outbound', ok: details.networks.includes(PRIVATE_NETWORK) && (firewall?.loaded ?? false) },
        { check: 'memory-limit', ok: details.memoryLimit !== null },
    ];
}
