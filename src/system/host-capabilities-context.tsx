// The capability probe runs once per page load; every area reads its answer from here.
import { createContext, useContext, type ReactNode } from 'react';
import { useAsync, type AsyncResult } from '../../pkg/lib/use-async';
import type { HostCapabilities } from './capabilities';
import { probeHost } from './probe';

const HostCapabilitiesContext = createContext<AsyncResult<HostCapabilities> | null>(null);

export function HostCapabilitiesProvider({ children, probe = probeHost }: {
    children: ReactNode,
    probe?: () => Promise<HostCapabilities>,
}) {
    const result = useAsync(probe, [probe]);
    return <HostCapabilitiesContext.Provider value={result}>{children}</HostCapabilitiesContext.Provider>;
}

export function useHostCapabilities(): AsyncResult<HostCapabilities> {
    const value = useContext(HostCapabilitiesContext);
    if (!value)
        throw new Error('useHostCapabilities needs a HostCapabilitiesProvider');
    return value;
}
