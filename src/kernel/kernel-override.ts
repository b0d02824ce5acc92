// Kernel pinning on package-based origins: `rpm-ostree override replace` of the kernel
// packages with RPMs the admin names (local files or https URLs), the overrides a
// deployment carries, and `rpm-ostree override reset`. What the admin types is checked
// before it reaches argv (DESIGN decision 3). Reasons and problems are shown to the admin
// as they are, so they are translated here. Pure.
import { _, format } from '../../pkg/lib/gettext';
import { ActionNotPossible } from '../deployments/actions';
import type { Deployment, Nevra, Replacement } from '../deployments/deployment';
import { nevraFromString } from '../deployments/nevra';

/**
 * The packages that make up a Fedora kernel, the set rpm-ostree's own documentation
 * overrides together (`override replace … kernel kernel-core kernel-modules
 * kernel-modules-core kernel-modules-extra`, docs/ex-replace.md of coreos/rpm-ostree).
 */
export const KERNEL_PACKAGES = ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core', 'kernel-modules-extra'] as const;
export type KernelPackage = typeof KERNEL_PACKAGES[number];

export function isKernelPackage(name: string): name is KernelPackage {
    return (KERNEL_PACKAGES as readonly string[]).includes(name);
}

export interface OverrideSource {
    kind: 'path' | 'url';
    text: string;
    /** The package the file name says it is (name-version-release.arch.rpm); null when it does not parse. */
    package: Nevra | null;
}

export type OverrideSourceCheck =
    | { ok: true, source: OverrideSource }
    | { ok: false, reason: string };

function refuse(reason: string): OverrideSourceCheck {
    return { ok: false, reason };
}

// RPM file names: NEVRA characters (`+` as in libstdc++, `~` and `^` of rpm version
// sorting) and path separators. Nothing a shell or glob would act on.
const PATH_CHARS = /^[A-Za-z0-9._+~^/-]+$/;
// The same for a URL, with the `:` of a port and `%` escapes.
const URL_CHARS = /^[A-Za-z0-9._+~^/:%-]+$/;

function packageOf(fileName: string): Nevra | null {
    const nevra = nevraFromString(fileName.replace(/\.rpm$/, ''));
    return nevra.version === '' ? null : nevra;
}

function pathProblem(path: string): string | null {
    const segments = path.split('/').slice(1);
    if (segments.some(s => s === '..'))
        return _("the path contains \"..\": give the file's own absolute path");
    if (segments.some(s => s === '' || s === '.'))
        return _("the path has an empty or \".\" part");
    return null;
}

/**
 * An absolute local path of an .rpm, or an https:// URL of one. Refused: relative paths,
 * `..`, anything but https, credentials in the URL (they would land in the journal and
 * in rpm-ostree's origin file), queries, blanks, shell characters.
 */
export function validateOverrideSource(text: string): OverrideSourceCheck {
    if (text.trim() === '')
        return refuse(_("the package source is empty"));
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(text))
        return refuse(_("the package source contains control characters"));
    if (/\s/.test(text))
        return refuse(_("the package source contains blanks"));
    if (!/^[\x21-\x7e]+$/.test(text))
        return refuse(_("the package source contains characters outside printable ASCII"));
    if (text.startsWith('-'))
        return refuse(_("the package source starts with \"-\" and would be read as an option"));

    if (text.startsWith('/')) {
        if (!PATH_CHARS.test(text))
            return refuse(_("the path contains characters RPM file names do not use"));
        const problem = pathProblem(text);
        if (problem)
            return refuse(problem);
        if (!text.endsWith('.rpm'))
            return refuse(_("the path does not end in .rpm"));
        return { ok: true, source: { kind: 'path', text, package: packageOf(text.slice(text.lastIndexOf('/') + 1)) } };
    }

    if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !text.startsWith('https://'))
        return refuse(_("only https:// URLs are taken: a package fetched in the clear can be swapped on the way"));
    if (!text.startsWith('https://'))
        return refuse(_("give an absolute path (/…/kernel-core-….rpm) or an https:// URL"));
    if (text.includes('@'))
        return refuse(_("the URL carries credentials (user@ or user:password@); they would end up in logs"));
    if (text.includes('?') || text.includes('#'))
        return refuse(_("the URL has a query or fragment; give the plain URL of the .rpm"));
    if (!URL_CHARS.test(text))
        return refuse(_("the URL contains characters that need escaping or that a shell would act on"));
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return refuse(_("the URL does not parse"));
    }
    if (url.hostname === '')
        return refuse(_("the URL has no host"));
    const slash = text.indexOf('/', 'https://'.length);
    if (slash < 0 || pathProblem(text.slice(slash)))
        return refuse(_("the URL path is empty or contains \".\" or \"..\" parts"));
    if (!url.pathname.endsWith('.rpm'))
        return refuse(_("the URL does not end in .rpm"));
    let fileName: string;
    try {
        fileName = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
    } catch {
        return refuse(_("the URL has a broken %-escape"));
    }
    return { ok: true, source: { kind: 'url', text, package: packageOf(fileName) } };
}

