#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh: the benchmarks of issue #5, in one run on one machine. A benchmark, not a test: it
# prints numbers and the targets they meet or miss, and fails only when something breaks.
#
#   sudo tests/bench/run.sh                  install what is missing, build ./build, measure,
#                                            write docs/benchmarks.{md,tsv,png}
#   tests/bench/run.sh --quick --build B --out DIR   one repetition, tiny sizes (the meson
#                                            test `bench-quick` does this into a temp dir)
# Options: --quick; --runs N (repetitions behind every median, default $BENCH_RUNS or 5);
# --only cpu,latency,throughput,channels,results (some sections; default all); --build DIR
# (an already built tree: no install, no build); --out DIR (default docs).
# Environment: BENCH_RUNS, BENCH_LATENCY_RUNS (samples of each ms-scale latency, default 30),
# BENCH_JOBS (jobs per throughput run, default 200), BENCH_CHANNEL_MIB (default 1024).
#
# Sections (each figure a median of --runs runs, or of BENCH_LATENCY_RUNS samples):
#   1 CPU         sort, sha256, sieve, matmul (tests/bench/*.c) natively (gcc -O2), through
#                 `zvm run` (zvm cc -O2, warm cache), Node's WASI and wabt's wasm-interp
#   2 latency     hello: native static fork+exec, `zvm run` and the mount, warm and cold
#   3 throughput  hello jobs/s through the mount with 1, 2 and 8 clients
#   4 channels    stdin->stdout and /dev/input->/dev/output through `zvm run`, etags off/on
#   5 results     a 1 GiB stdout read through the mount and on disk
# Runs as root (FUSE mount, sandbox user); the mount, state and caches are scratch and go
# away on exit.
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
bench_dir=$source_dir/tests/bench
quick=0
runs=${BENCH_RUNS:-5}
all_sections=cpu,latency,throughput,channels,results
only=$all_sections
build=
out=$source_dir/docs

usage() {
	echo "usage: $0 [--quick] [--runs N] [--only SECTION,...] [--build DIR] [--out DIR]" >&2
	echo "sections: $all_sections" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--runs) runs=${2:?}; shift ;;
	--only) only=${2:?}; shift ;;
	--build) build=${2:?}; shift ;;
	--out) out=${2:?}; shift ;;
	*) usage ;;
	esac
	shift
