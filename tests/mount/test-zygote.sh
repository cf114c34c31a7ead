#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The zygote (docs/engine.md): the gateway forks its runners from one pre-started
# `zvm-sandbox --zygote`. A runner forked from it is fenced as an exec'd one is (sandbox uid,
# no_new_privs, seccomp, no descriptor but its channels); a job kill still works; a zygote
# killed with -9 is replaced and jobs go on; [sandbox] zygote = false execs as before; and when
# the daemon dies, the zygote and its runners die with it.
. "$(dirname "$0")/lib.sh"

mount_setup
mount_start
make_ticker long 100000 200000000

zygotes() {
	pgrep -P "$DAEMON_PID" -f -- '--zygote'
}

hello=$(submit "$HELLO")
tap_is "a hello job ends done" "$(wait_job "$hello" | sed -n 2p)" "state done"
tap_check "it wrote its greeting" test -s "$MNT/jobs/$hello/stdout"
zygote=$(zygotes)
tap_is "the daemon has one zygote" "$(echo "$zygote" | grep -c .)" 1

long=$(submit "$WORK/long.tar")
wait_state "$long" running 60
for _ in $(seq 600); do [ -s "$MNT/jobs/$long/stdout" ] && break; sleep 0.1; done
runner=$(pgrep -P "$zygote" | head -n 1)
tap_check "the running job's runner is a child of the zygote" test -n "$runner"
tap_is "named zvm-sandbox" "$(cat "/proc/$runner/comm" 2>/dev/null)" "zvm-sandbox"
nobody=$(id -u nobody)
tap_is "with the sandbox user's uid" "$(awk '/^Uid:/ {print $2}' "/proc/$runner/status")" \
	"$nobody"
tap_is "no_new_privs" "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$runner/status")" 1
tap_is "a seccomp filter" "$(awk '/^Seccomp:/ {print $2}' "/proc/$runner/status")" 2
tap_is "no capabilities" "$(awk '/^CapEff:/ {print $2}' "/proc/$runner/status")" \
	0000000000000000
# The job's channels are 7 + i (stdin /dev/null has none); nothing of the zygote's, nothing
# below 7 (the plan, the region, the filter, the start pipe are closed by then).
fds=$(ls "/proc/$runner/fd" | sort -n | tr '\n' ' ')
echo "# runner descriptors: $fds"
tap_check "it has descriptors (its channels)" test -n "$fds"
tap_is "none below 7 (the channels start there)" \
	"$(ls "/proc/$runner/fd" | awk '$1 < 7' | tr '\n' ' ')" ""
links=$(for fd in /proc/"$runner"/fd/*; do readlink "$fd"; done | grep -E 'socket:|anon_inode|pipe:' || true)
tap_is "no socket, pidfd, signalfd or pipe among them" "$links" ""
echo kill >"$MNT/jobs/$long/ctl"
tap_is "a kill through ctl ends the job killed" "$(wait_job "$long" | sed -n 2p)" "state killed"
tap_check "and its runner is gone" sh -c "! kill -0 $runner 2>/dev/null || grep -q '^State:.*Z' /proc/$runner/status"

kill -KILL "$zygote"
# Dead (a zombie until the daemon reaps it) before the next job comes.
for _ in $(seq 300); do
	state=$(ps -o stat= -p "$zygote" 2>/dev/null) || break
	[ "${state#Z}" != "$state" ] && break
	sleep 0.1
done
hello2=$(submit "$HELLO" hello2.tar)
tap_is "after kill -9 of the zygote, a job still runs to done" \
	"$(wait_job "$hello2" | sed -n 2p)" "state done"
tap_check "with the same stdout" cmp "$MNT/jobs/$hello/stdout" "$MNT/jobs/$hello2/stdout"
hello3=$(submit "$HELLO" hello3.tar)
wait_job "$hello3" >/dev/null
zygote2=$(zygotes)
tap_is "a new zygote took its place" "$(echo "$zygote2" | grep -c .)" 1
tap_check "under another pid" test "$zygote2" != "$zygote"

# The daemon dies: the zygote and a running job's runner go with it.
long2=$(submit "$WORK/long.tar" long2.tar)
wait_state "$long2" running 60
for _ in $(seq 600); do [ -s "$MNT/jobs/$long2/stdout" ] && break; sleep 0.1; done
zygote3=$(zygotes)
runner=$(pgrep -P "$zygote3" | head -n 1)
tap_check "a runner runs under the zygote" test -n "$runner"
mount_kill9
gone() {
	local state
	state=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
	[ "${state#Z}" != "$state" ]
}
for _ in $(seq 300); do gone "$zygote3" && gone "$runner" && break; sleep 0.1; done
tap_check "kill -9 of the daemon: its zygote is gone" gone "$zygote3"
tap_check "and so is the runner" gone "$runner"

# Without the zygote the runner is exec'd by the daemon, as before.
echo "zygote = false" >"$WORK/zygote-off"
sed -i '/^\[sandbox\]/r '"$WORK/zygote-off" "$CONFIG"
mount_start
hello4=$(submit "$HELLO" hello4.tar)
tap_is "[sandbox] zygote = false: a job runs to done" \
	"$(wait_job "$hello4" | sed -n 2p)" "state done"
tap_is "and the daemon has no zygote" "$(zygotes | grep -c .)" 0
mount_stop
check_daemon_log
tap_done
