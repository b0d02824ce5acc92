// The audit log of a chosen time range, read from the journal when the range changes or the
// admin asks again.
import { useAsync, type AsyncResult } from '../../pkg/lib/use-async';
import type { AuditJournal } from './audit-log-parser';
import { readAuditLog } from './egress-client';

export type AuditRange = '1h' | '24h' | '7d';

export const RANGE_SECONDS: Record<AuditRange, number> = { '1h': 3600, '24h': 86400, '7d': 7 * 86400 };

export function useAuditLog(range: AuditRange, enabled: boolean): AsyncResult<AuditJournal | null> {
    return useAsync(async () => {
        if (!enabled)
            return null;
        const now = Date.now() / 1000;
        return readAuditLog(now - RANGE_SECONDS[range], now);
    }, [range, enabled]);
}
