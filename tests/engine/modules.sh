#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Modules through `zvm run` (issue #12, #15): what the module checker refuses because wasm2c
# 1.0.32 mistranslates it never runs; the table and bulk memory instructions it takes run
# right; a Rust program (the wasi-testsuite's, when ../shared holds it) is taken and runs.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program tables table-import table-huge

# module_case NAME: runs NAME.nexe with the standard channels.
module_case() {
	std_manifest "$1.nexe" 67108864,0 10 >"$WORK/src/$1.manifest"
	zvm_run "$1" "$(make_bundle "$1" manifest="$WORK/src/$1.manifest" \
		"$1.nexe=${2:-$PROGRAMS/$1.nexe}")"
}

module_case table-import
check_failed "an import in a table: zvm exits 1"
run_is "an import in a table: validator state 1" "$(report_line 1)" 1
run_like "an import in a table: exit state names the segment and the call" "$(report_line 6)" \
	'^validation failed: element segment 0 refers to the WASI import fd_write; '

module_case table-huge
check_failed "a table of 2^32 - 1 entries: zvm exits 1"
run_like "a table of 2^32 - 1 entries: exit state" "$(report_line 6)" \
	"^validation failed: the module's tables start with 4294967295 entries, over the limit"

module_case tables
check_failed "table instructions: zvm exits 1 (the last call traps)"
run_is "table instructions: every check passed" "$(out_file stdout)" "tables ok"
run_is "table instructions: user return code" "$(report_line 3)" 0
run_is "table instructions: a call past the table's end traps" "$(report_line 6)" \
	"trap: indirect call to a wrong or missing function"

# Rust's std exports __main_void beside _start and memory; the checker drops it. The suite is
# third-party test data beside the repository (ZVM_WASI_TESTSUITE names another copy).
rust=${ZVM_WASI_TESTSUITE:-$ZVM_SOURCE_DIR/../shared/wasi-testsuite}/rust
if [ -f "$rust/big_random_buf.wasm" ] && [ -f "$rust/stdio.wasm" ]; then
	module_case rust-random "$rust/big_random_buf.wasm"
	check_ok "Rust big_random_buf: exit state ok"
	run_is "Rust big_random_buf: user return code" "$(report_line 3)" 0
	# Without the preopened directory it asks for, it says so on stderr and exits 1.
	module_case rust-stdio "$rust/stdio.wasm"
	check_ok "Rust stdio: exit state ok"
	run_is "Rust stdio: user return code" "$(report_line 3)" 1
	run_is "Rust stdio: its message" "$(out_file stderr)" "failed to find scratch dir"
else
	tap_skip "Rust programs" "$rust holds no big_random_buf.wasm and stdio.wasm"
fi

tap_done
