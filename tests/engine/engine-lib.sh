# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers for the engine tests (sourced; sources ../lib/tap.sh). Each script gets a scratch
# directory with an operator config, builds its bundles there with images/make-bundle.sh,
# runs them with `zvm run`, and checks the report, the exit status and the output files.
#   engine_setup                      scratch dir $WORK, config $CONFIG, cleanup on exit
#   write_config FILE [LINES...]      [sandbox] for the build tree, then LINES verbatim
#   std_manifest PROGRAM MEMORY TIMEOUT   manifest head with the three standard channels
#   make_bundle NAME MEMBER=PATH...   -> $WORK/bundles/NAME.tar (prints the path)
#   zvm_run NAME BUNDLE [OPTION...]   sets RUN_STATUS RUN_REPORT REPORT[] RUN_OUT RUN_STDERR
#                                     RUN_SECONDS; the output directory is $WORK/NAME.out
#   zvm_start NAME BUNDLE / zvm_finish   the same in two steps: zvm runs in the background
#                                     under timeout(1), pid $ZVM_PID, meanwhile
#   run_is / run_like / run_check     tap_is / tap_like / tap_check, plus the run's context
#   check_report_shape NAME           six lines, each in its format
# Environment: ZVM_BUILD_DIR, ZVM_SOURCE_DIR (tests/meson.build); ZVM_TEST_CACHE_DIR shares
# one translation cache between scripts (default: a fresh one per script);
# ZVM_TEST_SPLIT_BYTES sets [sandbox] compile_split_bytes (the split-* tests), with cc -O2 alone
# unless ZVM_TEST_FAST_CC names the first tier's compiler (compile_fast_cc, the tiers-* tests).

ENGINE_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/tap.sh
. "$ENGINE_TEST_DIR/../lib/tap.sh"

PROGRAMS="$ZVM_BUILD_DIR/tests/engine"
MAKE_BUNDLE="$ZVM_SOURCE_DIR/images/make-bundle.sh"
# Generous: a cold run includes translating the module (wasm2c and the C compiler).
ZVM_RUN_TIMEOUT=${ZVM_RUN_TIMEOUT:-180}

# On exit: stop the zvm runs this script left in the background (through timeout(1), which
# passes the signal on), then remove the scratch directory.
engine_cleanup() {
	local pid
	for pid in $(jobs -p); do
		kill -TERM "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "${WORK:-}" ] && rm -rf -- "$WORK"
}

engine_setup() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/zvm-engine.XXXXXX")
	trap engine_cleanup EXIT
	# As an operator's /var/cache would be: the unprivileged sandbox user may traverse it.
	chmod 0755 "$WORK"
	mkdir -p "$WORK/bundles" "$WORK/src" "$WORK/cwd"
	CACHE_DIR=${ZVM_TEST_CACHE_DIR:-$WORK/cache}
	CONFIG=$WORK/zvm.conf
	write_config "$CONFIG"
	if [ ! -x "$ZVM" ]; then
		echo "1..0 # SKIP $ZVM is not built"
		exit 0
	fi
}

write_config() {
	local file=$1
	shift
	{
		echo "[sandbox]"
		echo "cache_dir = $CACHE_DIR"
		echo "sandbox_helper = $ZVM_SANDBOX"
		echo "user = nobody"
		# The split-* tests: every module's C cut into units of this many bytes.
		if [ -n "${ZVM_TEST_SPLIT_BYTES:-}" ]; then
			echo "compile_split_bytes = $ZVM_TEST_SPLIT_BYTES"
			echo "compile_jobs = 2"
			echo "compile_fast_cc = ${ZVM_TEST_FAST_CC:-none}"
		fi
		local line
		for line in "$@"; do
			echo "$line"
		done
	} >"$file"
}

std_manifest() {
	cat <<EOF
Version = 20130611
Program = $1
Memory = $2
Timeout = $3
Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0
Channel = stdout,/dev/stdout,0,0,0,0,65536,16777216
Channel = stderr,/dev/stderr,0,0,0,0,65536,16777216
EOF
}

make_bundle() {
	local name=$1
	shift
	"$MAKE_BUNDLE" "$WORK/bundles/$name.tar" "$@" >&2 || return 1
	echo "$WORK/bundles/$name.tar"
}

# zvm_run NAME BUNDLE [OPTION...]: runs from $WORK/cwd with $RUN_CONFIG (default $CONFIG).
zvm_run() {
	zvm_start "$@"
	zvm_finish
}

zvm_start() {
	local name=$1 bundle=$2
	shift 2
	RUN_NAME=$name
	RUN_OUT=$WORK/$name.out
	rm -rf -- "$RUN_OUT"
	RUN_START=$EPOCHREALTIME
	(cd "$WORK/cwd" && exec timeout -k 5 "$ZVM_RUN_TIMEOUT" "$ZVM" run \
		--config "${RUN_CONFIG:-$CONFIG}" --out "$RUN_OUT" "$@" "$bundle" \
		>"$WORK/$name.report" 2>"$WORK/$name.zvm-stderr") &
	ZVM_PID=$!
}