/**
 * What is odd about a set of RPMs meant to pin one kernel: not kernel packages, the same
 * package twice, several releases mixed (modules of one kernel next to another's core).
 * Empty when the set is coherent.
 */
export function kernelPinProblems(sources: readonly OverrideSource[]): string[] {
    const problems: string[] = [];
    const names = sources.map(s => s.package?.name ?? null);
    for (const source of sources) {
        if (!source.package)
            // Translators: $0 is the path or URL of a package file
            problems.push(format(_("$0 is not named like an RPM (name-version-release.arch.rpm)"), source.text));
        else if (!isKernelPackage(source.package.name))
            // Translators: $0 is a package name, $1 the list of kernel package names
            problems.push(format(_("$0 is not one of the kernel packages ($1)"), source.package.name, KERNEL_PACKAGES.join(', ')));
    }
    const seen = new Set<string>();
    for (const name of names) {
        if (name !== null && seen.has(name))
            // Translators: $0 is a package name
            problems.push(format(_("$0 is given twice"), name));
        if (name !== null)
            seen.add(name);
    }
    const releases = new Set(sources.flatMap(s => s.package ? [kernelRelease(s.package)] : []));
    if (releases.size > 1)
        // Translators: $0 is a list of kernel releases, e.g. 6.12.7-200.fc41.x86_64
        problems.push(format(_("the packages are of different kernels: $0"), [...releases].join(', ')));
    return problems;
}

/** `rpm-ostree override replace <path-or-url>...`; throws ActionNotPossible for an empty or unchecked list. */
export function overrideReplaceArgv(sources: readonly OverrideSource[]): string[] {
    if (sources.length === 0)
        throw new ActionNotPossible(_("no package to replace the kernel with"));
    for (const source of sources) {
        const check = validateOverrideSource(source.text);
        if (!check.ok)
            // Translators: $0 is the path or URL of a package file, $1 why it is refused
            throw new ActionNotPossible(format(_("$0: $1"), source.text, check.reason));
    }
    if (new Set(sources.map(s => s.text)).size !== sources.length)
        throw new ActionNotPossible(_("the same package source is given twice"));
    return ['rpm-ostree', 'override', 'replace', ...sources.map(s => s.text)];
}

// rpm package names: what `rpm -q --qf %{NAME}` can print for the packages overridden here
const PACKAGE_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/** `rpm-ostree override reset <name>...` or `--all`; throws ActionNotPossible for an empty or odd list. */
export function overrideResetArgv(names: readonly string[] | 'all'): string[] {
    if (names === 'all')
        return ['rpm-ostree', 'override', 'reset', '--all'];
    if (names.length === 0)
        throw new ActionNotPossible(_("no package override to reset"));
    for (const name of names) {
        if (!PACKAGE_NAME.test(name))
            // Translators: $0 is what was given as a package name, in double quotes
            throw new ActionNotPossible(format(_("$0 is not a package name"), JSON.stringify(name)));
    }
    return ['rpm-ostree', 'override', 'reset', ...names];
}

/** `uname -r` of the kernel a package belongs to: version-release.arch (e.g. 6.12.7-200.fc41.x86_64). */
export function kernelRelease(nevra: Nevra): string {
    return `${nevra.version}-${nevra.release}.${nevra.arch}`;
}

export interface KernelOverride {
    name: KernelPackage;
    /** The base package it replaced. */
    from: Nevra;
    /** The package now in the tree. */
    to: Nevra;
}

/** The deployment's local replacements (`base-local-replacements`) that are kernel packages. */
export function kernelOverrides(deployment: Pick<Deployment, 'overrides'>): KernelOverride[] {
    return deployment.overrides.local
        .filter((r: Replacement) => isKernelPackage(r.replacement.name))
        .map(r => ({ name: r.replacement.name as KernelPackage, from: r.replaced, to: r.replacement }));
}

/**
 * The kernel the overrides pin: the release of kernel-core (which holds vmlinuz), else of
 * kernel; null when no kernel package is overridden.
 */
export function pinnedKernelRelease(overrides: readonly KernelOverride[]): string | null {
    const core = overrides.find(o => o.name === 'kernel-core') ?? overrides.find(o => o.name === 'kernel') ?? overrides[0];
    return core ? kernelRelease(core.to) : null;
}
