#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench-engine.sh: how fast the engine runs a job. A benchmark, not a test: it prints numbers
# and never fails on them.
#
#   meson setup build && ninja -C build      # a built tree: fs/zvm, sandbox/zvm-sandbox,
#   tests/bench/bench-engine.sh build        # images/hello.tar
#
# It measures, in one run:
#   (a) cpu-mix.c (a sort, a hash and a sieve, ~1 s native) built natively with gcc -O2 and
#       as a .nexe run through `zvm run` with a warm translation cache: median of 5 each, and
#       the ratio zvm / native;
#   (b) images/hello.tar through `zvm run`, start to report (wall time): cold (empty cache,
#       translation included), median of 3, and warm, median of 10.
# Run as root, modules run as user `nobody` (as in the engine tests). Environment: CC (gcc),
# CLANG (clang), BENCH_CPU_RUNS (5), BENCH_WARM_RUNS (10), BENCH_COLD_RUNS (3).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 BUILD_DIR   (a built meson tree, e.g. build)" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
zvm=$build/fs/zvm
sandbox=$build/sandbox/zvm-sandbox
hello=$build/images/hello.tar
make_bundle=$source_dir/images/make-bundle.sh
cc=${CC:-gcc}
clang=${CLANG:-clang}
cpu_runs=${BENCH_CPU_RUNS:-5}
warm_runs=${BENCH_WARM_RUNS:-10}
cold_runs=${BENCH_COLD_RUNS:-3}

for file in "$zvm" "$sandbox" "$hello"; do
	if [ ! -e "$file" ]; then
		echo "$0: $file is missing: build the tree first (ninja -C $1)" >&2
		exit 2
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/zvm-bench.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
chmod 0755 "$work"

# write_config FILE CACHE_DIR
write_config() {
	cat >"$1" <<EOF
[sandbox]
cache_dir = $2
sandbox_helper = $sandbox
user = nobody
EOF
}

# elapsed COMMAND...: runs COMMAND (output to $work/last.*), prints its wall time in seconds.
# A run that fails is reported and ends the benchmark: its number would mean nothing.
elapsed() {
	local start=$EPOCHREALTIME status=0
	"$@" >"$work/last.out" 2>"$work/last.err" || status=$?
	local end=$EPOCHREALTIME
	if [ "$status" -ne 0 ]; then
		{
			echo "$0: '$*' failed with status $status"
			cat "$work/last.out" "$work/last.err"
		} >&2
		exit 1
	fi
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# repeat N COMMAND...: the median wall time of N runs.
repeat() {
	local n=$1
	shift
	for _ in $(seq "$n"); do
		elapsed "$@"
	done | median
}

zvm_run() {
	"$zvm" run --config "$1" --out "$work/out" "$2"
}

# --- (a) CPU-bound: native vs zvm ----------------------------------------------------------
"$cc" -O2 -o "$work/cpu-mix" "$source_dir/tests/bench/cpu-mix.c"
"$clang" --target=wasm32-wasi --sysroot=/usr -O2 -s -Wl,--stack-first \
	-o "$work/cpu-mix.nexe" "$source_dir/tests/bench/cpu-mix.c"
cat >"$work/cpu-mix.manifest" <<EOF
Version = 20130611
Program = cpu-mix.nexe
Memory = 134217728,0
Timeout = 120
Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0
Channel = stdout,/dev/stdout,0,0,0,0,1024,65536
Channel = stderr,/dev/stderr,0,0,0,0,1024,65536
EOF
"$make_bundle" "$work/cpu-mix.tar" manifest="$work/cpu-mix.manifest" \
	cpu-mix.nexe="$work/cpu-mix.nexe"

warm_config=$work/warm.conf
write_config "$warm_config" "$work/cache-warm"

native_output=$("$work/cpu-mix")
elapsed zvm_run "$warm_config" "$work/cpu-mix.tar" >/dev/null # fills the cache
if [ "$(tail -n 1 "$work/last.out")" != ok ]; then
	echo "$0: cpu-mix under zvm did not end ok:" >&2
	cat "$work/last.out" >&2
	exit 1
fi
wasm_output=$(cat "$work/out/stdout")
if [ "$native_output" != "$wasm_output" ]; then
	echo "$0: native and wasm cpu-mix disagree: '$native_output' vs '$wasm_output'" >&2
	exit 1
fi
native=$(repeat "$cpu_runs" "$work/cpu-mix")
wasm=$(repeat "$cpu_runs" zvm_run "$warm_config" "$work/cpu-mix.tar")
cpu_line=$(tail -n 2 "$work/last.out" | head -n 1)

# --- (b) hello: cold and warm start-to-report ----------------------------------------------
cold_times=()
for i in $(seq "$cold_runs"); do
	write_config "$work/cold-$i.conf" "$work/cache-cold-$i"
	cold_times+=("$(elapsed zvm_run "$work/cold-$i.conf" "$hello")")
	rm -rf -- "$work/cache-cold-$i"
done
cold=$(printf '%s\n' "${cold_times[@]}" | median)
elapsed zvm_run "$warm_config" "$hello" >/dev/null # fills the cache
warm=$(repeat "$warm_runs" zvm_run "$warm_config" "$hello")

# --- the table -------------------------------------------------------------------------------
ms() {
	awk -v s="$1" 'BEGIN { printf "%10.1f ms", s * 1000 }'
}
echo "zvm engine benchmark ($(uname -m), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "cpu-mix output: $native_output"
printf '%-44s %13s %6s\n' "measurement" "median" "runs"
printf '%-44s %13s %6s\n' "cpu-mix native (gcc -O2)" "$(ms "$native")" "$cpu_runs"
printf '%-44s %13s %6s\n' "cpu-mix zvm run, warm cache" "$(ms "$wasm")" "$cpu_runs"
printf '%-44s %13s\n' "  ratio zvm / native" \
	"$(awk -v a="$wasm" -v b="$native" 'BEGIN { printf "%11.2fx", a / b }')"
printf '%-44s %13s\n' "  zvm accounting (sys user, last run)" "$(echo "$cpu_line" | cut -d' ' -f1-2)"
printf '%-44s %13s %6s\n' "hello zvm run, cold (translation included)" "$(ms "$cold")" \
	"$cold_runs"
printf '%-44s %13s %6s\n' "hello zvm run, warm" "$(ms "$warm")" "$warm_runs"
