/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FUSE low-level operations table: decodes each request, dispatches it to the part of
 * the tree it concerns (the root, submit/ in fuse-submit.c, jobs/ in fuse-jobs.c) and
 * replies. Kept thin: no job logic lives here.
 */
#include "fuse-fs.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/statvfs.h>

static gint64 mounted_ns(ZvmFs *fs)
{
	return (gint64)fs->mounted_at.tv_sec * 1000000000 + fs->mounted_at.tv_nsec;
}

static int stat_fixed(ZvmFs *fs, fuse_ino_t ino, struct stat *st)
{
	switch (ino) {
	case ZVM_INO_ROOT:
		zvm_stat_init(st, ino, S_IFDIR | 0755, mounted_ns(fs));
		st->st_nlink = 4;
		return 0;
	case ZVM_INO_SUBMIT:
		/* Like /tmp: anyone may drop a file, nobody removes another's; a listing
		 * shows each caller only their own entries (fuse-submit.c). */
		zvm_stat_init(st, ino, S_IFDIR | 01777, mounted_ns(fs));
		return 0;
	case ZVM_INO_JOBS:
		/* Writable and sticky because rmdir needs write permission on the parent:
		 * an owner may remove their job, nobody another's. Creating anything in it
		 * is refused (EACCES) by op_create and op_mkdir. */
		zvm_stat_init(st, ino, S_IFDIR | 01777, mounted_ns(fs));
		return 0;
	default:
		return -ENOENT;
	}
}

/* Attributes of any inode as @caller sees it; @timeout is its attribute lifetime. */
static int stat_any(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller, struct stat *st,
		    double *timeout)
{
	*timeout = ZVM_TIMEOUT_DIR;
	switch (zvm_ino_kind(ino)) {
	case ZVM_INO_KIND_FIXED:
		if (ino == ZVM_INO_LAST || ino == ZVM_INO_INDEX || ino == ZVM_INO_USAGE ||
		    ino == ZVM_INO_BYNAME)
			return zvm_jobs_stat(fs, ino, caller, st, timeout);
		return stat_fixed(fs, ino, st);
	case ZVM_INO_KIND_JOB:
		return zvm_jobs_stat(fs, ino, caller, st, timeout);
	case ZVM_INO_KIND_STAGING:
		return zvm_submit_stat(fs, ino, caller, st);
	case ZVM_INO_KIND_NONE:
	default:
		return -ENOENT;
	}
}

