#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Data roots on a shared mount (docs/spec.md §2, §5): a data: channel is read with the submitting
# user's own permissions. Two users, root and nobody: nobody's job naming a root-only file is
# refused at submission (cp fails, the rejected job says why) while root's identical job reads
# it; nobody reads a world-readable file; nothing is copied into the job's directory; access
# is checked again when the job runs, also after a restart (the owner's identity is made
# again from the job's uid and gid).
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || mount_skip "needs root to submit as another user"
id nobody >/dev/null 2>&1 || mount_skip "no user nobody"
command -v setpriv >/dev/null || mount_skip "setpriv is not installed"
COPY_NEXE=$ZVM_IMAGES/copy.nexe
[ -f "$COPY_NEXE" ] || mount_skip "$COPY_NEXE is not built"

mount_setup "jobs = 1"
DATA=$WORK/data
mkdir -p "$DATA"
printf 'root only\n' >"$DATA/secret.txt"
chmod 0600 "$DATA/secret.txt"
printf 'for everyone\n' >"$DATA/public.txt"
printf 'readable for now\n' >"$DATA/later.txt"
chmod 0644 "$DATA/public.txt" "$DATA/later.txt"
{
	echo "[data]"
	echo "logs = $DATA"
} >>"$CONFIG"
mount_start
make_ticker long 100000 200000000

# data_bundle NAME URI: copy.nexe copies URI (as /dev/input) to out/copy.bin.
data_bundle() {
	manifest_head copy.nexe >"$WORK/src/$1.manifest"
	cat >>"$WORK/src/$1.manifest" <<EOF
Channel = $2,/dev/input,0,0,1024,1048576,0,0
Channel = out/copy.bin,/dev/output,0,0,0,0,1024,1048576
EOF
	"$MAKE_BUNDLE" "$WORK/$1.tar" "manifest=$WORK/src/$1.manifest" "copy.nexe=$COPY_NEXE"
	chmod 0644 "$WORK/$1.tar"
}
data_bundle secret data:logs/secret.txt
data_bundle public data:logs/public.txt
data_bundle later data:logs/later.txt

as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- "$@"
}

out=$(as_nobody cp "$WORK/secret.tar" "$MNT/submit/secret.tar" 2>&1)
tap_check "nobody's job naming a root-only file is refused: cp fails" test $? -ne 0
tap_like "with EACCES" "$out" "Permission denied"
refused=$(as_nobody readlink "$MNT/jobs/last")
tap_is "the rejected job is nobody's ($refused)" "$(status_of "$refused" state)" rejected
tap_is "its reason names the channel, the file and the cause" "$(status_of "$refused" reason)" \
	"/dev/input: data:logs/secret.txt: Permission denied"

root_job=$(submit "$WORK/secret.tar")
tap_check "root's identical job is accepted ($root_job)" test -n "$root_job"
wait_job "$root_job" >/dev/null
tap_is "and done" "$(status_of "$root_job" state)" done
tap_is "it read the root-only file" "$(cat "$MNT/jobs/$root_job/out/copy.bin")" "root only"

public=$(as_nobody bash -c "cp '$WORK/public.tar' '$MNT/submit/public.tar' && readlink '$MNT/jobs/last'")
tap_check "nobody's job reading a world-readable file is accepted ($public)" test -n "$public"
wait_job "$public" >/dev/null
tap_is "and done" "$(status_of "$public" state)" done
tap_is "nobody reads its output: the file's bytes" \
	"$(as_nobody cat "$MNT/jobs/$public/out/copy.bin")" "for everyone"
tap_is "the job's bundle holds the manifest and the program only" \
	"$(ls -A "$STATE/jobs/$public/bundle" | tr '\n' ' ')" "copy.nexe manifest "
tap_check "no copy of the data anywhere in the job's directory" \
	bash -c "! grep -rq 'for everyone' '$STATE/jobs/$public' --exclude-dir=out"

# Checked again at run time, and after a restart: the ticker holds the only worker while
# nobody's jobs wait; one file becomes root-only meanwhile.
long=$(submit "$WORK/long.tar")
wait_state "$long" running 120
tap_is "a long job holds the only worker" "$(status_of "$long" state)" running
queued_public=$(as_nobody bash -c "cp '$WORK/public.tar' '$MNT/submit/p2.tar' && readlink '$MNT/jobs/last'")
queued_later=$(as_nobody bash -c "cp '$WORK/later.tar' '$MNT/submit/later.tar' && readlink '$MNT/jobs/last'")
tap_is "nobody's jobs wait ($queued_public, $queued_later)" \
	"$(status_of "$queued_public" state) $(status_of "$queued_later" state)" "queued queued"
chmod 0600 "$DATA/later.txt"

mount_stop
tap_is "clean unmount with jobs queued" "$STOP_STATUS" 0
out=$("$ZVMFS" -f --config "$CONFIG" --data "logs=$WORK/nonexistent" "$MNT" 2>&1)
tap_is "zvmfs --data with a missing directory does not start" "$?" 1
tap_like "it names the root and the directory" "$out" \
	"data root 'logs': $WORK/nonexistent: No such file or directory"
# The same root again, from the command line this time (it replaces the config's).
mount_start -o "data=logs=$DATA"
wait_state "$long" running 120
echo kill >"$MNT/jobs/$long/ctl"
wait_job "$queued_later" >/dev/null
tap_is "after the restart, nobody's readable file is still read" \
	"$(status_of "$queued_public" state) $(cat "$MNT/jobs/$queued_public/out/copy.bin")" \
	"done for everyone"
tap_is "the file made root-only since submission fails the job" \
	"$(status_of "$queued_later" state)" failed
tap_is "its exit state names the channel, the file and the cause" \
	"$(status_of "$queued_later" exit_state)" \
	"/dev/input: data:logs/later.txt: Permission denied"
tap_is "the report's last line too" "$(tail -n 1 "$MNT/jobs/$queued_later/report")" \
	"/dev/input: data:logs/later.txt: Permission denied"

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
