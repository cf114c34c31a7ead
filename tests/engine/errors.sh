#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Refusals surfaced by `zvm run` (docs/spec.md §1, §2, §6): manifest errors as "MANIFEST <n>: ...",
# bundle errors as "bundle: ...", modules that fail validation as "validation failed: ...",
# each on report line 6 with zvm exit status 1.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program exitcode

nexe=$PROGRAMS/exitcode.nexe

# manifest_case NAME MANIFEST-TEXT: a bundle of that manifest and exitcode.nexe.
manifest_case() {
	printf '%s\n' "$2" >"$WORK/src/$1.manifest"
	zvm_run "$1" "$(make_bundle "$1" manifest="$WORK/src/$1.manifest" exitcode.nexe="$nexe")"
}

std_channels="Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0
Channel = stdout,/dev/stdout,0,0,0,0,1024,65536
Channel = stderr,/dev/stderr,0,0,0,0,1024,65536"

manifest_case bad-memory "Version = 20130611
Program = exitcode.nexe
Memory = lots,0
Timeout = 10
$std_channels"
check_failed "bad Memory value: zvm exits 1"
check_report_shape "bad Memory value: the report still has six lines"
run_like "bad Memory value: MANIFEST 3: on line 6" "$(report_line 6)" '^MANIFEST 3: .+'
run_is "bad Memory value: the program did not run" "$(out_file stdout)" ""

manifest_case bad-channel "Version = 20130611
Program = exitcode.nexe
Memory = 67108864,0
Timeout = 10
$std_channels
Channel = input.txt,/dev/input,0,0,16"
check_failed "short Channel line: zvm exits 1"
run_like "short Channel line: MANIFEST 8: on line 6" "$(report_line 6)" '^MANIFEST 8: .+'

manifest_case bad-version "Version = 20140509
Program = exitcode.nexe
Memory = 67108864,0
Timeout = 10
$std_channels"
check_failed "wrong Version: zvm exits 1"
run_like "wrong Version: MANIFEST 1: on line 6" "$(report_line 6)" '^MANIFEST 1: .+'

manifest_case no-timeout "Version = 20130611
Program = exitcode.nexe
Memory = 67108864,0
$std_channels"
check_failed "missing Timeout: zvm exits 1"
run_like "missing Timeout: MANIFEST ...Timeout... on line 6" "$(report_line 6)" \
	'^MANIFEST[ 0-9]*: .*Timeout'

manifest_case missing-program "Version = 20130611
Program = missing.nexe
Memory = 67108864,0
Timeout = 10
$std_channels"
check_failed "Program not in the bundle: zvm exits 1"
run_like "Program not in the bundle: the exit state names it" "$(report_line 6)" 'missing\.nexe'

manifest_case escaping-output "Version = 20130611
Program = exitcode.nexe
Memory = 67108864,0
Timeout = 10
Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0
Channel = ../stdout,/dev/stdout,0,0,0,0,1024,65536
Channel = stderr,/dev/stderr,0,0,0,0,1024,65536"
check_failed "output URI ../stdout: zvm exits 1"
run_like "output URI ../stdout: MANIFEST 6: on line 6" "$(report_line 6)" '^MANIFEST 6: .+'
run_check "output URI ../stdout: nothing written beside the output directory" \
	test ! -e "$WORK/stdout"

# Operator maxima: a manifest asking for more is refused, not lowered (docs/spec.md §2).
write_config "$WORK/small.conf" "[limits]" "max_memory = 67108864" "max_timeout = 10" \
	"max_gets = 1000" "default_gets = 1000"
RUN_CONFIG=$WORK/small.conf manifest_case memory-over-max "Version = 20130611
Program = exitcode.nexe
Memory = 134217728,0
Timeout = 10
$std_channels"
check_failed "Memory over max_memory: zvm exits 1"
run_like "Memory over max_memory: MANIFEST 3: on line 6" "$(report_line 6)" '^MANIFEST 3: .+'
RUN_CONFIG=$WORK/small.conf manifest_case timeout-over-max "Version = 20130611
Program = exitcode.nexe
Memory = 67108864,0
Timeout = 11
$std_channels"
check_failed "Timeout over max_timeout: zvm exits 1"
run_like "Timeout over max_timeout: MANIFEST 4: on line 6" "$(report_line 6)" '^MANIFEST 4: .+'
RUN_CONFIG=$WORK/small.conf manifest_case gets-over-max "Version = 20130611
Program = exitcode.nexe
Memory = 67108864,0
Timeout = 10
Channel = /dev/null,/dev/stdin,0,0,1001,1024,0,0
Channel = stdout,/dev/stdout,0,0,0,0,1000,65536
Channel = stderr,/dev/stderr,0,0,0,0,1000,65536"
check_failed "gets over max_gets: zvm exits 1"
run_like "gets over max_gets: MANIFEST 5: on line 6" "$(report_line 6)" '^MANIFEST 5: .+'

# --- bundles ---------------------------------------------------------------------------
std_manifest exitcode.nexe 67108864,0 10 >"$WORK/src/good.manifest"

