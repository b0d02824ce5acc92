#!/bin/bash
# Records `nft -j list table inet ai_workstation_egress` for each mode of the egress table
# (src/egress/egress-ruleset.ts, written out by egress-rulesets.ts) into test/fixtures/nft (see
# test/fixtures/SOURCES.md, "nftables (recorded here)"). Run as root from the repository root:
#     test/record/record-nft-egress.sh          (OUT=DIR to write elsewhere)
# Three private network namespaces: aiws-nft-ws (the "workstation", where every ruleset is
# loaded), aiws-nft-net (the "internet", its endpoints on its loopback) and aiws-nft-ctr (a
# "container" routed through the workstation, as on a podman bridge). The veth pairs are made
# inside them; nothing is added to the root namespace, whose firewall, interfaces and routes stay
# as they are. The namespaces and their processes are removed on exit, also after a failure.
set -eu
WS=aiws-nft-ws NET=aiws-nft-net CTR=aiws-nft-ctr
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/../fixtures/nft}
D=$(mktemp -d /tmp/aiws-nft.XXXXXX)
PY=/usr/bin/python3
UDP_ECHO='
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 53))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(b"answer:" + data, peer)
'
# the admin's session: a server on the workstation that writes a line every second
SESSION_SERVER='
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 9090)); s.listen()
c, _ = s.accept()
for i in range(int(sys.argv[1])):
    c.sendall(b"tick %d\n" % i)
    time.sleep(1)
c.close()
'
# ...and its client on the internet side, from an internet address; prints what arrives
SESSION_CLIENT='
import socket, time
s = socket.create_connection(("10.215.0.2", 9090), source_address=("198.51.100.20", 0))
s.settimeout(5)
try:
    while True:
        data = s.recv(100)
        if not data:
            print("closed by the workstation", flush=True)
            break
        print("%.1f %s" % (time.monotonic(), data.decode().strip()), flush=True)
except Exception as e:
    print("session broken:", e, flush=True)
'

cleanup() {
    set +e
    for ns in $WS $NET $CTR; do
        for pid in $(ip netns pids $ns 2>/dev/null); do kill "$pid" 2>/dev/null; done
    done
    sleep 0.3
    for ns in $WS $NET $CTR; do ip netns del $ns 2>/dev/null; done
    rm -rf "$D"
}
trap cleanup EXIT INT TERM

# never reuse a subnet the host already has
if ip -4 addr | grep -qE '10\.21[56]\.|198\.51\.100\.' || ip -6 addr | grep -qE 'fd42:a1e6:|2001:db8:a1e6:'; then
    echo "subnet in use" >&2; exit 1
fi
npx ts-node "$HERE/egress-rulesets.ts" "$D"

for ns in $WS $NET $CTR; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add aiws-nft-w0 netns $WS type veth peer aiws-nft-n0 netns $NET
ip link add aiws-nft-w1 netns $WS type veth peer aiws-nft-c0 netns $CTR
for dev in aiws-nft-w0 aiws-nft-n0 aiws-nft-w1 aiws-nft-c0; do
    if ip link show $dev >/dev/null 2>&1; then echo "veth leaked into the root namespace" >&2; exit 1; fi
