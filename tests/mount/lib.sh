# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers for the mounted tests (sourced; sources ../lib/tap.sh). Each script mounts the real
# zvmfs on a scratch directory and always unmounts it on exit, even after a failure.
#   mount_setup [CONFIG LINES...]  scratch $WORK, config $CONFIG, skip without FUSE
#   mount_start / mount_stop    start the daemon (-f, log in $LOG) / unmount and wait for it
#                               (not in a subshell: $STOP_STATUS is its exit status)
#   mount_kill9                 kill -9 the daemon and detach the dead mount
#   make_ticker NAME COUNT SPIN [TIMEOUT] -> $WORK/NAME.tar: prints COUNT lines, SPIN loops
#                               apart (TIMEOUT seconds at most, 60 by default)
#   submit FILE [NAME]          cp FILE into submit/, prints the new job id
#   wait_job ID                 cat jobs/ID/wait (ends when the job does), prints status
#   wait_state ID STATE [SECS]  polls jobs/ID/status until its state is STATE
#   status_of ID KEY            one value of jobs/ID/status
#   staging_entries             names in submit/ that are not records of a submission
#   check_daemon_log            a TAP case: no sanitizer report or critical in $LOG
# Environment: ZVMFS (the daemon), ZVM_BUILD_DIR, ZVM_SOURCE_DIR, ZVM_MOUNT_PROGRAMS;
# ZVM_TEST_KEEP=1 keeps the scratch directory (and the daemon log) for a look afterwards.

MOUNT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/tap.sh
. "$MOUNT_TEST_DIR/../lib/tap.sh"

MAKE_BUNDLE="$ZVM_SOURCE_DIR/images/make-bundle.sh"
HELLO="$ZVM_IMAGES/hello.tar"
DAEMON_PID=
MNT=
WORK=

mount_skip() {
	echo "1..0 # SKIP $1"
	exit 0
}

mount_cleanup() {
	local status=$?
	if [ -n "$MNT" ] && mountpoint -q "$MNT" 2>/dev/null; then
		fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
	fi
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -TERM "$DAEMON_PID" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$DAEMON_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$DAEMON_PID" 2>/dev/null
	fi
	local pid
	for pid in $(jobs -p); do
		kill -KILL "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	if [ "$status" -ne 0 ] && [ -n "$WORK" ] && [ -f "$WORK/daemon.log" ]; then
		echo "# daemon log:"
		sed 's/^/#   /' "$WORK/daemon.log" | tail -40
	fi
	[ -n "${MOUNT_CLEANUP_HOOK:-}" ] && $MOUNT_CLEANUP_HOOK
	if [ -n "${ZVM_TEST_KEEP:-}" ]; then
		echo "# kept $WORK"
	elif [ -n "$WORK" ]; then
		rm -rf -- "$WORK"
	fi
	exit "$status"
}

mount_setup() {
	if [ "$(id -u)" != 0 ] && [ ! -u "$(command -v fusermount3 2>/dev/null)" ]; then
		mount_skip "needs root or a setuid fusermount3"
	fi
	command -v fusermount3 >/dev/null || mount_skip "fusermount3 is not installed"
	[ -c /dev/fuse ] && [ -r /dev/fuse ] && [ -w /dev/fuse ] || mount_skip "no usable /dev/fuse"
	[ -x "$ZVMFS" ] || mount_skip "$ZVMFS is not built"
	[ -f "$HELLO" ] || mount_skip "$HELLO is not built"
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/zvm-mount.XXXXXX")
	trap mount_cleanup EXIT
	# Other users (the sandbox user, the test users) must reach the mount point.
	chmod 0755 "$WORK"
	MNT=$WORK/mnt
	STATE=$WORK/state
	CONFIG=$WORK/zvmfs.conf
	LOG=$WORK/daemon.log
	mkdir -p "$MNT" "$WORK/src"
	{
		echo "[sandbox]"
		echo "cache_dir = ${ZVM_TEST_CACHE_DIR:-$WORK/cache}"
		echo "sandbox_helper = $ZVM_SANDBOX"
		echo "user = nobody"
		echo "[gateway]"
		echo "state_dir = $STATE"
		local line
		for line in "$@"; do
			echo "$line"
		done
	} >"$CONFIG"
	# A probe mount: a kernel or container without FUSE mounts is a skip, not a failure.
	"$ZVMFS" -f --config "$CONFIG" "$MNT" >"$WORK/probe.log" 2>&1 &
	DAEMON_PID=$!
	if ! wait_mounted; then
		kill -KILL "$DAEMON_PID" 2>/dev/null
		mount_skip "cannot mount FUSE here: $(head -3 "$WORK/probe.log" | tr '\n' ' ')"
	fi
	mount_stop
	rm -rf "$STATE"
}

