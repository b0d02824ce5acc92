#!/bin/sh
# Host capability probe: everything the page needs to decide what it can offer, in one
# round trip. Prints "key<TAB>value" lines; parsed by probe-parser.ts. Host files are
# read under $AI_WORKSTATION_ROOT, which only the simulated workstation sets.
root="${AI_WORKSTATION_ROOT-}"
tab="$(printf '\t')"

echo "aiws-probe${tab}1"
printf 'root\t%s\n' "$root"

if [ -r "$root/proc/sys/kernel/osrelease" ]; then
    printf 'kernel\t%s\n' "$(head -n 1 "$root/proc/sys/kernel/osrelease")"
fi

if [ -e "$root/run/ostree-booted" ]; then
    echo "ostree-booted${tab}yes"
else
    echo "ostree-booted${tab}no"
fi

for tool in rpm-ostree bootc nvidia-smi podman nft conntrack; do
    printf 'tool\t%s\t%s\n' "$tool" "$(command -v "$tool" 2>/dev/null)"
done

if [ -S "$root/run/podman/podman.sock" ]; then
    echo "podman-socket${tab}yes"
else
    echo "podman-socket${tab}no"
fi

# os-release(5): /etc/os-release wins, /usr/lib/os-release is the fallback
for file in "$root/etc/os-release" "$root/usr/lib/os-release"; do
    if [ -r "$file" ]; then
        printf 'os-release-file\t%s\n' "${file#"$root"}"
        sed 's/^/os-release\t/' "$file"
        break
    fi
done
echo "end${tab}"
