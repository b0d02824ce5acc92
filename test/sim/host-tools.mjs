// The host tools the simulated workstation knows about.
//
// A name listed here is never taken from the machine running the tests unless
// the scenario asks for it in "real": either the scenario simulates it
// (commands/<tool>/ exists) or the simulated host simply lacks it, so
// `command -v <tool>` fails even where this machine has the tool installed.
//
// Everything else found on the machine's standard PATH (sh, cat, id, uname,
// systemctl, journalctl, ip, sudo, ...) stays available: cockpit-bridge and
// the page's sh helpers need them, and they are not facts about a GPU or
// ostree host. Add a name here when the page starts calling another host tool.

export const HOST_TOOLS = Object.freeze([
    // deployments
    'rpm-ostree', 'ostree', 'bootc', 'bootupctl', 'rpm', 'dnf', 'grubby',
    // kernel, modules, driver
    'modinfo', 'modprobe', 'lsmod', 'insmod', 'rmmod', 'depmod', 'kmod',
    'mokutil', 'lspci', 'akmods', 'dkms',
    // NVIDIA userland
    'nvidia-smi', 'nvidia-ctk', 'nvidia-container-cli', 'nvidia-persistenced',
    // containers
    'podman', 'skopeo', 'buildah',
    // network egress
    'nft', 'conntrack', 'ss', 'resolvectl',
]);

export function isHostTool(name) {
    return HOST_TOOLS.includes(name);
}
