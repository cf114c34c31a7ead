#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# An output directory on a mount (docs/zvm-manifest.5, [fstab] access=wo): the tree a job
# builds appears under jobs/ID/ as the tar its output channel names, readable with tar, while a
# scratch directory of the same job leaves nothing behind.
. "$(dirname "$0")/lib.sh"

TREES_NEXE=$ZVM_BUILD_DIR/tests/engine/trees.nexe
[ -f "$TREES_NEXE" ] || mount_skip "$TREES_NEXE is not built"

mount_setup "jobs = 1"
mount_start

(cd "$WORK" && "$ZVM" pack -o "$WORK/trees.tar" --memory 32M --scratch /tmp \
	--output-dir /out,result/out.tar "$TREES_NEXE" output /out) >"$WORK/pack.log" 2>&1
tap_check "zvm pack makes the bundle" test -s "$WORK/trees.tar"
chmod 0644 "$WORK/trees.tar"
id=$(submit "$WORK/trees.tar")
tap_check "the job is accepted ($id)" test -n "$id"
wait_job "$id" >/dev/null
tap_is "it ends ok" "$(status_of "$id" state)" "done"
tap_is "the program's checks passed" "$(cat "$MNT/jobs/$id/stdout")" "ok output"
tap_check "the output directory is under jobs/$id/result/" test -f "$MNT/jobs/$id/result/out.tar"
tap_is "holding the tree the program left" \
	"$(tar -tf "$MNT/jobs/$id/result/out.tar" 2>&1 | tr '\n' ' ')" "a/ a/b/ a/b/c.txt moved.txt sym "
tap_is "with its bytes" "$(tar -xOf "$MNT/jobs/$id/result/out.tar" a/b/c.txt)" "see"
tap_is "the scratch directory left no output behind" \
	"$(cd "$MNT/jobs/$id" && find . -type f | grep -Ev '^\./(status|manifest|report|accounting|wait|ctl)$' |
		sort | tr '\n' ' ')" "./result/out.tar ./stderr ./stdout "

mount_stop
check_daemon_log
tap_done
