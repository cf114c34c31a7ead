#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# System map jobs through the mount (docs/pipelines.md): the wordcount example's per-node
# directories, status and report summing up the nodes; jobs wider than the worker pool (two
# workers here) complete, and a plain job queued behind one runs after it.
. "$(dirname "$0")/lib.sh"

mount_setup "jobs = 2"
mount_start

texts=$ZVM_SOURCE_DIR/images/wordcount/texts
expected=$(cat "$texts"/*.txt | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | grep -v '^$' |
	LC_ALL=C sort | uniq -c | awk '{ print $1, $2 }')

id=$(submit "$ZVM_IMAGES/wordcount.tar")
tap_like "wordcount.tar is accepted" "$id" '^[0-9]+$'
hello=$(submit "$HELLO")
status=$(wait_job "$id")
J=$MNT/jobs/$id
tap_is "wordcount: done, ok" "$(echo "$status" | sed -n '2,3p' | tr '\n' ' ')" \
	"state done exit_state ok "
tap_is "wordcount: status counts the nodes" "$(status_of "$id" nodes)" 8
tap_is "wordcount: the collector's stdout equals the native count" \
	"$(cat "$J/collector/stdout")" "$expected"
tap_is "wordcount: one directory per node" "$(ls "$J" | tr '\n' ' ')" \
	"accounting collector ctl manifest mapfox mapledger mapriver mapsandbox reducer-1 reducer-2 reducer-3 report status "
tap_is "wordcount: a node's directory" "$(ls "$J/reducer-1" | tr '\n' ' ')" \
	"accounting report stderr stdout "
tap_is "wordcount: a node's report ends ok" "$(tail -1 "$J/mapriver/report")" ok
tap_like "wordcount: a mapper's stderr" "$(cat "$J/mapriver/stderr")" "^mapper: [0-9]+ distinct words$"
tap_is "wordcount: the job's report ends ok" "$(tail -1 "$J/report")" ok
tap_like "wordcount: the job's etags are per node" "$(sed -n 4p "$J/report")" \
	'^mapfox:/dev/stdout [0-9a-f]+ '
tap_is "wordcount: manifest serves the system map" "$(cat "$J/manifest")" \
	"$(tar -xOf "$ZVM_IMAGES/wordcount.tar" boot/system.map)"
tap_is "the plain job queued behind it ran too" \
	"$(wait_job "$hello" | sed -n 2p) $(cat "$MNT/jobs/$hello/stdout")" "state done hello, world"
tap_is "a plain job has no nodes line" "$(status_of "$hello" nodes)" ""
first_etags=$(sed -n 4p "$J/report")

# A five-node job from the example's programs, wider than the two workers: two mappers, two
# reducers, a collector; a failure in it names its node.
for program in mapper reducer collector; do
	tar -xOf "$ZVM_IMAGES/wordcount.tar" "$program.nexe" >"$WORK/src/$program.nexe"
done
cat >"$WORK/src/five.map" <<MAP
[{"name": "left", "exec": {"path": "mapper.nexe"},
  "devices": [{"name": "stdin", "path": "a.txt"}], "connect": ["reducer"]},
 {"name": "right", "exec": {"path": "mapper.nexe"},
  "devices": [{"name": "stdin", "path": "b.txt"}], "connect": ["reducer"]},
 {"name": "reducer", "exec": {"path": "reducer.nexe"}, "count": 2, "connect": ["collector"]},
 {"name": "collector", "exec": {"path": "collector.nexe"}}]
MAP
"$MAKE_BUNDLE" "$WORK/five.tar" "boot/system.map=$WORK/src/five.map" \
	"mapper.nexe=$WORK/src/mapper.nexe" "reducer.nexe=$WORK/src/reducer.nexe" \
	"collector.nexe=$WORK/src/collector.nexe" "a.txt=$texts/fox.txt" "b.txt=$texts/river.txt"
five=$(submit "$WORK/five.tar")
tap_is "five nodes on two workers: done" "$(wait_job "$five" | sed -n 2p)" "state done"
tap_is "five nodes: status counts them" "$(status_of "$five" nodes)" 5
tap_is "five nodes: the counts of two texts" "$(cat "$MNT/jobs/$five/collector/stdout")" \
	"$(cat "$texts/fox.txt" "$texts/river.txt" | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' |
		grep -v '^$' | LC_ALL=C sort | uniq -c | awk '{ print $1, $2 }')"

# The same with a text missing from the bundle: refused at submission, naming the node.
"$MAKE_BUNDLE" "$WORK/broken.tar" "boot/system.map=$WORK/src/five.map" \
	"mapper.nexe=$WORK/src/mapper.nexe" "reducer.nexe=$WORK/src/reducer.nexe" \
	"collector.nexe=$WORK/src/collector.nexe" "a.txt=$texts/fox.txt"
out=$(cp "$WORK/broken.tar" "$MNT/submit/" 2>&1)
tap_is "a map naming a missing member is refused at cp" "$?" 1
bad=$(readlink "$MNT/jobs/last")
tap_is "the refusal names the node" "$(status_of "$bad" reason)" \
	"system.map: node 'right': bundle: channel /dev/stdin reads 'b.txt', which is not in the bundle"

# And the example again: the same etags.
again=$(submit "$ZVM_IMAGES/wordcount.tar")
wait_job "$again" >/dev/null
tap_is "wordcount again: identical etags" "$(sed -n 4p "$MNT/jobs/$again/report")" "$first_etags"

# Nodes end at their own time: while one still runs, status shows the end of the other.
tar -xOf "$HELLO" hello.nexe >"$WORK/src/hello.nexe"
cat >"$WORK/src/uneven.map" <<MAP
[{"name": "quick", "exec": {"path": "hello.nexe"}},
 {"name": "slow", "exec": {"path": "ticker.nexe", "args": "100000 3000000"}, "timeout": 300}]
MAP
"$MAKE_BUNDLE" "$WORK/uneven.tar" "boot/system.map=$WORK/src/uneven.map" \
	"hello.nexe=$WORK/src/hello.nexe" "ticker.nexe=$ZVM_MOUNT_PROGRAMS/ticker.nexe"
uneven=$(submit "$WORK/uneven.tar")
wait_state "$uneven" running 120
lines=
for _ in $(seq 600); do
	lines=$(grep '^node ' "$MNT/jobs/$uneven/status" | tr '\n' ';')
	[[ $lines == "node quick done 0 ok;"* ]] && break
	sleep 0.1
done
tap_is "uneven pipeline: a node's end shows while another runs" "$lines" \
	"node quick done 0 ok;node slow running;"
tap_is "uneven pipeline: the job still runs" "$(status_of "$uneven" state)" running
echo kill >"$MNT/jobs/$uneven/ctl"
wait_job "$uneven" >/dev/null
tap_is "uneven pipeline: the ends once killed" \
	"$(grep '^node ' "$MNT/jobs/$uneven/status" | tr '\n' ';')" \
	"node quick done 0 ok;node slow killed 0 killed;"

# A running pipeline: each node's stdout grows live; ctl kills every node.
cat >"$WORK/src/spin.map" <<MAP
[{"name": "tick", "exec": {"path": "ticker.nexe", "args": "100000 3000000"}, "count": 2,
  "timeout": 300}]
MAP
"$MAKE_BUNDLE" "$WORK/spin.tar" "boot/system.map=$WORK/src/spin.map" \
	"ticker.nexe=$ZVM_MOUNT_PROGRAMS/ticker.nexe"
spin=$(submit "$WORK/spin.tar")
wait_state "$spin" running 120
grew=no
for _ in $(seq 600); do
	if [ -s "$MNT/jobs/$spin/tick-1/stdout" ] && [ -s "$MNT/jobs/$spin/tick-2/stdout" ]; then
		grew=yes
		break
	fi
	sleep 0.1
done
tap_is "running pipeline: every node's stdout grows while it runs" "$grew" yes
echo kill >"$MNT/jobs/$spin/ctl"
start=$EPOCHREALTIME
tap_is "running pipeline: kill ends it killed" "$(wait_job "$spin" | sed -n 2p)" "state killed"
# Within seconds (under 30 even on a busy machine), not at the nodes' 300 s timeout.
tap_like "running pipeline: within seconds" \
	"$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" '^[12]?[0-9]\.'
tap_like "running pipeline: the exit state names a node" "$(status_of "$spin" exit_state)" \
	"^node 'tick-[12]': killed$"
tap_is "running pipeline: both nodes' reports say killed" \
	"$(tail -qn1 "$MNT/jobs/$spin/tick-1/report" "$MNT/jobs/$spin/tick-2/report" | paste -sd' ')" \
	"killed killed"

check_daemon_log
mount_stop
tap_done
