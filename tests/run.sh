#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's test command: installs what is missing, builds, runs the whole suite.
#   tests/run.sh             normal build in ./build
#   tests/run.sh --sanitize  ASan + UBSan build in ./build-sanitize
set -euo pipefail
cd "$(dirname "$0")/.."
tests/deps.sh

build=build
options=()
if [ "${1:-}" = "--sanitize" ]; then
	build=build-sanitize
	options=(-Db_sanitize=address,undefined -Db_lundef=false)
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
if [ -d "$build" ]; then
	meson setup --reconfigure "$build" "${options[@]}" >/dev/null
else
	meson setup "$build" "${options[@]}" >/dev/null
fi
ninja -C "$build"
meson test -C "$build" --no-rebuild --print-errorlogs --num-processes 2
