import { Gallery } from '@patternfly/react-core';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { DeploymentsSummaryCard } from '../deployments/DeploymentsSummaryCard';
import { GpuSummaryCard } from '../gpus/GpuSummaryCard';
import { SystemCard } from '../system/SystemCard';

export function OverviewPage({ admin }: { admin: AdminAccess }) {
    return (
        <Gallery hasGutter minWidths={{ default: '100%', lg: '36rem' }}>
            <SystemCard admin={admin} />
            <DeploymentsSummaryCard />
            <GpuSummaryCard />
        </Gallery>
    );
}
