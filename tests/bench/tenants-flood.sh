#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The victim's throughput under attack (issue #13; the figure in docs/reliability.md): user B
# submits hello.tar and waits for it, again and again, for SECONDS (default 60) alone, then
# as long again while user A floods submit/ with garbage, then as long again while A also
# keeps their queue share full of CPU-bound jobs. Prints B's jobs done per minute each time. Needs root (it makes the two
# users) and a build: run from the source tree as
#   sudo tests/bench/tenants-flood.sh [BUILD_DIR] [SECONDS]
# Not a test: it asserts nothing about time.
BUILD=$(cd "${1:-build}" && pwd)
SECONDS_EACH=${2:-60}
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
export ZVM_BUILD_DIR=$BUILD ZVM_SOURCE_DIR=$SOURCE ZVMFS=$BUILD/fs/zvmfs
export ZVM_MOUNT_PROGRAMS=$BUILD/tests/mount
# shellcheck source=../tenants/sched-lib.sh
. "$SOURCE/tests/tenants/sched-lib.sh"

sched_prepare
mount_setup "jobs = 2" "[tenants]" "queue_jobs = 8" "retain_jobs = 50"
sched_users_add
mount_start
make_ticker spin 10 100000000 600
printf 'this is not a tar archive\n' >"$WORK/garbage.tar"
chmod 0644 "$WORK"/*.tar
# The translations are made once, before either run.
wait_job "$(as_submit "$USER_B" "$HELLO" warm.tar)" >/dev/null

# B's jobs done in SECONDS_EACH seconds, one after another.
victim_run() {
	local done=0 end=$((SECONDS + SECONDS_EACH)) id
	while [ "$SECONDS" -lt "$end" ]; do
		id=$(as_submit "$USER_B" "$HELLO" v.tar 2>/dev/null) || continue
		as "$USER_B" timeout 120 cat "$MNT/jobs/$id/wait" >/dev/null
		[ "$(status_of "$id" state)" = done ] && done=$((done + 1))
	done
	echo "$done"
}

alone=$(victim_run)

attack_flood() {
	local i=0
	while :; do
		i=$((i + 1))
		as "$USER_A" cp "$WORK/garbage.tar" "$MNT/submit/g$i.tar" 2>/dev/null
	done
}
attack_queue() {
	while :; do
		as "$USER_A" cp "$WORK/spin.tar" "$MNT/submit/spin.tar" 2>/dev/null || sleep 0.2
	done
}
attack_flood &
flood_pid=$!
flooded=$(victim_run)
attack_queue &
queue_pid=$!
attacked=$(victim_run)
kill "$flood_pid" "$queue_pid"
wait "$flood_pid" "$queue_pid" 2>/dev/null
usage=$(cat "$MNT/.usage")
# How long A's jobs hold a worker: the wall time of their newest that ended.
spin_wall=$(for id in $(ls "$MNT/jobs" | grep -E '^[0-9]+$' | sort -rn); do
	[ "$(status_of "$id" name)" = spin.tar ] && [ "$(status_of "$id" state)" = done ] &&
		status_of "$id" wall_seconds && break
done)

per_minute() {
	echo "scale=1; $1 * 60 / $SECONDS_EACH" | bc
}
echo "# victim (B) jobs done per minute (${SECONDS_EACH} s each): alone $(per_minute "$alone")," \
	"A flooding garbage $(per_minute "$flooded"), A flooding and holding their queue share" \
	"of CPU-bound jobs $(per_minute "$attacked")"
echo "# each of A's CPU-bound jobs holds a worker for ${spin_wall:-?} s"
echo "# /.usage at the end of the attack:"
echo "$usage" | sed 's/^/#   /'
tap_ok "measured"
tap_done
