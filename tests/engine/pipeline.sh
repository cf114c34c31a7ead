#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# System map jobs through `zvm run` (docs/pipelines.md): the wordcount example against the
# same count done natively, the same etags twice, and the ways a pipeline fails: a reader
# that ends before reading (no deadlock, no SIGPIPE), a writer that traps, a node whose
# program is refused. Each failure names its node.
. "$(dirname "$0")/engine-lib.sh"
engine_setup
need_program pipetool

# node_line NAME: the "node NAME RC EXIT-STATE" line zvm printed after the report.
node_line() {
	printf '%s\n' "$RUN_REPORT" | grep -E "^node $1 " || true
}

# A map of groups "NAME ARGS [CONNECT]" running pipetool, as a bundle.
pipetool_bundle() {
	local bundle=$1
	shift
	local map=$WORK/src/$bundle.map sep=""
	{
		echo "["
		local spec name args connect
		for spec in "$@"; do
			IFS='|' read -r name args connect <<<"$spec"
			printf '%s{"name": "%s", "exec": {"path": "pipetool.nexe", "args": "%s"},' \
				"$sep" "$name" "$args"
			printf ' "timeout": 20, "connect": [%s]}\n' "$connect"
			sep=","
		done
		echo "]"
	} >"$map"
	make_bundle "$bundle" boot/system.map="$map" pipetool.nexe="$PROGRAMS/pipetool.nexe"
}

# wordcount: four mappers, three reducers, one collector
texts=$ZVM_SOURCE_DIR/images/wordcount/texts
expected=$(cat "$texts"/*.txt | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | grep -v '^$' |
	LC_ALL=C sort | uniq -c | awk '{ print $1, $2 }')
zvm_run wordcount "$ZVM_IMAGES/wordcount.tar"
check_ok "wordcount: exit state ok"
run_is "wordcount: the collector's counts equal the native count" \
	"$(out_file collector/stdout)" "$expected"
run_is "wordcount: one line per node after the report" \
	"$(printf '%s\n' "$RUN_REPORT" | sed -n '7,$p' | cut -d' ' -f1-2 | paste -sd' ')" \
	"node mapfox node mapledger node mapriver node mapsandbox node reducer-1 node reducer-2 node reducer-3 node collector"
run_is "wordcount: every node ok" "$(printf '%s\n' "$RUN_REPORT" | sed -n '7,$p' |
	grep -vc ' 0 ok$')" 0
missing=""
for node in mapfox mapledger mapriver mapsandbox reducer-1 reducer-2 reducer-3 collector; do
	for file in stdout stderr report accounting; do
		[ -f "$RUN_OUT/$node/$file" ] || missing="$missing $node/$file"
	done
done
run_is "wordcount: each node has stdout, stderr, report and accounting" "$missing" ""
run_is "wordcount: a node's report is six lines ending ok" \
	"$(wc -l <"$RUN_OUT/reducer-2/report") $(tail -n1 "$RUN_OUT/reducer-2/report")" "6 ok"
run_like "wordcount: etags are per node" "$(report_line 4)" \
	'^mapfox:/dev/stdout [0-9a-f]{64} .* collector:/dev/stderr [0-9a-f]{64}$'
# The job's accounting sums the nodes' (bytes written: field 6).
sum=$(cat "$RUN_OUT"/*/accounting | awk '{ s += $6 } END { print s }')
run_is "wordcount: accounting is the sum of the nodes'" "$(accounting_field 6)" "$sum"
first_etags=$(report_line 4)
first_seconds=$RUN_SECONDS
zvm_run wordcount-again "$ZVM_IMAGES/wordcount.tar"
check_ok "wordcount again: exit state ok"
run_is "wordcount again: identical etags" "$(report_line 4)" "$first_etags"
run_check "wordcount again: identical outputs (reports differ only in CPU times)" \
	diff -r -x report -x accounting "$WORK/wordcount.out" "$WORK/wordcount-again.out"
tap_ok "wordcount: runs took ${first_seconds}s (cold) and ${RUN_SECONDS}s (cached)"

