// The GPUs tab's host side: which commands it runs and how their answers become the
// model. Reads only, all unprivileged (nvidia-smi, lspci, modinfo and mokutil need no root).
import { readFile } from '../../pkg/lib/file';
import { HostError } from '../../pkg/lib/host-error';
import { runForOutcome } from '../../pkg/lib/run';
import type { GpuInventory, NvidiaSmiOutcome } from './gpu';
import { parseNvidiaSmiXml } from './nvidia-smi-xml-parser';
import { parseProcCgroup, type ProcessOwner } from '../system/process-owner';

/** nvidia-smi -q -x takes a few seconds on an 8-GPU box; a hung driver takes forever. */
export const INVENTORY_TIMEOUT_MS = 30000;

export interface InventoryReading {
    outcome: NvidiaSmiOutcome;
    inventory: GpuInventory | null;
    /** The answer was there but could not be parsed. */
    parseError: unknown;
}

/**
 * stdout and stderr come together: warnings (an infoROM complaint) may sit before or
 * after the document, and the diagnosis reads them.
 */
export function splitWarnings(output: string): { xml: string, rest: string } {
    const start = output.indexOf('<?xml') >= 0 ? output.indexOf('<?xml') : output.indexOf('<nvidia_smi_log');
    if (start < 0)
        return { xml: output, rest: '' };
    const close = output.indexOf('</nvidia_smi_log>', start);
    const end = close < 0 ? output.length : close + '</nvidia_smi_log>'.length;
    return { xml: output.slice(start, end), rest: (output.slice(0, start) + output.slice(end)).trim() };
}

export async function readInventory(): Promise<InventoryReading> {
    let result;
    try {
        result = await runForOutcome(['nvidia-smi', '-q', '-x'], { timeoutMs: INVENTORY_TIMEOUT_MS });
    } catch (error) {
        if (error instanceof HostError && error.kind === 'not-found')
            return { outcome: { kind: 'missing' }, inventory: null, parseError: null };
        if (error instanceof HostError && error.kind === 'timeout')
            return { outcome: { kind: 'timeout' }, inventory: null, parseError: null };
        throw error;
    }
    if (result.exitStatus !== 0)
        return { outcome: { kind: 'failed', exit: result.exitStatus, text: result.output }, inventory: null, parseError: null };
    const { xml, rest } = splitWarnings(result.output);
    try {
        const inventory = parseNvidiaSmiXml(xml);
        return { outcome: { kind: 'ok', driverVersion: inventory.driverVersion, text: rest }, inventory, parseError: null };
    } catch (error) {
        return { outcome: { kind: 'ok', driverVersion: null, text: rest }, inventory: null, parseError: error };
    }
}

/** Who a process belongs to, from /proc/<pid>/cgroup; null when the process is gone. */
export async function readProcessOwner(pid: number): Promise<ProcessOwner | null> {
    if (!Number.isInteger(pid) || pid <= 0)
        return null;
    const text = await readFile(`/proc/${pid}/cgroup`).catch(() => null);
    return text === null ? null : parseProcCgroup(text);
}
