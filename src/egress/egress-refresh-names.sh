#!/bin/sh
# Default deny's host names, refreshed on the host: ai-workstation-egress-names.timer runs
# this every 10 minutes (and a minute after boot, when the rules loaded from egress.nft still
# hold the addresses of the last apply). It looks up every host name of the allowlist file
# with `getent ahosts`, as the page does when it applies, and refills the two name sets of
# the table in one nft transaction; the rest of the table and its counters stay.
#   $1: the allowlist file (default /etc/cockpit-ai-workstation/egress-allowlist.conf)
# Does nothing when the table is not in default deny (no name sets), and keeps the sets as
# they are when not one name resolves (the resolver is down: better stale than empty).
list="${1:-/etc/cockpit-ai-workstation/egress-allowlist.conf}"
table=ai_workstation_egress

nft list set inet "$table" allowed_names_v4 >/dev/null 2>&1 || exit 0
[ -r "$list" ] || exit 0

v4=""
v6=""
names=0
while IFS= read -r line || [ -n "$line" ]; do
    entry=$(printf '%s' "$line" | sed 's/#.*//; s/^[[:space:]]*//; s/[[:space:]].*$//')
    [ -n "$entry" ] || continue
    # addresses and networks are in the other sets (allowlist.ts: looksNumeric)
    case "$entry" in *:*) continue ;; esac
    printf '%s' "$entry" | grep -Eq '^[0-9][0-9.]*([/%].*)?$' && continue
    names=$((names + 1))
    for address in $(getent ahosts "$entry" 2>/dev/null | awk '{ print $1 }' | sort -u); do
        case "$address" in
        ::ffff:*.*) ;;
        *:*) case " $v6 " in *" $address "*) ;; *) v6="$v6 $address" ;; esac ;;
        *.*) case " $v4 " in *" $address "*) ;; *) v4="$v4 $address" ;; esac ;;
        esac
    done
done < "$list"

if [ "$names" -gt 0 ] && [ -z "$v4$v6" ]; then
    echo "no allowlist name resolved; the name sets are left as they were" >&2
    exit 0
fi

{
    echo "flush set inet $table allowed_names_v4"
    echo "flush set inet $table allowed_names_v6"
    [ -n "$v4" ] && echo "add element inet $table allowed_names_v4 { $(echo $v4 | sed 's/ /, /g') }"
    [ -n "$v6" ] && echo "add element inet $table allowed_names_v6 { $(echo $v6 | sed 's/ /, /g') }"
} | nft -f -
