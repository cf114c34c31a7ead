#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Midnight Commander on the mount, driven in tmux: F5 (copy, "preserve attributes" on, its
# default) and F6 (move from another filesystem) of a bundle into submit/ make exactly one job
# each and no error dialog; F5 of a refused bundle shows mc's error and makes one rejected job.
# Each step waits for what the screen shows, not for a time.
. "$(dirname "$0")/../mount/lib.sh"

command -v mc >/dev/null || mount_skip "mc is not installed"
command -v tmux >/dev/null || mount_skip "tmux is not installed"
mount_setup
mount_start

TMUX_SOCKET=zvm-mc-$$
stop_tmux() { tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null; }
MOUNT_CLEANUP_HOOK=stop_tmux
job_count() { find "$MNT/jobs" -mindepth 1 -maxdepth 1 -name '[0-9]*' | wc -l; }
screen() { tmux -L "$TMUX_SOCKET" capture-pane -p; }
keys() { tmux -L "$TMUX_SOCKET" send-keys "$@"; }
# until_screen REGEX: waits (60 s at most) until the screen matches.
until_screen() {
	local i
	for ((i = 0; i < 600; i++)); do
		screen | grep -Eq "$1" && return 0
		sleep 0.1
	done
	echo "# screen never matched $1:"
	screen | sed 's/^/#   /'
	return 1
}
# until_jobs N: waits until there are N jobs.
until_jobs() {
	local i
	for ((i = 0; i < 600; i++)); do
		[ "$(job_count)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

mkdir -p "$WORK/home" "$WORK/left"
cp "$HELLO" "$WORK/left/a-copy.tar"
cp "$HELLO" "$WORK/left/b-move.tar"
echo "not a tar" >"$WORK/left/c-bad.tar"
tmux -L "$TMUX_SOCKET" new-session -d -x 160 -y 40 \
	"env TERM=xterm HOME=$WORK/home mc -u -X '$WORK/left' '$MNT/submit'"
tap_check "mc shows both panels" until_screen "a-copy.tar"

# F5 on the first file (the cursor starts on "..").
keys Down F5
tap_check "F5 asks where to copy, preserving attributes" until_screen '\[x\] Preserve attributes'
keys Enter
tap_check "the copy makes a job" until_jobs 1
tap_check "mc shows the copied name in submit/" until_screen '│ a-copy.tar +│ +10240'
tap_check "and no error dialog" bash -c "! tmux -L '$TMUX_SOCKET' capture-pane -p | grep -Eqi 'error|cannot'"
tap_is "exactly one job, named a-copy.tar" "$(job_count):$(status_of last name)" "1:a-copy.tar"

# F6 on the second file: a move from another filesystem (copy, then unlink the source).
keys Down F6
tap_check "F6 asks where to move" until_screen 'Move file "b-move.tar"'
keys Enter
tap_check "the move makes a job" until_jobs 2
for _ in $(seq 600); do
	[ -e "$WORK/left/b-move.tar" ] || break
	sleep 0.1
done
tap_check "the source is gone" test ! -e "$WORK/left/b-move.tar"
tap_check "and no error dialog" bash -c "! tmux -L '$TMUX_SOCKET' capture-pane -p | grep -Eqi 'error|cannot'"
tap_is "exactly one more job, named b-move.tar" "$(job_count):$(status_of last name)" "2:b-move.tar"

# F5 of a refused bundle: mc reports the failed close; one rejected job.
until_screen '│ c-bad.tar' >/dev/null
keys F5
until_screen 'Copy file "c-bad.tar"' >/dev/null
keys Enter
tap_check "a refused bundle: mc shows an error" until_screen 'Invalid argument'
keys Escape
tap_is "exactly one rejected job" "$(job_count):$(status_of last state):$(status_of last name)" \
	"3:rejected:c-bad.tar"
tap_like "whose reason index.txt shows" "$(grep "^3 " "$MNT/jobs/index.txt")" 'c-bad.tar  bundle: '

keys F10
stop_tmux
check_daemon_log
mount_stop
tap_is "zvmfs exits 0" "$STOP_STATUS" 0
tap_done
