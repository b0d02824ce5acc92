// Package identities in rpm-ostree's status. rpm-ostree serialises a package as its
// GVariant `(sstsss)` tuple — [nevra, name, epoch, version, release, arch] — in
// `base-removals` and `base-local-replacements` (see the Silverblue 33 recording); a
// plain NEVRA string is accepted too, split the way rpm names it (name-[epoch:]version-release.arch).
import type { Nevra } from './deployment';
import { type Json, wrongType } from './status-json';

const NEVRA = /^(.+)-(?:(\d+):)?([^-]+)-([^-]+)\.([^.]+)$/;

export function nevraFromString(nevra: string): Nevra {
    const match = NEVRA.exec(nevra);
    if (!match)
        return { nevra, name: nevra, epoch: 0, version: '', release: '', arch: '' };
    return { nevra, name: match[1], epoch: Number(match[2] ?? 0), version: match[3], release: match[4], arch: match[5] };
}

export function nevraOf(tool: string, path: string, value: Json): Nevra {
    if (typeof value === 'string')
        return nevraFromString(value);
    if (Array.isArray(value) && value.length === 6) {
        const [nevra, name, epoch, version, release, arch] = value;
        if (typeof nevra === 'string' && typeof name === 'string' && typeof epoch === 'number' &&
            typeof version === 'string' && typeof release === 'string' && typeof arch === 'string')
            return { nevra, name, epoch, version, release, arch };
    }
    throw wrongType(tool, path, 'a package ([nevra, name, epoch, version, release, arch] or a NEVRA string)', value);
}
