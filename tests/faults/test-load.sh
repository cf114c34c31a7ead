#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Load: ZVM_LOAD_JOBS submissions (default 1,000; 200 in a sanitizer build, which sets
# ZVM_LOAD_DEFAULT_JOBS) from ZVM_LOAD_CLIENTS concurrent clients
# (default 8) of the trivial hello job. Half the clients use `zvm submit --wait`, half
# `zvm submit` then read jobs/ID/wait. Every job ends done; the daemon's peak RSS stays under
# ZVM_LOAD_MAX_RSS_MIB (default 200) and its open descriptors after the load are those before
# it (within FD_SLACK). Prints the time, the throughput and the peak RSS.
. "$(dirname "$0")/lib.sh"

JOBS=${ZVM_LOAD_JOBS:-${ZVM_LOAD_DEFAULT_JOBS:-1000}}
CLIENTS=${ZVM_LOAD_CLIENTS:-8}
MAX_RSS_MIB=${ZVM_LOAD_MAX_RSS_MIB:-200}
# Descriptors that may come and go without a leak: the kernel's FUSE release of the last
# handles arrives after close() returned, and glib may keep a wakeup descriptor per thread.
FD_SLACK=4
mount_setup "queue_length = $((JOBS + 100))"
mount_start

# Warm up: the translation cached, the worker threads and their descriptors made.
warm=$(submit "$HELLO" warm-up.tar)
wait_job "$warm" >/dev/null
sleep 0.5
fds_before=$(daemon_fds)
hwm_before=$(daemon_hwm_kib)

start=$(date +%s.%N)
pids=()
for c in $(seq "$CLIENTS"); do
	(
		n=$((JOBS / CLIENTS + (c <= JOBS % CLIENTS ? 1 : 0)))
		bad=0
		for i in $(seq "$n"); do
			if [ $((c % 2)) = 1 ]; then
				rc=0
				out=$("$ZVM" submit --mount "$MNT" --wait --name "c$c-$i.tar" "$HELLO" \
					2>"$WORK/err.$c") || rc=$?
				if [ "$rc" != 0 ] || [ "$out" != "hello, world" ]; then
					bad=$((bad + 1))
					echo "c$c-$i.tar: zvm submit --wait exit $rc, stdout '$out'," \
						"stderr '$(cat "$WORK/err.$c")'" >>"$WORK/failures"
				fi
				echo "c$c-$i.tar" >>"$WORK/names.$c"
			else
				id=$("$ZVM" submit --mount "$MNT" --name "c$c-$i.tar" "$HELLO" \
					2>"$WORK/err.$c")
				state=$(timeout 120 cat "$MNT/jobs/$id/wait" | sed -n 's/^state //p')
				if [ "$state" != "done" ]; then
					bad=$((bad + 1))
					echo "c$c-$i.tar: job '$id' state '$state'," \
						"stderr '$(cat "$WORK/err.$c")'" >>"$WORK/failures"
				fi
				echo "$id" >>"$WORK/ids.$c"
			fi
		done
		echo "$bad" >"$WORK/bad.$c"
	) &
	pids+=($!)
done
wait "${pids[@]}"
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc)
rate=$(echo "scale=1; $JOBS / $seconds" | bc)
echo "# $JOBS jobs from $CLIENTS clients in ${seconds%.*}.$(echo "$seconds" | cut -d. -f2 | cut -c1-1) s: $rate jobs/s"

[ -f "$WORK/failures" ] && head -20 "$WORK/failures" | sed 's/^/# /'
tap_is "every client saw each of its jobs end done" "$(cat "$WORK"/bad.* | paste -sd+ | bc)" 0
ids=$(ls "$MNT/jobs" | grep '^[0-9]' | sort -n)
tap_is "$((JOBS + 1)) jobs with ids 1..$((JOBS + 1))" "$(echo "$ids" | tr '\n' ' ')" \
	"$(seq $((JOBS + 1)) | tr '\n' ' ')"
tap_is "all ended done" \
	"$(for id in $ids; do status_of "$id" state; done | sort | uniq -c | sed 's/^ *//')" \
	"$((JOBS + 1)) done"
tap_is "every client-side id is a distinct job" \
	"$(cat "$WORK"/ids.* 2>/dev/null | sort -u | wc -l)" "$(cat "$WORK"/ids.* 2>/dev/null | wc -l)"
tap_is "nothing is staging in submit/" "$(staging_entries)" ""

hwm=$(daemon_hwm_kib)
echo "# daemon peak RSS (VmHWM): $((hwm / 1024)) MiB ($hwm kB; $((hwm_before / 1024)) MiB after the warm-up)"
tap_check "peak RSS under $MAX_RSS_MIB MiB" test "$hwm" -lt $((MAX_RSS_MIB * 1024))

# The kernel sends RELEASE after close() returned: give the last ones a moment.
for _ in $(seq 50); do
	fds_after=$(daemon_fds)
	[ "$fds_after" -le $((fds_before + FD_SLACK)) ] && break
	sleep 0.1
done
pipes=$(daemon_pipes)
threads=$(daemon_threads)
echo "# daemon open descriptors (not pipes): $fds_before before, $fds_after after;" \
	"$pipes pipe ends for $threads threads"
tap_check "no descriptor leak ($fds_before before, $fds_after after, slack $FD_SLACK)" \
	test "$fds_after" -le $((fds_before + FD_SLACK)) -a "$fds_after" -ge $((fds_before - FD_SLACK))
tap_check "pipes: at most a splice pair per thread ($pipes ends, $threads threads)" \
	test "$pipes" -le $((2 * threads))
tap_is "no stray files in the state directory" "$(stray_files)" ""

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
