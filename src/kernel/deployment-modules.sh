#!/bin/sh
# Which kernels and which NVIDIA modules every deployment's own tree carries, in one round
# trip: the folders under /ostree/deploy/<osname>/deploy/<checksum>.<serial>/usr/lib/modules
# and `modinfo` on each nvidia.ko* found there. Unprivileged: the deployment trees are
# world-readable. Host files under $AI_WORKSTATION_ROOT, which only the simulated
# workstation and tests set.
# Output, in the section format of gpu-facts.sh ("@@aiws <what> ..."), parsed by
# deployment-modules-parser.ts:
#   aiws-deployment-modules 1
#   @@aiws deployment <osname>/<checksum>.<serial>
#   @@aiws kernel <kver>                          one per folder of usr/lib/modules
#   @@aiws module <path in the deployment> exit=N then modinfo's combined output
#   @@aiws module <path in the deployment> absent modinfo is not installed
#   @@aiws end ok
root="${AI_WORKSTATION_ROOT-}"

have_modinfo=no
command -v modinfo >/dev/null 2>&1 && have_modinfo=yes

printf 'aiws-deployment-modules 1\n'
for deployment in "$root"/ostree/deploy/*/deploy/*; do
    [ -d "$deployment" ] || continue
    name=${deployment##*/}
    osdir=${deployment%/deploy/*}
    printf '@@aiws deployment %s/%s\n' "${osdir##*/}" "$name"
    for kdir in "$deployment"/usr/lib/modules/*; do
        [ -d "$kdir" ] || continue
        printf '@@aiws kernel %s\n' "${kdir##*/}"
        # only the core module (not nvidia-drm, -uvm, -modeset): it is what carries the
        # version, the licence and the vermagic; depth 4 reaches kernel/drivers/video,
        # extra/nvidia, updates/dkms without walking the whole kernel tree; find does not
        # follow the build and source links out of the tree
        find "$kdir" -maxdepth 4 -type f \( -name nvidia.ko -o -name nvidia.ko.xz -o -name nvidia.ko.zst -o -name nvidia.ko.gz \) 2>/dev/null |
            LC_ALL=C sort |
            while IFS= read -r module; do
                inside=${module#"$deployment"/}
                if [ "$have_modinfo" = yes ]; then
                    out=$(modinfo "$module" 2>&1)
                    printf '@@aiws module %s exit=%s\n' "$inside" "$?"
                    [ -n "$out" ] && printf '%s\n' "$out"
                else
                    printf '@@aiws module %s absent\n' "$inside"
                fi
            done
    done
done
printf '@@aiws end ok\n'
