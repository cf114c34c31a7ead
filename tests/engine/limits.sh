#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Channel limits as ZeroVM's (docs/spec.md §4, reference §2.3): cut to the quota left, then EDQUOT;
# 0-byte calls free; a read at EOF uses a gets. An output flood stops at put_size. Memory caps
# malloc, and a module that starts bigger than Memory is refused.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program limits flood malloc-cap big-memory

# --- read and write limits -------------------------------------------------------------
src=$WORK/src/limits
mkdir -p "$src"
head -c 100 /dev/zero | tr '\0' 'r' >"$src/hundred.bin"
printf 'abcdefgh' >"$src/free.txt"
printf 'xyz' >"$src/three.txt"
{
	std_manifest limits.nexe 67108864,0 10
	echo "Channel = hundred.bin,/dev/rlimited,0,0,32,32,0,0"
	echo "Channel = free.txt,/dev/rfree,0,0,1,5,0,0"
	echo "Channel = three.txt,/dev/reof,0,0,2,100,0,0"
	echo "Channel = out/limited.bin,/dev/wlimited,0,0,0,0,32,32"
	echo "Channel = out/free.bin,/dev/wfree,0,0,0,0,1,5"
} >"$src/manifest"
bundle=$(make_bundle limits manifest="$src/manifest" limits.nexe="$PROGRAMS/limits.nexe" \
	hundred.bin="$src/hundred.bin" free.txt="$src/free.txt" three.txt="$src/three.txt")
zvm_run limits "$bundle"
check_ok "limits: exit state ok"
stdout=$(out_file stdout)
lines() {
	printf '%s\n' "$stdout" | grep -F -- "$1 " || true
}
run_is "read limit: 4 x 1 byte, 30 cut to 28, then EDQUOT; 0 bytes still free" \
	"$(lines /dev/rlimited)" "/dev/rlimited read 1: 1
/dev/rlimited read 1: 1
/dev/rlimited read 1: 1
/dev/rlimited read 1: 1
/dev/rlimited read 30: 28
/dev/rlimited read 1: -1 EDQUOT
/dev/rlimited read 0: 0"
run_is "read limit: 0-byte reads do not use up gets" "$(lines /dev/rfree)" \
	"/dev/rfree read 0: 0
/dev/rfree read 0: 0
/dev/rfree read 0: 0
/dev/rfree read 5: 5
/dev/rfree read 1: -1 EDQUOT"
# As ZeroVM's ZVMReadHandle: EOF is sticky on a sequential channel and checked before the
# limits, so only the first read at EOF is counted; later ones return 0 for free.
run_is "read limit: reads at EOF return 0" "$(lines /dev/reof)" \
	"/dev/reof read 10: 3
/dev/reof read 10: 0
/dev/reof read 10: 0"
run_is "write limit: 4 x 1 byte, 30 cut to 28, then EDQUOT; 0 bytes still free" \
	"$(lines /dev/wlimited)" "/dev/wlimited write 1: 1
/dev/wlimited write 1: 1
/dev/wlimited write 1: 1
/dev/wlimited write 1: 1
/dev/wlimited write 30: 28
/dev/wlimited write 1: -1 EDQUOT
/dev/wlimited write 0: 0"
run_is "write limit: 0-byte writes do not use up puts" "$(lines /dev/wfree)" \
	"/dev/wfree write 0: 0
/dev/wfree write 0: 0
/dev/wfree write 0: 0
/dev/wfree write 5: 5
/dev/wfree write 1: -1 EDQUOT"
run_is "limits: the program got to its end" "$(printf '%s\n' "$stdout" | tail -n 1)" "done"
run_is "write limit: out/limited.bin holds exactly the 32 bytes let through" \
	"$(out_file out/limited.bin)" "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
run_is "write limit: out/free.bin holds exactly 5 bytes" "$(out_file out/free.bin)" "ABCDE"
# Calls counted are those that used a gets/puts: reads 5 + 1 + 2 (the first read at EOF
# uses a gets), writes 5 + 1 + the one write of the report text to stdout; refused, 0-byte
# and repeated EOF calls are free. Bytes: 32 + 5 + 3 read; 32 + 5 + stdout written.
run_is "limits: accounting counts the reads that used a gets (the read at EOF included)" \
	"$(accounting_field 3)" 8
run_is "limits: accounting counts the 40 bytes read" "$(accounting_field 4)" 40
run_is "limits: accounting counts the writes that used a puts" "$(accounting_field 5)" 7
run_is "limits: accounting counts the bytes written" "$(accounting_field 6)" \
	"$((32 + 5 + $(out_size stdout)))"

# --- output flood: 10 MB at a 1 MiB put_size -------------------------------------------
src=$WORK/src/flood
mkdir -p "$src"
cat >"$src/manifest" <<EOF
Version = 20130611
Program = flood.nexe
Memory = 67108864,0
Timeout = 20
Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0
Channel = stdout,/dev/stdout,0,0,0,0,100000,1048576
Channel = stderr,/dev/stderr,0,0,0,0,1000,65536
EOF
bundle=$(make_bundle flood manifest="$src/manifest" flood.nexe="$PROGRAMS/flood.nexe")
zvm_run flood "$bundle"
check_ok "flood: exit state ok"
run_is "flood: stdout is exactly put_size (1048576 bytes)" "$(out_size stdout)" 1048576
run_is "flood: the program saw the write cut short, then EDQUOT" "$(out_file stderr)" \
	"wrote 1048576 bytes in 12 calls, then EDQUOT"

# --- memory cap ------------------------------------------------------------------------
std_manifest malloc-cap.nexe 16777216,0 20 >"$WORK/src/malloc-cap.manifest"
bundle=$(make_bundle malloc-cap manifest="$WORK/src/malloc-cap.manifest" \
	malloc-cap.nexe="$PROGRAMS/malloc-cap.nexe")
zvm_run malloc-cap "$bundle"
check_ok "malloc-cap: exit state ok (running out of memory is not a failure)"
stdout=$(out_file stdout)
run_is "malloc-cap: malloc returned NULL" "$(printf '%s\n' "$stdout" | head -n 1)" \
	"malloc returned NULL: yes"
got=$(printf '%s\n' "$stdout" | sed -n 's/^allocated \([0-9]*\) bytes.*/\1/p')
run_check "malloc-cap: got between 8 MiB and 16 MiB (got ${got:-nothing})" \
	test -n "$got" -a "${got:-0}" -ge $((8 << 20)) -a "${got:-0}" -lt $((16 << 20))

std_manifest big-memory.nexe 16777216,0 10 >"$WORK/src/big-memory.manifest"
bundle=$(make_bundle big-memory manifest="$WORK/src/big-memory.manifest" \
	big-memory.nexe="$PROGRAMS/big-memory.nexe")
zvm_run big-memory "$bundle"
check_failed "big-memory: a module starting at 32 MiB is refused under Memory = 16 MiB"
check_zvm_survived "big-memory: zvm reports the refusal"
run_like "big-memory: the exit state says why" "$(report_line 6)" \
	'^validation failed: |[Mm]emory'
run_is "big-memory: the program did not run" "$(out_file stdout)" ""

std_manifest big-memory.nexe 67108864,0 10 >"$WORK/src/big-memory-fits.manifest"
bundle=$(make_bundle big-memory-fits manifest="$WORK/src/big-memory-fits.manifest" \
	big-memory.nexe="$PROGRAMS/big-memory.nexe")
zvm_run big-memory-fits "$bundle"
check_ok "big-memory: the same module runs under Memory = 64 MiB"
run_is "big-memory: and prints" "$(out_file stdout)" "ran with 0"

tap_done
