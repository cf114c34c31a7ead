#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `zvm pack`: the manifest and nvram it writes, its usage errors, and a full round trip: a
# program built with `zvm cc`, packed with @file, KEY=VALUE, --stdin, --image and --output,
# run with `zvm run`, its output files checked.
# shellcheck source=tools-lib.sh
. "$(dirname "$0")/tools-lib.sh"
tools_setup
cd "$WORK" || exit 1

# A stand-in program for the cases that do not run it.
printf '\0asm\1\0\0\0' >"$WORK/fake.nexe"
printf 'file contents\n' >"$WORK/in.txt"

run_cmd "$ZVM" pack --help
tap_is "--help exits 0" "$CMD_STATUS" 0
tap_like "--help says @file arguments are packed" "$CMD_OUT" 'no host paths'

run_cmd "$ZVM" pack --manifest-only fake.nexe
tap_is "--manifest-only: exit 0" "$CMD_STATUS" 0
tap_is "--manifest-only: zvsh-style defaults" "$CMD_OUT" "Version = 20130611
Program = fake.nexe
Memory = 67108864,0
Timeout = 10
Channel = /dev/null,/dev/stdin,0,0,4294967296,4294967296,0,0
Channel = stdout,/dev/stdout,0,0,0,0,4294967296,1073741824
Channel = stderr,/dev/stderr,0,0,0,0,4294967296,1073741824
Channel = nvram,/dev/nvram,3,0,4294967296,4294967296,0,0"
tap_check "--manifest-only writes nothing" test ! -e fake.tar

run_cmd "$ZVM" pack --manifest-only --memory 32M --timeout 5 --limit gets=7,get_size=8K,puts=9,put_size=1G \
	--output out/r.bin "$WORK/fake.nexe" @in.txt @in.txt
tap_is "--manifest-only: options and @files" "$CMD_OUT" "Version = 20130611
Program = fake.nexe
Memory = 33554432,0
Timeout = 5
Channel = /dev/null,/dev/stdin,0,0,7,8192,0,0
Channel = stdout,/dev/stdout,0,0,0,0,9,1073741824
Channel = stderr,/dev/stderr,0,0,0,0,9,1073741824
Channel = 1.in.txt,/dev/1.in.txt,3,0,7,8192,0,0
Channel = 2.in.txt,/dev/2.in.txt,3,0,7,8192,0,0
Channel = out/r.bin,/dev/r.bin,0,0,0,0,9,1073741824
Channel = nvram,/dev/nvram,3,0,7,8192,0,0"

run_cmd "$ZVM" pack -o x.tar missing.nexe
tap_is "missing program: exit 2" "$CMD_STATUS" 2
tap_is "missing program: says which" "$CMD_ERR" "zvm pack: missing.nexe: no such file"
run_cmd "$ZVM" pack --frobnicate fake.nexe
tap_is "unknown option: exit 2" "$CMD_STATUS" 2
tap_like "unknown option: names it" "$CMD_ERR" 'unknown option --frobnicate'
run_cmd "$ZVM" pack -o x.tar fake.nexe @nowhere.txt
tap_is "missing @file: exit 2" "$CMD_STATUS" 2
tap_is "missing @file: says which" "$CMD_ERR" "zvm pack: nowhere.txt: no such file"
tap_check "errors write no bundle" test ! -e x.tar
run_cmd "$ZVM" pack GREETING=hi
tap_is "no program: exit 2" "$CMD_STATUS" 2
tap_like "no program: says so" "$CMD_ERR" 'no program given'
run_cmd "$ZVM" pack --memory 2G fake.nexe
tap_is "memory over the operator maximum: exit 2" "$CMD_STATUS" 2
tap_like "memory over the maximum: the parser's reason" "$CMD_ERR" 'manifest would be refused'
run_cmd "$ZVM" pack --memory lots fake.nexe
tap_is "bad --memory: exit 2" "$CMD_STATUS" 2
run_cmd "$ZVM" pack --output ../escape fake.nexe
tap_is "--output outside the job directory: exit 2" "$CMD_STATUS" 2
run_cmd "$ZVM" pack --image "$WORK/in.txt,relative" fake.nexe
tap_is "--image with a relative mount point: exit 2" "$CMD_STATUS" 2

