#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first command: installs what is missing, builds, mounts the gateway at
# /mnt/zvm (state in /var/lib/zvmfs), and runs the example job images/hello through it:
# cp into submit/, then the job's wait, stdout and report files.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

mnt=${ZVM_MOUNT:-/mnt/zvm}
if ! mountpoint -q "$mnt"; then
	mkdir -p "$mnt"
	echo "\$ zvmfs $mnt"
	build/fs/zvmfs "$mnt"
fi

show() {
	echo "\$ $*"
	"$@"
}
show cp build/images/hello.tar "$mnt/submit/"
show cat "$mnt/jobs/last/wait"
show cat "$mnt/jobs/last/stdout"
show cat "$mnt/jobs/last/report"
echo "(unmount with: fusermount3 -u $mnt)"
