#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's test command: installs what is missing, builds, runs the whole suite.
#   tests/run.sh             normal build in ./build
#   tests/run.sh --sanitize  ASan + UBSan build in ./build-sanitize
#   tests/run.sh --fuzz      the fuzz targets (clang, libFuzzer) and the differential fuzzer
#                            of the translation path (ZVM_DIFFFUZZ_SECONDS, default 90) in
#                            ./build-fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
tests/deps.sh

build=build
options=()
suites=()
targets=()
case "${1:-}" in
--sanitize)
	build=build-sanitize
	options=(-Db_sanitize=address,undefined -Db_lundef=false)
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	;;
--fuzz)
	# The parsers' libFuzzer targets (clang), each for a bounded time from its seed corpus,
	# and the differential fuzzer (tests/difffuzz) for ZVM_DIFFFUZZ_SECONDS.
	build=build-fuzz
	options=(-Dfuzz=true)
	suites=(--suite fuzz)
	targets=(tests/channels/manifest/fuzz-manifest tests/channels/manifest/fuzz-nvram
		tests/channels/manifest/fuzz-sysmap
		tests/channels/bundle/fuzz-bundle tests/difffuzz/difffuzz-run)
	export CC=clang
	;;
esac
if [ -d "$build" ]; then
	meson setup --reconfigure "$build" "${options[@]}" >/dev/null
else
	meson setup "$build" "${options[@]}" >/dev/null
fi
ninja -C "$build" "${targets[@]}"
meson test -C "$build" --no-rebuild --print-errorlogs --num-processes 2 "${suites[@]}"
