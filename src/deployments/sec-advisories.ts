// rpm-ostree's `SecAdvisories:` field of an available update, in both of its forms
// (rpmostree_print_advisories in coreos/rpm-ostree src/app/rpmostree-clientlib.cxx):
//   --check:   `SecAdvisories: 1 moderate` (upgrade-check-available-silverblue34-fedoramag.txt),
//              counts per severity, "unknown severity" spelled out
//   --preview: one line per advisory and package, `ID  Severity  NEVRA`, then the CVE title
//              and URL of each reference on lines of their own, two columns further in
//              (the `assert_file_has_content` lines of tests/vmcheck/test-autoupdate-check.sh)
// Pure; throws only ParseError.
import { ParseError } from '../../pkg/lib/parse-error';

export const ADVISORY_SEVERITIES = ['unknown', 'low', 'moderate', 'important', 'critical'] as const;
export type AdvisorySeverity = typeof ADVISORY_SEVERITIES[number];

export interface AdvisoryReference {
    title: string;
    url: string;
}

export interface Advisory {
    /** e.g. `FEDORA-2023-9718cc6113` */
    id: string;
    severity: AdvisorySeverity;
    /** The NEVRAs the advisory fixes. */
    packages: string[];
    references: AdvisoryReference[];
}

export interface Advisories {
    /** Security advisories per severity. */
    counts: Record<AdvisorySeverity, number>;
    /** Only with --preview; --check prints the counts alone. */
    list: Advisory[];
}

const TOOL = 'rpm-ostree';
const SUMMARY_WORDS: Record<string, AdvisorySeverity> = {
    'unknown severity': 'unknown', low: 'low', moderate: 'moderate', important: 'important', critical: 'critical',
};
const VERBOSE_WORDS: Record<string, AdvisorySeverity> = {
    Unknown: 'unknown', Low: 'low', Moderate: 'moderate', Important: 'important', Critical: 'critical',
};
const ENTRY = /^(\S+) +(Unknown|Low|Moderate|Important|Critical) +(\S+)$/;

function zeroCounts(): Record<AdvisorySeverity, number> {
    return { unknown: 0, low: 0, moderate: 0, important: 0, critical: 0 };
}

function parseSummary(value: string): Record<AdvisorySeverity, number> | null {
    const counts = zeroCounts();
    for (const part of value.split(', ')) {
        const m = /^(\d+) (.+)$/.exec(part);
        const severity = m ? SUMMARY_WORDS[m[2]] : undefined;
        if (!m || severity === undefined)
            return null;
        counts[severity] = Number(m[1]);
    }
    return counts;
}

/** `lines`: the value after `SecAdvisories:` and its continuation lines, trimmed. */
export function parseAdvisories(lines: string[], text: string): Advisories {
    const [first, ...rest] = lines;
    const summary = rest.length === 0 ? parseSummary(first) : null;
    if (summary)
        return { counts: summary, list: [] };

    const list: Advisory[] = [];
    let pendingTitle: string | null = null;
    for (const line of lines) {
        const entry = ENTRY.exec(line);
        const last = list[list.length - 1];
        if (entry && pendingTitle === null) {
            const [, id, word, nevra] = entry;
            if (last && last.id === id)
                last.packages.push(nevra);
            else
                list.push({ id, severity: VERBOSE_WORDS[word], packages: [nevra], references: [] });
        } else if (last && pendingTitle === null) {
            pendingTitle = line; // a reference: its title, then its URL
        } else if (last && pendingTitle !== null) {
            last.references.push({ title: pendingTitle, url: line });
            pendingTitle = null;
        } else {
            throw new ParseError(TOOL, `unexpected SecAdvisories line "${line}"`, text);
        }
    }
    if (pendingTitle !== null)
        throw new ParseError(TOOL, `an advisory reference lacks its URL: "${pendingTitle}"`, text);
    const counts = zeroCounts();
    for (const advisory of list)
        counts[advisory.severity]++;
    return { counts, list };
}
