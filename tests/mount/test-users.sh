#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Two users on one mount (allow_other, default_permissions): each owns their jobs, cannot
# read, kill or remove the other's, sees only their own in jobs/ and submit/ and their own
# jobs/last; root sees everything; modules run as the sandbox user, never the submitter.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || mount_skip "needs root to create users"
command -v useradd >/dev/null || mount_skip "useradd is not installed"
USER_A=zvmtest-a$$
USER_B=zvmtest-b$$
remove_users() {
	userdel "$USER_A" 2>/dev/null
	userdel "$USER_B" 2>/dev/null
}
MOUNT_CLEANUP_HOOK=remove_users
mount_setup
useradd -M -N -s /usr/sbin/nologin "$USER_A" || mount_skip "useradd failed"
useradd -M -N -s /usr/sbin/nologin "$USER_B" || mount_skip "useradd failed"
mount_start
make_ticker long 100000 200000000
chmod 0644 "$WORK"/*.tar

as() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- "$@"
}

as "$USER_A" cp "$HELLO" "$MNT/submit/a.tar"
tap_is "user A submits" "$?" 0
a=$(as "$USER_A" readlink "$MNT/jobs/last")
as "$USER_B" cp "$HELLO" "$MNT/submit/b.tar"
b=$(as "$USER_B" readlink "$MNT/jobs/last")
tap_check "each user's jobs/last is their own job ($a, $b)" test -n "$a" -a -n "$b" -a "$a" != "$b"
wait_job "$a" >/dev/null
wait_job "$b" >/dev/null

tap_is "A's job is owned by A" "$(stat -c '%U %a' "$MNT/jobs/$a")" "$USER_A 700"
tap_is "its files too" "$(stat -c '%U' "$MNT/jobs/$a/stdout")" "$USER_A"
tap_is "A reads its stdout" "$(as "$USER_A" cat "$MNT/jobs/$a/stdout")" "hello, world"
tap_is "A lists only its job" "$(as "$USER_A" ls "$MNT/jobs" | tr '\n' ' ')" "$a by-name index.txt last "
tap_is "B lists only its job" "$(as "$USER_B" ls "$MNT/jobs" | tr '\n' ' ')" "$b by-name index.txt last "
tap_is "root lists both (root has no job, so no last)" "$(ls "$MNT/jobs" | tr '\n' ' ')" "$a $b "
out=$(as "$USER_B" cat "$MNT/jobs/$a/stdout" 2>&1)
tap_like "B cannot read A's stdout: it does not exist for B" "$out" "No such file or directory"
out=$(as "$USER_B" cat "$MNT/jobs/$a/status" 2>&1)
tap_like "nor its status" "$out" "No such file or directory"
tap_is "root reads A's stdout" "$(cat "$MNT/jobs/$a/stdout")" "hello, world"

long=$(as "$USER_A" bash -c "cp '$WORK/long.tar' '$MNT/submit/long.tar' && readlink '$MNT/jobs/last'")
wait_state "$long" running 120
as "$USER_B" bash -c "echo kill > '$MNT/jobs/$long/ctl'" 2>/dev/null
tap_check "B cannot kill A's job" test $? -ne 0
tap_is "it still runs" "$(status_of "$long" state)" "running"
as "$USER_B" rm -rf "$MNT/jobs/$long" 2>/dev/null
tap_check "B cannot remove A's job" test -d "$MNT/jobs/$long"
as "$USER_B" rmdir "$MNT/jobs/$long" 2>/dev/null
tap_check "not even with rmdir" test -d "$MNT/jobs/$long"

descendants() {
	local pid child
	for pid in "$@"; do
		for child in $(pgrep -P "$pid"); do
			echo "$child"
			descendants "$child"
		done
	done
}
users=$(for pid in $(descendants "$DAEMON_PID"); do ps -o user= -p "$pid"; done | sort -u | tr '\n' ' ')
tap_like "A's module runs as the sandbox user" "$users" "nobody"
tap_check "never as A ($users)" test "${users/$USER_A/}" = "$users"

as "$USER_A" bash -c "echo kill > '$MNT/jobs/$long/ctl'"
tap_is "A kills its own job" "$?" 0
wait_job "$long" >/dev/null
tap_is "killed" "$(status_of "$long" state)" "killed"

# submit/: private staging, listed to its owner only.
as "$USER_A" bash -c "printf partial > '$MNT/submit/.a-staging'"
tap_is "A sees its staging entry" "$(as "$USER_A" ls -A "$MNT/submit" | grep '^\.')" ".a-staging"
tap_is "B does not" "$(as "$USER_B" ls -A "$MNT/submit" | grep '^\.')" ""
out=$(as "$USER_B" cat "$MNT/submit/.a-staging" 2>&1)
tap_like "B cannot read it: submit/ is a namespace per user" "$out" "No such file or directory"
as "$USER_B" rm -f "$MNT/submit/.a-staging" 2>/dev/null
tap_check "nor remove it (it is not in B's submit/)" as "$USER_A" test -e "$MNT/submit/.a-staging"
as "$USER_A" rm "$MNT/submit/.a-staging"
tap_is "A removes it" "$?" 0

# Records of a submission are their owner's: B sees none of A's and may submit the same name.
tap_is "A sees its record a.tar" "$(as "$USER_A" ls "$MNT/submit" | grep -x a.tar)" "a.tar"
tap_is "B does not see A's record" "$(as "$USER_B" ls "$MNT/submit" | grep -x a.tar)" ""
as "$USER_A" ls -l "$MNT/submit/a.tar" >/dev/null
as "$USER_B" cp "$HELLO" "$MNT/submit/a.tar"
tap_is "B submits under the name of A's record at once" "$?" 0
tap_is "the job is B's, named a.tar" \
	"$(status_of "$(as "$USER_B" readlink "$MNT/jobs/last")" owner):$(status_of "$(as "$USER_B" readlink "$MNT/jobs/last")" name)" \
	"$USER_B:a.tar"
wait_job "$(as "$USER_B" readlink "$MNT/jobs/last")" >/dev/null

as "$USER_A" rm -r "$MNT/jobs/$a"
tap_is "A removes its ended job with rm -r" "$?" 0
tap_check "gone" test ! -e "$MNT/jobs/$a"
rm -r "$MNT/jobs/$b"
tap_is "root removes B's job" "$?" 0

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
