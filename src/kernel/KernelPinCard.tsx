// Kernel pinning, the way the origin allows it: on an ostree branch the kernel packages
// are overridden with chosen RPMs (and reset); on a container image origin pinning means
// staying on a dated tag, each shown with the kernel its image carries.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, Content, Form, FormGroup, FormHelperText, HelperText,
    HelperTextItem, List, ListItem, Modal, ModalBody, ModalFooter, ModalHeader, Skeleton, TextArea,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { useAsync } from '../../pkg/lib/use-async';
import { ErrorAlert } from '../app/ErrorAlert';
import type { ConfirmedRun } from '../app/use-confirmed-run';
import { confirmPlan } from '../deployments/action-plans';
import { actionArgv } from '../deployments/actions';
import type { ContainerImageOrigin, Deployment, DeploymentsStatus } from '../deployments/deployment';
import type { DeploymentInventory } from './kernel';
import { inspectTag, readTags } from './kernel-io';
import { KERNEL_PACKAGES, kernelOverrides, kernelPinProblems, overrideReplaceArgv, overrideResetArgv, pinnedKernelRelease, validateOverrideSource, type OverrideSource } from './kernel-override';
import { leavesModuleBehind, pinnedKernelLeavesModule } from './kernel-override-module';
import { guardFindingText } from './kernel-text';
import { datedTags, imageRepository, retaggedOrigin } from './skopeo-tags';
import { guardUpdate } from './update-guard';

function sourcesOf(text: string): { sources: OverrideSource[], errors: string[] } {
    const sources: OverrideSource[] = [];
    const errors: string[] = [];
    for (const line of text.split('\n').map(l => l.trim()).filter(l => l !== '')) {
        const check = validateOverrideSource(line);
        if (check.ok)
            sources.push(check.source);
        else
            errors.push(format(_("$0: $1"), line, check.reason));
    }
    return { sources, errors: [...errors, ...(errors.length === 0 ? kernelPinProblems(sources) : [])] };
}

