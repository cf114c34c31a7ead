#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Privilege separation (docs/engine.md, "Privilege separation"; issue 12, findings 3 and 5),
# tried as the runner's user would: a running job's runner has the sandbox user's uid, no
# capabilities, no_new_privs, seccomp, PID, mount, network, IPC, UTS and user namespaces of
# its own and an empty root; the compiler runs as another user (zvmfs-cc) in a work dir that
# neither a path nor /proc/<compiler>/cwd lets the runner's user reach; the cache is root's
# alone; and an object a compromised compiler gave a constructor is refused, never loaded.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || mount_skip "needs root: the separation is between users"
getent passwd zvmfs-cc >/dev/null || mount_skip "no user zvmfs-cc (tests/deps.sh creates it)"
# A cache of this test's own: its compilations must happen, not be found.
unset ZVM_TEST_CACHE_DIR
mount_setup
CACHE=$WORK/cache
nobody=$(id -u nobody)
cc_uid=$(id -u zvmfs-cc)

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# A compiler that stops before it compiles, until the test lets it go: it says its pid on
# one fifo and waits on another. It runs as zvmfs-cc, so both are open to everyone.
CTL=$WORK/cc-ctl
mkdir -m 0777 "$CTL"
mkfifo -m 0666 "$CTL/started" "$CTL/go"
cat >"$WORK/cc-wait" <<EOF
#!/bin/sh
[ "\$1" = --version ] && exec cc "\$@"
echo \$\$ >"$CTL/started"
read -r _ <"$CTL/go"
exec cc "\$@"
EOF
chmod 0755 "$WORK/cc-wait"
sed -i "/^\[sandbox\]/a cc = $WORK/cc-wait" "$CONFIG"

mount_start
make_ticker long 100000 200000000
long=$(submit "$WORK/long.tar")
compiler=$(timeout 60 cat "$CTL/started")
tap_check "the compiler started (pid $compiler)" test -n "$compiler"
tap_is "the compiler runs as zvmfs-cc" "$(awk '/^Uid:/ {print $2}' "/proc/$compiler/status")" \
	"$cc_uid"
tap_check "which is not the runner's user" test "$cc_uid" != "$nobody"
work=$(readlink "/proc/$compiler/cwd")
echo "# compiler work dir: $work"
tap_is "its work dir is a fresh dir in the cache's tmp" "$(dirname "$work")" "$CACHE/tmp"
tap_is "owned by zvmfs-cc, 0700" "$(stat -c '%u %a' "$work")" "$cc_uid 700"
tap_is "in a tmp dir of root's, 0700" "$(stat -c '%u %a' "$CACHE/tmp")" "0 700"
tap_check "the runner's user cannot list it by path" \
	sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups ls '$work' 2>/dev/null"
tap_check "nor through /proc/<compiler>/cwd" \
	sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups ls /proc/$compiler/cwd/ 2>/dev/null"
tap_check "nor write the C there" \
	sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c 'echo x >/proc/$compiler/cwd/module.c' 2>/dev/null"
echo go >"$CTL/go"

wait_state "$long" running 60
for _ in $(seq 600); do [ -s "$MNT/jobs/$long/stdout" ] && break; sleep 0.1; done
zygote=$(pgrep -P "$DAEMON_PID" -f -- '--zygote')
runner=$(pgrep -P "$zygote" | head -n 1)
tap_check "the job runs (runner $runner, stdout written: behind the whole fence)" \
	test -n "$runner" -a -s "$MNT/jobs/$long/stdout"
status=$(cat "/proc/$runner/status")
echo "# $(printf '%s\n' "$status" | grep -E '^(Uid|Gid|Groups|CapEff|CapPrm|NoNewPrivs|Seccomp|NSpid):' | tr '\t' ' ' | paste -sd';')"
field() {
	printf '%s\n' "$status" | sed -n "s/^$1:[[:space:]]*//p" | tr -s '[:space:]' ' ' | sed 's/ $//'
}
tap_is "runner uid: the sandbox user's" "$(field Uid)" "$nobody $nobody $nobody $nobody"
tap_is "no groups" "$(field Groups)" ""
tap_is "no effective capabilities" "$(field CapEff)" 0000000000000000
tap_is "no permitted capabilities" "$(field CapPrm)" 0000000000000000
tap_is "no_new_privs" "$(field NoNewPrivs)" 1
tap_is "a seccomp filter" "$(field Seccomp)" 2
if [ "${ZVM_SANITIZED:-0}" = 1 ]; then
	# zygote-server.c: AddressSanitizer's runners are forked without a PID namespace.
	tap_skip "process 1 of a PID namespace of its own" "the sanitizer build forks plainly"
else
	tap_is "process 1 of a PID namespace of its own" "$(field NSpid)" "$runner 1"
fi
namespaces="user mnt net ipc pid uts"
[ "${ZVM_SANITIZED:-0}" = 1 ] && namespaces="user mnt net ipc uts"
for ns in $namespaces; do
	tap_check "its $ns namespace is not the gateway's" \
		test "$(readlink "/proc/$runner/ns/$ns")" != "$(readlink "/proc/$DAEMON_PID/ns/$ns")"
done
other=$(pgrep -P "$zygote" | sed -n 2p)
if [ "${ZVM_SANITIZED:-0}" = 1 ]; then
	# AddressSanitizer reads /proc/self/maps on a trap: that build's runners keep the root.
	tap_skip "its root is empty" "the sanitizer build keeps the host's root"
