#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# docs/benchmarks.md "Cluster": per-job overhead of hello run directly, through srun, as a
# step in an allocation held already, and through a gateway with the local runner and with
# the Slurm runner (sequential jobs, submit to end), then 100 hello jobs at once through each
# gateway (jobs/s). Same machine, same run. Needs root; run from the build directory:
#   ZVM_SOURCE_DIR=.. ZVM_BUILD_DIR=$PWD ZVMFS=$PWD/fs/zvmfs ZVM=$PWD/fs/zvm \
#   ZVM_MOUNT_PROGRAMS=$PWD/tests/mount bash ../tests/slurm/overhead.sh
. "$(dirname "$0")/../mount/lib.sh"
. "$(dirname "$0")/cluster.sh"

N=${N:-20}
MOUNT_CLEANUP_HOOK=slurm_cluster_stop
mount_setup
slurm_cluster_start "$WORK/slurm" || mount_skip "$SLURM_CLUSTER_REASON"
RUN=("$ZVM" run --config "$CONFIG" --out "$WORK/out")

ms_per() { # COMMAND...: mean wall ms of N runs
	local start end
	start=$(date +%s%N)
	for _ in $(seq "$N"); do "$@" >/dev/null 2>&1; done
	end=$(date +%s%N)
	echo $(((end - start) / N / 1000000))
}
"${RUN[@]}" "$HELLO" >/dev/null # the translation, cached
echo "direct zvm run: $(ms_per "${RUN[@]}" "$HELLO") ms"
echo "srun zvm run: $(ms_per srun -n1 "${RUN[@]}" "$HELLO") ms"
held=$(sbatch --parsable --wrap "sleep 600" -o /dev/null)
while [ "$(squeue -h -j "$held" -o %T)" != RUNNING ]; do sleep 0.05; done
echo "step in a held allocation: $(ms_per srun --jobid="$held" --overlap -n1 "${RUN[@]}" "$HELLO") ms"
scancel "$held"

gateway() { # KIND: sequential latency, then 100 at once
	rm -rf "$STATE"
	sed -i '/^\[runner\]/,$d' "$CONFIG"
	printf '[runner]\nkind = %s\nzvm = %s\npoll_interval_ms = 50\nmemory_overhead = 64M\n' \
		"$1" "$ZVM" >>"$CONFIG"
	mount_start
	local start end ids=() id
	start=$(date +%s%N)
	for _ in $(seq "$N"); do wait_job "$(submit "$HELLO")" >/dev/null; done
	end=$(date +%s%N)
	echo "gateway, $1 runner, one job at a time: $(((end - start) / N / 1000000)) ms a job"
	start=$(date +%s%N)
	for i in $(seq 100); do ids+=("$(submit "$HELLO" "h$i.tar")"); done
	for id in "${ids[@]}"; do wait_job "$id" >/dev/null; done
	end=$(date +%s%N)
	echo "gateway, $1 runner, 100 jobs at once: $(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", 100e9 / ns }') jobs/s"
	mount_stop
}
gateway local
gateway slurm
