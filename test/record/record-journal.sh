#!/bin/sh
# Records real `journalctl -o json` output of kernel records on a machine without systemd as
# PID 1, without touching the host's logging: a throw-away systemd-journald runs in a private
# mount namespace with tmpfs over /run and /var/log/journal and a journald.conf of its own that
# forwards nothing (no kmsg, syslog, console or wall). It reads the kernel ring buffer through
# /dev/kmsg (a reader does not consume it) and writes its volatile journal into the tmpfs, which
# vanishes with the namespace. The host's printk settings, firewall and journal are not changed.
# Usage: record-journal.sh OUTDIR (as root). Needs unshare (util-linux), systemd 252's journald,
# journalctl and systemd-cat, and strace (to show journald never opens /dev/kmsg for writing).
set -eu
OUT=${1:?usage: record-journal.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
dmesg | wc -l >"$OUT/.dmesg-lines-before"
unshare --mount --propagation private sh -eu -c '
OUT=$1
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=2755 tmpfs /var/log/journal
mkdir -p /run/systemd/journald.conf.d
cat >/run/aiws-journald.conf <<EOF
[Journal]
Storage=volatile
ReadKMsg=yes
ForwardToSyslog=no
ForwardToKMsg=no
ForwardToConsole=no
ForwardToWall=no
RateLimitIntervalSec=0
EOF
cp /run/aiws-journald.conf /run/systemd/journald.conf.d/zz-aiws-record.conf
mount --bind /run/aiws-journald.conf /etc/systemd/journald.conf
SYSTEMD_LOG_TARGET=console strace -f -qq -e trace=openat,write,writev -o /run/journald.strace \
    /lib/systemd/systemd-journald 2>"$OUT/.journald-stderr.txt" &
JPID=$!
i=0
until [ -S /run/systemd/journal/socket ] && journalctl -k -q -n 1 -o json >/dev/null 2>&1 && [ -n "$(journalctl -k -q -n 1 -o json)" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "journald did not come up" >&2; kill $JPID; exit 1; }
    sleep 0.1
done
sleep 1
# a record that is not valid UTF-8 (journald stores it as bytes; journalctl -o json prints an array)
printf "aiws-record: bytes \\377\\376 are not UTF-8\n" | systemd-cat -t aiws-record -p info
printf "aiws-record: plain text\n" | systemd-cat -t aiws-record -p info
sleep 1
journalctl -k -o json --no-pager -n 6 >"$OUT/journalctl-k-o-json-n6-252.json" 2>"$OUT/journalctl-k-o-json-n6-252.stderr.txt"
journalctl -k -o json --no-pager --grep "pcpu-alloc" >"$OUT/journalctl-k-o-json-grep-trailing-space-252.json" 2>"$OUT/journalctl-k-o-json-grep-trailing-space-252.stderr.txt"
set +e
journalctl -k -o json --no-pager --grep "aiws-egress: " >"$OUT/journalctl-k-o-json-grep-no-match-252.json" 2>"$OUT/journalctl-k-o-json-grep-no-match-252.stderr.txt"
echo $? >"$OUT/journalctl-k-o-json-grep-no-match-252.exit-code.txt"
journalctl -k -o json --no-pager --since "2000-01-01 00:00:00" --until "2000-01-02 00:00:00" >"$OUT/journalctl-k-o-json-empty-range-252.json" 2>"$OUT/journalctl-k-o-json-empty-range-252.stderr.txt"
echo $? >"$OUT/journalctl-k-o-json-empty-range-252.exit-code.txt"
set -e
journalctl -t aiws-record -o json --no-pager >"$OUT/journalctl-t-o-json-bytes-message-252.json" 2>"$OUT/journalctl-t-o-json-bytes-message-252.stderr.txt"
journalctl -k -o export --no-pager -n 1 >"$OUT/journalctl-k-o-export-n1-252.txt"
# what the audit log needs; journalctl adds the address fields (__CURSOR, the timestamps, _BOOT_ID) itself
journalctl _TRANSPORT=kernel -o json --no-pager -n 3 --output-fields=MESSAGE,PRIORITY,_TRANSPORT,SYSLOG_FACILITY,_SOURCE_MONOTONIC_TIMESTAMP >"$OUT/journalctl-transport-kernel-o-json-output-fields-n3-252.json"
# journald is the child of strace: stop it, strace ends with it
JD=$(cat /proc/$JPID/task/*/children)
kill -TERM $JD
i=0
while kill -0 $JD 2>/dev/null && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
kill -KILL $JD 2>/dev/null || true
wait $JPID || true
cp /run/journald.strace "$OUT/.journald.strace"
' sh "$OUT"
dmesg | wc -l >"$OUT/.dmesg-lines-after"
dmesg | grep -c -i journald >"$OUT/.dmesg-journald-lines" || true
