// Pinning on image origins means staying on a dated tag. Universal Blue tags every build
// with its date: ublue-os/main's workflow pushes `${MAJOR_VERSION}` and
// `${MAJOR_VERSION}-${TIMESTAMP}` with TIMESTAMP="$(date +%Y%m%d)" (`38-20230601`;
// .github/workflows/build.yml), and Bluefin's `generate-build-tags` recipe (Justfile of
// ublue-os/bluefin) pushes `stable`, `stable-41.20241101`, `stable-20241101`,
// `stable-daily-…`, `latest-…` and `41-41.20241101`, `41-20241101`, from a version
// `${FEDORA_VERSION}.$(date +%Y%m%d)` that rechunked builds extend with a build counter
// (`stable-daily-41.20250126.3` in the same file). The docs tell users to pin exactly so:
// `bootc switch ghcr.io/ublue-os/bluefin:stable-20241027`. The reasons validateTag
// returns are shown to the admin, so they are translated here. Pure.
import { _ } from '../../pkg/lib/gettext';
import type { ContainerImageOrigin } from '../deployments/deployment';

export interface DatedTag {
    tag: string;
    /** ISO date, YYYY-MM-DD. */
    date: string;
    /** What comes before the date: `stable`, `stable-daily`, `latest`, `41`; null when nothing. */
    stream: string | null;
    /** The Fedora release written as `41.` just before the date; null when not written. */
    fedora: number | null;
    /** The `.3` after the date of a rechunked build; null when there is none. */
    build: number | null;
}

// YYYYMMDD or YYYY-MM-DD as a part of its own (start or "-", "." or "_" on each side),
// with `41.` before and `.3` after; so the hex of cosign's `sha256-….sig` tags, which ghcr
// lists next to signed images, never reads as a date
const DATE = /(?<=^|[-._])(?:(?<fedora>\d{1,3})\.)?(?<y>20\d{2})(?<dash>-?)(?<m>\d{2})\k<dash>(?<d>\d{2})(?:\.(?<build>\d{1,4}))?(?=$|[-._])/;

function realDate(y: number, m: number, d: number): boolean {
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function datedTag(tag: string): DatedTag | null {
    const match = DATE.exec(tag);
    const g = match?.groups;
    if (!match || !g)
        return null;
    const [y, m, d] = [Number(g.y), Number(g.m), Number(g.d)];
    if (!realDate(y, m, d))
        return null;
    const stream = tag.slice(0, match.index).replace(/[-._]+$/, '');
    return {
        tag,
        date: `${g.y}-${g.m}-${g.d}`,
        stream: stream === '' ? null : stream,
        fedora: g.fedora === undefined ? null : Number(g.fedora),
        build: g.build === undefined ? null : Number(g.build),
    };
}

/** The tags that carry a date, newest first (then the higher build, then by name). */
export function datedTags(tags: readonly string[]): DatedTag[] {
    return tags.map(datedTag).filter((t): t is DatedTag => t !== null).sort((a, b) =>
        b.date.localeCompare(a.date) || (b.build ?? -1) - (a.build ?? -1) || a.tag.localeCompare(b.tag));
}

/**
 * The OCI distribution spec's tag grammar: "[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}"
 * (spec.md, "Pulling manifests": a tag "MUST be at most 128 characters in length and MUST
 * match" it). It also keeps argv safe: no `-` first, no `:`, `/`, `@` or blanks.
 */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

export type TagCheck = { ok: true } | { ok: false, reason: string };

export function validateTag(tag: string): TagCheck {
    if (tag === '')
        return { ok: false, reason: _("the tag is empty") };
    if (tag.length > 128)
        return { ok: false, reason: _("the tag is longer than 128 characters") };
    if (!TAG.test(tag))
        return { ok: false, reason: _("a tag is letters, digits, \"_\", \".\" and \"-\", and starts with a letter, digit or \"_\"") };
    return { ok: true };
}

// distribution/reference's name: [domain[:port]/]path; checked again here because it goes to argv
const IMAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * `docker://<registry>/<name>` for skopeo, from an image origin; null when the origin is
 * not in a registry (oci:, dir:, containers-storage: have no tags to list) or its name is
 * not a registry name.
 */
export function imageRepository(origin: ContainerImageOrigin): string | null {
    if (origin.transport !== 'registry' || !IMAGE_NAME.test(origin.name))
        return null;
    return `docker://${origin.name}`;
}

/** `skopeo list-tags docker://<repo>`. */
export function listTagsArgv(repository: string): string[] {
    return ['skopeo', 'list-tags', repository];
}

/** `skopeo inspect docker://<repo>:<tag>`; null for a tag outside the grammar. */
export function inspectArgv(repository: string, tag: string): string[] | null {
    return validateTag(tag).ok ? ['skopeo', 'inspect', `${repository}:${tag}`] : null;
}

/**
 * The origin moved to another tag, with its verification prefix kept
 * (`ostree-image-signed:docker://ghcr.io/ublue-os/bluefin:stable-20241101`; bare for
 * bootc), for the rebase; null for a tag outside the grammar. Any digest pin is dropped:
 * the tag is what is being chosen.
 */
export function retaggedOrigin(origin: ContainerImageOrigin, tag: string): string | null {
    if (!validateTag(tag).ok || origin.transport !== 'registry')
        return null;
    return `${origin.prefix}${origin.name}:${tag}`;
}
