#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `zvm cc`: the clang command it makes (--print-command), usage errors, a missing toolchain,
# and, when the wasm32-wasi toolchain is installed, real builds and a compile error.
# shellcheck source=tools-lib.sh
. "$(dirname "$0")/tools-lib.sh"
tools_setup

run_cmd "$ZVM" cc --help
tap_is "--help exits 0" "$CMD_STATUS" 0
tap_like "--help prints the usage" "$CMD_OUT" '^Usage: zvm cc'

run_cmd "$ZVM" cc --print-command hello.c -o hello.nexe
tap_is "--print-command: default flags" "$CMD_OUT" \
	"clang --target=wasm32-wasi --sysroot=/usr -O2 -s -Wl,--stack-first hello.c -o hello.nexe"

run_cmd "$ZVM" cc --print-command -O0 -g -c a.c
tap_is "--print-command: -O drops -O2; -c drops the link flags" "$CMD_OUT" \
	"clang --target=wasm32-wasi --sysroot=/usr -O0 -g -c a.c"

run_cmd "$ZVM" cc --print-command -g a.c
tap_is "--print-command: -g drops -s" "$CMD_OUT" \
	"clang --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--stack-first -g a.c"

run_cmd "$ZVM" cc --print-command -I inc -DX=1 -U Y -std=c11 -Wall -fno-builtin -x c a.txt b.c \
	-L lib -lm -o 'out put'
tap_is "--print-command: options pass through in order, quoted" "$CMD_OUT" \
	"clang --target=wasm32-wasi --sysroot=/usr -O2 -s -Wl,--stack-first -I inc -DX=1 -U Y -std=c11 -Wall -fno-builtin -x c a.txt b.c -L lib -lm -o 'out put'"

run_cmd "$ZVM" cc -o x.nexe
tap_is "no input files: exit 2" "$CMD_STATUS" 2
tap_like "no input files: says so" "$CMD_ERR" 'no input files'

run_cmd "$ZVM" cc a.c -o
tap_is "-o without a value: exit 2" "$CMD_STATUS" 2

mkdir -p "$WORK/nobin"
run_cmd env PATH="$WORK/nobin" "$ZVM" cc "$WORK/a.c"
tap_is "no clang on PATH: exit 2" "$CMD_STATUS" 2
tap_like "no clang on PATH: names the package" "$CMD_ERR" \
	'^zvm cc: clang is not installed \(apt-get install clang\)'

if ! have_toolchain; then
	tap_skip "builds" "the wasm32-wasi toolchain is not installed"
	tap_done
fi

cat >"$WORK/ok.c" <<'C'
#include <stdio.h>
int main(void) { puts("ok"); return 0; }
C
run_cmd "$ZVM" cc "$WORK/ok.c" -o "$WORK/ok.nexe"
tap_is "a build exits 0" "$CMD_STATUS" 0
tap_is "the output is a wasm module" "$(head -c 4 "$WORK/ok.nexe" | od -An -tx1 | tr -d ' ')" \
	"0061736d"
tap_is "the output is stripped (no name section)" \
	"$(grep -c 'name' "$WORK/ok.nexe" 2>/dev/null || true)" "0"

run_cmd bash -c "cd '$WORK' && '$ZVM' cc ok.c"
tap_is "default output: exit 0" "$CMD_STATUS" 0
tap_check "default output is a.out" test -s "$WORK/a.out"

run_cmd "$ZVM" cc -c "$WORK/ok.c" -o "$WORK/ok.o"
tap_is "-c: exit 0" "$CMD_STATUS" 0
tap_is "-c: no warning about link flags" "$CMD_ERR" ""

printf 'int main(void) { return 0 }\n' >"$WORK/bad.c"
run_cmd "$ZVM" cc "$WORK/bad.c" -o "$WORK/bad.nexe"
tap_check "a syntax error: non-zero exit" test "$CMD_STATUS" -ne 0
tap_like "a syntax error: clang's message" "$CMD_ERR" "bad.c:1:.*error: expected ';'"
tap_check "a syntax error: no output" test ! -e "$WORK/bad.nexe"

tap_done
