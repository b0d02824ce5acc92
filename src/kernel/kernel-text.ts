// How the Kernel & driver views word things. Translated; no logic the host depends on.
import { _, format } from '../../pkg/lib/gettext';
import type { GuardFinding, KnownGoodRecord, UnreachableReason } from './kernel';

export function recordedAtText(record: KnownGoodRecord): string {
    const when = new Date(record.recordedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    return record.recordedBy === 'boot' ? format(_("since boot, $0"), when) : format(_("seen $0"), when);
}

export function guardFindingText(finding: GuardFinding): string {
    switch (finding.kind) {
    case 'kernel-without-module':
        return format(_("The kernel changes from $0 to $1, and the new deployment has no NVIDIA module built for $1: after the reboot the GPU will not work."), finding.fromKernel ?? _("unknown"), finding.toKernel);
    case 'module-built-on-host':
        return format(_("The kernel changes to $0 and akmods builds the NVIDIA module for it during the update: check the staged deployment here before you reboot."), finding.toKernel);
    case 'driver-major-change':
        return format(_("The NVIDIA driver changes from $0 to $1, a new major version: CUDA applications and containers built for the old one may stop working."), finding.from, finding.to);
    case 'kernel-with-module':
        return finding.moduleVersion
            ? format(_("The kernel changes to $0 and NVIDIA module $1 built for it comes with the update."), finding.toKernel, finding.moduleVersion)
            : format(_("The kernel changes to $0 and an NVIDIA module built for it comes with the update."), finding.toKernel);
    case 'module-unknown':
        return format(_("The kernel changes to $0; whether an NVIDIA module for it comes with the image shows only once it is staged."), finding.toKernel);
    case 'unknown':
        return _("What kernel and NVIDIA module the update carries cannot be told before it is staged.");
    }
}

export function unreachableText(reason: UnreachableReason): string {
    switch (reason) {
    case 'bootc-no-deploy': return _("bootc cannot deploy an older image by version; roll back to it, or switch to its image with Rebase.");
    case 'container-origin': return _("Container image origins cannot be deployed by version; rebase to the image that deployment came from.");
    case 'other-origin': return _("It comes from another origin than the running deployment; rebase back to that origin first.");
    }
}
