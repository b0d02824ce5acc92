// The package difference between two trees (an update, a rollback, `rpm-ostree db diff`),
// and the pure helpers the views use on it: counts, the admin's filter, and the order that
// puts what breaks GPUs (kernel, NVIDIA) first. Types and pure functions only.

/** A package in both trees with another version. Versions are `[epoch:]version-release` as rpm-ostree prints them (no zero epoch). */
export interface ModifiedPackage {
    name: string;
    from: string;
    to: string;
    /** Only where the tool printed it (`db diff --changelogs` does); null otherwise. */
    arch: string | null;
}

/** A package in only one of the trees. */
export interface SinglePackage {
    name: string;
    evr: string;
    arch: string | null;
}

export interface PackageChanges {
    upgraded: ModifiedPackage[];
    downgraded: ModifiedPackage[];
    removed: SinglePackage[];
    added: SinglePackage[];
}

/** rpm-ostree's `Diff: 4 upgraded, 1 added` line, as counts. */
export interface DiffSummary {
    upgraded: number;
    downgraded: number;
    removed: number;
    added: number;
}

export type ChangeKind = keyof PackageChanges;
export const CHANGE_KINDS: readonly ChangeKind[] = ['upgraded', 'downgraded', 'removed', 'added'];

export function emptyChanges(): PackageChanges {
    return { upgraded: [], downgraded: [], removed: [], added: [] };
}

export function summarizeChanges(changes: PackageChanges): DiffSummary {
    return {
        upgraded: changes.upgraded.length,
        downgraded: changes.downgraded.length,
        removed: changes.removed.length,
        added: changes.added.length,
    };
}

export function isEmptyChanges(changes: PackageChanges): boolean {
    return CHANGE_KINDS.every(kind => changes[kind].length === 0);
}

// ---- what matters on a GPU box ------------------------------------------------------

export type ChangeCategory = 'kernel' | 'nvidia' | 'other';

/**
 * The kernel's own packages, in the order they are shown: Fedora's split kernel packages
 * (the ones `rpm-ostree override replace` pins, issue 5) and Photon's `linux`
 * (rollback-with-diff-photon4-photondocs.txt).
 */
export const KERNEL_PACKAGES: readonly string[] = [
    'kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core', 'kernel-modules-extra', 'linux',
];

/**
 * NVIDIA's driver stack: anything named for NVIDIA (nvidia-driver*, libnvidia*,
 * akmod-nvidia, kmod-nvidia*, xorg-x11-drv-nvidia*) and the CUDA packages that must match it.
 */
export function isNvidiaPackage(name: string): boolean {
    const n = name.toLowerCase();
    return n.includes('nvidia') || n.startsWith('cuda');
}

export function categoryOf(name: string): ChangeCategory {
    if (KERNEL_PACKAGES.includes(name))
        return 'kernel';
    return isNvidiaPackage(name) ? 'nvidia' : 'other';
}

export interface ImportantChange {
    category: ChangeCategory;
    kind: ChangeKind;
    name: string;
    /** null for an added package. */
    from: string | null;
    /** null for a removed package. */
    to: string | null;
    arch: string | null;
}

const CATEGORY_ORDER: Record<ChangeCategory, number> = { kernel: 0, nvidia: 1, other: 2 };

function compareNames(a: string, b: string): number {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    if (la !== lb)
        return la < lb ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

function compareChanges(a: ImportantChange, b: ImportantChange): number {
    const byCategory = CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category];
    if (byCategory !== 0)
        return byCategory;
    if (a.category === 'kernel') {
        const byKernelOrder = KERNEL_PACKAGES.indexOf(a.name) - KERNEL_PACKAGES.indexOf(b.name);
        if (byKernelOrder !== 0)
            return byKernelOrder;
    }
    return compareNames(a.name, b.name) || CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind);
}

/** Every change, one list: kernel packages first, then NVIDIA's, then the rest by name. */
export function importantChanges(changes: PackageChanges): ImportantChange[] {
    const all: ImportantChange[] = [
        ...changes.upgraded.map(p => ({ kind: 'upgraded' as const, name: p.name, from: p.from, to: p.to, arch: p.arch })),
        ...changes.downgraded.map(p => ({ kind: 'downgraded' as const, name: p.name, from: p.from, to: p.to, arch: p.arch })),
        ...changes.removed.map(p => ({ kind: 'removed' as const, name: p.name, from: p.evr, to: null, arch: p.arch })),
        ...changes.added.map(p => ({ kind: 'added' as const, name: p.name, from: null, to: p.evr, arch: p.arch })),
    ].map(change => ({ ...change, category: categoryOf(change.name) }));
    return all.sort(compareChanges);
}

/** The changes whose name or versions contain `text`, ignoring case; blank text keeps all. */
export function filterChanges(changes: PackageChanges, text: string): PackageChanges {
    const needle = text.trim().toLowerCase();
    if (needle === '')
        return changes;
    const hit = (...fields: string[]) => fields.some(f => f.toLowerCase().includes(needle));
    return {
        upgraded: changes.upgraded.filter(p => hit(p.name, p.from, p.to)),
        downgraded: changes.downgraded.filter(p => hit(p.name, p.from, p.to)),
        removed: changes.removed.filter(p => hit(p.name, p.evr)),
        added: changes.added.filter(p => hit(p.name, p.evr)),
    };
}
