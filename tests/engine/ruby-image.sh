#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The ruby image (images/ruby): built by its own step from the pinned npm packages, it runs
# the Ruby script of its script channel through `zvm run`: output, exit status, a script's
# error on stderr.
# Opt-in: ZVM_TEST_RUBY=1. A cold translation of Ruby (36 MB module, 300 MB of C) costs about
# 2 min of CPU for the first tier and 9-10 min more for the -O2 tier `zvm run` finishes before
# it exits, more than a CI run may spend, and the build fetches about 30 MB from npm. The
# translations go to ZVM_TEST_RUBY_CACHE (default <build>/ruby-cache), kept between runs:
# only the first run is cold.
. "$(dirname "$0")/engine-lib.sh"
if [ "${ZVM_TEST_RUBY:-0}" != 1 ]; then
	echo "1..0 # SKIP set ZVM_TEST_RUBY=1: fetches @ruby/3.3-wasm-wasi with npm and translates Ruby, minutes of CPU when its cache is cold"
	exit 0
fi
engine_setup
CACHE_DIR=${ZVM_TEST_RUBY_CACHE:-$ZVM_BUILD_DIR/ruby-cache}
mkdir -p "$CACHE_DIR"
write_config "$CONFIG" "compile_timeout = 1800"
ZVM_RUN_TIMEOUT=3600

build=$ZVM_BUILD_DIR/images/ruby-work
status=0
"$ZVM_SOURCE_DIR/images/ruby/build.sh" "$WORK/ruby.tar" "$build" >"$WORK/build.log" 2>&1 ||
	status=$?
if [ "$status" = 77 ]; then
	echo "1..0 # SKIP $(tail -n 1 "$WORK/build.log")"
	exit 0
fi
tap_is "images/ruby/build.sh builds the bundle" "$status" 0

zvm_run hello "$WORK/ruby.tar"
check_ok "hello.rb: exit state ok"
run_like "hello.rb: its output" "$(out_file stdout)" \
	"^sum of 1\.\.10: 55
the 3
brown 1
dog 1
ruby 3\.3\.[0-9]+$"

# ruby_bundle OUT.tar SCRIPT: the image with another script (the same ruby.nexe).
ruby_bundle() {
	"$MAKE_BUNDLE" "$1" manifest="$ZVM_SOURCE_DIR/images/ruby/manifest" \
		ruby.nexe="$build/ruby.nexe" script.rb="$2"
}

# Another script, same program: the translation is the same cache entry.
cat >"$WORK/fail.rb" <<'RUBY'
puts ARGV.size
$stderr.puts "leaving"
exit 3
RUBY
ruby_bundle "$WORK/fail.tar" "$WORK/fail.rb"
zvm_run fail "$WORK/fail.tar"
run_is "exit 3: user return code 3" "$(report_line 3)" 3
run_is "exit 3: stdout" "$(out_file stdout)" 0
run_is "exit 3: stderr" "$(out_file stderr)" leaving

cat >"$WORK/raise.rb" <<'RUBY'
def deep = raise(ArgumentError, "no such thing")
deep
RUBY
ruby_bundle "$WORK/raise.tar" "$WORK/raise.rb"
zvm_run raise "$WORK/raise.tar"
run_is "an exception: user return code 1" "$(report_line 3)" 1
run_like "an exception: Ruby's message on stderr" "$(out_file stderr)" \
	"no such thing \(ArgumentError\)"
tap_done
