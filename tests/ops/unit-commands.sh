#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The systemd unit's commands, run the way systemd runs them, on a machine without systemd:
# the ExecStartPre, ExecStart and ExecStop lines of the unit as meson configured it
# (build/docs/zvmfs.service) are taken verbatim, nothing substituted by hand. So that they
# can run as written (/mnt/zvm, @SBINDIR@/zvmfs, the default config), the test runs in a
# private mount namespace where /mnt is a scratch directory, the ExecStart binary's directory
# and the default config's directory are overlays holding the zvmfs just built and a scratch
# config; the host sees none of it.
# Checks: the start commands mount and run hello; the stop (ExecStop, then KillSignal to the
# main process only, as KillMode=mixed does) ends zvmfs with exit status 0 within
# TimeoutStopSec, leaves no process of the service behind (the runners die with zvmfs, so the
# final SIGKILL of the control group finds nothing), and the job that was running is back to
# queued with restarts 1; the next start runs it again.
# shellcheck source=../mount/lib.sh
. "$(dirname "$0")/../mount/lib.sh"

UNIT=${ZVM_UNIT:-$ZVM_BUILD_DIR/docs/zvmfs.service}
ZVMFS=${ZVMFS:-$ZVM_BUILD_DIR/fs/zvmfs}

if [ -z "${ZVM_UNIT_NAMESPACE:-}" ]; then
	[ "$(id -u)" = 0 ] || mount_skip "a private mount namespace needs root"
	command -v unshare >/dev/null || mount_skip "unshare is not installed"
	[ -f "$UNIT" ] || mount_skip "$UNIT is not configured"
	unshare --mount --propagation private true 2>/dev/null ||
		mount_skip "cannot make a mount namespace here"
	ZVM_UNIT_NAMESPACE=1 exec unshare --mount --propagation private bash "$0" "$@"
fi

# The unit's [Service] settings, as bash assignments: exec_<kind>_<n> arrays of argv and
# exec_<kind>_<n>_ignore (the "-" prefix). Fails on what this runner does not implement
# (specifiers, variables, other prefixes), so a change of the unit cannot pass unseen.
parse_unit() {
	python3 - "$1" <<'PY'
import shlex, sys
service, section, pending = {}, None, ""
for raw in open(sys.argv[1]):
    line = raw.rstrip("\n")
    if pending:
        line, pending = pending + line, ""
    if line.endswith("\\"):
        pending = line[:-1] + " "
        continue
    line = line.strip()
    if not line or line[0] in "#;":
        continue
    if line.startswith("["):
        section = line.strip("[]")
        continue
    if section == "Service" and "=" in line:
        key, value = line.split("=", 1)
        service.setdefault(key.strip(), []).append(value.strip())
def fail(message):
    print("echo %s >&2; exit 1" % shlex.quote("unit: " + message))
    sys.exit(0)
out = []
for kind, key in (("pre", "ExecStartPre"), ("start", "ExecStart"), ("stop", "ExecStop")):
    for n, value in enumerate(service.get(key, [])):
        ignore = 0
        while value and value[0] in "-@:+!":
            if value[0] != "-":
                fail("%s=%s: prefix %s is not implemented here" % (key, value, value[0]))
            ignore, value = 1, value[1:]
        if "%" in value or "$" in value:
            fail("%s=%s: specifiers and variables are not implemented here" % (key, value))
        argv = shlex.split(value)
        if ";" in argv:
            fail("%s=%s: several commands on a line are not implemented here" % (key, value))
        out.append("exec_%s_%d=(%s)" % (kind, n, " ".join(shlex.quote(a) for a in argv)))
        out.append("exec_%s_%d_ignore=%d" % (kind, n, ignore))
    out.append("exec_%s_count=%d" % (kind, len(service.get(key, []))))
for key in ("Type", "KillMode", "KillSignal", "TimeoutStopSec"):
    out.append("unit_%s=%s" % (key, shlex.quote(service.get(key, [""])[-1])))
print("\n".join(out))
PY
}

unit_settings=$(parse_unit "$UNIT") || mount_skip "cannot parse $UNIT"
eval "$unit_settings"

mount_setup
tap_is "the unit has one ExecStart" "$exec_start_count" 1
# What this runner implements: a simple service stopped by ExecStop, then SIGTERM to the
# main process alone, SIGKILL to the rest of the group after TimeoutStopSec.
tap_is "Type=simple" "$unit_Type" simple
tap_is "KillMode=mixed" "$unit_KillMode" mixed
tap_is "KillSignal=SIGTERM" "$unit_KillSignal" SIGTERM
tap_like "TimeoutStopSec in seconds" "$unit_TimeoutStopSec" '^[0-9]+$'

