#!/bin/sh
# Records conntrack-tools output inside two private network namespaces (aiws-ct-ws: the
# "workstation", aiws-ct-net: the "internet") joined by a veth pair that lives only in them,
# plus aiws-ct-bare (no nftables rule at all). Never touches the host's interfaces, routes or
# rules. Usage: record-conntrack.sh OUTDIR (as root). Needs conntrack, nft, curl, netcat-openbsd,
# busybox (ping) and python3.
set -eu
OUT=${1:?usage: record-conntrack.sh OUTDIR}
WS=aiws-ct-ws NET=aiws-ct-net BARE=aiws-ct-bare
PY=/usr/bin/python3
# a DNS-like UDP answerer: echoes each datagram back, on ports 53 and 5353, IPv4 and IPv6
UDP_ECHO='
import selectors, socket
sel = selectors.DefaultSelector()
for port in (53, 5353):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        data, peer = key.fileobj.recvfrom(2048)
        key.fileobj.sendto(b"answer:" + data, peer)
'
mkdir -p "$OUT"
cleanup() {
    for ns in $WS $NET $BARE; do
        # every process still running in the namespace (listeners, recorders) ends with it
        for pid in $(ip netns pids $ns 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
        ip netns del $ns 2>/dev/null || true
    done
}
trap cleanup EXIT INT TERM
for ns in $WS $NET $BARE; do ip netns add $ns; ip -n $ns link set lo up; done
ip -n $WS link add aiws-ct-w0 type veth peer name aiws-ct-n0 netns $NET
ip -n $WS addr add 10.214.0.1/24 dev aiws-ct-w0
ip -n $WS addr add fd00:a1a5:c7::1/64 dev aiws-ct-w0 nodad
ip -n $NET addr add 10.214.0.2/24 dev aiws-ct-n0
ip -n $NET addr add fd00:a1a5:c7::2/64 dev aiws-ct-n0 nodad
ip -n $WS link set aiws-ct-w0 up
ip -n $NET link set aiws-ct-n0 up

# the workstation's ruleset: any ct expression turns conntrack on in the namespace;
# UDP to 5353 gets zone 7, TCP to 8443 gets ct mark 0x2a
ip netns exec $WS nft -f - <<'NFT'
table inet aiws_ct {
    chain raw_out { type filter hook output priority raw; udp dport 5353 ct zone set 7; }
    chain out { type filter hook output priority 0; ct state new counter; tcp dport 8443 ct mark set 0x2a; }
}
NFT
# the "internet" drops TCP port 9 silently (a filtered port)
ip netns exec $NET nft -f - <<'NFT'
table inet aiws_ct {
    chain input { type filter hook input priority 0; tcp dport 9 drop; }
}
NFT
# short timeouts in the workstation namespace only, so the DESTROY events come within the recording
for t in tcp_timeout_time_wait=3 tcp_timeout_close=3 tcp_timeout_syn_sent=6 udp_timeout=5 \
         udp_timeout_stream=8 icmp_timeout=5 icmpv6_timeout=5 generic_timeout=6; do
    ip netns exec $WS sysctl -q -w net.netfilter.nf_conntrack_$t
done

# listeners in the "internet"
ip netns exec $NET $PY -m http.server --bind :: 8080 >/dev/null 2>&1 &
ip netns exec $NET $PY -c "$UDP_ECHO" >/dev/null 2>&1 &
ip netns exec $NET nc -lk 10.214.0.2 8443 >/dev/null 2>&1 &
sleep 1.5

# the event recorders, all at once so they see the same flows
ip netns exec $WS timeout 70 conntrack -E -o timestamp,id >"$OUT/conntrack-E-o-timestamp-id-1.4.7.txt" 2>"$OUT/conntrack-E-o-timestamp-id-1.4.7.stderr.txt" &
REC="$!"
ip netns exec $WS timeout 70 conntrack -E -o id >"$OUT/conntrack-E-o-id-1.4.7.txt" 2>"$OUT/conntrack-E-o-id-1.4.7.stderr.txt" &
REC="$REC $!"
ip netns exec $WS timeout 70 conntrack -E -e NEW >"$OUT/conntrack-E-e-NEW-1.4.7.txt" 2>"$OUT/conntrack-E-e-NEW-1.4.7.stderr.txt" &
REC="$REC $!"
ip netns exec $WS timeout 70 conntrack -E -o extended,timestamp,id >"$OUT/conntrack-E-o-extended-timestamp-id-1.4.7.txt" 2>"$OUT/conntrack-E-o-extended-timestamp-id-1.4.7.stderr.txt" &
REC="$REC $!"
sleep 1

W="ip netns exec $WS"
$W curl -s -o /dev/null http://10.214.0.2:8080/                       # TCP v4, answered, closed
$W curl -s -o /dev/null -g 'http://[fd00:a1a5:c7::2]:8080/'           # TCP v6
$W curl -s -o /dev/null --connect-timeout 2 http://10.214.0.2:8081/ || true   # refused (RST)
$W curl -s -o /dev/null --connect-timeout 2 http://10.214.0.2:9/ || true      # dropped (no answer)
echo dns-query | $W nc -u -w1 10.214.0.2 53 >/dev/null || true        # UDP v4, answered
echo dns-query | $W nc -u -w1 fd00:a1a5:c7::2 53 >/dev/null || true   # UDP v6, answered
echo mdns-like | $W nc -u -w1 10.214.0.2 5353 >/dev/null || true      # UDP in zone 7
echo nobody | $W nc -u -w1 10.214.0.2 5454 >/dev/null || true         # UDP, no listener
$W busybox ping -c1 -W1 10.214.0.2 >/dev/null || true                 # ICMP
$W busybox ping6 -c1 -W1 fd00:a1a5:c7::2 >/dev/null || true           # ICMPv6
$W $PY -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253); s.sendto(b"x", ("10.214.0.2", 0))'  # IP protocol 253
(sleep 12 | $W nc -N 10.214.0.2 8443 >/dev/null 2>&1 || true) &          # long-lived TCP with ct mark
sleep 1
$W conntrack -L -o id >"$OUT/conntrack-L-o-id-1.4.7.txt" 2>"$OUT/conntrack-L-o-id-1.4.7.stderr.txt"
$W conntrack -L -o extended >"$OUT/conntrack-L-o-extended-1.4.7.txt" 2>"$OUT/conntrack-L-o-extended-1.4.7.stderr.txt"
$W conntrack -L >"$OUT/conntrack-L-1.4.7.txt" 2>"$OUT/conntrack-L-1.4.7.stderr.txt"

