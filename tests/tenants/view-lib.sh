# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers for the view- tests of the tenants suite (sourced; sources ../mount/lib.sh): two
# throwaway unprivileged users on one mount, removed at exit even after a failure.
#   view_setup [CONFIG LINES...]  mount_setup, then users $USER_A and $USER_B
#   as USER CMD...                CMD as USER (no supplementary groups)
#   py_as USER CODE ARGS...       /usr/bin/python3 CODE as USER; prints ok or the errno name
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

view_setup() {
	tenants_prepare zvmview
	[ -x /usr/bin/python3 ] || mount_skip "no /usr/bin/python3"
	mount_setup "$@"
	tenants_users_add
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