run_cmd "$ZVM" pack -o "$WORK/no/such/dir/x.tar" fake.nexe
tap_is "unwritable bundle path: exit 1" "$CMD_STATUS" 1
tap_like "unwritable bundle path: says which" "$CMD_ERR" 'zvm pack: .*/no/such/dir/x.tar: '

run_cmd "$ZVM" pack fake.nexe
tap_is "default bundle name: exit 0" "$CMD_STATUS" 0
tap_is "default bundle name: members, sorted" "$(tar tf fake.tar | tr '\n' ' ')" \
	"fake.nexe manifest nvram "
tap_is "deterministic members: mtime 0, root, 0644" \
	"$(tar tvf fake.tar --numeric-owner | awk '{print $1, $2, $4, $5}' | sort -u)" \
	"-rw-r--r-- 0/0 1970-01-01 00:00"
cp fake.tar first.tar
sleep 1
touch fake.nexe
"$ZVM" pack fake.nexe
tap_check "packing twice gives the same bytes" cmp first.tar fake.tar

"$ZVM" pack -o args.tar --env 'PATHS=a,b' 'X_1=say "hi"\now' fake.nexe 'a b' 'c,d' '' @in.txt
tap_is "nvram: arguments and env escaped" "$(tar xOf args.tar nvram)" '[args]
args = fake.nexe a\x20b c\x2cd "" /dev/1.in.txt
[env]
name=PATHS, value=a\x2cb
name=X_1, value=say\x20\x22hi\x22\x5cnow'

if ! have_toolchain; then
	tap_skip "round trip" "the wasm32-wasi toolchain is not installed"
	tap_done
fi

cat >prog.c <<'C'
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	char buffer[256];
	size_t n;
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("GREETING=%s\n", getenv("GREETING") ? getenv("GREETING") : "(unset)");
	FILE *file = fopen(argv[1], "r");
	if (!file) {
		perror(argv[1]);
		return 3;
	}
	while ((n = fread(buffer, 1, sizeof buffer, file)) > 0)
		fwrite(buffer, 1, n, stdout);
	fclose(file);
	while (fgets(buffer, sizeof buffer, stdin))
		printf("stdin: %s", buffer);
	file = fopen("/data/hello.txt", "r");
	if (file && fgets(buffer, sizeof buffer, file))
		printf("image: %s", buffer);
	file = fopen("/dev/result.txt", "w");
	if (!file || fputs("result ok\n", file) < 0 || fclose(file) != 0)
		return 4;
	fputs("to stderr\n", stderr);
	return 0;
}
C
run_cmd "$ZVM" cc prog.c -o prog.nexe
tap_is "zvm cc builds the program" "$CMD_STATUS" 0

printf 'line1\nline2\n' >stdin.txt
mkdir -p img
echo 'from image' >img/hello.txt
tar -C img -cf img.tar hello.txt
run_cmd "$ZVM" pack -o job.tar GREETING='hi there' --stdin stdin.txt --image img.tar,/data \
	--output result.txt prog.nexe @in.txt 'a b,c'
tap_is "pack: exit 0" "$CMD_STATUS" 0
tap_is "pack: members" "$(tar tf job.tar | tr '\n' ' ')" \
	"1.in.txt image.1.tar manifest nvram prog.nexe stdin "
tap_is "pack: nvram" "$(tar xOf job.tar nvram)" '[args]
args = prog.nexe /dev/1.in.txt a\x20b\x2cc
[env]
name=GREETING, value=hi\x20there
[fstab]
channel=/dev/image.1.tar, mountpoint=/data, access=ro, removable=no'

run_cmd timeout 240 "$ZVM" run --config "$CONFIG" --out "$WORK/out" job.tar
tap_is "zvm run: exit 0" "$CMD_STATUS" 0
tap_is "the program's stdout" "$(cat out/stdout 2>&1)" "argv[0]=prog.nexe
argv[1]=/dev/1.in.txt
argv[2]=a b,c
GREETING=hi there
file contents
stdin: line1
stdin: line2
image: from image"
tap_is "the program's stderr" "$(cat out/stderr 2>&1)" "to stderr"
tap_is "the --output file" "$(cat out/result.txt 2>&1)" "result ok"

tap_done
