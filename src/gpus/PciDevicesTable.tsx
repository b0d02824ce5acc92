// NVIDIA devices as the PCI bus sees them: this works when nvidia-smi does not, and shows
// which kernel driver owns each GPU.
import { Content, Label } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { _ } from '../../pkg/lib/gettext';
import { MISSING } from './format';
import type { KernelDriver, PciGpu } from './gpu';

function DriverLabel({ driver }: { driver: KernelDriver | null }) {
    if (driver === null)
        return <Label isCompact color="orange">{_("No driver")}</Label>;
    switch (driver) {
    case 'nvidia': return <Label isCompact color="green">nvidia</Label>;
    case 'nouveau': return <Label isCompact color="orange">nouveau</Label>;
    case 'nova_core':
    case 'nova_drm': return <Label isCompact color="purple">{driver}</Label>;
    case 'vfio-pci': return <Label isCompact color="blue">{_("vfio-pci (passed to a VM)")}</Label>;
    default: return <Label isCompact>{driver}</Label>;
    }
}

export function PciDevicesTable({ devices }: { devices: readonly PciGpu[] | null }) {
    if (devices === null)
        return <Content component="p" className="aiws-muted" id="pci-unknown">{_("lspci is not installed, so the PCI devices cannot be listed.")}</Content>;
    if (devices.length === 0)
        return <Content component="p" id="pci-none">{_("The PCI bus has no NVIDIA graphics device.")}</Content>;
    return (
        <Table variant="compact" aria-label={_("NVIDIA PCI devices")} id="pci-devices">
            <Thead>
                <Tr>
                    <Th>{_("Address")}</Th>
                    <Th>{_("Device")}</Th>
                    <Th>{_("ID")}</Th>
                    <Th>{_("Driver in use")}</Th>
                    <Th>{_("Modules available")}</Th>
                </Tr>
            </Thead>
            <Tbody>
                {devices.map(device => (
                    <Tr key={device.address} data-address={device.address}>
                        <Td dataLabel={_("Address")}>{device.address}</Td>
                        <Td dataLabel={_("Device")}>{device.name}</Td>
                        <Td dataLabel={_("ID")}>{device.deviceId ? `${device.vendorId}:${device.deviceId}` : MISSING}</Td>
                        <Td dataLabel={_("Driver in use")} data-field="driver"><DriverLabel driver={device.driverInUse} /></Td>
                        <Td dataLabel={_("Modules available")}>{device.kernelModules.join(', ')}</Td>
                    </Tr>
                ))}
            </Tbody>
        </Table>
    );
}