# zvm_finish: waits for the zvm of zvm_start and loads its results.
zvm_finish() {
	wait "$ZVM_PID"
	RUN_STATUS=$?
	RUN_SECONDS=$(awk -v a="$RUN_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
	RUN_REPORT=$(cat "$WORK/$RUN_NAME.report")
	RUN_STDERR=$(head -c 4000 "$WORK/$RUN_NAME.zvm-stderr")
	REPORT=()
	if [ -n "$RUN_REPORT" ]; then
		mapfile -t REPORT <<<"$RUN_REPORT"
	fi
	return 0
}

# report_line N: line N (1-based) of the last run's report, empty when missing.
report_line() {
	echo "${REPORT[$(($1 - 1))]:-}"
}

# accounting_field N: field N (1-based) of report line 5.
accounting_field() {
	report_line 5 | awk -v n="$1" '{ print $n }'
}

out_file() {
	cat -- "$RUN_OUT/$1" 2>/dev/null
}

out_size() {
	if [ -f "$RUN_OUT/$1" ]; then
		stat -c %s -- "$RUN_OUT/$1"
	else
		echo "missing"
	fi
}

run_context() {
	printf 'run %s: zvm exit status %s after %s s\n' "${RUN_NAME:-?}" "${RUN_STATUS:-?}" \
		"${RUN_SECONDS:-?}"
	printf 'report:\n%s\n' "${RUN_REPORT:-(none)}"
	[ -n "${RUN_STDERR:-}" ] && printf 'zvm stderr:\n%s\n' "$RUN_STDERR"
	if [ -n "${RUN_OUT:-}" ] && [ -f "$RUN_OUT/stderr" ] && [ -s "$RUN_OUT/stderr" ]; then
		printf 'program stderr:\n%s\n' "$(head -c 2000 "$RUN_OUT/stderr")"
	fi
}

run_is() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "got:      $2" "expected: $3" "$(run_context)"
	fi
}

run_like() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then
		tap_ok "$1"
	else
		tap_fail "$1" "got:      $2" "expected to match: $3" "$(run_context)"
	fi
}

run_check() {
	local name=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		tap_ok "$name"
	else
		tap_fail "$name" "command: $*" "$out" "$(run_context)"
	fi
}

# The report's format (docs/spec.md §6, reference §3): six lines; validator state, daemon, user return
# code, etags, ten accounting fields (two CPU times, eight counters, the network four zero),
# exit state.
report_shape_problem() {
	[ "${#REPORT[@]}" -eq 6 ] || {
		echo "the report has ${#REPORT[@]} lines, not 6"
		return
	}
	[[ ${REPORT[0]} =~ ^[012]$ ]] || echo "line 1 (validator state) is '${REPORT[0]}'"
	[ "${REPORT[1]}" = 0 ] || echo "line 2 (daemon) is '${REPORT[1]}'"
	[[ ${REPORT[2]} =~ ^-?[0-9]+$ ]] || echo "line 3 (user return code) is '${REPORT[2]}'"
	[[ ${REPORT[3]} = disabled || ${REPORT[3]} =~ ^(/dev/[^ ]+ [0-9a-f]+)( /dev/[^ ]+ [0-9a-f]+)*$ ]] ||
		echo "line 4 (etags) is '${REPORT[3]}'"
	[[ ${REPORT[4]} =~ ^[0-9]+\.[0-9]{2}\ [0-9]+\.[0-9]{2}(\ [0-9]+){4}\ 0\ 0\ 0\ 0$ ]] ||
		echo "line 5 (accounting) is '${REPORT[4]}'"
	[ -n "${REPORT[5]}" ] || echo "line 6 (exit state) is empty"
}

check_report_shape() {
	local problem
	problem=$(report_shape_problem)
	if [ -z "$problem" ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "$problem" "$(run_context)"
	fi
}

# zvm_survived NAME: zvm ended by itself with 0 or 1 (not killed, not crashed, not a timeout
# of ours) and printed a six-line report.
check_zvm_survived() {
	if [ "$RUN_STATUS" -le 1 ] && [ "${#REPORT[@]}" -eq 6 ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "zvm exit status $RUN_STATUS, ${#REPORT[@]} report lines" "$(run_context)"
	fi
}

# check_ok NAME: the program ran to its exit: zvm exits 0 and the exit state is "ok".
check_ok() {
	if [ "$RUN_STATUS" = 0 ] && [ "$(report_line 6)" = ok ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "expected zvm exit status 0 and exit state ok" "$(run_context)"
	fi
}

# check_failed NAME: zvm exits 1 and the exit state is not "ok".
check_failed() {
	if [ "$RUN_STATUS" = 1 ] && [ -n "$(report_line 6)" ] && [ "$(report_line 6)" != ok ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "expected zvm exit status 1 and an exit state other than ok" \
			"$(run_context)"
	fi
}

# need_program NAME...: skip the whole script when a test program was not built.
need_program() {
	local name
	for name in "$@"; do
		if [ ! -f "$PROGRAMS/$name.nexe" ]; then
			echo "1..0 # SKIP $PROGRAMS/$name.nexe is not built"
			exit 0
		fi
	done
}
