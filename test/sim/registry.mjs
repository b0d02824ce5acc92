// The container registry a scenario can see: <state>/scenario/commands/skopeo/registry.json
// (README "skopeo"). The simulated skopeo lists and inspects it; rpm-ostree's rebase to an image
// reference finds a tag there when commits.json's "refs" do not name it.

import fs from 'node:fs';
import path from 'node:path';

/**
 * docker/reference's ParseNormalizedNamed, enough for the registry.json names: "fedora" is
 * docker.io/library/fedora, "x/y" docker.io/x/y; a first part with "." or ":" (or localhost) is
 * a registry. Returns { name, tag, digest } or null for a malformed reference.
 */
export function parseDockerRef(ref) {
    let rest = ref;
    let digest = null;
    const at = rest.indexOf('@');
    if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at) }
    let tag = null;
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > slash) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon) }
    if (!rest || !/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(rest)) return null;
    const first = rest.split('/')[0];
    const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
    let name = hasRegistry ? rest : `docker.io/${rest}`;
    if (!hasRegistry && !rest.includes('/')) name = `docker.io/library/${rest}`;
    return { name, tag, digest };
}

/** The scenario's registry.json ({ repositories: {} } when it has none). */
export function readRegistry(scenarioDir) {
    const file = path.join(scenarioDir, 'commands', 'skopeo', 'registry.json');
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { repositories: {} };
}

/** A tag's manifest facts, following "alias" (a moving tag pointing at a dated one), or null. */
export function tagEntry(repo, tag) {
    let t = repo?.tags?.[tag];
    for (let hops = 0; t && t.alias && hops < 8; hops++) t = repo.tags[t.alias];
    return t && !t.alias ? t : null;
}

/**
 * The commit an image reference ("docker://ghcr.io/x/y:tag" or "ghcr.io/x/y:tag") stands for in
 * the registry: { checksum, version, kernel, digest, timestamp } from its labels (ostree.commit,
 * org.opencontainers.image.version, ostree.linux: the labels of the recorded FCOS image config in
 * test/fixtures/rpm-ostree/zincati-fcos41-ostree-remote-image.json), or null.
 */
export function imageCommit(scenarioDir, image) {
    const ref = parseDockerRef(image.replace(/^docker:\/\//, ''));
    if (!ref) return null;
    const repo = readRegistry(scenarioDir).repositories?.[ref.name];
    const entry = ref.digest ? Object.values(repo?.tags ?? {}).find(t => !t.alias && t.Digest === ref.digest) : tagEntry(repo, ref.tag ?? 'latest');
    const labels = entry?.Labels ?? {};
    if (!entry || typeof labels['ostree.commit'] !== 'string') return null;
    return {
        checksum: labels['ostree.commit'],
        version: labels['org.opencontainers.image.version'] ?? null,
        kernel: labels['ostree.linux'] ?? null,
        digest: entry.Digest,
        timestamp: entry.Created ? Math.floor(Date.parse(entry.Created) / 1000) : null,
    };
}
