#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The fence around a running module (docs/spec.md §3 isolation): while a program spins, its runner is
# a zvm-sandbox process, a direct child of zvm, with the sandbox user's uid (as root), no
# capabilities, no_new_privs and a seccomp filter. Then the job times out as usual.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program spin

spin_bundle() {
	local name=$1 timeout=$2
	std_manifest spin.nexe 67108864,0 "$timeout" >"$WORK/src/$name.manifest"
	make_bundle "$name" manifest="$WORK/src/$name.manifest" spin.nexe="$PROGRAMS/spin.nexe"
}

# Fill the translation cache first, so the watched run starts the program at once.
zvm_run spin-warm "$(spin_bundle spin-warm 1)"
run_is "warm-up run times out" "$(report_line 6)" "session timeout"

zvm_start spin-fenced "$(spin_bundle spin-fenced 5)"
out=$RUN_OUT
# zvm_start runs zvm under timeout(1): zvm is the child of $ZVM_PID.
zvm_process=""
deadline=$((SECONDS + 60))
while [ -z "$zvm_process" ] && [ "$SECONDS" -lt "$deadline" ]; do
	zvm_process=$(pgrep -P "$ZVM_PID" -x zvm | head -n 1)
	[ -n "$zvm_process" ] || sleep 0.02
done

# Watch for the runner; take its status once the program has said "spinning" (or, should the
# engine hold stdout back until the end, two seconds after the runner appeared).
child=""
status=""
seen_at=""
how="never"
deadline=$((SECONDS + 120))
while [ -n "$zvm_process" ] && kill -0 "$zvm_process" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
	pid=$(pgrep -P "$zvm_process" -x zvm-sandbox | head -n 1)
	if [ -n "$pid" ]; then
		if [ "$pid" != "$child" ]; then
			child=$pid
			seen_at=$EPOCHREALTIME
		fi
		# Read the status only once "spinning" is seen, or it may predate the fence.
		if grep -q spinning "$out/stdout" 2>/dev/null; then
			snapshot=$(cat "/proc/$pid/status" 2>/dev/null) && status=$snapshot
			how="after the program wrote to stdout"
			break
		fi
		snapshot=$(cat "/proc/$pid/status" 2>/dev/null) && status=$snapshot
		if awk -v a="$seen_at" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a > 2) }'; then
			how="2 s after the runner appeared (stdout not seen)"
			break
		fi
	fi
	sleep 0.05
done

field() {
	printf '%s\n' "$status" | sed -n "s/^$1:[[:space:]]*//p" | tr -s '[:space:]' ' ' |
		sed 's/ $//'
}

if [ -n "$child" ] && [ -n "$status" ]; then
	tap_ok "the runner is a zvm-sandbox child of zvm (pid $child, status taken $how)"
	echo "# $(printf '%s\n' "$status" | grep -E '^(Name|Uid|Gid|Groups|CapEff|NoNewPrivs|Seccomp):' | paste -sd';')"
	if [ "$(id -u)" = 0 ]; then
		nobody=$(id -u nobody)
		run_is "runner uid is nobody's (real, effective, saved, fs)" "$(field Uid)" \
			"$nobody $nobody $nobody $nobody"
		run_check "runner gid is not root's ($(field Gid))" \
			bash -c '[[ " $1 " != *" 0 "* ]]' _ "$(field Gid)"
		run_check "runner has no root group among its groups ($(field Groups))" \
			bash -c '[[ " $1 " != *" 0 "* ]]' _ "$(field Groups)"
		run_is "runner has no effective capabilities" "$(field CapEff)" 0000000000000000
	else
		tap_skip "runner uid is nobody's" "not running as root"
		tap_skip "runner gid is not root's" "not running as root"
		tap_skip "runner has no root group among its groups" "not running as root"
		tap_skip "runner has no effective capabilities" "not running as root"
	fi
	run_is "runner has no_new_privs" "$(printf '%s\n' "$status" | grep '^NoNewPrivs:')" \
		$'NoNewPrivs:\t1'
	run_is "runner is under a seccomp filter" "$(printf '%s\n' "$status" | grep '^Seccomp:')" \
		$'Seccomp:\t2'
else
	tap_fail "the runner is a zvm-sandbox child of zvm" \
		"no zvm-sandbox child of zvm (pid ${zvm_process:-not found}) was seen"
fi

# Let it time out.
zvm_finish
check_failed "the watched job fails"
run_is "the watched job ends in a session timeout" "$(report_line 6)" "session timeout"
run_check "the watched job ends within Timeout = 5 and a bit, under 30 s on a busy machine (took $RUN_SECONDS s)" \
	awk -v s="$RUN_SECONDS" 'BEGIN { exit !(s < 30) }'
if [ -n "$child" ]; then
	run_check "the runner is gone after zvm exits" test ! -e "/proc/$child"
fi

tap_done
