// Parses `bootc status --json`: a BootcHost object (org.containers.bootc/v1alpha1, or
// v1, which only adds fields: ostree.stateroot, rollbackQueued, otherDeployments,
// softRebootCapable, downloadOnly, image signature, architecture, store, composefs).
// bootc reports slots, not a list: status.staged, .booted, .rollback and (v1)
// .otherDeployments, each a BootEntry with an ImageStatus and its ostree state.
//
// The list index must be the one `ostree admin pin` / `undeploy` take: the position in
// ostree_sysroot_get_deployments(), which lists a staged deployment first and then the
// bootloader order (ostree PR #1539 moved staged into that list). bootc's get_status()
// takes its slots from that same list (staged; then booted and rollback, the rollback
// entry being the first other deployment of the booted stateroot; then the rest), so
// the order is rebuilt as staged, then booted and rollback — rollback first when bootc
// says a rollback is queued (it then sits before booted) — then the other deployments.
// Deployments of other stateroots are invisible to v1alpha1, so indices are exact when
// one stateroot is in use, the normal case for a bootc host.
import { ParseError } from '../../pkg/lib/parse-error';
import type { CachedUpdate, Deployment, DeploymentsStatus, Origin } from './deployment';
import { deploymentRoles, rollbackPlan } from './deployment-roles';
import { parseOrigin } from './origin-parser';
import { Fields, parseJsonDocument } from './status-json';

const TOOL = 'bootc';
const API_VERSIONS = ['org.containers.bootc/v1alpha1', 'org.containers.bootc/v1'];

type Slot = 'staged' | 'booted' | 'rollback' | 'other';

/**
 * The ostree-ext reference bootc's ImageReference stands for, written the way ostree-ext
 * prints it (and rpm-ostree reports it): no signature or `insecure` is
 * ostree-unverified-*, `containerPolicy` ostree-image-signed, {ostreeRemote} the remote.
 */
function originOf(ref: Fields): Origin {
    const image = ref.string('image');
    const transport = ref.string('transport');
    const signature = ref.raw('signature');
    if (signature === undefined || signature === null || signature === 'insecure') {
        return parseOrigin(transport === 'registry'
            ? `ostree-unverified-registry:${image}`
            : `ostree-unverified-image:${transport}:${image}`);
    }
    if (signature === 'containerPolicy')
        return parseOrigin(`ostree-image-signed:${transport}:${image}`);
    const remote = Fields.of(TOOL, ref.at('signature'), signature).string('ostreeRemote');
    return parseOrigin(`ostree-remote-image:${remote}:${transport}:${image}`);
}

/** bootc writes RFC 3339 build times; the model keeps epoch seconds like rpm-ostree's. */
function timestampOf(image: Fields): number | null {
    const text = image.optString('timestamp');
    if (text === null)
        return null;
    const ms = Date.parse(text);
    if (Number.isNaN(ms))
        image.fail('timestamp', 'an RFC 3339 time');
    return Math.floor(ms / 1000);
}

function parseEntry(value: Fields, slot: Slot, index: number): Omit<Deployment, 'roles'> {
    const ostree = value.optObject('ostree');
    const composefs = value.optObject('composefs');
    const image = value.optObject('image');
    const imageRef = image ? Fields.of(TOOL, image.at('image'), image.raw('image')) : null;
    // composefs-backed entries have no ostree commit; their verity digest names the tree
    const checksum = ostree?.string('checksum') ?? composefs?.string('verity')
        ?? value.fail('ostree', 'the ostree (or composefs) state of the entry');
    const serial = ostree ? ostree.integer('deploySerial') : 0;
    const osname = ostree?.optString('stateroot') ?? null;
    return {
        index,
        id: `${osname ? `${osname}-` : ''}${checksum}.${serial}`,
        osname,
        checksum,
        serial,
        version: image?.optString('version') ?? null,
        timestamp: image ? timestampOf(image) : null,
        booted: slot === 'booted',
        staged: slot === 'staged',
        pinned: value.boolean('pinned', false),
        origin: imageRef ? originOf(imageRef) : null,
        customOrigin: null,
        imageDigest: image?.optString('imageDigest') ?? null,
        // bootc reports none of rpm-ostree's client-side state; `incompatible` says it exists
        unlocked: null,
        layering: { requested: [], requestedLocal: [], requestedLocalFileoverride: [], packages: [], requestedModules: [], modules: [] },
        removals: { requested: [], removed: [] },
        overrides: { requestedLocal: [], local: [], remote: {} },
        base: null,
        pendingBase: null,
        kernel: null,
        initramfs: { regenerate: false, args: [], etc: [] },
        live: { replaced: null, inProgress: null },
        gpgEnabled: null,
        endOfLife: null,
        finalizationLocked: value.boolean('downloadOnly', false),
        incompatible: value.optBoolean('incompatible'),
        softRebootCapable: value.optBoolean('softRebootCapable'),
    };
}

function cachedUpdateOf(booted: Fields | null): CachedUpdate | null {
    const update = booted?.optObject('cachedUpdate');
    if (!update)
        return null;
    return {
        version: update.optString('version'),
        timestamp: timestampOf(update),
        checksum: null,
        imageDigest: update.optString('imageDigest'),
        origin: originOf(Fields.of(TOOL, update.at('image'), update.raw('image'))),
        refHasNewCommit: null,
    };
}

/** Parse `bootc status --json`. Throws only ParseError. */
export function parseBootcStatus(text: string): DeploymentsStatus {
    const root = Fields.of(TOOL, 'host', parseJsonDocument(TOOL, text));
    const apiVersion = root.string('apiVersion');
    if (!API_VERSIONS.includes(apiVersion))
        throw new ParseError(TOOL, `bootc status speaks ${apiVersion}; this page reads ${API_VERSIONS.join(' and ')}`, text);
    if (root.string('kind') !== 'BootcHost')
        root.fail('kind', '"BootcHost"');

    const status = root.optObject('status');
    const slot = (key: 'staged' | 'booted' | 'rollback') => status?.optObject(key) ?? null;
    const others = status
        ? status.array('otherDeployments').map((entry, i) => Fields.of(TOOL, `${status.at('otherDeployments')}[${i}]`, entry))
        : [];
    // v1 says whether a rollback is queued; v1alpha1 only has the spec's boot order, if that
    const queued = status?.optBoolean('rollbackQueued') ?? (root.optObject('spec')?.optString('bootOrder') === 'rollback');
    const entries: [Slot, Fields | null][] = [
        ['staged', slot('staged')],
        ...(queued ? ['rollback', 'booted'] as const : ['booted', 'rollback'] as const).map((key): [Slot, Fields | null] => [key, slot(key)]),
        ...others.map((entry): [Slot, Fields] => ['other', entry]),
    ];
    const ordered = entries.filter((entry): entry is [Slot, Fields] => entry[1] !== null);

    const deployments = ordered.map(([kind, entry], index) => parseEntry(entry, kind, index));
    const rollback = rollbackPlan(TOOL, deployments);
    const roles = deploymentRoles(deployments, rollback);
    return {
        tool: TOOL,
        deployments: deployments.map((d, i) => ({ ...d, roles: roles[i] })),
        transaction: null,
        cachedUpdate: cachedUpdateOf(slot('booted')),
        updateDriver: null,
        rollback,
    };
}
