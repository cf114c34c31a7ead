#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The layers' includes point one way (docs/architecture.md): channels/ includes nothing of
# sandbox/ or fs/, sandbox/ nothing of fs/, and fs/ includes of sandbox/ only engine.h, the
# engine's contract. Lists every include that breaks it and exits 1.
set -euo pipefail
source_dir=${ZVM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$source_dir"
bad=0
report() {
	if [ -n "$1" ]; then
		printf '%s\n' "$1"
		bad=1
	fi
}
report "$(grep -rnE '#include "(\.\./)+(sandbox|fs)/' channels/ || true)"
report "$(grep -rnE '#include "(\.\./)+fs/' sandbox/ || true)"
report "$(grep -rnE '#include "(\.\./)+sandbox/' fs/ | grep -v '/sandbox/engine\.h"' || true)"
# fs/ sees sandbox/ as an include directory too: a bare name of one of its headers (other
# than fs/'s own headers of the same name) is an include of sandbox/.
for header in sandbox/*.h; do
	name=$(basename "$header")
	[ "$name" = engine.h ] && continue
	while IFS= read -r hit; do
		file=${hit%%:*}
		[ -e "$(dirname "$file")/$name" ] && continue
		report "$hit"
	done < <(grep -rnF "#include \"$name\"" fs/ || true)
done
if [ "$bad" -ne 0 ]; then
	echo "includes across the layers other than sandbox/engine.h (docs/architecture.md)"
	exit 1
fi
