// One line of a running transaction's output (rpm-ostree upgrade/rebase/deploy/rollback/
// cleanup/kargs/override, ostree admin pin/undeploy, bootc upgrade/switch/rollback),
// classified for the progress panel. Pure; never throws: a line the page does not know is
// plain text, shown as it came.
//
// Every form below is backed by a recording in test/fixtures (named beside each pattern) or
// by the printf in rpm-ostree's src/app/rpmostree-clientlib.cxx
// (transaction_get_progress_line), cited where no recording has it.

export type TransactionLine =
    /** A step of the transaction, with its percentage where the tool prints one. */
    | { kind: 'progress', phase: string, percent: number | null, done: boolean, text: string }
    /** The tool failed; `message` is without the `error: ` / `ERROR ` prefix. */
    | { kind: 'error', message: string, text: string }
    /** The change waits for a reboot (the page offers one; it never reboots by itself). */
    | { kind: 'reboot-hint', text: string }
    | { kind: 'text', text: string };

// rpm-ostree and bootc draw their spinners (indicatif) with braille glyphs, e.g. `⠂ Receiving
// metadata objects…` (upgrade-allow-downgrade-progress-diff-photon4-photondocs.txt) and
// `⠤ Writing objects: 1 ` (upgrade-success-added-rhel8-edge-rhdeworkshop.txt).
const SPINNER = /^[\u2800-\u28ff]+ ?/;
// colour and cursor escapes: rpm-ostree colours SecAdvisories red/bold on a terminal
// (get_red_start/get_bold_start in rpmostree-libbuiltin); harmless to strip elsewhere
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * A console line as a person would see it: escapes removed, a carriage-return redraw
 * reduced to what is left on screen, the spinner glyph and trailing blanks dropped (some
 * recordings keep the trailing space a spinner line ends with). Indentation is kept.
 */
export function cleanConsoleLine(raw: string): string {
    let line = raw.replace(ANSI, '');
    const segments = line.split('\r').filter(s => s.trim() !== '');
    line = segments.length > 0 ? segments[segments.length - 1] : '';
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const rest = line.slice(indent.length);
    const unspun = rest.replace(SPINNER, '');
    return (unspun === rest ? line : unspun).trimEnd();
}

function percentOf(done: number, total: number): number | null {
    return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : null;
}

type Rule = (line: string) => Omit<Extract<TransactionLine, { kind: 'progress' }>, 'kind' | 'text'> | null;

/** `… done` / `...done`: rpm-ostree ends a task on its line (both spacings are recorded). */
const DONE = /(?:\.\.\.|…) ?done$/;

const PROGRESS_RULES: Rule[] = [
    // `Receiving objects; 68% (780/1146) 233,3 KB/s 73,3 MB... done`
    // (upgrade-install-error-pull-timeout-silverblue40-rpmostree5075.txt); the C client printed
    // `Receiving objects: N% (a/b)` (rpmostree-clientlib.cxx)
    line => {
        const m = /^Receiving objects[;:] (\d+)% \((\d+)\/(\d+)\)/.exec(line);
        return m ? { phase: 'Receiving objects', percent: Math.min(100, Number(m[1])), done: DONE.test(line) } : null;
    },
    // `Receiving delta parts: a/b …` (rpmostree-clientlib.cxx, no recording)
    line => {
        const m = /^Receiving delta parts: (\d+)\/(\d+)/.exec(line);
        return m ? { phase: 'Receiving delta parts', percent: percentOf(Number(m[1]), Number(m[2])), done: DONE.test(line) } : null;
    },
    // `Receiving metadata objects: 0/(estimating) -/s 0 bytes...` (photon4 upgrade recording),
    // `Writing objects: 1` (rhel8 edge upgrade recording), `Scanning metadata: N` (clientlib)
    line => {
        const m = /^(Receiving metadata objects|Writing objects|Scanning metadata): /.exec(line);
        return m ? { phase: m[1], percent: null, done: DONE.test(line) } : null;
    },
    // rpm-ostree's container pulls: `Pulling manifest: …`, `Importing: …`, `Fetching ostree
    // chunk sha256:… (40.7 MB)` / `Fetched ostree chunk sha256:…`
    // (upgrade-check-container-no-updates-kinoite-rpmostree4176.txt)
    line => {
        const m = /^(Pulling manifest|Importing): /.exec(line);
        if (m)
            return { phase: m[1], percent: null, done: false };
        const chunk = /^(Fetching|Fetched) ostree chunk /.exec(line);
        return chunk ? { phase: 'Fetching ostree chunk', percent: null, done: chunk[1] === 'Fetched' } : null;
    },
    // bootc: `Fetched layers: 780.03 MiB in 12 seconds (…)`, `  Deploying: done (3 seconds)`
    // (bootc/switch-progress-fcos42-bootc1418.txt)
    line => {
        if (/^Fetched layers: /.test(line))
            return { phase: 'Fetched layers', percent: null, done: true };
        return /^Deploying: done\b/.test(line) ? { phase: 'Deploying', percent: null, done: true } : null;
    },
    // any other rpm-ostree task: `Staging deployment... done`, `Staging deployment...done`
    // (override-remove-tail-trimmed-bazzite-rpmostree5625.txt), `Checking out tree 07032db... done`,
    // `Resolving dependencies... done`, `Writing OSTree commit... done`
    // (override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt), and the same task
    // still running, `… bytes... ` before its `done` (the photon4 spinner line)
    line => {
        const m = /^(.+?) ?(?:\.\.\.|…) ?(done)?$/.exec(line);
        return m ? { phase: m[1], percent: null, done: m[2] === 'done' } : null;
    },
];