done
ip -n $WS addr add 10.215.0.2/24 dev aiws-nft-w0
ip -n $WS addr add fd42:a1e6:215::2/64 dev aiws-nft-w0 nodad
ip -n $WS addr add 10.216.0.1/24 dev aiws-nft-w1
ip -n $WS addr add fd42:a1e6:216::1/64 dev aiws-nft-w1 nodad
ip -n $NET addr add 10.215.0.1/24 dev aiws-nft-n0
ip -n $NET addr add fd42:a1e6:215::1/64 dev aiws-nft-n0 nodad
ip -n $CTR addr add 10.216.0.2/24 dev aiws-nft-c0
ip -n $CTR addr add fd42:a1e6:216::2/64 dev aiws-nft-c0 nodad
# the internet's endpoints: allowed by address, the allowed name's addresses, one not allowed,
# the resolver, and the admin's own address
for a in 198.51.100.7 198.51.100.8 198.51.100.9 198.51.100.53 198.51.100.20; do ip -n $NET addr add $a/32 dev lo; done
for a in 2001:db8:a1e6::7 2001:db8:a1e6::8 2001:db8:a1e6::9; do ip -n $NET addr add $a/128 dev lo nodad; done
for dev in aiws-nft-w0 aiws-nft-w1; do ip -n $WS link set $dev up; done
ip -n $NET link set aiws-nft-n0 up
ip -n $CTR link set aiws-nft-c0 up
# routes inside the namespaces only
ip -n $WS route add default via 10.215.0.1
ip -n $WS -6 route add default via fd42:a1e6:215::1
ip -n $NET route add 10.216.0.0/24 via 10.215.0.2
ip -n $NET -6 route add fd42:a1e6:216::/64 via fd42:a1e6:215::2
ip -n $CTR route add default via 10.216.0.1
ip -n $CTR -6 route add default via fd42:a1e6:216::1
ip netns exec $WS sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

ip netns exec $NET $PY -m http.server --bind :: 8080 >/dev/null 2>&1 &
ip netns exec $NET $PY -c "$UDP_ECHO" >/dev/null 2>&1 &
ip netns exec $CTR $PY -m http.server --bind :: 8081 >/dev/null 2>&1 &
sleep 1.5

W="ip netns exec $WS"
C="ip netns exec $CTR"
# the same flows in every mode; each line: what, curl's or nc's exit status
traffic() {
    local rc
    for target in 198.51.100.7 198.51.100.8 198.51.100.9 '[2001:db8:a1e6::7]' '[2001:db8:a1e6::8]' '[2001:db8:a1e6::9]' 10.216.0.2:8081; do
        case $target in *:8081) url=http://$target/ ;; *) url=http://$target:8080/ ;; esac
        rc=0; $W curl -g -s -o /dev/null --connect-timeout 3 "$url" || rc=$?
        echo "workstation $url $rc"
    done
    for server in 198.51.100.53 198.51.100.9; do
        rc=0; echo query | $W nc -u -w1 $server 53 >/dev/null || rc=$?
        echo "workstation udp $server:53 $rc"
    done
    for url in http://198.51.100.7:8080/ 'http://[2001:db8:a1e6::9]:8080/'; do
        rc=0; $C curl -g -s -o /dev/null --connect-timeout 3 "$url" || rc=$?
        echo "container $url $rc"
    done
}
record() {
    local mode=$1
    $W nft -f "$D/$mode.nft"
    traffic >"$D/$mode.traffic"
    sed "s/^/$mode: /" "$D/$mode.traffic"
    $W nft -j list table inet ai_workstation_egress >"$OUT/nft-j-list-table-egress-$mode-1.0.6.json"
}

# the admin's session opens before any table exists in the workstation: conntrack is off there
# until the first ruleset, which then meets the session in the middle
$W $PY -c "$SESSION_SERVER" 30 >/dev/null 2>&1 &
sleep 0.5
ip netns exec $NET $PY -c "$SESSION_CLIENT" >"$D/session" 2>&1 &
SESSION=$!
sleep 1.5
record enforce
record audit
record enforce-no-lan
record off-blocked
wait $SESSION || true
sed 's/^/admin session: /' "$D/session"

# off: the table is gone; nft says so on stderr
$W nft -f "$D/off.nft"
rc=0
$W nft -j list table inet ai_workstation_egress >"$OUT/nft-j-list-table-egress-off-1.0.6.json" \
    2>"$OUT/nft-j-list-table-egress-off-1.0.6.stderr.txt" || rc=$?
echo "$rc" >"$OUT/nft-j-list-table-egress-off-1.0.6.exit-code.txt"
traffic | sed 's/^/off: /'
date -u +%Y-%m-%dT%H:%M:%SZ
