#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The differential fuzzer's regression cases, without Node: each cases/NAME.wat (a module
# prepare.mjs shaped, as wasm2wat wrote it) goes through difffuzz-run (the checker, wasm2c and
# the C compiler as for a job, then run), and what it prints must be the reference
# interpreter's output recorded in cases/NAME.expected. TAP.
#   cases.sh DIFFFUZZ-RUN
set -euo pipefail
harness=$1
cases=$(dirname "$0")/cases
work=$(mktemp -d "${TMPDIR:-/tmp}/difffuzz-cases.XXXXXX")
trap 'rm -rf "$work"' EXIT

shopt -s nullglob
files=("$cases"/*.wat)
echo "1..${#files[@]}"
n=0
for wat in "${files[@]}"; do
	n=$((n + 1))
	name=$(basename "$wat" .wat)
	wat2wasm "$wat" -o "$work/$name.wasm"
	grep -v '^#' "$cases/$name.expected" >"$work/$name.expected"
	if "$harness" --cache "$work/cache" "$work/$name.wasm" >"$work/$name.out" 2>&1 &&
		diff -u "$work/$name.expected" "$work/$name.out" >"$work/$name.diff"; then
		echo "ok $n - $name: $(grep -c . "$work/$name.out") calls as the reference ran them"
	else
		echo "not ok $n - $name: the job's module differs from the reference"
		[ -s "$work/$name.diff" ] || diff -u "$work/$name.expected" "$work/$name.out" \
			>"$work/$name.diff" || true
		sed 's/^/# /' "$work/$name.diff"
	fi
done
