#!/bin/sh
# Records the booted deployment as known-good: one KnownGoodRecord (src/kernel/kernel.ts)
# appended to /var/lib/cockpit-ai-workstation/known-good.jsonl. Run as root at boot by
# ai-workstation-known-good.service (from its timer), so a healthy boot is recorded even
# when nobody opens the page. No Node on the host (DESIGN decision 7): POSIX sh only.
#
# A record only ever says "this worked": when the GPU is not healthy nothing is written, the
# reason goes to stderr (the journal) and the exit status is 0, because a broken GPU is a fact
# to report, not a failure of this unit. Exit 1 only when a healthy boot could not be written.
#
# Host files are read under $AI_WORKSTATION_ROOT, which only tests and the simulated
# workstation set (DESIGN decision 8).
root="${AI_WORKSTATION_ROOT-}"
dir="$root/var/lib/cockpit-ai-workstation"
file="$dir/known-good.jsonl"
# the file keeps the newest 50 lines: 49 old ones and the new one
keep=49
tmp=

skip() {
    printf 'record-known-good: nothing recorded: %s\n' "$1" >&2
    exit 0
}

fail() {
    printf 'record-known-good: %s\n' "$1" >&2
    [ -n "$tmp" ] && rm -f "$tmp"
    exit 1
}

first_line() { # path: its first line without the newline; nothing when it cannot be read
    line=
    if [ -f "$1" ] && [ -r "$1" ]; then
        IFS= read -r line < "$1" || :
    fi
    printf '%s' "$line"
}

os_release() { # key path: the value, without the quotes os-release(5) allows
    sed -n "s/^$1=//p" "$2" 2>/dev/null | head -n 1 | sed -e "s/^[\"']//" -e "s/[\"']\$//"
}

json_escape() { # text: its characters escaped for a JSON string (RFC 8259 section 7)
    printf '%s' "$1" | awk '
        BEGIN {
            for (i = 1; i < 32; i++)
                esc[sprintf("%c", i)] = sprintf("\\u%04x", i)
            esc["\t"] = "\\t"
            esc["\\"] = "\\\\"
            esc["\""] = "\\\""
        }
        {
            out = ""
            for (i = 1; i <= length($0); i++) {
                c = substr($0, i, 1)
                out = out ((c in esc) ? esc[c] : c)
            }
            printf "%s%s", (NR > 1 ? "\\n" : ""), out
        }'
}

# ---- the booted deployment: ostree= on the kernel command line leads to its folder ----
cmdline=$(first_line "$root/proc/cmdline")
ostree_arg=
set -f
for word in $cmdline; do
    case $word in
        ostree=*) ostree_arg=${word#ostree=} ;;
    esac
done
set +f
[ -n "$ostree_arg" ] || skip "not booted from an ostree deployment (no ostree= on /proc/cmdline)"
deployment=$(readlink -f "$root$ostree_arg") || skip "ostree=$ostree_arg leads nowhere"
case $deployment in
    */ostree/deploy/*/deploy/*) ;;
    *) skip "ostree=$ostree_arg does not lead to a deployment folder ($deployment)" ;;
esac
[ -d "$deployment" ] || skip "ostree=$ostree_arg leads to $deployment, which is not there"
name=${deployment##*/}
checksum=${name%.*}
serial=${name##*.}
osdir=${deployment%/deploy/*}
osname=${osdir##*/}
case $checksum in
    *[!0-9a-f]*) skip "the deployment folder $name is not <checksum>.<serial>" ;;
esac
case $serial in
    '' | *[!0-9]*) skip "the deployment folder $name is not <checksum>.<serial>" ;;
esac
[ "${#checksum}" -eq 64 ] || skip "the deployment folder $name is not <checksum>.<serial>"

# ---- healthy: nvidia-smi lists GPUs and the nvidia module is loaded ----
command -v nvidia-smi >/dev/null 2>&1 || skip "nvidia-smi is not installed"
list=$(nvidia-smi -L 2>&1)
status=$?
[ "$status" -eq 0 ] || skip "nvidia-smi -L failed (exit $status): $(printf '%s\n' "$list" | sed -n '/./{p;q;}')"
# "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-...)"; the MIG lines under it are no GPUs
gpus=$(printf '%s\n' "$list" | sed -n 's/^GPU [0-9][0-9]*: \(.*\) (UUID: [^)]*)$/\1/p')
[ -n "$gpus" ] || skip "nvidia-smi -L listed no GPU"
[ -f "$root/sys/module/nvidia/version" ] || skip "the nvidia module is not loaded (no /sys/module/nvidia/version)"
driver=$(first_line "$root/sys/module/nvidia/version")
[ -n "$driver" ] || skip "/sys/module/nvidia/version is empty"
kernel=$(first_line "$root/proc/sys/kernel/osrelease")
[ -n "$kernel" ] || skip "the kernel release is unknown (/proc/sys/kernel/osrelease)"

version=$(os_release OSTREE_VERSION "$deployment/usr/lib/os-release")
[ -n "$version" ] || version=$(os_release VERSION_ID "$deployment/usr/lib/os-release")

# ---- the line: the keys in serializeRecord's order (known-good.ts) ----
gpu_json=
while IFS= read -r gpu; do
    gpu_json="$gpu_json${gpu_json:+,}\"$(json_escape "$gpu")\""
done <<EOF
$gpus
EOF
if [ -n "$version" ]; then
    version_json="\"$(json_escape "$version")\""
else
    version_json=null
fi
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
record="{\"checksum\":\"$checksum\",\"osname\":\"$(json_escape "$osname")\",\"version\":$version_json"
record="$record,\"kernel\":\"$(json_escape "$kernel")\",\"driverVersion\":\"$(json_escape "$driver")\""
record="$record,\"gpus\":[$gpu_json],\"recordedAt\":\"$now\",\"recordedBy\":\"boot\"}"

# ---- write: a new file beside the old one, then one rename, so a reader never sees half a file ----
mkdir -p "$dir" || fail "cannot create $dir"
tmp="$dir/.known-good.jsonl.$$"
( set -C; : > "$tmp" ) 2>/dev/null || { tmp=; fail "cannot create a temporary file in $dir"; }
{
    if [ -f "$file" ]; then
        # Older lines of this deployment go (the reader keeps only the newest per checksum
        # anyway), so rebooting one deployment 50 times cannot push every other known-good
        # deployment out of the file. Blank lines go too. Any other line, corrupt or not,
        # stays as it is; the loop ends each with a newline, so a truncated last line
        # cannot run into the new one.
        grep -v -F "\"checksum\":\"$checksum\"" "$file" | grep -v '^[[:space:]]*$' | tail -n "$keep" |
            while IFS= read -r old || [ -n "$old" ]; do
                printf '%s\n' "$old"
            done
    fi
    printf '%s\n' "$record"
} > "$tmp" || fail "cannot write $tmp"
mv -f "$tmp" "$file" || fail "cannot replace $file"
printf 'record-known-good: recorded %s.%s (%s, kernel %s, driver %s)\n' "$checksum" "$serial" "${version:-no version}" "$kernel" "$driver" >&2
