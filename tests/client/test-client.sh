#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# zvm submit/wait/status/kill/ls against the real zvmfs: ids, streaming, exit codes, refusals,
# --json, --mount and $ZVM_MOUNT, and a directory that is no mount.
. "$(dirname "$0")/../mount/lib.sh"

mount_setup
mount_start
unset ZVM_MOUNT
zvm() { "$ZVM" "$@"; }
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

bundle() { # bundle NAME PROGRAM [TIMEOUT]
	manifest_head "$2.nexe" "${3:-60}" >"$WORK/src/$1.manifest"
	"$MAKE_BUNDLE" "$WORK/$1.tar" "manifest=$WORK/src/$1.manifest" \
		"$2.nexe=$ZVM_MOUNT_PROGRAMS/$2.nexe"
}

id=$(zvm submit --mount "$MNT" "$HELLO")
tap_like "submit prints an id" "$id" '^[0-9]+$'
out=$(zvm wait --mount "$MNT" "$id")
tap_is "wait exits 0 for a done job" "$?" 0
tap_like "wait prints the status" "$out" $'state done\nexit_state ok'
tap_is "the job is named after the file" "$(status_of "$id" name)" "hello.tar"

out=$(zvm submit --mount "$MNT" --wait --name greet.tar "$HELLO" 2>"$WORK/err")
tap_is "submit --wait exits 0" "$?" 0
tap_is "submit --wait streams the program's stdout" "$out" "hello, world"
tap_is "no progress or colour on a pipe, the id on stderr" "$(cat "$WORK/err")" \
	"zvm: job $(readlink "$MNT/jobs/last")"
tap_is "--name names the job" "$(status_of last name)" "greet.tar"

bundle exit42 exitcode
out=$(zvm submit --mount "$MNT" --wait "$WORK/exit42.tar")
tap_is "submit --wait exits with the program's code 42" "$?" 42
tap_is "and streamed its stdout" "$out" "returning 42"
out=$(zvm wait --mount "$MNT" last)
tap_is "wait on last: exit 0 (done, ok, code 42)" "$?" 0

# Streaming: the first lines arrive while the job still runs; all of them in the end.
make_ticker slow 10 1000000000
zvm submit --mount "$MNT" --wait "$WORK/slow.tar" >"$WORK/slow.out" 2>"$WORK/slow.err" &
client=$!
for _ in $(seq 600); do
	[ -s "$WORK/slow.out" ] && break
	sleep 0.05
done
tap_is "submit --wait streams stdout while the job runs" \
	"$(head -1 "$WORK/slow.out"):$(status_of last state)" "tick 1:running"
wait "$client"
tap_is "submit --wait of the ticker exits 0" "$?" 0
tap_is "every line arrived once, in order" "$(cat "$WORK/slow.out")" "$(seq -f "tick %g" 10)"

# Progress (issue #6): on a terminal (script(1) gives a pseudo-terminal) a progress line with
# the input consumed, cleared around the program's own lines; nothing of it on a pipe.
yes 0123456789abcdef | head -c $((8 << 20)) >"$WORK/src/input.bin"
manifest_head slowread.nexe 120 |
	sed 's|^Channel = /dev/null,/dev/stdin,.*|Channel = input.bin,/dev/stdin,0,0,1000000,1073741824,0,0|' \
		>"$WORK/src/slowread.manifest"
echo "Channel = nvram,/dev/nvram,3,0,64,10240,0,0" >>"$WORK/src/slowread.manifest"
printf '[args]\nargs = slowread 65536 20000000\n' >"$WORK/src/slowread.nvram"
"$MAKE_BUNDLE" "$WORK/slowread.tar" "manifest=$WORK/src/slowread.manifest" \
	"slowread.nexe=$ZVM_MOUNT_PROGRAMS/slowread.nexe" "input.bin=$WORK/src/input.bin" \
	"nvram=$WORK/src/slowread.nvram"