# Up to 60 s: a busy machine starts the daemon slowly, and a probe that gives up early would
# turn every mounted test into a skip.
wait_mounted() {
	for _ in $(seq 600); do
		if mountpoint -q "$MNT" 2>/dev/null; then
			return 0
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

mount_start() {
	"$ZVMFS" -f --config "$CONFIG" "$@" "$MNT" >>"$LOG" 2>&1 &
	DAEMON_PID=$!
	wait_mounted || tap_fail "zvmfs mounts" "$(tail -5 "$LOG")"
}

# Unmounts cleanly and waits for the daemon to exit; its exit status in $STOP_STATUS.
mount_stop() {
	fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT" 2>/dev/null
	STOP_STATUS=0
	wait "$DAEMON_PID" 2>/dev/null || STOP_STATUS=$?
	DAEMON_PID=
}

mount_kill9() {
	kill -KILL "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT"
}

# Engine-style manifest head: three standard channels with room for output.
manifest_head() {
	cat <<EOF
Version = 20130611
Program = $1
Memory = 67108864,0
Timeout = ${2:-60}
Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0
Channel = stdout,/dev/stdout,0,0,0,0,65536,16777216
Channel = stderr,/dev/stderr,0,0,0,0,65536,16777216
EOF
}

make_ticker() {
	local name=$1 count=$2 spin=$3 timeout=${4:-60}
	manifest_head ticker.nexe "$timeout" >"$WORK/src/$name.manifest"
	cat >>"$WORK/src/$name.manifest" <<EOF
Channel = out/result.txt,/dev/result,0,0,0,0,16,4096
Channel = nvram,/dev/nvram,3,0,64,10240,0,0
EOF
	printf '[args]\nargs = ticker %s %s\n' "$count" "$spin" >"$WORK/src/$name.nvram"
	"$MAKE_BUNDLE" "$WORK/$name.tar" "manifest=$WORK/src/$name.manifest" \
		"ticker.nexe=$ZVM_MOUNT_PROGRAMS/ticker.nexe" "nvram=$WORK/src/$name.nvram"
}

submit() {
	local file=$1 name=${2:-$(basename "$1")}
	cp "$file" "$MNT/submit/$name" || return 1
	readlink "$MNT/jobs/last"
}

wait_job() {
	timeout 120 cat "$MNT/jobs/$1/wait"
}

status_of() {
	sed -n "s/^$2 //p" "$MNT/jobs/$1/status" 2>/dev/null
}

wait_state() {
	local id=$1 state=$2 limit=${3:-60}
	local i
	for ((i = 0; i < limit * 10; i++)); do
		[ "$(status_of "$id" state)" = "$state" ] && return 0
		sleep 0.1
	done
	return 1
}

staging_entries() {
	local f
	for f in "$MNT"/submit/* "$MNT"/submit/.[!.]*; do
		[ -e "$f" ] || continue
		getfattr -n user.zvm.job "$f" >/dev/null 2>&1 || basename "$f"
	done
}

check_daemon_log() {
	local bad
	bad=$(grep -E "ERROR: (Address|Leak|Thread|UndefinedBehavior)Sanitizer|runtime error:|CRITICAL|Bail out" "$LOG" || true)
	if [ -z "$bad" ]; then
		tap_ok "daemon log has no sanitizer report or critical"
	else
		tap_fail "daemon log has no sanitizer report or critical" "$(echo "$bad" | head -20)"
	fi
}
