// `nvidia-smi --query-compute-apps=…` (which process holds how much GPU memory where)
// and `nvidia-smi -L` (GPUs and their MIG devices with UUIDs and profiles).
import { ParseError } from '../../pkg/lib/parse-error';
import type { ComputeApp, ListedGpu } from './gpu';
import { csvNumber, isHeaderLine, parseQueryCsv } from './nvidia-smi-csv-parser';
import { normaliseBusId } from './nvidia-smi-values';

const TOOL = 'nvidia-smi';

/**
 * The fields the page asks for. `used_gpu_memory` is the name nvidia-smi prints in its
 * header (recording h100-mig-590-query-compute-apps-load); `used_memory` is an alias.
 */
export const COMPUTE_APPS_FIELDS = ['pid', 'process_name', 'used_gpu_memory', 'gpu_uuid', 'gpu_bus_id'] as const;

export function computeAppsArgv(): string[] {
    return ['nvidia-smi', `--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
}

/**
 * `fields` is the order asked for (default COMPUTE_APPS_FIELDS); with a header and no
 * `fields`, the header's order is used. Needs at least pid and gpu_uuid.
 */
export function parseComputeApps(text: string, fields?: readonly string[]): ComputeApp[] {
    // Older drivers answer an empty query with this sentence instead of nothing.
    if (/^\s*No running (compute )?processes found\s*$/i.test(text))
        return [];
    const first = text.split('\n').find(line => line.trim() !== '') ?? '';
    const table = parseQueryCsv(text, fields ?? (isHeaderLine(first) ? undefined : COMPUTE_APPS_FIELDS));
    if (!table.fields.includes('pid') || !table.fields.includes('gpu_uuid'))
        throw new ParseError(TOOL, 'the compute apps query lacks pid or gpu_uuid', text);
    return table.rows.map(row => {
        const pid = csvNumber(row, 'pid');
        const gpuUuid = row.gpu_uuid;
        if (pid === null || !Number.isInteger(pid) || !gpuUuid)
            throw new ParseError(TOOL, 'a compute app lacks its pid or GPU UUID', text);
        const busId = row.gpu_bus_id ?? null;
        return {
            pid,
            processName: row.process_name ?? '',
            usedMemoryMiB: csvNumber(row, table.fields.includes('used_gpu_memory') ? 'used_gpu_memory' : 'used_memory'),
            gpuUuid,
            gpuBusId: busId === null ? null : normaliseBusId(busId),
        };
    });
}

// GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-0000-0000-000000000000)
const GPU_LINE = /^GPU (\d+): (.*) \(UUID: ([^)]+)\)$/;
//   MIG 3g.40gb     Device  0: (UUID: MIG-00000000-0000-0000-0000-000000000000)
const MIG_LINE = /^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: ([^)]+)\)$/;

export function parseListGpus(text: string): ListedGpu[] {
    const gpus: ListedGpu[] = [];
    for (const line of text.split('\n').map(l => l.replace(/\r$/, ''))) {
        if (line.trim() === '')
            continue;
        const gpu = GPU_LINE.exec(line);
        if (gpu) {
            gpus.push({ index: Number(gpu[1]), name: gpu[2], uuid: gpu[3], migDevices: [] });
            continue;
        }
        const mig = MIG_LINE.exec(line);
        if (mig && gpus.length > 0) {
            gpus[gpus.length - 1].migDevices.push({ index: Number(mig[2]), profile: mig[1], uuid: mig[3] });
            continue;
        }
        throw new ParseError(TOOL, `unexpected line in the GPU list: "${line}"`, text);
    }
    return gpus;
}