done
case $runs in '' | *[!0-9]* | 0) usage ;; esac
for section in ${only//,/ }; do
	[[ ",$all_sections," == *",$section,"* ]] || usage
done

# The meson test skips (77) where the harness cannot run; a person running it gets an error.
cannot_run() {
	echo "$0: $1" >&2
	[ "$quick" = 1 ] && exit 77
	exit 1
}
[ "$(id -u)" = 0 ] || cannot_run "run as root: it mounts zvmfs and runs modules as another user"

if [ -z "$build" ]; then
	"$source_dir/tests/deps.sh"
	build=$source_dir/build
	if [ -d "$build" ]; then
		meson setup --reconfigure "$build" "$source_dir" >/dev/null
	else
		meson setup "$build" "$source_dir" >/dev/null
	fi
	ninja -C "$build" >/dev/null
fi
build=$(cd "$build" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

zvm=$build/fs/zvm
zvmfs=$build/fs/zvmfs
sandbox=$build/sandbox/zvm-sandbox
spawn_time=$build/tests/bench/spawn-time
job_time=$build/tests/bench/job-time
hello=$build/images/hello.tar
for file in "$zvm" "$zvmfs" "$sandbox" "$spawn_time" "$job_time" "$hello"; do
	[ -x "$file" ] || [ -f "$file" ] || cannot_run "$file is missing: build the tree first"
done
for tool in gcc clang node wasm-interp gnuplot fusermount3; do
	command -v "$tool" >/dev/null || cannot_run "$tool is not installed (tests/deps.sh installs it)"
done
[ -c /dev/fuse ] || cannot_run "no /dev/fuse"

if [ "$quick" = 1 ]; then
	runs=1
	latency_runs=3
	throughput_jobs=8
	channel_mib=4
	declare -A units=([sort]=2 [sha256]=2 [sieve]=2 [matmul]=2)
else
	latency_runs=${BENCH_LATENCY_RUNS:-30}
	[ "$latency_runs" -ge "$runs" ] || latency_runs=$runs
	throughput_jobs=${BENCH_JOBS:-200}
	channel_mib=${BENCH_CHANNEL_MIB:-1024}
	# About a second each natively on a 2020s x86-64 core; work is linear in the units.
	declare -A units=([sort]=100 [sha256]=300 [sieve]=100 [matmul]=400)
fi
programs=(sort sha256 sieve matmul)
# wasm-interp runs one unit (some hundred times slower than native).
interp_units=1
channel_bytes=$((channel_mib * 1024 * 1024))
sandbox_user=zvmfs
getent passwd zvmfs >/dev/null || sandbox_user=nobody
node_flags=(--no-warnings)
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] ||
	node_flags+=(--experimental-wasi-unstable-preview1)

work=$(mktemp -d "${TMPDIR:-/tmp}/zvm-bench.XXXXXX")
chmod 0755 "$work"
mnt=$work/mnt
daemon_pid=
cleanup() {
	local status=$?
	if mountpoint -q "$mnt" 2>/dev/null; then
		fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt" 2>/dev/null || true
	fi
	if [ -n "$daemon_pid" ]; then
		kill -TERM "$daemon_pid" 2>/dev/null || true
		wait "$daemon_pid" 2>/dev/null || true
	fi
	if [ "$status" -ne 0 ] && [ -f "$work/daemon.log" ]; then
		echo "$0: daemon log:" >&2
		tail -20 "$work/daemon.log" >&2
	fi
	rm -rf -- "$work"
	[ -z "${channel_dir:-}" ] || rm -rf -- "$channel_dir"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() {
	echo "bench: [${SECONDS}s] $*" >&2
}

# write_config FILE CACHE_DIR [ETAG]: the operator config of one measurement.
write_config() {
	cat >"$1" <<EOF
[limits]
etag = ${3:-sha256}
max_get_size = 8G
max_put_size = 8G
[bundle]
max_bytes = 4G
max_archive_bytes = 4G
[sandbox]
cache_dir = $2
sandbox_helper = $sandbox
user = $sandbox_user
[gateway]
state_dir = $work/state
EOF
}
write_config "$work/engine.conf" "$work/cache"

# --- Results: one TSV row per figure; the tables and the plot are made from it -------------
tsv=$work/benchmarks.tsv
: >"$tsv"
# row SECTION ITEM VARIANT MEDIAN UNIT [RATIO [TARGET [VERDICT]]]
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" "${7:-}" \
		"${8:-}" >>"$tsv"
}
calc() {
	awk "BEGIN { printf \"%.6g\", ($1) }"
}
# verdict EXPRESSION: "met" when the awk expression holds, else "not met".
verdict() {
	awk "BEGIN { print ($1) ? \"met\" : \"not met\" }"
}
# spawn_median ARGS...: the median seconds of spawn-time ARGS.
spawn_median() {
	"$spawn_time" "$@" | cut -d' ' -f1
}
# median_of N COMMAND...: runs COMMAND N times (its first output word is a figure), prints
# the median figure.
median_of() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" | cut -d' ' -f1
	done | median
}
# median: the median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# zvm_bundle OUT.tar MANIFEST_LINES NEXE [NVRAM_ARGS] [MEMBER=PATH...]: a bundle of one program.
zvm_bundle() {
	local tar=$1 channels=$2 nexe=$3 args=${4:-} name
	shift 4 || shift $#
	name=$(basename "$tar" .tar)
	{
		echo "Version = 20130611"
		echo "Program = $(basename "$nexe")"
		echo "Memory = 268435456,0"
		echo "Timeout = 600"
		echo "$channels"
		[ -z "$args" ] || echo "Channel = nvram,/dev/nvram,3,0,64,10240,0,0"
	} >"$work/$name.manifest"
	local members=("manifest=$work/$name.manifest" "$(basename "$nexe")=$nexe")
	if [ -n "$args" ]; then
		printf '[args]\nargs = %s\n' "$args" >"$work/$name.nvram"
		members+=("nvram=$work/$name.nvram")
	fi
	"$source_dir/images/make-bundle.sh" "$tar" "${members[@]}" "$@"
}
std_channels="Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0
Channel = stdout,/dev/stdout,0,0,0,0,65536,16777216
Channel = stderr,/dev/stderr,0,0,0,0,65536,16777216"

