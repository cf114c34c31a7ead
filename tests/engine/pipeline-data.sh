#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# System maps over data roots through `zvm run --data` (docs/pipelines.md, engine.md §2a):
# the wordcount example's data variant, whose mapper reads `data:texts/*.txt`, gets one
# mapper per matching file, in sorted order, reading the files in place (nothing in the
# bundle); its count equals the native one and a second run has the same etags. A single
# match names the node after its group; no match, an unexported root and (as root, for
# nobody) a matching file the user may not read refuse the job, naming the group and file.
. "$(dirname "$0")/engine-lib.sh"
engine_setup

bundle=$ZVM_IMAGES/wordcount-data.tar
if [ ! -f "$bundle" ]; then
	echo "1..0 # SKIP $bundle is not built"
	exit 0
fi

TEXTS=$WORK/texts
mkdir -p "$TEXTS"
cp "$ZVM_SOURCE_DIR"/images/wordcount/texts/*.txt "$TEXTS/"
printf 'not a text: the wildcard is *.txt\n' >"$TEXTS/notes.md"
chmod -R a+rX "$TEXTS"
files=$(cd "$TEXTS" && ls -- *.txt)
count=$(printf '%s\n' "$files" | wc -l)
native() {
	cat "$@" | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | grep -v '^$' |
		LC_ALL=C sort | uniq -c | awk '{ print $1, $2 }'
}
# node_names: the names of the "node NAME RC EXIT-STATE" lines after the report.
node_names() {
	printf '%s\n' "$RUN_REPORT" | sed -n '7,$p' | cut -d' ' -f2 | paste -sd' '
}

zvm_run wildcard "$bundle" --data "texts=$TEXTS"
check_ok "wordcount-data: exit state ok"
run_is "wordcount-data: one mapper per matching file, then the reducers and the collector" \
	"$(node_names)" \
	"$(seq -f 'mapper-%g' "$count" | paste -sd' ') reducer-1 reducer-2 reducer-3 collector"
run_is "wordcount-data: every node ok" "$(printf '%s\n' "$RUN_REPORT" | sed -n '7,$p' |
	grep -vc ' 0 ok$')" 0
run_is "wordcount-data: the collector's counts equal the native count of the *.txt files" \
	"$(out_file collector/stdout)" "$(cd "$TEXTS" && native $files)"
# Mapper N read the Nth file in sorted order: its bytes read (accounting field 4) are the
# file's size.
sizes="" read_bytes=""
n=0
for file in $files; do
	n=$((n + 1))
	sizes="$sizes $(stat -c %s "$TEXTS/$file")"
	read_bytes="$read_bytes $(awk '{ print $4 }' "$RUN_OUT/mapper-$n/accounting")"
done
run_is "wordcount-data: mapper-N read the Nth file, in sorted order ($sizes bytes)" \
	"$read_bytes" "$sizes"
run_check "wordcount-data: the bundle holds no text" \
	bash -c "! tar -tf '$bundle' | grep -q 'txt'"
first_etags=$(report_line 4)
zvm_run wildcard-again "$bundle" --data "texts=$TEXTS"
check_ok "wordcount-data again: exit state ok"
run_is "wordcount-data again: identical etags" "$(report_line 4)" "$first_etags"
run_check "wordcount-data again: identical outputs" \
	diff -r -x report -x accounting "$WORK/wildcard.out" "$WORK/wildcard-again.out"

# One match: the node is named after its group.
mkdir -p "$WORK/one"
cp "$TEXTS/fox.txt" "$WORK/one/"
chmod -R a+rX "$WORK/one"
zvm_run one "$bundle" --data "texts=$WORK/one"
check_ok "one matching file: exit state ok"
run_is "one matching file: a single node 'mapper'" "$(node_names)" \
	"mapper reducer-1 reducer-2 reducer-3 collector"
run_is "one matching file: its count" "$(out_file collector/stdout)" \
	"$(native "$TEXTS/fox.txt")"

mkdir -p "$WORK/none"
zvm_run none "$bundle" --data "texts=$WORK/none"
check_failed "no matching file: refused"
run_is "no matching file: the reason" "$(report_line 6)" \
	"system.map: group 'mapper': device stdin: 'data:texts/*.txt' matches no file"

zvm_run unexported "$bundle"
check_failed "no data root exported: refused"
run_is "no data root exported: the reason" "$(report_line 6)" \
	"system.map: group 'mapper': device stdin: data root 'texts' is not exported by this gateway"

# --- the running user's own permissions -------------------------------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	printf 'secret words only root may count\n' >"$TEXTS/secret.txt"
	chmod 0600 "$TEXTS/secret.txt"
	zvm_run root-wildcard "$bundle" --data "texts=$TEXTS"
	check_ok "root: the wildcard matches the root-only file too"
	run_is "root: one more mapper" "$(node_names | wc -w)" "$((count + 1 + 4))"
	run_is "root: the count includes it" "$(out_file collector/stdout)" \
		"$(cd "$TEXTS" && native $files secret.txt)"

	chmod 0644 "$bundle" "$CONFIG"
	# nobody's temporary files go to /tmp: the caller's TMPDIR may be private to root.
	report=$(cd "$WORK/cwd" && setpriv --reuid=nobody --regid="$(id -g nobody)" \
		--clear-groups -- env -u TMPDIR timeout 60 "$ZVM" run --config "$CONFIG" \
		--data "texts=$TEXTS" --out "$WORK/nobody.out" "$bundle" 2>&1)
	status=$?
	tap_is "nobody: refused, zvm exits 1" "$status" 1
	tap_is "nobody: the reason names the group, the device, the file and the cause" \
		"$(printf '%s\n' "$report" | sed -n 6p)" \
		"system.map: group 'mapper': device stdin: data:texts/secret.txt: Permission denied"
	tap_check "nobody: no node ran" test ! -e "$WORK/nobody.out/mapper-1/report"
else
	tap_skip "a root-only file matched by the wildcard, as root and as nobody" \
		"needs root, nobody and setpriv"
fi

tap_done
