#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Every tool a person submits with, through a real mount: each exits 0 for an accepted bundle
# and makes exactly one job, exits non-zero for a refused one and makes exactly one rejected
# job; what it does to the name after the close (chmod, utimens, touch, stat) succeeds and
# submits nothing more. Two processes writing one redirection submit once, whole.
. "$(dirname "$0")/../mount/lib.sh"

mount_setup
mount_start

echo "not a tar" >"$WORK/bad.tar"
job_count() { find "$MNT/jobs" -mindepth 1 -maxdepth 1 -name '[0-9]*' | wc -l; }

# try TOOL NAME EXPECTED-STATE COMMAND...: runs COMMAND (which writes submit/NAME), checks its
# exit status and that exactly one job came of it, named NAME, in the expected state.
try() {
	local tool=$1 name=$2 expected=$3
	shift 3
	local before after out rc id
	before=$(job_count)
	out=$("$@" 2>&1)
	rc=$?
	after=$(job_count)
	id=$(readlink "$MNT/jobs/last")
	if [ "$expected" = rejected ]; then
		tap_like "$tool of a refused bundle exits non-zero" "$rc" '^[1-9][0-9]*$'
	else
		tap_is "$tool exits 0 ($out)" "$rc" 0
	fi
	tap_is "$tool makes exactly one job" "$((after - before))" 1
	tap_is "$tool's job is named $name" "$(status_of "$id" name)" "$name"
	if [ "$expected" = rejected ]; then
		tap_is "$tool's job is rejected" "$(status_of "$id" state)" rejected
	else
		tap_like "$tool's job is accepted" "$(status_of "$id" state)" \
			'^(queued|compiling|running|done)$'
	fi
}

cp "$HELLO" "$WORK/src/hello.tar"
chmod 0644 "$WORK/src/hello.tar"

try "install -m 644" a.tar accepted install -m 644 "$HELLO" "$MNT/submit/a.tar"
tap_is "the name stays in submit/ as a record" "$(ls "$MNT/submit")" "a.tar"
tap_is "the record has the mode install set" "$(stat -c %a "$MNT/submit/a.tar")" 644
tap_is "the record's xattr names its job" \
	"$(getfattr --absolute-names --only-values -n user.zvm.job "$MNT/submit/a.tar" 2>&1)" \
	"$(readlink "$MNT/jobs/last")"
tap_check "reading the record gives the job's bundle" cmp "$HELLO" "$MNT/submit/a.tar"
try "cp -a" b.tar accepted cp -a "$WORK/src/hello.tar" "$MNT/submit/b.tar"
try "cp -p" c.tar accepted cp -p "$WORK/src/hello.tar" "$MNT/submit/c.tar"
try "rsync -a" d.tar accepted rsync -a "$WORK/src/hello.tar" "$MNT/submit/d.tar"
try "rsync -a --inplace" e.tar accepted rsync -a --inplace "$WORK/src/hello.tar" "$MNT/submit/e.tar"
mkdir -p /dev/shm/zvm-tools.$$
cp "$HELLO" /dev/shm/zvm-tools.$$/f.tar
try "mv from another filesystem" f.tar accepted mv /dev/shm/zvm-tools.$$/f.tar "$MNT/submit/f.tar"
rm -rf /dev/shm/zvm-tools.$$
try "gio copy" g.tar accepted gio copy "$WORK/src/hello.tar" "$MNT/submit/g.tar"
try "gio copy -p" h.tar accepted gio copy -p "$WORK/src/hello.tar" "$MNT/submit/h.tar"
try "cp && touch" i.tar accepted sh -c "cp '$HELLO' '$MNT/submit/i.tar' && touch '$MNT/submit/i.tar'"
try "cp && chmod && touch -d" j.tar accepted sh -c \
	"cp '$HELLO' '$MNT/submit/j.tar' && chmod 600 '$MNT/submit/j.tar' && touch -d @1 '$MNT/submit/j.tar'"
tap_is "utimens on a record took" "$(stat -c %Y "$MNT/submit/j.tar")" 1

# Two processes write one redirection: one job, of the whole bundle, at the last close.
size=$(stat -c %s "$HELLO")
half=$((size / 2))
try "{ head; tail; } > submit/" k.tar accepted sh -c \
	"{ head -c $half '$HELLO'; tail -c +$((half + 1)) '$HELLO'; } >'$MNT/submit/k.tar'"
