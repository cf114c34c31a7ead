#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Data roots through `zvm run --data NAME=DIR` and the config's [data] group (docs/spec.md §2, §5):
# a data: channel reads a host file below an exported directory, sequential or random, and
# nothing of it travels in the bundle; unknown roots, missing files, escaping symbolic links
# and (as root) a file the running user may not read are refused with the channel and cause.
. "$(dirname "$0")/engine-lib.sh"
engine_setup

copy_nexe=$ZVM_IMAGES/copy.nexe
if [ ! -f "$copy_nexe" ]; then
	echo "1..0 # SKIP $copy_nexe is not built"
	exit 0
fi

DATA=$WORK/data
mkdir -p "$DATA/sub" "$WORK/outside"
head -c 100000 /dev/urandom >"$DATA/input.bin"
printf 'nested\n' >"$DATA/sub/nested.txt"
printf 'outside\n' >"$WORK/outside/secret.txt"
ln -s ../outside/secret.txt "$DATA/escape.txt"
ln -s input.bin "$DATA/alias.bin"
chmod -R a+rX "$DATA"

# data_bundle NAME URI [TYPE]: copy.nexe reading URI as /dev/input.
data_bundle() {
	local name=$1 uri=$2 type=${3:-0}
	local src=$WORK/src/$name
	mkdir -p "$src"
	{
		std_manifest copy.nexe 67108864,0 10
		echo "Channel = $uri,/dev/input,$type,0,1024,1048576,0,0"
		echo "Channel = out/copy.bin,/dev/output,0,0,0,0,1024,1048576"
	} >"$src/manifest"
	make_bundle "$name" manifest="$src/manifest" copy.nexe="$copy_nexe"
}

bundle=$(data_bundle seq data:logs/input.bin)
zvm_run seq "$bundle" --data "logs=$DATA"
check_ok "sequential data: channel: exit state ok"
run_check "it copied the host file" cmp "$DATA/input.bin" "$RUN_OUT/out/copy.bin"
run_is "accounting counts the bytes read" "$(accounting_field 4)" 100000
run_check "the bundle holds no copy of the data" \
	bash -c "! tar -tf '$bundle' | grep -q input.bin"
run_is "the bundle stays small" "$(($(stat -c %s "$bundle") < 100000))" 1

zvm_run random "$(data_bundle random data:logs/input.bin 1)" --data "logs=$DATA"
check_ok "random-read (type 1) data: channel: exit state ok"
run_check "it copied the host file too" cmp "$DATA/input.bin" "$RUN_OUT/out/copy.bin"

zvm_run nested "$(data_bundle nested data:logs/sub/nested.txt)" --data "logs=$DATA"
check_ok "a file in a subdirectory of the root"
run_is "it is read" "$(out_file out/copy.bin)" "nested"

zvm_run inside-link "$(data_bundle inside-link data:logs/alias.bin)" --data "logs=$DATA"
check_ok "a symbolic link that stays inside the root is followed"
run_check "to its target" cmp "$DATA/input.bin" "$RUN_OUT/out/copy.bin"

cat >"$WORK/with-data.conf" <<EOF
$(cat "$CONFIG")
[data]
logs = $DATA
EOF
RUN_CONFIG=$WORK/with-data.conf zvm_run from-config "$(data_bundle from-config data:logs/input.bin)"
check_ok "[data] logs = DIR in the config file exports it too"

mkdir -p "$WORK/other"
printf 'other\n' >"$WORK/other/input.bin"
RUN_CONFIG=$WORK/with-data.conf zvm_run override \
	"$(data_bundle override data:logs/input.bin)" --data "logs=$WORK/other"
check_ok "--data overrides the config's root of that name"
run_is "the command line's directory is read" "$(out_file out/copy.bin)" "other"

# --- refusals ----------------------------------------------------------------------------
zvm_run no-roots "$bundle"
check_failed "no root exported: zvm exits 1"
run_is "no root exported: exit state" "$(report_line 6)" \
	"MANIFEST 8: /dev/input: 'data:logs/input.bin' names data root 'logs', but this gateway exports no data roots"

