// Reads the driver facts from the host: one sh script, one round trip, unprivileged
// (every file it reads is world-readable; mokutil and modinfo need no root).
import { runScript } from '../../pkg/lib/run';
import type { DriverFacts, NvidiaSmiOutcome } from './gpu';
import { driverFactsOf } from './driver-facts';
import gpuFactsScript from './gpu-facts.sh';
import { parseFactSections } from './gpu-facts-sections';

/** mokutil and lspci answer in well under a second; a stuck EFI variable read must not hang the tab. */
const FACTS_TIMEOUT_MS = 20000;

export async function readDriverFacts(nvidiaSmi: NvidiaSmiOutcome): Promise<DriverFacts> {
    const output = await runScript('gpu-facts.sh', gpuFactsScript, [], { timeoutMs: FACTS_TIMEOUT_MS });
    return driverFactsOf(parseFactSections(output), nvidiaSmi);
}
