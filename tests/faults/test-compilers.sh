#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Compilers under kills (issue #13 item 2), with a stand-in C compiler ([sandbox] cc) that
# never ends: a kill of a compiling job (ctl kill) kills its compiler and the job ends killed;
# with max_compiles = 1 a second module waits for the compiler, says so in its status, and
# can be killed while it waits; rm -r of a compiling job kills its compiler too; after kill -9 of the gateway the compiler outlives it, and the
# restarted gateway kills that orphan and removes its work dir before it compiles again.
# Ordered by the processes themselves (a /proc scan for the compiler) and the job states.
. "$(dirname "$0")/lib.sh"

# A cache of our own: the stand-in compiler must not find the ticker translated already.
unset ZVM_TEST_CACHE_DIR
mount_setup "jobs = 2"
CACHE=$WORK/cache
cat >"$WORK/stuck-cc" <<'EOF2'
#!/bin/sh
case "$1" in --version) exec cc --version;; esac
exec sleep 3600
EOF2
chmod 0755 "$WORK/stuck-cc"
printf '[sandbox]\ncc = %s\nmax_compiles = 1\n' "$WORK/stuck-cc" >>"$CONFIG"
make_ticker ticker 3 1

# stuck_compilers: pids of the stand-in compilers (sleep, in a compile's work dir)
stuck_compilers() {
	local p cwd
	for p in /proc/[0-9]*; do
		cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $cwd in
		"$CACHE"/tmp/work-*)
			[ "$(cat "$p/comm" 2>/dev/null)" = sleep ] && alive "${p#/proc/}" &&
				echo "${p#/proc/}"
			;;
		esac
	done
}
# alive PID: the process exists and is no zombie (an orphan's zombie may wait for a reaper)
alive() {
	local state
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$state" ] && [ "$state" != Z ]
}
# wait_compiler [NOT]: until a stand-in compiler other than NOT runs; prints its pid
wait_compiler() {
	local i p
	for ((i = 0; i < 600; i++)); do
		for p in $(stuck_compilers); do
			[ "$p" != "${1:-}" ] && echo "$p" && return 0
		done
		sleep 0.1
	done
	return 1
}
wait_gone() {
	local i
	for ((i = 0; i < 600; i++)); do
		alive "$1" || return 0
		sleep 0.1
	done
	return 1
}
wait_translating() {
	local i
	for ((i = 0; i < 600; i++)); do
		[ "$(status_of "$1" translating)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
work_dirs() {
	find "$CACHE/tmp" -mindepth 1 -maxdepth 1 -name 'work-*' 2>/dev/null | wc -l
}

# A test that fails after a kill -9 must not leave its orphan behind.
kill_stuck_compilers() {
	local p
	for p in $(stuck_compilers); do
		kill -KILL "$p" 2>/dev/null
	done
}
MOUNT_CLEANUP_HOOK=kill_stuck_compilers

mount_start
id=$(submit "$WORK/ticker.tar" ticker.tar)
compiler=$(wait_compiler)
tap_check "the job's compiler runs" test -n "$compiler"
tap_is "the job is compiling" "$(status_of "$id" state)" compiling

# A second module waits for the one compile slot.
hello=$(submit "$HELLO" hello.tar)
tap_check "a second module waits for the compiler" \
	wait_translating "$hello" "waiting for the compiler"
tap_is "and runs no compiler of its own" "$(stuck_compilers | wc -l)" 1
echo kill >"$MNT/jobs/$hello/ctl"
tap_is "killed while it waits, it ends killed" "$(wait_job "$hello" >/dev/null; status_of "$hello" state)" killed

echo kill >"$MNT/jobs/$id/ctl"
tap_is "the compiling job ends killed" "$(wait_job "$id" >/dev/null; status_of "$id" state)" killed
tap_check "its compiler is gone" wait_gone "$compiler"
tap_is "its work dir is gone" "$(work_dirs)" 0

# rm -r of a compiling job: the job and its compiler go.
id=$(submit "$WORK/ticker.tar" ticker1.tar)
compiler=$(wait_compiler)
tap_check "a third job's compiler runs" test -n "$compiler"
tap_check "rm -r of the compiling job succeeds" rm -r "$MNT/jobs/$id"
tap_check "its compiler is gone" wait_gone "$compiler"

# kill -9 of the gateway while a job compiles: the compiler outlives it.
id=$(submit "$WORK/ticker.tar" ticker2.tar)
orphan=$(wait_compiler)
tap_check "the second job's compiler runs" test -n "$orphan"
mount_kill9
tap_check "the compiler outlives the gateway killed with -9" alive "$orphan"
tap_is "its work dir is left" "$(work_dirs)" 1

mount_start
# The interrupted job runs again: before its compile starts the orphan is killed.
successor=$(wait_compiler "$orphan")
tap_check "the restarted gateway compiles the job again" test -n "$successor"
tap_check "the orphaned compiler is killed" wait_gone "$orphan"
tap_is "only the new compile's work dir is left" "$(work_dirs)" 1
echo kill >"$MNT/jobs/$id/ctl"
tap_is "killed, the job ends killed" "$(wait_job "$id" >/dev/null; status_of "$id" state)" killed
tap_check "and its compiler is gone" wait_gone "$successor"
mount_stop
tap_is "no work dir is left" "$(work_dirs)" 0
check_daemon_log
tap_done
