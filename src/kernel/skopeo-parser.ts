// skopeo's answers for kernel pinning on image origins: `skopeo list-tags docker://REPO`
// ({"Repository", "Tags"}, skopeo-list-tags(1)) and `skopeo inspect docker://REPO:TAG`
// (skopeo-inspect(1): Name, Digest, Created, Labels, …). The kernel of an image is its
// `ostree.linux` label, which Bluefin's own build reads the same way
// (`jq -r '.Labels["ostree.linux"]'` on `skopeo inspect`, `fedora_version` in the
// Justfile of ublue-os/bluefin). Pure; throws only ParseError.
import { ParseError } from '../../pkg/lib/parse-error';
import { Fields, type Json, parseJsonDocument } from '../deployments/status-json';

const TOOL = 'skopeo';

export interface TagList {
    repository: string;
    tags: string[];
}

export interface ImageInspect {
    /** The repository, e.g. docker.io/library/fedora. */
    name: string;
    /** The manifest digest, sha256:…. */
    digest: string;
    /** Build time, seconds since the epoch (UTC); null when the image does not say. */
    created: number | null;
    labels: Record<string, string>;
    /** `ostree.linux`: `uname -r` of the kernel a bootable image boots; null for other images. */
    kernel: string | null;
    /** `org.opencontainers.image.version`, else the older `version` label. */
    version: string | null;
}

export function parseListTags(text: string): TagList {
    const doc = Fields.of(TOOL, '$', parseJsonDocument(TOOL, text));
    return { repository: doc.string('Repository'), tags: doc.strings('Tags') };
}

// RFC 3339 as Go prints time.Time: `2022-11-16T07:26:42.618327645Z` (nanoseconds, which
// Date.parse is not bound to accept), or with a numeric offset.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Seconds since the epoch of an RFC 3339 time; null when it is not one. */
export function parseRfc3339(text: string): number | null {
    const m = RFC3339.exec(text);
    if (!m)
        return null;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return null;
    const offset = m[7] === 'Z' ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60;
    return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offset;
}

function labelsOf(doc: Fields): Record<string, string> {
    // an image without labels prints "Labels": null (skopeo's Labels is a Go map)
    const value: Json | undefined = doc.raw('Labels');
    if (value === undefined || value === null)
        return {};
    const labels = Fields.of(TOOL, doc.at('Labels'), value);
    const out: Record<string, string> = {};
    for (const key of Object.keys(labels.value)) {
        const label = labels.optString(key);
        if (label !== null)
            out[key] = label;
    }
    return out;
}

export function parseInspect(text: string): ImageInspect {
    const doc = Fields.of(TOOL, '$', parseJsonDocument(TOOL, text));
    const createdText = doc.optString('Created');
    const created = createdText === null ? null : parseRfc3339(createdText);
    if (createdText !== null && created === null)
        throw new ParseError(TOOL, `$.Created is not an RFC 3339 time: ${createdText}`, createdText);
    const labels = labelsOf(doc);
    return {
        name: doc.string('Name'),
        digest: doc.string('Digest'),
        created,
        labels,
        kernel: labels['ostree.linux'] ?? null,
        version: labels['org.opencontainers.image.version'] ?? labels.version ?? null,
    };
}
