// `bootc upgrade --check` as the same typed answer as rpm-ostree's check
// (update-check-parser.ts). Pure; throws only ParseError.
import { ParseError } from '../../pkg/lib/parse-error';
import { type LayerDiff, type UpdateCheck, cleanLines, failIfError, noteLines } from './update-check-parser';

const BOOTC = 'bootc';

// upgrade() in bootc's crates/lib/src/cli.rs prints `No changes in: <imgref>` or
// `Update available for: <imgref>`, `  Version: <v>` (when labelled), `  Digest: <d>`, then
// ostree-ext's ManifestDiff::print when a booted image is there to compare with
// (bootc/upgrade-check-update-available-fedora-bootc-eln-bootc248.txt).
// ostree-ext's older `No changes in <imgref> => <digest>` is what a plain `bootc update` printed
// (bootc/upgrade-no-changes-first-line-bluefin-stable-bluefin2262.txt); it means the same.
const LAYER_LINES = {
    total: /^Total new layers: +(\d+) +Size: (.+)$/,
    removed: /^Removed layers: +(\d+) +Size: (.+)$/,
    added: /^Added layers: +(\d+) +Size: (.+)$/,
};
const DIGEST = /^[a-z0-9]+:[0-9a-f]{32,}$/;

function layerDiffOf(lines: string[], text: string): { layers: LayerDiff | null, used: Set<number> } {
    const found: Partial<Record<keyof typeof LAYER_LINES, { n: number, size: string, at: number }>> = {};
    lines.forEach((line, at) => {
        for (const [name, re] of Object.entries(LAYER_LINES) as [keyof typeof LAYER_LINES, RegExp][]) {
            const m = re.exec(line.trim());
            if (m)
                found[name] = { n: Number(m[1]), size: m[2].trim(), at };
        }
    });
    const { total, removed, added } = found;
    if (!total && !removed && !added)
        return { layers: null, used: new Set() };
    if (!total || !removed || !added)
        throw new ParseError(BOOTC, 'the layer summary is incomplete', text);
    return {
        layers: { total: total.n, totalSize: total.size, removed: removed.n, removedSize: removed.size, added: added.n, addedSize: added.size },
        used: new Set([total.at, removed.at, added.at]),
    };
}

/** `bootc upgrade --check`. */
export function parseBootcUpgradeCheck(text: string): UpdateCheck {
    const lines = cleanLines(text);
    failIfError(BOOTC, lines, text);
    for (const [i, line] of lines.entries()) {
        const m = /^No changes in:? (\S+)(?: => (\S+))?$/.exec(line.trim());
        if (m)
            return { kind: 'none', tool: BOOTC, image: m[1], digest: m[2] ?? null, notes: noteLines(lines.filter((_l, j) => j !== i)) };
    }
    const start = lines.findIndex(l => /^Update available for: \S+$/.test(l.trim()));
    if (start < 0)
        throw new ParseError(BOOTC, 'the check printed neither "Update available for:" nor "No changes in:"', text);
    const image = lines[start].trim().slice('Update available for: '.length);
    const used = new Set([start]);
    const field = (name: string) => {
        const at = lines.findIndex((l, i) => i > start && new RegExp(`^\\s+${name}: (\\S+)$`).test(l));
        if (at < 0)
            return null;
        used.add(at);
        return lines[at].trim().slice(name.length + 2);
    };
    const version = field('Version');
    const digest = field('Digest');
    if (digest === null || !DIGEST.test(digest))
        throw new ParseError(BOOTC, 'the available update has no image digest', text);
    const layers = layerDiffOf(lines.slice(start + 1), text);
    layers.used.forEach(at => used.add(at + start + 1));
    return {
        kind: 'available', tool: BOOTC, version, timestamp: null, commit: null, gpgSignature: [], advisories: null,
        diffSummary: null, packages: null, image, digest, layers: layers.layers,
        notes: noteLines(lines.filter((_l, i) => !used.has(i))),
    };
}
