// Version strings as rpm compares and prints them: which of two kernel releases is newer
// (a tree with several kernels boots the newest), and the parts of an `[epoch:]version-release`
// the update guard needs. Pure.

const ALNUM = /[A-Za-z0-9]/;

/**
 * rpmvercmp() of rpm's lib/rpmvercmp.c: runs of digits and of letters compared in turn,
 * digits numerically and newer than letters, "~" older than anything (pre-releases), "^"
 * newer than the end of the string (snapshots). Other characters only separate runs.
 */
export function rpmvercmp(a: string, b: string): number {
    if (a === b)
        return 0;
    let i = 0;
    let j = 0;
    const skip = (s: string, k: number) => {
        while (k < s.length && !ALNUM.test(s[k]) && s[k] !== '~' && s[k] !== '^')
            k++;
        return k;
    };
    while (i < a.length || j < b.length) {
        i = skip(a, i);
        j = skip(b, j);
        if (a[i] === '~' || b[j] === '~') {
            if (a[i] !== '~')
                return 1;
            if (b[j] !== '~')
                return -1;
            i++;
            j++;
            continue;
        }
        if (a[i] === '^' || b[j] === '^') {
            if (i >= a.length)
                return -1;
            if (j >= b.length)
                return 1;
            if (a[i] !== '^')
                return 1;
            if (b[j] !== '^')
                return -1;
            i++;
            j++;
            continue;
        }
        if (i >= a.length || j >= b.length)
            break;
        const digits = /[0-9]/.test(a[i]);
        const run = digits ? /^[0-9]+/ : /^[A-Za-z]+/;
        const ra = run.exec(a.slice(i))?.[0] ?? '';
        const rb = run.exec(b.slice(j))?.[0] ?? '';
        // a run of the other kind in b: numbers are newer than letters
        if (rb === '')
            return digits ? 1 : -1;
        i += ra.length;
        j += rb.length;
        if (digits) {
            const na = ra.replace(/^0+/, '');
            const nb = rb.replace(/^0+/, '');
            if (na.length !== nb.length)
                return na.length > nb.length ? 1 : -1;
            if (na !== nb)
                return na > nb ? 1 : -1;
        } else if (ra !== rb) {
            return ra > rb ? 1 : -1;
        }
    }
    if (i >= a.length && j >= b.length)
        return 0;
    return i >= a.length ? -1 : 1;
}

/** `3:570.124.04-1.fc33` → `570.124.04-1.fc33`: rpm-ostree prints the epoch, uname -r and modinfo do not. */
export function withoutEpoch(evr: string): string {
    return evr.replace(/^\d+:/, '');
}

/** `3:570.124.04-1.fc33` → `570.124.04`: the upstream version, as modinfo and nvidia-smi print it. */
export function upstreamVersion(evr: string): string {
    const vr = withoutEpoch(evr);
    const dash = vr.lastIndexOf('-');
    return dash > 0 ? vr.slice(0, dash) : vr;
}

/** The driver branch: the number before the first dot (`570.124.04` → 570); null when it has none. */
export function majorOf(version: string | null): number | null {
    const m = /^(\d+)(\.|$)/.exec(upstreamVersion(version ?? '').trim());
    return m ? Number(m[1]) : null;
}
