# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers of the sched-* tenants tests (sourced; sources ../mount/lib.sh): two unprivileged
# users made for the test and removed at exit, and commands run as them.
#   sched_prepare               skips without root, useradd or setpriv; call before mount_setup
#   sched_users_add             creates $USER_A and $USER_B (after mount_setup)
#   as USER COMMAND...          runs COMMAND as USER (their uid and group, no other groups)
#   as_submit USER FILE NAME    cp FILE into submit/NAME as USER; prints the new job's id
#   usage_of USER COLUMN        a column of USER's line in /.usage (read as root)
# shellcheck source=../mount/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../mount/lib.sh"

USER_A=zvmsched-a$$
USER_B=zvmsched-b$$

sched_users_remove() {
	userdel "$USER_A" 2>/dev/null
	userdel "$USER_B" 2>/dev/null
}

sched_prepare() {
	[ "$(id -u)" = 0 ] || mount_skip "needs root to create users"
	command -v useradd >/dev/null || mount_skip "useradd is not installed"
	command -v setpriv >/dev/null || mount_skip "setpriv is not installed"
	MOUNT_CLEANUP_HOOK=sched_users_remove
}

sched_users_add() {
	useradd -M -N -s /usr/sbin/nologin "$USER_A" || mount_skip "useradd failed"
	useradd -M -N -s /usr/sbin/nologin "$USER_B" || mount_skip "useradd failed"
}

as() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- "$@"
}

as_submit() {
	as "$1" cp "$2" "$MNT/submit/$3" && as "$1" readlink "$MNT/jobs/last"
}

# Columns of /.usage: USER UID KEPT QUEUED RUNNING ENDED REJECTED OUTPUT_BYTES COMPILE_SECONDS
usage_of() {
	local column
	column=$(head -1 "$MNT/.usage" | tr -s ' ' '\n' | grep -nx "$2" | cut -d: -f1)
	awk -v user="$1" -v column="$column" '$1 == user { print $column }' "$MNT/.usage"
}
