#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The hostile corpus (issue #4) through a real mount: every line of `cases` is a bundle that
# make-corpus.py builds, or an action below, with the errno, state and words the user must
# get. Each case also checks that nothing is left behind (staging empty, a rejected job keeps
# only bundle/manifest) and that the daemon lives; at the end a hello job still runs to done.
# Prints "# hostile: N cases, N passed".
# shellcheck source=../mount/lib.sh
. "$(dirname "$0")/../mount/lib.sh"

HOSTILE_DIR=$(cd "$(dirname "$0")" && pwd)
CASES=${ZVM_HOSTILE_CASES:-$HOSTILE_DIR/cases}
# ZVM_HOSTILE_ONLY=REGEX runs the matching cases only (for a look at one of them).
ONLY=${ZVM_HOSTILE_ONLY:-}

[ "$(id -u)" = 0 ] || mount_skip "needs root: the other-user cases run as nobody"
command -v setpriv >/dev/null || mount_skip "setpriv is not installed"
command -v python3 >/dev/null || mount_skip "python3 is not installed"
id nobody >/dev/null 2>&1 || mount_skip "no user nobody"

# Small bounds, so the bombs are refused after a few MiB; the bounds are repeated in `cases`.
mount_setup "jobs = 3" \
	"[bundle]" "max_bytes = 4M" "max_archive_bytes = 4M" "max_members = 64" \
	"max_name_length = 200" "max_depth = 8" \
	"[limits]" "max_memory = 128M" "max_timeout = 60" "max_channels = 16" \
	"max_put_size = 16M" "default_put_size = 16M" \
	"[sandbox]" "compile_timeout = 40" "compile_output = 4194304"

CORPUS=$WORK/corpus
ESCAPE_MARKER=/tmp/zvm-hostile-escape-marker
python3 "$HOSTILE_DIR/make-corpus.py" "$CASES" "$CORPUS" "$ZVM_IMAGES/hello.nexe" \
	"$ZVM_ENGINE_PROGRAMS" || tap_fail "make-corpus.py builds the bundles"
chmod -R a+rX "$CORPUS"
python3 -c 'import errno, os
for code, name in sorted(errno.errorcode.items()):
    print("%s\t%s" % (os.strerror(code), name))' >"$WORK/errno-names"
mount_start

# errno_of MESSAGE: the errno name of the strerror text a tool's message ends with.
errno_of() {
	local line text name
	line=$(printf '%s\n' "$1" | grep -v '^[0-9]* bytes\|records in\|records out' | tail -1)
	while IFS=$'\t' read -r text name; do
		case $line in *": $text") echo "$name" && return ;; esac
	done <"$WORK/errno-names"
	echo "unknown($line)"
}

# py_errno CODE ARGS...: runs python CODE (sys.argv[1:] = ARGS), prints ok or the errno name.
py_errno() {
	local code=$1
	shift
	python3 - "$@" <<EOF
import errno, os, sys
sys.argv = sys.argv[1:]
sys.argv.insert(0, "")
try:
    $code
    print("ok")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
EOF
}

as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- "$@"
}

state_bytes() {
	du -sk --apparent-size "$STATE" | cut -f1
}

# ---- what each case leaves behind -----------------------------------------------------------

# leftovers [ID]: problems with the state directory, one a line; nothing when clean.
leftovers() {
	local id=${1:-} dir entry
	[ -z "$(ls -A "$STATE/staging" 2>/dev/null)" ] ||
		echo "staging/ holds: $(ls -A "$STATE/staging" | head -5 | tr '\n' ' ')"
	for entry in "$STATE/jobs"/.[!.]* "$STATE/jobs"/*; do
		[ -e "$entry" ] || continue
		case ${entry##*/} in *[!0-9]*) echo "stray entry in jobs/: ${entry##*/}" ;; esac
	done
	[ -n "$id" ] || return 0
	dir=$STATE/jobs/$id
	[ "$(status_of "$id" state)" = rejected ] || return 0
	for entry in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$entry" ] || continue
		case ${entry##*/} in
		bundle | meta | report | accounting) ;;
		*) echo "rejected job $id keeps ${entry##*/}" ;;
		esac
	done
	for entry in "$dir/bundle"/* "$dir/bundle"/.[!.]*; do
		[ -e "$entry" ] && [ "${entry##*/}" != manifest ] &&
			echo "rejected job $id keeps bundle/${entry##*/}"
	done
}

# ---- the actions: each sets OBS_ERRNO, and OBS_ID and OBS_TEXT when it makes a job;
# OBS_PROBLEM collects what else went wrong ------------------------------------------------

# A finished job of root's to aim at, and a long one of root's that nobody may not touch.
target_job() {
	if [ -z "${TARGET_JOB:-}" ]; then
		TARGET_JOB=$(submit "$HELLO" target.tar)
		wait_job "$TARGET_JOB" >/dev/null
	fi
	echo "$TARGET_JOB"
}

