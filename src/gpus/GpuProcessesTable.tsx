// Every process on a GPU, with the container or unit it belongs to.
import { Content, EmptyState, EmptyStateBody } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { _ } from '../../pkg/lib/gettext';
import { OwnerLabel } from '../system/OwnerLabel';
import type { ProcessOwner } from '../system/process-owner';
import { mebibytes } from './format';

export interface GpuProcessRow {
    pid: number;
    name: string;
    usedMemoryMiB: number | null;
    /** "GPU 0" or "GPU 0 / MIG 1" */
    gpuLabel: string;
    owner: ProcessOwner | null;
}

export function GpuProcessesTable({ rows }: { rows: readonly GpuProcessRow[] }) {
    if (rows.length === 0) {
        return (
            <EmptyState headingLevel="h4" titleText={_("No processes use a GPU")} variant="xs" id="gpu-processes-empty">
                <EmptyStateBody>{_("Model servers and other CUDA programs show up here while they run.")}</EmptyStateBody>
            </EmptyState>
        );
    }
    return (
        <>
            <Content component="p" className="aiws-muted">
                {_("Owners come from each process's control group: a podman container, a systemd service, or a user's session.")}
            </Content>
            <Table variant="compact" aria-label={_("GPU processes")} id="gpu-processes">
                <Thead>
                    <Tr>
                        <Th>{_("PID")}</Th>
                        <Th>{_("Program")}</Th>
                        <Th>{_("GPU")}</Th>
                        <Th>{_("GPU memory")}</Th>
                        <Th>{_("Belongs to")}</Th>
                    </Tr>
                </Thead>
                <Tbody>
                    {rows.map(row => (
                        <Tr key={`${row.pid}-${row.gpuLabel}`} data-pid={row.pid}>
                            <Td dataLabel={_("PID")}>{row.pid}</Td>
                            <Td dataLabel={_("Program")}>{row.name}</Td>
                            <Td dataLabel={_("GPU")}>{row.gpuLabel}</Td>
                            <Td dataLabel={_("GPU memory")}>{mebibytes(row.usedMemoryMiB)}</Td>
                            <Td dataLabel={_("Belongs to")} data-field="owner"><OwnerLabel owner={row.owner} /></Td>
                        </Tr>
                    ))}
                </Tbody>
            </Table>
        </>
    );
}
