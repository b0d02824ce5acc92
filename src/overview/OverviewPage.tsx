// The Overview: what the host is, what it boots, whether the GPU works, and after a bad
// driver day the way back, first of all.
import { Gallery, Stack, StackItem } from '@patternfly/react-core';
import { useCallback } from 'react';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { DeploymentsSummaryCard } from '../deployments/DeploymentsSummaryCard';
import { useDeployments, useDeploymentsSupport } from '../deployments/use-deployments';
import { GpuSummaryCard } from '../gpus/GpuSummaryCard';
import { useGpuHealth } from '../gpus/use-gpu-health';
import { EgressSummaryCard } from '../egress/EgressSummaryCard';
import { ModelsSummaryCard } from '../models/ModelsSummaryCard';
import { OverviewRecovery } from '../kernel/OverviewRecovery';
import { useKernelRecords } from '../kernel/use-kernel-data';
import { useKnownGoodKeeper } from '../kernel/use-known-good-keeper';
import { SystemCard } from '../system/SystemCard';

export function OverviewPage({ admin }: { admin: AdminAccess }) {
    const support = useDeploymentsSupport();
    const deployments = useDeployments(support.kind === 'managed' ? support.tool : null);
    const health = useGpuHealth();
    const records = useKernelRecords();
    const managed = support.kind === 'managed';
    const reload = useCallback(() => {
        deployments.reload();
        records.reload();
        health.reload();
    }, [deployments, records, health]);
    useKnownGoodKeeper({ status: managed ? deployments.data : null, health, records: records.data, admin, reload });
    return (
        <Stack hasGutter>
            {/* renders nothing unless the GPU is broken or a recovery ran */}
            {managed && <OverviewRecovery status={deployments.data} health={health} records={records.data} reload={reload} />}
            <StackItem>
                <Gallery hasGutter minWidths={{ default: '100%', lg: '26rem' }}>
                    <SystemCard admin={admin} />
                    <DeploymentsSummaryCard support={support} resource={deployments} />
                    <GpuSummaryCard health={health} />
                    <ModelsSummaryCard />
                    <EgressSummaryCard admin={admin} />
                </Gallery>
            </StackItem>
        </Stack>
    );
}
