# SPDX-License-Identifier: Apache-2.0
# TAP helpers for the shell tests (engine and mount): source it, call tap_check for each
# assertion, then tap_done. Output follows TAP 13 so meson reads each case.
# Environment: ZVM_BUILD_DIR and ZVM_SOURCE_DIR come from tests/meson.build.

set -u
TAP_COUNT=0
TAP_FAILED=0
ZVM="${ZVM_BUILD_DIR}/fs/zvm"
ZVM_SANDBOX="${ZVM_BUILD_DIR}/sandbox/zvm-sandbox"
ZVM_IMAGES="${ZVM_BUILD_DIR}/images"

# tap_ok NAME: record a passing case.
tap_ok() {
	TAP_COUNT=$((TAP_COUNT + 1))
	echo "ok ${TAP_COUNT} - $1"
}

# tap_fail NAME [DETAIL...]: record a failing case; DETAIL lines go out as diagnostics.
tap_fail() {
	TAP_COUNT=$((TAP_COUNT + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok ${TAP_COUNT} - $1"
	shift
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
}

# tap_skip NAME REASON
tap_skip() {
	TAP_COUNT=$((TAP_COUNT + 1))
	echo "ok ${TAP_COUNT} - $1 # SKIP $2"
}

# tap_check NAME COMMAND...: passes when COMMAND exits 0.
tap_check() {
	local name=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		tap_ok "$name"
	else
		tap_fail "$name" "command: $*" "$out"
	fi
}

# tap_is NAME GOT EXPECTED: passes when the two strings are equal.
tap_is() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "got:      $2" "expected: $3"
	fi
}

# tap_like NAME GOT REGEX: passes when GOT matches the extended REGEX.
tap_like() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then
		tap_ok "$1"
	else
		tap_fail "$1" "got:      $2" "expected to match: $3"
	fi
}

# tap_done: prints the plan and exits non-zero when a case failed.
tap_done() {
	echo "1..${TAP_COUNT}"
	[ "$TAP_FAILED" -eq 0 ]
	exit $?
}
