#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Another user's job does not exist for you (issue #13): every way of naming user A's jobs
# that user B has (stat, xattrs, open, wait, ctl, rmdir, unlink, index.txt, zvm status/wait/
# kill) answers exactly as for an id nobody ever had: ENOENT, "no such job"; never EACCES,
# which would tell the id is taken. A's job ending changes nothing B can see. Root sees all.
. "$(dirname "$0")/view-lib.sh"

view_setup
mount_start
make_ticker long 100000 200000000
chmod 0644 "$WORK"/*.tar
zvm_as() {
	local user=$1 command=$2
	shift 2
	as "$user" timeout 60 "$ZVM" "$command" --mount "$MNT" "$@"
}

as "$USER_A" cp "$HELLO" "$MNT/submit/a.tar"
done_a=$(as "$USER_A" readlink "$MNT/jobs/last")
wait_job "$done_a" >/dev/null
as "$USER_A" cp "$WORK/long.tar" "$MNT/submit/long.tar"
long_a=$(as "$USER_A" readlink "$MNT/jobs/last")
wait_state "$long_a" running 120
tap_is "A's long job runs" "$(status_of "$long_a" state)" running
as "$USER_B" cp "$HELLO" "$MNT/submit/b.tar"
done_b=$(as "$USER_B" readlink "$MNT/jobs/last")
wait_job "$done_b" >/dev/null
never=999999

# probe ID: what B gets for each way of naming job ID, one errno name per way.
probe() {
	as "$USER_B" /usr/bin/python3 - "$MNT/jobs/$1" <<'PY'
import errno, os, sys
job = sys.argv[1]
def attempt(f):
    try:
        f()
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
out = [
    attempt(lambda: os.stat(job)),
    attempt(lambda: os.lstat(job + "/status")),
    attempt(lambda: os.getxattr(job, "user.zvm.state")),
    attempt(lambda: os.listxattr(job)),
    attempt(lambda: os.getxattr(job + "/stdout", "user.mime_type")),
    attempt(lambda: os.close(os.open(job + "/status", os.O_RDONLY))),
    attempt(lambda: os.close(os.open(job + "/stdout", os.O_RDONLY))),
    attempt(lambda: os.close(os.open(job + "/wait", os.O_RDONLY | os.O_NONBLOCK))),
    attempt(lambda: os.write(os.open(job + "/ctl", os.O_WRONLY), b"kill\n")),
    attempt(lambda: os.listdir(job)),
    attempt(lambda: os.unlink(job + "/stdout")),
    attempt(lambda: os.rmdir(job)),
    attempt(lambda: os.truncate(job + "/ctl", 0)),
]
print(" ".join(out))
PY
}
# look: root and A walk to A's jobs just before B tries (the kernel's name cache is shared by
# all users: what they looked up must not be there for B).
look() {
	ls -l "$MNT/jobs" >/dev/null
	stat "$MNT/jobs/$1" "$MNT/jobs/$1/status" "$MNT/jobs/$1/ctl" >/dev/null 2>&1
	as "$USER_A" stat "$MNT/jobs/$1" "$MNT/jobs/$1/stdout" >/dev/null 2>&1
}
expected="ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT ENOENT"
tap_is "B on an id nobody had: ENOENT every way" "$(look "$never"; probe "$never")" "$expected"
tap_is "B on A's ended job: the same, every way" "$(look "$done_a"; probe "$done_a")" "$expected"
tap_is "B on A's running job: the same, every way" "$(look "$long_a"; probe "$long_a")" "$expected"
tap_is "A's running job still runs after B's kill and rmdir" "$(status_of "$long_a" state)" running

for command in status wait kill; do
	out=$(zvm_as "$USER_B" "$command" "$long_a" 2>&1)
	rc=$?
	tap_is "zvm $command of A's job as B: 'no such job', exit 1" "$rc:$out" \
		"1:zvm $command: job $long_a: no such job"
	out=$(zvm_as "$USER_B" "$command" "$never" 2>&1)
	tap_is "word for word what an unknown id gets" "$?:$out" "1:zvm $command: job $never: no such job"
done
tap_is "A's job still runs" "$(status_of "$long_a" state)" running

tap_is "B's jobs/ lists B's job only" "$(as "$USER_B" ls "$MNT/jobs" | tr '\n' ' ')" \
	"$done_b by-name index.txt last "
tap_check "B's index.txt has no line of A's" bash -c \
	'! grep -E "^($1|$2) " <(setpriv --reuid="$3" --regid="$(id -g "$3")" --clear-groups -- cat "$4")' \
	_ "$done_a" "$long_a" "$USER_B" "$MNT/jobs/index.txt"

# The end of A's job: nothing B can stat or list changes.
view_of_b() {
	as "$USER_B" stat -c '%s %h %Y %Z %i %a' "$MNT/jobs" "$MNT/submit"
	as "$USER_B" ls -a "$MNT/jobs"
	as "$USER_B" cat "$MNT/jobs/index.txt"
	as "$USER_B" ls -la "$MNT/jobs/$done_b"
}
before=$(view_of_b)
zvm_as "$USER_A" kill "$long_a"
tap_is "A kills its own job" "$?" 0
wait_job "$long_a" >/dev/null
tap_is "it ended killed" "$(status_of "$long_a" state)" killed
tap_is "B's view of jobs/ is the same before and after A's job ended" "$(view_of_b)" "$before"

# Root sees every job.
tap_is "root stats A's job" "$(stat -c %U "$MNT/jobs/$done_a")" "$USER_A"
tap_is "root reads its xattr" "$(getfattr --only-values -n user.zvm.state "$MNT/jobs/$done_a")" done
out=$("$ZVM" status --mount "$MNT" "$done_a")
tap_like "zvm status as root shows it" "$out" "state done"
tap_like "root lists A's and B's jobs" "$(ls "$MNT/jobs" | tr '\n' ' ')" "$done_a .*$done_b "

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
