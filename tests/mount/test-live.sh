#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A job while it runs: growing stdout and tail -f, report absent until the end, wait (a read
# that blocks, interruptible) and poll on it, ctl kill, rm -r of a running job, and the
# sandbox user running the module.
. "$(dirname "$0")/lib.sh"

mount_setup
mount_start
# About 50 ms of spinning per 100 million iterations on the machine these were tuned on.
make_ticker slow 40 200000000
make_ticker long 100000 200000000

id=$(submit "$WORK/slow.tar")
wait_state "$id" running 120
tap_is "the job runs" "$(status_of "$id" state)" "running"
J=$MNT/jobs/$id
tap_check "no report while it runs" test ! -e "$J/report"
tap_is "ls shows no report or accounting yet" "$(ls "$J" | tr '\n' ' ')" \
	"ctl manifest out status stderr stdout "
tap_like "started is set" "$(status_of "$id" started)" '^[0-9]{4}-'

# poll: not ready while it runs; a client learns the end without reading in a loop.
python3 - "$J/wait" >"$WORK/poll.out" 2>&1 <<'PY' &
import os, select, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
p = select.poll()
p.register(fd, select.POLLIN)
early = p.poll(300)
start = time.monotonic()
late = p.poll(60000)
text = os.read(fd, 4096).decode()
print("early", len(early), "late", bool(late and late[0][1] & select.POLLIN), text.split("\n")[1])
PY
poll_pid=$!

# Growth and tail -f are waited for (up to a minute), not given a fixed time: on a busy
# machine a line may take seconds.
size1=$(stat -c %s "$J/stdout")
size2=$size1
for _ in $(seq 600); do
	size2=$(stat -c %s "$J/stdout")
	[ "$size2" -gt "$size1" ] && break
	sleep 0.1
done
tap_check "stdout grows while the job runs ($size1 -> $size2)" test "$size2" -gt "$size1"
# tail -f from the first line, started while lines are still missing: it ends up with all 40
# only by following the ones written after it started, and it is still running then.
lines0=$(wc -l <"$J/stdout")
tail -n +1 -f "$J/stdout" >"$WORK/tail.out" &
tailer=$!
for _ in $(seq 1200); do
	[ "$(wc -l <"$WORK/tail.out")" -ge 40 ] && break
	sleep 0.1
done
lines1=$(wc -l <"$WORK/tail.out")
tap_check "tail -f is still following at the end" kill -0 "$tailer"
kill "$tailer"
wait "$tailer" 2>/dev/null
tap_check "tail -f follows new lines ($lines0 when it started, $lines1 seen)" \
	test "$lines0" -lt 40 -a "$lines1" -eq 40

status=$(wait_job "$id")
tap_is "wait blocks until the end and returns the status" "$(echo "$status" | sed -n 2p)" \
	"state done"
wait "$poll_pid"
tap_is "poll: nothing before the end, POLLIN at the end" "$(cat "$WORK/poll.out")" \
	"early 0 late True state done"
tap_is "all lines are there" "$(wc -l <"$J/stdout")" 40
tap_is "the output file" "$(cat "$J/out/result.txt")" "ticks 40"
tap_is "report and accounting appear" "$(ls "$J" | tr '\n' ' ')" \
	"accounting ctl manifest out report status stderr stdout "
tap_is "the report's exit state" "$(tail -1 "$J/report")" "ok"
tap_is "wait of an ended job answers at once" "$(timeout 5 cat "$J/wait" | sed -n 2p)" "state done"

# A long job: the runner's user, an interrupted wait, ctl.
long=$(submit "$WORK/long.tar")
wait_state "$long" running 60
L=$MNT/jobs/$long
descendants() {
	local pid child
	for pid in "$@"; do
		for child in $(pgrep -P "$pid"); do
			echo "$child"
			descendants "$child"
		done
	done
}
users=$(for pid in $(descendants "$DAEMON_PID"); do ps -o user= -p "$pid"; done | sort -u | tr '\n' ' ')
tap_like "the module runs as the sandbox user" "$users" "nobody"

out=$(python3 - "$L/wait" <<'PY'
import os, signal, sys, time
class Alarm(Exception):
    pass
def on_alarm(signum, frame):
    raise Alarm()
signal.signal(signal.SIGALRM, on_alarm)
fd = os.open(sys.argv[1], os.O_RDONLY)
start = time.monotonic()
signal.alarm(1)
try:
    os.read(fd, 4096)
    print("read returned")
except Alarm:
    print("interrupted" if time.monotonic() - start < 30 else "interrupted late")
PY
)
tap_is "a signal interrupts a blocked read of wait" "$out" "interrupted"
start=$(date +%s)
timeout 1 cat "$L/wait" >/dev/null
tap_is "timeout(1) kills a reader of wait" "$?" 124
# Promptly: well before the job could end (it runs until killed), even on a busy machine.
tap_check "promptly" test $(($(date +%s) - start)) -le 20
tap_is "the daemon still answers" "$(status_of "$long" state)" "running"

echo nonsense >"$L/ctl" 2>/dev/null
tap_is "ctl refuses an unknown word" "$?" 1
python3 -c 'import errno, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
try:
    os.write(fd, b"stop\n")
except OSError as e:
    print(errno.errorcode[e.errno])' "$L/ctl" >"$WORK/ctl.out"
tap_is "with EINVAL" "$(cat "$WORK/ctl.out")" "EINVAL"
echo kill >"$L/ctl"
tap_is "echo kill > ctl succeeds" "$?" 0
status=$(wait_job "$long")
tap_is "the job ends killed" "$(echo "$status" | sed -n '2,3p' | tr '\n' ' ')" \
	"state killed exit_state killed "
tap_is "its report says killed" "$(tail -1 "$L/report")" "killed"

# rm -r of a running job kills it and removes it; a waiter learns that it ended killed (rm
# unlinks a file first, which stops the job) or, when the removal came first, that it is gone.
long2=$(submit "$WORK/long.tar" long2.tar)
wait_state "$long2" running 60
(exec 3<"$MNT/jobs/$long2/wait" && : >"$WORK/gone.opened" && cat <&3 >"$WORK/gone.out" 2>"$WORK/gone.err"
	echo $? >"$WORK/gone.status") &
# The waiter has opened wait (it says so after the open) before the job goes.
for _ in $(seq 600); do [ -e "$WORK/gone.opened" ] && break; sleep 0.1; done
rm -r "$MNT/jobs/$long2"
tap_is "rm -r of a running job succeeds" "$?" 0
tap_check "it is gone" test ! -e "$MNT/jobs/$long2"
for _ in $(seq 600); do [ -e "$WORK/gone.status" ] && break; sleep 0.1; done
waiter=$(cat "$WORK/gone.status" 2>/dev/null):$(sed -n 2p "$WORK/gone.out" 2>/dev/null)
tap_like "its waiter returns: killed, or an error ($waiter)" "$waiter" '^(0:state killed|1:)$'
for _ in $(seq 600); do [ -e "$STATE/jobs/.del-$long2" ] || break; sleep 0.1; done
tap_check "its files are removed once the runner stopped" test ! -e "$STATE/jobs/.del-$long2" -a \
	! -e "$STATE/jobs/$long2"
# The zygote (docs/engine.md §5a) stays; it is not a runner.
runners=$(for pid in $(descendants "$DAEMON_PID"); do
	grep -q -- --zygote "/proc/$pid/cmdline" 2>/dev/null || echo "$pid"
done)
tap_is "no runner is left" "$(echo -n "$runners" | grep -c .)" 0

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
