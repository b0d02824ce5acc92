#!/bin/sh
# Builds localhost/aiws-echo-server:latest from this machine's busybox-static: no
# registry needed. Usage: build-image.sh [podman args...] (e.g. --url unix:///run/podman/podman.sock)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
busybox=$(command -v busybox)
[ -x /bin/busybox ] && busybox=/bin/busybox
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/usr/libexec/aiws-echo-server" "$work/tmp" "$work/models"
cp "$busybox" "$work/bin/busybox"
# no wget: busybox-static's resolver crashes in a container without NSS files
for applet in sh nc cat head tr sed grep wc basename printf sleep ls; do
    ln -s busybox "$work/bin/$applet"
done
install -m 0755 "$here/server" "$work/bin/aiws-echo-server"
install -m 0755 "$here/handle" "$work/usr/libexec/aiws-echo-server/handle"
tar -C "$work" -cf "$work.tar" .
podman "$@" import -q \
    --change 'ENTRYPOINT ["/bin/aiws-echo-server"]' \
    --change 'EXPOSE 8080' \
    --change 'LABEL org.opencontainers.image.title=aiws-echo-server' \
    "$work.tar" localhost/aiws-echo-server:latest
rm -f "$work.tar"
