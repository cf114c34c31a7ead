#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Log and terminal forgery (issue #13): a user's text (a submitted name, a manifest's fields,
# a member's name, nvram) reaches the gateway's log, the status file, index.txt, zvm status
# and zvm ls only escaped: no newline that starts a false line, no terminal control (ESC,
# the C1 CSI U+009B) that would repaint an operator's terminal.
. "$(dirname "$0")/view-lib.sh"

view_setup
mount_start
chmod 0644 "$HELLO" 2>/dev/null
FORGED=$WORK/forged
mkdir "$FORGED"

# Refused bundles whose reason quotes the user's text, built with control characters in it.
/usr/bin/python3 - "$FORGED" "$ZVM_IMAGES/hello.nexe" <<'PY'
import io, os, sys, tarfile
out, nexe = sys.argv[1], open(sys.argv[2], "rb").read()
esc = "\x1b]0;pwned\x07\x1b[2J\u009b31m"
head = ("Version = 20130611\nProgram = %s\nMemory = 67108864,0\nTimeout = 60\n"
        "Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0\n"
        "Channel = stdout,/dev/stdout,0,0,0,0,65536,16777216\n")
def bundle(name, members):
    with tarfile.open(os.path.join(out, name), "w", format=tarfile.PAX_FORMAT) as tar:
        for member_name, data in members:
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
bundle("program.tar", [("manifest", (head % ("hello" + esc + ".nexe")).encode()),
                       ("hello.nexe", nexe)])
bundle("channel.tar", [("manifest", (head % "hello.nexe" +
                        "Channel = out/x\x1b[2J\u009b31m,/dev/out,0,0,0,0,16,4096\n").encode()),
                       ("hello.nexe", nexe)])
bundle("member.tar", [("manifest", (head % "hello.nexe").encode()), ("hello.nexe", nexe),
                      ("../up" + esc + "\n** Message: forged member", b"x")])
bundle("nvram.tar", [("manifest", (head % "hello.nexe" +
                      "Channel = nvram,/dev/nvram,3,0,64,10240,0,0\n").encode()),
                     ("hello.nexe", nexe),
                     ("nvram", ("[args]\nargs = hello\n[env]\nname" + esc + " = v\n").encode())])
PY
chmod -R a+rX "$FORGED"

newline=$'forged.tar\n** Message: job 999 (root): submitted as forged'
control=$'esc\e]0;pwned\a\e[2J\u009b31m.tar'
as "$USER_A" cp "$HELLO" "$MNT/submit/$newline"
tap_is "a name with a newline submits" "$?" 0
as "$USER_A" cp "$HELLO" "$MNT/submit/$control"
tap_is "a name with ESC, BEL and U+009B submits" "$?" 0
named=$(as "$USER_A" readlink "$MNT/jobs/last")
wait_job "$named" >/dev/null
rejected=()
for bundle in program channel member nvram; do
	as "$USER_A" cp "$FORGED/$bundle.tar" "$MNT/submit/$bundle.tar" 2>/dev/null
	rejected+=("$(as "$USER_A" getfattr --only-values -n user.zvm.job "$MNT/submit/$bundle.tar")")
done
tap_is "the four forged bundles are refused" \
	"$(for id in "${rejected[@]}"; do status_of "$id" state; done | sort | uniq -c | tr -s ' ')" \
	" 4 rejected"

# has_control TEXT: whether TEXT holds ESC, BEL or U+009B.
has_control() {
	printf '%s' "$1" | LC_ALL=C grep -q $'\e\|\a\|\xc2\x9b'
}
raw() { # raw LABEL TEXT: a TAP case that TEXT holds no terminal control
	if has_control "$2"; then
		tap_fail "$1 holds no raw terminal control" "$(printf '%s' "$2" | od -c | head -5)"
	else
		tap_ok "$1 holds no raw terminal control"
	fi
}
raw "the status of the job with control characters in its name" "$(cat "$MNT/jobs/$named/status")"
tap_like "its name shows escaped" "$(status_of "$named" name)" 'esc\\033]0;pwned\\007\\033\[2J'
raw "A's index.txt" "$(as "$USER_A" cat "$MNT/jobs/index.txt")"
raw "zvm ls as A" "$(as "$USER_A" "$ZVM" ls --mount "$MNT")"
raw "zvm ls as root" "$("$ZVM" ls --mount "$MNT")"
raw "zvm status as root" "$("$ZVM" status --mount "$MNT" "$named")"
for id in "${rejected[@]}"; do
	raw "the status of rejected job $id ($(status_of "$id" reason | cut -c1-60))" \
		"$(cat "$MNT/jobs/$id/status")"
done
tap_check "every status is one line a key: no line but 'key value'" bash -c \
	'for f in "$@"; do grep -qvE "^[a-z_]+ " "$f" && exit 1; done; exit 0' _ \
	"$MNT"/jobs/*/status

mount_stop
raw "the gateway's log" "$(cat "$LOG")"
tap_check "the log holds no forged line" bash -c '! grep -q "^\*\* Message: \(job 999\|forged\)" "$1"' _ "$LOG"
tap_check "the log shows the names escaped" grep -qF 'forged.tar\n** Message: job 999' "$LOG"
tap_is "clean unmount, exit status 0" "$STOP_STATUS" 0
check_daemon_log
tap_done
