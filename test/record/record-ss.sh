#!/bin/bash
# Records the ss fixtures in test/fixtures/ss (see test/fixtures/SOURCES.md, "ss (recorded here)").
# Run as root on a machine without the 10.213.0.0/24 and fd42:a1e5:213::/64 subnets:
#     test/record/record-ss.sh                 (writes into test/fixtures/ss)
# Real processes hold sockets in two private network namespaces, a "workstation" and an
# "internet"; nothing is added to the root network namespace, and the namespaces, processes
# and hand-made cgroups are removed on exit, also after a failure.
set -eu
WS=aiws-rec-ws
INET=aiws-rec-inet
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/../fixtures/ss}
D=$(mktemp -d /tmp/aiws-rec.XXXXXX)
chmod 755 "$D"
mkdir "$D/bin"
# busybox's nc under the name nc, so that its comm (and ss's process name) is "nc"
ln -s /usr/bin/busybox "$D/bin/nc"
install -m 644 "$HERE/hold-sockets.py" "$D/hold.py"
CG=/sys/fs/cgroup/unified/aiws-rec.slice
PY=/usr/bin/python3
HEX=3f1c0a7be2d94c58a61f0e27b4d85c9013e6a7f2b8c4d5e6f708192a3b4c5d6e
PIDS=()

cleanup() {
    local rc=$?
    set +e
    [ "$rc" = 0 ] || cat "$D/log" >&2
    for p in "${PIDS[@]}"; do kill -- "-$p" 2>/dev/null; done
    sleep 0.5
    for p in "${PIDS[@]}"; do kill -9 -- "-$p" 2>/dev/null; done
    ip netns del $WS 2>/dev/null
    ip netns del $INET 2>/dev/null
    for dir in "$CG/machine.slice/libpod-$HEX.scope/container" "$CG/machine.slice/libpod-$HEX.scope" "$CG/machine.slice" "$CG/aiws-rec-fetch.service" "$CG/odd name, (x).scope" "$CG"; do
        [ -d "$dir" ] && rmdir "$dir"
    done
    rm -rf "$D"
    true
}
trap cleanup EXIT INT TERM

# never reuse a subnet the host or another namespace has
if ip -4 addr | grep -q '10\.213\.' || ip -6 addr | grep -q 'fd42:a1e5:213'; then echo "subnet in use" >&2; exit 1; fi

ip netns add $WS
ip netns add $INET
ip link add aiwsr-ws netns $WS type veth peer aiwsr-inet netns $INET
if ip link show aiwsr-ws >/dev/null 2>&1 || ip link show aiwsr-inet >/dev/null 2>&1; then echo "veth leaked into the root namespace" >&2; exit 1; fi

ip -n $WS link set lo up
ip -n $WS link set aiwsr-ws up
ip -n $WS addr add 10.213.0.2/24 dev aiwsr-ws
ip -n $WS addr add fd42:a1e5:213::2/64 dev aiwsr-ws nodad
ip -n $WS addr add fe80::a1e5:2/64 dev aiwsr-ws nodad
ip -n $WS route add default via 10.213.0.1
ip -n $WS -6 route add default via fd42:a1e5:213::1

ip -n $INET link set lo up
ip -n $INET link set aiwsr-inet up
ip -n $INET addr add 10.213.0.1/24 dev aiwsr-inet
ip -n $INET addr add fd42:a1e5:213::1/64 dev aiwsr-inet nodad
ip -n $INET addr add fe80::a1e5:1/64 dev aiwsr-inet nodad
# the "internet" endpoints live on the inet namespace's loopback
ip -n $INET addr add 198.51.100.7/32 dev lo
ip -n $INET addr add 2001:db8:a1e5::7/128 dev lo nodad

nsenter --net=/run/netns/$INET nft -f - <<'NFT'
table inet aiws_rec {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport 9 drop
    }
}
NFT

mkdir -p "$CG/aiws-rec-fetch.service" "$CG/machine.slice/libpod-$HEX.scope/container" "$CG/odd name, (x).scope"

# start CMD... in its own process group inside a namespace, optionally in a cgroup (CGDIR=...)
start() {
    local ns=$1; shift
    local cgdir=${CGDIR:-}
    setsid bash -c 'if [ -n "$1" ]; then echo $$ > "$1/cgroup.procs"; fi; ns=$2; shift 2; exec nsenter --net=/run/netns/$ns "$@"' _ "$cgdir" "$ns" "$@" </dev/null >>$D/log 2>&1 &
    PIDS+=($!)
}