k=$(readlink "$MNT/jobs/last")
tap_is "the redirection's job ran the whole bundle" "$(cat "$MNT/jobs/$k/wait" >/dev/null; cat "$MNT/jobs/$k/stdout")" \
	"hello, world"

# Writing a record again with cp (O_TRUNC) is a new submission; appending to one is refused.
try "cp over a record" a.tar accepted cp "$HELLO" "$MNT/submit/a.tar"
before=$(job_count)
out=$(bash -c "echo x >>'$MNT/submit/a.tar'" 2>&1)
tap_like "appending to a record fails" "$out" "Operation not permitted"
tap_is "and makes no job" "$(job_count)" "$before"

# Refused bundles: non-zero exit, exactly one rejected job, for each tool.
try "install (refused)" r1.tar rejected install -m 644 "$WORK/bad.tar" "$MNT/submit/r1.tar"
try "cp -a (refused)" r2.tar rejected cp -a "$WORK/bad.tar" "$MNT/submit/r2.tar"
try "rsync -a (refused)" r3.tar rejected rsync -a "$WORK/bad.tar" "$MNT/submit/r3.tar"
try "rsync --inplace (refused)" r4.tar rejected rsync -a --inplace "$WORK/bad.tar" "$MNT/submit/r4.tar"
try "gio copy (refused)" r5.tar rejected gio copy "$WORK/bad.tar" "$MNT/submit/r5.tar"
before=$(job_count)
touch "$MNT/submit/r5.tar"
tap_is "touch on a refused record exits 0" "$?" 0
tap_is "and submits nothing again" "$(job_count)" "$before"

# At a glance: jobs/index.txt has a line per job with its state, exit, name and reason.
r5=$(readlink "$MNT/jobs/last")
index=$(cat "$MNT/jobs/index.txt")
tap_like "index.txt has a header" "$(echo "$index" | head -1)" '^ID +STATE +EXIT +NAME  REASON$'
tap_like "index.txt shows a refused bundle, its name and why" \
	"$(echo "$index" | grep "^$r5 ")" "^$r5 +rejected +- +r5.tar  bundle: not a tar archive"
tap_like "index.txt shows a done job's name and exit code" \
	"$(echo "$index" | grep "^$k ")" "^$k +done +0 +k.tar$"
tap_is "index.txt has one line per job" "$(($(echo "$index" | wc -l) - 1))" "$(job_count)"
tap_is "its size is true" "$(stat -c %s "$MNT/jobs/index.txt")" "$(cat "$MNT/jobs/index.txt" | wc -c)"
tap_is "a rejected job's folder names why" \
	"$(ls "$MNT/jobs/$r5" | grep '^REJECTED')" "REJECTED - bundle: not a tar archive (Unrecognized archive format)"
tap_like "and that file says it" "$(cat "$MNT/jobs/$r5/REJECTED - "*)" '^bundle: not a tar archive'
tap_check "a done job's folder has no such name" bash -c "! ls '$MNT/jobs/$k' | grep -q ' - '"
tap_check "index.txt cannot be removed" bash -c "! rm -f '$MNT/jobs/index.txt' 2>/dev/null"

# Records leave: rm removes one at once (and never touches its job).
id=$(getfattr --absolute-names --only-values -n user.zvm.job "$MNT/submit/b.tar")
rm "$MNT/submit/b.tar"
tap_is "rm of a record exits 0" "$?" 0
tap_is "the record is gone" "$(ls "$MNT/submit" | grep -c '^b.tar$')" 0
tap_like "its job stays" "$(status_of "$id" state)" '^(queued|compiling|running|done)$'

# Generic readers of a running job return at once; only a reader that asked (wait by name)
# waits. The job spins until the test kills it, so it runs through every reader below.
manifest_head spin.nexe 600 >"$WORK/src/spin.manifest"
"$MAKE_BUNDLE" "$WORK/spin.tar" "manifest=$WORK/src/spin.manifest" \
	"spin.nexe=$ZVM_MOUNT_PROGRAMS/spin.nexe"
