#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Jobs at a glance: jobs/by-name/ holds a symlink per job of the caller, named by its id,
# submitted name, state and exit ("7 job.tar done 0", "8 bad.tar rejected - <why>"), to
# ../ID. The names follow the job's end, resolve, stay per user (another user sees none of
# them), are bounded and escaped; cp -r, rsync -a, tar and find of jobs/ neither loop nor
# copy a job twice through them.
. "$(dirname "$0")/../tenants/lib.sh"

tenants_prepare zvmglance
mount_setup
tenants_users_add
mount_start

manifest_head spin.nexe 600 >"$WORK/src/spin.manifest"
"$MAKE_BUNDLE" "$WORK/spin.tar" "manifest=$WORK/src/spin.manifest" \
	"spin.nexe=$ZVM_MOUNT_PROGRAMS/spin.nexe"
echo "not a tar" >"$WORK/bad.tar"
cp "$HELLO" "$WORK/hello.tar"
chmod 0644 "$WORK"/*.tar
B=$MNT/jobs/by-name
# names USER: the by-name listing as USER sees it, one name a line.
names() { as "$1" ls "$B"; }

as "$USER_A" cp "$WORK/hello.tar" "$MNT/submit/hello.tar"
h=$(as "$USER_A" readlink "$MNT/jobs/last")
as "$USER_A" cat "$MNT/jobs/$h/wait" >/dev/null
as "$USER_A" cp "$WORK/bad.tar" "$MNT/submit/bad.tar" 2>/dev/null
r=$(as "$USER_A" readlink "$MNT/jobs/last")
as "$USER_A" cp "$WORK/spin.tar" "$MNT/submit/my job.tar"
s=$(as "$USER_A" readlink "$MNT/jobs/last")
wait_state "$s" running 60
tap_is "the spinning job runs" "$(status_of "$s" state)" running

tap_is "jobs/ lists by-name" "$(as "$USER_A" ls "$MNT/jobs" | grep -x by-name)" by-name
tap_is "by-name is a directory" "$(as "$USER_A" stat -c %F "$B")" directory
listing=$(names "$USER_A")
tap_is "by-name has a link per job" "$(echo "$listing" | wc -l)" 3
tap_is "a done job's link: id, name, state and exit code" \
	"$(echo "$listing" | grep "^$h ")" "$h hello.tar done 0"
tap_like "a refused job's link says why" "$(echo "$listing" | grep "^$r ")" \
	"^$r bad\.tar rejected - bundle: not a tar archive"
tap_is "a running job's link: its name (a space kept) and state" \
	"$(echo "$listing" | grep "^$s ")" "$s my job.tar running"
tap_like "ls -l shows links to the job directories" "$(as "$USER_A" ls -l "$B" | grep " $s my job")" \
	"^l.* $USER_A .*$s my job\.tar running -> \.\./$s$"
tap_is "readlink gives ../ID" "$(as "$USER_A" readlink "$B/$h hello.tar done 0")" "../$h"
tap_is "the link resolves to the job" "$(as "$USER_A" readlink -f "$B/$h hello.tar done 0")" \
	"$MNT/jobs/$h"
tap_is "a job's files read through its link" \
	"$(as "$USER_A" cat "$B/$h hello.tar done 0/stdout")" "hello, world"
tap_check "a name that is not the job's now does not exist" \
	as "$USER_A" test ! -e "$B/$h hello.tar running"
tap_check "a link cannot be removed" as "$USER_A" bash -c "! rm -f '$B/$h hello.tar done 0' 2>/dev/null"
tap_check "its job stays" test -d "$MNT/jobs/$h"

# The job ends: its name changes at once (names in by-name/ are never cached).
running_name="$B/$s my job.tar running"
tap_check "the running name resolves" as "$USER_A" test -L "$running_name"
as "$USER_A" sh -c "echo kill >'$MNT/jobs/$s/ctl'"
as "$USER_A" cat "$MNT/jobs/$s/wait" >/dev/null
tap_like "the killed job's link shows its end" "$(names "$USER_A" | grep "^$s ")" \
	"^$s my job\.tar killed - "
tap_check "the running name is gone" as "$USER_A" test ! -e "$running_name"
tap_check "and not cached for a path walk" as "$USER_A" test ! -L "$running_name"

# Bounded and escaped: a long name is cut, a newline shows as \n.
long=$(printf 'x%.0s' $(seq 200)).tar
as "$USER_A" cp "$WORK/bad.tar" "$MNT/submit/$long" 2>/dev/null
l=$(as "$USER_A" readlink "$MNT/jobs/last")
link=$(names "$USER_A" | grep "^$l ")
tap_like "a long name is cut to 96 bytes" "$link" "^$l x{96} rejected - "
tap_like "the whole name fits NAME_MAX" "${#link}" '^(1[0-9]{2}|2[0-4][0-9])$'
as "$USER_A" cp "$WORK/bad.tar" "$MNT/submit/two
lines.tar" 2>/dev/null
n=$(as "$USER_A" readlink "$MNT/jobs/last")
tap_is "a newline in a name shows escaped" "$(names "$USER_A" | grep "^$n " | cut -d' ' -f2)" \
	'two\nlines.tar'
tap_check "the escaped link resolves" as "$USER_A" test -d "$B/$(names "$USER_A" | grep "^$n ")"

# Another user sees none of A's links, and only their own.
as "$USER_B" cp "$WORK/hello.tar" "$MNT/submit/b.tar"
b=$(as "$USER_B" readlink "$MNT/jobs/last")
as "$USER_B" cat "$MNT/jobs/$b/wait" >/dev/null
tap_is "B's by-name lists B's job only" "$(names "$USER_B")" "$b b.tar done 0"
tap_check "A's link does not exist for B" as "$USER_B" test ! -e "$B/$h hello.tar done 0"
tap_check "nor as a link" as "$USER_B" test ! -L "$B/$h hello.tar done 0"
tap_check "B cannot readlink it" bash -c "! setpriv --reuid='$USER_B' --regid='$(id -g "$USER_B")' \
	--clear-groups -- readlink '$B/$h hello.tar done 0'"
tap_is "A's by-name has no line of B's, all of A's" \
	"$(names "$USER_A" | cut -d' ' -f1 | sort -n | tr '\n' ' ')" "$h $r $s $l $n "
tap_check "root, who has no job, has no by-name (like index.txt)" test ! -e "$B"

# Walkers do not follow the links: one copy of each job, the links copied as links.
dest=$(mktemp -d "$WORK/copy.XXXXXX")
chown "$USER_A" "$dest"
jobs_of_a=5
as "$USER_A" cp -r "$MNT/jobs" "$dest/cp"
tap_is "cp -r exits 0" "$?" 0
tap_is "cp -r copies each job once" "$(find "$dest/cp" -name status | wc -l)" "$jobs_of_a"
tap_is "and by-name as links" "$(find "$dest/cp/by-name" -mindepth 1 -type l | wc -l)" "$jobs_of_a"
tap_is "nothing else in it" "$(find "$dest/cp/by-name" -mindepth 1 ! -type l | wc -l)" 0
tap_is "a copied link resolves in the copy" \
	"$(readlink -f "$dest/cp/by-name/$h hello.tar done 0")" "$dest/cp/$h"
as "$USER_A" rsync -a "$MNT/jobs/" "$dest/rsync/"
tap_is "rsync -a exits 0" "$?" 0
tap_is "rsync -a copies each job once" "$(find "$dest/rsync" -name status | wc -l)" "$jobs_of_a"
tap_is "and by-name as links" "$(find "$dest/rsync/by-name" -mindepth 1 -type l | wc -l)" \
	"$jobs_of_a"
as "$USER_A" tar -cf "$dest/jobs.tar" -C "$MNT" jobs
tap_is "tar c exits 0 (index.txt and by-name hold still)" "$?" 0
tap_is "tar c archives each job once" "$(tar -tf "$dest/jobs.tar" | grep -c '/status$')" \
	"$jobs_of_a"
tap_is "find walks each job once" "$(as "$USER_A" find "$MNT/jobs" -name status | wc -l)" \
	"$jobs_of_a"

check_daemon_log
mount_stop
tap_is "zvmfs exits 0" "$STOP_STATUS" 0
tap_done
