#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The example images (images/*) run through `zvm run` with exit state ok and the expected
# output; the report's format, the user return code, the default output directory and
# zvm's own exit statuses.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program exitcode

image() {
	echo "$ZVM_IMAGES/$1.tar"
}

# hello
zvm_run hello "$(image hello)"
check_ok "hello: exit state ok"
check_report_shape "hello: report has six well-formed lines"
run_is "hello: validator state 0" "$(report_line 1)" 0
run_is "hello: user return code 0" "$(report_line 3)" 0
run_is "hello: etags disabled" "$(report_line 4)" disabled
run_is "hello: stdout" "$(out_file stdout)" "hello, world"
run_is "hello: stdout is exactly one line" "$(out_size stdout)" 13
run_is "hello: accounting counts 13 bytes written" "$(accounting_field 6)" 13
run_is "hello: accounting counts no bytes read" "$(accounting_field 4)" 0

# hello again, without --out: ./hello.out in the current directory
rm -rf "$WORK/cwd/hello.out"
(cd "$WORK/cwd" && timeout -k 5 "$ZVM_RUN_TIMEOUT" "$ZVM" run --config "$CONFIG" \
	"$(image hello)" >/dev/null 2>&1)
run_is "hello: default output directory is ./hello.out" \
	"$(cat "$WORK/cwd/hello.out/stdout" 2>/dev/null)" "hello, world"

# wc: input.txt as /dev/stdin
zvm_run wc "$(image wc)"
check_ok "wc: exit state ok"
expected=$(wc -l -w -c <"$ZVM_SOURCE_DIR/images/wc/input.txt" | awk '{ print $1, $2, $3 }')
run_is "wc: counts lines, words and bytes of stdin" "$(out_file stdout)" "$expected"
run_is "wc: accounting counts the input's bytes read" "$(accounting_field 4)" \
	"$(stat -c %s "$ZVM_SOURCE_DIR/images/wc/input.txt")"

# copy: /dev/input -> out/copy.bin, etag 1 on both; plain 4 KiB read()/write() calls
input=$ZVM_SOURCE_DIR/images/copy/input.bin
zvm_run copy "$(image copy)"
check_ok "copy: exit state ok"
run_check "copy: out/copy.bin equals the input" cmp -- "$input" "$RUN_OUT/out/copy.bin"
in_digest=$(sha256sum <"$input" | cut -d' ' -f1)
out_digest=$(sha256sum <"$RUN_OUT/out/copy.bin" 2>/dev/null | cut -d' ' -f1)
etags=$(report_line 4 | tr ' ' '\n' | paste - - | sort | tr '\t' ' ' | paste -sd' ')
run_is "copy: etags are the sha256 of the bytes read and written" "$etags" \
	"/dev/input $in_digest /dev/output $out_digest"
# 10000 bytes: reads of 4096, 4096, 1808 and one at EOF; three writes; nothing on stdout.
run_is "copy: accounting counts 4 reads, 10000 bytes, 3 writes, 10000 bytes" \
	"$(report_line 5 | cut -d' ' -f3-)" "4 10000 3 10000 0 0 0 0"
run_is "copy: stdout is empty" "$(out_size stdout)" 0

# nvram-args: argv, env and clock from /dev/nvram
zvm_run nvram-args "$(image nvram-args)"
check_ok "nvram-args: exit state ok"
run_is "nvram-args: argv, environment and [time] from nvram" "$(out_file stdout)" \
	"argc=4
argv[0]=nvram-args
argv[1]=one
argv[2]=two words
argv[3]=three
GREETING=hello
TARGET=world
time=1700000000 2023-11-14T22:13:20Z"

# tar-image: lib.tar mounted read-only at /lib by [fstab]
zvm_run tar-image "$(image tar-image)"
check_ok "tar-image: exit state ok"
run_is "tar-image: prints /lib/data/greeting.txt from the image" "$(out_file stdout)" \
	"$(cat "$ZVM_SOURCE_DIR/images/tar-image/lib/data/greeting.txt")"

# A program's return code is the report's user return code; the session is still ok.
std_manifest exitcode.nexe 67108864,0 10 >"$WORK/src/exitcode.manifest"
bundle=$(make_bundle exitcode manifest="$WORK/src/exitcode.manifest" \
	exitcode.nexe="$PROGRAMS/exitcode.nexe")
zvm_run exitcode "$bundle"
check_ok "exitcode: exit state ok (a non-zero return is still an exit)"
run_is "exitcode: user return code 42" "$(report_line 3)" 42

# zvm's own usage and config errors exit 2
(cd "$WORK/cwd" && "$ZVM" run --config "$CONFIG" >/dev/null 2>&1)
run_is "zvm run without a bundle exits 2" "$?" 2
(cd "$WORK/cwd" && "$ZVM" run --config "$WORK/no-such.conf" "$(image hello)" >/dev/null 2>&1)
run_is "zvm run with a missing config file exits 2" "$?" 2
write_config "$WORK/typo.conf" "[limits]" "max_memroy = 64M"
(cd "$WORK/cwd" && "$ZVM" run --config "$WORK/typo.conf" "$(image hello)" >/dev/null 2>&1)
run_is "zvm run with an unknown config key exits 2" "$?" 2

tap_done
