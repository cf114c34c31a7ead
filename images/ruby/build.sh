#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the ruby image: a bundle whose program is Ruby 3.3 (ruby+stdlib.wasm of the npm
# package @ruby/3.3-wasm-wasi, the standard library packed inside) made a WASI command, and
# whose script channel /dev/script.rb is the Ruby program to run.
#   build.sh OUT.tar WORKDIR [SCRIPT.rb]
# Fetches the two pinned packages with npm (or from npm's cache), checks each tarball's
# SHA-256, assembles the module (stubs of the 24 JS-host imports + driver.wat's _start,
# merged with binaryen's wasm-merge; wasm-metadce then keeps only _start and memory as
# exports, and what they reach) and packs manifest, ruby.nexe and the script. Exits 77 with
# the reason on stderr when npm, node or wat2wasm is missing or a package cannot be fetched.
set -euo pipefail

RUBY_PACKAGE=@ruby/3.3-wasm-wasi@2.10.1
RUBY_TGZ=ruby-3.3-wasm-wasi-2.10.1.tgz
RUBY_SHA256=573c0d66d4dc755200ff0fe054aa31f6c4716d041f925e88b11f1e7b6f5443d1
BINARYEN_PACKAGE=binaryen@132.0.0
BINARYEN_TGZ=binaryen-132.0.0.tgz
BINARYEN_SHA256=6543555fb29bb92548f325c7dc18e9ab7dbb1215edda25993d1e3f71d85b8618

if [ $# -lt 2 ]; then
	echo "usage: $0 OUT.tar WORKDIR [SCRIPT.rb]" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$1
work=$2
script=${3:-$here/hello.rb}
case $out in /*) ;; *) out="$PWD/$out" ;; esac
case $script in /*) ;; *) script="$PWD/$script" ;; esac

skip() {
	echo "images/ruby: skipped: $*" >&2
	exit 77
}
for tool in npm node wat2wasm; do
	command -v "$tool" >/dev/null || skip "no $tool (the image is built from npm packages)"
done

mkdir -p "$work"
cd "$work"
fetch() { # PACKAGE TGZ SHA256
	if [ ! -f "$2" ] || ! echo "$3  $2" | sha256sum -c --quiet >/dev/null 2>&1; then
		rm -f "$2"
		npm pack --silent "$1" >/dev/null 2>npm.log ||
			skip "npm cannot fetch $1: $(tail -n 1 npm.log)"
	fi
	echo "$3  $2" | sha256sum -c --quiet ||
		{ echo "images/ruby: $2 is not the pinned $1 (SHA-256 differs)" >&2; exit 1; }
	rm -rf "${2%.tgz}"
	mkdir "${2%.tgz}"
	tar -xzf "$2" -C "${2%.tgz}"
}
fetch "$RUBY_PACKAGE" "$RUBY_TGZ" "$RUBY_SHA256"
fetch "$BINARYEN_PACKAGE" "$BINARYEN_TGZ" "$BINARYEN_SHA256"
ruby_wasm=${RUBY_TGZ%.tgz}/package/dist/ruby+stdlib.wasm
binaryen=${BINARYEN_TGZ%.tgz}/package/bin

wat2wasm -o stub-host.wasm "$here/stub-host.wat"
wat2wasm -o stub-abi.wasm "$here/stub-abi.wat"
wat2wasm -o driver.wasm "$here/driver.wat"
node "$binaryen/wasm-merge" --enable-bulk-memory \
	"$ruby_wasm" ruby stub-host.wasm rb-js-abi-host stub-abi.wasm canonical_abi \
	driver.wasm driver -o merged.wasm
echo '[{"name": "start", "root": true, "export": "_start"},
 {"name": "memory", "root": true, "export": "memory"}]' >roots.json
node "$binaryen/wasm-metadce" --enable-bulk-memory -f roots.json merged.wasm \
	-o ruby.nexe >metadce.log
rm -f merged.wasm
"$here/../make-bundle.sh" "$out" manifest="$here/manifest" ruby.nexe=ruby.nexe \
	script.rb="$script"
