// Keeps the known-good records true while the page is open: the booted deployment is
// recorded when the GPU verdict is healthy, and, when the admin asked for it, the newest
// known-good deployments are kept pinned (only the page's own pins are ever removed).
// Both need administrative access and run quietly, once per change of what they see.
import { useEffect, useRef, useState } from 'react';
import { run } from '../../pkg/lib/run';
import type { DeploymentsStatus } from '../deployments/deployment';
import type { GpuHealth } from '../gpus/use-gpu-health';
import { autoPinPlan } from './auto-pins';
import { addKnownGood, writeAutoPins, type KernelRecords } from './kernel-client';
import { alreadyRecorded, knownGoodFor, recordFromHealth } from './known-good';

export interface KeeperState {
    /** The last thing that failed (shown as a notice), or null. */
    error: unknown;
}

export function useKnownGoodKeeper({ status, health, records, admin, reload }: {
    status: DeploymentsStatus | null;
    health: GpuHealth;
    records: KernelRecords | null;
    admin: boolean | null;
    /** Read the records and the deployments again after a change. */
    reload: () => void;
}): KeeperState {
    const [error, setError] = useState<unknown>(null);
    const recordedKey = useRef<string | null>(null);
    const pinnedKey = useRef<string | null>(null);

    // record the booted deployment once it is seen healthy
    useEffect(() => {
        if (admin !== true || !status || !records || health.diagnosis?.condition !== 'healthy' || !health.facts || !health.inventory)
            return;
        const booted = status.deployments.find(d => d.booted);
        if (!booted)
            return;
        const record = recordFromHealth({
            booted,
            kernel: health.facts.kernelRelease,
            driverVersion: health.facts.module.loadedVersion ?? health.inventory.driverVersion,
            gpus: health.inventory.gpus.map(gpu => gpu.name),
            now: new Date(),
        });
        if (!record || alreadyRecorded(records.knownGood, record))
            return;
        const key = `${record.checksum} ${record.kernel} ${record.driverVersion}`;
        if (recordedKey.current === key)
            return;
        recordedKey.current = key;
        addKnownGood(record).then(written => { if (written) reload() }, setError);
    }, [admin, status, records, health.diagnosis, health.facts, health.inventory, reload]);

    // keep the newest known-good deployments pinned, if asked to
    useEffect(() => {
        if (admin !== true || !status || !records || status.transaction)
            return;
        const keep = records.settings.value.keepKnownGoodPinned;
        if (keep === 0 && records.autoPins.value.checksums.length === 0)
            return;
        const plan = autoPinPlan(status.deployments, knownGoodFor(status.deployments, records.knownGood), records.autoPins.value, keep);
        const unchangedPins = plan.autoPins.join() === records.autoPins.value.checksums.join();
        if (plan.pin.length === 0 && plan.unpin.length === 0 && unchangedPins)
            return;
        const key = JSON.stringify(plan);
        if (pinnedKey.current === key)
            return;
        pinnedKey.current = key;
        void (async () => {
            try {
                for (const index of plan.pin)
                    await run(['ostree', 'admin', 'pin', String(index)], { admin: true });
                for (const index of plan.unpin)
                    await run(['ostree', 'admin', 'pin', '--unpin', String(index)], { admin: true });
                await writeAutoPins({ checksums: plan.autoPins });
            } catch (e) {
                setError(e);
            } finally {
                reload();
            }
        })();
    }, [admin, status, records, reload]);

    return { error };
}
