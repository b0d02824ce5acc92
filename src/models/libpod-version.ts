// GET /libpod/version → podman's own version, and what it means for this page: Quadlet
// (the systemd generator that turns /etc/containers/systemd/*.container into units) came
// with podman 4.4; an older podman writes no unit from the file. Pure.
import { FieldReader, parseJson } from './libpod-error';

export interface PodmanVersion {
    /** "4.3.1", as podman says it. */
    version: string;
    major: number;
    minor: number;
}

export function parseLibpodVersion(text: string): PodmanVersion {
    const r: FieldReader = new FieldReader('version', text);
    const top = r.record(parseJson(text, 'version'), 'version');
    const version = r.string(top.Version, 'Version');
    const match = /^(\d+)\.(\d+)/.exec(version);
    if (!match)
        r.fail(`Version "${version}" is not a version number`);
    return { version, major: Number(match[1]), minor: Number(match[2]) };
}

export function hasQuadlet(version: PodmanVersion): boolean {
    return version.major > 4 || (version.major === 4 && version.minor >= 4);
}