on_tty() { # on_tty OUTFILE COMMAND...: runs COMMAND on a pseudo-terminal, its screen in OUTFILE
	local out=$1
	shift
	TERM=xterm script -qfec "$(printf '%q ' "$@")" /dev/null >"$out" </dev/null
}
screen_lines() { # the lines of a terminal capture: carriage returns as line ends, no escapes
	tr '\r' '\n' <"$1" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -v '^$'
}
on_tty "$WORK/tty.out" "$ZVM" submit --mount "$MNT" --wait "$WORK/slowread.tar"
tap_is "submit --wait on a terminal exits 0" "$?" 0
tty_text=$(screen_lines "$WORK/tty.out")
tap_like "the progress line shows the state and a nonzero part of the input" "$tty_text" \
	'zvm: job [0-9]+ .*running.* [0-9.]+s .*input ([1-9][0-9.]* (B|KiB)|[0-9.]+ MiB) / 8\.0 MiB \([0-9]+%\)'
tap_is "and the program's lines, each on a line of its own" \
	"$(grep -E '^(read [0-9]+ MiB|total [0-9]+)$' <<<"$tty_text")" "$(seq -f 'read %g MiB' 8; echo 'total 8388608')"
# The line is drawn between the program's lines as time allows (under load several lines may
# come in one read): wherever it was drawn, it is cleared before the next program line.
tap_check "the line is cleared before the program's lines" \
	grep -qE $'\r\033\\[K(read [0-9]+ MiB|total)' "$WORK/tty.out"
tap_check "with colour" grep -q $'\033\\[36mrunning' "$WORK/tty.out"
NO_COLOR=1 on_tty "$WORK/nocolor.out" "$ZVM" submit --mount "$MNT" --wait "$WORK/slowread.tar"
no_colour_but_progress() { ! grep -q $'\033\\[[0-9;]*m' "$1" && grep -q "running .*input" "$1"; }
tap_check "NO_COLOR: the progress line without colour" no_colour_but_progress "$WORK/nocolor.out"
on_tty "$WORK/noprogress.out" "$ZVM" submit --mount "$MNT" --wait --no-progress "$WORK/slowread.tar"
no_progress_line() { ! grep -q "input" "$1" && ! grep -q $'\033\\[K' "$1" && grep -q "total 8388608" "$1"; }
tap_check "--no-progress: no progress line on a terminal" no_progress_line "$WORK/noprogress.out"
"$ZVM" submit --mount "$MNT" --wait "$WORK/slowread.tar" >"$WORK/pipe.out" 2>"$WORK/pipe.err"
tap_is "on a pipe: the program's output alone, the job id on stderr" \
	"$(tail -1 "$WORK/pipe.out"):$(cat "$WORK/pipe.err")" "total 8388608:zvm: job $(readlink "$MNT/jobs/last")"
no_control() { ! grep -q $'[\033\r]' "$@"; }
tap_check "on a pipe: no escape sequence or carriage return" no_control "$WORK/pipe.out" "$WORK/pipe.err"
slow=$(zvm submit --mount "$MNT" "$WORK/slowread.tar")
on_tty "$WORK/wait.out" "$ZVM" wait --mount "$MNT" "$slow"
tap_is "wait on a terminal exits 0" "$?" 0
tap_like "wait shows the progress line" "$(screen_lines "$WORK/wait.out")" "^zvm: job $slow (running|compiling|queued) .*input "
tap_is "then the status" "$(screen_lines "$WORK/wait.out" | grep '^state ')" "state done"
out=$(zvm status --mount "$MNT" --json "$slow")
tap_is "status --json has the byte counts as numbers" \
	"$(echo "$out" | json_get '(d["read_bytes"], d["input_bytes"], d["written_bytes"] > 0)')" \
	"(8388608, 8388608, True)"
tap_is "a job without input files: input_bytes is -" "$(zvm status --mount "$MNT" --json "$id" | json_get 'd["input_bytes"]')" \
	"-"

echo "not a tar" >"$WORK/garbage.tar"
out=$(zvm submit --mount "$MNT" "$WORK/garbage.tar" 2>&1)
tap_is "a refused bundle: exit 1" "$?" 1
tap_like "with the gateway's reason" "$out" '^zvm submit: refused: bundle: '
tap_is "nothing staging is left in submit/, only records" \
	"$(staging_entries)" ""
out=$(zvm status --mount "$MNT" last)
tap_like "status of last shows rejected" "$out" 'state rejected'
out=$(zvm wait --mount "$MNT" last)
tap_is "wait on a rejected job exits 1" "$?" 1