: > $D/log
# internet side: holding listeners, one that closes at once, a DNS-like UDP socket
start $INET $PY $D/hold.py tcp-listen:0.0.0.0:443 'tcp-listen:[::]:443:1' tcp-listen:0.0.0.0:8080 'tcp-listen:[::]:8080:1' tcp-listen-close:0.0.0.0:7000 tcp-listen:0.0.0.0:4443 udp-bind:0.0.0.0:53
# workstation side: a public dual-stack listener and a loopback model server
start $WS $PY -m http.server -b :: 8000
start $WS $PY $D/hold.py --comm llama-server tcp-listen:127.0.0.1:8081 'tcp-listen:[::1]:8081:1'
sleep 1.5

# a finished request on loopback leaves a TIME-WAIT socket behind
nsenter --net=/run/netns/$WS curl -sS -o /dev/null http://127.0.0.1:8000/
# the internet side opens a connection to the dual-stack listener (IPv4-mapped addresses)
start $INET $PY $D/hold.py tcp-connect:10.213.0.2:8000

CGDIR=$CG/aiws-rec-fetch.service start $WS curl -sS -m 900 http://198.51.100.7:8080/v1/models
start $WS curl -sS -m 900 'http://[2001:db8:a1e5::7]:8080/v1/models'
start $WS curl -sS -m 900 --connect-timeout 900 http://198.51.100.7:9/
CGDIR="$CG/odd name, (x).scope" start $WS bash -c "sleep 900 | $D/bin/nc 198.51.100.7 443"
start $WS setpriv --reuid=65534 --regid=65534 --clear-groups curl -sS -m 900 -k https://198.51.100.7:443/
CGDIR=$CG/machine.slice/libpod-$HEX.scope/container start $WS $PY $D/hold.py --comm model-fetch tcp-connect:198.51.100.7:443 'tcp-connect:[2001:db8:a1e5::7]:443' udp-connect:198.51.100.7:53 'udp-connect:[2001:db8:a1e5::7]:53' udp-bind:0.0.0.0:5353 'udp-bind:[::]:5355' 'tcp-connect:[::ffff:198.51.100.7]:8080'
start $WS bash -c 'exec 3<>/dev/tcp/198.51.100.7/443; sleep 900 & wait'
start $WS $PY $D/hold.py --comm dhcp-client udp-bind:0.0.0.0:68:aiwsr-ws 'tcp-connect:[fe80::a1e5:1%aiwsr-ws]:443'
start $WS bash -c "sleep 900 | $D/bin/nc 127.0.0.1 8081"
start $WS curl -sS -m 900 'http://[::1]:8081/health'
start $WS $PY $D/hold.py --comm 'we(i)rd, "name"' tcp-connect:198.51.100.7:443
start $WS $PY $D/hold.py --comm 'Web Content' tcp-connect:198.51.100.7:443
start $WS $PY $D/hold.py --comm 'x",pid=1,fd=2' tcp-connect:198.51.100.7:8080
start $WS $PY $D/hold.py --comm 'q),("z' tcp-connect:198.51.100.7:8080
# exec -a changes argv[0] only; ss names processes by comm, which stays "curl"
start $WS bash -c "exec -a 'fake(name) x' curl -sS -m 900 http://198.51.100.7:8080/exec-a"
# a peer that closes at once: the client that keeps its end open sits in CLOSE-WAIT
start $WS $PY $D/hold.py --comm half-closed tcp-connect:198.51.100.7:7000
sleep 3

run() {
    local file=$1; shift
    nsenter --net=/run/netns/$WS "$@" > "$OUT/$file"
    echo "$(date -u +%FT%TZ) $file: $*" >&2
}
run ss-tunpH-e-6.1-workstation.txt ss -tunpH -e
run ss-tunapH-e-6.1-workstation.txt ss -tunapH -e
run ss-tunpH-e-cgroup-6.1-workstation.txt ss -tunpH -e --cgroup
run ss-tunapH-e-cgroup-6.1-workstation.txt ss -tunapH -e --cgroup
run ss-tunp-header-6.1-workstation.txt ss -tunp
# names with a newline, a tab and an escape: /proc/<pid>/stat gives comm raw, and so does ss
start $WS $PY $D/hold.py --comm 'ev\nil' tcp-connect:198.51.100.7:4443
start $WS $PY $D/hold.py --comm 'tab\there' tcp-connect:198.51.100.7:4443
start $WS $PY $D/hold.py --comm '\x1b[31mred' tcp-connect:198.51.100.7:4443
sleep 2
run ss-tunpH-e-6.1-control-chars-in-names.txt ss -tunpH -e 'dport = :4443'
