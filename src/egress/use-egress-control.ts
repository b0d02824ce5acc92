// Our nftables table and the allowlist file, for the mode card: read when the tab opens
// and after every change, counters refreshed every few seconds while it is open.
import { useEffect } from 'react';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { useAsync, type AsyncResult } from '../../pkg/lib/use-async';
import type { EgressTableState } from './egress-ruleset';
import { readEgressSettings, readEgressTable, type EgressSettings } from './egress-client';

export interface EgressControl {
    table: EgressTableState;
    settings: EgressSettings;
}

const COUNTERS_REFRESH_MS = 5000;

/** nftAvailable false: the host lacks nft; admin false: nft's table cannot be read. */
export function useEgressControl(nftAvailable: boolean | null, admin: AdminAccess, { poll = true } = {}): AsyncResult<EgressControl | null> {
    const ready = nftAvailable === true && admin === true;
    const result = useAsync(async () => {
        if (!ready)
            return null;
        const [table, settings] = await Promise.all([readEgressTable(), readEgressSettings()]);
        return { table, settings };
    }, [ready]);
    const { reload } = result;
    useEffect(() => {
        if (!ready || !poll)
            return;
        const timer = setInterval(reload, COUNTERS_REFRESH_MS);
        return () => clearInterval(timer);
    }, [ready, poll, reload]);
    return result;
}
