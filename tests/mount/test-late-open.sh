#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# An output opened before its job ran (tail -f jobs/ID/stdout on a queued job): the open
# finds no file yet, and the first read after the run created it opens the real one, so the
# reader that kept its descriptor sees the whole output instead of an empty file forever.
. "$(dirname "$0")/lib.sh"

mount_setup "jobs = 1"
mount_start
# One worker: the blocker runs until the test kills it, so the second job waits in the queue
# for as long as the test needs, however slow the machine.
make_ticker blocker 1000000000 200000000 600
make_ticker late 30 20000000

blocker=$(submit "$WORK/blocker.tar")
wait_state "$blocker" running 120
tap_is "the blocker runs" "$(status_of "$blocker" state)" "running"
late=$(submit "$WORK/late.tar")
tap_is "the second job is queued behind it" "$(status_of "$late" state)" "queued"
L=$MNT/jobs/$late

# A reader that opens stdout now, reads it empty while queued, and keeps the descriptor.
python3 - "$L/stdout" "$L/status" >"$WORK/reader.out" 2>"$WORK/reader.err" <<'PY' &
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
first = os.read(fd, 65536)
state = [l for l in open(sys.argv[2]).read().split("\n") if l.startswith("state ")][0]
print("first read %d bytes while %s" % (len(first), state), file=sys.stderr, flush=True)
data = first
deadline = time.monotonic() + 120
while not data.endswith(b"tick 30\n") and time.monotonic() < deadline:
    chunk = os.read(fd, 65536)
    if chunk:
        data += chunk
    else:
        time.sleep(0.05)
sys.stdout.buffer.write(data)
PY
reader=$!
tail -f "$L/stdout" >"$WORK/tail.out" 2>"$WORK/tail.err" &
tailer=$!
# Both have opened stdout (the reader said so; tail holds it) before the blocker goes.
for _ in $(seq 1200); do
	[ -s "$WORK/reader.err" ] && find /proc/$tailer/fd -lname "$L/stdout" | grep -q . && break
	sleep 0.05
done
tap_is "the reader opened and read stdout while the job was queued" "$(cat "$WORK/reader.err")" \
	"first read 0 bytes while state queued"
tap_is "still queued after tail -f opened it" "$(status_of "$late" state)" "queued"
echo kill >"$MNT/jobs/$blocker/ctl"

wait_job "$late" >/dev/null
tap_is "the second job ran to done" "$(status_of "$late" state)" "done"
expected=$(seq -f "tick %g" 30)
tap_is "the file itself holds the whole output" "$(cat "$L/stdout")" "$expected"
wait "$reader"
tap_is "the reader's kept descriptor saw the whole output" "$(cat "$WORK/reader.out")" "$expected"
# tail -f polls the size once a second.
for _ in $(seq 1200); do
	[ "$(wc -l <"$WORK/tail.out")" -ge 30 ] && break
	sleep 0.05
done
kill "$tailer"
wait "$tailer" 2>/dev/null
tap_is "tail -f, started on the queued job, printed the whole output" "$(cat "$WORK/tail.out")" \
	"$expected"

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