static gboolean is_job_directory(fuse_ino_t ino)
{
	return ino == ZVM_INO_JOBS || ino == ZVM_INO_BYNAME ||
	       zvm_ino_kind(ino) == ZVM_INO_KIND_JOB;
}

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	/* Output reads are spliced from the files (zvm_jobs_read). */
	if (conn->capable & FUSE_CAP_SPLICE_WRITE)
		conn->want |= FUSE_CAP_SPLICE_WRITE;
	if (conn->capable & FUSE_CAP_SPLICE_MOVE)
		conn->want |= FUSE_CAP_SPLICE_MOVE;
	/* Every write must reach flush before close returns: no writeback caching. */
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	conn->time_gran = 1;
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	ZvmFs *fs = zvm_fuse_fs(req);
	ZvmCaller caller = zvm_fuse_caller(req);
	struct fuse_entry_param entry = {0};
	int r;
	if (parent == ZVM_INO_ROOT) {
		fuse_ino_t ino = strcmp(name, "submit") == 0 ? ZVM_INO_SUBMIT
				 : strcmp(name, "jobs") == 0 ? ZVM_INO_JOBS
							     : 0;
		entry.entry_timeout = ZVM_TIMEOUT_NEGATIVE;
		r = ino ? stat_fixed(fs, ino, &entry.attr) : -ENOENT;
		if (r == 0) {
			entry.ino = ino;
			entry.attr_timeout = entry.entry_timeout = ZVM_TIMEOUT_DIR;
		} else if (strcmp(name, ".usage") == 0) {
			/* Root's only, unlisted: there for root, missing for anyone else. */
			entry.entry_timeout = 0;
			r = zvm_jobs_stat(fs, ZVM_INO_USAGE, &caller, &entry.attr,
					  &entry.attr_timeout);
			entry.ino = r == 0 ? ZVM_INO_USAGE : 0;
		}
	} else if (parent == ZVM_INO_SUBMIT) {
		r = zvm_submit_lookup(fs, name, &caller, &entry);
	} else if (is_job_directory(parent)) {
		r = zvm_jobs_lookup(fs, parent, name, &caller, &entry);
	} else {
		r = zvm_ino_kind(parent) == ZVM_INO_KIND_NONE ? -ENOENT : -ENOTDIR;
	}
	if (r == -ENOENT && entry.entry_timeout > 0) {
		/* A negative entry, cached by the kernel for entry_timeout. */
		entry.ino = 0;
		fuse_reply_entry(req, &entry);
	} else if (r < 0) {
		fuse_reply_err(req, -r);
	} else {
		fuse_reply_entry(req, &entry);
	}
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	if (zvm_ino_kind(ino) == ZVM_INO_KIND_STAGING)
		zvm_submit_forget(zvm_fuse_fs(req), ino, nlookup);
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	ZvmFs *fs = zvm_fuse_fs(req);
	for (size_t i = 0; i < count; i++) {
		if (zvm_ino_kind(forgets[i].ino) == ZVM_INO_KIND_STAGING)
			zvm_submit_forget(fs, forgets[i].ino, forgets[i].nlookup);
	}
	fuse_reply_none(req);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	ZvmCaller caller = zvm_fuse_caller(req);
	struct stat st;
	double timeout;
	int r = stat_any(zvm_fuse_fs(req), ino, &caller, &st, &timeout);
	if (r < 0)
		fuse_reply_err(req, -r);
	else
		fuse_reply_attr(req, &st, timeout);
}

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	switch (zvm_ino_kind(ino)) {
	case ZVM_INO_KIND_STAGING:
		zvm_submit_setattr(req, zvm_fuse_fs(req), ino, attr, to_set, fi);
		return;
	case ZVM_INO_KIND_JOB:
		zvm_jobs_setattr(req, zvm_fuse_fs(req), ino, to_set);
		return;
	case ZVM_INO_KIND_FIXED:
	case ZVM_INO_KIND_NONE:
	default:
		fuse_reply_err(req, EPERM);
		return;
	}
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	if (ino == ZVM_INO_LAST ||
	    (zvm_ino_kind(ino) == ZVM_INO_KIND_JOB && zvm_ino_job_file(ino) == ZVM_JOB_FILE_LINK))
		zvm_jobs_readlink(req, zvm_fuse_fs(req), ino);
	else
		fuse_reply_err(req, EINVAL);
}

/* Nothing but regular files can be made, and only in submit/. */
static void refuse_make(fuse_req_t req, fuse_ino_t parent)
{
	fuse_reply_err(req, parent == ZVM_INO_SUBMIT ? EPERM : EACCES);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	refuse_make(req, parent);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	refuse_make(req, parent);
}

static void op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	refuse_make(req, parent);
}

static void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	refuse_make(req, newparent);
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	ZvmFs *fs = zvm_fuse_fs(req);
	ZvmCaller caller = zvm_fuse_caller(req);
	int r;
	if (parent == ZVM_INO_SUBMIT)
		r = zvm_submit_unlink(fs, name, &caller);
	else if (is_job_directory(parent))
		r = zvm_jobs_unlink(fs, parent, name, &caller);
	else
		r = -EACCES;
	fuse_reply_err(req, -r);
}

static void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	ZvmCaller caller = zvm_fuse_caller(req);
	int r;
	if (is_job_directory(parent))
		r = zvm_jobs_rmdir(zvm_fuse_fs(req), parent, name, &caller);
	else if (parent == ZVM_INO_SUBMIT)
		r = -ENOTDIR;
	else
		r = -EACCES;
	fuse_reply_err(req, -r);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
		      const char *newname, unsigned int flags)
{
	ZvmCaller caller = zvm_fuse_caller(req);
	int r;
	if (parent != newparent)
		r = -EXDEV; /* mv falls back to copy and unlink */
	else if (parent == ZVM_INO_SUBMIT)
		r = zvm_submit_rename(zvm_fuse_fs(req), name, newname, flags, &caller);
	else
		r = -EACCES;
	fuse_reply_err(req, -r);
}

static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      struct fuse_file_info *fi)
{
	if (parent == ZVM_INO_SUBMIT)
		zvm_submit_create(req, zvm_fuse_fs(req), name, mode, fi);
	else
		fuse_reply_err(req, EACCES);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	switch (zvm_ino_kind(ino)) {
	case ZVM_INO_KIND_STAGING:
		zvm_submit_open(req, zvm_fuse_fs(req), ino, fi);
		return;
	case ZVM_INO_KIND_JOB:
		zvm_jobs_open(req, zvm_fuse_fs(req), ino, fi);
		return;
	case ZVM_INO_KIND_FIXED:
		if (ino == ZVM_INO_INDEX || ino == ZVM_INO_USAGE)
			zvm_jobs_open(req, zvm_fuse_fs(req), ino, fi);
		else
			fuse_reply_err(req, EISDIR);
		return;
	case ZVM_INO_KIND_NONE:
	default:
		fuse_reply_err(req, ENOENT);
		return;
	}
}

