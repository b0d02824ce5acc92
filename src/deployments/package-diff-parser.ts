// The package lists rpm-ostree prints after upgrade / rollback / deploy / override and in
// `rpm-ostree db diff`. Both come from rpm-ostree's rpmostree_diff_print_formatted
// (FULL_MULTILINE; coreos/rpm-ostree src/libpriv/rpmostree-util.cxx) and, for `db diff --changelogs`,
// rpmhdrs_diff_prnt_block (src/libpriv/rpmostree-rpm-util.cxx):
//
//   Upgraded:                       ← heading at column 0, only when the list is not empty
//     name old-evr -> new-evr       ← two spaces; --changelogs adds `.arch` to both versions
//       * changelog entry           ← four spaces, --changelogs only, under Upgraded only
//   Removed:
//     name-[epoch:]version-release.arch
//
// Recordings: db-diff-*, upgrade-*-diff-*, upgrade-success-added-*, rollback-with-diff-*,
// override-replace-* in test/fixtures/rpm-ostree. Pure; throws only ParseError.
import { ParseError } from '../../pkg/lib/parse-error';
import { nevraFromString } from './nevra';
import { type ChangeKind, type ModifiedPackage, type PackageChanges, type SinglePackage, emptyChanges } from './package-changes';

const TOOL = 'rpm-ostree';

const HEADINGS: Record<string, ChangeKind> = {
    Upgraded: 'upgraded', Downgraded: 'downgraded', Removed: 'removed', Added: 'added',
};

/** rpm's architectures, to tell `2.1.2-1.fc34.x86_64` (--changelogs) from a release with dots. */
const ARCHES = new Set([
    'noarch', 'x86_64', 'i386', 'i486', 'i586', 'i686', 'athlon', 'aarch64', 'armv6l', 'armv7l',
    'armv7hl', 'armv7hnl', 'armhfp', 'ppc', 'ppc64', 'ppc64le', 'ppc64p7', 's390', 's390x',
    'riscv64', 'loongarch64', 'ia64', 'sparc64', 'mips64el', 'src', 'nosrc',
]);

function splitArch(evra: string): { evr: string, arch: string | null } {
    const dot = evra.lastIndexOf('.');
    const arch = dot > 0 ? evra.slice(dot + 1) : '';
    return ARCHES.has(arch) ? { evr: evra.slice(0, dot), arch } : { evr: evra, arch: null };
}

// an EVR has a release: `2.1.1-6.fc34`, `1:1.40.6-1.fc37`, `050-5.ph4`
const EVR = /^(?:\d+:)?[^\s:-]+-[^\s-]+$/;

/** `name old -> new`, the line of an upgraded or downgraded package. */
export function parseModifiedLine(item: string, text = item): ModifiedPackage {
    const m = /^(\S+) (\S+) -> (\S+)$/.exec(item.trim());
    const from = m ? splitArch(m[2]) : null;
    const to = m ? splitArch(m[3]) : null;
    if (!m || !from || !to || !EVR.test(from.evr) || !EVR.test(to.evr))
        throw new ParseError(TOOL, `not a changed package ("name old -> new"): "${item.trim()}"`, text);
    return { name: m[1], from: from.evr, to: to.evr, arch: to.arch ?? from.arch };
}

/** `name-[epoch:]version-release.arch`, the line of a removed or added package. */
export function parseSingleLine(item: string, text = item): SinglePackage {
    const trimmed = item.trim();
    const nevra = nevraFromString(trimmed);
    if (/\s/.test(trimmed) || nevra.version === '' || !ARCHES.has(nevra.arch))
        throw new ParseError(TOOL, `not a package NEVRA: "${trimmed}"`, text);
    const evr = `${nevra.epoch > 0 ? `${nevra.epoch}:` : ''}${nevra.version}-${nevra.release}`;
    return { name: nevra.name, evr, arch: nevra.arch };
}

