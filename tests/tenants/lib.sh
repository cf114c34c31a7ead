# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# What every tenants test shares (sourced; sources ../mount/lib.sh): two unprivileged users
# made for the test, removed at exit even after a failure, and commands run as them.
#   tenants_prepare PREFIX   skips without root, useradd or setpriv; names $USER_A and $USER_B
#                            PREFIX-a$$ and PREFIX-b$$; call before mount_setup
#   tenants_users_add        creates $USER_A and $USER_B (after mount_setup)
#   as USER COMMAND...       runs COMMAND as USER (their uid and group, no other groups)
# shellcheck source=../mount/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../mount/lib.sh"

tenants_users_remove() {
	[ -n "${USER_A:-}" ] && userdel "$USER_A" 2>/dev/null
	[ -n "${USER_B:-}" ] && userdel "$USER_B" 2>/dev/null
	return 0
}

tenants_prepare() {
	[ "$(id -u)" = 0 ] || mount_skip "needs root to create users"
	command -v useradd >/dev/null || mount_skip "useradd is not installed"
	command -v setpriv >/dev/null || mount_skip "setpriv is not installed"
	USER_A=$1-a$$
	USER_B=$1-b$$
	MOUNT_CLEANUP_HOOK=tenants_users_remove
}

tenants_users_add() {
	useradd -M -N -s /usr/sbin/nologin "$USER_A" || mount_skip "useradd failed"
	useradd -M -N -s /usr/sbin/nologin "$USER_B" || mount_skip "useradd failed"
}

as() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- "$@"
}
