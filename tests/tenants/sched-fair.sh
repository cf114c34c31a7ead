#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The queue is shared fairly (issue #13 item 2): with one worker, A holds it with a long job
# and queues as many as their share allows (a further one gets EAGAIN); B's single job,
# queued after all of A's, starts next when the worker comes free, before any of A's.
# Ordered by mechanism: A's queued jobs run until killed, so whichever leaves the queue first
# stays visible.
. "$(dirname "$0")/sched-lib.sh"

sched_prepare
mount_setup "jobs = 1" "[tenants]" "queue_jobs = 3"
sched_users_add
mount_start
make_ticker long 100000 200000000 300
chmod 0644 "$WORK"/*.tar

blocker=$(as_submit "$USER_A" "$WORK/long.tar" blocker.tar)
wait_state "$blocker" running 120 || tap_fail "A's first job runs" "$(status_of "$blocker" state)"
a=()
for i in 1 2 3; do
	a+=("$(as_submit "$USER_A" "$WORK/long.tar" "a$i.tar")")
done
tap_is "A queues three more (their share)" "$(status_of "${a[2]}" state)" "queued"
out=$(as "$USER_A" cp "$WORK/long.tar" "$MNT/submit/a4.tar" 2>&1)
tap_like "a fourth is refused with EAGAIN" "$out" "Resource temporarily unavailable"
out=$(as "$USER_A" "$ZVM" submit --mount "$MNT" "$WORK/long.tar" 2>&1)
tap_like "zvm submit names the share" "$out" "queue_jobs"
tap_is "/.usage: A has 3 queued" "$(usage_of "$USER_A" QUEUED)" 3
tap_is "/.usage: A has 1 running" "$(usage_of "$USER_A" RUNNING)" 1
b=$(as_submit "$USER_B" "$HELLO" b.tar)
tap_is "B's job is accepted though A's share is full" "$(status_of "$b" state)" "queued"

as "$USER_A" bash -c "echo kill >'$MNT/jobs/$blocker/ctl'"
# Until B's job or A's first queued one leaves the queue; B's is read first, so if A's went
# first, B's is seen still queued.
for _ in $(seq 1200); do
	sb=$(status_of "$b" state)
	sa=$(status_of "${a[0]}" state)
	[ "$sb" != queued ] || [ "$sa" != queued ] && break
	sleep 0.1
done
tap_like "B's job started before any of A's queued ones" "$sb" "^(compiling|running|done)$"
wait_job "$b" >/dev/null
tap_is "B's job is done" "$(as "$USER_B" cat "$MNT/jobs/$b/stdout")" "hello, world"
tap_is "A's last queued job still waits" "$(status_of "${a[2]}" state)" "queued"

for id in "${a[@]}"; do
	as "$USER_A" bash -c "echo kill >'$MNT/jobs/$id/ctl'"
done
for id in "${a[@]}"; do
	wait_job "$id" >/dev/null
done
tap_is "A's jobs end killed" "$(status_of "${a[2]}" state)" "killed"
check_daemon_log
tap_done
