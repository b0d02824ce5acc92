#!/bin/sh
# Host-name lookups for the Network egress tab in one process: "reverse ADDR..." asks
# `getent hosts` for each address's name, "forward NAME..." asks `getent ahosts` for each
# name's addresses (the shipped endpoint list, so that a connection to api.openai.com is
# recognised on hosts whose reverse DNS names the cloud's machine instead). Keys arrive as
# arguments, never in the script's text. Output for host-lookups-parser.ts:
# "key<TAB><key>" then getent's lines, each as "answer<TAB><line>".
mode="$1"
shift
for key in "$@"; do
    printf 'key\t%s\n' "$key"
    if [ "$mode" = forward ]; then
        getent ahosts "$key" 2>/dev/null | sed 's/^/answer\t/'
    else
        getent hosts "$key" 2>/dev/null | sed 's/^/answer\t/'
    fi
done
printf 'end\t\n'
