#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Looking at jobs the way people and tools do: ls -l, stat, df, tar and cp -r of a job
# directory, gio list / info, xattrs, the per-user `last` link, negative lookups, rm -r.
. "$(dirname "$0")/lib.sh"

mount_setup
mount_start
make_ticker tick3 3 1000

hello=$(submit "$HELLO")
tick=$(submit "$WORK/tick3.tar")
wait_job "$hello" >/dev/null
wait_job "$tick" >/dev/null
J=$MNT/jobs/$tick

tap_is "ls of the ended job lists its files" "$(ls "$J" | tr '\n' ' ')" \
	"accounting ctl manifest out report status stderr stdout "
tap_is "outputs in a subdirectory are a directory" "$(ls "$J/out")" "result.txt"
tap_is "the output's content" "$(cat "$J/out/result.txt")" "ticks 3"
tap_is "stdout of the ticker" "$(cat "$J/stdout" | tr '\n' ' ')" "tick 1 tick 2 tick 3 "
tap_is "stat size equals the bytes read" "$(stat -c %s "$J/stdout")" "$(cat "$J/stdout" | wc -c)"
tap_is "the report has six lines" "$(wc -l <"$J/report")" 6
tap_is "report size is true" "$(stat -c %s "$J/report")" "$(cat "$J/report" | wc -c)"
tap_like "accounting has ten fields" "$(cat "$J/accounting")" '^([^ ]+ ){9}[^ ]+$'
tap_is "job directory mode and owner" "$(stat -c '%a %U' "$J")" "700 root"
tap_is "file modes: status, ctl, wait" \
	"$(stat -c '%a' "$J/status" "$J/ctl" "$J/wait" | tr '\n' ' ')" "444 600 444 "
tap_is "wait and ctl have size 0" "$(stat -c '%s' "$J/wait" "$J/ctl" | tr '\n' ' ')" "0 0 "
tap_like "ls -l shows sizes and times" "$(ls -l "$J/stdout")" '^-r--r--r-- 1 root root 21 '
mt_sub=$(date -d "$(status_of "$tick" submitted)" +%s)
tap_check "manifest mtime is the submission time" test "$(stat -c %Y "$J/manifest")" -eq "$mt_sub"
tap_check "inode numbers are stable and distinct" test \
	"$(stat -c %i "$J/stdout")" = "$(stat -c %i "$J/stdout")" -a \
	"$(stat -c %i "$J/stdout")" != "$(stat -c %i "$J/stderr")"
tap_is "jobs/last is the caller's newest job" "$(readlink "$MNT/jobs/last")" "$tick"
tap_is "jobs/ lists ids, by-name, index.txt and last" "$(ls "$MNT/jobs" | tr '\n' ' ')" \
	"$hello $tick by-name index.txt last "
tap_check "a probe for .hidden is a plain ENOENT" test ! -e "$J/.hidden"
tap_check "and so is .Trash-0 at the top" test ! -e "$MNT/.Trash-0"

df_line=$(df -P "$MNT" | tail -1)
tap_like "df gives real numbers" "$df_line" '^zvmfs +[1-9][0-9]* +[0-9]+ +[1-9][0-9]* '

# xattrs: the state on the job directory, a MIME type on text files.
x=$(python3 - "$J" <<'PY'
import os, sys
j = sys.argv[1]
print(os.getxattr(j, "user.zvm.state").decode(),
      os.getxattr(j + "/stdout", "user.mime_type").decode(),
      ",".join(sorted(os.listxattr(j))))
PY
)
tap_is "xattrs user.zvm.state and user.mime_type" "$x" "done text/plain user.zvm.job,user.zvm.state"

# tar and cp -r of an ended job directory.
tar -C "$MNT/jobs" -cf "$WORK/job.tar" "$tick"
tap_is "tar of a job directory succeeds" "$?" 0
mkdir "$WORK/untar"
tar -C "$WORK/untar" -xf "$WORK/job.tar"
tap_check "the archived stdout equals the job's" cmp "$WORK/untar/$tick/stdout" "$J/stdout"
tap_check "the archived output in out/ too" cmp "$WORK/untar/$tick/out/result.txt" "$J/out/result.txt"
cp -r "$J" "$WORK/copy"
tap_is "cp -r of a job directory succeeds" "$?" 0
tap_check "with its report" cmp "$WORK/copy/report" "$J/report"
rsync -a "$J/" "$WORK/rsynced/"
tap_is "rsync -a from a job directory succeeds" "$?" 0

# GIO, as Nautilus sees it.
tap_like "gio list jobs/" "$(gio list "$MNT/jobs/" | tr '\n' ' ')" "$hello $tick"
info=$(gio info -a '*' "$J/stdout" 2>&1)
tap_like "gio info -a '*' on stdout: size" "$info" "standard::size: 21"
tap_like "gio info: it is text" "$info" "standard::content-type: text/plain"
tap_like "gio info -f: the filesystem has free space" "$(gio info -f "$MNT/jobs")" \
	"filesystem::free: [1-9]"
info=$(timeout 10 gio info -a '*' "$J/wait" 2>&1)
tap_like "gio info on wait returns, size 0" "$info" "standard::size: 0"
tap_is "gio info on every file of the job returns" \
	"$(for f in "$J"/*; do timeout 10 gio info -a '*' "$f" >/dev/null || echo "$f"; done)" ""

# rm -r: unlinking the files is a no-op, rmdir of the job deletes it.
rm -r "$MNT/jobs/$hello"
tap_is "rm -r jobs/ID succeeds" "$?" 0
tap_check "the job is gone" test ! -e "$MNT/jobs/$hello"
tap_check "its state directory too" test ! -e "$STATE/jobs/$hello"
tap_is "the other job stays" "$(ls "$MNT/jobs" | tr '\n' ' ')" "$tick by-name index.txt last "
rm -rf "$MNT/jobs/$tick"
tap_is "rm -rf of the last one leaves jobs/ empty" "$(ls -A "$MNT/jobs")" ""
tap_check "then there is no last link" test ! -L "$MNT/jobs/last"

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
