// Each GPU scenario of the simulated workstation, read the way the page reads a host
// (nvidia-smi -q -x, then gpu-facts.sh) and diagnosed: the verdict the scenario stands for.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Condition, NvidiaSmiOutcome } from './gpu';
import { diagnose } from './diagnosis';
import { driverFactsOf } from './driver-facts';
import { parseFactSections } from './gpu-facts-sections';
import { splitWarnings } from './gpus-client';
import { parseNvidiaSmiXml } from './nvidia-smi-xml-parser';

import { prepareSimHost } from '../../test/unit/sim-host';

const EXPECTED: Record<string, Condition> = {
    'healthy': 'healthy',
    'multi-gpu-mig': 'healthy',
    'not-ostree': 'healthy',
    'driver-mismatch': 'version-mismatch',
    'no-driver-loaded': 'driver-not-loaded',
    'kernel-module-mismatch': 'module-kernel-mismatch',
    'nouveau-bound': 'nouveau-bound',
    'unsigned-secure-boot': 'unsigned-module-secure-boot',
    'stale-cdi': 'stale-cdi',
    'no-nvidia': 'nvidia-smi-missing',
};

const SCRIPT = path.join(__dirname, 'gpu-facts.sh');
let base: string;
beforeAll(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-gpu-scenarios-')) });
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

test.each(Object.entries(EXPECTED))('%s → %s', (scenario, condition) => {
    const host = prepareSimHost(scenario, path.join(base, scenario));
    let outcome: NvidiaSmiOutcome;
    const present = host.sh('command -v nvidia-smi').status === 0;
    if (!present) {
        outcome = { kind: 'missing' };
    } else {
        const smi = host.sh('nvidia-smi -q -x 2>&1');
        if (smi.status === 0) {
            const { xml, rest } = splitWarnings(smi.stdout);
            outcome = { kind: 'ok', driverVersion: parseNvidiaSmiXml(xml).driverVersion, text: rest };
        } else {
            outcome = { kind: 'failed', exit: smi.status ?? -1, text: smi.stdout };
        }
    }
    const facts = driverFactsOf(parseFactSections(host.sh(`/bin/sh ${SCRIPT}`).stdout), outcome);
    expect(facts.unreadable).toEqual([]);
    expect(diagnose(facts).condition).toBe(condition);
});
