// What the host offers, as the capability probe found it.
import type { OsRelease } from './os-release-parser';

export const PROBED_TOOLS = ['rpm-ostree', 'bootc', 'nvidia-smi', 'podman', 'nft', 'conntrack', 'ss'] as const;
export type ProbedTool = typeof PROBED_TOOLS[number];

export interface HostCapabilities {
    /** Root prefix of host files; empty on a real host. */
    root: string;
    /** Running kernel release, null when the host did not tell. */
    kernel: string | null;
    /** /run/ostree-booted exists: the host boots an ostree deployment. */
    ostreeBooted: boolean;
    /** Each tool's path on the bridge's PATH, or null when the host lacks it. */
    tools: Record<ProbedTool, string | null>;
    /** podman's API socket /run/podman/podman.sock exists. */
    podmanSocket: boolean;
    /** null when the host has no readable os-release. */
    os: OsRelease | null;
    osReleasePath: string | null;
}

/** How the host's operating system is installed and updated. */
export type UpdateModel =
    | 'rpm-ostree' // image-based, managed by rpm-ostree (Fedora Atomic, Universal Blue, RHEL for Edge)
    | 'bootc' // image-based, managed by bootc only
    | 'ostree' // ostree-booted, but neither rpm-ostree nor bootc is installed
    | 'package'; // a classic package-based host

export function updateModel(caps: HostCapabilities): UpdateModel {
    if (!caps.ostreeBooted)
        return 'package';
    if (caps.tools['rpm-ostree'])
        return 'rpm-ostree';
    if (caps.tools.bootc)
        return 'bootc';
    return 'ostree';
}

export function hasTool(caps: HostCapabilities, tool: ProbedTool): boolean {
    return caps.tools[tool] !== null;
}
