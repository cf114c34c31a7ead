# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers for the view- tests of the tenants suite (sourced; sources ../mount/lib.sh): two
# throwaway unprivileged users on one mount, removed at exit even after a failure.
#   view_setup [CONFIG LINES...]  mount_setup, then users $USER_A and $USER_B
#   as USER CMD...                CMD as USER (no supplementary groups)
#   py_as USER CODE ARGS...       /usr/bin/python3 CODE as USER; prints ok or the errno name
# shellcheck source=../mount/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../mount/lib.sh"

view_remove_users() {
	[ -n "${USER_A:-}" ] && userdel "$USER_A" 2>/dev/null
	[ -n "${USER_B:-}" ] && userdel "$USER_B" 2>/dev/null
	return 0
}

view_setup() {
	[ "$(id -u)" = 0 ] || mount_skip "needs root to create users"
	command -v useradd >/dev/null || mount_skip "useradd is not installed"
	command -v setpriv >/dev/null || mount_skip "setpriv is not installed"
	[ -x /usr/bin/python3 ] || mount_skip "no /usr/bin/python3"
	MOUNT_CLEANUP_HOOK=view_remove_users
	mount_setup "$@"
	USER_A=zvmview-a$$
	USER_B=zvmview-b$$
	useradd -M -N -s /usr/sbin/nologin "$USER_A" || mount_skip "useradd failed"
	useradd -M -N -s /usr/sbin/nologin "$USER_B" || mount_skip "useradd failed"
}

as() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- "$@"
}

py_as() {
	local user=$1 code=$2
	shift 2
	as "$user" /usr/bin/python3 -c "import errno, os, sys
try:
    $code
    print('ok')
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))" "$@"
}