zvm_run() {
	"$zvm" run --config "$work/engine.conf" --out "$work/run.out" "$@"
}
# check_same WHAT EXPECTED ACTUAL: the checksums of two runtimes must agree.
check_same() {
	if [ "$2" != "$3" ]; then
		echo "$0: $1 disagrees with native: '$3', native '$2'" >&2
		exit 1
	fi
}
# build_stream: stream.c natively and as a .nexe (sections 4 and 5).
build_stream() {
	[ -f "$work/stream.nexe" ] && return
	gcc -O2 -o "$work/stream" "$bench_dir/stream.c"
	"$zvm" cc -O2 -o "$work/stream.nexe" "$bench_dir/stream.c"
}
# Channel and result sizes; limits set at twice the size, never reached.
gib=$(calc "$channel_bytes / 1073741824")
big=$((channel_bytes * 2))
# The channel files (input, bundle, the engine's extraction of it, outputs) go to tmpfs when
# /dev/shm has room for six copies: the figure is then the engine's, not the disk's
# writeback (on a disk, a 0-byte job of a 1 GiB bundle took seconds).
channel_dir=$work/channels
channel_fs="the scratch directory's file system ($(stat -f -c %T "$work"))"
if [ "$(df -k --output=avail /dev/shm 2>/dev/null | tail -n 1)" -gt \
	$((channel_bytes * 6 / 1024 + 262144)) ] 2>/dev/null; then
	channel_dir=$(mktemp -d /dev/shm/zvm-bench.XXXXXX)
	channel_fs="tmpfs (/dev/shm)"
fi
mkdir -p "$channel_dir"

# --- 1. CPU ---------------------------------------------------------------------------------
section_cpu() {
	say "CPU: building ${programs[*]}"
	for p in "${programs[@]}"; do
		gcc -O2 -o "$work/$p" "$bench_dir/$p.c"
		"$zvm" cc -O2 -o "$work/$p.nexe" "$bench_dir/$p.c"
		# Debian's wasm-interp has no WASI: the same source as a module exporting `bench`.
		"$zvm" cc -O2 -nostartfiles -Wl,--no-entry -DBENCH_INTERP_UNITS=$interp_units \
			-o "$work/$p.interp.wasm" "$bench_dir/$p.c"
		zvm_bundle "$work/$p.tar" "$std_channels" "$work/$p.nexe" "$p ${units[$p]}"
	done

	for p in "${programs[@]}"; do
		u=${units[$p]}
		say "CPU: $p, $u units"
		# Each timed run leaves its output in a file: the last one's checksum is checked.
		native=$(spawn_median -n "$runs" -w 1 -o "$work/cpu.out" -- "$work/$p" "$u")
		expected=$(cat "$work/cpu.out")
		zvm_run "$work/$p.tar" >/dev/null # fills the translation cache
		engine=$(spawn_median -n "$runs" -- "$zvm" run --config "$work/engine.conf" \
			--out "$work/run.out" "$work/$p.tar")
		check_same "$p under zvm run" "$expected" "$(cat "$work/run.out/stdout")"
		nodejs=$(spawn_median -n "$runs" -o "$work/cpu.out" -- node "${node_flags[@]}" \
			"$bench_dir/wasi-run.mjs" "$work/$p.nexe" "$u")
		check_same "$p under node" "$expected" "$(cat "$work/cpu.out")"
		interpreted=$(spawn_median -n "$runs" -o "$work/cpu.out" -- wasm-interp \
			--dummy-import-func --run-all-exports "$work/$p.interp.wasm")
		check_same "$p under wasm-interp" "$("$work/$p" "$interp_units" | cut -d' ' -f3)" \
			"$(printf '%016x' "$(sed -n 's/^bench() => i64:\([0-9]*\)$/\1/p' "$work/cpu.out")")"
		row cpu "$p" native "$native" "s/$u units" 1
		ratio=$(calc "$engine / $native")
		row cpu "$p" "zvm run" "$engine" "s/$u units" "$ratio" "<= 1.3x" "$(verdict "$ratio <= 1.3")"
		row cpu "$p" "node:wasi" "$nodejs" "s/$u units" "$(calc "$nodejs / $native")"
		# Per unit of work: interpreter seconds per unit over native seconds per unit.
		row cpu "$p" "wasm-interp" "$interpreted" "s/$interp_units unit" \
			"$(calc "($interpreted / $interp_units) / ($native / $u)")"
		if [ "$p" = matmul ]; then
			# gcc -O2 vectorizes matmul's inner loop (SSE2, two doubles a step); the
			# .nexe cannot, since wasm2c 1.0.32 translates no SIMD: the scalar build
			# shows how much of the gap that is.
			gcc -O2 -fno-tree-vectorize -o "$work/$p-scalar" "$bench_dir/$p.c"
			scalar=$(spawn_median -n "$runs" -w 1 -o "$work/cpu.out" -- "$work/$p-scalar" "$u")
			check_same "$p, not vectorized" "$expected" "$(cat "$work/cpu.out")"
			row limits "$p" "native $p, gcc -O2 -fno-tree-vectorize ($u units); ratio: zvm run over it" \
				"$scalar" s "$(calc "$engine / $scalar")"
		fi
	done
}

