#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A full disk: the state directory on a small tmpfs (root only; always unmounted). A bundle
# that does not fit is refused with ENOSPC, both when it cannot be staged and when it cannot
# be stored; a job whose output fills the disk fails with an exit state and reason that say
# so; nothing stored before is damaged, the store reopens on the full disk, and once space is
# freed new jobs run again.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || mount_skip "needs root to mount a tmpfs"
SMALL_KIB=${ZVM_DISK_FULL_KIB:-2048}
mount_setup "jobs = 1"
mkdir -p "$STATE"
mount -t tmpfs -o size=${SMALL_KIB}k,mode=0755 zvm-faults "$STATE" || mount_skip "cannot mount a tmpfs"
unmount_state() {
	umount "$STATE" 2>/dev/null || umount -l "$STATE" 2>/dev/null
}
MOUNT_CLEANUP_HOOK=unmount_state
mount_start

free_kib() {
	df -k --output=avail "$STATE" | tail -1 | tr -d ' '
}
# Checksums of everything the store holds for jobs that had ended, through the mount and on disk.
stored_sums() {
	local id
	for id in "$@"; do
		(cd "$MNT/jobs/$id" && sha256sum status report accounting manifest stdout stderr \
			$(ls out 2>/dev/null | sed 's|^|out/|'))
		(cd "$STATE/jobs/$id" && sha256sum meta report accounting bundle.tar \
			$(find bundle out -type f | sort))
	done
}

# Jobs stored before the disk fills up.
make_job ticks 20 0 1
earlier=()
for b in "$HELLO" "$WORK/ticks.tar" "$ZVM_IMAGES/wc.tar"; do
	id=$(submit "$b")
	wait_job "$id" >/dev/null
	earlier+=("$id")
done
tap_is "the earlier jobs ended done" \
	"$(for id in "${earlier[@]}"; do status_of "$id" state; done | sort -u)" "done"
sums_before=$(stored_sums "${earlier[@]}")
echo "# tmpfs of $SMALL_KIB KiB, $(free_kib) KiB free after ${#earlier[@]} jobs"

# (a) Bundles that do not fit: one larger than the free space (refused while staging), one
# that fits staged but not stored (the store keeps bundle.tar and the extracted members).
head -c $(($(free_kib) * 1024 + 65536)) /dev/urandom >"$WORK/src/big.bin"
"$MAKE_BUNDLE" "$WORK/huge.tar" "manifest=$ZVM_SOURCE_DIR/images/wc/manifest" \
	"wc.nexe=$ZVM_BUILD_DIR/images/wc.nexe" "input.txt=$WORK/src/big.bin"
head -c $(($(free_kib) * 1024 / 2 - 65536)) /dev/urandom >"$WORK/src/half.bin"
"$MAKE_BUNDLE" "$WORK/half.tar" "manifest=$ZVM_SOURCE_DIR/images/wc/manifest" \
	"wc.nexe=$ZVM_BUILD_DIR/images/wc.nexe" "input.txt=$WORK/src/half.bin"
last_before=$(readlink "$MNT/jobs/last")
for b in huge half; do
	rc=0
	err=$(cp "$WORK/$b.tar" "$MNT/submit/$b.tar" 2>&1) || rc=$?
	tap_check "$b: cp fails" test "$rc" -ne 0
	tap_like "$b: with No space left on device" "$err" "No space left on device"
	tap_is "$b: it leaves submit/ (no job, no record)" "$(ls -A "$MNT/submit" | grep -x "$b.tar")" ""
done
tap_is "no job was recorded for them" "$(readlink "$MNT/jobs/last")" "$last_before"
tap_is "nor any staging or half-made job file left" "$(stray_files)" ""
tap_like "the log names the full disk" "$(grep refused "$LOG")" "No space left on device"

# (b) A job whose output does not fit: two million lines to stdout, about 16 MiB.
make_job flood 2000000 0 0
flood=$(submit "$WORK/flood.tar")
tap_check "the flood job is accepted" test -n "$flood"
status=$(wait_job "$flood")
echo "$status" | sed 's/^/#   /'
tap_is "it ends failed" "$(status_of "$flood" state)" "failed"
tap_like "its exit state names the full disk" "$(status_of "$flood" exit_state)" \
	"^/dev/stdout: No space left on device$"
tap_like "so does its reason" "$(status_of "$flood" reason)" "disk.*full|No space left"
tap_like "and its report" "$(sed -n 6p "$MNT/jobs/$flood/report")" "No space left on device"
tap_is "its meta on disk agrees" "$(state_of_meta "$flood")" "failed"
flood_kib=$(($(stat -c %s "$STATE/jobs/$flood/out/stdout") / 1024))
echo "# the flood job wrote $flood_kib KiB before the disk was full; $(free_kib) KiB free after its end"
tap_check "its stdout filled the disk: what is free is less than the store's reserve" \
	test "$(free_kib)" -lt 256 -a "$flood_kib" -gt $((SMALL_KIB / 4))
tap_like "the end was recorded with the reserve" "$(cat "$LOG")" "is full; using the reserve"

# A second flood while the reserve is spent: its end cannot be written at all. It must
# still end for its readers (no wait hangs), and run again after a restart.
flood2=$(submit "$WORK/flood.tar" flood2.tar)
tap_is "a second flood job, the reserve spent: its end is visible all the same" \
	"$(wait_job "$flood2" | sed -n 's/^state //p')" failed
tap_like "as a full disk" "$(status_of "$flood2" reason)" "^disk full"
tap_is "meta on disk could not say so: it still says running" "$(state_of_meta "$flood2")" \
	running

# (c) Nothing already stored is damaged, also across a restart on the full disk.
tap_is "the earlier jobs read back identical" "$(stored_sums "${earlier[@]}")" "$sums_before"
dd if=/dev/zero of="$STATE/ballast" bs=4k 2>/dev/null
tap_is "the disk is full to the last block" "$(free_kib)" 0
mount_stop
tap_is "clean unmount on the full disk, exit status 0" "$STOP_STATUS" 0
mount_start
tap_check "the store reopens on the full disk" mountpoint -q "$MNT"
tap_is "the earlier jobs still read back identical" "$(stored_sums "${earlier[@]}")" "$sums_before"
tap_is "the first flood job is still failed" "$(status_of "$flood" state)" "failed"
tap_is "the second one runs again (restarts 1)" "$(status_of "$flood2" restarts)" 1
tap_is "and, the disk as full as before, ends failed again" \
	"$(wait_job "$flood2" | sed -n 's/^state //p')" failed
tap_is "no stray files in the state directory" "$(stray_files)" ""

# Space freed (the flood jobs removed): new jobs run again.
rm "$STATE/ballast"
rm -r "$MNT/jobs/$flood" "$MNT/jobs/$flood2"
tap_check "freeing space: the flood jobs are removed" test ! -e "$STATE/jobs/$flood" -a \
	! -e "$STATE/jobs/$flood2"
again=$(submit "$WORK/ticks.tar" again.tar)
tap_is "a new job runs to done" "$(wait_job "$again" | sed -n 's/^state //p')" "done"
tap_is "the reserve is whole again" "$(du -k "$STATE/reserve" | cut -f1)" 256
tap_check "with the output of the earlier run" cmp "$MNT/jobs/$again/stdout" \
	"$MNT/jobs/${earlier[1]}/stdout"
tap_is "ids went on ($again)" "$again" $((flood2 + 1))
tap_is "the earlier jobs are still identical" "$(stored_sums "${earlier[@]}")" "$sums_before"

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
