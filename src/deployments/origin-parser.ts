// Origins: the text rpm-ostree and bootc say a deployment came from, and the text an
// admin types as a Rebase target. Two forms exist (rpm-ostree(1) "rebase"):
// - an ostree refspec, `remote:ref` or a bare `ref` (ostree's refspec grammar);
// - a container image reference with ostree-ext's verification prefix:
//   `ostree-unverified-registry:IMAGE`, `ostree-remote-registry:REMOTE:IMAGE`, or
//   `ostree-image-signed:` / `ostree-unverified-image:` / `ostree-remote-image:REMOTE:`
//   followed by `TRANSPORT:IMAGE` (`registry:`, `docker://`, `oci:`, …).
// Parsing is lenient (an unknown form is the unknown origin, never an error: the status
// is still worth showing); validating a Rebase target is strict.
import type { DeploymentsTool } from './actions';
import type { ContainerImageOrigin, ImageTransport, ImageVerification, Origin, OstreeRefOrigin } from './deployment';

// ostree's own name rule, `[\w\d][-._\w\d]*`, for remotes and each ref component
const OSTREE_NAME = '[A-Za-z0-9_][-._A-Za-z0-9]*';
const REFSPEC = new RegExp(`^(?:(${OSTREE_NAME})?:)?(${OSTREE_NAME}(?:/${OSTREE_NAME})*)$`);

// How ostree-ext spells each transport in front of the image; longer spellings first
// so that `oci-archive:` is not read as `oci:` + `archive:…`.
const TRANSPORT_SPELLINGS: readonly [string, ImageTransport][] = [
    ['registry:', 'registry'],
    ['docker://', 'registry'],
    ['oci-archive:', 'oci-archive'],
    ['oci:', 'oci'],
    ['docker-archive:', 'docker-archive'],
    ['containers-storage:', 'containers-storage'],
    ['dir:', 'dir'],
];

function splitImage(transport: ImageTransport, image: string): Pick<ContainerImageOrigin, 'name' | 'tag' | 'digest'> {
    const at = image.indexOf('@');
    const digest = at >= 0 ? image.slice(at + 1) : null;
    const named = at >= 0 ? image.slice(0, at) : image;
    // the tag follows the last ':' after the last '/', so a registry port is not a tag
    const colon = named.lastIndexOf(':');
    if (transport === 'dir' || colon < 0 || colon < named.lastIndexOf('/'))
        return { name: named, tag: null, digest };
    return { name: named.slice(0, colon), tag: named.slice(colon + 1), digest };
}

function imageOrigin(text: string, prefix: string, verification: ImageVerification, transport: ImageTransport): ContainerImageOrigin | null {
    const image = text.slice(prefix.length);
    const parts = splitImage(transport, image);
    if (parts.name === '')
        return null;
    return { kind: 'container-image', text, prefix, verification, transport, image, ...parts };
}

/** `TRANSPORT:IMAGE` after a verification prefix of `head` characters. */
function withTransport(text: string, head: number, verification: ImageVerification): ContainerImageOrigin | null {
    const rest = text.slice(head);
    const spelling = TRANSPORT_SPELLINGS.find(([written]) => rest.startsWith(written));
    if (!spelling)
        return null;
    return imageOrigin(text, text.slice(0, head) + spelling[0], verification, spelling[1]);
}

/** `REMOTE:` right after `head` characters; returns the remote and where the rest starts. */
function remoteAfter(text: string, head: number): { remote: string, next: number } | null {
    const colon = text.indexOf(':', head);
    const remote = colon < 0 ? '' : text.slice(head, colon);
    if (!new RegExp(`^${OSTREE_NAME}$`).test(remote))
        return null;
    return { remote, next: colon + 1 };
}

function parseImageReference(text: string): ContainerImageOrigin | null {
    if (text.startsWith('ostree-unverified-registry:'))
        return imageOrigin(text, 'ostree-unverified-registry:', { kind: 'unverified' }, 'registry');
    if (text.startsWith('ostree-unverified-image:'))
        return withTransport(text, 'ostree-unverified-image:'.length, { kind: 'unverified' });
    if (text.startsWith('ostree-image-signed:'))
        return withTransport(text, 'ostree-image-signed:'.length, { kind: 'signed' });
    for (const [head, registryOnly] of [['ostree-remote-registry:', true], ['ostree-remote-image:', false]] as const) {
        if (!text.startsWith(head))
            continue;
        const found = remoteAfter(text, head.length);
        if (!found)
            return null;
        const verification: ImageVerification = { kind: 'ostree-remote', remote: found.remote };
        return registryOnly
            ? imageOrigin(text, text.slice(0, found.next), verification, 'registry')
            : withTransport(text, found.next, verification);
    }
    return null;
}

function parseRefspec(text: string): OstreeRefOrigin | null {
    const match = REFSPEC.exec(text);
    return match ? { kind: 'ostree-ref', text, remote: match[1] ?? null, ref: match[2] } : null;
}