static ZvmHandleKind handle_kind(struct fuse_file_info *fi)
{
	return *(ZvmHandleKind *)(uintptr_t)fi->fh;
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	if (handle_kind(fi) == ZVM_HANDLE_STAGING)
		zvm_submit_read(req, fi, size, off);
	else
		zvm_jobs_read(req, zvm_fuse_fs(req), ino, size, off, fi);
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	switch (handle_kind(fi)) {
	case ZVM_HANDLE_STAGING:
		zvm_submit_write(req, zvm_fuse_fs(req), buf, size, off, fi);
		return;
	case ZVM_HANDLE_CTL:
		zvm_jobs_write(req, zvm_fuse_fs(req), ino, buf, size, fi);
		return;
	case ZVM_HANDLE_DIR:
	case ZVM_HANDLE_FILE:
	case ZVM_HANDLE_TEXT:
	case ZVM_HANDLE_WAIT:
	default:
		fuse_reply_err(req, EBADF);
		return;
	}
}

static void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (handle_kind(fi) == ZVM_HANDLE_STAGING)
		zvm_submit_flush(req, zvm_fuse_fs(req), fi);
	else
		fuse_reply_err(req, 0);
}

static void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	if (handle_kind(fi) == ZVM_HANDLE_STAGING)
		zvm_submit_fsync(req, zvm_fuse_fs(req), fi);
	else
		fuse_reply_err(req, 0);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (handle_kind(fi) == ZVM_HANDLE_STAGING)
		zvm_submit_release(zvm_fuse_fs(req), fi);
	else
		zvm_jobs_release(zvm_fuse_fs(req), fi);
	fuse_reply_err(req, 0);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	ZvmFs *fs = zvm_fuse_fs(req);
	ZvmCaller caller = zvm_fuse_caller(req);
	ZvmDirHandle *handle = NULL;
	int r = 0;
	if (ino == ZVM_INO_ROOT) {
		handle = zvm_dir_handle_new(ZVM_INO_ROOT, ZVM_INO_ROOT);
		zvm_dir_add(handle->entries, "submit", ZVM_INO_SUBMIT, S_IFDIR);
		zvm_dir_add(handle->entries, "jobs", ZVM_INO_JOBS, S_IFDIR);
	} else if (ino == ZVM_INO_SUBMIT) {
		handle = zvm_dir_handle_new(ZVM_INO_SUBMIT, ZVM_INO_ROOT);
		zvm_submit_list(fs, &caller, handle->entries);
	} else if (is_job_directory(ino)) {
		r = zvm_jobs_opendir(fs, ino, &caller, &handle);
	} else {
		r = zvm_ino_kind(ino) == ZVM_INO_KIND_NONE ? -ENOENT : -ENOTDIR;
	}
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	fi->fh = (uintptr_t)handle;
	zvm_handle_track(fs, handle, zvm_dir_handle_free);
	if (fuse_reply_open(req, fi) != 0) {
		zvm_handle_untrack(fs, handle);
		zvm_dir_handle_free(fs, handle);
	}
}

