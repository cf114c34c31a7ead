#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Nothing is lost, at scale: 100 jobs in flight (quick and slower deterministic ones, some
# with output files and etags), kill -9 of the daemon while many are queued or running, a
# restart on the same state directory. Every job ends done with the outputs, etags and report
# of an undisturbed run of its bundle (`zvm run`), the re-run ones say so (restarts 1), the
# ones that had ended are untouched, ids are contiguous, and no stray file is left.
# ZVM_CRASH_JOBS (default 100) sets the number of jobs. Two gate jobs (ids 1 and 2) hold both
# workers while the jobs are submitted, so they are all queued behind the gates whatever the
# machine's speed; the gates are killed, a tenth of the jobs end, and the kill lands.
. "$(dirname "$0")/lib.sh"

JOBS=${ZVM_CRASH_JOBS:-100}
mount_setup "jobs = 2" "queue_length = $((JOBS + 10))"

# Eight distinct bundles; submission i uses bundle i % 8. Spin 1e8 is about 0.05 s of CPU.
make_job quick-etag 3 0 1
make_job quick-lines 50 1000 0
make_job tiny-etag 1 0 1
make_job slow-a 10 100000000 1
make_job slow-b 20 50000000 0
make_job slow-c 5 300000000 1
make_job slow-d 40 20000000 1
cp "$HELLO" "$WORK/hello.tar"
bundles=(hello quick-etag quick-lines tiny-etag slow-a slow-b slow-c slow-d)

# The undisturbed reference: each bundle run once by the engine alone.
mkdir -p "$WORK/ref"
for b in "${bundles[@]}"; do
	"$ZVM" run --config "$CONFIG" --out "$WORK/ref/$b" "$WORK/$b.tar" >"$WORK/ref/$b.report" \
		2>"$WORK/ref/$b.err" || true
done
tap_is "the reference runs all end ok" \
	"$(for b in "${bundles[@]}"; do sed -n 6p "$WORK/ref/$b.report"; done | sort -u)" "ok"

mount_start
# The gates spin until killed (a billion ticks, far apart).
make_job gate 1000000000 200000000 0
for gate in 1 2; do
	[ "$(submit "$WORK/gate.tar" "gate-$gate.tar")" = "$gate" ] || tap_fail "gate $gate is job $gate"
done
wait_state 1 running 300
wait_state 2 running 300
tap_is "the gates hold both workers" "$(status_of 1 state) $(status_of 2 state)" "running running"
IDS=
declare -A bundle_of
failed=0
for i in $(seq "$JOBS"); do
	b=${bundles[$((i % 8))]}
	id=$(submit "$WORK/$b.tar" "job-$i.tar") || failed=$((failed + 1))
	IDS+=" $id"
	bundle_of[$id]=$b
done
tap_is "all $JOBS submissions are accepted" "$failed" 0
tap_is "with ids 3..$((JOBS + 2))" "$(printf '%s\n' "${!bundle_of[@]}" | sort -n | tr '\n' ' ')" \
	"$(seq 3 $((JOBS + 2)) | tr '\n' ' ')"
tap_is "all queued behind the gates" \
	"$(for id in $IDS; do state_of_meta "$id"; done | sort -u)" "queued"
echo kill >"$MNT/jobs/1/ctl"
echo kill >"$MNT/jobs/2/ctl"

# Let a tenth end, then kill while most are still queued and some run. The daemon is frozen
# (SIGSTOP) while the test reads the states, so what it reads is what the kill lands on: no
# job starts or ends in between, however slow the reading. If the frozen states do not fit
# yet, the daemon goes on for a moment and the test looks again.
count_meta() { # STATE...: how many of the jobs are in one of these states
	local n=0 id state wanted
	for id in $IDS; do
		state=$(state_of_meta "$id")
		for wanted in "$@"; do
			[ "$state" = "$wanted" ] && n=$((n + 1))
		done
	done
	echo "$n"
}
frozen=no
for _ in $(seq 1200); do
	if [ "$(count_meta done)" -ge $((JOBS / 10)) ]; then
		kill -STOP "$DAEMON_PID"
		queued=$(count_meta queued)
		if [ "$(count_meta running compiling)" -ge 1 ] && [ "$queued" -ge $((JOBS / 2)) ]; then
			frozen=yes
			break
		fi
		kill -CONT "$DAEMON_PID"
		# Too late: the queue only shrinks.
		[ "$queued" -lt $((JOBS / 2)) ] && break
	fi
	sleep 0.05