# The namespace: the paths the unit names, backed by scratch directories.
unit_mountpoint=${exec_start_0[-1]}
unit_binary=${exec_start_0[0]}
default_config=$(sed -n 's/^#define ZVM_DEFAULT_CONFIG "\(.*\)"$/\1/p' "$ZVM_BUILD_DIR/zvm-build-config.h")
tap_like "ExecStart is zvmfs on an absolute mount point" "$unit_binary $unit_mountpoint" '^/.*/zvmfs /'
overlay() { # overlay DIR NAME: DIR as seen here gets a private writable layer
	mkdir -p "$WORK/$2.upper" "$WORK/$2.work"
	mount -t overlay "zvm-$2" -o "lowerdir=$1,upperdir=$WORK/$2.upper,workdir=$WORK/$2.work" "$1"
}
unit_cleanup() {
	umount -l "$(dirname "$unit_binary")" "$(dirname "$default_config")" \
		"$(dirname "$unit_mountpoint")" 2>/dev/null
	return 0
}
MOUNT_CLEANUP_HOOK=unit_cleanup
mkdir -p "$WORK/mnt-parent" "$(dirname "$unit_binary")"
if ! overlay "$(dirname "$unit_binary")" sbin || ! overlay "$(dirname "$default_config")" etc ||
	! mount --bind "$WORK/mnt-parent" "$(dirname "$unit_mountpoint")"; then
	tap_skip "the namespace" "no overlay mounts here"
	tap_done
fi
ln -sf "$ZVMFS" "$unit_binary"
cp "$CONFIG" "$default_config"
MNT=$unit_mountpoint

# run_commands KIND: each exec_KIND_n in order, as systemd does; a failure without "-" is
# fatal for the start. Prints the failures.
run_commands() {
	local kind=$1 n count ignore
	eval "count=\$exec_${kind}_count"
	for ((n = 0; n < count; n++)); do
		eval "ignore=\$exec_${kind}_${n}_ignore"
		local argv=()
		eval "argv=(\"\${exec_${kind}_${n}[@]}\")"
		if ! "${argv[@]}" >>"$LOG" 2>&1 && [ "$ignore" = 0 ]; then
			echo "${argv[*]} failed"
			return 1
		fi
	done
}

# unit_start: ExecStartPre, then ExecStart as the main process in a session of its own (its
# "control group").
unit_start() {
	local failed
	failed=$(run_commands pre)
	tap_is "ExecStartPre commands succeed" "$failed" ""
	setsid "${exec_start_0[@]}" >>"$LOG" 2>&1 &
	DAEMON_PID=$!
	wait_mounted
	tap_check "ExecStart mounts $MNT" mountpoint -q "$MNT"
}

# unit_stop: ExecStop, then KillSignal to the main process if it still runs, then up to
# TimeoutStopSec for it to exit; anything left in its session then is what systemd would
# SIGKILL. $STOP_STATUS is the main process's exit status.
unit_stop() {
	local failed left
	failed=$(run_commands stop)
	tap_is "ExecStop commands succeed" "$failed" ""
	kill -TERM "$DAEMON_PID" 2>/dev/null
	local deadline=$((SECONDS + unit_TimeoutStopSec))
	while kill -0 "$DAEMON_PID" 2>/dev/null && ((SECONDS < deadline)); do
		sleep 0.1
	done
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		tap_fail "zvmfs exits within TimeoutStopSec=$unit_TimeoutStopSec"
		kill -KILL "$DAEMON_PID"
	fi
	STOP_STATUS=0
	wait "$DAEMON_PID" 2>/dev/null || STOP_STATUS=$?
	left=$(pgrep -s "$DAEMON_PID" -a)
	tap_is "nothing of the service is left for the final SIGKILL" "$left" ""
	[ -n "$left" ] && pkill -KILL -s "$DAEMON_PID"
	DAEMON_PID=
	tap_check "the mount is gone" bash -c "! mountpoint -q '$MNT'"
}

make_ticker long 100000 200000000

unit_start
out=$("$ZVM" submit --mount "$MNT" --wait "$HELLO")
tap_is "hello runs on the unit's mount" "$out" "hello, world"
long=$("$ZVM" submit --mount "$MNT" "$WORK/long.tar")
wait_state "$long" running 120
tap_is "a long job runs" "$(status_of "$long" state)" "running"
tap_is "not restarted yet" "$(status_of "$long" restarts)" 0
unit_stop
tap_is "zvmfs exits with status 0 on the unit's stop" "$STOP_STATUS" 0
tap_is "the running job went back to queued" \
	"$(sed -n 's/^state=//p' "$STATE/jobs/$long/meta"):$(sed -n 's/^restarts=//p' "$STATE/jobs/$long/meta")" \
	"queued:1"

# The next start (ExecStartPre detaches nothing and creates nothing new) runs it again.
unit_start
wait_state "$long" running 120
tap_is "the requeued job runs again after the next start" \
	"$(status_of "$long" state) restarts $(status_of "$long" restarts)" "running restarts 1"
"$ZVM" kill --mount "$MNT" "$long"
tap_is "and ends when killed" "$(wait_job "$long" | sed -n 's/^state //p')" "killed"
unit_stop
tap_is "zvmfs exits with status 0 again" "$STOP_STATUS" 0

check_daemon_log
tap_done
