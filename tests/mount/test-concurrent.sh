#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 200 submissions from 4 processes at once: every cp succeeds, every job gets its own id
# and ends done, nothing is left in submit/.
. "$(dirname "$0")/lib.sh"

mount_setup
mount_start

pids=()
for p in 1 2 3 4; do
	(
		failed=0
		for i in $(seq 50); do
			cp "$HELLO" "$MNT/submit/p$p-$i.tar" || failed=$((failed + 1))
		done
		echo "$failed" >"$WORK/failed.$p"
	) &
	pids+=($!)
done
wait "${pids[@]}"
tap_is "every cp succeeded" "$(cat "$WORK"/failed.* | sort -u)" 0
ids=$(ls "$MNT/jobs" | grep '^[0-9]' | sort -n)
tap_is "200 jobs" "$(echo "$ids" | wc -l)" 200
tap_is "with distinct ids 1..200" "$(echo "$ids" | tr '\n' ' ')" "$(seq 200 | tr '\n' ' ')"
tap_is "with distinct names" "$(for id in $ids; do status_of "$id" name; done | sort -u | wc -l)" 200
for id in $ids; do
	wait_job "$id" >/dev/null
done
tap_is "all ended done" "$(for id in $ids; do status_of "$id" state; done | sort | uniq -c | sed 's/^ *//')" \
	"200 done"
tap_is "all said hello" "$(for id in $ids; do cat "$MNT/jobs/$id/stdout"; done | sort | uniq -c | sed 's/^ *//')" \
	"200 hello, world"
tap_is "nothing is staging in submit/, only records" "$(staging_entries)" ""
tap_is "at most 16 records are kept" "$(ls -A "$MNT/submit" | wc -l)" 16

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
