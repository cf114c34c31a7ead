#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs the ```sh blocks of docs/walkthrough.md verbatim, in order, under `set -e`, in an
# empty directory, with zvm on PATH and ZVM_MOUNT set to a scratch zvmfs mount; then checks
# the output. The trap of ../mount/lib.sh unmounts and removes everything, also on failure.
# shellcheck source=../mount/lib.sh
. "$(dirname "$0")/../mount/lib.sh"

ZVMFS=${ZVMFS:-$ZVM_BUILD_DIR/fs/zvmfs}
DOC=$ZVM_SOURCE_DIR/docs/walkthrough.md

[ -x "$ZVM" ] || mount_skip "$ZVM is not built"
for command in cc pack submit; do
	if ! help=$("$ZVM" "$command" --help 2>&1) || printf '%s' "$help" | grep -q "not built yet"; then
		mount_skip "zvm $command is not built yet (the walkthrough needs it): $(printf '%s' "$help" | head -1)"
	fi
done
mount_setup
mount_start

# The blocks: lines between a ```sh fence and the next ``` fence.
awk '/^```sh$/ { inside = 1; next } /^```/ { inside = 0 } inside' "$DOC" >"$WORK/walkthrough.sh"
blocks=$(grep -c '^```sh$' "$DOC")
if [ "$blocks" -ge 1 ] && [ -s "$WORK/walkthrough.sh" ]; then
	tap_ok "docs/walkthrough.md has $blocks sh blocks"
else
	tap_fail "docs/walkthrough.md has sh blocks"
fi

mkdir -p "$WORK/walk"
status=0
(
	cd "$WORK/walk" &&
		PATH=$(dirname "$ZVM"):$PATH ZVM_MOUNT=$MNT timeout 240 bash -e "$WORK/walkthrough.sh"
) >"$WORK/walk.out" 2>&1 || status=$?
if [ "$status" = 0 ]; then
	tap_ok "the walkthrough runs under set -e"
else
	tap_fail "the walkthrough runs under set -e" "exit status $status" "$(tail -20 "$WORK/walk.out")"
fi
if grep -qx 'hello, zerovm' "$WORK/walk.out"; then
	tap_ok "the first job greets"
else
	tap_fail "the first job greets" "$(cat "$WORK/walk.out")"
fi
tap_is "the last line is the count" "$(tail -1 "$WORK/walk.out")" "3 lines in /dev/1.words.txt"
jobs=0
for job in "$MNT"/jobs/[0-9]*; do
	[ -d "$job" ] && jobs=$((jobs + 1))
done
tap_is "two jobs in the mount" "$jobs" 2

mount_stop
tap_is "zvmfs exits 0 at unmount" "$STOP_STATUS" 0
check_daemon_log
tap_done
