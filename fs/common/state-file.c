/* SPDX-License-Identifier: Apache-2.0 */
/* Durable files of the job store: atomic replacement, recursive removal, copying. */
#include "state-file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean set_errno_error(GError **error, int err, const char *what, const char *path)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "%s %s: %s", what, path,
		    g_strerror(err));
	return FALSE;
}

static gboolean write_all(int fd, const char *data, gsize length)
{
	while (length > 0) {
		ssize_t n = write(fd, data, length);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return FALSE;
		}
		data += n;
		length -= (gsize)n;
	}
	return TRUE;
}

gboolean zvm_state_sync_dir(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return set_errno_error(error, errno, "cannot open directory", path);
	int r = fsync(fd);
	int err = errno;
	close(fd);
	if (r < 0 && err != EINVAL)
		return set_errno_error(error, err, "cannot sync directory", path);
	return TRUE;
}

/*
 * Group commit: concurrent syncfs calls on one filesystem share a flush. A caller takes a
 * ticket after its writes; any syncfs that starts after that covers them. One caller at a
 * time flushes, for every ticket taken before it started; the others wait, and start the next
 * flush themselves when the one under way began before their ticket.
 */
typedef struct {
	dev_t dev;
	guint64 issued; /* tickets taken */
	guint64 done;	/* every ticket up to this one is durable */
	gboolean flushing;
} SyncGroup;

static GMutex sync_lock;
static GCond sync_done;
static GArray *sync_groups; /* of SyncGroup, one per filesystem; never shrinks */

static SyncGroup *sync_group_locked(dev_t dev)
{
	if (sync_groups == NULL)
		sync_groups = g_array_new(FALSE, TRUE, sizeof(SyncGroup));
	for (guint i = 0; i < sync_groups->len; i++) {
		SyncGroup *group = &g_array_index(sync_groups, SyncGroup, i);
		if (group->dev == dev)
			return group;
	}
	SyncGroup fresh = {.dev = dev};
	g_array_append_val(sync_groups, fresh);
	return &g_array_index(sync_groups, SyncGroup, sync_groups->len - 1);
}

/* syncfs(@fd), or a share of one that starts after this call. Returns 0 or -errno. */
static int syncfs_grouped(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	g_mutex_lock(&sync_lock);
	guint64 ticket = ++sync_group_locked(st.st_dev)->issued;
	int result = 0;
	for (;;) {
		/* Looked up again after each wait: the array may have grown and moved. */
		SyncGroup *group = sync_group_locked(st.st_dev);
		if (group->done >= ticket)
			break;
		if (group->flushing) {
			g_cond_wait(&sync_done, &sync_lock);
			continue;
		}
		group->flushing = TRUE;
		guint64 target = group->issued;
		g_mutex_unlock(&sync_lock);
		int r = syncfs(fd) < 0 ? -errno : 0;
		g_mutex_lock(&sync_lock);
		group = sync_group_locked(st.st_dev);
		group->flushing = FALSE;
		if (r == 0 && target > group->done)
			group->done = target;
		g_cond_broadcast(&sync_done);
		if (r < 0) {
			/* Our own error; a waiter whose ticket it left uncovered flushes again. */
			result = r;
			break;
		}
	}
	g_mutex_unlock(&sync_lock);
	return result;
}

gboolean zvm_state_sync_fs(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return set_errno_error(error, errno, "cannot open", path);
	int r = syncfs_grouped(fd);
	close(fd);
	if (r < 0)
		return set_errno_error(error, -r, "cannot sync the filesystem of", path);
	return TRUE;
}

gboolean zvm_state_write_atomic(const char *path, const void *data, gsize length, mode_t mode,
				ZvmStateSync sync, GError **error)
{
	g_autofree char *tmp = g_strconcat(path, ".tmp", NULL);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return set_errno_error(error, errno, "cannot create", tmp);
	int err = 0;
	if (!write_all(fd, data, length) || (sync == ZVM_STATE_SYNC_FILE && fsync(fd) < 0))
		err = errno;
	else if (sync == ZVM_STATE_SYNC_FS)
		err = -syncfs_grouped(fd);
	if (err != 0) {
		close(fd);
		unlink(tmp);
		return set_errno_error(error, err, "cannot write", tmp);
	}
	if (close(fd) < 0) {
		err = errno;
		unlink(tmp);
		return set_errno_error(error, err, "cannot write", tmp);
	}
	if (rename(tmp, path) < 0) {
		err = errno;
		unlink(tmp);
		return set_errno_error(error, err, "cannot rename to", path);
	}
	if (sync == ZVM_STATE_SYNC_NONE)
		return TRUE;
	g_autofree char *dir = g_path_get_dirname(path);
	return zvm_state_sync_dir(dir, error);
}