spin=$(submit "$WORK/spin.tar")
wait_state "$spin" running 60
tap_is "the spinning job runs" "$(status_of "$spin" state)" running
J=$MNT/jobs/$spin
timeout 60 cat "$J/wait" >"$WORK/waited" &
waiter=$!
tap_check "ls of a running job does not list wait" bash -c "! ls -A '$J' | grep -qx wait"
tap_check "but wait is there by name" test -e "$J/wait"
tap_check "cp -r of a running job returns" timeout 60 cp -r "$J" "$WORK/copy"
tap_is "and copied a snapshot of it" "$(sed -n 's/^state //p' "$WORK/copy/status")" running
tap_check "tar c of a running job returns" timeout 60 tar -cf "$WORK/copy.tar" -C "$MNT/jobs" "$spin"
tap_check "grep -r over the mount returns" timeout 60 grep -rq "^state running" "$MNT/jobs"
tap_check "find | xargs cat returns" timeout 60 sh -c "find '$MNT' -type f -print0 | xargs -0 cat >/dev/null"
out=$(/usr/bin/python3 - "$J/wait" <<'PY'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
try:
    os.read(fd, 4096)
    print("read")
except OSError as e:
    print(errno.errorcode[e.errno])
PY
)
tap_is "an O_NONBLOCK read of wait gives EAGAIN" "$out" EAGAIN
tap_check "the reader of wait by name still waits" kill -0 "$waiter"
tap_is "it has read nothing yet" "$(cat "$WORK/waited")" ""
echo kill >"$J/ctl"
wait "$waiter"
tap_is "it returns when the job ends" "$?" 0
tap_like "with the status" "$(cat "$WORK/waited")" $'state killed'
tap_is "a killed job's folder says so" "$(ls "$J" | grep '^KILLED')" "KILLED - killed"
tap_like "index.txt shows the killed job with no exit code" \
	"$(grep "^$spin " "$MNT/jobs/index.txt")" "^$spin +killed +killed +spin.tar"

# Removal behaves as on any filesystem.
id=$(submit "$HELLO" rm.tar)
wait_job "$id" >/dev/null
tap_check "the ended job's stdout has bytes on disk" test -s "$STATE/jobs/$id/out/stdout"
rm "$MNT/jobs/$id/stdout"
tap_is "rm of an ended job's file exits 0" "$?" 0
tap_check "the file is gone from the job" test ! -e "$MNT/jobs/$id/stdout"
tap_check "and not listed" bash -c "! ls '$MNT/jobs/$id' | grep -qx stdout"
tap_check "its bytes are freed" test ! -e "$STATE/jobs/$id/out/stdout"
out=$(rmdir "$MNT/jobs/$id" 2>&1)
tap_like "rmdir of a non-empty job fails with ENOTEMPTY" "$out" "Directory not empty"
tap_is "the job stays" "$(status_of "$id" state)" done
other=$(submit "$HELLO" rm2.tar)
wait_job "$other" >/dev/null
rmdir "$MNT"/jobs/[0-9]* 2>/dev/null
tap_is "rmdir jobs/* removes no job" "$(status_of "$other" state):$(status_of "$id" state)" "done:done"
rm -r "$MNT/jobs/$id"
tap_is "rm -r of a job exits 0" "$?" 0
tap_check "and the job is gone" test ! -e "$MNT/jobs/$id"
tap_check "with its state directory" test ! -e "$STATE/jobs/$id"
running=$(submit "$WORK/spin.tar" spin2.tar)
wait_state "$running" running 60
tap_is "a second spinning job runs" "$(status_of "$running" state)" running
rm -r "$MNT/jobs/$running"
tap_is "rm -r of a running job exits 0" "$?" 0
tap_check "and the job is gone" test ! -e "$MNT/jobs/$running"
rm "$MNT/jobs/$other/status"
tap_is "rm of status exits 0" "$?" 0
mount_stop
mount_start
tap_check "a removed file stays removed after a restart" test ! -e "$MNT/jobs/$other/status"
tap_is "the other files stay" "$(ls "$MNT/jobs/$other" | tr '\n' ' ')" \
	"accounting ctl manifest report stderr stdout "

check_daemon_log
mount_stop
tap_is "zvmfs exits 0" "$STOP_STATUS" 0
tap_done
