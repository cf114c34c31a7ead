#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The memory a system map job with big tar images reaches (issue #12): N nodes (default 4),
# each mounting the same IMAGE_MIB image (default 512 MiB) and declaring MEMORY bytes
# (default 64 MiB), run by `zvm run`; each node runs spin.nexe until its TIMEOUT, so that
# every runner is seen with its image loaded. Prints the runners' peak RSS (VmHWM, sampled
# every 0.1 s, the last value each runner showed) and their sum, and the job's exit states.
#   tests/bench/image-memory.sh BUILD_DIR [NODES] [IMAGE_MIB] [MEMORY] [TIMEOUT]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [NODES] [IMAGE_MIB] [MEMORY] [TIMEOUT]}" && pwd)
nodes=${2:-4}
image_mib=${3:-512}
memory=${4:-67108864}
timeout=${5:-3}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/zvm-image-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/image/data" "$work/bundle/boot"
truncate -s "${image_mib}M" "$work/image/data/big.bin"
tar -C "$work/image" -cf "$work/bundle/big.tar" data
cp "$build/tests/engine/spin.nexe" "$work/bundle/"
cat >"$work/bundle/boot/system.map" <<MAP
[{"name": "node", "count": $nodes, "exec": {"path": "spin.nexe"},
  "devices": [{"name": "image", "path": "big.tar"}],
  "memory": $memory, "timeout": $timeout}]
MAP
tar -C "$work/bundle" -cf "$work/job.tar" boot spin.nexe big.tar
cat >"$work/zvm.conf" <<CONF
[bundle]
max_bytes = 8G
max_archive_bytes = 8G
[sandbox]
cache_dir = $work/cache
CONF

"$build/fs/zvm" run --config "$work/zvm.conf" --out "$work/out" "$work/job.tar" \
	>"$work/report" 2>"$work/stderr" &
zvm=$!
declare -A peak
while kill -0 "$zvm" 2>/dev/null; do
	for pid in $(pgrep -P "$zvm" 2>/dev/null || true); do
		hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$hwm" ] && peak[$pid]=$hwm
	done
	sleep 0.1
done
wait "$zvm" || true
sum=0
for pid in "${!peak[@]}"; do
	echo "runner $pid: VmHWM ${peak[$pid]} kB"
	sum=$((sum + peak[$pid]))
done
echo "nodes $nodes, images ${image_mib} MiB each, Memory $memory: sum of the runners' peak RSS $((sum / 1024)) MiB"
for node in "$work/out"/*/report; do
	[ -f "$node" ] && echo "$(basename "$(dirname "$node")"): $(sed -n 6p "$node")"
done
sed -n 6p "$work/report" | sed 's/^/job: /'
[ -s "$work/stderr" ] && sed 's/^/stderr: /' "$work/stderr" | head -5
exit 0