/** rpm-ostree `error: …` (every error recording); early bootc `ERROR …` (bootc/switch-error-…-bluefin652.txt). */
const ERROR = /^(?:error: |ERROR )(.*)$/;

function isRebootHint(line: string): boolean {
    // rpm-ostree: `Run "systemctl reboot" to start a reboot` (also indented, as in
    // rollback-with-diff-photon4-photondocs.txt); bootc: `Queued for next boot: <image>`
    // (switch-progress-fcos42-bootc1418.txt), `Next boot: rollback deployment`
    // (rollback-next-boot-bootc1029.txt)
    return line.includes('Run "systemctl reboot" to start a reboot') ||
        /^Queued for next boot: /.test(line) || /^Next boot: /.test(line);
}

export function classifyTransactionLine(raw: string): TransactionLine {
    const text = cleanConsoleLine(raw);
    const line = text.trim();
    const error = ERROR.exec(line);
    if (error)
        return { kind: 'error', message: error[1].trim(), text };
    if (isRebootHint(line))
        return { kind: 'reboot-hint', text };
    for (const rule of PROGRESS_RULES) {
        const progress = line === '' ? null : rule(line);
        if (progress)
            return { kind: 'progress', ...progress, text };
    }
    return { kind: 'text', text };
}

// rpm-ostree refuses to start a second transaction with `Transaction in progress: <title>`,
// plain (error-transaction-in-progress-update-check-rpmostree4358.txt, with a trailing space
// after the title) or wrapped in a GDBus error name
// (upgrade-install-error-transaction-in-progress-gdbus-silverblue40-rpmostree5075.txt).
const IN_PROGRESS = /Transaction in progress: (.+)$/;
// `rpm-ostree status` text while busy: `State: busy` then `Transaction: upgrade `
// (status-busy-transaction-upgrade-silverblue39-nvidia-rpmostree4713.txt)
const STATUS_TRANSACTION = /^Transaction: (.+)$/;

/** The title of the transaction that blocks this command, or null when it was not blocked. */
export function transactionInProgress(text: string): string | null {
    const lines = text.split('\n').map(cleanConsoleLine);
    for (const line of lines) {
        const m = /^error: /.test(line.trim()) ? IN_PROGRESS.exec(line.trim()) : null;
        if (m && m[1].trim() !== '')
            return m[1].trim();
    }
    if (lines.some(line => line.trim() === 'State: busy')) {
        for (const line of lines) {
            const m = STATUS_TRANSACTION.exec(line.trim());
            if (m && m[1].trim() !== '')
                return m[1].trim();
        }
    }
    return null;
}
