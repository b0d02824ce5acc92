// The typed model of the Deployments tab: what the status parsers produce and the
// views, hooks, the Kernel & driver tab and the simulator consume. Types only (plus
// tiny constant tables), so any file of the area can depend on it without pulling in a
// parser. Both `rpm-ostree status --json` and `bootc status --json` map onto it.
//
// Conventions: a field the tool did not report is null (or [] for lists), never a
// made-up default; times are seconds since the epoch (UTC) as the tools give them, so
// they compare and serialise without Date objects.
import type { DeploymentFacts, DeploymentsTool } from './actions';

// ---- origins ----------------------------------------------------------------------

/** ostree-ext's transports for the image part of a container image reference. */
export const IMAGE_TRANSPORTS = ['registry', 'oci', 'oci-archive', 'docker-archive', 'containers-storage', 'dir'] as const;
export type ImageTransport = typeof IMAGE_TRANSPORTS[number];

/** Who vouches for a container image: the verification half of the `ostree-*:` prefix. */
export type ImageVerification =
    /** `ostree-image-signed:`: containers-policy.json decides. */
    | { kind: 'signed' }
    /** `ostree-unverified-image:` / `ostree-unverified-registry:`: no signature check. */
    | { kind: 'unverified' }
    /** `ostree-remote-image:R:` / `ostree-remote-registry:R:`: the keys of ostree remote R. */
    | { kind: 'ostree-remote', remote: string };

/** A classic ostree origin, `remote:ref` (e.g. `fedora:fedora/x86_64/coreos/stable`) or a bare ref. */
export interface OstreeRefOrigin {
    kind: 'ostree-ref';
    /** The origin exactly as the tool printed it. */
    text: string;
    /** null for a bare (local, or remote-implied) ref such as `fedora/33/x86_64/silverblue`. */
    remote: string | null;
    ref: string;
}

/** A container image origin (rpm-ostree's `container-image-reference`, bootc's image). */
export interface ContainerImageOrigin {
    kind: 'container-image';
    text: string;
    /**
     * Everything before the image, as written: `ostree-unverified-registry:`,
     * `ostree-image-signed:docker://`, `ostree-remote-image:fedora:registry:`, … and ''
     * for a bare image reference (what `bootc switch` takes).
     */
    prefix: string;
    verification: ImageVerification;
    transport: ImageTransport;
    /** The transport-specific part, e.g. `quay.io/fedora/fedora-coreos:testing`. */
    image: string;
    /** The image without tag and digest, e.g. `quay.io/fedora/fedora-coreos`. */
    name: string;
    tag: string | null;
    /** `sha256:…` when the reference itself pins a digest. */
    digest: string | null;
}

/** An origin form this page does not know (rojig://, pivot://, a newer prefix): shown as text. */
export interface UnknownOrigin {
    kind: 'unknown';
    text: string;
}

export type Origin = OstreeRefOrigin | ContainerImageOrigin | UnknownOrigin;

// ---- packages ---------------------------------------------------------------------

/** A package as rpm-ostree reports it: the full NEVRA and its parts. */
export interface Nevra {
    /** e.g. `rpm-ostree-2021.1-2.fc33.x86_64` */
    nevra: string;
    name: string;
    epoch: number;
    version: string;
    release: string;
    arch: string;
}

/** One `rpm-ostree override replace`: the package now in the tree and the base one it replaced. */
export interface Replacement {
    replacement: Nevra;
    replaced: Nevra;
}

/** Client-side package layering (`rpm-ostree install`). */
export interface Layering {
    /** `requested-packages`: names the admin asked for. */
    requested: string[];
    /** `requested-local-packages`: local RPM files the admin layered. */
    requestedLocal: string[];
    /** `requested-local-fileoverride-packages`: local RPMs allowed to replace base files. */
    requestedLocalFileoverride: string[];
    /** `packages`: what is actually layered in this deployment. */
    packages: string[];
    /** `requested-modules` / `modules`: DNF modules. */
    requestedModules: string[];
    modules: string[];
}

/** Base packages taken out (`rpm-ostree override remove`). */
export interface Removals {
    /** `requested-base-removals`: names the admin asked to remove. */
    requested: string[];
    /** `base-removals`: the base packages actually removed. */
    removed: Nevra[];
}

/** Base packages replaced (`rpm-ostree override replace`). */
export interface Overrides {
    /** `requested-base-local-replacements`: the local RPMs the admin gave, as NEVRAs. */
    requestedLocal: string[];
    /** `base-local-replacements`: what replaced what. */
    local: Replacement[];
    /** `base-remote-replacements`: source (`repo=…`) → the packages taken from it. */
    remote: Record<string, string[]>;
}

// ---- deployment -------------------------------------------------------------------

/** ostree's unlocked states (`ostree admin unlock`). */
export const UNLOCKED_STATES = ['none', 'development', 'hotfix', 'transient'] as const;
export type UnlockedState = typeof UNLOCKED_STATES[number] | 'other';

export interface Unlocked {
    state: UnlockedState;
    /** The word the tool printed, kept for 'other'. */
    raw: string;
}

