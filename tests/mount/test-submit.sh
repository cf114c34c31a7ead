#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Submitting: cp, dd, rsync, gio copy and a script that learns its job id from the open
# descriptor; refusals visible in the writer's exit status and kept as `rejected` jobs; the
# archive bound; what submit/ and jobs/ refuse.
. "$(dirname "$0")/lib.sh"

mount_setup "[bundle]" "max_archive_bytes = 1048576"
mount_start

# cp: accepted, runs; the name stays in submit/ as a record of its job.
id=$(submit "$HELLO")
tap_like "cp hello.tar gives a job id" "$id" '^[0-9]+$'
tap_is "submit/ keeps the name as a record" "$(ls -A "$MNT/submit")" "hello.tar"
tap_is "the record's user.zvm.job names the job" \
	"$(getfattr --absolute-names --only-values -n user.zvm.job "$MNT/submit/hello.tar")" "$id"
status=$(wait_job "$id")
tap_is "wait returns the status of the ended job" \
	"$(echo "$status" | sed -n '2,3p' | tr '\n' ' ')" "state done exit_state ok "
tap_is "stdout holds what the program wrote" "$(cat "$MNT/jobs/$id/stdout")" "hello, world"
tap_is "the job is named after the file" "$(status_of "$id" name)" "hello.tar"
tap_is "the manifest is served as submitted" "$(cat "$MNT/jobs/$id/manifest")" \
	"$(tar -xOf "$HELLO" manifest)"

# A refused bundle fails close(): cp exits non-zero and the reason is kept.
echo "not a tar" >"$WORK/garbage.tar"
out=$(cp "$WORK/garbage.tar" "$MNT/submit/" 2>&1)
tap_is "cp of a non-tar fails" "$?" 1
tap_like "cp says close failed with EINVAL" "$out" "failed to close.*Invalid argument"
bad=$(readlink "$MNT/jobs/last")
tap_is "the refused bundle is a rejected job" "$(status_of "$bad" state)" "rejected"
tap_like "the rejected job keeps the reason" "$(status_of "$bad" reason)" "^bundle: "
tap_like "the rejected job has a report naming it" "$(tail -1 "$MNT/jobs/$bad/report")" "^bundle: "
tap_is "the refused name is a record of the rejected job" \
	"$(getfattr --absolute-names --only-values -n user.zvm.job "$MNT/submit/garbage.tar")" "$bad"

# A manifest over an operator maximum: refused with the manifest line.
sed 's/^Memory = .*/Memory = 68719476736,0/' <(tar -xOf "$HELLO" manifest) >"$WORK/src/big.manifest"
tar -xOf "$HELLO" hello.nexe >"$WORK/src/hello.nexe"
"$MAKE_BUNDLE" "$WORK/bigmem.tar" "manifest=$WORK/src/big.manifest" "hello.nexe=$WORK/src/hello.nexe"
out=$(dd if="$WORK/bigmem.tar" of="$MNT/submit/bigmem.tar" bs=64k 2>&1)
tap_is "dd of a bundle with too much memory fails" "$?" 1
tap_like "dd says closing failed" "$out" "closing output file.*Invalid argument"
bad=$(readlink "$MNT/jobs/last")
tap_like "the reason names the manifest line" "$(status_of "$bad" reason)" "^MANIFEST [0-9]+: "
tap_is "the rejected job keeps its manifest" "$(cat "$MNT/jobs/$bad/manifest")" \
	"$(cat "$WORK/src/big.manifest")"

# Over [bundle] max_archive_bytes (1 MiB here): the write past it fails with EFBIG.
out=$(head -c 2000000 /dev/zero | dd of="$MNT/submit/huge.tar" bs=64k 2>&1)
tap_is "writing past the archive bound fails" "$?" 1
tap_like "with File too large" "$out" "File too large"
tap_is "the truncated huge.tar was refused" "$(status_of "$(readlink "$MNT/jobs/last")" state)" \
	"rejected"

