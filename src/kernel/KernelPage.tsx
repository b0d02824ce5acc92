// The Kernel & driver tab: recovery first when the driver is broken, then what each
// deployment boots (kernel, NVIDIA module, known-good), the known-good settings, kernel
// arguments, kernel pinning and Secure Boot.
import { EmptyState, EmptyStateBody, Skeleton, Stack, StackItem } from '@patternfly/react-core';
import { useCallback, useMemo } from 'react';
import { _ } from '../../pkg/lib/gettext';
import { useAdmin } from '../../pkg/lib/use-admin';
import { ErrorAlert } from '../app/ErrorAlert';
import { PlanConfirmDialog } from '../app/PlanConfirmDialog';
import { ProgressPanel } from '../app/ProgressPanel';
import { useConfirmedRun } from '../app/use-confirmed-run';
import { actionArgv } from '../deployments/actions';
import { actionLabel, confirmPlan, unavailableReason } from '../deployments/action-plans';
import type { DeploymentsStatus } from '../deployments/deployment';
import { useDeployments, useDeploymentsSupport } from '../deployments/use-deployments';
import { useGpuHealth } from '../gpus/use-gpu-health';
import { deploymentInventoryAlert } from './staged-guard';
import { StagedGuardAlert } from './StagedGuardAlert';
import { inventoryOf } from './deployment-inventory';
import { InventoryCard } from './InventoryCard';
import { KargsCard } from './KargsCard';
import { KernelPinCard } from './KernelPinCard';
import { KnownGoodCard } from './KnownGoodCard';
import { knownGoodFor } from './known-good';
import { recoveryPlan } from './recovery-plan';
import { RecoveryCard } from './RecoveryCard';
import { SecureBootCard } from './SecureBootCard';
import { useDeploymentTrees, useKernelRecords } from './use-kernel-data';
import { useKnownGoodKeeper } from './use-known-good-keeper';

function Managed({ status, reloadStatus }: { status: DeploymentsStatus, reloadStatus: () => void }) {
    const admin = useAdmin();
    const trees = useDeploymentTrees(status);
    const records = useKernelRecords();
    const health = useGpuHealth();
    const reloadAll = useCallback(() => {
        reloadStatus();
        records.reload();
        trees.reload();
    }, [reloadStatus, records, trees]);
    const run = useConfirmedRun(reloadAll);
    const keeper = useKnownGoodKeeper({ status, health, records: records.data, admin, reload: reloadAll });

    const inventory = useMemo(() => inventoryOf(status.deployments, trees.data ?? []), [status, trees.data]);
    const knownGood = useMemo(() => (records.data ? knownGoodFor(status.deployments, records.data.knownGood) : new Map()), [status, records.data]);
    const busy = run.runner.state.kind === 'running';
    const changeReason = admin !== true
        ? _("Turn on administrative access to change the host.")
        : busy ? _("Another action of this page is running.") : null;
    const plan = health.diagnosis ? recoveryPlan(status, health.diagnosis.severity, knownGood) : { kind: 'not-needed' as const };

    const pin = (index: number) => {
        const action = { kind: 'pin' as const, index };
        run.request({
            steps: [{ label: actionLabel(action, status), argv: actionArgv(status.tool, action, status.deployments) }],
            confirm: confirmPlan(action, status),
        });
    };

    return (
        <Stack hasGutter id="kernel-page">
            {health.diagnosis && plan.kind !== 'not-needed' &&
                <StackItem>
                    <RecoveryCard plan={plan} status={status} diagnosis={health.diagnosis} run={run}
                        reason={unavailableReason({ kind: 'upgrade' }, { status, admin, busy })} />
                </StackItem>}
            {deploymentInventoryAlert(status, inventory) &&
                <StackItem><StagedGuardAlert status={status} inventory={inventory} /></StackItem>}
            {run.runner.state.kind !== 'idle' &&
                <StackItem><ProgressPanel state={run.runner.state} onDismiss={run.runner.dismiss} id="kernel-progress" /></StackItem>}
            {keeper.error !== null &&
                <StackItem><ErrorAlert title={_("Keeping the known-good records failed")} error={keeper.error} /></StackItem>}
            <StackItem>
                {trees.error !== null && trees.data === null
                    ? <ErrorAlert title={_("The deployments' files could not be read")} error={trees.error} onRetry={trees.reload} />
                    : trees.data === null
                        ? <Skeleton height="8rem" screenreaderText={_("Reading the deployments' kernels and modules")} />
                        : <InventoryCard status={status} inventory={inventory} knownGood={knownGood} onPin={pin}
                            pinReason={index => changeReason ?? unavailableReason({ kind: 'pin', index }, { status, admin, busy })} />}
            </StackItem>
            <StackItem>
                {records.data
                    ? <KnownGoodCard records={records.data} reason={changeReason} onChanged={records.reload} />
                    : records.error !== null
                        ? <ErrorAlert title={_("The known-good records could not be read")} error={records.error} onRetry={records.reload} />
                        : <Skeleton height="6rem" screenreaderText={_("Reading the known-good records")} />}
            </StackItem>
            <StackItem><KargsCard tool={status.tool} run={run} reason={changeReason} /></StackItem>
            <StackItem><KernelPinCard status={status} inventory={inventory} run={run} reason={changeReason} /></StackItem>
            <StackItem><SecureBootCard facts={health.facts} reason={changeReason} /></StackItem>
            {run.confirming?.confirm &&
                <PlanConfirmDialog id="kernel-confirm" plan={run.confirming.confirm} onConfirm={run.confirm} onClose={run.cancel} />}
        </Stack>
    );
}

export function KernelPage() {
    const support = useDeploymentsSupport();
    const tool = support.kind === 'managed' ? support.tool : null;
    const deployments = useDeployments(tool);
    if (support.kind === 'probing' || (tool && deployments.loading))
        return <Skeleton height="12rem" screenreaderText={_("Reading the deployments")} />;
    if (support.kind !== 'managed') {
        return (
            <EmptyState headingLevel="h2" titleText={_("No deployments to look after")} id="kernel-unsupported">
                <EmptyStateBody>
                    {_("This tab keeps track of the kernel and NVIDIA module of each deployment of an image-based host (rpm-ostree or bootc). This host has none; the GPUs tab still diagnoses its driver.")}
                </EmptyStateBody>
            </EmptyState>
        );
    }
    if (deployments.data === null)
        return <ErrorAlert title={_("The deployments could not be read")} error={deployments.error} onRetry={deployments.reload} />;
    return <Managed status={deployments.data} reloadStatus={deployments.reload} />;
}