out=$(zvm status --mount "$MNT" --json "$id")
tap_is "status --json exits 0" "$?" 0
tap_is "status --json: id a number, state a string" \
	"$(echo "$out" | json_get '(d["id"], d["state"], d["exit_state"], d["user_rc"], d["name"])')" \
	"($id, 'done', 'ok', 0, 'hello.tar')"
out=$(zvm wait --mount "$MNT" --json "$id")
tap_is "wait --json parses, state done" "$(echo "$out" | json_get 'd["state"]')" "done"
out=$(zvm submit --mount "$MNT" --json "$HELLO")
tap_like "submit --json gives {\"id\": N}" "$(echo "$out" | json_get 'd["id"] + 0')" '^[0-9]+$'

# kill: a program that spins until killed.
bundle spin spin 120
spin=$(zvm submit --mount "$MNT" "$WORK/spin.tar")
wait_state "$spin" running 60
tap_is "the spinning job runs" "$(status_of "$spin" state)" "running"
zvm kill --mount "$MNT" "$spin"
tap_is "kill exits 0" "$?" 0
out=$(timeout 60 "$ZVM" wait --mount "$MNT" "$spin")
tap_is "wait on the killed job exits 1" "$?" 1
tap_like "its state is killed" "$out" 'state killed'
tap_is "a killed job has no return code: user_rc -" "$(status_of "$spin" user_rc)" "-"
zvm kill --mount "$MNT" 999999 2>/dev/null
tap_is "kill of an unknown job exits 1" "$?" 1
zvm status --mount "$MNT" 999999 2>/dev/null
tap_is "status of an unknown job exits 1" "$?" 1
zvm status --mount "$MNT" abc 2>/dev/null
tap_is "a bad id is a usage error" "$?" 2

out=$(zvm ls --mount "$MNT")
tap_like "ls has a header" "$(echo "$out" | head -1)" '^ID +STATE +NAME +AGE +EXIT$'
tap_like "ls shows the hello job, done, exit 0" "$out" "(^|$'\n')$id +done +hello.tar +[0-9]+[smhd] +0"
tap_like "ls shows the killed job" "$out" "$spin +killed +spin.tar"
tap_like "ls shows no exit 0 for the killed job" \
	"$(echo "$out" | awk -v id="$spin" '$1 == id {print $NF}')" '^[^0]'
tap_check "ls does not list last" bash -c "! grep -q '^last' <<<\"\$1\"" _ "$out"
tap_is "ls is sorted by id" "$(echo "$out" | tail -n +2 | awk '{print $1}')" \
	"$(echo "$out" | tail -n +2 | awk '{print $1}' | sort -n)"
out=$(zvm ls --mount "$MNT" --json)
tap_is "ls --json: one object per job, ids numbers" \
	"$(echo "$out" | json_get 'len(d) == len([j for j in d if isinstance(j["id"], int)]) and len(d)')" \
	"$(find "$MNT/jobs/" -mindepth 1 -maxdepth 1 -name '[0-9]*' | wc -l)"
tap_is "ls --json: the killed job" \
	"$(echo "$out" | json_get "[j['state'] for j in d if j['id'] == $spin][0]")" "killed"

# Where the mount is: --mount, then $ZVM_MOUNT, then /mnt/zvm.
tap_like "\$ZVM_MOUNT is used" "$(ZVM_MOUNT=$MNT "$ZVM" status "$id")" 'state done'
tap_like "--mount wins over \$ZVM_MOUNT" "$(ZVM_MOUNT=/nonexistent "$ZVM" status --mount "$MNT" "$id")" \
	'state done'
mkdir -p "$WORK/plain/submit" "$WORK/plain/jobs"
out=$(zvm ls --mount "$WORK/plain" 2>&1)
tap_is "a directory that is no mount: exit 2" "$?" 2
tap_like "with a clear message" "$out" 'is not a zvmfs mount'
out=$(ZVM_MOUNT=$WORK/plain "$ZVM" submit "$HELLO" 2>&1)
tap_is "submit into no mount (by \$ZVM_MOUNT): exit 2" "$?" 2
out=$(zvm wait 2>&1)
tap_is "wait without an id: usage, exit 2" "$?" 2

mount_stop
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
