#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Retention counts per user (issue #13 item 1): user A floods submit/ with garbage; each
# refusal is an ended job of A's, and only A's oldest ended jobs make room for it. B's done
# job survives the flood, and the whole store's bound at the next retention pass (at a
# restart) takes from A, who holds the most. Root's /.usage and `zvm ls --all` show both.
. "$(dirname "$0")/sched-lib.sh"

sched_prepare
mount_setup "retain_jobs = 3" "[tenants]" "retain_jobs = 3"
sched_users_add
mount_start
printf 'this is not a tar archive\n' >"$WORK/garbage.tar"
chmod 0644 "$WORK/garbage.tar"

b=$(as_submit "$USER_B" "$HELLO" victim.tar)
wait_job "$b" >/dev/null
tap_is "B's job is done" "$(status_of "$b" state)" "done"

refused=0
for i in $(seq 40); do
	as "$USER_A" cp "$WORK/garbage.tar" "$MNT/submit/g$i.tar" 2>/dev/null || refused=$((refused + 1))
done
tap_is "A's 40 garbage submissions are refused" "$refused" 40
tap_is "A keeps only their own retain_jobs (3) of them" \
	"$(as "$USER_A" ls "$MNT/jobs" | grep -c '^[0-9]')" 3
tap_is "B's done job is still there after the flood" \
	"$(as "$USER_B" cat "$MNT/jobs/$b/stdout")" "hello, world"

tap_is "/.usage: A's kept jobs" "$(usage_of "$USER_A" KEPT)" 3
tap_is "/.usage: A's rejected jobs" "$(usage_of "$USER_A" REJECTED)" 3
tap_is "/.usage: B's kept jobs" "$(usage_of "$USER_B" KEPT)" 1
tap_check "/.usage: B's output bytes" test "$(usage_of "$USER_B" OUTPUT_BYTES)" -gt 0
tap_is "/.usage is root's, 0400" "$(stat -c '%U %a' "$MNT/.usage")" "root 400"
out=$(as "$USER_A" cat "$MNT/.usage" 2>&1)
tap_like "/.usage does not exist for A" "$out" "No such file"
tap_is "nor is it listed" "$(ls -A "$MNT" | tr '\n' ' ')" "jobs submit "
out=$("$ZVM" ls --all --mount "$MNT")
tap_like "zvm ls --all (root) shows B's job with its owner" "$out" "^$b +$USER_B +done"
tap_like "and the usage" "$out" "$USER_A +[0-9]+ +3 "
tap_is "zvm ls (root, no --all) shows root's own jobs: none" \
	"$("$ZVM" ls --mount "$MNT" | tail -n +2)" ""

# The whole store keeps 3 ended jobs: at the next pass (the restart's) the user who holds the
# most (A, 3 against B's 1) gives up their oldest; B's job stays.
mount_stop
mount_start
tap_is "after the restart's retention pass, B's job is still there" \
	"$(as "$USER_B" cat "$MNT/jobs/$b/stdout")" "hello, world"
tap_is "and A keeps 2" "$(as "$USER_A" ls "$MNT/jobs" | grep -c '^[0-9]')" 2
check_daemon_log
tap_done
