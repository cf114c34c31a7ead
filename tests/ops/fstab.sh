#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# zvmfs as a mount helper (docs/operations.md): through mount.fuse3 with the "zvmfs#PATH"
# source, through `mount -t fuse.zvmfs` with zvmfs found on mount's PATH, and through an
# fstab line read by `mount -T FILE`. Each mount runs hello.tar and is unmounted again; the trap of
# ../mount/lib.sh unmounts whatever is left.
# shellcheck source=../mount/lib.sh
. "$(dirname "$0")/../mount/lib.sh"

ZVMFS=${ZVMFS:-$ZVM_BUILD_DIR/fs/zvmfs}
[ "$(id -u)" = 0 ] || mount_skip "mount(8) with a FUSE helper needs root"
# The whole test runs in a private mount namespace, so that the installed form can be tried
# with zvmfs placed in /usr/local/sbin (a tmpfs seen only here) without touching the host.
if [ -z "${ZVM_FSTAB_NAMESPACE:-}" ] && command -v unshare >/dev/null &&
	unshare -m --propagation private true 2>/dev/null; then
	ZVM_FSTAB_NAMESPACE=1 exec unshare -m --propagation private "$BASH" "$0" "$@"
fi
MOUNT_FUSE=$(command -v mount.fuse3 || PATH=/sbin:/usr/sbin:$PATH command -v mount.fuse3) ||
	mount_skip "mount.fuse3 is not installed"
command -v mount >/dev/null || mount_skip "mount is not installed"
mount_setup


# The daemon forks into the background: wait for the mount, then for it to go.
wait_mount_state() {
	local want=$1
	for _ in $(seq 600); do
		if mountpoint -q "$MNT" 2>/dev/null; then
			[ "$want" = mounted ] && return 0
		else
			[ "$want" = unmounted ] && return 0
		fi
		sleep 0.1
	done
	return 1
}

# run_hello NAME: submit hello.tar to the mount on $MNT, check it ran, unmount.
run_hello() {
	local name=$1 id out
	if ! wait_mount_state mounted; then
		tap_fail "$name: mounted" "$(cat "$WORK/$name.log" 2>/dev/null)"
		return
	fi
	tap_ok "$name: mounted"
	tap_like "$name: mount type" "$(findmnt -n -o FSTYPE "$MNT")" '^fuse(\.zvmfs)?$'
	id=$(submit "$HELLO" hello.tar)
	tap_is "$name: job id" "$id" 1
	out=$(wait_job 1)
	tap_like "$name: hello is done" "$out" '(^|\n)state done'
	tap_like "$name: stdout" "$(cat "$MNT/jobs/1/stdout" 2>/dev/null)" '^hello, world$'
	fusermount3 -u "$MNT"
	if wait_mount_state unmounted; then
		tap_ok "$name: unmounted"
	else
		tap_fail "$name: unmounted"
	fi
	# Let the daemon release its state directory before the next mount.
	sleep 0.5
}

# mount(8) runs its helpers with a fixed PATH, so cases 1 to 3 name the daemon by path, in
# mount.fuse3's "PROGRAM#SOURCE" form; case 4 finds it on that PATH.
# 1. mount.fuse3 directly.
"$MOUNT_FUSE" "$ZVMFS#zvmfs" "$MNT" -o "config=$CONFIG,state=$WORK/state1" \
	>"$WORK/helper.log" 2>&1
run_hello helper

# 2. mount -t fuse PROGRAM#SOURCE MNT -o OPTIONS
mount -t fuse "$ZVMFS#zvmfs" "$MNT" -o "config=$CONFIG,state=$WORK/state2" \
	>"$WORK/type.log" 2>&1
run_hello mount-t

# 3. An fstab line, through mount -T FILE MNT.
echo "$ZVMFS#zvmfs $MNT fuse config=$CONFIG,state=$WORK/state3,noauto 0 0" >"$WORK/fstab"
mount -T "$WORK/fstab" "$MNT" >"$WORK/fstab.log" 2>&1
run_hello fstab

# 4. The installed form: mount -t fuse.zvmfs zvmfs MNT, and its fstab line. When zvmfs is
# not installed, the namespace gets it: a tmpfs on /usr/local/sbin holding a link to the
# build's zvmfs, which is where `meson install` puts it.
installed() {
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'command -v zvmfs' >/dev/null 2>&1
}
if ! installed && [ -n "${ZVM_FSTAB_NAMESPACE:-}" ] && [ -d /usr/local/sbin ] &&
	mount -t tmpfs -o mode=0755,size=1m zvmfs-test /usr/local/sbin; then
	ln -s "$(realpath "$ZVMFS")" /usr/local/sbin/zvmfs
fi
if installed; then
	mount -t fuse.zvmfs zvmfs "$MNT" -o "config=$CONFIG,state=$WORK/state4" \
		>"$WORK/subtype.log" 2>&1
	run_hello fuse.zvmfs
	echo "zvmfs $MNT fuse.zvmfs config=$CONFIG,state=$WORK/state5,noauto 0 0" >"$WORK/fstab"
	mount -T "$WORK/fstab" "$MNT" >"$WORK/fstab5.log" 2>&1
	run_hello fstab-fuse.zvmfs
else
	tap_skip "mount -t fuse.zvmfs" "zvmfs is not installed on mount's PATH (sbin)"
	tap_skip "fstab line with fuse.zvmfs" "zvmfs is not installed on mount's PATH (sbin)"
fi

tap_done