# A script learns its job id from the descriptor it wrote through: no race with others.
got=$(python3 - "$MNT/submit/script.tar" "$HELLO" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
with open(sys.argv[2], "rb") as f:
    os.write(fd, f.read())
os.fsync(fd)
print(os.getxattr("/proc/self/fd/%d" % fd, "user.zvm.job").decode())
os.close(fd)
PY
)
tap_like "fsync submits and user.zvm.job on the open fd names the job" "$got" '^[0-9]+$'
tap_is "that is the job named script.tar" "$(status_of "$got" name)" "script.tar"
tap_is "the shell idiom works too: exec 3>, cat >&3, sync, then the xattr" "$(
	exec 3>"$MNT/submit/shell.tar"
	cat "$HELLO" >&3
	sync "$MNT/submit/shell.tar"
	python3 -c 'import os; print(os.getxattr("/proc/self/fd/3", "user.zvm.job").decode())'
	exec 3>&-
)" "$(readlink "$MNT/jobs/last")"

# rsync writes .name.XXXXXX and renames it: the rename submits.
rsync "$HELLO" "$MNT/submit/rsync.tar"
tap_is "rsync into submit/ succeeds" "$?" 0
id=$(readlink "$MNT/jobs/last")
tap_is "rsync's job has the final name" "$(status_of "$id" name)" "rsync.tar"
wait_job "$id" >/dev/null
tap_is "and runs to done" "$(status_of "$id" state)" "done"
rsync "$WORK/garbage.tar" "$MNT/submit/rsync-bad.tar" 2>/dev/null
tap_is "rsync of a bad bundle fails (its rename does)" "$?" 23

# GIO (Nautilus's copy).
gio copy "$HELLO" "$MNT/submit/gio.tar"
tap_is "gio copy into submit/ succeeds" "$?" 0
id=$(readlink "$MNT/jobs/last")
tap_is "gio's job has the final name" "$(status_of "$id" name)" "gio.tar"
gio copy "$WORK/garbage.tar" "$MNT/submit/gio-bad.tar" 2>/dev/null
tap_check "gio copy of a bad bundle fails" test $? -ne 0

# Dot names are staging until renamed; unlink withdraws them.
printf 'partial' >"$MNT/submit/.staged"
tap_is "a dot name stays in submit/" "$(ls -A "$MNT/submit" | grep '^\.')" ".staged"
tap_is "its size is what was written" "$(stat -c %s "$MNT/submit/.staged")" 7
tap_is "its mode is private" "$(stat -c %a "$MNT/submit/.staged")" 600
rm "$MNT/submit/.staged"
tap_is "unlink withdraws it" "$(ls -A "$MNT/submit" | grep '^\.')" ""

cp "$HELLO" "$MNT/submit/.tmp-rename"
mv "$MNT/submit/.tmp-rename" "$MNT/submit/renamed.tar"
tap_is "renaming a dot name to a plain one submits" "$(status_of "$(readlink "$MNT/jobs/last")" name)" \
	"renamed.tar"

out=$(python3 - "$MNT" <<'PY'
import errno, os, sys
m = sys.argv[1]
def code(f):
    try:
        f()
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
open(m + "/submit/.x", "w").close()
print(code(lambda: os.rename(m + "/submit/.x", m + "/jobs/x")),
      code(lambda: os.mkdir(m + "/submit/dir")),
      code(lambda: os.mkdir(m + "/jobs/dir")),
      code(lambda: open(m + "/jobs/new", "w")),
      code(lambda: open(m + "/jobs/1/status", "w")),
      code(lambda: os.symlink("x", m + "/submit/link")))
os.unlink(m + "/submit/.x")
PY
)
tap_is "rename across directories EXDEV, mkdir EPERM/EACCES, writes in jobs/ EACCES" "$out" \
	"EXDEV EPERM EACCES EACCES EACCES EPERM"

# A newline in a submitted name must not forge a line of the gateway's log (issue #13).
forged=$'forged.tar\n** Message: job 999 (root): submitted as forged'
cp "$HELLO" "$MNT/submit/$forged"
tap_is "a name with a newline submits" "$?" 0
wait_job "$(readlink "$MNT/jobs/last")" >/dev/null
tap_check "the log holds no forged line" bash -c '! grep -q "^\*\* Message: job 999" "$1"' _ "$LOG"
tap_check "the log shows the name escaped" grep -qF 'forged.tar\n** Message: job 999' "$LOG"

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