done
tap_is "the daemon was frozen with a tenth done, jobs running and half queued" "$frozen" yes
mount_kill9
declare -A before
for id in $IDS; do
	before[$id]=$(state_of_meta "$id")
done
count_before() {
	printf '%s\n' "${before[@]}" | grep -cx "$1"
}
n_done=$(count_before "done")
n_queued=$(count_before queued)
n_running=$(($(count_before running) + $(count_before compiling)))
echo "# at the kill: $n_done done, $n_running running or compiling, $n_queued queued"
tap_check "the kill came while jobs were running ($n_running) and queued ($n_queued)" \
	test "$n_running" -ge 1 -a "$n_queued" -ge $((JOBS / 2))
tap_is "every job was in one of those states" $((n_done + n_queued + n_running)) "$JOBS"
# What the ended jobs were, byte for byte, before the restart.
ended_sums() {
	local id
	for id in $IDS; do
		[ "${before[$id]}" = "done" ] || continue
		(cd "$STATE/jobs/$id" && sha256sum meta report accounting bundle.tar bundle/manifest \
			$(find out -type f | sort))
	done
}
sums_before=$(ended_sums)

mount_start
for id in $IDS; do
	wait_job "$id" >/dev/null
done
states=$(for id in $IDS; do status_of "$id" state; done | sort | uniq -c | sed 's/^ *//')
tap_is "after the restart all $JOBS ended done" "$states" "$JOBS done"
tap_is "all exit states ok" \
	"$(for id in $IDS; do status_of "$id" exit_state; done | sort -u)" "ok"

wrong_restarts=
for id in $IDS; do
	case ${before[$id]} in
	running | compiling) want=1 ;;
	*) want=0 ;;
	esac
	got=$(status_of "$id" restarts)
	[ "$got" = "$want" ] || wrong_restarts+="job $id (${before[$id]} at the kill): restarts $got, want $want "
done
tap_is "the jobs that ran at the kill say restarts 1, the others 0" "$wrong_restarts" ""

differ=
for id in $IDS; do
	b=${bundle_of[$id]}
	for f in $(cd "$WORK/ref/$b" && find . -type f | sort); do
		cmp -s "$WORK/ref/$b/$f" "$MNT/jobs/$id/$f" || differ+="job $id ($b): $f "
	done
	[ "$(sed 5d "$MNT/jobs/$id/report")" = "$(sed 5d "$WORK/ref/$b.report")" ] ||
		differ+="job $id ($b): report "
done
tap_is "every job's outputs and report (etags included) equal the undisturbed run's" \
	"$differ" ""
tap_is "the etags were on where asked" \
	"$(sed -n 4p "$MNT/jobs/$((JOBS + 1))/report" | grep -o '/dev/[a-z]*' | tr '\n' ' ')" \
	"/dev/stdin /dev/stdout /dev/stderr /dev/result /dev/nvram /dev/memory "
tap_is "the jobs that had ended are byte for byte as they were" "$(ended_sums)" "$sums_before"

tap_is "jobs/ lists ids 1..$((JOBS + 2)), none missing" \
	"$(ls "$MNT/jobs" | grep '^[0-9]' | sort -n | tr '\n' ' ')" "$(seq $((JOBS + 2)) | tr '\n' ' ')"
tap_is "so does the state directory" \
	"$(ls "$STATE/jobs" | sort -n | tr '\n' ' ')" "$(seq $((JOBS + 2)) | tr '\n' ' ')"
tap_is "the next id is $((JOBS + 3))" "$(cat "$STATE/next-id")" $((JOBS + 3))
tap_is "no stray files in the state directory (staging, temp, half-made jobs)" \
	"$(stray_files)" ""
tap_is "each job directory holds only its own files" \
	"$(for id in $IDS; do ls "$STATE/jobs/$id"; done | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')" \
	"$JOBS accounting $JOBS bundle $JOBS bundle.tar $JOBS meta $JOBS meta.submitted $JOBS out $JOBS report "
tap_is "nothing is staging in submit/" "$(staging_entries)" ""

again=$(submit "$WORK/hello.tar" after.tar)
tap_is "the next submission gets id $((JOBS + 3))" "$again" $((JOBS + 3))
wait_job "$again" >/dev/null

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
