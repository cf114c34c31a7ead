# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers for the tools tests (sourced; sources ../lib/tap.sh).
#   tools_setup        scratch dir $WORK (removed on exit), operator config $CONFIG
#   have_toolchain     0 when `zvm cc` can build a .nexe here (clang, wasi-libc, lld)
#   run_cmd CMD...     runs CMD; sets CMD_STATUS, CMD_OUT (stdout), CMD_ERR (stderr)

TOOLS_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/tap.sh
. "$TOOLS_TEST_DIR/../lib/tap.sh"

tools_setup() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/zvm-tools.XXXXXX")
	trap 'rm -rf -- "$WORK"' EXIT
	# The unprivileged sandbox user must traverse the cache directory.
	chmod 0755 "$WORK"
	CONFIG=$WORK/zvm.conf
	{
		echo "[sandbox]"
		echo "cache_dir = ${ZVM_TEST_CACHE_DIR:-$WORK/cache}"
		echo "sandbox_helper = $ZVM_SANDBOX"
		echo "user = nobody"
	} >"$CONFIG"
	if [ ! -x "$ZVM" ]; then
		echo "1..0 # SKIP $ZVM is not built"
		exit 0
	fi
}

have_toolchain() {
	command -v clang >/dev/null && [ -d /usr/include/wasm32-wasi ] &&
		command -v wasm-ld >/dev/null
}

# shellcheck disable=SC2034 # CMD_STATUS, CMD_OUT and CMD_ERR are for the scripts
run_cmd() {
	CMD_STATUS=0
	"$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err" || CMD_STATUS=$?
	CMD_OUT=$(cat "$WORK/cmd.out")
	CMD_ERR=$(cat "$WORK/cmd.err")
}
