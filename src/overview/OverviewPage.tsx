import { Gallery } from '@patternfly/react-core';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { GpuSummaryCard } from '../gpus/GpuSummaryCard';
import { SystemCard } from '../system/SystemCard';

export function OverviewPage({ admin }: { admin: AdminAccess }) {
    return (
        <Gallery hasGutter minWidths={{ default: '100%', lg: '36rem' }}>
            <SystemCard admin={admin} />
            <GpuSummaryCard />
        </Gallery>
    );
}
