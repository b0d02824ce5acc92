// The typed model of the Kernel & driver area: what each deployment carries (kernel,
// NVIDIA module), which deployments are known to work, what an update would change,
// and how to get back. Types only, so views, hooks and the pure rules all depend on it.
import type { ModInfo } from '../gpus/gpu';

// ---- what a deployment's tree holds --------------------------------------------------

/** One nvidia.ko* found under a kernel's module folder of a deployment's tree. */
export interface TreeModule {
    /** Path inside the deployment, e.g. `usr/lib/modules/6.8.9-300.fc40.x86_64/extra/nvidia/nvidia.ko.xz`. */
    path: string;
    /** modinfo of that file; null when modinfo failed or is missing (see `error`). */
    modinfo: ModInfo | null;
    error: string | null;
}

export interface TreeKernel {
    /** The folder name under usr/lib/modules: `uname -r` of that kernel. */
    version: string;
    modules: TreeModule[];
}

/** What deployment-modules.sh found in one deployment's tree. */
export interface DeploymentTree {
    osname: string;
    checksum: string;
    serial: number;
    kernels: TreeKernel[];
}

/** Where a deployment's inventory came from. */
export type InventorySource =
    /** Its own tree under /ostree/deploy (modinfo on the module files). */
    | 'tree'
    /** Neither the tree nor the package database could be read. */
    | 'none';

export interface NvidiaModuleFacts {
    version: string | null;
    flavour: 'open' | 'proprietary' | null;
    signer: string | null;
    /** vermagic's kernel release. */
    builtFor: string | null;
    path: string;
}

/** The kernel and NVIDIA module one deployment boots with. */
export interface DeploymentInventory {
    /** Deployment.id of the Deployments model. */
    deploymentId: string;
    checksum: string;
    /** The kernel it boots: the status's (ostree.linux), else the only (or newest) one in its tree. */
    kernel: string | null;
    /** The NVIDIA module for that kernel; null when the tree has none for it. */
    nvidia: NvidiaModuleFacts | null;
    /** The module was built for the kernel it sits next to (vermagic = kernel). */
    moduleMatchesKernel: boolean | null;
    source: InventorySource;
    /** What could not be read, in English developer words (shown as facts, not errors). */
    problems: string[];
}

// ---- known-good ---------------------------------------------------------------------

/**
 * One deployment seen booted with a working GPU. Written on the host by the boot-time
 * recorder (record-known-good.sh) and by the page; one JSON object per line of
 * /var/lib/cockpit-ai-workstation/known-good.jsonl, newest last.
 */
export interface KnownGoodRecord {
    checksum: string;
    osname: string | null;
    /** The deployment's version (OSTREE_VERSION / the status), when known. */
    version: string | null;
    kernel: string;
    driverVersion: string;
    /** GPU names nvidia-smi listed. */
    gpus: string[];
    /** ISO 8601 UTC. */
    recordedAt: string;
    recordedBy: 'boot' | 'page';
}

export interface KnownGoodFile {
    records: KnownGoodRecord[];
    /** Lines that were not records (corrupt, truncated): ignored, and said so. */
    ignoredLines: number;
}

/** The pins this page made to keep known-good deployments (never the admin's own pins). */
export interface AutoPins {
    /** Checksums pinned automatically. */
    checksums: string[];
}

export interface KernelSettings {
    /** Keep this many newest known-good deployments pinned (0: off). */
    keepKnownGoodPinned: number;
}

// ---- update guard -------------------------------------------------------------------

export type GuardFinding =
    /** The kernel changes and the new deployment has no NVIDIA module built for it. */
    | { kind: 'kernel-without-module', fromKernel: string | null, toKernel: string }
    /** The kernel changes; akmods builds the module during the transaction: check the staged tree before rebooting. */
    | { kind: 'module-built-on-host', toKernel: string }
    /** The NVIDIA driver's major version changes (570 → 580). */
    | { kind: 'driver-major-change', from: string, to: string }
    /** The kernel changes and the NVIDIA module comes with it, built for it. */
    | { kind: 'kernel-with-module', toKernel: string, moduleVersion: string | null }
    /** What the update carries could not be told (no package list, no image label). */
    | { kind: 'unknown' }
    /**
     * Added for container-image updates: the image's ostree.linux label says the kernel
     * changes, but without a package list nothing says whether the image carries an NVIDIA
     * module built for it, so neither 'kernel-with-module' nor 'kernel-without-module' is
     * true. A warning until the staged tree is read (guardStaged).
     */
    | { kind: 'module-unknown', fromKernel: string | null, toKernel: string };

export interface GuardVerdict {
    level: 'ok' | 'warning' | 'danger';
    findings: GuardFinding[];
}

// ---- recovery -----------------------------------------------------------------------

export type RecoveryPlan =
    /** Nothing to recover: the GPU works. */
    | { kind: 'not-needed' }
    /** No known-good deployment is left to return to. */
    | { kind: 'no-known-good' }
    /** The known-good deployment is what Roll back reaches. */
    | { kind: 'rollback', targetIndex: number, record: KnownGoodRecord }
    /** The known-good deployment is further back: deploy its version (rpm-ostree deploy). */
    | { kind: 'deploy', targetIndex: number, revision: string, record: KnownGoodRecord }
    /** A known-good deployment is already the next boot (Recover ran, or the admin rolled back): reboot. */
    | { kind: 'reboot-into', targetIndex: number, record: KnownGoodRecord }
    /** It is booted already (the breakage is not the deployment's): nothing a deployment change fixes. */
    | { kind: 'booted-is-known-good', record: KnownGoodRecord }
    /**
     * Added: a known-good deployment exists, but no command of the tool makes it the default
     * from here (it is not the rollback target and cannot be deployed by version), so the
     * page explains instead of offering a Recover that would fail.
     */
    | { kind: 'unreachable', targetIndex: number, record: KnownGoodRecord, reason: UnreachableReason };

/** Added with 'unreachable': why the known-good deployment cannot be deployed again. */
export type UnreachableReason =
    /** bootc has no deploy-by-version (actions.ts): only its rollback target is reachable. */
    | 'bootc-no-deploy'
    /** rpm-ostree deploys versions of an ostree branch; on a container image origin a version is no ref to deploy. */
    | 'container-origin'
    /** It came from another origin (rebased since): `rpm-ostree deploy` only walks the booted origin's history. */
    | 'other-origin';
