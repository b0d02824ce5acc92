#!/bin/sh
# The units the Network egress tab keeps off the network: every drop-in of ours under
# $1/etc/systemd/system ($1: the root prefix, '' on a real host), one "unit<TAB>name" line
# and then its lines as "line<TAB>text", so the page reads them all in one round trip.
# A unit name holds no tab or newline (systemd's VALID_CHARS), so the framing is safe.
root="$1"
for file in "$root"/etc/systemd/system/*.d/50-ai-workstation-egress.conf; do
    [ -f "$file" ] || continue
    dir=${file%/*}
    unit=${dir##*/}
    printf 'unit\t%s\n' "${unit%.d}"
    sed 's/^/line\t/' "$file"
done
exit 0
