// How the Deployments views name things: a deployment in one line, its origin, its
// time and the marks that say what it is to the next boot. Translated; no logic the
// host depends on.
import { _, format } from '../../pkg/lib/gettext';
import type { Deployment, Origin } from './deployment';

/** The version, or the start of the checksum where the commit has no version. */
export function deploymentName(d: Pick<Deployment, 'version' | 'checksum'>): string {
    return d.version ?? d.checksum.slice(0, 12);
}

/** "34.20210905.0 (deployment 1)": unambiguous in confirmations, where versions may repeat. */
export function deploymentTitle(d: Pick<Deployment, 'version' | 'checksum' | 'index'>): string {
    return format(_("$0 (deployment $1)"), deploymentName(d), d.index);
}

export function timeText(epochSeconds: number | null): string {
    if (epochSeconds === null)
        return '—';
    return new Date(epochSeconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** What kind of origin it is, in words an admin recognises. */
export function originKind(origin: Origin | null): string {
    if (origin === null)
        return _("No origin");
    switch (origin.kind) {
    case 'ostree-ref':
        return _("OSTree branch");
    case 'container-image':
        switch (origin.verification.kind) {
        case 'signed': return _("Container image, signature checked");
        case 'unverified': return _("Container image, not verified");
        case 'ostree-remote': return format(_("Container image, verified with the keys of remote $0"), origin.verification.remote);
        }
        break;
    case 'unknown':
        return _("Origin of an unknown kind");
    }
    return _("Origin of an unknown kind");
}

/** The short form shown in the list: the ref, or the image with its tag. */
export function originShort(origin: Origin | null): string {
    if (origin === null)
        return '—';
    switch (origin.kind) {
    case 'ostree-ref': return origin.ref;
    case 'container-image': return origin.image;
    case 'unknown': return origin.text;
    }
}

export type MarkKind = 'booted' | 'staged' | 'pending' | 'default' | 'rollback-target' | 'pinned' | 'known-good' | 'unlocked';

export interface Mark {
    kind: MarkKind;
    text: string;
    color: 'green' | 'blue' | 'purple' | 'orange' | 'grey' | 'teal';
}

/** `knownGood`: it booted here with a working GPU (the Kernel & driver area's records). */
export function deploymentMarks(d: Deployment, knownGood = false): Mark[] {
    const marks: Mark[] = [];
    if (d.booted)
        marks.push({ kind: 'booted', text: _("Running"), color: 'green' });
    if (d.staged)
        marks.push({ kind: 'staged', text: _("Staged for next boot"), color: 'blue' });
    else if (d.roles.includes('pending'))
        marks.push({ kind: 'pending', text: _("Pending"), color: 'blue' });
    if (d.roles.includes('default') && !d.booted && !d.staged)
        marks.push({ kind: 'default', text: _("Default at next boot"), color: 'blue' });
    if (d.roles.includes('rollback-target'))
        marks.push({ kind: 'rollback-target', text: _("Rollback target"), color: 'purple' });
    if (d.pinned)
        marks.push({ kind: 'pinned', text: _("Pinned"), color: 'teal' });
    if (knownGood)
        marks.push({ kind: 'known-good', text: _("Known-good"), color: 'green' });
    if (d.unlocked && d.unlocked.state !== 'none')
        marks.push({ kind: 'unlocked', text: format(_("Unlocked ($0)"), d.unlocked.raw), color: 'orange' });
    return marks;
}

/** The deployment the next boot starts: the staged one, else position 0. */
export function nextBoot(deployments: readonly Deployment[]): Deployment | null {
    return deployments.find(d => d.staged) ?? deployments.find(d => d.index === 0) ?? null;
}

/**
 * The running transaction in words. rpm-ostree reports the daemon's D-Bus method
 * (rpmostreed-os.cxx, rpmostreed-sysroot.cxx); older versions and the "Transaction in
 * progress" error give the CLI's own title instead, which is shown as it is.
 */
export function transactionText(title: string): string {
    switch (title) {
    case 'AutomaticUpdateTrigger': return _("an automatic update");
    case 'Upgrade':
    case 'UpdateDeployment': return _("an update");
    case 'Rollback': return _("a rollback");
    case 'Rebase': return _("a rebase");
    case 'Deploy': return _("a deploy");
    case 'PkgChange': return _("a package change");
    case 'KernelArgs': return _("a kernel argument change");
    case 'SetInitramfsState': return _("an initramfs change");
    case 'Cleanup': return _("a clean-up");
    case 'RefreshMd': return _("a metadata refresh");
    case 'FinalizeDeployment': return _("finalizing a deployment");
    case 'DownloadUpdateRpmDiff':
    case 'DownloadRebaseRpmDiff':
    case 'DownloadDeployRpmDiff': return _("an update check");
    default: return format(_("\"$0\""), title.trim());
    }
}
