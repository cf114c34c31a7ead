#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape attempts (docs/spec.md §3 isolation, §4 channels): host paths, `..` out of /dev, guessed
# descriptors, new files, writing a read-only channel, mkdir/rename/unlink/link. Every attempt
# must fail inside the program, and nothing may change on the host.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program escape

src=$WORK/src/escape
host=$WORK/host
mkdir -p "$src" "$host"
marker=$host/escape-marker
printf 'secret input\n' >"$src/input.txt"
printf '[args]\nargs = escape %s\n' "$marker" >"$src/nvram"
{
	std_manifest escape.nexe 67108864,0 10
	echo "Channel = input.txt,/dev/input,0,0,1024,1048576,0,0"
	echo "Channel = out/output.bin,/dev/output,0,0,0,0,1024,1048576"
	echo "Channel = nvram,/dev/nvram,3,0,64,10240,0,0"
} >"$src/manifest"
bundle=$(make_bundle escape manifest="$src/manifest" escape.nexe="$PROGRAMS/escape.nexe" \
	input.txt="$src/input.txt" nvram="$src/nvram")

tmp_x_existed=no
[ -e /tmp/x ] && tmp_x_existed=yes
bundle_before=$(sha256sum "$bundle")

zvm_run escape "$bundle"
check_ok "escape: exit state ok"
stdout=$(out_file stdout)
attempts=$(printf '%s\n' "$stdout" | sed -n 's/^done: \([0-9]*\) attempts$/\1/p')
run_check "escape: the program tried every attempt (${attempts:-none} reported)" \
	test "${attempts:-0}" -ge 40
allowed=$(printf '%s\n' "$stdout" | grep -E 'ALLOWED|succeeded' || true)
run_is "escape: every attempt was refused" "$allowed" ""
refused=$(printf '%s\n' "$stdout" | grep -c ': refused' || true)
run_is "escape: one 'refused' line per attempt" "$refused" "${attempts:-?}"
for attempt in 'fopen("/etc/passwd", "r")' 'fopen("/dev/../etc/passwd", "r")' \
	'fopen("/proc/self/status", "r")' 'open("/dev/input/../../x", O_RDONLY)' \
	'read/write on descriptors 3..64' 'fopen("/dev/newfile", "w")' 'fopen("/tmp/x", "w")' \
	'open("/dev/input", O_WRONLY)' 'mkdir("/dev/newdir")' \
	'rename("/dev/input", "/dev/renamed")' 'unlink("/dev/input")' \
	'path_open(3, "../etc/passwd", read)'; do
	run_like "escape: $attempt refused" \
		"$(printf '%s\n' "$stdout" | grep -F -- "$attempt:" || echo "(not attempted)")" \
		': refused'
done
run_is "escape: /dev/input still reads the same afterwards" \
	"$(printf '%s\n' "$stdout" | grep '^/dev/input afterwards: ')" \
	"/dev/input afterwards: secret input"

# The host: nothing new, nothing changed.
run_is "escape: no file appeared at the host path given in argv" \
	"$(ls -A "$host")" ""
if [ "$tmp_x_existed" = no ]; then
	run_check "escape: no /tmp/x on the host" test ! -e /tmp/x
else
	tap_skip "escape: no /tmp/x on the host" "/tmp/x existed before the run"
fi
# The program only tries to read /etc/passwd (its writes aim at paths of its own): nothing of
# it may reach an output. Its hash is no test: other users' tools add users meanwhile.
run_is "escape: nothing of /etc/passwd in the outputs" \
	"$(grep -rlF "$(head -1 /etc/passwd)" "$RUN_OUT" || true)" ""
run_is "escape: the bundle unchanged" "$(sha256sum "$bundle")" "$bundle_before"
run_is "escape: the output directory holds only the declared outputs" \
	"$(cd "$RUN_OUT" && find . -mindepth 1 | LC_ALL=C sort | paste -sd' ')" \
	"./out ./out/output.bin ./stderr ./stdout"
run_is "escape: the current directory of zvm is untouched" "$(ls -A "$WORK/cwd")" ""
strays=$(find "$WORK" "${TMPDIR:-/tmp}" -maxdepth 3 \
	\( -name newfile -o -name renamed -o -name newdir -o -name hardlink \) \
	-newer "$bundle" 2>/dev/null || true)
run_is "escape: no newfile/renamed/newdir/hardlink created anywhere near" "$strays" ""
run_is "escape: out/output.bin is empty (nothing written to it)" "$(out_size out/output.bin)" 0

tap_done
