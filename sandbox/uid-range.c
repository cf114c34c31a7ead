/* SPDX-License-Identifier: Apache-2.0 */
/* Leases of uids from [sandbox] uid_range (uid-range.h). */
#include "uid-range.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct _ZvmUidLease {
	uid_t uid;
	int fd; /* holds the flock */
};

ZvmUidLease *zvm_uid_lease_take(uint32_t first, uint32_t last, GError **error)
{
	g_return_val_if_fail(first > 0 && first <= last, NULL);
	if (g_mkdir_with_parents(ZVM_UID_LEASE_DIR, 0700) < 0) {
		int saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
			    "cannot make %s for [sandbox] uid_range: %s", ZVM_UID_LEASE_DIR,
			    g_strerror(saved));
		return NULL;
	}
	uint64_t count = (uint64_t)last - first + 1;
	uint64_t start = (uint64_t)g_random_int_range(0, (gint32)MIN(count, G_MAXINT32));
	for (uint64_t i = 0; i < count; i++) {
		uid_t uid = (uid_t)(first + (start + i) % count);
		char path[64];
		g_snprintf(path, sizeof(path), "%s/%u", ZVM_UID_LEASE_DIR, (unsigned int)uid);
		int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			ZvmUidLease *lease = g_new0(ZvmUidLease, 1);
			lease->uid = uid;
			lease->fd = fd;
			return lease;
		}
		close(fd);
	}
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_AGAIN,
		    "no free uid in [sandbox] uid_range %u-%u: all %" G_GUINT64_FORMAT
		    " are in use",
		    first, last, count);
	return NULL;
}

uid_t zvm_uid_lease_uid(const ZvmUidLease *lease)
{
	return lease->uid;
}

void zvm_uid_lease_sweep(const ZvmUidLease *lease)
{
	/* kill(-1) as the lease's uid reaches exactly its processes. The child makes raw system
	 * calls only: its parent may be multithreaded. */
	pid_t pid = fork();
	if (pid == 0) {
		if (syscall(SYS_setresgid, lease->uid, lease->uid, lease->uid) == 0 &&
		    syscall(SYS_setresuid, lease->uid, lease->uid, lease->uid) == 0)
			kill(-1, SIGKILL);
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

void zvm_uid_lease_free(ZvmUidLease *lease)
{
	if (lease == NULL)
		return;
	close(lease->fd);
	g_free(lease);
}

gboolean zvm_uid_range_parse(const char *text, uint32_t *first, uint32_t *last, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(text, "-", 3);
	guint64 a = 0, b = 0;
	if (g_strv_length(parts) != 2 ||
	    !g_ascii_string_to_unsigned(g_strstrip(parts[0]), 10, 1, G_MAXUINT32 - 1, &a, NULL) ||
	    !g_ascii_string_to_unsigned(g_strstrip(parts[1]), 10, 1, G_MAXUINT32 - 1, &b, NULL) ||
	    a > b || b - a + 1 > ZVM_UID_RANGE_MAX) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[sandbox] uid_range must be FIRST-LAST, two uids above 0 with at most "
			    "%d in between",
			    ZVM_UID_RANGE_MAX);
		return FALSE;
	}
	*first = (uint32_t)a;
	*last = (uint32_t)b;
	return TRUE;
}
