#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A compile bomb costs only its sender (issue #13 item 2): user A's module makes the compiler
# hang (a stand-in [sandbox] cc that waits for the test, then fails as a compiler error
# would); while it holds a compile slot, user B's own module compiles and B's job runs to its
# end. A's failed translation is remembered: the same bundle sent again fails at once with
# the same reason and no compiler runs. Ordered by the stand-in's own marks, not by time.
. "$(dirname "$0")/sched-lib.sh"

sched_prepare
# A cache of our own: the stand-in must see every compile.
unset ZVM_TEST_CACHE_DIR
mount_setup "jobs = 2"
sched_users_add
MARKS=$WORK/marks # written by the stand-in as the compile user
mkdir -m 1777 "$MARKS"
cat >"$WORK/bomb-cc" <<EOF
#!/bin/sh
case "\$1" in --version) exec cc --version;; esac
: >"$MARKS/call.\$\$"
if mkdir "$MARKS/bomb" 2>/dev/null; then
	while [ ! -e "$MARKS/release" ]; do sleep 0.1; done
	echo "cc: internal compiler error: the bomb went off" >&2
	exit 1
fi
exec cc "\$@"
EOF
chmod 0755 "$WORK/bomb-cc"
printf '[sandbox]\ncc = %s\nmax_compiles = 2\n' "$WORK/bomb-cc" >>"$CONFIG"
mount_start
make_ticker bomb 3 1
chmod 0644 "$WORK"/*.tar
release() { : >"$MARKS/release"; }

a=$(as_submit "$USER_A" "$WORK/bomb.tar" bomb.tar)
for _ in $(seq 1200); do [ -d "$MARKS/bomb" ] && break; sleep 0.1; done
tap_check "A's compile hangs in the compiler" test -d "$MARKS/bomb"
b=$(as_submit "$USER_B" "$HELLO" hello.tar)
wait_job "$b" >/dev/null
tap_is "B's job is done while A's compile hangs" "$(status_of "$b" state)" "done"
tap_is "B's output" "$(as "$USER_B" cat "$MNT/jobs/$b/stdout")" "hello, world"
tap_is "A's job is still compiling" "$(status_of "$a" state)" "compiling"

release
wait_job "$a" >/dev/null
tap_is "A's job fails" "$(status_of "$a" state)" "failed"
reason=$(status_of "$a" exit_state)
tap_like "with the compiler's error" "$reason" "the bomb went off"
calls=$(find "$MARKS" -name 'call.*' | wc -l)
again=$(as_submit "$USER_A" "$WORK/bomb.tar" again.tar)
wait_job "$again" >/dev/null
tap_is "the same bundle again fails" "$(status_of "$again" state)" "failed"
tap_is "with the same exit state" "$(status_of "$again" exit_state)" "$reason"
tap_is "and no compiler ran for it" "$(find "$MARKS" -name 'call.*' | wc -l)" "$calls"
tap_like "/.usage counts A's compile time" "$(usage_of "$USER_A" COMPILE_SECONDS)" '^[0-9]+\.[0-9]$'
check_daemon_log
tap_done
