#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Nothing is lost: kill -9 of the daemon in the middle of a job, then a restart on the same
# state: ended jobs are served as they were, the interrupted job runs again (restarts 1) to
# the same result as an uninterrupted run, ids go on. And a clean stop (SIGTERM) puts the
# running job back to queued.
. "$(dirname "$0")/lib.sh"

mount_setup
mount_start
make_ticker medium 60 200000000
make_ticker long 100000 200000000

descendants() {
	local pid child
	for pid in "$@"; do
		for child in $(pgrep -P "$pid"); do
			echo "$child"
			descendants "$child"
		done
	done
}

hello=$(submit "$HELLO")
wait_job "$hello" >/dev/null
before_status=$(cat "$MNT/jobs/$hello/status")
before_report=$(cat "$MNT/jobs/$hello/report")

id=$(submit "$WORK/medium.tar")
wait_state "$id" running 120
for _ in $(seq 100); do [ "$(wc -l <"$MNT/jobs/$id/stdout")" -ge 3 ] && break; sleep 0.1; done
runners=$(descendants "$DAEMON_PID")
mount_kill9
tap_like "the job was running when the daemon died" \
	"$(sed -n 's/^state=//p' "$STATE/jobs/$id/meta")" "running"
# A dead runner may stay a zombie a while: whoever inherits it (pid 1) reaps it in its own time.
alive() {
	local state
	state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}
# The kernel kills them with the daemon (a parent-death signal), but a busy machine may take a
# while to run their exit: wait up to 30 s for it.
for _ in $(seq 300); do
	left=$(for pid in $runners; do alive "$pid" && echo "$pid"; done)
	[ -z "$left" ] && break
	sleep 0.1
done
for pid in $left; do echo "# left: $(ps -o pid=,ppid=,stat=,args= -p "$pid")"; done
tap_is "its runner died with the daemon" "$left" ""
for pid in $left; do kill -KILL "$pid"; done

mount_start
status=$(wait_job "$id")
tap_is "after the restart the job runs again to done" "$(echo "$status" | sed -n 2p)" \
	"state done"
tap_is "and says it was restarted" "$(status_of "$id" restarts)" 1
tap_is "its stdout is complete" "$(wc -l <"$MNT/jobs/$id/stdout")" 60
tap_is "the ended job is served as it was: status" "$(cat "$MNT/jobs/$hello/status")" \
	"$before_status"
tap_is "and report" "$(cat "$MNT/jobs/$hello/report")" "$before_report"

again=$(submit "$WORK/medium.tar" medium-again.tar)
tap_check "ids go on after a crash ($id, then $again)" test "$again" -gt "$id"
wait_job "$again" >/dev/null
tap_check "the restarted run's stdout equals an uninterrupted run's" \
	cmp "$MNT/jobs/$id/stdout" "$MNT/jobs/$again/stdout"
tap_check "so does its output file" cmp "$MNT/jobs/$id/out/result.txt" \
	"$MNT/jobs/$again/out/result.txt"
tap_is "and the report, but for the accounting line" \
	"$(sed 5d "$MNT/jobs/$id/report")" "$(sed 5d "$MNT/jobs/$again/report")"

# A clean stop: SIGTERM while a job runs.
long=$(submit "$WORK/long.tar")
wait_state "$long" running 60
kill -TERM "$DAEMON_PID"
start=$(date +%s)
status=0
wait "$DAEMON_PID" || status=$?
DAEMON_PID=
tap_is "SIGTERM: the daemon exits with 0" "$status" 0
tap_check "promptly" test $(($(date +%s) - start)) -le 10
tap_check "and unmounts" sh -c "! mountpoint -q '$MNT'"
tap_is "the running job is back to queued on disk" \
	"$(sed -n 's/^state=//p' "$STATE/jobs/$long/meta")" "queued"
tap_is "counting the restart" "$(sed -n 's/^restarts=//p' "$STATE/jobs/$long/meta")" 1
tap_like "the log says so" "$(cat "$LOG")" "stopping: running jobs go back to the queue"

mount_start
wait_state "$long" running 60
tap_is "at the next start it runs again" "$(status_of "$long" state)" "running"
echo kill >"$MNT/jobs/$long/ctl"
wait_job "$long" >/dev/null
tap_is "restarts is still 1" "$(status_of "$long" restarts)" 1

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