# evil_tar OUT KIND: a bundle with a good manifest and program plus one bad member.
evil_tar() {
	python3 - "$1" "$2" "$WORK/src/good.manifest" "$nexe" <<'EOF'
import io, sys, tarfile
out, kind, manifest, nexe = sys.argv[1:]
with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
    tar.add(manifest, arcname="manifest")
    tar.add(nexe, arcname="exitcode.nexe")
    info = tarfile.TarInfo()
    if kind == "dotdot":
        info.name = "../x"
    elif kind == "absolute":
        info.name = "/x"
    elif kind == "symlink":
        info.name, info.type, info.linkname = "link", tarfile.SYMTYPE, "/etc/passwd"
    elif kind == "device":
        info.name, info.type, info.devmajor, info.devminor = "null", tarfile.CHRTYPE, 1, 3
    data = b"x\n" if info.type == tarfile.REGTYPE else None
    if data:
        info.size = len(data)
    tar.addfile(info, io.BytesIO(data) if data else None)
EOF
}

if command -v python3 >/dev/null 2>&1; then
	evil_tar "$WORK/bundles/dotdot.tar" dotdot
	zvm_run dotdot "$WORK/bundles/dotdot.tar"
	check_failed "member ../x: zvm exits 1"
	check_report_shape "member ../x: the report still has six lines"
	run_is "member ../x: exit state" "$(report_line 6)" "bundle: member '../x' has an unsafe name"
	run_check "member ../x: nothing written beside the output directory" test ! -e "$WORK/x"

	evil_tar "$WORK/bundles/absolute.tar" absolute
	zvm_run absolute "$WORK/bundles/absolute.tar"
	check_failed "member /x: zvm exits 1"
	run_like "member /x: exit state names it" "$(report_line 6)" "^bundle: member '/x' "

	evil_tar "$WORK/bundles/symlink.tar" symlink
	zvm_run symlink "$WORK/bundles/symlink.tar"
	check_failed "symlink member: zvm exits 1"
	run_like "symlink member: exit state names it" "$(report_line 6)" "^bundle: member 'link' "

	evil_tar "$WORK/bundles/device.tar" device
	zvm_run device "$WORK/bundles/device.tar"
	check_failed "device member: zvm exits 1"
	run_like "device member: exit state names it" "$(report_line 6)" "^bundle: member 'null' "
else
	for name in "member ../x" "member /x" "symlink member" "device member"; do
		tap_skip "$name" "python3 is not installed"
	done
fi

bundle=$(make_bundle no-manifest exitcode.nexe="$nexe")
zvm_run no-manifest "$bundle"
check_failed "bundle without a manifest: zvm exits 1"
run_like "bundle without a manifest: exit state" "$(report_line 6)" '^bundle: .*manifest'

head -c 4096 /dev/urandom >"$WORK/bundles/not-a-tar.tar"
zvm_run not-a-tar "$WORK/bundles/not-a-tar.tar"
check_failed "random bytes as a bundle: zvm exits 1"
run_like "random bytes as a bundle: exit state" "$(report_line 6)" '^bundle: '

# Operator bundle limits (docs/spec.md §1, §7): too many bytes or members is refused, naming the cause.
write_config "$WORK/small-bundle.conf" "[bundle]" "max_bytes = 8192"
RUN_CONFIG=$WORK/small-bundle.conf zvm_run bundle-too-big "$ZVM_IMAGES/copy.tar"
check_failed "bundle over [bundle] max_bytes: zvm exits 1"
run_like "bundle over [bundle] max_bytes: exit state" "$(report_line 6)" '^bundle: .+'
write_config "$WORK/few-members.conf" "[bundle]" "max_members = 2"
RUN_CONFIG=$WORK/few-members.conf zvm_run too-many-members "$ZVM_IMAGES/copy.tar"
check_failed "bundle over [bundle] max_members: zvm exits 1"
run_like "bundle over [bundle] max_members: exit state" "$(report_line 6)" '^bundle: .+'

# --- modules that must not validate -----------------------------------------------------
printf '#!/bin/sh\necho pwned > /tmp/pwned\n' >"$WORK/src/script.nexe"
std_manifest script.nexe 67108864,0 10 >"$WORK/src/script.manifest"
zvm_run not-wasm "$(make_bundle not-wasm manifest="$WORK/src/script.manifest" \
	script.nexe="$WORK/src/script.nexe")"
check_failed "a shell script as the program: zvm exits 1"
run_is "a shell script as the program: validator state 1" "$(report_line 1)" 1
run_like "a shell script as the program: exit state" "$(report_line 6)" '^validation failed: .+'

cp "$ZVM_SOURCE_DIR/images/copy/input.bin" "$WORK/src/garbage.nexe"
printf '\0asm\1\0\0\0\377\377\377' | cat - "$WORK/src/garbage.nexe" >"$WORK/src/broken.nexe"
std_manifest broken.nexe 67108864,0 10 >"$WORK/src/broken.manifest"
zvm_run broken-wasm "$(make_bundle broken-wasm manifest="$WORK/src/broken.manifest" \
	broken.nexe="$WORK/src/broken.nexe")"
check_failed "a wasm header over garbage: zvm exits 1"
run_like "a wasm header over garbage: exit state" "$(report_line 6)" '^validation failed: .+'

if [ -f "$PROGRAMS/unknown-import.nexe" ]; then
	std_manifest unknown-import.nexe 67108864,0 10 >"$WORK/src/unknown-import.manifest"
	zvm_run unknown-import "$(make_bundle unknown-import \
		manifest="$WORK/src/unknown-import.manifest" \
		unknown-import.nexe="$PROGRAMS/unknown-import.nexe")"
	check_failed "import env.launch_missiles: zvm exits 1"
	run_is "import env.launch_missiles: validator state 1" "$(report_line 1)" 1
	run_like "import env.launch_missiles: exit state" "$(report_line 6)" \
		'^validation failed: import .*launch_missiles'
else
	tap_skip "import env.launch_missiles" "wat2wasm is not installed"
fi

tap_done