function PinDialog({ booted, inventory, onSubmit, onClose }: {
    booted: Deployment;
    inventory: DeploymentInventory | undefined;
    onSubmit: (sources: OverrideSource[], warning: string | null) => void;
    onClose: () => void;
}) {
    const [text, setText] = useState('');
    const { sources, errors } = sourcesOf(text);
    const core = sources.find(s => s.package?.name === 'kernel-core') ?? sources.find(s => s.package?.name === 'kernel');
    const kernel = core?.package ? `${core.package.version}-${core.package.release}.${core.package.arch}` : null;
    const check = kernel && inventory ? pinnedKernelLeavesModule(kernel, inventory) : null;
    const warning = check && leavesModuleBehind(check) && check.kind === 'module-for-other-kernel'
        ? format(_("The NVIDIA module of this deployment is built for $0, not for $1: with this kernel the GPU will not work until a module for it is installed."), check.builtFor, check.pinnedKernel)
        : null;
    return (
        <Modal variant="medium" isOpen onClose={onClose} id="kernel-pin-dialog" aria-labelledby="kernel-pin-title">
            <ModalHeader title={_("Pin the kernel")} labelId="kernel-pin-title" />
            <ModalBody>
                <Content component="p">
                    {format(_("The kernel packages ($0) of the running deployment ($1) are replaced by these RPMs, one path or https URL per line. Updates then keep that kernel until you reset it."),
                            KERNEL_PACKAGES.join(', '), booted.version ?? booted.checksum.slice(0, 12))}
                </Content>
                <Form onSubmit={event => event.preventDefault()}>
                    <FormGroup label={_("Kernel RPMs")} fieldId="kernel-pin-sources" isRequired>
                        <TextArea id="kernel-pin-sources" value={text} onChange={(_e, v) => setText(v)} rows={5} resizeOrientation="vertical"
                            placeholder="https://kojipkgs.fedoraproject.org/packages/kernel/6.8.9/300.fc40/x86_64/kernel-core-6.8.9-300.fc40.x86_64.rpm" />
                        {errors.length > 0 &&
                            <FormHelperText><HelperText>{errors.map(e => <HelperTextItem key={e} variant="error">{e}</HelperTextItem>)}</HelperText></FormHelperText>}
                    </FormGroup>
                </Form>
                {warning && <Alert variant="danger" isInline isPlain id="kernel-pin-warning" title={warning} />}
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" id="kernel-pin-continue" isDisabled={sources.length === 0 || errors.length > 0} onClick={() => onSubmit(sources, warning)}>{_("Continue")}</Button>
                <Button variant="link" onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}

function PackagePinning({ booted, inventory, run, reason }: {
    booted: Deployment, inventory: DeploymentInventory | undefined, run: ConfirmedRun, reason: string | null,
}) {
    const [dialog, setDialog] = useState(false);
    const overrides = kernelOverrides(booted);
    const pinned = pinnedKernelRelease(overrides);
    const pin = (sources: OverrideSource[], warning: string | null) => {
        setDialog(false);
        run.request({
            steps: [{ label: _("Pinning the kernel"), argv: overrideReplaceArgv(sources) }],
            confirm: {
                variant: warning ? 'danger' : 'warning',
                takesEffect: 'next-boot',
                steps: [{
                    title: _("Pin the kernel?"),
                    body: [
                        _("A new deployment with these kernel packages is staged; the running kernel stays until the reboot."),
                        ...sources.map(s => s.text),
                        ...(warning ? [warning] : []),
                    ],
                    confirmLabel: _("Pin kernel"),
                }],
            },
        });
    };
    const reset = () => run.request({
        steps: [{ label: _("Resetting the kernel"), argv: overrideResetArgv(overrides.map(o => o.name)) }],
        confirm: {
            variant: 'warning',
            takesEffect: 'next-boot',
            steps: [{
                title: _("Reset the kernel to the base image's?"),
                body: [_("The kernel overrides are removed in a new staged deployment: the next boot starts the kernel of the base image again, the one updates bring.")],
                confirmLabel: _("Reset"),
            }],
        },
    });
    return (
        <>
            {overrides.length === 0
                ? <Content component="p" id="kernel-not-pinned">{_("The kernel is not pinned: it follows the updates of the base image.")}</Content>
                : <>
                    <Content component="p" id="kernel-pinned">{format(_("The kernel is pinned to $0 by overrides:"), pinned ?? '—')}</Content>
                    <List isPlain>{overrides.map(o => <ListItem key={o.name}>{format(_("$0 replaces $1"), o.to.nevra, o.from.nevra)}</ListItem>)}</List>
                </>}
            <div className="aiws-actions-row">
                <Button variant="secondary" id="kernel-pin" isAriaDisabled={reason !== null} onClick={() => setDialog(true)}>{_("Pin kernel…")}</Button>{' '}
                {overrides.length > 0 && <Button variant="secondary" id="kernel-reset" isAriaDisabled={reason !== null} onClick={reset}>{_("Reset kernel…")}</Button>}
            </div>
            {dialog && <PinDialog booted={booted} inventory={inventory} onSubmit={pin} onClose={() => setDialog(false)} />}
        </>
    );
}

function TagKernel({ repository, tag }: { repository: string, tag: string }) {
    const { state } = useAsync(() => inspectTag(repository, tag), [repository, tag]);
    if (state.status === 'loading')
        return <Skeleton width="8rem" screenreaderText={_("Reading the image")} />;
    if (state.status === 'error')
        return <span className="aiws-muted">{_("could not be read")}</span>;
    return <>{state.data.kernel ?? _("not labelled")}</>;
}

function ImagePinning({ status, origin, bootedInventory, run, reason }: {
    status: DeploymentsStatus, origin: ContainerImageOrigin, bootedInventory: DeploymentInventory | null, run: ConfirmedRun, reason: string | null,
}) {
    const repository = imageRepository(origin);
    const [asked, setAsked] = useState(false);
    const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
    const tags = useAsync(() => (asked && repository ? readTags(repository) : Promise.resolve(null)), [asked, repository]);
    if (!repository)
        return <Content component="p">{_("This image reference names no registry tag to choose from.")}</Content>;
    const list = tags.state.status === 'ready' && tags.state.data ? datedTags(tags.state.data) : null;
    const rebase = async (tag: string) => {
        const target = retaggedOrigin(origin, tag);
        if (!target || !repository)
            return;
        const action = { kind: 'rebase' as const, target };
        const plan = confirmPlan(action, status);
        // the update guard, on what the image's label says of its kernel
        const label = (await inspectTag(repository, tag).catch(() => null))?.kernel ?? null;
        const verdict = guardUpdate({ booted: bootedInventory, changes: null, newKernelLabel: label });
        run.request({
            steps: [{ label: format(_("Rebasing to $0"), target), argv: actionArgv(status.tool, action, status.deployments) }],
            confirm: plan && {
                ...plan,
                variant: verdict.level === 'danger' ? 'danger' : plan.variant,
                steps: plan.steps.map((step, i) => i === 0 ? { ...step, body: [...step.body, ...verdict.findings.map(guardFindingText)] } : step),
            },
        });
    };
    return (
        <>
            <Content component="p">
                {format(_("On a container image origin the kernel comes with the image. To keep a kernel, stay on a dated tag of $0 instead of a moving one like \"$1\"."), repository, origin.tag ?? 'latest')}
            </Content>
            {!asked &&
                <Button variant="secondary" id="list-tags" onClick={() => setAsked(true)}>{_("List dated tags")}</Button>}
            {tags.state.status === 'loading' && asked && <Skeleton height="4rem" screenreaderText={_("Asking the registry")} />}
            {tags.state.status === 'error' && <ErrorAlert title={_("The registry's tags could not be read")} error={tags.state.error} onRetry={tags.reload} />}
            {list && list.length === 0 && <Content component="p" id="no-dated-tags">{_("The registry lists no dated tags for this image.")}</Content>}
            {list && list.length > 0 &&
                <Table variant="compact" aria-label={_("Dated tags")} id="dated-tags">
                    <Thead><Tr><Th>{_("Tag")}</Th><Th>{_("Date")}</Th><Th>{_("Kernel")}</Th><Th screenReaderText={_("Actions")} /></Tr></Thead>
                    <Tbody>
                        {list.slice(0, 30).map(t => (
                            <Tr key={t.tag} data-tag={t.tag}>
                                <Td dataLabel={_("Tag")}>{t.tag}{t.tag === origin.tag && <> ({_("current")})</>}</Td>
                                <Td dataLabel={_("Date")}>{t.date}</Td>
                                <Td dataLabel={_("Kernel")} data-field="kernel">
                                    {shown.has(t.tag)
                                        ? <TagKernel repository={repository} tag={t.tag} />
                                        : <Button variant="link" isInline onClick={() => setShown(new Set([...shown, t.tag]))}>{_("Show")}</Button>}
                                </Td>
                                <Td isActionCell>
                                    <Button variant="secondary" size="sm" isAriaDisabled={reason !== null || t.tag === origin.tag} onClick={() => { void rebase(t.tag) }}>{_("Rebase to this tag…")}</Button>
                                </Td>
                            </Tr>
                        ))}
                    </Tbody>
                </Table>}
        </>
    );
}

export function KernelPinCard({ status, inventory, run, reason }: {
    status: DeploymentsStatus; inventory: readonly DeploymentInventory[]; run: ConfirmedRun; reason: string | null;
}) {
    const booted = status.deployments.find(d => d.booted);
    if (!booted)
        return null;
    const origin = booted.origin;
    return (
        <Card isCompact id="kernel-pin-card">
            <CardHeader><CardTitle component="h2">{_("Kernel pinning")}</CardTitle></CardHeader>
            <CardBody>
                {origin?.kind === 'container-image'
                    ? <ImagePinning status={status} origin={origin} bootedInventory={inventory.find(i => i.deploymentId === booted.id) ?? null} run={run} reason={reason} />
                    : status.tool === 'rpm-ostree'
                        ? <PackagePinning booted={booted} inventory={inventory.find(i => i.deploymentId === booted.id)} run={run} reason={reason} />
                        : <Content component="p">{_("This origin has no way to pin the kernel from here.")}</Content>}
            </CardBody>
        </Card>
    );
}