long_job() {
	if [ -z "${LONG_JOB:-}" ]; then
		make_ticker long 100000 200000000
		LONG_JOB=$(submit "$WORK/long.tar") || LONG_JOB=none
	fi
	[ "$LONG_JOB" != none ] && wait_state "$LONG_JOB" running 60 ||
		OBS_PROBLEM+="the long job does not run; "
}

action_stream_10g() {
	local before after start out
	before=$(state_bytes)
	start=$(date +%s)
	out=$(head -c 10G /dev/zero | dd of="$MNT/submit/stream-10g.tar" bs=1M 2>&1)
	OBS_ERRNO=$(errno_of "$out")
	after=$(state_bytes)
	[ $(($(date +%s) - start)) -le 20 ] || OBS_PROBLEM+="took $(($(date +%s) - start)) s; "
	[ $((after - before)) -lt 16384 ] ||
		OBS_PROBLEM+="the state directory grew by $((after - before)) KiB; "
	OBS_ID=$(readlink "$MNT/jobs/last")
	[ "$(status_of "$OBS_ID" name)" = stream-10g.tar ] || OBS_PROBLEM+="no job named stream-10g.tar; "
	OBS_TEXT=$(status_of "$OBS_ID" reason)
}

action_sparse_10g() {
	local before out
	before=$(state_bytes)
	out=$(dd if=/dev/zero of="$MNT/submit/sparse-10g.tar" bs=1 count=1 seek=10G 2>&1)
	OBS_ERRNO=$(errno_of "$out")
	[ $(($(state_bytes) - before)) -lt 16384 ] || OBS_PROBLEM+="the state directory grew; "
	rm -f "$MNT/submit/sparse-10g.tar"
}

action_truncate_10g() {
	local out
	out=$(truncate -s 10G "$MNT/submit/truncate-10g.tar" 2>&1)
	OBS_ERRNO=$(errno_of "$out")
	rm -f "$MNT/submit/truncate-10g.tar"
}

action_write_jobs() {
	OBS_ERRNO=$(py_errno 'os.write(os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT), b"x")' \
		"$MNT/jobs/new")
}

action_write_status() {
	OBS_ERRNO=$(py_errno 'os.write(os.open(sys.argv[1], os.O_WRONLY), b"state done\n")' \
		"$MNT/jobs/$(target_job)/status")
}

action_write_report() {
	OBS_ERRNO=$(py_errno 'os.write(os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND), b"ok\n")' \
		"$MNT/jobs/$(target_job)/report")
}

action_truncate_stdout() {
	local id
	id=$(target_job)
	OBS_ERRNO=$(py_errno 'os.truncate(sys.argv[1], 0)' "$MNT/jobs/$id/stdout")
	[ "$(cat "$MNT/jobs/$id/stdout")" = "hello, world" ] || OBS_PROBLEM+="stdout changed; "
}

action_mkdir_submit() {
	OBS_ERRNO=$(py_errno 'os.mkdir(sys.argv[1])' "$MNT/submit/dir")
}

action_mkdir_jobs() {
	OBS_ERRNO=$(py_errno 'os.mkdir(sys.argv[1])' "$MNT/jobs/dir")
}

action_symlink_submit() {
	OBS_ERRNO=$(py_errno 'os.symlink("/etc/passwd", sys.argv[1])' "$MNT/submit/link.tar")
}

action_rename_across() {
	: >"$MNT/submit/.across"
	OBS_ERRNO=$(py_errno 'os.rename(sys.argv[1], sys.argv[2])' "$MNT/submit/.across" \
		"$MNT/jobs/across")
	rm -f "$MNT/submit/.across"
}

action_rename_job() {
	local id
	id=$(target_job)
	OBS_ERRNO=$(py_errno 'os.rename(sys.argv[1], sys.argv[2])' "$MNT/jobs/$id" "$MNT/jobs/99999")
	[ -d "$MNT/jobs/$id" ] || OBS_PROBLEM+="job $id is gone; "
}

action_ctl_garbage() {
	long_job
	OBS_ERRNO=$(py_errno 'os.write(os.open(sys.argv[1], os.O_WRONLY), b"explode\n")' \
		"$MNT/jobs/$LONG_JOB/ctl")
	[ "$(status_of "$LONG_JOB" state)" = running ] || OBS_PROBLEM+="the long job stopped; "
}

# [tenants] staging_files, 16 by default.
action_staging_quota() {
	local i
	for i in $(seq 16); do
		: >"$MNT/submit/.quota-$i" || OBS_PROBLEM+="staging file $i of 16 refused; "
	done
	OBS_ERRNO=$(py_errno 'open(sys.argv[1], "w")' "$MNT/submit/.quota-17")
	rm -f "$MNT/submit"/.quota-*
}