# no permission: the same tool as nobody, without capabilities
rc=0; $W setpriv --reuid=nobody --regid=nogroup --clear-groups conntrack -L >"$OUT/conntrack-L-nobody-1.4.7.txt" 2>"$OUT/conntrack-L-nobody-1.4.7.stderr.txt" || rc=$?
echo "$rc" >"$OUT/conntrack-L-nobody-1.4.7.exit-code.txt"
rc=0; $W setpriv --reuid=nobody --regid=nogroup --clear-groups timeout 3 conntrack -E >"$OUT/conntrack-E-nobody-1.4.7.txt" 2>"$OUT/conntrack-E-nobody-1.4.7.stderr.txt" || rc=$?
echo "$rc" >"$OUT/conntrack-E-nobody-1.4.7.exit-code.txt"

# a namespace without any ct rule: traffic on its loopback, then list and events
B="ip netns exec $BARE"
$B timeout 6 conntrack -E -o id >"$OUT/conntrack-E-o-id-no-ct-rule-1.4.7.txt" 2>"$OUT/conntrack-E-o-id-no-ct-rule-1.4.7.stderr.txt" &
REC="$REC $!"
sleep 1
$B busybox ping -c2 -W1 127.0.0.1 >/dev/null || true
rc=0; $B conntrack -L -o id >"$OUT/conntrack-L-o-id-no-ct-rule-1.4.7.txt" 2>"$OUT/conntrack-L-o-id-no-ct-rule-1.4.7.stderr.txt" || rc=$?
echo "$rc" >"$OUT/conntrack-L-o-id-no-ct-rule-1.4.7.exit-code.txt"
rc=0; $B conntrack -C >"$OUT/conntrack-C-no-ct-rule-1.4.7.txt" 2>"$OUT/conntrack-C-no-ct-rule-1.4.7.stderr.txt" || rc=$?
echo "$rc" >"$OUT/conntrack-C-no-ct-rule-1.4.7.exit-code.txt"

for pid in $REC; do wait "$pid" || true; done

# phase 2, same namespaces, once phase 1's recorders have ended: flow accounting and kernel
# timestamps switched on (sysctls of the workstation namespace only) add packets=/bytes=,
# delta-time= and, with -o ktimestamp, [start=...] [stop=...]
ip netns exec $WS sysctl -q -w net.netfilter.nf_conntrack_acct=1
ip netns exec $WS sysctl -q -w net.netfilter.nf_conntrack_timestamp=1
$W timeout 60 conntrack -E -o timestamp,id >"$OUT/conntrack-E-o-timestamp-id-acct-1.4.7.txt" 2>"$OUT/conntrack-E-o-timestamp-id-acct-1.4.7.stderr.txt" &
REC="$!"
$W timeout 60 conntrack -E -o extended,ktimestamp,id >"$OUT/conntrack-E-o-extended-ktimestamp-id-acct-1.4.7.txt" 2>"$OUT/conntrack-E-o-extended-ktimestamp-id-acct-1.4.7.stderr.txt" &
REC="$REC $!"
sleep 1
$W curl -s -o /dev/null http://10.214.0.2:8080/                       # TCP v4, answered, closed
echo dns-query | $W nc -u -w1 10.214.0.2 53 >/dev/null || true        # UDP v4, answered
(sleep 4 | $W nc -N 10.214.0.2 8443 >/dev/null 2>&1 || true) &
sleep 1
$W conntrack -L -o extended,ktimestamp,id >"$OUT/conntrack-L-o-extended-ktimestamp-id-acct-1.4.7.txt" 2>"$OUT/conntrack-L-o-extended-ktimestamp-id-acct-1.4.7.stderr.txt"

for pid in $REC; do wait "$pid" || true; done
date -u +%Y-%m-%dT%H:%M:%SZ >"$OUT/recorded-at"
