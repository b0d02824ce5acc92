// "Is there an update?": `rpm-ostree upgrade --check` / `--preview` as a typed answer, the
// same type `bootc upgrade --check` maps onto (bootc-upgrade-check-parser.ts). A check that
// printed neither an update nor "no update" is a ParseError, never "up to date" (issue 3).
// Pure; throws only ParseError.
//
// rpm-ostree (rpmostree_builtin_upgrade in src/app/rpmostree-builtin-upgrade.cxx, and
// rpmostree_print_cached_update in src/app/rpmostree-clientlib.cxx, coreos/rpm-ostree):
// progress and notes first, then either `No updates available.` or an `AvailableUpdate:`
// block whose keys are right-aligned to 13 columns (`SecAdvisories`):
//
//   AvailableUpdate:
//           Version: 34.20210905.0 (2021-09-05T20:59:47Z)     ← `Timestamp:` when unversioned
//            Commit: d8bab818…                                 ← both absent for a layered-only update
//      GPGSignature: Valid signature by 8C5B…                  ← --preview: `1 signature` + details
//     SecAdvisories: 1 moderate                                ← --preview: one line per package
//              Diff: 4 upgraded                                ← --check only
//          Upgraded: soundtouch 2.1.1-6.fc34 -> 2.1.2-1.fc34   ← --preview only, continued at column 17
//           Removed: base-pkg-baz-1.1-1.x86_64
//
// `--check` prints the summary (upgrade-check-available-silverblue34-fedoramag.txt); `--preview`
// the lists (no recording here: its lines are asserted in tests/vmcheck/test-autoupdate-check.sh).
import { ParseError } from '../../pkg/lib/parse-error';
import { type ChangeKind, type DiffSummary, type PackageChanges, emptyChanges, summarizeChanges } from './package-changes';
import { addChange } from './package-diff-parser';
import { type Advisories, parseAdvisories } from './sec-advisories';
import { cleanConsoleLine } from './transaction-output';

/**
 * `upgrade --check` and `--preview` imply `--unchanged-exit-77`: rpm-ostree exits 77 after
 * `No updates available.` and 0 with an update (RPM_OSTREE_EXIT_UNCHANGED in
 * src/app/rpmostree-builtin-types.h, set in rpmostree-builtin-upgrade.cxx). `bootc upgrade
 * --check` exits 0 either way (upgrade() in bootc-dev/bootc, formerly containers/bootc,
 * crates/lib/src/cli.rs).
 */
export const RPM_OSTREE_EXIT_UNCHANGED = 77;

export type UpdateCheckTool = 'rpm-ostree' | 'bootc';

/** bootc's `Total new layers / Removed layers / Added layers` table; sizes as printed. */
export interface LayerDiff {
    total: number;
    totalSize: string;
    removed: number;
    removedSize: string;
    added: number;
    addedSize: string;
}

export interface AvailableUpdate {
    kind: 'available';
    tool: UpdateCheckTool;
    version: string | null;
    /** Seconds since the epoch. */
    timestamp: number | null;
    /** rpm-ostree: the new commit; null for a layered-packages-only update and for bootc. */
    commit: string | null;
    /** rpm-ostree's signature lines as printed, e.g. `Valid signature by 8C5B…`; [] when GPG is off. */
    gpgSignature: string[];
    advisories: Advisories | null;
    /** --check: the `Diff:` line; --preview: counted from the lists. */
    diffSummary: DiffSummary | null;
    /** --preview only. */
    packages: PackageChanges | null;
    /** bootc: the image reference it checked and the new manifest digest. */
    image: string | null;
    digest: string | null;
    layers: LayerDiff | null;
    /** Progress and notes printed before the answer (e.g. "may be unreliable"), cleaned. */
    notes: string[];
}

export interface NoUpdate {
    kind: 'none';
    tool: UpdateCheckTool;
    image: string | null;
    digest: string | null;
    notes: string[];
}

export type UpdateCheck = AvailableUpdate | NoUpdate;

const RPM_OSTREE = 'rpm-ostree';

/** The lines of a check's output as a person would read them (shared with the bootc parser). */
export function cleanLines(text: string): string[] {
    return text.split('\n').map(cleanConsoleLine);
}

/** A check that failed is an error, never an answer. */
export function failIfError(tool: UpdateCheckTool, lines: string[], text: string): void {
    const error = lines.map(l => /^(?:error: |ERROR )(.*)$/.exec(l.trim())).find(m => m !== null);
    if (error)
        throw new ParseError(tool, `the update check failed: ${error[1]}`, text);
}

export function noteLines(lines: string[]): string[] {
    return lines.map(l => l.trim()).filter(l => l !== '');
}

// ---- rpm-ostree ----------------------------------------------------------------------

const KEYS = ['Version', 'Timestamp', 'Commit', 'GPGSignature', 'SecAdvisories', 'Diff',
    'Upgraded', 'Downgraded', 'Removed', 'Added'] as const;
