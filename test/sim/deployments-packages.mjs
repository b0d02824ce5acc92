// Package lists of the simulated commits and the diffs rpm-ostree prints between them.
//
// A package is a NEVRA string as rpm-ostree prints it: name-[epoch:]version-release.arch
// (e.g. "xorg-x11-drv-nvidia-cuda-3:565.77-1.fc41.x86_64", the form of
// test/fixtures/rpm-ostree/upgrade-error-depsolve-nvidia-cuda-kinoite41-rpmostree5195.txt).

/** { name, epoch, version, release, arch, nevra } or null for a string that is not a NEVRA. */
export function parseNevra(nevra) {
    const m = /^(.+)-(?:(\d+):)?([^-:]+)-([^-]+)\.([^.-]+)$/.exec(nevra);
    if (!m) return null;
    return { name: m[1], epoch: m[2] === undefined ? 0 : Number(m[2]), version: m[3], release: m[4], arch: m[5], nevra };
}

/** "[epoch:]version-release" as rpm-ostree prints an upgraded package's sides. */
export function evrOf(p) {
    return `${p.epoch ? `${p.epoch}:` : ''}${p.version}-${p.release}`;
}

// rpmvercmp() of rpm's lib/rpmvercmp.c: alternating runs of digits and letters compared
// segment by segment, digits numerically and newer than letters, "~" sorting first, "^" after
// the end of the string.
export function rpmvercmp(a, b) {
    if (a === b) return 0;
    let i = 0;
    let j = 0;
    const isAlnum = (c) => /[A-Za-z0-9]/.test(c);
    while (i < a.length || j < b.length) {
        while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
        while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
        if (a[i] === '~' || b[j] === '~') {
            if (a[i] !== '~') return 1;
            if (b[j] !== '~') return -1;
            i++; j++;
            continue;
        }
        if (a[i] === '^' || b[j] === '^') {
            if (i >= a.length) return -1;
            if (j >= b.length) return 1;
            if (a[i] !== '^') return 1;
            if (b[j] !== '^') return -1;
            i++; j++;
            continue;
        }
        if (i >= a.length || j >= b.length) break;
        const digits = /[0-9]/.test(a[i]);
        const seg = digits ? /^[0-9]+/ : /^[A-Za-z]+/;
        const sa = seg.exec(a.slice(i))?.[0] ?? '';
        const sb = seg.exec(b.slice(j))?.[0] ?? '';
        if (sb === '') return digits ? 1 : -1;
        i += sa.length;
        j += sb.length;
        if (digits) {
            const na = sa.replace(/^0+/, '');
            const nb = sb.replace(/^0+/, '');
            if (na.length !== nb.length) return na.length > nb.length ? 1 : -1;
            if (na !== nb) return na > nb ? 1 : -1;
        } else if (sa !== sb) {
            return sa > sb ? 1 : -1;
        }
    }
    if (i >= a.length && j >= b.length) return 0;
    return i >= a.length ? -1 : 1;
}

export function compareEvr(a, b) {
    if (a.epoch !== b.epoch) return a.epoch > b.epoch ? 1 : -1;
    return rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}

/**
 * What changed from package list `from` to `to` (NEVRA strings): { upgraded, downgraded:
 * [{ name, old, new }] , removed, added: [parsed] }, each sorted by name as rpm-ostree does.
 */
