#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `zvm cache warm`: a bundle's program and a bare module are translated into the cache ahead
# of the job, which then runs from that object; the progress of a module cut in units on
# standard error; the exit statuses.
. "$(dirname "$0")/engine-lib.sh"
engine_setup

hello=$ZVM_IMAGES/hello.tar
wc_module=$ZVM_IMAGES/wc.nexe

out=$("$ZVM" cache warm --config "$CONFIG" "$hello" 2>"$WORK/warm.err")
run_is "cache warm of a bundle exits 0" "$?" 0
run_is "cache warm says it translated the bundle" "$out" "$hello: translated"
objects=("$CACHE_DIR"/*.so)
run_is "one object in the cache" "${#objects[@]}" 1
inode=$(stat -c %i "${objects[0]}")
zvm_run warm "$hello"
check_ok "the job runs after the cache warm"
run_is "and prints its output" "$(out_file stdout)" "hello, world"
# A translation would have published a new file (a rename): the job used the warm one.
run_is "from the object the cache warm made" "$(stat -c %i "$CACHE_DIR"/*.so)" "$inode"

out=$("$ZVM" cache warm --config "$CONFIG" "$hello" 2>&1)
run_is "cache warm of a warm bundle exits 0" "$?" 0

# A bare module, its C cut into units: one progress line per unit after the first "0 of".
write_config "$WORK/split.conf" "compile_split_bytes = 4096" "compile_jobs = 2"
out=$("$ZVM" cache warm --config "$WORK/split.conf" "$wc_module" 2>"$WORK/warm.err")
run_is "cache warm of a module exits 0" "$?" 0
run_like "it says where the object is" "$out" "^$wc_module: translated $CACHE_DIR/[0-9a-f]{64}\.so$"
total=$(sed -n 's/.*translating: 0 of \([0-9]*\) units$/\1/p' "$WORK/warm.err")
run_like "progress starts at 0 of the units" "$total" '^[0-9]+$'
run_is "one progress line per unit, then the last is all of them" \
	"$(grep -c 'translating: [0-9]* of' "$WORK/warm.err"):$(tail -n 1 "$WORK/warm.err")" \
	"$((total + 1)):$wc_module: translating: $total of $total units"

"$ZVM" cache warm --config "$CONFIG" "$WORK/nonexistent.tar" >/dev/null 2>&1
run_is "a missing file: exit 1" "$?" 1
printf '\0asm\1\0\0\0garbage' >"$WORK/bad.wasm"
err=$("$ZVM" cache warm --config "$CONFIG" "$WORK/bad.wasm" 2>&1 >/dev/null)
run_is "a module the checker refuses: exit 1" "$?" 1
run_like "with the checker's reason" "$err" "bad.wasm: "
"$ZVM" cache warm --config "$CONFIG" >/dev/null 2>&1
run_is "no argument: exit 2" "$?" 2
"$ZVM" cache cool --config "$CONFIG" "$hello" >/dev/null 2>&1
run_is "an unknown subcommand: exit 2" "$?" 2

tap_done
