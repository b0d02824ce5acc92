// The deployments as the host has them now: read once, again when a watched ostree path
// changes (a transaction from elsewhere, a reboot of the staged deployment, a pin), and
// as a slow safety poll.
import { useState } from 'react';
import { useAdmin } from '../../pkg/lib/use-admin';
import { useWatchedResource, type WatchedResource } from '../../pkg/lib/use-watched-resource';
import { useHostCapabilities } from '../system/host-capabilities-context';
import { updateModel } from '../system/capabilities';
import type { DeploymentsTool } from './actions';
import type { DeploymentsStatus } from './deployment';
import { deploymentWatchPaths, readDeploymentsStatus, STATUS_POLL_MS } from './deployments-client';

export type DeploymentsSupport =
    | { kind: 'probing' }
    | { kind: 'managed', tool: DeploymentsTool }
    /** The host boots from ostree but has neither rpm-ostree nor bootc. */
    | { kind: 'ostree-only' }
    | { kind: 'package-based' };

export function useDeploymentsSupport(): DeploymentsSupport {
    const caps = useHostCapabilities();
    if (caps.state.status !== 'ready')
        return { kind: 'probing' };
    const model = updateModel(caps.state.data);
    switch (model) {
    case 'rpm-ostree':
    case 'bootc':
        return { kind: 'managed', tool: model };
    case 'ostree':
        return { kind: 'ostree-only' };
    case 'package':
        return { kind: 'package-based' };
    }
}

export function useDeployments(tool: DeploymentsTool | null): WatchedResource<DeploymentsStatus> {
    // bootc reads as root when it can (see readDeploymentsStatus); rpm-ostree needs no root
    const access = useAdmin();
    const admin = access === true && tool === 'bootc';
    // bootc's answer depends on the access Cockpit has not told yet: ask once it has
    const waiting = tool === 'bootc' && access === null;
    // the deployment folders to watch are named after the osnames the status reports
    const [osnames, setOsnames] = useState<string[]>([]);
    const resource = useWatchedResource(tool && !waiting
        ? async () => {
            const status = await readDeploymentsStatus(tool, admin);
            const names = [...new Set(status.deployments.map(d => d.osname).filter((n): n is string => !!n))].sort();
            setOsnames(previous => previous.join() === names.join() ? previous : names);
            return status;
        }
        : null, { watch: deploymentWatchPaths(osnames), pollMs: STATUS_POLL_MS }, [tool, admin, waiting]);
    return waiting ? { ...resource, loading: true } : resource;
}