static void do_readdir(fuse_req_t req, size_t size, off_t off, struct fuse_file_info *fi,
		       gboolean plus)
{
	ZvmFs *fs = zvm_fuse_fs(req);
	ZvmCaller caller = zvm_fuse_caller(req);
	ZvmDirHandle *handle = (ZvmDirHandle *)(uintptr_t)fi->fh;
	g_autofree char *buffer = g_malloc(size);
	size_t used = 0;
	for (guint i = (guint)MAX(off, 0); i < handle->entries->len; i++) {
		ZvmDirEntry *e = &g_array_index(handle->entries, ZvmDirEntry, i);
		size_t need;
		if (plus) {
			gboolean dot = strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0;
			struct fuse_entry_param entry = {.ino = e->ino};
			double timeout;
			if (stat_any(fs, e->ino, &caller, &entry.attr, &timeout) < 0) {
				if (!dot)
					continue; /* gone since opendir */
				zvm_stat_init(&entry.attr, e->ino, S_IFDIR | 0755, 0);
				timeout = 0;
			}
			entry.attr_timeout = entry.entry_timeout = timeout;
			/* Names in submit/, jobs/ and jobs/by-name/ are never cached: who sees
			 * them depends on who looks (fuse-submit.c, fuse-jobs.c). */
			if (zvm_ino_kind(e->ino) == ZVM_INO_KIND_STAGING ||
			    e->ino == ZVM_INO_BYNAME ||
			    (zvm_ino_kind(e->ino) == ZVM_INO_KIND_JOB &&
			     (zvm_ino_job_file(e->ino) == ZVM_JOB_FILE_DIR ||
			      zvm_ino_job_file(e->ino) == ZVM_JOB_FILE_LINK)))
				entry.entry_timeout = 0;
			need = fuse_add_direntry_plus(req, buffer + used, size - used, e->name,
						      &entry, (off_t)i + 1);
			if (need > size - used)
				break;
			if (!dot && zvm_ino_kind(e->ino) == ZVM_INO_KIND_STAGING)
				zvm_submit_ref(fs, e->ino);
		} else {
			struct stat st = {.st_ino = e->ino, .st_mode = e->type};
			need = fuse_add_direntry(req, buffer + used, size - used, e->name, &st,
						 (off_t)i + 1);
			if (need > size - used)
				break;
		}
		used += need;
	}
	fuse_reply_buf(req, buffer, used);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	do_readdir(req, size, off, fi, FALSE);
}

static void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	do_readdir(req, size, off, fi, TRUE);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	ZvmDirHandle *handle = (ZvmDirHandle *)(uintptr_t)fi->fh;
	zvm_handle_untrack(zvm_fuse_fs(req), handle);
	zvm_dir_handle_free(zvm_fuse_fs(req), handle);
	fuse_reply_err(req, 0);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	ZvmFs *fs = zvm_fuse_fs(req);
	struct statvfs st;
	if (statvfs(zvm_store_get_state_dir(fs->store), &st) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	st.f_namemax = 255;
	fuse_reply_statfs(req, &st);
}

static void op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			size_t size, int flags)
{
	fuse_reply_err(req, ENOTSUP);
}

static void op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	fuse_reply_err(req, ENOTSUP);
}

static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	switch (zvm_ino_kind(ino)) {
	case ZVM_INO_KIND_STAGING:
		zvm_submit_getxattr(req, zvm_fuse_fs(req), ino, name, size);
		return;
	case ZVM_INO_KIND_JOB:
		zvm_jobs_getxattr(req, zvm_fuse_fs(req), ino, name, size);
		return;
	case ZVM_INO_KIND_FIXED:
	case ZVM_INO_KIND_NONE:
	default:
		fuse_reply_err(req, ENODATA);
		return;
	}
}

static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	switch (zvm_ino_kind(ino)) {
	case ZVM_INO_KIND_STAGING:
		zvm_submit_listxattr(req, zvm_fuse_fs(req), ino, size);
		return;
	case ZVM_INO_KIND_JOB:
		zvm_jobs_listxattr(req, zvm_fuse_fs(req), ino, size);
		return;
	case ZVM_INO_KIND_FIXED:
	case ZVM_INO_KIND_NONE:
	default:
		zvm_reply_xattr_list(req, "", 0, size);
		return;
	}
}

static void op_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	if (handle_kind(fi) == ZVM_HANDLE_WAIT) {
		zvm_jobs_poll(req, zvm_fuse_fs(req), fi, ph);
		return;
	}
	/* Everything else is always ready, as regular files are. */
	if (ph)
		fuse_pollhandle_destroy(ph);
	fuse_reply_poll(req, POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

const struct fuse_lowlevel_ops zvm_fuse_operations = {
    .init = op_init,
    .lookup = op_lookup,
    .forget = op_forget,
    .forget_multi = op_forget_multi,
    .getattr = op_getattr,
    .setattr = op_setattr,
    .readlink = op_readlink,
    .mknod = op_mknod,
    .mkdir = op_mkdir,
    .symlink = op_symlink,
    .link = op_link,
    .unlink = op_unlink,
    .rmdir = op_rmdir,
    .rename = op_rename,
    .create = op_create,
    .open = op_open,
    .read = op_read,
    .write = op_write,
    .flush = op_flush,
    .fsync = op_fsync,
    .release = op_release,
    .opendir = op_opendir,
    .readdir = op_readdir,
    .readdirplus = op_readdirplus,
    .releasedir = op_releasedir,
    .statfs = op_statfs,
    .setxattr = op_setxattr,
    .getxattr = op_getxattr,
    .listxattr = op_listxattr,
    .removexattr = op_removexattr,
    .poll = op_poll,
};
