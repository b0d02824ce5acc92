// The words of each verdict: title, cause and the concrete next step. Remedies name
// commands in `backticks` (RemedyText shows them as code to copy) and, on image-based
// hosts, the deployment to return to: the way back from a bad driver is a rollback,
// not a rebuild, because /usr is read-only there.
import { _, format, ngettext } from '../../pkg/lib/gettext';
import type { Condition, DeploymentsHint, Diagnosis, DriverFacts, PciGpu, Severity } from './gpu';
import type { Evidence } from './diagnosis';
import { messageLines } from './nvidia-smi-failure';

const SEVERITY: Record<Condition, Severity> = {
    'healthy': 'ok',
    'no-nvidia-hardware': 'info',
    'nvidia-smi-missing': 'warning',
    'nvidia-smi-timeout': 'danger',
    'version-mismatch': 'danger',
    'driver-not-loaded': 'danger',
    'module-kernel-mismatch': 'danger',
    'unsigned-module-secure-boot': 'danger',
    'nouveau-bound': 'danger',
    'nvml-missing': 'danger',
    'no-devices': 'danger',
    'gpu-lost': 'danger',
    'device-handle-unknown': 'danger',
    'inforom-corrupted': 'warning',
    'stale-cdi': 'warning',
    'unknown-failure': 'warning',
};

const unknown = () => _("unknown");

/** "roll back to …": the step back to the deployment before this one. */
function rollbackStep(hint: DeploymentsHint | null): string {
    if (hint?.tool === 'rpm-ostree' && hint.rollbackNeedsCleanup) {
        return hint.rollbackVersion
            ? format(_("drop the staged deployment with `rpm-ostree cleanup -p`, roll back to the previous deployment ($0) with `rpm-ostree rollback` and reboot"), hint.rollbackVersion)
            : _("drop the staged deployment with `rpm-ostree cleanup -p`, roll back with `rpm-ostree rollback` and reboot");
    }
    if (hint?.tool === 'rpm-ostree') {
        return hint.rollbackVersion
            ? format(_("roll back to the previous deployment ($0) with `rpm-ostree rollback` and reboot"), hint.rollbackVersion)
            : _("roll back to the previous deployment with `rpm-ostree rollback` and reboot");
    }
    if (hint?.tool === 'bootc') {
        return hint.rollbackVersion
            ? format(_("roll back to the previous image ($0) with `bootc rollback` and reboot"), hint.rollbackVersion)
            : _("roll back to the previous image with `bootc rollback` and reboot");
    }
    return _("boot the previous kernel from the boot menu");
}

