// Parses `rpm-ostree status --json`: {deployments, transaction, cached-update,
// update-driver}. The deployment keys are rpm-ostree's D-Bus deployment variant
// (rpmostreed_deployment_generate_variant), serialised by json-glib: tuples become
// arrays, `t` timestamps numbers. rpm-ostree's own keys are checked strictly (a wrong
// type is a ParseError); commit metadata is whatever the image builder wrote, so it is
// read leniently and only for what the page needs (the kernel).
import { ParseError } from '../../pkg/lib/parse-error';
import type { CachedUpdate, Deployment, DeploymentsStatus, KernelInfo, Replacement, Transaction, Unlocked, UpdateDriver } from './deployment';
import { UNLOCKED_STATES } from './deployment';
import { deploymentRoles, rollbackPlan } from './deployment-roles';
import { nevraOf } from './nevra';
import { parseOrigin } from './origin-parser';
import { Fields, type Json, isObject, parseJsonDocument, wrongType } from './status-json';

const TOOL = 'rpm-ostree';

function unlockedOf(raw: string | null): Unlocked | null {
    if (raw === null)
        return null;
    const known = UNLOCKED_STATES.find(state => state === raw);
    return { state: known ?? 'other', raw };
}

function replacementsOf(d: Fields, key: string): Replacement[] {
    return d.array(key).map((pair, i) => {
        const path = `${d.at(key)}[${i}]`;
        // a (new, old) pair: the package now in the tree, then the base one it replaced
        if (!Array.isArray(pair) || pair.length !== 2)
            throw wrongType(TOOL, path, 'a [replacement, replaced] pair', pair);
        return { replacement: nevraOf(TOOL, `${path}[0]`, pair[0]), replaced: nevraOf(TOOL, `${path}[1]`, pair[1]) };
    });
}

function remoteReplacementsOf(d: Fields): Record<string, string[]> {
    const replacements = d.optObject('base-remote-replacements');
    const result: Record<string, string[]> = {};
    for (const [source, packages] of Object.entries(replacements?.value ?? {})) {
        if (!Array.isArray(packages))
            throw wrongType(TOOL, `${d.at('base-remote-replacements')}.${source}`, 'an array', packages);
        result[source] = packages.map((p, i) => nevraOf(TOOL, `${d.at('base-remote-replacements')}.${source}[${i}]`, p).nevra);
    }
    return result;
}

/** `ostree.linux` of a commit's metadata, or of the OCI labels it was imported with. */
function kernelFromMeta(meta: Json | undefined): { commit: string | null, label: string | null } {
    if (!isObject(meta))
        return { commit: null, label: null };
    const commit = typeof meta['ostree.linux'] === 'string' ? meta['ostree.linux'] : null;
    let label: string | null = null;
    const config = meta['ostree.container.image-config'];
    if (typeof config === 'string') {
        try {
            const parsed = JSON.parse(config) as Json;
            const labels = isObject(parsed) && isObject(parsed.config) ? parsed.config.Labels : undefined;
            if (isObject(labels) && typeof labels['ostree.linux'] === 'string')
                label = labels['ostree.linux'];
        } catch {
            // a broken image config only costs the kernel line, not the whole status
        }
    }
    return { commit, label };
}

function kernelOf(d: Fields): KernelInfo | null {
    const layered = kernelFromMeta(d.raw('layered-commit-meta'));
    const base = kernelFromMeta(d.raw('base-commit-meta'));
    if (layered.commit)
        return { version: layered.commit, source: 'layered-commit' };
    if (base.commit)
        return { version: base.commit, source: 'base-commit' };
    if (base.label)
        return { version: base.label, source: 'image-label' };
    return null;
}

function commitRef(d: Fields, prefix: string): Deployment['base'] {
    const checksum = d.optString(`${prefix}checksum`);
    return checksum === null ? null : { checksum, version: d.optString(`${prefix}version`), timestamp: d.optInteger(`${prefix}timestamp`) };
}

function originOf(d: Fields): Deployment['origin'] {
    // container origins have no `origin` key; rpm-ostree names the image reference instead
    const text = d.optString('container-image-reference') ?? d.optString('origin');
    return text === null ? null : parseOrigin(text);
}

