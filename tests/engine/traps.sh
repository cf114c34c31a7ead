#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Traps and the timeout (docs/spec.md §3): each ends the job with a clear exit state and exit status
# 1, and zvm itself survives to print the report. Timed: run alone (is_parallel false).
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program div-zero oob unreachable recursion-big recursion-deep spin

# trap_bundle NAME [MEMBER=PATH...]: the program NAME.nexe with the standard channels, and
# /dev/stdin from divisor.txt when the bundle has one.
trap_bundle() {
	local name=$1
	shift
	{
		echo "Version = 20130611"
		echo "Program = $name.nexe"
		echo "Memory = 67108864,0"
		echo "Timeout = ${TRAP_TIMEOUT:-10}"
		if [ $# -gt 0 ]; then
			echo "Channel = divisor.txt,/dev/stdin,0,0,16,1024,0,0"
		else
			echo "Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0"
		fi
		echo "Channel = stdout,/dev/stdout,0,0,0,0,1024,65536"
		echo "Channel = stderr,/dev/stderr,0,0,0,0,1024,65536"
	} >"$WORK/src/$name.manifest"
	make_bundle "$name" manifest="$WORK/src/$name.manifest" \
		"$name.nexe=$PROGRAMS/$name.nexe" "$@"
}

# check_trap NAME EXPECTED-REGEX
check_trap() {
	local name=$1
	check_failed "$name: zvm exits 1"
	check_zvm_survived "$name: zvm survives and reports"
	run_is "$name: validator state 0 (the module was valid)" "$(report_line 1)" 0
	run_like "$name: exit state" "$(report_line 6)" "$2"
	echo "# $name: exit state '$(report_line 6)'"
}

printf '0\n' >"$WORK/src/divisor.txt"
zvm_run div-zero "$(trap_bundle div-zero divisor.txt="$WORK/src/divisor.txt")"
check_trap div-zero '^trap: integer divide by zero$'
run_is "div-zero: the program read its divisor first" "$(out_file stderr)" "dividing by 0"

zvm_run oob "$(trap_bundle oob)"
check_trap oob '^trap: out of bounds memory access$'

zvm_run unreachable "$(trap_bundle unreachable)"
check_trap unreachable '^trap: unreachable executed$'

zvm_run recursion-big "$(trap_bundle recursion-big)"
check_trap "recursion with 64 KiB frames" '^trap: '

zvm_run recursion-deep "$(trap_bundle recursion-deep)"
check_trap "recursion without shadow-stack frames" '^trap: '

# Timeout = 1 on an endless loop. The first run fills the translation cache; the second is
# timed: the alarm counts from the program's first instruction, so zvm is done in ~1 s plus
# its start and end; the bound is 10 s so that a busy machine's slow start cannot fail it
# (an alarm that never came would run the endless loop until the test's own timeout).
bundle=$(TRAP_TIMEOUT=1 trap_bundle spin)
zvm_run spin-cold "$bundle"
check_failed "timeout (cold cache): zvm exits 1"
run_is "timeout (cold cache): exit state" "$(report_line 6)" "session timeout"
zvm_run spin "$bundle"
check_failed "timeout: zvm exits 1"
check_zvm_survived "timeout: zvm survives and reports"
run_is "timeout: exit state" "$(report_line 6)" "session timeout"
run_check "timeout: Timeout = 1 ends the job within 10 s (took $RUN_SECONDS s)" \
	awk -v s="$RUN_SECONDS" 'BEGIN { exit !(s < 10.0) }'
run_is "timeout: what the program wrote before is kept" "$(out_file stdout)" "spinning"

# The same with etags on every channel: their digest threads hold what was written in a ring
# when the alarm comes; the report still gives each digest whole.
{
	echo "Version = 20130611"
	echo "Program = spin.nexe"
	echo "Memory = 67108864,0"
	echo "Timeout = 1"
	echo "Channel = /dev/null,/dev/stdin,0,1,16,1024,0,0"
	echo "Channel = stdout,/dev/stdout,0,1,0,0,1024,65536"
	echo "Channel = stderr,/dev/stderr,0,1,0,0,1024,65536"
} >"$WORK/src/spin-etags.manifest"
zvm_run spin-etags "$(make_bundle spin-etags manifest="$WORK/src/spin-etags.manifest" \
	spin.nexe="$PROGRAMS/spin.nexe")"
run_is "timeout with etags: exit state" "$(report_line 6)" "session timeout"
run_check "timeout with etags: ends within 10 s (took $RUN_SECONDS s)" \
	awk -v s="$RUN_SECONDS" 'BEGIN { exit !(s < 10.0) }'
empty=$(printf '' | sha256sum | cut -d' ' -f1)
run_like "timeout with etags: stdout's digest is of what was written" "$(report_line 4)" \
	"(^| )/dev/stdout $(printf 'spinning\n' | sha256sum | cut -d' ' -f1)( |\$)"
run_like "timeout with etags: stderr's is of nothing" "$(report_line 4)" \
	"(^| )/dev/stderr $empty( |\$)"

tap_done
