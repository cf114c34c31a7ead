#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first command: installs what is missing, builds, and runs the example job
# images/hello through the engine, showing its output and ZeroVM's report.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "\$ zvm run --out $out build/images/hello.tar"
build/fs/zvm run --out "$out" build/images/hello.tar
echo "\$ cat $out/stdout"
cat "$out/stdout"
