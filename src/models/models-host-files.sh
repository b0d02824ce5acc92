#!/bin/sh
# The host files the Models tab reads, in one round trip: the site's catalog additions
# (/etc/cockpit-ai-workstation/catalog.d/*.json) and the Quadlet container units
# (/etc/containers/systemd/*.container). Unprivileged: both folders are world-readable.
# Host files under $AI_WORKSTATION_ROOT, which only the simulated workstation sets.
# Output: "aiws-models-files 1", then per file "@@aiws file <path>" and its text, then
# "@@aiws end ok". Parsed by models-host-files-parser.ts.
root="${AI_WORKSTATION_ROOT-}"
printf 'aiws-models-files 1\n'
for file in "$root"/etc/cockpit-ai-workstation/catalog.d/*.json "$root"/etc/containers/systemd/*.container; do
    [ -f "$file" ] && [ -r "$file" ] || continue
    printf '@@aiws file %s\n' "${file#"$root"}"
    cat "$file"
    printf '\n'
done
printf '@@aiws end ok\n'
