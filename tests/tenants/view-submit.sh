#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# submit/ is a namespace per user (issue #13): while user A uploads submit/job.tar, user B
# neither sees it (readdir, stat, xattr, open) nor is kept from uploading submit/job.tar
# himself; both uploads become jobs of their own owners, named job.tar, and each user's
# record of the name points to their own job. Root's submit/ is its own too.
. "$(dirname "$0")/view-lib.sh"

view_setup
mount_start
chmod 0644 "$HELLO" 2>/dev/null
SYNC=$WORK/sync
mkdir "$SYNC" && chmod 0777 "$SYNC"
mkfifo "$SYNC/ready" "$SYNC/go" && chmod 0666 "$SYNC/ready" "$SYNC/go"

# A writes half of the bundle, says so on `ready`, waits for `go`, writes the rest and closes
# (which submits); prints its job's id.
as "$USER_A" /usr/bin/python3 - "$MNT/submit/job.tar" "$HELLO" "$SYNC/ready" "$SYNC/go" \
	>"$WORK/a.out" 2>&1 <<'PY' &
import os, sys
path, tar, ready, go = sys.argv[1:5]
data = open(tar, "rb").read()
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, data[: len(data) // 2])
with open(ready, "w") as f:
    f.write("%d\n" % (len(data) // 2))
with open(go) as f:
    f.read()
os.write(fd, data[len(data) // 2 :])
os.close(fd)
print(os.getxattr(path, "user.zvm.job").decode())
PY
uploader=$!
read -r half <"$SYNC/ready"
tap_is "A's half-written job.tar is A's to see" "$(as "$USER_A" stat -c %s "$MNT/submit/job.tar")" "$half"
tap_is "B's submit/ does not list it" "$(as "$USER_B" ls -A "$MNT/submit")" ""
tap_is "B's stat, xattr, open and unlink of it: ENOENT" \
	"$(py_as "$USER_B" 'os.stat(sys.argv[1])' "$MNT/submit/job.tar") $(py_as "$USER_B" 'os.listxattr(sys.argv[1])' "$MNT/submit/job.tar") $(py_as "$USER_B" 'open(sys.argv[1], "rb")' "$MNT/submit/job.tar") $(py_as "$USER_B" 'os.unlink(sys.argv[1])' "$MNT/submit/job.tar")" \
	"ENOENT ENOENT ENOENT ENOENT"
tap_is "nor does root's" "$(py_as root 'os.stat(sys.argv[1])' "$MNT/submit/job.tar")" ENOENT

as "$USER_B" cp "$HELLO" "$MNT/submit/job.tar"
tap_is "B uploads job.tar meanwhile: it submits" "$?" 0
job_b=$(as "$USER_B" getfattr --only-values -n user.zvm.job "$MNT/submit/job.tar")
tap_like "B's record names B's job" "$job_b" '^[0-9]+$'
tap_is "A's upload is untouched" "$(as "$USER_A" stat -c %s "$MNT/submit/job.tar")" "$half"

echo go >"$SYNC/go"
wait "$uploader"
tap_is "A's upload then submits too" "$?" 0
job_a=$(cat "$WORK/a.out")
tap_like "as its own job" "$job_a" '^[0-9]+$'
tap_check "two jobs ($job_a, $job_b)" test "$job_a" != "$job_b"
wait_job "$job_a" >/dev/null
wait_job "$job_b" >/dev/null
tap_is "A's job: A's, named job.tar, done" \
	"$(status_of "$job_a" owner) $(status_of "$job_a" name) $(status_of "$job_a" state)" \
	"$USER_A job.tar done"
tap_is "B's job: B's, named job.tar, done" \
	"$(status_of "$job_b" owner) $(status_of "$job_b" name) $(status_of "$job_b" state)" \
	"$USER_B job.tar done"
tap_is "each user's record of job.tar is their own job" \
	"$(as "$USER_A" getfattr --only-values -n user.zvm.job "$MNT/submit/job.tar") $(as "$USER_B" getfattr --only-values -n user.zvm.job "$MNT/submit/job.tar")" \
	"$job_a $job_b"

# Staging names (never submitted while they start with '.'): the same name for both, each
# with its own bytes; invisible to the other and to root.
as "$USER_A" bash -c "printf 'from A' >'$MNT/submit/.part'"
as "$USER_B" bash -c "printf 'from B, longer' >'$MNT/submit/.part'"
tap_is "A reads its own .part" "$(as "$USER_A" cat "$MNT/submit/.part")" "from A"
tap_is "B reads its own .part" "$(as "$USER_B" cat "$MNT/submit/.part")" "from B, longer"
tap_is "A's listing shows its entries only" "$(as "$USER_A" ls -A "$MNT/submit" | tr '\n' ' ')" \
	".part job.tar "
tap_is "root's submit/ is empty" "$(ls -A "$MNT/submit")" ""
as "$USER_B" rm "$MNT/submit/.part"
tap_is "B's rm removes B's .part" "$(py_as "$USER_B" 'os.stat(sys.argv[1])' "$MNT/submit/.part")" ENOENT
tap_is "A's stays" "$(as "$USER_A" cat "$MNT/submit/.part")" "from A"
as "$USER_A" rm "$MNT/submit/.part"

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