gboolean zvm_state_ensure_dir(const char *path, mode_t mode, GError **error)
{
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return set_errno_error(error, errno, "cannot create directory", path);
	struct stat st;
	if (lstat(path, &st) < 0)
		return set_errno_error(error, errno, "cannot stat", path);
	if (!S_ISDIR(st.st_mode))
		return set_errno_error(error, ENOTDIR, "not a directory:", path);
	/* mkdir() applies the umask; the store's modes are part of its contract. */
	if ((st.st_mode & 07777) != mode && chmod(path, mode) < 0)
		return set_errno_error(error, errno, "cannot chmod", path);
	return TRUE;
}

static int remove_below(int dirfd)
{
	DIR *dir = fdopendir(dirfd);
	if (dir == NULL) {
		int err = errno;
		close(dirfd);
		return -err;
	}
	int result = 0;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		const char *name = entry->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR && errno != EPERM) {
			result = -errno;
			continue;
		}
		int child = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			result = -errno;
			continue;
		}
		int r = remove_below(child);
		if (r < 0)
			result = r;
		else if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			result = -errno;
	}
	closedir(dir);
	return result;
}

gboolean zvm_state_remove_tree(const char *path, GError **error)
{
	if (unlink(path) == 0 || errno == ENOENT)
		return TRUE;
	if (errno != EISDIR && errno != EPERM)
		return set_errno_error(error, errno, "cannot remove", path);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? TRUE : set_errno_error(error, errno, "cannot open", path);
	int r = remove_below(fd);
	if (r < 0)
		return set_errno_error(error, -r, "cannot remove below", path);
	if (rmdir(path) < 0 && errno != ENOENT)
		return set_errno_error(error, errno, "cannot remove", path);
	return TRUE;
}

gboolean zvm_state_empty_dir(const char *path, mode_t mode, GError **error)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/* Missing, or not a directory: start over. */
		return zvm_state_remove_tree(path, error) &&
		       zvm_state_ensure_dir(path, mode, error);
	}
	int r = remove_below(fd);
	if (r < 0)
		return set_errno_error(error, -r, "cannot remove below", path);
	return zvm_state_ensure_dir(path, mode, error);
}

int64_t zvm_state_copy_fd(int in_fd, const char *path, uint64_t max_bytes, gboolean *too_large,
			  GError **error)
{
	*too_large = FALSE;
	struct stat st;
	if (fstat(in_fd, &st) < 0) {
		set_errno_error(error, errno, "cannot stat the input of", path);
		return -1;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		*too_large = TRUE;
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			    "%s: %" G_GUINT64_FORMAT
			    " bytes, over the maximum of %" G_GUINT64_FORMAT,
			    path, (uint64_t)st.st_size, max_bytes);
		return -1;
	}
	int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0) {
		set_errno_error(error, errno, "cannot create", path);
		return -1;
	}
	uint64_t total = 0;
	gboolean use_range = TRUE;
	char buffer[65536];
	for (;;) {
		ssize_t n;
		/* One byte past the maximum tells a file that grew since fstat from one that did
		 * not. */
		size_t want = (size_t)MIN((uint64_t)sizeof(buffer), max_bytes - total + 1);
		if (use_range) {
			loff_t in_off = (loff_t)total;
			n = copy_file_range(in_fd, &in_off, out, NULL, want, 0);
			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
				      errno == EOPNOTSUPP || errno == EBADF)) {
				use_range = FALSE;
				continue;
			}
		} else {
			n = pread(in_fd, buffer, want, (off_t)total);
			if (n > 0 && !write_all(out, buffer, (gsize)n))
				n = -1;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = errno;
			close(out);
			unlink(path);
			set_errno_error(error, err, "cannot copy to", path);
			return -1;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > max_bytes) {
			close(out);
			unlink(path);
			*too_large = TRUE;
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
				    "%s: over the maximum of %" G_GUINT64_FORMAT " bytes", path,
				    max_bytes);
			return -1;
		}
	}
	if (close(out) < 0) {
		int err = errno;
		unlink(path);
		set_errno_error(error, err, "cannot write", path);
		return -1;
	}
	return (int64_t)total;
}
