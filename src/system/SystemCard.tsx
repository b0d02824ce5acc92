// The Overview's "System" card: what the host is and which of the tools this page
// builds on it has. A missing tool is a normal answer, shown as such.
import type React from 'react';
import {
    Button, Card, CardBody, CardHeader, CardTitle, DescriptionList, DescriptionListDescription,
    DescriptionListGroup, DescriptionListTerm, Label, Skeleton, Stack, Title,
} from '@patternfly/react-core';
import { CheckCircleIcon, MinusCircleIcon, SyncAltIcon } from '@patternfly/react-icons';
import { _ } from '../../pkg/lib/gettext';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { ErrorAlert } from '../app/ErrorAlert';
import { PROBED_TOOLS, updateModel, type HostCapabilities, type ProbedTool, type UpdateModel } from './capabilities';
import { useHostCapabilities } from './host-capabilities-context';

function toolPurpose(tool: ProbedTool): string {
    switch (tool) {
    case 'rpm-ostree': return _("Deployments, updates and rollback");
    case 'bootc': return _("Image-mode deployments");
    case 'nvidia-smi': return _("GPU health and usage");
    case 'podman': return _("Model containers");
    case 'nft': return _("Egress audit and blocking");
    case 'conntrack': return _("Live network flows");
    case 'ss': return _("Live connections by program");
    }
}

function updateModelText(model: UpdateModel): string {
    switch (model) {
    case 'rpm-ostree': return _("Image-based, managed by rpm-ostree");
    case 'bootc': return _("Image-based, managed by bootc");
    case 'ostree': return _("ostree-booted, but neither rpm-ostree nor bootc is installed");
    case 'package': return _("Package-based (not an ostree deployment)");
    }
}

function Present({ yes, yesText, noText }: { yes: boolean, yesText: string, noText: string }) {
    return yes
        ? <Label color="green" icon={<CheckCircleIcon />}>{yesText}</Label>
        : <Label color="grey" icon={<MinusCircleIcon />}>{noText}</Label>;
}

function osText(caps: HostCapabilities): React.ReactNode {
    if (!caps.os)
        return <span className="aiws-muted">{_("Unknown: the host has no readable /etc/os-release")}</span>;
    const variant = caps.os.variant && !caps.os.prettyName.includes(caps.os.variant) ? ` (${caps.os.variant})` : '';
    return caps.os.prettyName + variant;
}

function SystemFacts({ caps, admin }: { caps: HostCapabilities, admin: AdminAccess }) {
    return (
        <>
            <DescriptionList isHorizontal isCompact horizontalTermWidthModifier={{ default: "14rem" }} aria-label={_("System")}>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Operating system")}</DescriptionListTerm>
                    <DescriptionListDescription data-field="os">{osText(caps)}</DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Kernel")}</DescriptionListTerm>
                    <DescriptionListDescription data-field="kernel">
                        {caps.kernel ?? <span className="aiws-muted">{_("Unknown")}</span>}
                    </DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Installation")}</DescriptionListTerm>
                    <DescriptionListDescription data-field="update-model">
                        {updateModelText(updateModel(caps))}
                    </DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Administrative access")}</DescriptionListTerm>
                    <DescriptionListDescription data-field="admin">
                        {admin === null
                            ? <Skeleton width="6rem" screenreaderText={_("Loading")} />
                            : <Present yes={admin} yesText={_("Available")} noText={_("Not available: read-only")} />}
                    </DescriptionListDescription>
                </DescriptionListGroup>
            </DescriptionList>
            <Title headingLevel="h3" size="md" className="aiws-host-tools-title">{_("Host tools")}</Title>
            <DescriptionList isHorizontal isCompact horizontalTermWidthModifier={{ default: "14rem" }} aria-label={_("Host tools")}>
                {PROBED_TOOLS.map(tool => (
                    <DescriptionListGroup key={tool}>
                        <DescriptionListTerm>{tool}</DescriptionListTerm>
                        <DescriptionListDescription data-tool={tool} data-present={caps.tools[tool] ? 'yes' : 'no'}>
                            <Present yes={caps.tools[tool] !== null} yesText={_("Installed")} noText={_("Not installed")} />
                            {' '}
                            <span className="aiws-muted">{toolPurpose(tool)}</span>
                        </DescriptionListDescription>
                    </DescriptionListGroup>
                ))}
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("podman API socket")}</DescriptionListTerm>
                    <DescriptionListDescription data-tool="podman-socket" data-present={caps.podmanSocket ? 'yes' : 'no'}>
                        <Present yes={caps.podmanSocket} yesText={_("Found")} noText={_("Not found")} />
                        {' '}
                        <span className="aiws-muted">/run/podman/podman.sock</span>
                    </DescriptionListDescription>
                </DescriptionListGroup>
            </DescriptionList>
        </>
    );
}

export function SystemCard({ admin }: { admin: AdminAccess }) {
    const { state, reload, refreshing } = useHostCapabilities();

    return (
        <Card id="system-card" isFullHeight>
            <CardHeader
                actions={{
                    actions: (
                        <Button
                            variant="plain"
                            aria-label={_("Probe the host again")}
                            icon={<SyncAltIcon />}
                            isDisabled={state.status === 'loading' || refreshing}
                            onClick={reload}
                        />
                    ),
                    hasNoOffset: true,
                }}
            >
                <CardTitle component="h2">{_("System")}</CardTitle>
            </CardHeader>
            <CardBody aria-busy={state.status === 'loading' || refreshing}>
                {state.status === 'loading' &&
                    <Stack hasGutter>
                        <Skeleton screenreaderText={_("Probing the host")} />
                        <Skeleton width="66%" />
                        <Skeleton width="50%" />
                    </Stack>}
                {state.status === 'error' &&
                    <ErrorAlert title={_("Could not find out what this host offers")} error={state.error} onRetry={reload} />}
                {state.status === 'ready' && <SystemFacts caps={state.data} admin={admin} />}
            </CardBody>
        </Card>
    );
}
