#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages zvmfs builds, runs and tests with, when any is missing,
# and creates the unprivileged user that runs modules. Needs root for both.
set -euo pipefail

packages=(
	meson ninja-build pkg-config gcc
	libglib2.0-dev libjson-glib-dev libarchive-dev libseccomp-dev libfuse3-dev fuse3
	wabt clang lld wasi-libc libclang-rt-14-dev-wasm32 libclang-rt-14-dev
	# The format check (tests/format): every C file as clang-format leaves it.
	clang-format
	tar gzip xz-utils zstd rsync attr libglib2.0-bin python3 procps
	# The benchmarks (tests/bench): Node's WASI beside wabt's wasm-interp, a static native
	# hello, the plot. The suite's bench-quick test runs them, so CI keeps them working.
	nodejs libc6-dev gnuplot-nox
	# The client suite drives Midnight Commander in tmux (tests/client/test-mc.sh) and
	# pcmanfm under Xvfb with xdotool, screenshots by ImageMagick's import
	# (tests/client/test-filemanager.sh); dbus-x11 gives it a session bus.
	mc tmux pcmanfm xvfb xdotool dbus-x11 imagemagick
	# The slurm suite brings up a one-host Slurm cluster (tests/slurm/cluster.sh).
	slurm-wlm munge
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing packages: ${missing[*]}; run as root to install them" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Modules run as zvmfs, wasm2c and the C compiler as zvmfs-cc, when the gateway runs as root
# (docs/spec.md §3; docs/engine.md, "Privilege separation").
for user in zvmfs zvmfs-cc; do
	if [ "$(id -u)" -eq 0 ] && ! getent passwd "$user" >/dev/null; then
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$user"
	fi
done

# The differential fuzzer's module generator and reference interpreter (tests/difffuzz):
# binaryen from npm, the exact version and integrity hash of tests/difffuzz/package-lock.json,
# installed beside it in node_modules (git-ignored) whenever the lock is newer. zvmfs itself
# never needs it; without npm or the network only that fuzzer's test skips.
difffuzz=$(dirname "$0")/difffuzz
if [ ! -f "$difffuzz/node_modules/binaryen/package.json" ] ||
	[ "$difffuzz/package-lock.json" -nt "$difffuzz/node_modules/.package-lock.json" ]; then
	if command -v npm >/dev/null; then
		echo "deps.sh: npm ci in $difffuzz (binaryen, for the differential fuzzer)"
		(cd "$difffuzz" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
			echo "deps.sh: npm ci failed; the differential fuzzer will skip" >&2
	else
		echo "deps.sh: no npm; the differential fuzzer (tests/difffuzz) will skip" >&2
	fi
fi
