// The simulated skopeo: `list-tags docker://REPO` and `inspect [--no-tags] docker://REPO[:TAG|@DIGEST]`
// answered from the scenario's commands/skopeo/registry.json (README "skopeo"). Exact index.json
// entries win (a recorded failure); any other argv: "no recording" (exit 64).
//
// Formats: test/fixtures/skopeo/list-tags-docker-fedora-skopeodocs.json (`{"Repository", "Tags"}`)
// and inspect-docker-fedora37-repotags-trimmed-skopeodocs.json (Name, Digest, RepoTags, Created,
// DockerVersion, Labels, Architecture, Os, Layers, LayersData, Env), both Go's
// json.MarshalIndent(…, "", "    ") (cmd/skopeo/list_tags.go, inspect.go): 4-space indent, map keys
// (Labels) sorted, "<", ">", "&" written \u003c \u003e \u0026 (the recorded maintainer label).
//
// Errors go through logrus' fatal on stderr, exit 1; without a terminal (the bridge's spawn)
// logrus' text formatter writes `time="…" level=fatal msg="…"` (recorded:
// podman-container-tools/skopeo#2004, `msg="… reading manifest sha256:… in ghcr.io/…: manifest unknown"`).
// The messages: inspect's `Error parsing image name %q: %v` (cmd/skopeo/inspect.go; the manifest
// is read while the image source is opened, as skopeo#927 shows for a missing tag) around
// containers/image's `reading manifest TAG in REPO: manifest unknown` (#2004's wording);
// list-tags' `Error listing repository tags: fetching tags list: …` (list_tags.go; the whole line
// as quay/quay's repo-mirror worker tests quote it for a 404 of that era:
// `… fetching tags list: invalid status code from registry 404 (Not Found)`). An unknown
// repository here: the registry's NAME_UNKNOWN "repository name not known to registry"
// (distribution/distribution#4324 response) the way containers/image prints a registry error
// body ("code: message", lower case, as in "manifest unknown: manifest unknown" of
// projectatomic/atomic#1228): `name unknown: repository name not known to registry` - derived,
// not recorded from ghcr.io.

import { indexAnswers } from '../deployments-state.mjs';
import { parseDockerRef, readRegistry, tagEntry } from '../registry.mjs';
import { result } from '../deployments-cli.mjs';

const NAME_UNKNOWN = 'name unknown: repository name not known to registry';
// Defaults where registry.json says nothing: the recorded inspect's Architecture/Os and Env,
// an OCI layer media type (LayersData of podman-container-tools/skopeo#2149's inspect)
const DEFAULT_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
const LAYER_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** Go's encoding/json output (MarshalIndent, 4 spaces, HTML-safe escapes, sorted map keys where asked). */
export function goJson(value) {
    return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortedKeys(obj) {
    return Object.fromEntries(Object.keys(obj ?? {}).sort().map(k => [k, obj[k]]));
}

/** logrus' text formatter line for a fatal error (no tty): the message quoted like Go's %q. */
function fatal(message) {
    const time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return result('', `time="${time}" level=fatal msg=${JSON.stringify(message)}\n`, 1);
}

function listTags(ctx, arg) {
    if (!arg.startsWith('docker://')) {
        // list_tags.go: alltransports.TransportFromImageName(); other transports are refused
        if (!/^[a-z-]+:/.test(arg)) return fatal(`Invalid ${JSON.stringify(arg)}: does not specify a transport`);
        return null;
    }
    const ref = parseDockerRef(arg.slice('docker://'.length));
    if (!ref) return null;
    // list_tags.go parseDockerRepositoryReference()
    if (ref.tag || ref.digest) return fatal('No tag or digest allowed in reference');
    const repo = readRegistry(ctx.scenarioDir).repositories?.[ref.name];
    if (!repo) return fatal(`Error listing repository tags: fetching tags list: ${NAME_UNKNOWN}`);
    return result(`${goJson({ Repository: ref.name, Tags: Object.keys(repo.tags ?? {}) })}\n`, '', 0);
}

function inspect(ctx, arg, { noTags }) {
    if (!arg.startsWith('docker://')) return null;
    const ref = parseDockerRef(arg.slice('docker://'.length));
    if (!ref) return null;
    const repo = readRegistry(ctx.scenarioDir).repositories?.[ref.name];
    const shown = ref.digest ?? ref.tag ?? 'latest';
    const fail = (why) => fatal(`Error parsing image name ${JSON.stringify(arg)}: reading manifest ${shown} in ${ref.name}: ${why}`);
    if (!repo) return fail(NAME_UNKNOWN);
    let entry = null;
    if (ref.digest) entry = Object.values(repo.tags ?? {}).find(t => !t.alias && t.Digest === ref.digest) ?? null;
    else entry = tagEntry(repo, ref.tag ?? 'latest');
    if (!entry) return fail('manifest unknown');
    const layers = entry.Layers ?? [];
    const out = {
        Name: ref.name,
        Digest: entry.Digest,
        RepoTags: noTags ? [] : Object.keys(repo.tags ?? {}),
        Created: entry.Created,
        DockerVersion: entry.DockerVersion ?? '',
        Labels: sortedKeys(entry.Labels),
        Architecture: entry.Architecture ?? 'amd64',
        Os: entry.Os ?? 'linux',
        Layers: layers.map(l => l.Digest),
        LayersData: layers.map(l => ({ MIMEType: l.MIMEType ?? LAYER_TYPE, Digest: l.Digest, Size: l.Size, Annotations: null })),
        Env: entry.Env ?? DEFAULT_ENV,
    };
    return result(`${goJson(out)}\n`, '', 0);
}

export async function handle(argv, ctx) {
    if (indexAnswers(ctx, argv)) return null;
    const [verb, ...rest] = argv;
    if (verb === 'list-tags' && rest.length === 1) return listTags(ctx, rest[0]);
    if (verb === 'inspect') {
        const noTags = rest.includes('--no-tags') || rest.includes('-n');
        const args = rest.filter(a => a !== '--no-tags' && a !== '-n');
        if (args.length === 1 && !args[0].startsWith('-')) return inspect(ctx, args[0], { noTags });
    }
    return null;
}
