# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Helpers of the sched-* tenants tests (sourced; sources ../mount/lib.sh): two unprivileged
# users made for the test and removed at exit, and commands run as them.
#   sched_prepare               skips without root, useradd or setpriv; call before mount_setup
#   sched_users_add             creates $USER_A and $USER_B (after mount_setup)
#   as USER COMMAND...          runs COMMAND as USER (their uid and group, no other groups)
#   as_submit USER FILE NAME    cp FILE into submit/NAME as USER; prints the new job's id
#   usage_of USER COLUMN        a column of USER's line in /.usage (read as root)
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

sched_prepare() {
	tenants_prepare zvmsched
}

sched_users_add() {
	tenants_users_add
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