# --- 2. Latency -----------------------------------------------------------------------------
section_latency() {
	say "latency: hello"
	gcc -O2 -static -o "$work/hello-static" "$source_dir/images/hello/hello.c"
	native=$(spawn_median -n "$latency_runs" -w 3 -- "$work/hello-static")
	row latency hello "native static, fork+exec" "$native" s 1
	zvm_run "$hello" >/dev/null
	warm=$(spawn_median -n "$latency_runs" -w 1 -- "$zvm" run --config "$work/engine.conf" \
		--out "$work/run.out" "$hello")
	row latency hello "zvm run, warm" "$warm" s "$(calc "$warm / $native")"
	write_config "$work/cold.conf" "$work/cache-cold"
	cold=$(spawn_median -n "$runs" -b "rm -rf '$work/cache-cold'" -- "$zvm" run \
		--config "$work/cold.conf" --out "$work/run.out" "$hello")
	row latency hello "zvm run, cold" "$cold" s "$(calc "$cold / $native")"

	"$job_time" -n 1 "$mnt" "$hello" >/dev/null
	warm=$("$job_time" -n "$latency_runs" "$mnt" "$hello" | cut -d' ' -f1)
	row latency hello "mount, warm" "$warm" s "$(calc "$warm / $native")" "<= 5 ms" \
		"$(verdict "$warm <= 0.005")"
	cold=$("$job_time" -n "$runs" -b "find '$work/cache' -mindepth 1 -delete" "$mnt" \
		"$hello" | cut -d' ' -f1)
	row latency hello "mount, cold" "$cold" s "$(calc "$cold / $native")"
}

# --- 3. Throughput --------------------------------------------------------------------------
section_throughput() {
	for clients in 1 2 8; do
		say "throughput: $clients client(s), $throughput_jobs jobs"
		rate=$(median_of "$runs" "$job_time" -c "$clients" -n "$throughput_jobs" "$mnt" "$hello")
		row throughput hello "$clients client$([ "$clients" = 1 ] || echo s)" "$rate" jobs/s "" ">= 300/s" \
			"$(verdict "$rate >= 300")"
	done
}

# --- 4. Channels ----------------------------------------------------------------------------
# channel_bundle KIND ETAG: a bundle streaming input.bin, made just before it is measured
# (each holds a copy of the input): channel.tar, or setup.tar for KIND setup.
channel_bundle() {
	case $1 in
	stdio)
		zvm_bundle "$channel_dir/channel.tar" "Channel = input.bin,/dev/stdin,0,$2,$big,$big,0,0
Channel = stdout,/dev/stdout,0,$2,0,0,$big,$big
Channel = stderr,/dev/stderr,0,0,0,0,1024,65536" "$work/stream.nexe" "" "input.bin=$channel_dir/input.bin"
		;;
	named)
		zvm_bundle "$channel_dir/channel.tar" "$std_channels
Channel = input.bin,/dev/input,0,$2,$big,$big,0,0
Channel = out/output.bin,/dev/output,0,$2,0,0,$big,$big" "$work/stream.nexe" \
			"stream /dev/input /dev/output" "input.bin=$channel_dir/input.bin"
		;;
	setup)
		# The same bundle copying 0 bytes: what such a job costs besides streaming (the
		# extraction of the input from the tar, mostly), subtracted to give the channel rate.
		zvm_bundle "$channel_dir/setup.tar" "$std_channels