function customOriginOf(d: Fields): Deployment['customOrigin'] {
    const value = d.raw('custom-origin');
    if (value === undefined || value === null)
        return null;
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string')
        d.fail('custom-origin', 'a [url, description] pair');
    return { url: value[0], description: value[1] };
}

function parseDeployment(value: Json, index: number): Omit<Deployment, 'roles'> {
    const d = Fields.of(TOOL, `deployments[${index}]`, value);
    return {
        index,
        id: d.string('id'),
        osname: d.string('osname'),
        checksum: d.string('checksum'),
        serial: d.integer('serial'),
        version: d.optString('version'),
        timestamp: d.optInteger('timestamp'),
        booted: d.boolean('booted', false),
        staged: d.boolean('staged', false),
        pinned: d.boolean('pinned', false),
        origin: originOf(d),
        customOrigin: customOriginOf(d),
        imageDigest: d.optString('container-image-reference-digest'),
        unlocked: unlockedOf(d.optString('unlocked')),
        layering: {
            requested: d.strings('requested-packages'),
            requestedLocal: d.strings('requested-local-packages'),
            requestedLocalFileoverride: d.strings('requested-local-fileoverride-packages'),
            packages: d.strings('packages'),
            requestedModules: d.strings('requested-modules'),
            modules: d.strings('modules'),
        },
        removals: {
            requested: d.strings('requested-base-removals'),
            removed: d.array('base-removals').map((p, i) => nevraOf(TOOL, `${d.at('base-removals')}[${i}]`, p)),
        },
        overrides: {
            requestedLocal: d.strings('requested-base-local-replacements'),
            local: replacementsOf(d, 'base-local-replacements'),
            remote: remoteReplacementsOf(d),
        },
        base: commitRef(d, 'base-'),
        pendingBase: commitRef(d, 'pending-base-'),
        kernel: kernelOf(d),
        initramfs: {
            regenerate: d.boolean('regenerate-initramfs', false),
            args: d.strings('initramfs-args'),
            etc: d.strings('initramfs-etc'),
        },
        live: { replaced: d.optString('live-replaced'), inProgress: d.optString('live-inprogress') },
        gpgEnabled: d.optBoolean('gpg-enabled'),
        endOfLife: d.optString('endoflife'),
        finalizationLocked: d.boolean('finalization-locked', false),
        incompatible: null,
        softRebootCapable: null,
    };
}

function transactionOf(root: Fields): Transaction | null {
    const value = root.raw('transaction');
    if (value === undefined || value === null)
        return null;
    if (!Array.isArray(value) || value.length !== 3 || !value.every(v => typeof v === 'string'))
        root.fail('transaction', 'null or [title, owner, path]');
    const [title, owner, path] = value as string[];
    return { title, owner, path };
}

function cachedUpdateOf(root: Fields): CachedUpdate | null {
    const u = root.optObject('cached-update');
    if (!u)
        return null;
    const origin = u.optString('origin');
    return {
        version: u.optString('version'),
        timestamp: u.optInteger('timestamp'),
        checksum: u.optString('checksum'),
        imageDigest: null,
        origin: origin === null ? null : parseOrigin(origin),
        refHasNewCommit: u.optBoolean('ref-has-new-commit'),
    };
}

function updateDriverOf(root: Fields): UpdateDriver | null {
    const driver = root.optObject('update-driver');
    return driver ? { name: driver.string('driver-name'), unit: driver.string('driver-sd-unit') } : null;
}

/** Parse `rpm-ostree status --json`. Throws only ParseError. */
export function parseRpmOstreeStatus(text: string): DeploymentsStatus {
    const root = Fields.of(TOOL, 'status', parseJsonDocument(TOOL, text));
    if (!Array.isArray(root.raw('deployments')))
        root.fail('deployments', 'an array');
    const parsed = root.array('deployments').map(parseDeployment);
    if (parsed.filter(d => d.booted).length > 1)
        throw new ParseError(TOOL, 'status.deployments has more than one booted deployment', text);
    const rollback = rollbackPlan(TOOL, parsed);
    const roles = deploymentRoles(parsed, rollback);
    return {
        tool: TOOL,
        deployments: parsed.map((d, i) => ({ ...d, roles: roles[i] })),
        transaction: transactionOf(root),
        cachedUpdate: cachedUpdateOf(root),
        updateDriver: updateDriverOf(root),
        rollback,
    };
}