/** Where the kernel version came from, most specific first. */
export type KernelSource =
    /** `ostree.linux` of the layered commit: the tree this deployment boots, overrides included. */
    | 'layered-commit'
    /** `ostree.linux` of the base commit. */
    | 'base-commit'
    /** `ostree.linux` label of the container image the base was imported from. */
    | 'image-label';

export interface KernelInfo {
    /** `uname -r` form, e.g. `6.12.7-200.fc41.x86_64`. */
    version: string;
    source: KernelSource;
}

/** A commit's identity where the status reports one apart from the deployment's own. */
export interface CommitRef {
    checksum: string;
    version: string | null;
    timestamp: number | null;
}

/** What a deployment is to the next boot, derived from the list (see deployment-roles.ts). */
export type DeploymentRole =
    /** Position 0: what the bootloader starts next. */
    | 'default'
    /** Newer than the booted one and not booted yet (staged, or written but not booted). */
    | 'pending'
    /** What the tool's rollback command would make the default. */
    | 'rollback-target';

export interface Deployment extends DeploymentFacts {
    /**
     * Unique within one status: rpm-ostree's `id` (`osname-checksum.serial`); for bootc
     * built the same way, without the `osname-` where bootc does not name the stateroot.
     */
    id: string;
    /** The stateroot; null where the tool does not say (bootc before v1). */
    osname: string | null;
    /** The commit this deployment checked out (for composefs-only bootc entries: the verity digest). */
    checksum: string;
    /** ostree's deploy serial (`checksum.serial` is the deployment directory). */
    serial: number;
    version: string | null;
    timestamp: number | null;
    /** null only when the status names no origin at all. */
    origin: Origin | null;
    /** rpm-ostree `custom-origin` (a checksum rebase that says where it came from). */
    customOrigin: { url: string, description: string } | null;
    /** The manifest digest of the container image this deployment came from. */
    imageDigest: string | null;
    unlocked: Unlocked | null;
    layering: Layering;
    removals: Removals;
    overrides: Overrides;
    /** The base commit under local layers (`base-checksum`); null when nothing is layered. */
    base: CommitRef | null;
    /** A newer base commit already pulled for this deployment's ref (`pending-base-*`). */
    pendingBase: CommitRef | null;
    kernel: KernelInfo | null;
    initramfs: {
        /** `regenerate-initramfs`: dracut runs on the client. */
        regenerate: boolean,
        args: string[],
        /** `initramfs-etc`: /etc files copied into the initramfs. */
        etc: string[],
    };
    /** `rpm-ostree apply-live`: the commit applied to the running system, and one in flight. */
    live: { replaced: string | null, inProgress: string | null };
    gpgEnabled: boolean | null;
    /** `endoflife` of the base commit: the vendor's notice that this stream ended. */
    endOfLife: string | null;
    /** Staged with `--lock-finalization`: it will not be applied at shutdown. */
    finalizationLocked: boolean;
    /** bootc: the origin has changes bootc does not understand (e.g. layered packages). */
    incompatible: boolean | null;
    /** bootc: a userspace-only (soft) reboot can switch to it. */
    softRebootCapable: boolean | null;
    roles: DeploymentRole[];
}

// ---- status -----------------------------------------------------------------------

/** rpm-ostree's running transaction (its D-Bus ActiveTransaction: method, sender, path). */
export interface Transaction {
    /**
     * What `status --json` reports first: the daemon's D-Bus method name
     * (`AutomaticUpdateTrigger`, `UpdateDeployment`, `Rollback`, …; rpmostreed-os.cxx). The
     * words an admin reads come from transactionText() in deployment-text.ts.
     */
    title: string;
    /** The D-Bus sender that started it. */
    owner: string;
    /** Its D-Bus object path. */
    path: string;
}

/** The update the tool last found, without deploying it. */
export interface CachedUpdate {
    version: string | null;
    timestamp: number | null;
    /** rpm-ostree: the commit; bootc has none. */
    checksum: string | null;
    /** bootc: the image digest. */
    imageDigest: string | null;
    origin: Origin | null;
    /** rpm-ostree: false when the record points at the base already booted (a stale record). */
    refHasNewCommit: boolean | null;
}

/** The agent registered to drive updates (e.g. Zincati), from rpm-ostree's `update-driver`. */
export interface UpdateDriver {
    name: string;
    unit: string;
}

/** What the rollback command would do now (see deployment-roles.ts for the rules). */
export type RollbackPlan =
    /** deployments[index] becomes the default; a staged deployment, if any, is dropped. */
    | { kind: 'target', index: number, discardsStaged: boolean }
    /** rpm-ostree refuses while a deployment is staged ("remove with cleanup -p"). */
    | { kind: 'blocked-by-staged', stagedIndex: number }
    /** A single deployment, or none booted: nothing to go back to. */
    | { kind: 'none' };

export interface DeploymentsStatus {
    tool: DeploymentsTool;
    /** In ostree's order: index i is the i that `ostree admin pin` / `undeploy` take. */
    deployments: Deployment[];
    transaction: Transaction | null;
    cachedUpdate: CachedUpdate | null;
    updateDriver: UpdateDriver | null;
    rollback: RollbackPlan;
}