export function diffPackages(from, to) {
    const key = (p) => `${p.name}.${p.arch}`;
    const a = new Map(from.map(parseNevra).filter(Boolean).map(p => [key(p), p]));
    const b = new Map(to.map(parseNevra).filter(Boolean).map(p => [key(p), p]));
    const upgraded = [];
    const downgraded = [];
    const removed = [];
    const added = [];
    for (const [k, p] of a) {
        const q = b.get(k);
        if (!q) removed.push(p);
        else {
            const c = compareEvr(q, p);
            if (c > 0) upgraded.push({ name: p.name, old: p, new: q });
            else if (c < 0) downgraded.push({ name: p.name, old: p, new: q });
        }
    }
    for (const [k, q] of b)
        if (!a.has(k)) added.push(q);
    const byName = (x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
    return { upgraded: upgraded.sort(byName), downgraded: downgraded.sort(byName), removed: removed.sort(byName), added: added.sort(byName) };
}

/** `to` with the changes of an update.json "packages" object applied: upgrade/add NEVRAs, remove names. */
export function applyPackageChanges(list, changes) {
    if (!changes) return [...list];
    const out = new Map(list.map(n => [parseNevra(n)?.name ?? n, n]));
    for (const n of [...(changes.upgrade ?? []), ...(changes.add ?? [])]) {
        const p = parseNevra(n);
        if (!p) throw new Error(`update.json: "${n}" is not a NEVRA`);
        out.set(p.name, n);
    }
    for (const name of changes.remove ?? []) out.delete(name);
    return [...out.values()].sort();
}

/**
 * The multi-line diff rpm-ostree prints after an upgrade, a rollback and in `db diff`:
 * "Upgraded:" / "Downgraded:" / "Removed:" / "Added:" headers with two-space indented lines,
 * `name old -> new` (no arch) for changed packages and the NEVRA for removed and added ones.
 * Format of test/fixtures/rpm-ostree/upgrade-allow-downgrade-progress-diff-photon4-photondocs.txt
 * (Downgraded, Removed), rollback-with-diff-photon4-photondocs.txt (Upgraded, Added),
 * upgrade-success-added-rhel8-edge-rhdeworkshop.txt and db-diff-silverblue34-fedoramag.txt.
 */
export function formatDiffMultiline(d) {
    let out = '';
    const modified = (title, list) => {
        if (!list.length) return;
        out += `${title}:\n`;
        for (const x of list) out += `  ${x.name} ${evrOf(x.old)} -> ${evrOf(x.new)}\n`;
    };
    const singles = (title, list) => {
        if (!list.length) return;
        out += `${title}:\n`;
        for (const p of list) out += `  ${p.nevra}\n`;
    };
    modified('Upgraded', d.upgraded);
    modified('Downgraded', d.downgraded);
    singles('Removed', d.removed);
    singles('Added', d.added);
    return out;
}

/** "4 upgraded", "7 upgraded, 1343 downgraded, 44 removed, 26 added": zero counts left out. */
export function diffSummary(d) {
    return [['upgraded', d.upgraded], ['downgraded', d.downgraded], ['removed', d.removed], ['added', d.added]]
        .filter(([, l]) => l.length > 0).map(([t, l]) => `${l.length} ${t}`).join(', ');
}

/** One `key: value` line of rpm-ostree's key/value blocks: two spaces, the key right-aligned. */
export function kv(key, width, value) {
    return `  ${key.padStart(width)}${key ? ':' : ' '} ${value}\n`;
}

/**
 * The verbose diff of `upgrade --preview`: "Upgraded:" etc. as keys of the AvailableUpdate block,
 * one package a line (rpm-ostree's variant_diff_print_modified/_singles, key width 13).
 */
export function formatDiffAligned(d, width) {
    let out = '';
    const modified = (title, list) => list.forEach((x, i) => {
        out += `  ${(i === 0 ? title : '').padStart(width)}${i === 0 ? ':' : ' '} ${x.name} ${evrOf(x.old)} -> ${evrOf(x.new)}\n`;
    });
    const singles = (title, list) => list.forEach((p, i) => {
        out += `  ${(i === 0 ? title : '').padStart(width)}${i === 0 ? ':' : ' '} ${p.nevra}\n`;
    });
    modified('Upgraded', d.upgraded);
    modified('Downgraded', d.downgraded);
    singles('Removed', d.removed);
    singles('Added', d.added);
    return out;
}

/** rpm-ostree's cached-update "rpm-diff": tuples as json-glib serialises them (type 0 = base). */
export function rpmDiffVariant(d) {
    const mod = (x) => [0, x.name, [evrOf(x.old), x.old.arch], [evrOf(x.new), x.new.arch]];
    const single = (p) => [0, p.name, evrOf(p), p.arch];
    return { upgraded: d.upgraded.map(mod), downgraded: d.downgraded.map(mod), removed: d.removed.map(single), added: d.added.map(single) };
}
