/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the FUSE operations: the caller, errno mapping, stat and dir filling. */
#include "fuse-fs.h"

#include <errno.h>
#include <string.h>

ZvmCaller zvm_fuse_caller(fuse_req_t req)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	return (ZvmCaller){.uid = ctx->uid, .gid = ctx->gid, .pid = ctx->pid};
}

ZvmFs *zvm_fuse_fs(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

gboolean zvm_caller_may_see(const ZvmCaller *caller, uid_t owner)
{
	return caller->uid == 0 || caller->uid == owner;
}

int zvm_fuse_errno(const GError *error)
{
	if (error == NULL)
		return 0;
	if (error->domain == ZVM_STORE_ERROR) {
		switch ((ZvmStoreError)error->code) {
		case ZVM_STORE_ERROR_INVALID:
			return EINVAL;
		case ZVM_STORE_ERROR_TOO_LARGE:
			return EFBIG;
		case ZVM_STORE_ERROR_NO_SPACE:
			return ENOSPC;
		case ZVM_STORE_ERROR_QUEUE_FULL:
		case ZVM_STORE_ERROR_STOPPED:
			return EAGAIN;
		case ZVM_STORE_ERROR_NOT_FOUND:
			return ENOENT;
		case ZVM_STORE_ERROR_ACCESS:
			return EACCES;
		case ZVM_STORE_ERROR_QUOTA:
			return EDQUOT;
		case ZVM_STORE_ERROR_IO:
		default:
			return EIO;
		}
	}
	if (error->domain == G_FILE_ERROR && error->code == G_FILE_ERROR_NOSPC)
		return ENOSPC;
	return EIO;
}

void zvm_timespec_from_ns(struct timespec *ts, gint64 ns)
{
	ts->tv_sec = (time_t)(ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
}

void zvm_stat_init(struct stat *st, fuse_ino_t ino, mode_t mode, gint64 ns)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = mode;
	st->st_nlink = S_ISDIR(mode) ? 2 : 1;
	st->st_blksize = 128 * 1024; /* cp sizes its buffer from this */
	zvm_timespec_from_ns(&st->st_mtim, ns);
	st->st_atim = st->st_ctim = st->st_mtim;
}

void zvm_dir_add(GArray *entries, const char *name, fuse_ino_t ino, mode_t type)
{
	ZvmDirEntry entry = {g_strdup(name), ino, type};
	g_array_append_val(entries, entry);
}

static void dir_entry_clear(gpointer data)
{
	g_free(((ZvmDirEntry *)data)->name);
}

ZvmDirHandle *zvm_dir_handle_new(fuse_ino_t self, fuse_ino_t parent)
{
	ZvmDirHandle *handle = g_new0(ZvmDirHandle, 1);
	handle->kind = ZVM_HANDLE_DIR;
	handle->entries = g_array_new(FALSE, FALSE, sizeof(ZvmDirEntry));
	g_array_set_clear_func(handle->entries, dir_entry_clear);
	zvm_dir_add(handle->entries, ".", self, S_IFDIR);
	zvm_dir_add(handle->entries, "..", parent, S_IFDIR);
	return handle;
}

void zvm_dir_handle_free(ZvmFs *fs, gpointer data)
{
	ZvmDirHandle *handle = data;
	g_array_unref(handle->entries);
	g_free(handle);
}

void zvm_handles_init(ZvmFs *fs)
{
	g_mutex_init(&fs->handles_lock);
	fs->handles = g_hash_table_new(NULL, NULL);
}

void zvm_handle_track(ZvmFs *fs, gpointer handle, ZvmHandleFree free_func)
{
	g_mutex_lock(&fs->handles_lock);
	g_hash_table_insert(fs->handles, handle, (gpointer)free_func);
	g_mutex_unlock(&fs->handles_lock);
}

void zvm_handle_untrack(ZvmFs *fs, gpointer handle)
{
	g_mutex_lock(&fs->handles_lock);
	g_hash_table_remove(fs->handles, handle);
	g_mutex_unlock(&fs->handles_lock);
}

void zvm_handles_free_all(ZvmFs *fs)
{
	g_mutex_lock(&fs->handles_lock);
	GHashTable *handles = g_steal_pointer(&fs->handles);
	g_mutex_unlock(&fs->handles_lock);
	GHashTableIter iter;
	gpointer handle, free_func;
	g_hash_table_iter_init(&iter, handles);
	while (g_hash_table_iter_next(&iter, &handle, &free_func))
		((ZvmHandleFree)free_func)(fs, handle);
	g_hash_table_unref(handles);
	g_mutex_clear(&fs->handles_lock);
}

void zvm_reply_xattr_value(fuse_req_t req, const char *value, size_t size)
{
	if (value == NULL) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	size_t length = strlen(value);
	if (size == 0)
		fuse_reply_xattr(req, length);
	else if (size < length)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, value, length);
}

void zvm_reply_xattr_list(fuse_req_t req, const char *names, size_t length, size_t size)
{
	if (size == 0)
		fuse_reply_xattr(req, length);
	else if (size < length)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, names, length);
}
