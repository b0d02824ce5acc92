// The verdict on the NVIDIA driver: which one named condition explains what nvidia-smi
// said, judged against the kernel-side facts. nvidia-smi's message says *that* the driver
// is unusable; the facts say *why* (nouveau holds the GPU, no module for this kernel,
// Secure Boot refused an unsigned module), and the why decides the remedy. Pure; the
// words are in diagnosis-text.ts.
import type { Condition, Diagnosis, DriverFacts, PciGpu } from './gpu';
import { describeCondition } from './diagnosis-text';
import { isSignerEnrolled } from './mokutil-parser';
import { classifyNvidiaSmiFailure, corruptedInfoRoms, type NvidiaSmiFailure } from './nvidia-smi-failure';

/** What the wording needs besides the facts: the evidence the verdict rests on. */
export type Evidence =
    | { condition: 'healthy', driverVersion: string | null }
    | { condition: 'no-nvidia-hardware' }
    | { condition: 'nvidia-smi-missing', devices: PciGpu[] | null }
    | { condition: 'nvidia-smi-timeout' }
    | { condition: 'version-mismatch', nvmlVersion: string | null, loadedVersion: string | null }
    | { condition: 'driver-not-loaded' }
    | { condition: 'module-kernel-mismatch', builtFor: string | null, modinfoError: string | null }
    | { condition: 'unsigned-module-secure-boot', signer: string | null }
    | { condition: 'nouveau-bound', devices: PciGpu[] }
    | { condition: 'nvml-missing' }
    | { condition: 'no-devices', vfioDevices: PciGpu[] }
    | { condition: 'gpu-lost', busId: string | null }
    | { condition: 'device-handle-unknown', busId: string | null }
    | { condition: 'inforom-corrupted', busIds: string[] }
    | { condition: 'stale-cdi', path: string, specVersion: string, driverVersion: string }
    | { condition: 'unknown-failure', exit: number };

// every Evidence names a Condition, and no Condition lacks an Evidence
type Covered = Evidence['condition'] extends Condition ? (Condition extends Evidence['condition'] ? true : never) : never;
const _covered: Covered = true;
void _covered;

function nouveauHolds(facts: DriverFacts): PciGpu[] | null {
    const bound = (facts.pciDevices ?? []).filter(device => device.driverInUse === 'nouveau');
    if (bound.length > 0)
        return bound;
    // without lspci, a loaded nouveau and no nvidia say the same
    const loaded = facts.module.loadedModules;
    if (facts.pciDevices === null && loaded.includes('nouveau') && !loaded.includes('nvidia'))
        return [];
    return null;
}

/** Why the kernel has no usable nvidia module, when the facts show it. */
function kernelSideCause(facts: DriverFacts): Evidence | null {
    const nouveau = nouveauHolds(facts);
    if (nouveau !== null)
        return { condition: 'nouveau-bound', devices: nouveau };
    const { modinfo, modinfoError, loadedVersion } = facts.module;
    if (modinfo === null && modinfoError !== null)
        return { condition: 'module-kernel-mismatch', builtFor: null, modinfoError };
    if (modinfo?.vermagicKernel && facts.kernelRelease && modinfo.vermagicKernel !== facts.kernelRelease)
        return { condition: 'module-kernel-mismatch', builtFor: modinfo.vermagicKernel, modinfoError: null };
    if (facts.secureBoot === 'enabled' && loadedVersion === null && modinfo !== null) {
        const signer = modinfo.signer;
        if (signer === null)
            return { condition: 'unsigned-module-secure-boot', signer: null };
        if (facts.enrolledKeys !== null && !isSignerEnrolled(signer, facts.enrolledKeys))
            return { condition: 'unsigned-module-secure-boot', signer };
    }
    return null;
}

function failureEvidence(failure: NvidiaSmiFailure, facts: DriverFacts, exit: number): Evidence {
    switch (failure.kind) {
    case 'version-mismatch':
        return { condition: 'version-mismatch', nvmlVersion: failure.nvmlVersion, loadedVersion: facts.module.loadedVersion };
    case 'cannot-communicate':
        return kernelSideCause(facts) ?? { condition: 'driver-not-loaded' };
    case 'nvml-missing':
        return { condition: 'nvml-missing' };
    case 'no-devices':
        return { condition: 'no-devices', vfioDevices: (facts.pciDevices ?? []).filter(d => d.driverInUse === 'vfio-pci') };
    case 'gpu-lost':
        return { condition: 'gpu-lost', busId: failure.busId };
    case 'device-handle-unknown':
        return { condition: 'device-handle-unknown', busId: failure.busId };
    case 'unknown':
        return { condition: 'unknown-failure', exit };
    }
}

function staleCdi(facts: DriverFacts, driverVersion: string | null): Evidence | null {
    const current = driverVersion ?? facts.module.loadedVersion;
    if (current === null)
        return null;
    const stale = facts.cdiSpecs.find(spec => spec.driverVersion !== null && spec.driverVersion !== current);
    return stale ? { condition: 'stale-cdi', path: stale.path, specVersion: stale.driverVersion!, driverVersion: current } : null;
}

export function evidenceOf(facts: DriverFacts): Evidence {
    const outcome = facts.nvidiaSmi;
    switch (outcome.kind) {
    case 'missing':
        if (facts.pciDevices !== null && facts.pciDevices.length === 0)
            return { condition: 'no-nvidia-hardware' };
        return { condition: 'nvidia-smi-missing', devices: facts.pciDevices };
    case 'timeout':
        return { condition: 'nvidia-smi-timeout' };
    case 'failed':
        return failureEvidence(classifyNvidiaSmiFailure(outcome.text), facts, outcome.exit);
    case 'ok': {
        const corrupted = corruptedInfoRoms(outcome.text ?? '');
        if (corrupted.length > 0)
            return { condition: 'inforom-corrupted', busIds: corrupted };
        return staleCdi(facts, outcome.driverVersion) ?? { condition: 'healthy', driverVersion: outcome.driverVersion };
    }
    }
}

export function diagnose(facts: DriverFacts): Diagnosis {
    return describeCondition(evidenceOf(facts), facts);
}
