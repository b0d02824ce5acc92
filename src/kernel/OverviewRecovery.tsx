// Recover on the Overview: the first thing an admin opens after a bad boot. The same
// plan as the Kernel & driver tab, in short, with its confirmation and progress.
import { Stack, StackItem } from '@patternfly/react-core';
import { useMemo } from 'react';
import { useAdmin } from '../../pkg/lib/use-admin';
import { PlanConfirmDialog } from '../app/PlanConfirmDialog';
import { ProgressPanel } from '../app/ProgressPanel';
import { useConfirmedRun } from '../app/use-confirmed-run';
import { unavailableReason } from '../deployments/action-plans';
import type { DeploymentsStatus } from '../deployments/deployment';
import type { GpuHealth } from '../gpus/use-gpu-health';
import type { KernelRecords } from './kernel-client';
import { knownGoodFor } from './known-good';
import { recoveryPlan } from './recovery-plan';
import { RecoveryCard } from './RecoveryCard';

export function OverviewRecovery({ status, health, records, reload }: {
    status: DeploymentsStatus | null;
    health: GpuHealth;
    records: KernelRecords | null;
    reload: () => void;
}) {
    const admin = useAdmin();
    const run = useConfirmedRun(reload);
    const knownGood = useMemo(() => (status && records ? knownGoodFor(status.deployments, records.knownGood) : null), [status, records]);
    const broken = status && knownGood && health.diagnosis?.severity === 'danger' ? health.diagnosis : null;
    // a recovery that ran stays in view after it healed the GPU, until the admin dismisses it
    if (!broken && run.runner.state.kind === 'idle')
        return null;
    const busy = run.runner.state.kind === 'running';
    return (
        <Stack hasGutter id="overview-recovery">
            {broken && status && knownGood &&
                <StackItem>
                    <RecoveryCard plan={recoveryPlan(status, broken.severity, knownGood)} status={status} diagnosis={broken} run={run} compact
                        reason={unavailableReason({ kind: 'upgrade' }, { status, admin, busy })} />
                </StackItem>}
            {run.runner.state.kind !== 'idle' &&
                <StackItem><ProgressPanel state={run.runner.state} onDismiss={run.runner.dismiss} id="overview-progress" /></StackItem>}
            {run.confirming?.confirm &&
                <PlanConfirmDialog id="overview-confirm" plan={run.confirming.confirm} onConfirm={run.confirm} onClose={run.cancel} />}
        </Stack>
    );
}
