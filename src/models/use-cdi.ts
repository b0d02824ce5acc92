// What the create dialog needs to offer GPUs: the NVIDIA CDI specs on the host and the
// loaded driver's version, read as files (no process). A spec generated for another
// driver mounts libraries that are gone: containers then fail to start or see no GPU.
import { useEffect, useState } from 'react';
import { readFile } from '../../pkg/lib/file';
import { parseCdiSpec } from '../gpus/cdi-spec-parser';
import type { CdiSpec } from '../gpus/gpu';

export const CDI_SPEC_PATHS = ['/etc/cdi/nvidia.yaml', '/var/run/cdi/nvidia.yaml'] as const;

export interface CdiFacts {
    specs: CdiSpec[];
    /** /sys/module/nvidia/version; null when the module is not loaded. */
    loadedDriver: string | null;
}

export type CdiVerdict =
    | { kind: 'none' } // no spec: GPUs cannot be given by CDI name
    | { kind: 'stale', spec: CdiSpec, loadedDriver: string }
    | { kind: 'ok', devices: string[] };

export function cdiVerdict(facts: CdiFacts): CdiVerdict {
    const spec = facts.specs[0];
    if (!spec)
        return { kind: 'none' };
    const stale = facts.specs.find(s => s.driverVersion !== null && facts.loadedDriver !== null && s.driverVersion !== facts.loadedDriver);
    if (stale && facts.loadedDriver !== null)
        return { kind: 'stale', spec: stale, loadedDriver: facts.loadedDriver };
    return { kind: 'ok', devices: [...new Set(facts.specs.flatMap(s => s.devices))] };
}

async function readCdiFacts(): Promise<CdiFacts> {
    const specs: CdiSpec[] = [];
    for (const path of CDI_SPEC_PATHS) {
        const text = await readFile(path).catch(() => null);
        if (text === null)
            continue;
        try {
            specs.push(parseCdiSpec(path, text));
        } catch {
            // a damaged spec is as good as none for offering GPUs; the GPUs tab names the problem
        }
    }
    const version = await readFile('/sys/module/nvidia/version').catch(() => null);
    return { specs, loadedDriver: version?.trim() || null };
}

export function useCdiFacts(): CdiFacts | null {
    const [facts, setFacts] = useState<CdiFacts | null>(null);
    useEffect(() => {
        let alive = true;
        readCdiFacts().then(f => alive && setFacts(f), () => alive && setFacts({ specs: [], loadedDriver: null }));
        return () => {
            alive = false;
        };
    }, []);
    return facts;
}
