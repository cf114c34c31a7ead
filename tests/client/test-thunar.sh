#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Thunar (Xfce's file manager) under Xvfb, driven by xdotool: a bundle pasted into submit/
# makes one job and stays shown there; a refused bundle's paste shows an error dialog and
# makes one rejected job, whose reason jobs/index.txt gives; a job's folder opens and shows
# its files. Screenshots are kept in the build's meson-logs/ (client-thunar-*.png). There is
# no window manager: a window gets the keyboard by XSetInputFocus (xdotool windowfocus) and
# the keys come through XTEST, which GTK 3 takes as typed. Each step waits for what it needs.
. "$(dirname "$0")/../mount/lib.sh"

for tool in thunar Xvfb xdotool dbus-launch import; do
	command -v "$tool" >/dev/null || mount_skip "$tool is not installed"
done
mount_setup
mount_start

XVFB_PID=
FM_PID=
stop_desktop() {
	[ -n "$FM_PID" ] && kill "$FM_PID" 2>/dev/null
	[ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null
	[ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
}
MOUNT_CLEANUP_HOOK=stop_desktop
SHOTS=${ZVM_BUILD_DIR:-$WORK}/meson-logs
mkdir -p "$SHOTS" "$WORK/home" "$WORK/run" "$WORK/good" "$WORK/bad"
chmod 700 "$WORK/run"
export HOME=$WORK/home XDG_RUNTIME_DIR=$WORK/run XDG_CONFIG_HOME=$WORK/home/.config
cp "$HELLO" "$WORK/good/pasted.tar"
echo "not a tar" >"$WORK/bad/refused.tar"
job_count() { find "$MNT/jobs" -mindepth 1 -maxdepth 1 -name '[0-9]*' | wc -l; }
# until_true COMMAND...: runs COMMAND until it succeeds (60 s at most).
until_true() {
	local i
	for ((i = 0; i < 600; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
# Thunar titles a folder's window "NAME - Thunar".
window() { xdotool search --onlyvisible --name "^$1 - Thunar\$" | head -1; }
# Any visible window that is not a folder's: a dialog.
dialog() {
	local w
	for w in $(xdotool search --onlyvisible --name '.'); do
		case "$(xdotool getwindowname "$w")" in
		*" - Thunar") ;;
		*) echo "$w" && return 0 ;;
		esac
	done
	return 1
}
no_dialog() { ! dialog >/dev/null; }
# keys WINDOW KEY...: gives WINDOW the keyboard, then types.
keys() {
	local w=$1
	shift
	xdotool windowraise "$w" windowfocus --sync "$w" 2>/dev/null || return 1
	xdotool key "$@"
}
shot() { import -window root "$SHOTS/client-thunar-$1.png"; }
# watching FOLDER: thunar has begun to load FOLDER (local ones): it watches it with inotify.
watching() {
	local ino fd
	ino=$(printf '%x' "$(stat -c %i "$1")")
	for fd in /proc/"$FM_PID"/fd/*; do
		[ "$(readlink "$fd")" = anon_inode:inotify ] &&
			grep -q "^inotify wd:[0-9]* ino:$ino " "/proc/$FM_PID/fdinfo/${fd##*/}" && return 0
	done
	return 1
}
# open FOLDER: a window on FOLDER (a later thunar hands it to the first one through D-Bus).
open_folder() {
	timeout 30 thunar "$1" >>"$WORK/fm.log" 2>&1
	until_true window "$(basename "$1")" || return 1
	case $1 in "$MNT"/*) ;; *) until_true watching "$1" ;; esac
}
# On a failed step: what was on the screen, and the windows' names.
explain() {
	shot "failed-$1"
	echo "# windows: $(for w in $(xdotool search --onlyvisible --name '.'); do
		printf '[%s] ' "$(xdotool getwindowname "$w")"
	done)"
	tail -5 "$WORK/fm.log" | sed 's/^/# thunar: /'
}

exec 9>"$WORK/display"
Xvfb -displayfd 9 -screen 0 1024x700x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
until_true test -s "$WORK/display" || mount_skip "Xvfb did not start: $(cat "$WORK/xvfb.log")"
export DISPLAY=:$(cat "$WORK/display")
eval "$(dbus-launch --sh-syntax)"

# Copies the one file of FOLDER (select all, Ctrl+C) and pastes it in submit/ (Ctrl+V). The
# copy is proven first by a paste into a fresh scratch folder (a folder's listing may load
# after its window shows), tried again until that paste gives the file; submit/ gets one.
attempt=0
paste_into_submit() { # FOLDER FILE
	local scratch i
	for ((i = 0; i < 20; i++)); do
		open_folder "$1" || return 1
		keys "$(window "$(basename "$1")")" ctrl+a ctrl+c || return 1
		attempt=$((attempt + 1))
		scratch=$WORK/scratch-$attempt
		mkdir "$scratch"
		open_folder "$scratch" || return 1
		keys "$(window "scratch-$attempt")" ctrl+v || return 1
		for _ in $(seq 30); do
			[ -e "$scratch/$2" ] && break 2
			sleep 0.1
		done
	done
	[ -e "$scratch/$2" ] || return 1
	open_folder "$MNT/submit" || return 1
	keys "$(window submit)" ctrl+v
}
jobs_at_least() { [ "$(job_count)" -ge "$1" ]; }

thunar "$WORK/good" >"$WORK/fm.log" 2>&1 &
FM_PID=$!
tap_check "thunar shows the folder" until_true window good
if paste_into_submit "$WORK/good" pasted.tar; then
	tap_ok "Ctrl+C in the folder, Ctrl+V in submit/"
else
	tap_fail "Ctrl+C in the folder, Ctrl+V in submit/"
	explain paste
fi
tap_check "the paste makes a job" until_true jobs_at_least 1
tap_is "exactly one, named pasted.tar" "$(job_count):$(status_of last name)" "1:pasted.tar"
tap_check "the name stays in submit/ (no error, no lost file)" test -e "$MNT/submit/pasted.tar"
tap_check "no error dialog" no_dialog
shot pasted

if paste_into_submit "$WORK/bad" refused.tar; then
	tap_ok "Ctrl+C, Ctrl+V of a refused bundle"
else
	tap_fail "Ctrl+C, Ctrl+V of a refused bundle"
	explain refused-paste
fi
tap_check "a refused paste makes a job" until_true jobs_at_least 2
tap_check "thunar shows an error dialog" until_true dialog
shot refused
tap_is "exactly one, rejected" "$(job_count):$(status_of last state)" "2:rejected"
tap_like "the reason is in jobs/index.txt" "$(grep '^2 ' "$MNT/jobs/index.txt")" \
	'refused.tar  bundle: not a tar archive'
keys "$(dialog)" Escape
tap_check "the dialog closes" until_true no_dialog
tap_is "and made no second job" "$(job_count)" 2

tap_check "a job's folder opens" open_folder "$MNT/jobs/1"
shot job

check_daemon_log
stop_desktop
FM_PID= XVFB_PID=
mount_stop
tap_is "zvmfs exits 0" "$STOP_STATUS" 0
tap_done
