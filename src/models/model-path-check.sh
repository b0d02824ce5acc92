#!/bin/sh
# What one host path is, before the create dialog lets podman mount it as a model: run as
# `sh -c SCRIPT -- PATH`, as whatever user the page has (not necessarily root). Only shell
# builtins, test, stat and od (coreutils or busybox). It never opens anything but a regular
# file, so a fifo cannot block it and a device is never read; symbolic links are followed
# for the type (a link to a file is a file, with link=yes). Host files under
# $AI_WORKSTATION_ROOT, which only the simulated workstation and tests set.
# Output, parsed by model-path-parser.ts, one key=value a line:
#   aiws-model-path 1
#   exists=yes|no
#   hidden_by=<folder>   exists=no only: the nearest folder above that this user cannot enter
#   link=yes|no
#   type=file|directory|device|fifo|socket|symlink-dangling|other
#   readable=yes|no      for a folder: it can be listed and entered
#   size=<bytes>         regular file
#   magic=<hex>          readable regular file: its first 4 bytes, '' when empty
#   has_config_json=yes|no  safetensors=<n>  gguf=<n>  ollama_store=yes|no  entries=<n>
#                        readable folder: what it holds directly
#   end=ok
root="${AI_WORKSTATION_ROOT-}"

printf 'aiws-model-path 1\n'
if [ $# -lt 1 ] || [ -z "$1" ]; then
    printf 'error=no path given\n'
    exit 2
fi
path=$1
target="$root$path"

link=no
[ -L "$target" ] && link=yes

if [ ! -e "$target" ]; then
    if [ "$link" = yes ]; then
        printf 'exists=yes\nlink=yes\ntype=symlink-dangling\nend=ok\n'
        exit 0
    fi
    printf 'exists=no\n'
    # a folder this user cannot enter makes everything under it look absent: name it
    dir=${path%/*}
    while [ -n "$dir" ] && [ ! -d "$root$dir" ]; do
        dir=${dir%/*}
    done
    [ -n "$dir" ] || dir=/
    [ -x "$root$dir" ] || printf 'hidden_by=%s\n' "$dir"
    printf 'end=ok\n'
    exit 0
fi

if [ -f "$target" ]; then
    type=file
elif [ -d "$target" ]; then
    type=directory
elif [ -b "$target" ] || [ -c "$target" ]; then
    type=device
elif [ -p "$target" ]; then
    type=fifo
elif [ -S "$target" ]; then
    type=socket
else
    type=other
fi

readable=no
if [ "$type" = directory ]; then
    [ -r "$target" ] && [ -x "$target" ] && readable=yes
else
    [ -r "$target" ] && readable=yes
fi
printf 'exists=yes\nlink=%s\ntype=%s\nreadable=%s\n' "$link" "$type" "$readable"

if [ "$type" = file ]; then
    size=$(stat -L -c %s "$target" 2>/dev/null) && printf 'size=%s\n' "$size"
    if [ "$readable" = yes ]; then
        magic=
        # od prints the bytes as blank-separated hex: glued together here
        for byte in $(od -An -tx1 -N4 "$target" 2>/dev/null); do
            magic=$magic$byte
        done
        printf 'magic=%s\n' "$magic"
    fi
fi

if [ "$type" = directory ] && [ "$readable" = yes ]; then
    config=no
    [ -f "$target/config.json" ] && config=yes
    safetensors=0
    for entry in "$target"/*.safetensors; do
        [ -f "$entry" ] && safetensors=$((safetensors + 1))
    done
    gguf=0
    for entry in "$target"/*.gguf; do
        [ -f "$entry" ] && gguf=$((gguf + 1))
    done
    store=no
    [ -d "$target/blobs" ] && [ -d "$target/manifests" ] && store=yes
    entries=0
    # the three patterns together match every name, dot files too, but not . and ..
    for entry in "$target"/* "$target"/.[!.]* "$target"/..?*; do
        if [ -e "$entry" ] || [ -L "$entry" ]; then
            entries=$((entries + 1))
        fi
    done
    printf 'has_config_json=%s\nsafetensors=%s\ngguf=%s\nollama_store=%s\nentries=%s\n' \
        "$config" "$safetensors" "$gguf" "$store" "$entries"
fi
printf 'end=ok\n'
