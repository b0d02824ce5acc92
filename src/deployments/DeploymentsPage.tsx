// The Deployments tab: what runs now and what boots next, updates, and every change an
// image-based host allows, each confirmed, with its output as it runs. Changes made
// elsewhere (automatic updates, another admin) show up on their own.
import {
    Alert, AlertActionLink, Button, Card, CardBody, CardHeader, CardTitle, EmptyState, EmptyStateBody,
    Flex, FlexItem, Skeleton, Stack, StackItem, Tooltip,
} from '@patternfly/react-core';
import { useCallback, useMemo, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { useAdmin } from '../../pkg/lib/use-admin';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { ErrorAlert } from '../app/ErrorAlert';
import { ProgressPanel } from '../app/ProgressPanel';
import type { DeploymentAction } from './actions';
import { unavailableReason } from './action-plans';
import { CleanupDialog } from './CleanupDialog';
import type { Deployment, DeploymentsStatus } from './deployment';
import { deploymentTitle, nextBoot, transactionText } from './deployment-text';
import { DeploymentsTable } from './DeploymentsTable';
import { PackageDiffModal } from './PackageDiffModal';
import { TargetDialog, type TargetKind } from './RebaseDialog';
import { UpdatesCard, type CheckResult } from './UpdatesCard';
import { inventoryOf } from '../kernel/deployment-inventory';
import { deploymentInventoryAlert } from '../kernel/staged-guard';
import { StagedGuardAlert } from '../kernel/StagedGuardAlert';
import type { GuardVerdict } from '../kernel/kernel';
import { knownGoodFor, newestFirst } from '../kernel/known-good';
import { guardUpdate } from '../kernel/update-guard';
import { UpdateGuardNotice } from '../kernel/UpdateGuardNotice';
import { useDeploymentTrees, useKernelRecords } from '../kernel/use-kernel-data';
import { useDeploymentActions } from './use-deployment-actions';
import { useDeployments, useDeploymentsSupport } from './use-deployments';

/** A button that says why it is disabled. */
function ActionButton({ label, reason, onClick, isDanger = false, id }: {
    label: string, reason: string | null, onClick: () => void, isDanger?: boolean, id: string,
}) {
    const button = <Button variant="secondary" isDanger={isDanger} isAriaDisabled={reason !== null} onClick={onClick} id={id}>{label}</Button>;
    return reason ? <Tooltip content={reason}>{button}</Tooltip> : button;
}

function TransactionAlert({ status, reason, onCancel }: { status: DeploymentsStatus, reason: string | null, onCancel: () => void }) {
    if (!status.transaction)
        return null;
    return (
        <Alert variant="info" isInline id="transaction-running" customIcon={undefined}
            title={format(_("rpm-ostree is running $0"), transactionText(status.transaction.title))}
            actionLinks={reason === null ? <AlertActionLink onClick={onCancel}>{_("Cancel transaction")}</AlertActionLink> : undefined}>
            {_("It was started outside this page (automatic updates, another admin or the command line). Changes wait until it ends; the list refreshes by itself.")}
        </Alert>
    );
}

function RebootNotice({ status, reason, onReboot }: { status: DeploymentsStatus, reason: string | null, onReboot: () => void }) {
    const next = nextBoot(status.deployments);
    if (!next)
        return null;
    return (
        <Alert variant="warning" isInline id="reboot-pending"
            title={format(_("The next boot starts $0"), deploymentTitle(next))}
            actionLinks={reason === null ? <AlertActionLink onClick={onReboot} id="reboot-now">{_("Reboot now…")}</AlertActionLink> : undefined}>
            {_("The running system is unchanged until the machine reboots.")}
        </Alert>
    );
}

function Managed({ status, reload, refreshing }: { status: DeploymentsStatus, reload: () => void, refreshing: boolean }) {
    const admin = useAdmin();
    const actions = useDeploymentActions(status, reload);
    const [dialog, setDialog] = useState<TargetKind | 'cleanup' | null>(null);
    const [comparing, setComparing] = useState<Deployment | null>(null);
    const busy = actions.runner.state.kind === 'running';
    const reason = useCallback((action: DeploymentAction) => unavailableReason(action, { status, admin, busy }), [status, admin, busy]);
    const booted = status.deployments.find(d => d.booted) ?? null;
    const run = actions.runner.state;
    const [checkResult, setCheckResult] = useState<CheckResult | null>(null);
    const [acknowledged, setAcknowledged] = useState(false);
    const trees = useDeploymentTrees(status);
    const records = useKernelRecords();
    const knownGood = useMemo(() => (records.data ? knownGoodFor(status.deployments, records.data.knownGood) : new Map()), [status, records.data]);
    const knownGoodIds = useMemo(() => new Set(knownGood.keys()), [knownGood]);
    const inventory = useMemo(() => (trees.data ? inventoryOf(status.deployments, trees.data) : []), [status, trees.data]);
    const bootedInventory = booted ? inventory.find(i => i.deploymentId === booted.id) ?? null : null;
    const unpinnedKnownGood = newestFirst(status.deployments.filter(d => knownGood.has(d.id) && !d.pinned && !d.staged))[0] ?? null;
    const confirmingKind = actions.confirming?.action.kind;
    const guard: GuardVerdict | null = confirmingKind === 'upgrade' || confirmingKind === 'rebase' || confirmingKind === 'deploy'
        ? guardUpdate({
            booted: bootedInventory,
            changes: confirmingKind === 'upgrade' && checkResult?.kind === 'checked' && checkResult.check.kind === 'available' ? checkResult.check.packages : null,
            newKernelLabel: null,
            keptPackages: booted?.layering.packages ?? [],
        })
        : null;
    const rebootPending = nextBoot(status.deployments)?.booted === false;

    return (
        <Stack hasGutter id="deployments-page" data-tool={status.tool}>
            {status.transaction &&
                <StackItem>
                    <TransactionAlert status={status} reason={reason({ kind: 'cancel' })} onCancel={() => actions.request({ kind: 'cancel' })} />
                </StackItem>}
            {deploymentInventoryAlert(status, inventory) &&
                <StackItem><StagedGuardAlert status={status} inventory={inventory} /></StackItem>}
            {rebootPending &&
                <StackItem>
                    <RebootNotice status={status} reason={reason({ kind: 'reboot' })} onReboot={() => actions.request({ kind: 'reboot' })} />
                </StackItem>}
            <StackItem>
                <UpdatesCard status={status} actions={actions} reason={reason} result={checkResult} onResult={setCheckResult} />
            </StackItem>
            {run.kind !== 'idle' &&
                <StackItem>
                    <ProgressPanel state={run} onDismiss={actions.runner.dismiss} onCancel={actions.cancelRunning}
                        cancelLabel={_("Cancel")} />
                </StackItem>}
            <StackItem>
                <Card isCompact id="deployments-card">
                    <CardHeader actions={{
                        actions: (
                            <Flex spaceItems={{ default: 'spaceItemsSm' }}>
                                {status.tool === 'rpm-ostree' &&
                                    <FlexItem><ActionButton id="deploy-version" label={_("Deploy version…")} reason={reason({ kind: 'deploy', revision: 'x' })} onClick={() => setDialog('deploy')} /></FlexItem>}
                                <FlexItem><ActionButton id="rebase" label={_("Rebase…")} reason={reason({ kind: 'rebase', target: 'x' })} onClick={() => setDialog('rebase')} /></FlexItem>
                                {status.tool === 'rpm-ostree' &&
                                    <FlexItem><ActionButton id="cleanup" label={_("Clean up…")} reason={reason({ kind: 'cleanup', pending: false, rollback: false, cache: true })} onClick={() => setDialog('cleanup')} /></FlexItem>}
                                <FlexItem><ActionButton id="rollback" label={_("Roll back…")} reason={reason({ kind: 'rollback' })} onClick={() => actions.request({ kind: 'rollback' })} /></FlexItem>
                                <FlexItem><ActionButton id="reboot" isDanger label={_("Reboot…")} reason={reason({ kind: 'reboot' })} onClick={() => actions.request({ kind: 'reboot' })} /></FlexItem>
                            </Flex>
                        ),
                        hasNoOffset: true,
                    }}>
                        <CardTitle component="h2">{_("Deployments")}</CardTitle>
                    </CardHeader>
                    <CardBody>
                        {refreshing && <span className="pf-v6-screen-reader" aria-live="polite">{_("Refreshing")}</span>}
                        <DeploymentsTable status={status} knownGood={knownGoodIds} actions={{
                            reason,
                            run: actions.request,
                            compare: status.tool === 'rpm-ostree' ? setComparing : null,
                        }} />
                    </CardBody>
                </Card>
            </StackItem>
            {actions.confirming &&
                <ConfirmDialog
                    id="deployment-confirm"
                    variant={guard?.level === 'danger' ? 'danger' : actions.confirming.plan.variant}
                    steps={actions.confirming.plan.steps.map((step, i) => ({
                        title: step.title,
                        confirmLabel: step.confirmLabel,
                        isConfirmDisabled: i === 0 && guard?.level === 'danger' && !acknowledged,
                        body: <>
                            {step.body.map(line => <p key={line}>{line}</p>)}
                            {i === 0 && guard &&
                                <UpdateGuardNotice verdict={guard} knownGood={unpinnedKnownGood} acknowledged={acknowledged}
                                    onAcknowledge={setAcknowledged} onPinned={reload} />}
                        </>,
                    }))}
                    onConfirm={() => { setAcknowledged(false); actions.confirm() }}
                    onClose={() => { setAcknowledged(false); actions.cancelConfirmation() }}
                />}
            {(dialog === 'rebase' || dialog === 'deploy') &&
                <TargetDialog kind={dialog} tool={status.tool} current={booted?.origin?.text ?? ''}
                    onClose={() => setDialog(null)}
                    onSubmit={value => {
                        setDialog(null);
                        actions.request(dialog === 'rebase' ? { kind: 'rebase', target: value } : { kind: 'deploy', revision: value });
                    }} />}
            {dialog === 'cleanup' &&
                <CleanupDialog status={status} onClose={() => setDialog(null)} onSubmit={action => { setDialog(null); actions.request(action) }} />}
            {comparing && booted &&
                <PackageDiffModal deployments={status.deployments} from={booted} to={comparing} onClose={() => setComparing(null)} />}
        </Stack>
    );
}

export function DeploymentsPage() {
    const support = useDeploymentsSupport();
    const tool = support.kind === 'managed' ? support.tool : null;
    const resource = useDeployments(tool);

    if (support.kind === 'probing' || (tool && resource.loading))
        return <Skeleton height="12rem" screenreaderText={_("Reading the deployments")} />;
    if (support.kind !== 'managed') {
        return (
            <EmptyState headingLevel="h2" titleText={support.kind === 'ostree-only' ? _("No tool manages the deployments") : _("This host has no deployments")} id="deployments-unsupported">
                <EmptyStateBody>
                    {support.kind === 'ostree-only'
                        ? _("The host boots an ostree deployment, but neither rpm-ostree nor bootc is installed, so this page cannot read or change its deployments.")
                        : _("The host is installed from packages, not from an image: there are no deployments to update, roll back or pin. Update it with its package manager.")}
                </EmptyStateBody>
            </EmptyState>
        );
    }
    if (resource.data === null)
        return <ErrorAlert title={_("The deployments could not be read")} error={resource.error} onRetry={resource.reload} />;
    return (
        <>
            {resource.error !== null &&
                <ErrorAlert title={_("The deployments could not be read again; this is what they were")} error={resource.error} onRetry={resource.reload} />}
            <Managed status={resource.data} reload={resource.reload} refreshing={resource.refreshing} />
        </>
    );
}
