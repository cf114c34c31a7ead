#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Packs files into a deterministic ustar: the same inputs give the same bytes, so a bundle's
# content hash (and the translation cache key of its program) does not depend on who built it
# or when.
#   make-bundle.sh OUT.tar NAME=PATH... [PATH...]
# NAME is the member name inside the tar (`manifest`, `hello.nexe`, `data/greeting.txt`);
# a bare PATH is packed under its basename. Members are sorted by name.
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 OUT.tar NAME=PATH... [PATH...]" >&2
	exit 2
fi
out=$1
shift
case $out in /*) ;; *) out="$PWD/$out" ;; esac

stage=$(mktemp -d "${TMPDIR:-/tmp}/make-bundle.XXXXXX")
trap 'rm -rf "$stage"' EXIT

names=()
for arg in "$@"; do
	case $arg in
	*=*)
		name=${arg%%=*}
		path=${arg#*=}
		;;
	*)
		name=$(basename -- "$arg")
		path=$arg
		;;
	esac
	case $name in
	'' | /* | ../* | */../* | */.. | ..)
		echo "$0: unsafe member name '$name'" >&2
		exit 2
		;;
	esac
	if [ ! -f "$path" ]; then
		echo "$0: $path: not a regular file" >&2
		exit 2
	fi
	mkdir -p -- "$stage/$(dirname -- "$name")"
	cp -- "$path" "$stage/$name"
	names+=("$name")
done

mapfile -t sorted < <(printf '%s\n' "${names[@]}" | LC_ALL=C sort -u)
tmp_out="$out.tmp.$$"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=ustar \
	--mode='u=rwX,go=rX' -C "$stage" -cf "$tmp_out" -- "${sorted[@]}"
mv -f -- "$tmp_out" "$out"