# Fan-in, all ok: two writers into one reader (and pipetool translated for what follows).
bundle=$(pipetool_bundle fan-in 'src|write 200000|"sink"' 'more|write 300000|"sink"' 'sink|read|')
zvm_run fan-in "$bundle"
check_ok "fan-in: exit state ok"
run_is "fan-in: the reader read both writers to their end" "$(out_file sink/stdout)" \
	"/dev/in/more 300000
/dev/in/src 200000"

# A reader that ends without reading: the writer sees EPIPE (not SIGPIPE), nothing hangs.
bundle=$(pipetool_bundle early-reader 'writer|write 1048576|"reader"' 'reader|quit|')
zvm_run early-reader "$bundle"
check_failed "reader ends early: the job fails"
run_like "reader ends early: the writer's broken pipe is the exit state" "$(report_line 6)" \
	"^node 'writer': /dev/out/reader: Broken pipe"
run_is "reader ends early: the reader itself was ok" "$(node_line reader)" "node reader 0 ok"
run_like "reader ends early: the writer got an error, not a signal" \
	"$(out_file writer/stderr)" "/dev/out/reader: Broken pipe"
run_like "reader ends early: within seconds" "$RUN_SECONDS" '^[12]?[0-9]\.'

# A reader that traps: its trap is the job's exit state, before the writer's broken pipe.
bundle=$(pipetool_bundle trapping-reader 'writer|write 1048576|"reader"' 'reader|trap|')
zvm_run trapping-reader "$bundle"
check_failed "reader traps: the job fails"
run_is "reader traps: the exit state names the reader" "$(report_line 6)" \
	"node 'reader': trap: unreachable executed"
run_like "reader traps: the writer's own end" "$(node_line writer)" \
	"^node writer [0-9]+ /dev/out/reader: Broken pipe"

# A writer that traps after writing: the reader still gets everything and its end of file.
bundle=$(pipetool_bundle trapping-writer 'writer|write-trap 100000|"reader"' 'reader|read|')
zvm_run trapping-writer "$bundle"
check_failed "writer traps: the job fails"
run_is "writer traps: the exit state names the writer" "$(report_line 6)" \
	"node 'writer': trap: unreachable executed"
run_is "writer traps: the reader read all it wrote, to end of file" \
	"$(out_file reader/stdout)" "/dev/in/writer 100000"
run_is "writer traps: the reader was ok" "$(node_line reader)" "node reader 0 ok"

# A node whose program the engine refuses: nothing runs, the node is named.
printf 'not wasm' >"$WORK/src/bad.nexe"
cat >"$WORK/src/bad.map" <<MAP
[{"name": "good", "exec": {"path": "pipetool.nexe", "args": "quit"}, "connect": ["bad"]},
 {"name": "bad", "exec": {"path": "bad.nexe"}}]
MAP
bundle=$(make_bundle bad-node boot/system.map="$WORK/src/bad.map" \
	pipetool.nexe="$PROGRAMS/pipetool.nexe" bad.nexe="$WORK/src/bad.nexe")
zvm_run bad-node "$bundle"
check_failed "refused program: the job fails"
run_like "refused program: the exit state names the node" "$(report_line 6)" \
	"^node 'bad': validation failed"

# A map the expander refuses, and a node manifest naming a missing member.
cat >"$WORK/src/unknown.map" <<MAP
[{"name": "a", "exec": {"path": "pipetool.nexe"}, "connect": ["nobody"]}]
MAP
bundle=$(make_bundle bad-map boot/system.map="$WORK/src/unknown.map" \
	pipetool.nexe="$PROGRAMS/pipetool.nexe")
zvm_run bad-map "$bundle"
check_failed "bad map: refused"
run_is "bad map: the reason names the group" "$(report_line 6)" \
	"system.map: group 'a': connects to 'nobody', which is no group of the map"
cat >"$WORK/src/missing.map" <<MAP
[{"name": "a", "exec": {"path": "pipetool.nexe"},
  "devices": [{"name": "stdin", "path": "absent.txt"}]}]
MAP
bundle=$(make_bundle missing-member boot/system.map="$WORK/src/missing.map" \
	pipetool.nexe="$PROGRAMS/pipetool.nexe")
zvm_run missing-member "$bundle"
run_is "missing member: the reason names the node" "$(report_line 6)" \
	"system.map: node 'a': bundle: channel /dev/stdin reads 'absent.txt', which is not in the bundle"

tap_done