Channel = input.bin,/dev/input,0,0,$big,$big,0,0" "$work/stream.nexe" \
			"stream /dev/input - 0" "input.bin=$channel_dir/input.bin"
		;;
	*) exit 1 ;;
	esac
}
# channel_run TAR: the seconds of one `zvm run` of TAR (its outputs removed before).
channel_run() {
	spawn_median -n 1 -b "rm -rf '$channel_dir/run.out'" -- "$zvm" run \
		--config "$work/engine.conf" --out "$channel_dir/run.out" "$channel_dir/$1"
}
# channel_pairs: setup.tar and channel.tar run alternately, $runs times each, so load that
# drifts hits both alike; appends "SETUP_SECONDS TOTAL_SECONDS" lines to pairs.txt and prints
# "MEDIAN_STREAM_SECONDS MEDIAN_TOTAL_SECONDS" (stream = total - setup of the same pair).
channel_pairs() {
	local i
	: >"$channel_dir/pair.txt"
	for ((i = 0; i < runs; i++)); do
		echo "$(channel_run setup.tar) $(channel_run channel.tar)" >>"$channel_dir/pair.txt"
	done
	cat "$channel_dir/pair.txt" >>"$channel_dir/pairs.txt"
	echo "$(awk '{ print $2 - $1 }' "$channel_dir/pair.txt" | median)" \
		"$(awk '{ print $2 }' "$channel_dir/pair.txt" | median)"
}
# native_rate PROGRAM...: GiB/s of PROGRAM copying input.bin (stdin) to a new file (stdout).
native_rate() {
	local seconds
	seconds=$(spawn_median -n "$runs" -w 1 -b "rm -f '$channel_dir/native.out'" -i "$channel_dir/input.bin" \
		-o "$channel_dir/native.out" -- "$@")
	cmp -s "$channel_dir/input.bin" "$channel_dir/native.out" || { echo "$0: $1 copy differs" >&2; exit 1; }
	rm -f "$channel_dir/native.out"
	calc "$gib / $seconds"
}
section_channels() {
	say "channels: $channel_mib MiB"
	head -c "$channel_bytes" /dev/urandom >"$channel_dir/input.bin"
	build_stream
	cat_rate=$(native_rate cat)
	row channels "$channel_mib MiB" "native cat, file to file" "$cat_rate" GiB/s 1
	stream_rate=$(native_rate "$work/stream")
	row channels "$channel_mib MiB" "native stream.c (gcc -O2), file to file" "$stream_rate" GiB/s \
		"$(calc "$stream_rate / $cat_rate")"
	# Everything the section writes, the engine's extraction included, goes to channel_dir.
	local -x TMPDIR=$channel_dir
	channel_bundle setup 0
	"$zvm" run --config "$work/engine.conf" --out "$channel_dir/run.out" \
		"$channel_dir/setup.tar" >/dev/null # translates stream.nexe
	: >"$channel_dir/pairs.txt"
	for etag in 0 1; do
		for kind in stdio named; do
			case $kind in
			stdio) name="stdin->stdout" output=stdout ;;
			named) name="/dev/input->/dev/output" output=out/output.bin ;;
			esac
			label="$name, etags $([ "$etag" = 1 ] && echo "on (sha256)" || echo off)"
			channel_bundle $kind $etag
			pair=$(channel_pairs)
			read -r stream total <<<"$pair"
			cmp -s "$channel_dir/input.bin" "$channel_dir/run.out/$output" ||
				{ echo "$0: $kind copy differs" >&2; exit 1; }
			rate=$(calc "$stream > 0 ? $gib / $stream : 0")
			row channels "$channel_mib MiB" "$label" "$rate" GiB/s "$(calc "$rate / $cat_rate")" \
				">= 1 GiB/s" "$(verdict "$rate >= 1")"
			row channels "$channel_mib MiB" "$label: the whole job" "$total" s
		done
	done
	row channels "$channel_mib MiB" "zvm run, the same bundle copying 0 bytes" \
		"$(awk '{ print $1 }' "$channel_dir/pairs.txt" | median)" s
	# What one core digests: etags on need two digests of every byte streamed (the read and
	# the write), so the rate is bound by about half of this per core.
	if command -v openssl >/dev/null; then
		local bytes_per_s
		bytes_per_s=$(openssl speed -evp sha256 -bytes 65536 -seconds 2 2>/dev/null |
			awk '$1 == "sha256" { sub(/k$/, "", $2); print $2 * 1000 }')
		[ -z "$bytes_per_s" ] || row limits sha256 "SHA-256 on one core, openssl speed -evp sha256" \
			"$(calc "$bytes_per_s / 1073741824")" GiB/s
	fi
	rm -rf "${channel_dir:?}"/*
}

# --- 5. Reading results ---------------------------------------------------------------------
section_results() {
	say "results: a $channel_mib MiB stdout"
	build_stream
	zvm_bundle "$work/zeros.tar" "Channel = /dev/zero,/dev/stdin,0,0,$big,$big,0,0
Channel = stdout,/dev/stdout,0,0,0,0,$big,$big
Channel = stderr,/dev/stderr,0,0,0,0,1024,65536" "$work/stream.nexe" \
		"stream - - $channel_bytes"
	cp "$work/zeros.tar" "$mnt/submit/"
	id=$(readlink "$mnt/jobs/last")
	grep -q '^exit_state ok$' "$mnt/jobs/$id/wait"
	grep -q '^user_rc 0$' "$mnt/jobs/$id/status"
	on_disk=$work/state/jobs/$id/out/stdout
	[ "$(stat -c %s "$on_disk")" = "$channel_bytes" ] ||
		{ echo "$0: job $id's stdout is not in the state dir" >&2; exit 1; }
	# Both warm: each is read once untimed first, then timed.
	disk=$(spawn_median -n "$runs" -w 1 -- cat "$on_disk")
	mounted=$(spawn_median -n "$runs" -w 1 -- cat "$mnt/jobs/$id/stdout")
	row results "$channel_mib MiB stdout" "cat on disk (state dir), warm" "$(calc "$gib / $disk")" GiB/s 1
	ratio=$(calc "$mounted / $disk")
	row results "$channel_mib MiB stdout" "cat through the mount, warm" "$(calc "$gib / $mounted")" \
		GiB/s "$ratio" "<= 1.5x disk time" "$(verdict "$ratio <= 1.5")"
}

# --- The mount: scratch state, the engine's cache, the daemon from the build tree ----------
mount_start() {
	mkdir -p "$mnt"
	# The engine's cache: section 5 finds its program translated by section 4.
	write_config "$work/mount.conf" "$work/cache"
	say "mounting $mnt"
	"$zvmfs" -f --config "$work/mount.conf" "$mnt" >"$work/daemon.log" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 100); do
		mountpoint -q "$mnt" && break
		kill -0 "$daemon_pid" 2>/dev/null || break
		sleep 0.1
	done
	mountpoint -q "$mnt" || cannot_run "zvmfs does not mount here: $(tail -3 "$work/daemon.log")"
}
mount_stop() {
	fusermount3 -u "$mnt"
	wait "$daemon_pid" || true
	daemon_pid=
}

# --- The run ---------------------------------------------------------------------------------
wants() {
	[[ ",$only," == *",$1,"* ]]
}
wants cpu && section_cpu
if wants latency || wants throughput || wants results; then
	mount_start
	wants latency && section_latency
	wants throughput && section_throughput
fi
wants channels && section_channels
if wants results; then
	section_results
	mount_stop
elif mountpoint -q "$mnt"; then
	mount_stop
fi

# --- Report: machine lines (# KEY<tab>VALUE) first, then the rows -------------------------
build_type=$(meson introspect --buildoptions "$build" 2>/dev/null |
	python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))' 2>/dev/null || echo unknown)
{
	printf '# %s\t%s\n' \
		date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
		cores "$(nproc)" \
		memory "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
		kernel "$(uname -sr)" \
		os "$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"')" \
		"load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg)" \
		zvmfs "$(git -C "$source_dir" describe --always --dirty 2>/dev/null || echo unknown), $build_type build" \
		gcc "$(gcc --version | head -n 1)" \
		clang "$(clang --version | head -n 1)" \
		wasm2c "$(wasm2c --version)" \
		wasm-interp "$(wasm-interp --version)" \
		node "$(node --version)" \
		gnuplot "$(gnuplot --version)" \
		"sandbox user" "$sandbox_user" \
		"channel files on" "$channel_fs" \
		repetitions "$runs, latency samples $latency_runs$([ "$quick" = 1 ] && echo ", --quick")"
	printf 'section\titem\tvariant\tmedian\tunit\tratio\ttarget\tverdict\n'
	cat "$tsv"
} >"$out/benchmarks.tsv"
"$bench_dir/report.sh" "$out/benchmarks.tsv" >"$out/benchmarks.md"
"$bench_dir/plot.sh" "$out/benchmarks.tsv" "$out/benchmarks.png"
say "wrote $out/benchmarks.md, benchmarks.tsv, benchmarks.png"
cat "$out/benchmarks.md"
