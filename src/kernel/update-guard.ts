// The update guard (issue 5): before an update or rebase is staged, what it does to the
// kernel and the NVIDIA module compared with the booted deployment; once it is staged, the
// exact answer from the staged tree. Red ('danger') where the GPU would most likely be dead
// after the reboot: a new kernel without a module built for it, or another driver branch
// (570 → 580), which is where user space and module stop matching. Pure.
import type { PackageChanges } from '../deployments/package-changes';
import type { DeploymentInventory, GuardFinding, GuardVerdict } from './kernel';
import { driverVersionOf, isAkmod, kernelChangeOf, kmodKernel, mentionsNvidia, newSide, oldSide, sameKernel } from './nvidia-packages';
import { majorOf, upstreamVersion } from './rpm-version';

export interface UpdateGuardInput {
    booted: DeploymentInventory | null;
    /** The update's package list (`upgrade --preview`, `db diff`); null where the tool gives none (container origins). */
    changes: PackageChanges | null;
    /** The new image's `ostree.linux` label, where the update is a container image. */
    newKernelLabel: string | null;
    /**
     * Added to the brief's input: packages the new deployment keeps though the list does not
     * show them, i.e. the booted deployment's layered packages (Deployment.layering.packages).
     * On Silverblue akmod-nvidia is layered and seldom changes, so a kernel update's list
     * lacks it; without this the guard would cry "no module" at every such update.
     */
    keptPackages?: readonly string[];
}

const DANGER: ReadonlySet<GuardFinding['kind']> = new Set(['kernel-without-module', 'driver-major-change']);
const WARNING: ReadonlySet<GuardFinding['kind']> = new Set(['module-built-on-host', 'unknown', 'module-unknown']);

function verdict(findings: GuardFinding[]): GuardVerdict {
    const level = findings.some(f => DANGER.has(f.kind)) ? 'danger' : findings.some(f => WARNING.has(f.kind)) ? 'warning' : 'ok';
    return { level, findings };
}

function majorChange(from: string | null, to: string | null): GuardFinding[] {
    const a = majorOf(from);
    const b = majorOf(to);
    return a !== null && b !== null && a !== b && from !== null && to !== null ? [{ kind: 'driver-major-change', from, to }] : [];
}

/** Without a package list: only the image label can say whether the kernel changes. */
function guardByLabel(booted: DeploymentInventory | null, label: string | null): GuardVerdict {
    if (label === null)
        return verdict([{ kind: 'unknown' }]);
    if (booted?.kernel === label)
        return verdict([]);
    return verdict([{ kind: 'module-unknown', fromKernel: booted?.kernel ?? null, toKernel: label }]);
}

export function guardUpdate(input: UpdateGuardInput): GuardVerdict {
    const { booted, changes, newKernelLabel } = input;
    if (changes === null)
        return guardByLabel(booted, newKernelLabel);
    const findings: GuardFinding[] = [];
    const change = kernelChangeOf(changes, booted?.kernel ?? null);
    if (change) {
        // the label is the exact uname -r; the package list may lack the arch
        const toKernel = newKernelLabel ?? change.to;
        const added = newSide(changes);
        const removed = new Set(changes.removed.map(p => p.name));
        const prebuilt = added.find(p => {
            const built = kmodKernel(p.name);
            return built !== null && sameKernel(built, toKernel);
        });
        const akmod = [...added.map(p => p.name), ...(input.keptPackages ?? [])].some(n => isAkmod(n) && !removed.has(n));
        // without the booted inventory, NVIDIA packages in the list say the host has a module to lose
        const hasModule = booted ? booted.nvidia !== null : mentionsNvidia(changes);
        if (prebuilt)
            findings.push({ kind: 'kernel-with-module', toKernel, moduleVersion: upstreamVersion(prebuilt.evr) });
        else if (akmod)
            findings.push({ kind: 'module-built-on-host', toKernel });
        else if (hasModule)
            findings.push({ kind: 'kernel-without-module', fromKernel: change.from, toKernel });
    }
    const from = driverVersionOf(oldSide(changes)) ?? booted?.nvidia?.version ?? null;
    findings.push(...majorChange(from, driverVersionOf(newSide(changes))));
    return verdict(findings);
}

/**
 * The staged deployment's own tree says it exactly: its kernel, and whether a module built
 * for that kernel sits next to it (akmods has built it by now, or it has not).
 */
export function guardStaged(booted: DeploymentInventory, staged: DeploymentInventory): GuardVerdict {
    if (staged.source === 'none' || staged.kernel === null)
        return verdict([{ kind: 'unknown' }]);
    const findings: GuardFinding[] = [];
    if (booted.kernel !== staged.kernel) {
        if (staged.nvidia && staged.moduleMatchesKernel === true)
            findings.push({ kind: 'kernel-with-module', toKernel: staged.kernel, moduleVersion: staged.nvidia.version });
        else if (booted.nvidia)
            findings.push({ kind: 'kernel-without-module', fromKernel: booted.kernel, toKernel: staged.kernel });
    }
    findings.push(...majorChange(booted.nvidia?.version ?? null, staged.nvidia?.version ?? null));
    return verdict(findings);
}
