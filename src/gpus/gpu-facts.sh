#!/bin/sh
# Everything the driver diagnosis reads about the NVIDIA kernel side, in one round trip:
# host files (under $AI_WORKSTATION_ROOT, which only the simulated workstation sets) and
# the few tools that have no file to read instead (modinfo, mokutil, lspci).
# Output: sections "@@aiws <name> <status>" followed by their text, where status is
#   ok          the file's content / the tool's output (exit 0) follows
#   missing     the file does not exist or cannot be read
#   exit=N      the tool exited N; its combined output follows
#   absent      the tool is not installed
# Parsed by gpu-facts-sections.ts.
root="${AI_WORKSTATION_ROOT-}"

section() {
    printf '@@aiws %s %s\n' "$1" "$2"
}

file() { # name path
    if [ -r "$root$2" ] && [ -f "$root$2" ]; then
        section "$1" ok
        # the last line may lack its newline
        while IFS= read -r line || [ -n "$line" ]; do
            printf '%s\n' "$line"
        done < "$root$2"
    else
        section "$1" missing
    fi
}

tool() { # name argv...
    name=$1
    shift
    if command -v "$1" >/dev/null 2>&1; then
        out=$("$@" 2>&1)
        section "$name" "exit=$?"
        [ -n "$out" ] && printf '%s\n' "$out"
    else
        section "$name" absent
    fi
}

printf 'aiws-gpu-facts 1\n'
file kernel /proc/sys/kernel/osrelease
file cmdline /proc/cmdline
file tainted /proc/sys/kernel/tainted
file module-version /sys/module/nvidia/version
file driver-version /proc/driver/nvidia/version
for module in nvidia nouveau nova_core nova_drm vfio_pci; do
    if [ -d "$root/sys/module/$module" ]; then
        section "loaded:$module" ok
    fi
done
for conf in "$root"/etc/modprobe.d/*.conf "$root"/run/modprobe.d/*.conf "$root"/usr/lib/modprobe.d/*.conf; do
    [ -f "$conf" ] && file "modprobe:${conf#"$root"}" "${conf#"$root"}"
done
file cdi:/etc/cdi/nvidia.yaml /etc/cdi/nvidia.yaml
file cdi:/var/run/cdi/nvidia.yaml /var/run/cdi/nvidia.yaml
tool modinfo modinfo nvidia
tool sb-state mokutil --sb-state
tool mok-enrolled mokutil --list-enrolled
tool lspci lspci -Dnnk
printf '@@aiws end ok\n'