action_other_reads() {
	OBS_ERRNO=$(as_nobody /usr/bin/python3 -c 'import errno, sys
try:
    open(sys.argv[1]).read()
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$MNT/jobs/$(target_job)/stdout")
}

action_other_kill() {
	long_job
	OBS_ERRNO=$(as_nobody /usr/bin/python3 -c 'import errno, os, sys
try:
    os.write(os.open(sys.argv[1], os.O_WRONLY), b"kill\n")
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$MNT/jobs/$LONG_JOB/ctl")
	sleep 0.2
	[ "$(status_of "$LONG_JOB" state)" = running ] || OBS_PROBLEM+="the long job stopped; "
}

action_other_rm() {
	long_job
	local out
	out=$(as_nobody rm -r "$MNT/jobs/$LONG_JOB" 2>&1)
	OBS_ERRNO=$(errno_of "$out")
	[ -d "$MNT/jobs/$LONG_JOB" ] || OBS_PROBLEM+="the long job is gone; "
	[ "$(status_of "$LONG_JOB" state)" = running ] || OBS_PROBLEM+="the long job stopped; "
}

action_other_unlink_staging() {
	printf 'partial' >"$MNT/submit/.root-staging"
	OBS_ERRNO=$(as_nobody /usr/bin/python3 -c 'import errno, os, sys
try:
    os.unlink(sys.argv[1])
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$MNT/submit/.root-staging")
	[ -e "$MNT/submit/.root-staging" ] || OBS_PROBLEM+="root's staging file is gone; "
	rm -f "$MNT/submit/.root-staging"
}

# The translation cache, as the runners' user (issue 12, findings 3 and 5): another job's
# object is not readable, and nothing can be planted beside it.
cache_dir() {
	sed -n 's/^cache_dir = //p' "$CONFIG"
}

action_cache_read() {
	local object
	object=$(ls "$(cache_dir)"/*.so | head -n 1)
	OBS_ERRNO=$(as_nobody /usr/bin/python3 -c 'import errno, sys
try:
    open(sys.argv[1], "rb").read()
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$object")
}

action_cache_plant() {
	local planted
	planted=$(cache_dir)/$(printf '%064d' 0).so
	OBS_ERRNO=$(as_nobody /usr/bin/python3 -c 'import errno, sys
try:
    open(sys.argv[1], "wb").write(b"\x7fELF")
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$planted")
	[ ! -e "$planted" ] || OBS_PROBLEM+="a file was planted in the cache; "
	rm -f "$planted"
}

# trim TEXT: without the spaces around it.
trim() {
	local text=$1
	text=${text#"${text%%[![:space:]]*}"}
	printf '%s' "${text%"${text##*[![:space:]]}"}"
}

# ---- running the table --------------------------------------------------------------------

declare -A EXPECT_STATE EXPECT_ERRNO EXPECT_TEXT RECIPE CHECKS CASE_ID CASE_ERRNO CASE_MESSAGE
NAMES=()
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	IFS='|' read -r name state errno text recipe checks <<<"$line"
	name=$(trim "$name")
	[ -z "$ONLY" ] || [[ $name =~ $ONLY ]] || continue
	NAMES+=("$name")
	EXPECT_STATE[$name]=$(trim "$state")
	EXPECT_ERRNO[$name]=$(trim "$errno")
	EXPECT_TEXT[$name]=$(trim "$text")
	RECIPE[$name]=$(trim "$recipe")
	CHECKS[$name]=$(trim "${checks:-}")
done <"$CASES"

# check_output ID CHECK: one of the optional checks; prints the problem, if any.
check_output() {
	local id=$1 check=$2 file want got
	case $check in
	size:*=*)
		file=${check#size:}
		want=${file#*=}
		file=${file%%=*}
		got=$(stat -c %s "$MNT/jobs/$id/$file" 2>/dev/null)
		[ "$got" = "$want" ] || echo "$file is ${got:-missing} bytes, not $want"
		;;
	*'!~'*)
		file=${check%%!~*}
		want=${check#*!~}
		! grep -qF -- "$want" "$MNT/jobs/$id/$file" || echo "$file holds '$want'"
		;;
	*'~'*)
		file=${check%%~*}
		want=${check#*~}
		grep -qF -- "$want" "$MNT/jobs/$id/$file" || echo "$file lacks '$want'"
		;;
	*) echo "unknown check '$check'" ;;
	esac
}

PASSED=0
# judge NAME ID ERRNO MESSAGE [PROBLEMS]: one TAP line for the case.
judge() {
	local name=$1 id=$2 got_errno=$3 message=$4 problems=${5:-}
	local want_state=${EXPECT_STATE[$name]} want_errno=${EXPECT_ERRNO[$name]}
	local want_text=${EXPECT_TEXT[$name]} state text report6 check
	[ "$got_errno" = "$want_errno" ] ||
		problems+="errno $got_errno, expected $want_errno ($message); "
	if [ "$want_state" != - ]; then
		state=$(status_of "$id" state)
		[ "$state" = "$want_state" ] || problems+="state '${state:-no job}', expected $want_state; "
		if [ "$want_state" = rejected ]; then
			text=$(status_of "$id" reason)
		else
			text=$(status_of "$id" exit_state)
		fi
		report6=$(sed -n 6p "$MNT/jobs/$id/report" 2>/dev/null)
		[ "$report6" = "$text" ] || problems+="report line 6 '$report6' is not '$text'; "
	else
		text=${OBS_TEXT:--}
	fi
	if [ "$want_text" != - ] && [[ $text != *"$want_text"* ]]; then
		problems+="text '$text' lacks '$want_text'; "
	fi
	if [ -n "${CHECKS[$name]}" ]; then
		while IFS= read -r check; do
			check=$(trim "$check")
			problems+=$(check_output "$id" "$check" | sed 's/$/; /')
		done < <(printf '%s\n' "${CHECKS[$name]}" | sed 's/ && /\n/g')
	fi
	problems+=$(leftovers "$id" | sed 's/$/; /')
	kill -0 "$DAEMON_PID" 2>/dev/null || problems+="the daemon died; "
	if [ -z "$problems" ]; then
		PASSED=$((PASSED + 1))
		tap_ok "$name: ${text:0:150}"
	else
		tap_fail "$name" "$problems" "recipe: ${RECIPE[$name]:0:200}"
	fi
}

# 1. Every bundle goes in; refusals are judged at once, accepted jobs once they end.
ACCEPTED=()
for name in "${NAMES[@]}"; do
	[[ ${RECIPE[$name]} == action* ]] && continue
	before=$(readlink "$MNT/jobs/last")
	if message=$(cp "$CORPUS/$name.tar" "$MNT/submit/$name.tar" 2>&1); then
		CASE_ERRNO[$name]=ok
	else
		CASE_ERRNO[$name]=$(errno_of "$message")
	fi
	CASE_MESSAGE[$name]=$message
	# An empty file is submitted at its last close (release), just after cp returns.
	for _ in $(seq 50); do
		id=$(readlink "$MNT/jobs/last")
		[ "$id" = "$before" ] || break
		sleep 0.1
	done
	if [ "$id" = "$before" ] || [ "$(status_of "$id" name)" != "$name.tar" ]; then
		id=none
	fi
	CASE_ID[$name]=$id
	if [ "${CASE_ERRNO[$name]}" = ok ] && [ "$id" != none ]; then
		ACCEPTED+=("$name")
	else
		judge "$name" "$id" "${CASE_ERRNO[$name]}" "$message"
	fi
done

# 2. The actions, while the accepted jobs run.
for name in "${NAMES[@]}"; do
	[[ ${RECIPE[$name]} == action* ]] || continue
	OBS_ERRNO=none OBS_TEXT='' OBS_ID='' OBS_PROBLEM=
	"action_${RECIPE[$name]#action }"
	judge "$name" "${OBS_ID:-none}" "$OBS_ERRNO" "" "$OBS_PROBLEM"
done

# 3. The accepted jobs, once ended.
for name in "${ACCEPTED[@]}"; do
	id=${CASE_ID[$name]}
	wait_job "$id" >/dev/null || true
	judge "$name" "$id" "${CASE_ERRNO[$name]}" "${CASE_MESSAGE[$name]}"
done

echo "# hostile: ${#NAMES[@]} cases, $PASSED passed"

# ---- the gateway afterwards ----------------------------------------------------------------
if [ -n "${LONG_JOB:-}" ] && [ "$LONG_JOB" != none ]; then
	echo kill >"$MNT/jobs/$LONG_JOB/ctl"
	wait_job "$LONG_JOB" >/dev/null
fi
tap_check "the escape attempts left no file on the host" test ! -e "$ESCAPE_MARKER"
id=$(submit "$HELLO" after.tar)
tap_is "after the corpus a hello job still runs to done" \
	"$(wait_job "$id" | sed -n 's/^state //p')" "done"
tap_is "and prints" "$(cat "$MNT/jobs/$id/stdout")" "hello, world"
tap_is "nothing is left staging in submit/ (records only)" "$(staging_entries)" ""
tap_is "nothing is left in the state directory's staging/" "$(ls -A "$STATE/staging")" ""
tap_is "no translation work directory is left" "$(ls -A "$WORK/cache/tmp" 2>/dev/null)" ""
tap_check "the daemon is alive" kill -0 "$DAEMON_PID"
mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
