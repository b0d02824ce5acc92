// os-release(5): newline-separated VAR=value assignments with shell-style quoting.

export interface OsRelease {
    /** Every assignment, unquoted. */
    fields: Record<string, string>;
    id: string;
    name: string;
    prettyName: string;
    version: string | null;
    versionId: string | null;
    variant: string | null;
    variantId: string | null;
    idLike: string[];
}

/** Undo os-release quoting: "…" with backslash escapes, '…' literal, or a bare word. */
function unquote(raw: string): string | null {
    const value = raw.trim();
    if (value.startsWith('"')) {
        if (value.length < 2 || !value.endsWith('"'))
            return null;
        return value.slice(1, -1).replace(/\\([\\$"`])/g, '$1');
    }
    if (value.startsWith("'")) {
        if (value.length < 2 || !value.endsWith("'"))
            return null;
        return value.slice(1, -1);
    }
    return value.replace(/\\(.)/g, '$1');
}

/**
 * Parse os-release text. Lines that are not valid assignments are skipped, as
 * systemd does; defaults follow os-release(5) (ID=linux, NAME=Linux, PRETTY_NAME=Linux).
 */
export function parseOsRelease(text: string): OsRelease {
    const fields: Record<string, string> = {};
    for (const line of text.split('\n')) {
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            continue;
        const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(trimmed);
        if (!match)
            continue;
        const value = unquote(match[2]);
        if (value !== null)
            fields[match[1]] = value;
    }

    const get = (key: string) => (fields[key] ?? '') !== '' ? fields[key] : null;
    return {
        fields,
        id: get('ID') ?? 'linux',
        name: get('NAME') ?? 'Linux',
        prettyName: get('PRETTY_NAME') ?? ([get('NAME'), get('VERSION')].filter(Boolean).join(' ') || 'Linux'),
        version: get('VERSION'),
        versionId: get('VERSION_ID'),
        variant: get('VARIANT'),
        variantId: get('VARIANT_ID'),
        idLike: (get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    };
}