else
	tap_is "its root is empty" "$(ls -A "/proc/$runner/root/" 2>&1)" ""
fi
echo kill >"$MNT/jobs/$long/ctl"
tap_is "the job is killed through ctl" "$(wait_job "$long" | sed -n 2p)" "state killed"
[ -z "$other" ] || echo "# a second runner was seen: $other"

# The cache, as the runner's user: nothing readable, nothing writable.
so=$(ls "$CACHE"/*.so | head -n 1)
tap_check "the cache holds the translation" test -f "$so"
tap_is "the cache is root's, 0700" "$(stat -c '%u %a' "$CACHE")" "0 700"
tap_is "the object is root's, 0600" "$(stat -c '%u %a' "$so")" "0 600"
tap_check "the runner's user cannot list the cache" \
	sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups ls '$CACHE' 2>/dev/null"
tap_check "nor read an object" \
	sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups cat '$so' >/dev/null 2>&1"
tap_check "nor write in the cache" \
	sh -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups touch '$CACHE/planted' 2>/dev/null"
tap_check "nor the compiler's user" \
	sh -c "! setpriv --reuid=zvmfs-cc --regid=nogroup --clear-groups touch '$CACHE/planted' 2>/dev/null"
mount_stop

# A compromised compiler: the object it makes has a constructor. Root refuses it, so the
# constructor never runs anywhere (it would leave a file behind).
cat >"$WORK/evil.c" <<EOF
#include <fcntl.h>
__attribute__((constructor)) static void evil(void) { open("$WORK/pwned", O_CREAT | O_WRONLY, 0666); }
EOF
chmod 0644 "$WORK/evil.c"
cat >"$WORK/cc-evil" <<EOF
#!/bin/sh
[ "\$1" = --version ] && exec cc "\$@"
exec cc "\$@" "$WORK/evil.c"
EOF
chmod 0755 "$WORK/cc-evil"
sed -i -e "s|^cc = .*|cc = $WORK/cc-evil|" -e "s|^cache_dir = .*|cache_dir = $WORK/cache-evil|" \
	"$CONFIG"
mount_start
evil=$(submit "$HELLO" evil.tar)
result=$(wait_job "$evil")
echo "# $(echo "$result" | paste -sd';')"
tap_is "a forged object: the job fails" "$(echo "$result" | sed -n 2p)" "state failed"
reason=$(status_of "$evil" exit_state)
tap_check "the object is refused for its constructor" \
	sh -c 'echo "$1" | grep -q "refused: it has constructors"' _ "$reason"
tap_check "the constructor never ran" test ! -e "$WORK/pwned"
tap_is "nothing was published" "$(ls "$WORK/cache-evil" | grep -c '\.so$')" 0
mount_stop

# [sandbox] uid_range: two jobs at once run as two uids of the range, neither a user's.
first=3900000
last=$((first + 9))
sed -i -e "s|^cc = .*|cc = cc|" -e "/^\[sandbox\]/a uid_range = $first-$last" "$CONFIG"
mount_start
make_ticker long2 100000 200000000
one=$(submit "$WORK/long2.tar" one.tar)
two=$(submit "$WORK/long2.tar" two.tar)
wait_state "$one" running 60
wait_state "$two" running 60
for _ in $(seq 600); do
	[ -s "$MNT/jobs/$one/stdout" ] && [ -s "$MNT/jobs/$two/stdout" ] && break
	sleep 0.1
done
zygote=$(pgrep -P "$DAEMON_PID" -f -- '--zygote')
uids=$(for runner in $(pgrep -P "$zygote"); do awk '/^Uid:/ {print $2}' "/proc/$runner/status"; done | sort -n | paste -sd' ')
echo "# runner uids: $uids"
tap_is "two runners" "$(echo "$uids" | wc -w)" 2
in_range() {
	local uid
	for uid in $uids; do
		[ "$uid" -ge "$first" ] && [ "$uid" -le "$last" ] || return 1
	done
}
tap_check "both uids in the range ($uids)" in_range
tap_check "and not the same" test "$(echo "$uids" | tr ' ' '\n' | sort -u | wc -l)" = 2
echo kill >"$MNT/jobs/$one/ctl"
echo kill >"$MNT/jobs/$two/ctl"
wait_job "$one" >/dev/null
wait_job "$two" >/dev/null
mount_stop

# A range of one uid: while a job holds it, the next fails and says why.
sed -i "s|^uid_range = .*|uid_range = $first-$first|" "$CONFIG"
mount_start
one=$(submit "$WORK/long2.tar" three.tar)
wait_state "$one" running 60
for _ in $(seq 600); do [ -s "$MNT/jobs/$one/stdout" ] && break; sleep 0.1; done
two=$(submit "$WORK/long2.tar" four.tar)
tap_is "with the one uid taken, a second job fails" "$(wait_job "$two" | sed -n 2p)" \
	"state failed"
tap_check "saying the range is used up" \
	sh -c 'echo "$1" | grep -q "no free uid in \[sandbox\] uid_range"' _ \
	"$(status_of "$two" exit_state) $(status_of "$two" reason)"
echo kill >"$MNT/jobs/$one/ctl"
wait_job "$one" >/dev/null
mount_stop
check_daemon_log
tap_done