type Key = typeof KEYS[number];
const MULTILINE_KEYS: readonly Key[] = ['GPGSignature', 'SecAdvisories', 'Upgraded', 'Downgraded', 'Removed', 'Added'];
const LIST_KEYS: Partial<Record<Key, ChangeKind>> = {
    Upgraded: 'upgraded', Downgraded: 'downgraded', Removed: 'removed', Added: 'added',
};
/** `  %*s: ` with max_key_len 13: every key's colon sits in column 15. */
const KEY_COLON = 15;
const KEY_LINE = /^( +)([A-Za-z]+):(?: (.*))?$/;

function isKey(name: string): name is Key {
    return (KEYS as readonly string[]).includes(name);
}

function timestampOf(iso: string): number | null {
    // rpmostree_timestamp_str_from_unix_utc: `%FT%H:%M:%SZ`, or `(invalid timestamp)`
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(iso))
        return null;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : ms / 1000;
}

function parseDiffSummary(value: string, text: string): DiffSummary {
    const summary: DiffSummary = { upgraded: 0, downgraded: 0, removed: 0, added: 0 };
    for (const part of value.split(', ')) {
        const m = /^(\d+) (upgraded|downgraded|removed|added)$/.exec(part);
        if (!m)
            throw new ParseError(RPM_OSTREE, `unexpected Diff summary "${value}"`, text);
        summary[m[2] as keyof DiffSummary] = Number(m[1]);
    }
    return summary;
}

/** The AvailableUpdate block's fields, each with its continuation lines. */
function blockFields(block: string[], text: string): { key: string, values: string[] }[] {
    const fields: { key: string, values: string[] }[] = [];
    for (const line of block) {
        const m = KEY_LINE.exec(line);
        if (m && (isKey(m[2]) || m[1].length + m[2].length === KEY_COLON)) {
            fields.push({ key: m[2], values: [(m[3] ?? '').trim()] });
            continue;
        }
        const last = fields[fields.length - 1];
        if (!last || !isKey(last.key) || !MULTILINE_KEYS.includes(last.key))
            throw new ParseError(RPM_OSTREE, `unexpected line in AvailableUpdate: "${line.trim()}"`, text);
        last.values.push(line.trim());
    }
    return fields;
}

function parseAvailableBlock(block: string[], notes: string[], text: string): AvailableUpdate {
    const update: AvailableUpdate = {
        kind: 'available', tool: RPM_OSTREE, version: null, timestamp: null, commit: null, gpgSignature: [],
        advisories: null, diffSummary: null, packages: null, image: null, digest: null, layers: null, notes,
    };
    const fields = blockFields(block, text);
    if (fields.length === 0)
        throw new ParseError(RPM_OSTREE, 'the AvailableUpdate block is empty', text);
    for (const { key, values } of fields) {
        const value = values[0];
        if (key === 'Version') {
            const m = /^(.*) \((.*)\)$/.exec(value);
            update.version = m ? m[1] : value;
            update.timestamp = m ? timestampOf(m[2]) : null;
        } else if (key === 'Timestamp') {
            update.timestamp = timestampOf(value);
        } else if (key === 'Commit') {
            if (!/^[0-9a-f]{64}$/.test(value))
                throw new ParseError(RPM_OSTREE, `the update's commit is not a checksum: "${value}"`, text);
            update.commit = value;
        } else if (key === 'GPGSignature') {
            update.gpgSignature = values;
        } else if (key === 'SecAdvisories') {
            update.advisories = parseAdvisories(values, text);
        } else if (key === 'Diff') {
            update.diffSummary = parseDiffSummary(value, text);
        } else if (isKey(key) && LIST_KEYS[key]) {
            update.packages ??= emptyChanges();
            for (const item of values)
                addChange(update.packages, LIST_KEYS[key], item, text);
        } else {
            // a field this page does not know yet: keep it visible rather than lose it
            notes.push(`${key}: ${values.join(' ')}`);
        }
    }
    if (update.packages && !update.diffSummary)
        update.diffSummary = summarizeChanges(update.packages);
    return update;
}

/** `rpm-ostree upgrade --check` or `--preview` (stdout and stderr together). */
export function parseRpmOstreeUpdateCheck(text: string): UpdateCheck {
    const lines = cleanLines(text);
    failIfError(RPM_OSTREE, lines, text);
    // `No updates available.`; a recording cut by `watch` lacks the period
    // (upgrade-preview-no-updates-rhel-edge-rhdeaapdemo.txt)
    const none = lines.findIndex(l => /^No updates available\.?$/.test(l.trim()));
    const start = lines.findIndex(l => l.trim() === 'AvailableUpdate:');
    if (none >= 0 && start >= 0)
        throw new ParseError(RPM_OSTREE, 'the check reported both an update and none', text);
    if (none >= 0)
        return { kind: 'none', tool: RPM_OSTREE, image: null, digest: null, notes: noteLines(lines.filter((_l, i) => i !== none)) };
    if (start < 0)
        throw new ParseError(RPM_OSTREE, 'the check printed neither "AvailableUpdate:" nor "No updates available."', text);
    let end = start + 1;
    while (end < lines.length && /^\s+\S/.test(lines[end]))
        end++;
    const notes = noteLines([...lines.slice(0, start), ...lines.slice(end)]);
    return parseAvailableBlock(lines.slice(start + 1, end), notes, text);
}
