#!/bin/sh
# Live connections for the Network egress tab: one long-lived process (DESIGN decision 6)
# that prints a snapshot of `ss -tunapH -e` every $1 seconds (-a: the
# listening sockets tell a connection that came in from one that went out), framed for
# ss-snapshot-parser.ts, with the cgroup and executable of every process ss names, so the
# page attributes sockets on hosts where the socket's own cgroup is only '/' (cgroup v1).
# Lines: "ss<TAB><ss line>", "status<TAB><ss exit status>", "exe<TAB><pid><TAB><path>",
# "cgroup<TAB><pid><TAB><line of /proc/<pid>/cgroup>", "end<TAB>" after each snapshot.
interval="${1:-2}"
while :; do
    out=$(ss -tunapH -e 2>&1)
    status=$?
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/ss\t/'
    printf 'status\t%s\n' "$status"
    for pid in $(printf '%s\n' "$out" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -un); do
        # a path may hold newlines and tabs, which would break the framing: shown as '?'
        exe=$(readlink "/proc/$pid/exe" 2>/dev/null) && printf 'exe\t%s\t%s\n' "$pid" "$(printf '%s' "$exe" | tr '\n\t' '??')"
        [ -r "/proc/$pid/cgroup" ] && sed "s/^/cgroup\t$pid\t/" "/proc/$pid/cgroup" 2>/dev/null
    done
    printf 'end\t\n'
    sleep "$interval" || exit 0
done
