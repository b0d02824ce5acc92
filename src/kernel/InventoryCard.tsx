// Every deployment with the kernel it boots and the NVIDIA module it carries for it:
// the table an admin reads before rebooting into something new.
import { Button, Card, CardBody, CardHeader, CardTitle, Content, Label, LabelGroup, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { _, format } from '../../pkg/lib/gettext';
import type { DeploymentsStatus } from '../deployments/deployment';
import { deploymentMarks, deploymentName } from '../deployments/deployment-text';
import type { DeploymentInventory, KnownGoodRecord } from './kernel';
import { recordedAtText } from './kernel-text';

function ModuleCell({ inventory }: { inventory: DeploymentInventory | undefined }) {
    if (!inventory || inventory.source === 'none')
        return <span className="aiws-muted">{_("Unknown (the tree could not be read)")}</span>;
    const module = inventory.nvidia;
    if (!module)
        return <Label isCompact color="orange" data-module="none">{_("No NVIDIA module")}</Label>;
    const flavour = module.flavour === 'open' ? _("open") : module.flavour === 'proprietary' ? _("proprietary") : null;
    return (
        <span data-module={module.version ?? 'unknown'}>
            {flavour ? format(_("$0 ($1)"), module.version ?? '—', flavour) : (module.version ?? '—')}
            <br />
            <small className="aiws-muted" data-field="signer">{module.signer ? format(_("signed by $0"), module.signer) : _("not signed")}</small>
        </span>
    );
}

function MatchCell({ inventory }: { inventory: DeploymentInventory | undefined }) {
    if (!inventory?.nvidia || inventory.moduleMatchesKernel === null)
        return <>—</>;
    return inventory.moduleMatchesKernel
        ? <Label isCompact color="green" data-match="yes">{_("yes")}</Label>
        : <Tooltip content={format(_("Built for $0"), inventory.nvidia.builtFor ?? '—')}><Label isCompact color="red" data-match="no">{_("no")}</Label></Tooltip>;
}

export function InventoryCard({ status, inventory, knownGood, onPin, pinReason }: {
    status: DeploymentsStatus;
    inventory: readonly DeploymentInventory[];
    knownGood: ReadonlyMap<string, KnownGoodRecord>;
    onPin: (index: number) => void;
    /** Why pinning cannot run now, or null. */
    pinReason: (index: number) => string | null;
}) {
    return (
        <Card isCompact id="kernel-inventory">
            <CardHeader><CardTitle component="h2">{_("Kernels and NVIDIA modules")}</CardTitle></CardHeader>
            <CardBody>
                <Content component="p" className="aiws-muted">
                    {_("Read from each deployment's own files: the kernel it boots and the NVIDIA module built for it. A deployment is known-good once it booted with a working GPU.")}
                </Content>
                <Table variant="compact" aria-label={_("Kernels and NVIDIA modules")}>
                    <Thead>
                        <Tr>
                            <Th modifier="wrap">{_("Deployment")}</Th>
                            <Th modifier="wrap">{_("Kernel")}</Th>
                            <Th modifier="wrap">{_("NVIDIA module")}</Th>
                            <Th modifier="wrap">{_("Built for this kernel")}</Th>
                            <Th modifier="wrap">{_("Known-good")}</Th>
                            <Th screenReaderText={_("Actions")} />
                        </Tr>
                    </Thead>
                    <Tbody>
                        {status.deployments.map(d => {
                            const inv = inventory.find(i => i.deploymentId === d.id);
                            const record = knownGood.get(d.id);
                            const reason = pinReason(d.index);
                            return (
                                <Tr key={d.id} data-deployment={d.index} data-known-good={record ? 'true' : 'false'}>
                                    <Td dataLabel={_("Deployment")}>
                                        {deploymentName(d)}{' '}
                                        <LabelGroup numLabels={4}>
                                            {deploymentMarks(d).filter(m => m.kind !== 'default').map(m => <Label key={m.kind} isCompact color={m.color}>{m.text}</Label>)}
                                        </LabelGroup>
                                    </Td>
                                    <Td dataLabel={_("Kernel")} data-field="kernel">{inv?.kernel ?? d.kernel?.version ?? '—'}</Td>
                                    <Td dataLabel={_("NVIDIA module")} data-field="module"><ModuleCell inventory={inv} /></Td>
                                    <Td dataLabel={_("Built for this kernel")} data-field="match"><MatchCell inventory={inv} /></Td>
                                    <Td dataLabel={_("Known-good")} data-field="known-good">
                                        {record
                                            ? <Tooltip content={format(_("Driver $0 on kernel $1, GPUs: $2"), record.driverVersion, record.kernel, record.gpus.join(', '))}>
                                                <Label isCompact color="green">{recordedAtText(record)}</Label>
                                            </Tooltip>
                                            : '—'}
                                    </Td>
                                    <Td isActionCell>
                                        {record && !d.pinned && !d.staged &&
                                            <Button variant="secondary" size="sm" isAriaDisabled={reason !== null} onClick={() => onPin(d.index)}
                                                data-action="pin-known-good" aria-label={_("Pin known-good")}>
                                                {_("Pin")}
                                            </Button>}
                                    </Td>
                                </Tr>
                            );
                        })}
                    </Tbody>
                </Table>
            </CardBody>
        </Card>
    );
}
