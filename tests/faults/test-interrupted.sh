#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A job whose run takes the gateway down is not run again at every start (issue #12): kill -9
# of the daemon while the job runs, a restart (the job runs again, and its meta said so
# before it ran), a second kill -9 while it runs again, a restart: the job ends failed,
# "interrupted: the gateway stopped twice while this job ran", and the gateway goes on.
# Ordered by the job's state in meta, which the gateway writes when the runner starts.
. "$(dirname "$0")/lib.sh"

mount_setup "jobs = 1"
# About 30 s of CPU: far longer than a kill takes once the job is seen running.
make_job long 60 1000000000 0
cp "$HELLO" "$WORK/hello.tar"

# wait_meta_state ID STATE: until the job's meta says STATE (the daemon writes it).
wait_meta_state() {
	local i
	for ((i = 0; i < 600; i++)); do
		[ "$(state_of_meta "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
interrupted_of_meta() {
	sed -n 's/^interrupted=//p' "$STATE/jobs/$1/meta" 2>/dev/null
}

mount_start
id=$(submit "$WORK/long.tar" long.tar)
tap_check "the job runs" wait_meta_state "$id" running
mount_kill9
tap_is "no interruption is recorded while it first runs" "$(interrupted_of_meta "$id")" ""

mount_start
tap_check "after the first restart the job runs again" wait_meta_state "$id" running
tap_is "its meta recorded the interruption before it ran" "$(interrupted_of_meta "$id")" 1
mount_kill9

mount_start
tap_is "after the second restart it has ended" "$(wait_job "$id" >/dev/null; status_of "$id" state)" \
	failed
tap_is "with the reason" "$(status_of "$id" reason)" \
	"interrupted: the gateway stopped twice while this job ran"
tap_is "its report says so" "$(sed -n 6p "$MNT/jobs/$id/report")" \
	"interrupted: the gateway stopped twice while this job ran"
tap_is "no partial output is served" "$(find "$STATE/jobs/$id/out" -type f -size +0)" ""

next=$(submit "$WORK/hello.tar" hello.tar)
tap_is "the gateway goes on: the next job ends done" \
	"$(wait_job "$next" >/dev/null; status_of "$next" state)" done

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
