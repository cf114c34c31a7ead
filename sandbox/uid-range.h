/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Uids of their own for runners and compilers ([sandbox] uid_range = FIRST-LAST, root only;
 * docs/engine.md, "Privilege separation"): each run or compile leases one uid (its gid is the
 * same number) that no other lease holds, in this process or another on the host, so a job
 * that escaped its fence shares a uid with no other job and no compile. A lease is an flock
 * on ZVM_UID_LEASE_DIR/<uid>, released when freed or when its holder dies.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

#define ZVM_UID_LEASE_DIR "/run/zvmfs/uids"
/* The widest range taken: more uids than runners could ever run at once. */
#define ZVM_UID_RANGE_MAX 65536

typedef struct _ZvmUidLease ZvmUidLease;

/*
 * Leases a uid of @first..@last (inclusive) that no one holds, starting from a random one.
 * Returns: the lease, or NULL with @error (G_FILE_ERROR) when every uid is held or the lease
 * directory cannot be made.
 */
ZvmUidLease *zvm_uid_lease_take(uint32_t first, uint32_t last, GError **error);

uid_t zvm_uid_lease_uid(const ZvmUidLease *lease);

/* Kills every process that runs as the lease's uid (a compiler's straggler that left its
 * process group), so that nothing of one lease meets the next holder of its uid. */
void zvm_uid_lease_sweep(const ZvmUidLease *lease);

/* Releases the lease. Accepts NULL. */
void zvm_uid_lease_free(ZvmUidLease *lease);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmUidLease, zvm_uid_lease_free)

/*
 * Parses "FIRST-LAST" into @first and @last: decimal uids, 0 < FIRST <= LAST, at most
 * ZVM_UID_RANGE_MAX of them. Returns FALSE with @error otherwise.
 */
gboolean zvm_uid_range_parse(const char *text, uint32_t *first, uint32_t *last, GError **error);