// An `ostree-…:` head is ostree-ext's prefix space, even where this page does not know the
// prefix or the rest is malformed: reading `ostree-image-signed:quay.io/x` (no transport)
// as ref `quay.io/x` of a remote called "ostree-image-signed" would mislead.
const IMAGE_PREFIX_SPACE = /^ostree-[a-z-]+:/;

/** The origin a status names. Never throws: an unknown form is kept as text. */
export function parseOrigin(text: string): Origin {
    const unknown: Origin = { kind: 'unknown', text };
    if (IMAGE_PREFIX_SPACE.test(text))
        return parseImageReference(text) ?? unknown;
    return parseRefspec(text) ?? unknown;
}

// ---- Rebase targets ---------------------------------------------------------------

// distribution/reference's grammar: [domain[:port]/]path[:tag][@digest]
const DOMAIN_COMPONENT = '(?:[A-Za-z0-9]|[A-Za-z0-9][-A-Za-z0-9]*[A-Za-z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[A-Za-z0-9_][-.A-Za-z0-9_]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const REGISTRY_IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

// Characters a shell (or a glob) would act on; none belongs in a ref or an image reference.
const SHELL_CHARACTERS = /[;&|$`\\<>(){}[\]*?!~'"#%^,=]/;

/** What is wrong with a target, for the view to word (rebase-problem-text.ts). */
export type RebaseProblem =
    | { kind: 'empty' }
    | { kind: 'control-characters' }
    | { kind: 'spaces' }
    | { kind: 'option' }
    | { kind: 'shell-character', character: string }
    | { kind: 'not-ascii' }
    | { kind: 'bootc-prefix' }
    | { kind: 'no-image-name' }
    | { kind: 'bad-image', image: string }
    | { kind: 'unknown-image-form' }
    | { kind: 'not-a-target' };

export type RebaseTargetCheck =
    | { ok: true, origin: OstreeRefOrigin | ContainerImageOrigin }
    /** `reason`: the same in English, for logs and tests. */
    | { ok: false, reason: string, problem: RebaseProblem };

function refuse(reason: string, problem: RebaseProblem): RebaseTargetCheck {
    return { ok: false, reason, problem };
}

/** Whether the image part fits its transport; registry images follow distribution/reference. */
function imageProblem(origin: ContainerImageOrigin): RebaseTargetCheck | null {
    if (origin.transport === 'registry') {
        return REGISTRY_IMAGE.test(origin.image)
            ? null
            : refuse(`"${origin.image}" is not a valid registry image reference (host/name:tag or name@sha256:…)`, { kind: 'bad-image', image: origin.image });
    }
    return origin.image.startsWith(':') ? refuse(`"${origin.image}" has no image name`, { kind: 'no-image-name' }) : null;
}

/**
 * Check what the admin typed before it goes into argv (DESIGN decision 3). rpm-ostree
 * rebases to an ostree refspec or an `ostree-*:` image reference; `bootc switch` takes
 * a plain registry image reference and no prefix.
 */
export function validateRebaseTarget(text: string, tool: DeploymentsTool = 'rpm-ostree'): RebaseTargetCheck {
    if (text === '')
        return refuse('the target is empty', { kind: 'empty' });
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(text))
        return refuse('the target contains control characters', { kind: 'control-characters' });
    if (/\s/.test(text))
        return text.trim() === '' ? refuse('the target is empty', { kind: 'empty' }) : refuse('the target contains spaces', { kind: 'spaces' });
    if (text.startsWith('-'))
        return refuse('the target starts with "-" and would be read as an option', { kind: 'option' });
    const shell = SHELL_CHARACTERS.exec(text);
    if (shell)
        return refuse(`the target contains the shell character "${shell[0]}"`, { kind: 'shell-character', character: shell[0] });
    if (!/^[\x21-\x7e]+$/.test(text))
        return refuse('the target contains characters outside printable ASCII', { kind: 'not-ascii' });

    if (tool === 'bootc') {
        if (text.startsWith('ostree-'))
            return refuse('bootc switch takes a plain image reference such as quay.io/fedora/fedora-bootc:42, without the ostree-… prefix', { kind: 'bootc-prefix' });
        const origin = imageOrigin(text, '', { kind: 'unverified' }, 'registry');
        if (!origin)
            return refuse('the target has no image name', { kind: 'no-image-name' });
        return imageProblem(origin) ?? { ok: true, origin };
    }

    const origin = parseOrigin(text);
    if (origin.kind === 'unknown') {
        return text.startsWith('ostree-')
            ? refuse('unknown container image form: use ostree-unverified-registry:IMAGE, ostree-image-signed:docker://IMAGE or ostree-remote-image:REMOTE:registry:IMAGE', { kind: 'unknown-image-form' })
            : refuse('the target is neither an ostree ref (remote:ref) nor a container image reference (ostree-unverified-registry:IMAGE, …)', { kind: 'not-a-target' });
    }
    if (origin.kind === 'container-image') {
        const problem = imageProblem(origin);
        if (problem)
            return problem;
    }
    return { ok: true, origin };
}
