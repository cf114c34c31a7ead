#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Writable trees through `zvm run` (docs/zvm-manifest.5, [fstab] access=rw and access=wo): a
# scratch tree in memory, seeded from an image or empty, gone after the job; an output tree the
# program builds, saved as a tar into its output channel; their limits (Memory, the channel's
# put_size and puts) and the escapes a program might try.
. "$(dirname "$0")/engine-lib.sh"
engine_setup

trees=$PROGRAMS/trees.nexe

# trees_bundle NAME MEMORY FSTAB ARGS [CHANNEL-LINE...]: trees.nexe with an nvram.
trees_bundle() {
	local name=$1 memory=$2 fstab=$3 args=$4
	shift 4
	local src=$WORK/src/$name
	mkdir -p "$src"
	{
		std_manifest trees.nexe "$memory,0" 20
		echo "Channel = nvram,/dev/nvram,3,0,64,10240,0,0"
		local line
		for line in "$@"; do
			echo "$line"
		done
	} >"$src/manifest"
	printf '[args]\nargs = trees %s\n[fstab]\n%s\n' "$args" "$fstab" >"$src/nvram"
	local members=(manifest="$src/manifest" nvram="$src/nvram" trees.nexe="$trees")
	[ -f "$src/seed.tar" ] && members+=(seed.tar="$src/seed.tar")
	make_bundle "$name" "${members[@]}"
}

bundle=$(trees_bundle scratch 33554432 "mountpoint=/tmp, access=rw" "scratch /tmp")
zvm_run scratch "$bundle"
check_ok "scratch tree: files, directories, renames, unlink, readdir, escapes, links"
run_is "every check passed" "$(out_file stdout)" "ok scratch"
run_is "nothing of it reaches the output directory" \
	"$(cd "$RUN_OUT" && find . -mindepth 1 | sort | tr '\n' ' ')" "./stderr ./stdout "

mkdir -p "$WORK/src/seeded/seed/dir"
printf 'seed' >"$WORK/src/seeded/seed/dir/file.txt"
tar --format=ustar -C "$WORK/src/seeded/seed" -cf "$WORK/src/seeded/seed.tar" dir
bundle=$(trees_bundle seeded 33554432 "channel=/dev/seed.tar, mountpoint=/work, access=rw" \
	"seeded /work" "Channel = seed.tar,/dev/seed.tar,3,0,64,1048576,0,0")
zvm_run seeded "$bundle"
check_ok "a scratch tree seeded from an image takes the same changes"
run_is "and holds the image's file, writable" "$(out_file stdout)" "ok seeded"

bundle=$(trees_bundle fill 8388608 "mountpoint=/tmp, access=rw" "fill /tmp")
zvm_run fill "$bundle"
check_ok "filling a scratch tree ends in an error, not a crash"
fill=$(out_file stdout | head -1)
run_like "it stops at ENOSPC" "$fill" '^fill [0-9]+ ENOSPC$'
bytes=$(echo "$fill" | awk '{ print $2 }')
run_is "within Memory (8 MiB) minus the linear memory" \
	"$((bytes > 4 * 1048576 && bytes < 8 * 1048576))" 1
run_like "and the tree takes writes again once truncated" "$(out_file stdout)" 'ok fill'

out_line="Channel = out/tree.tar,/dev/tree,0,0,0,0,64,1048576"
bundle=$(trees_bundle output 33554432 "channel=/dev/tree, mountpoint=/out, access=wo" \
	"output /out" "$out_line")
zvm_run output "$bundle"
check_ok "output tree: built and saved"
run_is "every check passed" "$(out_file stdout)" "ok output"
run_is "it appears under the job's outputs as a tar of what the program left" \
	"$(tar -tf "$RUN_OUT/out/tree.tar" 2>&1 | tr '\n' ' ')" "a/ a/b/ a/b/c.txt moved.txt sym "
run_is "with the files' bytes" "$(tar -xOf "$RUN_OUT/out/tree.tar" a/b/c.txt)" "see"
run_is "a plain ustar archive" "$(tar --format=ustar -tvf "$RUN_OUT/out/tree.tar" \
	>/dev/null 2>&1 && head -c 263 "$RUN_OUT/out/tree.tar" | tail -c 6)" "ustar"
run_is "the symbolic link stays one" \
	"$(tar -tvf "$RUN_OUT/out/tree.tar" sym | awk '{ print substr($1, 1, 1), $NF }')" "l a/b/c.txt"
# 5 members: 5 headers, one data block each for the two files, 2 end blocks.
run_is "the archive is exactly what the limits counted" "$(out_size out/tree.tar)" \
	"$(((5 + 2 + 2) * 512))"

bundle=$(trees_bundle quota 33554432 "channel=/dev/tree, mountpoint=/out, access=wo" \
	"count /out" "Channel = out/tree.tar,/dev/tree,0,0,0,0,11,1048576")
zvm_run quota "$bundle"
check_ok "an output tree over its channel's puts"
run_is "stops at EDQUOT after puts - 1 members" "$(out_file stdout | head -1)" "count 10 EDQUOT"
run_is "and the saved archive holds them" "$(tar -tf "$RUN_OUT/out/tree.tar" | wc -l)" 10

bundle=$(trees_bundle bytes 33554432 "channel=/dev/tree, mountpoint=/out, access=wo" \
	"fill /out" "Channel = out/tree.tar,/dev/tree,0,0,0,0,64,300000")
zvm_run bytes "$bundle"
check_ok "an output tree over its channel's put_size"
run_like "stops at EDQUOT" "$(out_file stdout | head -1)" '^fill [0-9]+ EDQUOT$'
run_is "the archive stays within put_size" "$(($(out_size out/tree.tar) <= 300000))" 1

bundle=$(trees_bundle wo-readable 33554432 "channel=/dev/tree, mountpoint=/out, access=wo" \
	"output /out" "Channel = nvram,/dev/tree,3,0,64,1048576,0,0")
zvm_run wo-readable "$bundle"
run_is "access=wo on an input channel is refused" "$RUN_STATUS" 1
run_like "saying why" "$RUN_STDERR$(report_line 6)" 'cannot write'

# zvm pack writes the same declarations.
(cd "$WORK/src" && "$ZVM" pack -o "$WORK/bundles/packed.tar" --memory 32M --scratch /tmp \
	--output-dir /out,result/out.tar "$trees" output /out) >"$WORK/pack.log" 2>&1
zvm_run packed "$WORK/bundles/packed.tar"
check_ok "zvm pack --scratch --output-dir: the bundle runs"
run_is "and the output directory is the tar it named" \
	"$(tar -tf "$RUN_OUT/result/out.tar" 2>&1 | tr '\n' ' ')" "a/ a/b/ a/b/c.txt moved.txt sym "

tap_done
