#!/bin/sh
# Host capability probe: everything the page needs to decide what it can offer, in one
# round trip and one process (only shell builtins: it runs at every page load).
# Prints "key<TAB>value" lines; parsed by probe-parser.ts. Host files are read under
# $AI_WORKSTATION_ROOT, which only the simulated workstation sets.
root="${AI_WORKSTATION_ROOT-}"

printf 'aiws-probe\t1\n'
printf 'root\t%s\n' "$root"

if [ -r "$root/proc/sys/kernel/osrelease" ] && IFS= read -r kernel < "$root/proc/sys/kernel/osrelease"; then
    printf 'kernel\t%s\n' "$kernel"
fi

if [ -e "$root/run/ostree-booted" ]; then
    printf 'ostree-booted\tyes\n'
else
    printf 'ostree-booted\tno\n'
fi

for tool in rpm-ostree bootc nvidia-smi podman nft conntrack ss; do
    printf 'tool\t%s\t' "$tool"
    command -v "$tool" 2>/dev/null || echo
done

if [ -S "$root/run/podman/podman.sock" ]; then
    printf 'podman-socket\tyes\n'
else
    printf 'podman-socket\tno\n'
fi

# os-release(5): /etc/os-release wins, /usr/lib/os-release is the fallback
for file in "$root/etc/os-release" "$root/usr/lib/os-release"; do
    if [ -r "$file" ]; then
        printf 'os-release-file\t%s\n' "${file#"$root"}"
        # the last line may lack its newline
        while IFS= read -r line || [ -n "$line" ]; do
            printf 'os-release\t%s\n' "$line"
        done < "$file"
        break
    fi
done
printf 'end\t\n'
