#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The Slurm runner through the mount (issue #16): a one-host cluster (cluster.sh) with its
# state in the scratch directory, stopped by pid at the end even after a failure; the
# gateway hands each job to it. Single jobs (one of another user), a system map, kill, a
# cancel from outside, a gateway restart while jobs run (they are followed, not run again),
# a node failure (the job runs once more), and 100 hello jobs with their throughput.
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


# Submitted by another user: the Slurm job runs as that user (sbatch --uid).
cp "$HELLO" "$WORK/hello-nobody.tar"
chmod 0644 "$WORK/hello-nobody.tar"
setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- \
	cp "$WORK/hello-nobody.tar" "$MNT/submit/hello-nobody.tar"
nobody_id=$(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- \
	readlink "$MNT/jobs/last")
status=$(wait_job "$nobody_id")
tap_like "a job of nobody runs" "$status" "state done"
slurm_id=$(status_of "$nobody_id" slurm_job)
tap_is "its Slurm job ran as nobody" "$(status_of "$nobody_id" uid) $(squeue -h -t all -j "$slurm_id" -o %U)" \
	"$(id -u nobody) $(id -u nobody)"

# A system map: one Slurm job, its nodes' outputs back in the job's directory.
texts=$ZVM_SOURCE_DIR/images/wordcount/texts
expected=$(cat "$texts"/*.txt | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | grep -v '^$' |
	LC_ALL=C sort | uniq -c | awk '{ print $1, $2 }')
map=$(submit "$ZVM_IMAGES/wordcount.tar")
tap_is "wordcount: done, ok" "$(wait_job "$map" | sed -n '2,3p' | tr '\n' ' ')" \
	"state done exit_state ok "
tap_is "wordcount: the collector's stdout equals the native count" \
	"$(cat "$MNT/jobs/$map/collector/stdout")" "$expected"
tap_is "wordcount: a node's report ends ok" "$(tail -1 "$MNT/jobs/$map/mapriver/report")" ok
tap_is "wordcount: status has its nodes' lines" "$(status_of "$map" nodes)" 8

# kill: the Slurm job is cancelled, the job ends killed.
make_ticker long 100000 200000000
long=$(submit "$WORK/long.tar")
wait_state "$long" running 60 || tap_fail "the long job runs" "$(cat "$MNT/jobs/$long/status")"
long_slurm=$(status_of "$long" slurm_job)
echo kill >"$MNT/jobs/$long/ctl"
tap_like "ctl kill ends a Slurm job killed" "$(wait_job "$long")" "state killed"
tap_is "and Slurm cancelled it" "$(squeue -h -t all -j "$long_slurm" -o %T)" CANCELLED

# Cancelled in Slurm, not through the mount: the job ends killed, and says by whom.
outside=$(submit "$WORK/long.tar" outside.tar)
wait_state "$outside" running 60
scancel "$(status_of "$outside" slurm_job)"
tap_like "scancel from outside ends the job killed" "$(wait_job "$outside")" "state killed"
tap_is "its exit state says so" "$(status_of "$outside" exit_state)" "killed: cancelled in Slurm"

# A gateway restart while jobs run: they go on in Slurm and the new gateway follows them.
make_ticker medium 30 100000000
a=$(submit "$WORK/medium.tar" a.tar)
b=$(submit "$WORK/medium.tar" b.tar)
wait_state "$a" running 60
wait_state "$b" running 60
a_slurm=$(status_of "$a" slurm_job)
b_slurm=$(status_of "$b" slurm_job)
mount_stop
tap_like "after the gateway stopped, its Slurm jobs still run or ended on their own" \
	"$(squeue -h -t all -j "$a_slurm,$b_slurm" -o %T | sort -u | tr '\n' ' ')" \
	"^((RUNNING|COMPLETED|COMPLETING) )+$"
mount_start
tap_like "the restarted gateway follows job a to its end" "$(wait_job "$a")" "state done"
tap_like "and job b" "$(wait_job "$b")" "state done"
tap_is "neither ran again: same Slurm jobs, no restart" \
	"$(status_of "$a" slurm_job) $(status_of "$b" slurm_job) $(status_of "$a" restarts)$(status_of "$b" restarts)" \
	"$a_slurm $b_slurm 00"
tap_is "a's output came back" "$(wc -l <"$MNT/jobs/$a/stdout")" 30

# A node failure: slurmd and the job's step die; Slurm ends the job NODE_FAIL, the runner
# submits it once more, and it runs when the node comes back.
make_ticker failing 150 100000000
f=$(submit "$WORK/failing.tar")
wait_state "$f" running 60
f_slurm=$(status_of "$f" slurm_job)
# The processes of the job's step: its batch script (zvm run-job, working in the spool), its
# step daemon, and their children, once the job's program has written a line.
step_pids() {
	local proc pid parent all=" " grew=1
	for proc in /proc/[0-9]*; do
		[ "$(readlink "$proc/cwd" 2>/dev/null)" = "$STATE/slurm/$f" ] || continue
		pid=${proc#/proc/}
		all="$all$(awk '{ print $4 }' "$proc/stat") $pid "
	done
	[ "$all" = " " ] && return
	while [ $grew = 1 ]; do
		grew=0
		for proc in /proc/[0-9]*; do
			pid=${proc#/proc/}
			parent=$(awk '{ print $4 }' "$proc/stat" 2>/dev/null)
			case "$all" in *" $pid "*) continue ;; esac
			case "$all" in *" $parent "*) all="$all$pid "; grew=1 ;; esac
		done
	done
	echo $all
}
step=
for _ in $(seq 600); do
	if [ -s "$STATE/slurm/$f/out/stdout" ]; then
		step=$(step_pids)
		[ -n "$step" ] && break
	fi
	sleep 0.1
done
tap_like "the job's step runs on the node" "$step" "[0-9]+ [0-9]+"
slurm_cluster_stop_slurmd
# shellcheck disable=SC2086
[ -n "$step" ] && kill -KILL $step
for _ in $(seq 600); do
	[ "$(status_of "$f" restarts)" = 1 ] && break
	sleep 0.1
done
tap_is "after the node failed, the job was submitted once more" "$(status_of "$f" restarts)" 1
slurm_cluster_start_slurmd
tap_like "it ran to its end when the node came back" "$(wait_job "$f")" "state done"
tap_like "as another Slurm job" "$(status_of "$f" slurm_job)" "^[0-9]+$"
tap_check "not the first one" test "$(status_of "$f" slurm_job)" != "$f_slurm"

# 100 hello jobs: throughput through Slurm.
start=$(date +%s%N)
ids=()
for i in $(seq 100); do
	ids+=("$(submit "$HELLO" "h$i.tar")")
done
done_count=0
for id in "${ids[@]}"; do
	wait_job "$id" | grep -q "^state done" && done_count=$((done_count + 1))
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
tap_is "100 hello jobs all done" "$done_count" 100
echo "# 100 hello jobs through Slurm in $elapsed ms: $(awk -v ms="$elapsed" 'BEGIN { printf "%.1f", 100000 / ms }') jobs/s"

check_daemon_log
mount_stop
tap_done