export function addChange(changes: PackageChanges, kind: ChangeKind, item: string, text: string): void {
    if (kind === 'upgraded' || kind === 'downgraded')
        changes[kind].push(parseModifiedLine(item, text));
    else
        changes[kind].push(parseSingleLine(item, text));
}

// Photon's rollback recording ends its Added list with an indented reboot hint (a docs slip
// kept as published); rpm-ostree itself prints it at column 0 after the lists.
const REBOOT_HINT = /^\s*Run "systemctl reboot" to start a reboot$/;

/**
 * The lists in `lines`. Lenient (transaction output): lines outside a list are not ours.
 * Strict (`db diff`): every line must be a heading or belong to a list.
 */
function scanLists(lines: string[], text: string, strict: boolean): PackageChanges {
    const changes = emptyChanges();
    let section: ChangeKind | null = null;
    for (const raw of lines) {
        const line = raw.trimEnd();
        const heading = /^(\w+):$/.exec(line);
        if (heading && heading[1] in HEADINGS) {
            section = HEADINGS[heading[1]];
            continue;
        }
        if (line === '')
            continue; // --changelogs separates entries with a blank line
        if (section !== null && REBOOT_HINT.test(line)) {
            section = null;
            continue;
        }
        if (section !== null && /^ {4}/.test(line)) {
            if (section !== 'upgraded' && strict)
                throw new ParseError(TOOL, `unexpected changelog line under ${section}: "${line.trim()}"`, text);
            continue; // a changelog entry of the last upgraded package
        }
        if (section !== null && /^ {2}\S/.test(line)) {
            addChange(changes, section, line, text);
            continue;
        }
        if (strict)
            throw new ParseError(TOOL, `unexpected line in the package diff: "${line}"`, text);
        section = null;
    }
    return changes;
}

/** The package lists in the output of upgrade, rollback, deploy, rebase or override. */
export function parsePackageDiff(text: string): PackageChanges {
    return scanLists(text.split('\n'), text, false);
}

/** One side of `rpm-ostree db diff`: what the admin named and the commit it resolved to. */
export interface DiffEnd {
    /** `booted deployment`, a ref, or the checksum itself. */
    description: string;
    checksum: string;
}

export interface DbDiff {
    from: DiffEnd;
    to: DiffEnd;
    changes: PackageChanges;
}

const CHECKSUM = /^[0-9a-f]{64}$/;

// `ostree diff commit from: <desc> (<checksum>)`, or just the checksum when that is what was
// given (print_diff in src/app/rpmostree-db-builtin-diff.cxx; db-diff-silverblue34-fedoramag.txt)
function diffEnd(line: string | undefined, side: 'from' | 'to', text: string): DiffEnd {
    const m = new RegExp(`^ostree diff commit ${side}: +(.+)$`).exec(line?.trim() ?? '');
    if (!m)
        throw new ParseError(TOOL, `db diff output lacks its "ostree diff commit ${side}:" line`, text);
    const value = m[1].trim();
    const named = /^(.+) \(([0-9a-f]{64})\)$/.exec(value);
    if (named)
        return { description: named[1], checksum: named[2] };
    if (CHECKSUM.test(value))
        return { description: value, checksum: value };
    throw new ParseError(TOOL, `db diff names no commit checksum for "${side}": "${value}"`, text);
}

/** `rpm-ostree db diff [--changelogs] [FROM] [TO]` in its default (block) format. */
export function parseDbDiff(text: string): DbDiff {
    const lines = text.split('\n');
    while (lines.length > 0 && lines[0].trim() === '')
        lines.shift();
    if (lines.length === 0)
        throw new ParseError(TOOL, 'rpm-ostree db diff printed nothing', text);
    const from = diffEnd(lines[0], 'from', text);
    const to = diffEnd(lines[1], 'to', text);
    return { from, to, changes: scanLists(lines.slice(2), text, true) };
}
