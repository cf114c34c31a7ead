#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Staging quotas per user (issue #13): user A filling submit/ with never-finished uploads
# gets EDQUOT at [tenants] staging_bytes and staging_files, sees the bytes in du
# of their own submit/, and the log names the bound; user B, the victim, still uploads and
# runs jobs. A staging file unlinked while open still counts, against A only.
. "$(dirname "$0")/view-lib.sh"

view_setup "[tenants]" "staging_bytes = 8M" "staging_files = 4"
mount_start
chmod 0644 "$HELLO" 2>/dev/null
MIB=1048576

# fill USER FILE: writes 1 MiB blocks to FILE until a write fails; prints "BYTES ERRNO".
fill() {
	as "$1" /usr/bin/python3 - "$2" <<'PY'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
block, written = b"x" * 1048576, 0
try:
    while written < 64 * len(block):
        written += os.write(fd, block)
    print(written, "none")
except OSError as e:
    print(written, errno.errorcode.get(e.errno, str(e.errno)))
os.close(fd)
PY
}

tap_is "A's first staging file takes 8 MiB, then EDQUOT" "$(fill "$USER_A" "$MNT/submit/.fill1")" \
	"$((8 * MIB)) EDQUOT"
tap_is "A's second one: EDQUOT at once" "$(fill "$USER_A" "$MNT/submit/.fill2")" "0 EDQUOT"
tap_is "the log names the bound, once" \
	"$(grep -c "over the \[tenants\] staging_bytes bound (8 MiB)" "$LOG")" 1
tap_check "A's du of its submit/ shows the 8 MiB ($(as "$USER_A" du -sk "$MNT/submit" | cut -f1) KiB)" \
	test "$(as "$USER_A" du -sk "$MNT/submit" | cut -f1)" -ge 8192
tap_is "B's du of its submit/ shows nothing of A's" "$(as "$USER_B" du -sk "$MNT/submit" | cut -f1)" 0

as "$USER_B" cp "$HELLO" "$MNT/submit/victim.tar"
tap_is "B still uploads while A is at its bound" "$?" 0
victim=$(as "$USER_B" readlink "$MNT/jobs/last")
tap_is "and B's job runs to done" "$(wait_job "$victim" | sed -n 's/^state //p')" done
tap_is "B may stage its own 4 MiB" "$(as "$USER_B" /usr/bin/python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
print(os.write(fd, b"y" * 4194304))' "$MNT/submit/.b")" 4194304
as "$USER_B" rm "$MNT/submit/.b"

# Files: A holds .fill1 and .fill2; two more, then EDQUOT; B is not counted with A.
tap_is "A's third and fourth staging files, then EDQUOT" \
	"$(py_as "$USER_A" 'open(sys.argv[1], "w")' "$MNT/submit/.f3") $(py_as "$USER_A" 'open(sys.argv[1], "w")' "$MNT/submit/.f4") $(py_as "$USER_A" 'open(sys.argv[1], "w")' "$MNT/submit/.f5")" \
	"ok ok EDQUOT"
tap_is "B creates one meanwhile" "$(py_as "$USER_B" 'open(sys.argv[1], "w")' "$MNT/submit/.b")" ok
tap_like "the log names the file bound" "$(grep "staging_files" "$LOG")" \
	"holds 4 staging files, the \[tenants\] staging_files bound"
as "$USER_A" rm "$MNT/submit/.fill1" "$MNT/submit/.fill2" "$MNT/submit/.f3" "$MNT/submit/.f4"
as "$USER_B" rm "$MNT/submit/.b"

# An unlinked staging file that is still open holds its bytes: still A's.
out=$(as "$USER_A" /usr/bin/python3 - "$MNT/submit" <<'PY'
import errno, os, sys, time
def write(path, n):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        data = memoryview(b"z" * n)
        while data:  # the kernel splits a write; a refused part makes it short
            data = data[os.write(fd, data):]
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    finally:
        os.close(fd)
submit = sys.argv[1]
deadline = time.monotonic() + 30
while write(submit + "/.probe", 7 * 1048576) != "ok" and time.monotonic() < deadline:
    time.sleep(0.1)  # the removed files' release reaches the gateway after rm returns
os.unlink(submit + "/.probe")
held = os.open(submit + "/.held", os.O_WRONLY | os.O_CREAT, 0o600)
os.write(held, b"h" * 6 * 1048576)
os.unlink(submit + "/.held")
print(write(submit + "/.other", 4 * 1048576), end=" ")
os.close(held)
deadline = time.monotonic() + 30
result = write(submit + "/.other", 4 * 1048576)
while result != "ok" and time.monotonic() < deadline:
    time.sleep(0.1)
    result = write(submit + "/.other", 4 * 1048576)
print(result)
os.unlink(submit + "/.other")
PY
)
tap_is "6 MiB unlinked but open still count (EDQUOT for 4 more); closed, they do not" "$out" \
	"EDQUOT ok"

as "$USER_A" cp "$HELLO" "$MNT/submit/a.tar"
tap_is "A submits again once under its bound" "$?" 0

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
