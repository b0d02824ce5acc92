#!/bin/sh
# Installs what `make demo` and `make check` need on this machine and nothing more:
# a real Cockpit (cockpit-ws, cockpit-bridge), Chromium for the browser tests, a D-Bus
# system bus, and the real nftables, conntrack and ss that scenarios may take from this
# machine instead of simulating them; strace lets `make bench` count forks too; podman
# (with runc, netavark and busybox-static for the local test images) for the Models tab,
# and Cockpit's own podman page (cockpit-podman), which `make bench` times beside it.
# Node.js and npm must already be there. Safe to run again: it installs only what is
# missing.
set -eu

missing_commands() {
    for pair in "$@"; do
        cmd=${pair%%=*}
        pkg=${pair#*=}
        case "$cmd" in
            /*) [ -e "$cmd" ] || echo "$pkg" ;;
            *) command -v "$cmd" >/dev/null 2>&1 || echo "$pkg" ;;
        esac
    done
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20 or newer with npm is needed: install it from your distribution first." >&2
    exit 1
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "Installing packages needs root (or sudo)." >&2
        exit 1
    fi
fi

if command -v apt-get >/dev/null 2>&1; then
    # cockpit-ws's path is Debian's; cockpit-system provides base1/cockpit.js and the shell
    pkgs=$(missing_commands \
        /usr/lib/cockpit/cockpit-ws=cockpit-ws \
        cockpit-bridge=cockpit-bridge \
        /usr/share/cockpit/shell/manifest.json=cockpit-system \
        /usr/bin/chromium=chromium \
        dbus-daemon=dbus \
        /usr/sbin/nft=nftables \
        /usr/sbin/conntrack=conntrack \
        ss=iproute2 \
        strace=strace \
        setpriv=util-linux \
        useradd=passwd | sort -u)
    podman_pkgs=$(missing_commands \
        podman=podman \
        runc=runc \
        /usr/lib/podman/netavark=netavark \
        /usr/lib/podman/aardvark-dns=aardvark-dns \
        /usr/bin/catatonit=catatonit \
        /bin/busybox=busybox-static \
        iptables=iptables \
        newuidmap=uidmap \
        /usr/share/cockpit/podman/manifest.json=cockpit-podman | sort -u)
    if [ -n "$pkgs$podman_pkgs" ]; then
        $SUDO apt-get update -qq
    fi
    if [ -n "$pkgs" ]; then
        echo "Installing: $pkgs"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $pkgs
    fi
    if [ -n "$podman_pkgs" ]; then
        echo "Installing: $podman_pkgs"
        # no recommends: podman's would pull in crun, slirp4netns and fuse-overlayfs, and
        # the tests run podman as root with runc
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $podman_pkgs
    fi
elif command -v dnf >/dev/null 2>&1; then
    pkgs=$(missing_commands \
        /usr/libexec/cockpit-ws=cockpit-ws \
        cockpit-bridge=cockpit-bridge \
        /usr/share/cockpit/shell/manifest.json=cockpit-system \
        /usr/bin/chromium-browser=chromium \
        dbus-daemon=dbus-daemon \
        /usr/sbin/nft=nftables \
        /usr/sbin/conntrack=conntrack-tools \
        ss=iproute \
        strace=strace \
        setpriv=util-linux \
        useradd=shadow-utils \
        podman=podman \
        /usr/share/cockpit/podman/manifest.json=cockpit-podman \
        /bin/busybox=busybox | sort -u)
    if [ -n "$pkgs" ]; then
        echo "Installing: $pkgs"
        # shellcheck disable=SC2086
        $SUDO dnf install -y $pkgs
    fi
else
    echo "This machine has neither apt-get nor dnf. Install by hand: cockpit-ws, cockpit-bridge," >&2
    echo "cockpit-system, chromium and a D-Bus daemon, then run make again." >&2
    exit 1
fi
