#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every C file of the tree is as clang-format (.clang-format) leaves it.
#   tests/format/check-format.sh          check: list the files that differ, exit 1
#   tests/format/check-format.sh --fix    reformat them in place
# G_DEFINE_QUARK lines sit in `clang-format off` blocks: clang-format 14 would space the
# dashes of their first argument, which G_DEFINE_QUARK turns into the quark's string.
set -euo pipefail
source_dir=${ZVM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$format" ]; then
	echo "SKIP: clang-format is not installed (tests/deps.sh installs clang-format)"
	exit 77
fi
cd "$source_dir"
mapfile -t files < <(git ls-files -- '*.c' '*.h' 2>/dev/null | grep -v '/node_modules/' ||
	find channels sandbox fs tests images -name '*.[ch]' -not -path '*/node_modules/*')
if [ "${1:-}" = --fix ]; then
	"$format" -i "${files[@]}"
	exit 0
fi
bad=0
for f in "${files[@]}"; do
	if ! "$format" --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f (run tests/format/check-format.sh --fix)"
		bad=$((bad + 1))
	fi
done
echo "$bad of ${#files[@]} files differ from clang-format"
[ "$bad" -eq 0 ]