function capitalised(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

function addresses(devices: readonly PciGpu[]): string {
    return devices.map(device => device.address).join(', ');
}

function failureDetails(facts: DriverFacts): string[] {
    return facts.nvidiaSmi.kind === 'failed' ? messageLines(facts.nvidiaSmi.text) : [];
}

interface Words {
    title: string;
    cause: string;
    remedy: string;
    details?: string[];
}

function words(evidence: Evidence, facts: DriverFacts): Words {
    const hint = facts.deployments;
    const kernel = facts.kernelRelease ?? unknown();
    const imageBased = hint !== null;
    switch (evidence.condition) {
    case 'healthy':
        return {
            title: _("The NVIDIA driver works"),
            cause: format(_("nvidia-smi answers with driver $0."), evidence.driverVersion ?? unknown()),
            remedy: _("Nothing to do."),
        };
    case 'no-nvidia-hardware':
        return {
            title: _("No NVIDIA GPU in this machine"),
            cause: _("lspci lists no NVIDIA display or 3D controller."),
            remedy: _("Nothing to do. If a GPU is installed, check that it is seated and powered and not disabled in the firmware setup."),
        };
    case 'nvidia-smi-missing':
        if (evidence.devices === null) {
            return {
                title: _("nvidia-smi is not installed"),
                cause: _("Without nvidia-smi, and without lspci to list the PCI devices, the page cannot tell whether this machine has an NVIDIA GPU."),
                remedy: _("If it has one, install the NVIDIA driver; installing `pciutils` lets the page list the GPUs without it."),
            };
        }
        return {
            title: _("The NVIDIA driver is not installed"),
            cause: format(ngettext("nvidia-smi is not on this host although the PCI bus has an NVIDIA GPU ($0).",
                                   "nvidia-smi is not on this host although the PCI bus has $1 NVIDIA GPUs ($0).", evidence.devices.length),
                          addresses(evidence.devices), evidence.devices.length),
            remedy: imageBased
                ? _("Rebase to an image that ships the driver (Universal Blue's -nvidia images) with `rpm-ostree rebase`, or layer it from RPM Fusion with `rpm-ostree install akmod-nvidia xorg-x11-drv-nvidia-cuda`, then reboot.")
                : _("Install the NVIDIA driver packages of your distribution (with nvidia-smi), then reboot."),
        };
    case 'nvidia-smi-timeout':
        return {
            title: _("nvidia-smi does not answer"),
            cause: _("nvidia-smi was stopped because it did not answer in time: the driver is probably stuck on a GPU that stopped responding."),
            remedy: _("Look for Xid or \"fallen off the bus\" messages with `journalctl -k -g NVRM`; a stuck GPU usually needs a reboot (`systemctl reboot`)."),
        };
    case 'version-mismatch':
        return {
            title: _("The NVIDIA driver and its libraries do not match"),
            cause: format(_("The loaded kernel module is version $0 and the userspace library (NVML) is $1: the driver was updated, but the running kernel still has the old module."),
                          evidence.loadedVersion ?? unknown(), evidence.nvmlVersion ?? unknown()),
            remedy: hint?.stagedVersion
                ? format(_("Reboot into the staged deployment $0 (`systemctl reboot`): it loads the module that matches. If it still fails after the reboot, $1."), hint.stagedVersion, rollbackStep(hint))
                : format(_("Reboot (`systemctl reboot`) so the kernel loads the module that matches the libraries. If it still fails after the reboot, $0."), rollbackStep(hint)),
            details: failureDetails(facts),
        };
    case 'driver-not-loaded':
        return {
            title: _("The NVIDIA kernel module is not loaded"),
            cause: format(_("nvidia-smi cannot talk to the driver because no nvidia module is loaded, although one is installed for the running kernel $0."), kernel),
            remedy: format(_("Load it with `modprobe nvidia` and read the kernel's answer with `journalctl -k -g nvidia`. If it does not load, $0."), rollbackStep(hint)),
            details: failureDetails(facts),
        };
    case 'module-kernel-mismatch':
        return {
            title: _("No NVIDIA module for the running kernel"),
            cause: evidence.builtFor
                ? format(_("The nvidia module on disk was built for kernel $0, but the running kernel is $1."), evidence.builtFor, kernel)
                : format(_("The running kernel is $0, but no nvidia module is installed for it: the kernel was updated and the module was not built for it."), kernel),
            remedy: imageBased
                ? format(_("$0. Then pin that deployment and update again only when an image or kmod built for the new kernel is out."), capitalised(rollbackStep(hint)))
                : format(_("Build the module for this kernel (`akmods --force` or `dkms autoinstall`) and reboot, or $0."), rollbackStep(hint)),
            details: [...(evidence.modinfoError ? [evidence.modinfoError] : []), ...failureDetails(facts)],
        };
    case 'unsigned-module-secure-boot':
        return {
            title: _("Secure Boot refuses the NVIDIA module"),
            cause: evidence.signer
                ? format(_("Secure Boot is on and the nvidia module is signed by \"$0\", a key that is not enrolled (MOK), so the kernel refuses to load it."), evidence.signer)
                : _("Secure Boot is on and the nvidia module is not signed, so the kernel refuses to load it."),
            remedy: evidence.signer
                ? _("Enroll the signing key with `mokutil --import /etc/pki/akmods/certs/public_key.der` (Universal Blue: `ujust enroll-secure-boot-key`), reboot and confirm it in the MOK manager, or turn Secure Boot off in the firmware setup.")
                : _("Use a signed module: on Fedora, akmods signs what it builds once its key exists (`kmodgenca -a`, then `akmods --force`); enroll the key with `mokutil --import /etc/pki/akmods/certs/public_key.der` and reboot. Or turn Secure Boot off in the firmware setup."),
            details: failureDetails(facts),
        };
    case 'nouveau-bound': {
        const blacklisted = facts.nouveauBlacklist?.sources ?? [];
        return {
            title: _("nouveau drives the GPU instead of the NVIDIA driver"),
            cause: (evidence.devices.length > 0
                ? format(_("The open-source nouveau driver is bound to $0, so the nvidia module cannot take the GPU."), addresses(evidence.devices))
                : _("The open-source nouveau driver is loaded and nvidia is not, so the nvidia module cannot take the GPU.")) +
                (blacklisted.length > 0 ? ' ' + format(_("nouveau is blacklisted in $0, but it was loaded before that took effect (the initramfs)."), blacklisted.join(', ')) : ''),
            remedy: hint?.tool === 'rpm-ostree'
                ? _("Blacklist nouveau on the kernel command line: `rpm-ostree kargs --append=rd.driver.blacklist=nouveau --append=modprobe.blacklist=nouveau --append=nvidia-drm.modeset=1`, then reboot.")
                : hint?.tool === 'bootc'
                    ? _("Blacklist nouveau in the image: add `rd.driver.blacklist=nouveau modprobe.blacklist=nouveau` to a file in `/usr/lib/bootc/kargs.d/`, or run `rpm-ostree kargs --append=rd.driver.blacklist=nouveau --append=modprobe.blacklist=nouveau`, then reboot.")
                    : _("Blacklist nouveau: add `rd.driver.blacklist=nouveau modprobe.blacklist=nouveau` to the kernel command line (or `blacklist nouveau` in /etc/modprobe.d with a rebuilt initramfs), then reboot."),
            details: failureDetails(facts),
        };
    }
    case 'nvml-missing':
        return {
            title: _("The NVIDIA userspace library is missing"),
            cause: _("nvidia-smi cannot find libnvidia-ml.so: the userspace half of the driver is not installed or not on the library path."),
            remedy: imageBased
                ? _("Rebase to an image that ships the driver's libraries, or layer the package that matches the module (`rpm-ostree install xorg-x11-drv-nvidia-cuda-libs`). Inside a container, ask for the GPU through CDI (`--device nvidia.com/gpu=all`).")
                : _("Install the driver's userspace libraries in the version of the module. Inside a container, ask for the GPU through CDI (`--device nvidia.com/gpu=all`)."),
            details: failureDetails(facts),
        };
    case 'no-devices':
        return {
            title: _("The NVIDIA driver found no GPU"),
            cause: _("The nvidia module is loaded but did not initialise any GPU.") +
                (evidence.vfioDevices.length > 0
                    ? ' ' + format(ngettext("$0 is bound to vfio-pci (passed through to a virtual machine).", "$0 are bound to vfio-pci (passed through to a virtual machine).", evidence.vfioDevices.length), addresses(evidence.vfioDevices))
                    : ''),
            remedy: _("Read why with `journalctl -k -g NVRM` (RmInitAdapter failures point at firmware, power or an unsupported GPU), make sure the GPU is not reserved for a virtual machine, then reboot."),
            details: failureDetails(facts),
        };
    case 'gpu-lost':
        return {
            title: _("A GPU has fallen off the bus"),
            cause: format(_("The GPU at $0 stopped responding and the driver gave it up (\"GPU is lost\")."), evidence.busId ?? unknown()),
            remedy: _("Reboot to recover it (`systemctl reboot`). If it happens again, check its power cables and cooling and look for Xid 79 in `journalctl -k -g NVRM`."),
            details: failureDetails(facts),
        };
    case 'device-handle-unknown':
        return {
            title: _("nvidia-smi cannot open a GPU"),
            cause: format(_("nvidia-smi could not get a handle for the GPU at $0 (\"Unknown Error\"): the driver and the GPU disagree, often after an Xid error or a driver update without reboot."), evidence.busId ?? unknown()),
            remedy: format(_("Look for Xid errors with `journalctl -k -g NVRM` and reboot (`systemctl reboot`). If it persists after the reboot, $0."), rollbackStep(hint)),
            details: failureDetails(facts),
        };
    case 'inforom-corrupted':
        return {
            title: _("A GPU's infoROM is corrupted"),
            cause: format(_("nvidia-smi reports a corrupted infoROM on $0. The GPU works, but its ECC and page-retirement records may be lost."), evidence.busIds.join(', ')),
            remedy: _("Update the GPU's infoROM with the vendor's firmware tool or have the board serviced; watch `nvidia-smi -q -d ECC` for growing error counts meanwhile."),
        };
    case 'stale-cdi':
        return {
            title: _("The CDI spec is for another driver"),
            cause: format(_("$0 was generated for driver $1, but driver $2 is running: containers that ask for nvidia.com/gpu get the wrong libraries or do not start."), evidence.path, evidence.specVersion, evidence.driverVersion),
            remedy: format(_("Regenerate it: `nvidia-ctk cdi generate --output=$0`."), evidence.path),
        };
    case 'unknown-failure':
        return {
            title: _("nvidia-smi failed"),
            cause: format(_("nvidia-smi exited with status $0 and a message this page does not know (below)."), evidence.exit),
            remedy: _("Run `nvidia-smi` in a terminal on the host and read `journalctl -k -g NVRM`; please report the message so that this page can explain it."),
            details: failureDetails(facts),
        };
    }
}

export function describeCondition(evidence: Evidence, facts: DriverFacts): Diagnosis {
    return { condition: evidence.condition, severity: SEVERITY[evidence.condition], ...words(evidence, facts) };
}
