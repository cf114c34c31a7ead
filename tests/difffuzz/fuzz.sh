#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The differential fuzzer for a bounded time: ZVM_DIFFFUZZ_SECONDS (default 90) of fresh
# seeds; findings go to FINDINGS-DIR. Skips (77) without Node or the pinned binaryen.
#   fuzz.sh DIFFFUZZ-RUN FINDINGS-DIR
set -euo pipefail
node=$(command -v node || true)
if [ -z "$node" ]; then
	echo "difffuzz: SKIP: node is not installed (tests/deps.sh installs nodejs)"
	exit 77
fi
exec nice -n "${ZVM_DIFFFUZZ_NICE:-10}" "$node" "$(dirname "$0")/difffuzz.mjs" --harness "$1" \
	--findings "$2" --seconds "${ZVM_DIFFFUZZ_SECONDS:-90}"
