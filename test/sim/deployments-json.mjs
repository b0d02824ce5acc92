// JSON as rpm-ostree and bootc print it, for the simulated deployments tools.
//
// - parseJson(): JSON.parse that keeps integers beyond 2^53 exactly. Recorded commit
//   metadata has them (the Silverblue 33 recording's rpmostree.rpmmd-repos timestamps such
//   as -2945197617627267072); they become { "$bigint": "<digits>" } and print back verbatim.
// - printJsonGlib(): rpm-ostree's `status --json` layout (json-glib's pretty generator):
//   two-space indent, `"key" : value`, `[]` for an empty array, `{` + the line's indent in
//   spaces + `}` for an empty object, a newline at the end. Format of
//   test/fixtures/rpm-ostree/zincati-fcos41-ostree-remote-image.json (rpm-ostree 2024) and
//   insights-image-mode-rhel94-bootc-unverified-registry.json.
// - printCompact(): bootc's `status --json` layout: one line, no spaces, no final newline
//   (test/fixtures/rpm-ostree/insights-image-mode-rhel94-bootc-status.json).

const BIGINT = '$bigint';

function isBigInt(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v[BIGINT] === 'string';
}

/** JSON.parse, with integers that a double cannot hold kept as { "$bigint": "…" }. */
export function parseJson(text) {
    let out = '';
    let i = 0;
    let last = 0;
    let prev = '';
    while (i < text.length) {
        const c = text[i];
        if (c === '"') {
            // skip the string, escapes included
            let j = i + 1;
            while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
            i = j + 1;
            prev = '"';
            continue;
        }
        if ((c === '-' || (c >= '0' && c <= '9')) && (prev === '' || prev === ':' || prev === '[' || prev === ',')) {
            const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 40));
            if (m && m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(Number(m[0]))) {
                out += text.slice(last, i) + JSON.stringify({ [BIGINT]: m[0] });
                last = i + m[0].length;
            }
            i += m ? m[0].length : 1;
            prev = '0';
            continue;
        }
        if (!/\s/.test(c)) prev = c;
        i++;
    }
    return JSON.parse(out + text.slice(last));
}

function scalar(v) {
    if (v === null) return 'null';
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new Error(`cannot print ${typeof v} as JSON`);
}

function glib(v, indent) {
    if (v === null || typeof v !== 'object') return scalar(v);
    if (isBigInt(v)) return v[BIGINT];
    const pad = ' '.repeat(indent + 2);
    if (Array.isArray(v)) {
        if (v.length === 0) return '[]';
        return `[\n${v.map(x => pad + glib(x, indent + 2)).join(',\n')}\n${' '.repeat(indent)}]`;
    }
    const keys = Object.keys(v).filter(k => v[k] !== undefined);
    if (keys.length === 0) return `{${' '.repeat(indent)}}`;
    return `{\n${keys.map(k => `${pad}${JSON.stringify(k)} : ${glib(v[k], indent + 2)}`).join(',\n')}\n${' '.repeat(indent)}}`;
}

/** rpm-ostree's pretty JSON (see the file comment), with the final newline. */
export function printJsonGlib(value) {
    return `${glib(value, 0)}\n`;
}

function compact(v) {
    if (v === null || typeof v !== 'object') return scalar(v);
    if (isBigInt(v)) return v[BIGINT];
    if (Array.isArray(v)) return `[${v.map(compact).join(',')}]`;
    return `{${Object.keys(v).filter(k => v[k] !== undefined).map(k => `${JSON.stringify(k)}:${compact(v[k])}`).join(',')}}`;
}

/** bootc's one-line JSON, no final newline. */
export function printCompact(value) {
    return compact(value);
}

/** A deep copy that keeps { "$bigint" } markers (they are plain objects). */
export function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