zvm_run unknown-root "$bundle" --data "corpus=$DATA"
check_failed "unknown root: zvm exits 1"
run_is "unknown root: exit state" "$(report_line 6)" \
	"MANIFEST 8: /dev/input: 'data:logs/input.bin' names data root 'logs', which is not exported (exported: corpus)"

zvm_run missing "$(data_bundle missing data:logs/missing.bin)" --data "logs=$DATA"
check_failed "missing file: zvm exits 1"
run_is "missing file: exit state" "$(report_line 6)" \
	"/dev/input: data:logs/missing.bin: No such file or directory"

zvm_run escape "$(data_bundle escape data:logs/escape.txt)" --data "logs=$DATA"
check_failed "escaping symbolic link: zvm exits 1"
run_is "escaping symbolic link: exit state" "$(report_line 6)" \
	"/dev/input: data:logs/escape.txt: a symbolic link leads outside the data root"

zvm_run directory "$(data_bundle directory data:logs/sub)" --data "logs=$DATA"
check_failed "a directory: zvm exits 1"
run_is "a directory: exit state" "$(report_line 6)" "/dev/input: data:logs/sub: not a regular file"

zvm_run dotdot "$(data_bundle dotdot data:logs/../outside/secret.txt)" --data "logs=$DATA"
check_failed "'..' in the path: zvm exits 1"
run_like "'..' in the path: exit state" "$(report_line 6)" "^MANIFEST 8: /dev/input: invalid data URI"

zvm_run wildcard "$(data_bundle wildcard 'data:logs/*.bin')" --data "logs=$DATA"
check_failed "a wildcard: zvm exits 1"
run_like "a wildcard: exit state" "$(report_line 6)" "^MANIFEST 8: /dev/input: 'data:logs/\*\.bin' has a wildcard"

zvm_run bad-option "$bundle" --data "logs"
run_is "--data without NAME=: usage error (2)" "$RUN_STATUS" 2
run_like "it says so" "$RUN_STDERR" "--data logs: expected NAME=DIR"

zvm_run bad-name "$bundle" --data "../x=$DATA"
run_is "--data with a bad name: usage error (2)" "$RUN_STATUS" 2
run_like "it names it" "$RUN_STDERR" "'\.\./x' is not a valid data root name"

zvm_run bad-dir "$bundle" --data "logs=$WORK/nonexistent"
run_is "--data with a missing directory: usage error (2)" "$RUN_STATUS" 2
run_like "it names the root and the directory" "$RUN_STDERR" \
	"data root 'logs': $WORK/nonexistent: No such file or directory"

# --- the running user's own permissions -------------------------------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	printf 'root only\n' >"$DATA/root-only.txt"
	chmod 0600 "$DATA/root-only.txt"
	locked=$(data_bundle locked data:logs/root-only.txt)
	zvm_run root-reads "$locked" --data "logs=$DATA"
	check_ok "root reads a root-only file"
	run_is "its bytes" "$(out_file out/copy.bin)" "root only"

	chmod 0644 "$locked" "$WORK/with-data.conf"
	# nobody's temporary files go to /tmp: the caller's TMPDIR may be private to root.
	report=$(cd "$WORK/cwd" && setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		-- env -u TMPDIR timeout 60 "$ZVM" run --config "$WORK/with-data.conf" --out "$WORK/nobody.out" \
		"$locked" 2>&1)
	status=$?
	tap_is "nobody cannot: zvm exits 1" "$status" 1
	tap_is "nobody cannot: exit state names the channel and the cause" \
		"$(printf '%s\n' "$report" | sed -n 6p)" \
		"/dev/input: data:logs/root-only.txt: Permission denied"
else
	tap_skip "root-only file read as root and refused to nobody" "needs root, nobody and setpriv"
fi

tap_done
