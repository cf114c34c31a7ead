#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Determinism (docs/spec.md §3, §4): one bundle run twice gives the same bytes and the same etags,
# memory etag included; the clock starts at nvram [time] (else 0) and random_get is seeded by
# the job; channel etags are digests of the bytes moved, in the configured algorithm.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program clock-random

copy_nexe=$ZVM_IMAGES/copy.nexe
input=$ZVM_SOURCE_DIR/images/copy/input.bin
if [ ! -f "$copy_nexe" ]; then
	echo "1..0 # SKIP $copy_nexe is not built"
	exit 0
fi

# --- the same bundle twice: outputs and etags, memory etag included ----------------------
src=$WORK/src/copy-etag
mkdir -p "$src"
{
	std_manifest copy.nexe 67108864,1 10
	echo "Channel = input.bin,/dev/input,0,1,1024,1048576,0,0"
	echo "Channel = out/copy.bin,/dev/output,0,1,0,0,1024,1048576"
} >"$src/manifest"
bundle=$(make_bundle copy-etag manifest="$src/manifest" copy.nexe="$copy_nexe" \
	input.bin="$input")

zvm_run copy-etag-1 "$bundle"
check_ok "copy with etags: first run ok"
first_etags=$(report_line 4)
first_counts=$(report_line 5 | cut -d' ' -f3-)
first_out=$RUN_OUT
zvm_run copy-etag-2 "$bundle"
check_ok "copy with etags: second run ok"
run_is "same bundle twice: identical etag line" "$(report_line 4)" "$first_etags"
run_is "same bundle twice: identical accounting counters" \
	"$(report_line 5 | cut -d' ' -f3-)" "$first_counts"
run_check "same bundle twice: identical output files" diff -r -- "$first_out" "$RUN_OUT"

sha256=$(sha256sum <"$input" | cut -d' ' -f1)
run_like "etag line names /dev/input, /dev/output and /dev/memory" "$first_etags" \
	'^(/dev/(input|output|memory) [0-9a-f]{64} ){2}/dev/memory [0-9a-f]{64}$'
run_like "etag of /dev/input is the sha256 of the bytes read" "$first_etags" \
	"(^| )/dev/input $sha256( |\$)"
run_like "etag of /dev/output is the sha256 of the bytes written" "$first_etags" \
	"(^| )/dev/output $sha256( |\$)"
run_like "/dev/memory comes last" "$first_etags" ' /dev/memory [0-9a-f]+$'

# --- more etag'd channels than the runner has digest threads (4): all digests right ------
mkdir -p "$WORK/src/copy-etags"
cat >"$WORK/src/copy-etags/manifest" <<EOF
Version = 20130611
Program = copy.nexe
Memory = 67108864,0
Timeout = 10
Channel = input.bin,/dev/input,0,1,1024,1048576,0,0
Channel = /dev/null,/dev/stdin,0,1,16,1024,0,0
Channel = stdout,/dev/stdout,0,1,0,0,65536,16777216
Channel = stderr,/dev/stderr,0,1,0,0,65536,16777216
Channel = out/copy.bin,/dev/output,0,1,0,0,1024,1048576
EOF
etags_bundle=$(make_bundle copy-etags manifest="$WORK/src/copy-etags/manifest" \
	copy.nexe="$copy_nexe" input.bin="$input")
zvm_run copy-etags "$etags_bundle"
check_ok "copy with five etag'd channels: ok"
empty=$(sha256sum </dev/null | cut -d' ' -f1)
etags=$(report_line 4 | tr ' ' '\n' | paste - - | sort | tr '\t' ' ' | paste -sd' ')
run_is "five etag'd channels: each the sha256 of its bytes" "$etags" \
	"/dev/input $sha256 /dev/output $sha256 /dev/stderr $empty /dev/stdin $empty /dev/stdout $empty"

# --- etag = md5 in [limits] ------------------------------------------------------------
write_config "$WORK/md5.conf" "[limits]" "etag = md5"
RUN_CONFIG=$WORK/md5.conf zvm_run copy-etag-md5 "$bundle"
check_ok "copy with etag = md5: ok"
md5=$(md5sum <"$input" | cut -d' ' -f1)
run_like "etag = md5: /dev/input digest is the md5 of the bytes read" "$(report_line 4)" \
	"(^| )/dev/input $md5( |\$)"
run_like "etag = md5: /dev/memory digest is 32 hex digits" "$(report_line 4)" \
	' /dev/memory [0-9a-f]{32}$'

# --- clock and randomness --------------------------------------------------------------
std_manifest clock-random.nexe 67108864,1 10 >"$WORK/src/clock-random.manifest"
bundle=$(make_bundle clock-random manifest="$WORK/src/clock-random.manifest" \
	clock-random.nexe="$PROGRAMS/clock-random.nexe")
zvm_run clock-random-1 "$bundle"
check_ok "clock-random: first run ok"
first_stdout=$(out_file stdout)
first_etags=$(report_line 4)
zvm_run clock-random-2 "$bundle"
check_ok "clock-random: second run ok"
run_is "clock and random: identical output in two runs" "$(out_file stdout)" "$first_stdout"
run_is "clock and random: identical memory etag in two runs" "$(report_line 4)" "$first_etags"
seconds=$(printf '%s\n' "$first_stdout" | sed -n 's/^time \([0-9]*\)$/\1/p')
run_check "without [time] the clock starts at 0 (time() = ${seconds:-nothing})" \
	test -n "$seconds" -a "${seconds:-999}" -lt 60
run_like "getentropy gave 16 bytes" "$first_stdout" '^getentropy [0-9a-f]{32}$'

printf '[time]\nseconds=1700000000\n' >"$WORK/src/time.nvram"
{
	std_manifest clock-random.nexe 67108864,0 10
	echo "Channel = nvram,/dev/nvram,3,0,64,10240,0,0"
} >"$WORK/src/clock-time.manifest"
bundle=$(make_bundle clock-time manifest="$WORK/src/clock-time.manifest" \
	clock-random.nexe="$PROGRAMS/clock-random.nexe" nvram="$WORK/src/time.nvram")
zvm_run clock-time-1 "$bundle"
check_ok "clock with [time]: first run ok"
first_stdout=$(out_file stdout)
zvm_run clock-time-2 "$bundle"
run_is "clock with [time]: identical output in two runs" "$(out_file stdout)" "$first_stdout"
seconds=$(printf '%s\n' "$first_stdout" | sed -n 's/^time \([0-9]*\)$/\1/p')
run_check "[time] seconds=1700000000 is what time() says (${seconds:-nothing})" \
	test -n "$seconds" -a "${seconds:-0}" -ge 1700000000 -a "${seconds:-0}" -lt 1700000060
realtime=$(printf '%s\n' "$first_stdout" | sed -n 's/^realtime \([0-9]*\)\..*/\1/p')
run_check "[time] seconds=1700000000 is what CLOCK_REALTIME says (${realtime:-nothing})" \
	test -n "$realtime" -a "${realtime:-0}" -ge 1700000000 -a "${realtime:-0}" -lt 1700000060

tap_done
