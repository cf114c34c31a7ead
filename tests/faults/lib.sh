# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers for the fault tests (sourced; sources ../mount/lib.sh, which has the mount helpers).
#   make_job NAME COUNT SPIN ETAG -> $WORK/NAME.tar: ticker COUNT SPIN with an output file
#                                   (out/result.txt); ETAG 1 turns on every channel's etag and
#                                   the memory etag
#   state_of_meta ID                the state in $STATE/jobs/ID/meta (no mount needed)
#   stray_files                     lists what must not outlive a job or a submission in $STATE:
#                                   temp files, staging files, half-made or half-deleted jobs
#   daemon_fds / daemon_hwm_kib     open descriptors but pipes / peak RSS (VmHWM) of the daemon
#   daemon_pipes / daemon_threads   its pipes / its threads
FAULTS_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../mount/lib.sh
. "$FAULTS_TEST_DIR/../mount/lib.sh"

make_job() {
	local name=$1 count=$2 spin=$3 etag=$4
	cat >"$WORK/src/$name.manifest" <<EOF2
Version = 20130611
Program = ticker.nexe
Memory = 67108864,$etag
Timeout = 120
Channel = /dev/null,/dev/stdin,0,$etag,16,1024,0,0
Channel = stdout,/dev/stdout,0,$etag,0,0,1048576,16777216
Channel = stderr,/dev/stderr,0,$etag,0,0,65536,16777216
Channel = out/result.txt,/dev/result,0,$etag,0,0,16,4096
Channel = nvram,/dev/nvram,3,$etag,64,10240,0,0
EOF2
	printf '[args]\nargs = ticker %s %s\n' "$count" "$spin" >"$WORK/src/$name.nvram"
	"$MAKE_BUNDLE" "$WORK/$name.tar" "manifest=$WORK/src/$name.manifest" \
		"ticker.nexe=$ZVM_MOUNT_PROGRAMS/ticker.nexe" "nvram=$WORK/src/$name.nvram"
}

state_of_meta() {
	sed -n 's/^state=//p' "$STATE/jobs/$1/meta" 2>/dev/null
}

stray_files() {
	find "$STATE/staging" -mindepth 1 2>/dev/null
	find "$STATE" -name '*.tmp' 2>/dev/null
	find "$STATE/jobs" -mindepth 1 -maxdepth 1 \( -name '.new-*' -o -name '.del-*' \) 2>/dev/null
	find "$STATE/jobs" -mindepth 2 -maxdepth 2 -name 'bundle.refused' 2>/dev/null
}

# Descriptors other than pipes: libfuse keeps a splice pipe pair per thread of the session
# loop (zvmfs asks for splice writes), and the loop keeps the threads that a burst of requests
# made; those are counted by daemon_pipes and bounded by the threads, not by the jobs.
daemon_fds() {
	find "/proc/$DAEMON_PID/fd" -mindepth 1 -printf '%l\n' | grep -vc '^pipe:'
}

daemon_pipes() {
	find "/proc/$DAEMON_PID/fd" -mindepth 1 -printf '%l\n' | grep -c '^pipe:'
}

daemon_threads() {
	ls "/proc/$DAEMON_PID/task" | wc -l
}

daemon_hwm_kib() {
	sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$DAEMON_PID/status"
}
