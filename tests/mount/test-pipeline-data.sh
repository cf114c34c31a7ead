#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# System maps over a data root on a shared mount (docs/pipelines.md, engine.md §2a): the
# wordcount example's data variant gets one mapper per `data:texts/*.txt` file, with a node
# directory each and a `nodes` line that counts them, and its count equals the native one;
# nothing of the texts is copied into the job. Two users: a root-only text makes nobody's job
# refused (cp fails with EACCES, the rejected job names the group, the file and the cause)
# while root's gets one mapper more. The nodes are fixed at submission: a file added while
# the job waits (across a gateway restart, too) is not read, one removed fails the job.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || mount_skip "needs root to submit as another user"
id nobody >/dev/null 2>&1 || mount_skip "no user nobody"
command -v setpriv >/dev/null || mount_skip "setpriv is not installed"
BUNDLE=$ZVM_IMAGES/wordcount-data.tar
[ -f "$BUNDLE" ] || mount_skip "$BUNDLE is not built"

mount_setup "jobs = 1"
TEXTS=$WORK/texts
mkdir -p "$TEXTS"
cp "$ZVM_SOURCE_DIR"/images/wordcount/texts/*.txt "$TEXTS/"
chmod -R a+rX "$TEXTS"
{
	echo "[data]"
	echo "texts = $TEXTS"
} >>"$CONFIG"
mount_start
cp "$BUNDLE" "$WORK/wordcount-data.tar"
chmod 0644 "$WORK/wordcount-data.tar"
BUNDLE=$WORK/wordcount-data.tar

native() {
	(cd "$TEXTS" && cat "$@") | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | grep -v '^$' |
		LC_ALL=C sort | uniq -c | awk '{ print $1, $2 }'
}
as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- "$@"
}
four="fox.txt ledger.txt river.txt sandbox.txt"

id=$(submit "$BUNDLE")
tap_like "wordcount-data.tar is accepted" "$id" '^[0-9]+$'
J=$MNT/jobs/$id
tap_is "wordcount-data: done, ok" "$(wait_job "$id" | sed -n '2,3p' | tr '\n' ' ')" \
	"state done exit_state ok "
tap_is "wordcount-data: status counts the nodes, a mapper per text" "$(status_of "$id" nodes)" 8
tap_is "wordcount-data: status has a line per node with its state, return code and exit state" \
	"$(grep '^node ' "$J/status" | paste -sd,)" \
	"node mapper-1 done 0 ok,node mapper-2 done 0 ok,node mapper-3 done 0 ok,node mapper-4 done 0 ok,node reducer-1 done 0 ok,node reducer-2 done 0 ok,node reducer-3 done 0 ok,node collector done 0 ok"
tap_is "zvm status --json: nodes is an array of objects" \
	"$("$ZVM" status --mount "$MNT" --json "$id" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(len(d["nodes"]), d["nodes"][0], d["nodes"][-1]["name"], d["state"])')" \
	"8 {'name': 'mapper-1', 'state': 'done', 'user_rc': 0, 'exit_state': 'ok'} collector done"
tap_is "wordcount-data: one directory per node" "$(ls "$J" | tr '\n' ' ')" \
	"accounting collector ctl manifest mapper-1 mapper-2 mapper-3 mapper-4 reducer-1 reducer-2 reducer-3 report status "
tap_is "wordcount-data: the collector's count equals the native count" \
	"$(cat "$J/collector/stdout")" "$(native $four)"
tap_is "wordcount-data: mapper-2 read ledger.txt (bytes read)" \
	"$(awk '{ print $4 }' "$J/mapper-2/accounting")" "$(stat -c %s "$TEXTS/ledger.txt")"
tap_is "the job's bundle holds the map and the programs only" \
	"$(ls -A "$STATE/jobs/$id/bundle" | tr '\n' ' ')" \
	"boot collector.nexe mapper.nexe reducer.nexe "
line=$(head -n 1 "$TEXTS/river.txt")
tap_check "no copy of a text anywhere in the job's directory" \
	bash -c "! grep -rqF -- '$line' '$STATE/jobs/$id'"
tap_is "the expansion recorded at submission" "$(cut -d' ' -f2 "$STATE/jobs/$id/expansion" | paste -sd' ')" \
	"data:texts/fox.txt data:texts/ledger.txt data:texts/river.txt data:texts/sandbox.txt"
again=$(submit "$BUNDLE")
wait_job "$again" >/dev/null
tap_is "wordcount-data again: identical etags" "$(sed -n 4p "$MNT/jobs/$again/report")" \
	"$(sed -n 4p "$J/report")"

# --- two users: a root-only text ---------------------------------------------------------
printf 'words only root may count\n' >"$TEXTS/secret.txt"
chmod 0600 "$TEXTS/secret.txt"
out=$(as_nobody cp "$BUNDLE" "$MNT/submit/wordcount-data.tar" 2>&1)
tap_check "nobody's wildcard matching a root-only text is refused: cp fails" test $? -ne 0
tap_like "with EACCES" "$out" "Permission denied"
refused=$(as_nobody readlink "$MNT/jobs/last")
tap_is "the rejected job is nobody's ($refused)" "$(status_of "$refused" state)" rejected
tap_is "its reason names the group, the device, the file and the cause" \
	"$(status_of "$refused" reason)" \
	"system.map: group 'mapper': device stdin: data:texts/secret.txt: Permission denied"
root_job=$(submit "$BUNDLE")
tap_is "root's identical job is done" "$(wait_job "$root_job" | sed -n 2p)" "state done"
tap_is "with one mapper more" "$(status_of "$root_job" nodes)" 9
tap_is "counting the root-only text too" "$(cat "$MNT/jobs/$root_job/collector/stdout")" \
	"$(native $four secret.txt)"
rm "$TEXTS/secret.txt"
public=$(as_nobody bash -c "cp '$BUNDLE' '$MNT/submit/w.tar' && readlink '$MNT/jobs/last'")
tap_is "without it, nobody's job is accepted and done ($public)" \
	"$(wait_job "$public" | sed -n 2p)" "state done"
tap_is "nobody reads its count" "$(as_nobody cat "$MNT/jobs/$public/collector/stdout")" \
	"$(native $four)"

# --- the nodes are those of the submission -----------------------------------------------
make_ticker long 100000 200000000
long=$(submit "$WORK/long.tar")
wait_state "$long" running 120
tap_is "a long job holds the only worker" "$(status_of "$long" state)" running
stable=$(submit "$BUNDLE")
tap_is "a wordcount waits behind it, with 8 nodes ($stable)" \
	"$(status_of "$stable" state) $(status_of "$stable" nodes)" "queued 8"
# extra.txt sorts first: expanded again, it would be mapper-1 and shift the others.
printf 'extra extra words\n' >"$TEXTS/extra.txt"
printf 'zz words\n' >"$TEXTS/zz.txt"
chmod 0644 "$TEXTS/extra.txt" "$TEXTS/zz.txt"
gone=$(submit "$BUNDLE")
tap_is "a second waits with the two new texts too, 10 nodes ($gone)" \
	"$(status_of "$gone" state) $(status_of "$gone" nodes)" "queued 10"
tap_is "a waiting job's node lines say queued" \
	"$(grep '^node ' "$MNT/jobs/$gone/status" | sort -u -k3 | cut -d' ' -f3 | paste -sd' ')" "queued"
rm "$TEXTS/zz.txt"
mount_stop
tap_is "clean unmount with the jobs queued" "$STOP_STATUS" 0
mount_start
wait_state "$long" running 120
echo kill >"$MNT/jobs/$long/ctl"
tap_is "after the restart, the first is done" "$(wait_job "$stable" | sed -n 2p)" "state done"
tap_is "with the nodes of its submission" "$(status_of "$stable" nodes) $(ls "$MNT/jobs/$stable" | grep -c '^mapper-')" \
	"8 4"
tap_is "the node lines of a job that ended before the restart are kept" \
	"$(grep -c '^node .* done 0 ok$' "$J/status")" 8
tap_is "not reading the text added since" "$(cat "$MNT/jobs/$stable/collector/stdout")" \
	"$(native $four)"
tap_is "the second, whose text was removed since, failed" "$(wait_job "$gone" | sed -n 2p)" \
	"state failed"
tap_is "naming the node, the file and the cause" "$(status_of "$gone" exit_state)" \
	"system.map: node 'mapper-6': /dev/stdin: data:texts/zz.txt: No such file or directory"
tap_is "its nodes never ran: failed, without return code or exit state" \
	"$(grep '^node mapper-6 ' "$MNT/jobs/$gone/status")" "node mapper-6 failed - -"

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
