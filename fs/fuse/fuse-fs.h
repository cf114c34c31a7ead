/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to the FUSE front end (fs/fuse-*.c): the shared filesystem state, the inode
 * numbering, open-file handles and the functions each part offers the others.
 *
 * Inode numbers are computed, never allocated: 1 the root, 2 submit/, 3 jobs/, 4 jobs/last,
 * 5 jobs/index.txt, 6 .usage (root only), 7 jobs/by-name/;
 * a job's files are (id << 24) | file, file 0 the directory, 1..7 the fixed files, 8 its link
 * in jobs/by-name/, 9 + n the output tree's node n; submit/ entries have the top bit set and a
 * sequence number. Job ids are never reused, so neither are inode numbers: only submit/ entries,
 * which live by their lookup count and open handles, need a table.
 *
 * Thread context: request handlers run on libfuse's worker threads; cache notifications
 * and deferred replies are sent from the notifier thread only (fuse-notify.c).
 */
#pragma once

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
#include <glib.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../common/config.h"
#include "../store/scheduler.h"
#include "../store/store.h"

enum {
	ZVM_INO_ROOT = FUSE_ROOT_ID,
	ZVM_INO_SUBMIT = 2,
	ZVM_INO_JOBS = 3,
	ZVM_INO_LAST = 4,
	ZVM_INO_INDEX = 5,
	ZVM_INO_USAGE = 6,
	ZVM_INO_BYNAME = 7,
};

#define ZVM_INO_JOB_SHIFT 24
#define ZVM_INO_STAGING_BIT (G_GUINT64_CONSTANT(1) << 63)

typedef enum {
	ZVM_JOB_FILE_DIR = 0,
	ZVM_JOB_FILE_STATUS = 1,
	ZVM_JOB_FILE_MANIFEST = 2,
	ZVM_JOB_FILE_REPORT = 3,
	ZVM_JOB_FILE_ACCOUNTING = 4,
	ZVM_JOB_FILE_WAIT = 5,
	ZVM_JOB_FILE_CTL = 6,
	ZVM_JOB_FILE_VERDICT = 7, /* "REJECTED - <reason>": named by the job's end */
	ZVM_JOB_FILE_LINK = 8,	  /* jobs/by-name/<id> <name> <state>: a symlink to ../<id> */
	ZVM_JOB_FILE_TREE = 9,	  /* + output tree node (>= 1) */
} ZvmJobFile;

typedef enum {
	ZVM_INO_KIND_NONE,
	ZVM_INO_KIND_FIXED,   /* root, submit, jobs, last, index.txt, .usage, by-name */
	ZVM_INO_KIND_JOB,     /* a job's directory or file */
	ZVM_INO_KIND_STAGING, /* an entry of submit/ */
} ZvmInoKind;

static inline fuse_ino_t zvm_ino_job(guint64 id, guint file)
{
	return (fuse_ino_t)((id << ZVM_INO_JOB_SHIFT) | file);
}

static inline ZvmInoKind zvm_ino_kind(fuse_ino_t ino)
{
	if (ino & ZVM_INO_STAGING_BIT)
		return ZVM_INO_KIND_STAGING;
	if (ino >= ZVM_INO_ROOT && ino <= ZVM_INO_BYNAME)
		return ZVM_INO_KIND_FIXED;
	if ((ino >> ZVM_INO_JOB_SHIFT) > 0)
		return ZVM_INO_KIND_JOB;
	return ZVM_INO_KIND_NONE;
}

static inline guint64 zvm_ino_job_id(fuse_ino_t ino)
{
	return (guint64)ino >> ZVM_INO_JOB_SHIFT;
}

static inline guint zvm_ino_job_file(fuse_ino_t ino)
{
	return (guint)(ino & ((G_GUINT64_CONSTANT(1) << ZVM_INO_JOB_SHIFT) - 1));
}

/* Cache lifetimes (seconds), per file class (reference/fuse.md §1.3). */
#define ZVM_TIMEOUT_DIR 1.0	 /* directories: listings change */
#define ZVM_TIMEOUT_LIVE 1.0	 /* files of a job that has not ended; tail -f polls */
#define ZVM_TIMEOUT_ENDED 3600.0 /* files of an ended job: immutable, deletion notified */
/* Outputs of a job that has not ended: never cached. Their size changes, and the end's
 * invalidation comes from the notifier thread, after `status` already says ended; a size
 * cached a moment before would make the first read of the final, page-cached file see an
 * empty or short file (found by tests/faults/test-load.sh). */
#define ZVM_TIMEOUT_GROWING 0.0
#define ZVM_TIMEOUT_NEGATIVE 1.0 /* .hidden, .Trash-*, .directory probes */

/* Open-file and directory handles: fi->fh points to one; kind comes first. */
typedef enum {
	ZVM_HANDLE_DIR,
	ZVM_HANDLE_FILE, /* a file on disk: manifest, outputs, report, accounting */
	ZVM_HANDLE_TEXT, /* status: rendered once per open */
	ZVM_HANDLE_WAIT,
	ZVM_HANDLE_CTL,
	ZVM_HANDLE_STAGING, /* an entry of submit/ */
} ZvmHandleKind;

typedef struct {
	char *name;
	fuse_ino_t ino;
	mode_t type; /* S_IFDIR, S_IFREG, S_IFLNK */
} ZvmDirEntry;

typedef struct {
	ZvmHandleKind kind;
	GArray *entries; /* ZvmDirEntry, "." and ".." first; a snapshot made by opendir */
} ZvmDirHandle;

typedef struct _ZvmSubmitArea ZvmSubmitArea;
typedef struct _ZvmNotifier ZvmNotifier;

typedef struct {
	struct fuse_session *session;
	ZvmStore *store;
	ZvmScheduler *scheduler;
	const ZvmConfig *config;
	ZvmSubmitArea *submit;
	ZvmNotifier *notifier;
	struct timespec mounted_at;
	GMutex handles_lock;
	GHashTable *handles; /* every open handle -> its ZvmHandleFree */
} ZvmFs;

/* Open handles are tracked so that those the kernel never released (the daemon stopped
 * before a RELEASE arrived) are freed at exit. */
typedef void (*ZvmHandleFree)(ZvmFs *fs, gpointer handle);
void zvm_handle_track(ZvmFs *fs, gpointer handle, ZvmHandleFree free_func);
void zvm_handle_untrack(ZvmFs *fs, gpointer handle);
void zvm_handles_init(ZvmFs *fs);
/* Frees every handle still open; call when no request is served any more. */
void zvm_handles_free_all(ZvmFs *fs);

/* The operations table (fuse-ops.c); the session's userdata is the ZvmFs. */
extern const struct fuse_lowlevel_ops zvm_fuse_operations;

/* The caller of a request. */
typedef struct {
	uid_t uid;
	gid_t gid;
	pid_t pid;
} ZvmCaller;

ZvmCaller zvm_fuse_caller(fuse_req_t req);
ZvmFs *zvm_fuse_fs(fuse_req_t req);
gboolean zvm_caller_may_see(const ZvmCaller *caller, uid_t owner);

/* THE mapping of store and scheduler errors to errno (STYLE.md: one place). */
int zvm_fuse_errno(const GError *error);

void zvm_timespec_from_ns(struct timespec *ts, gint64 ns);
/* Fills the parts of @st common to every inode (ino, blksize, times from @ns). */
void zvm_stat_init(struct stat *st, fuse_ino_t ino, mode_t mode, gint64 ns);
/* Adds an entry to a directory snapshot. */
void zvm_dir_add(GArray *entries, const char *name, fuse_ino_t ino, mode_t type);
ZvmDirHandle *zvm_dir_handle_new(fuse_ino_t self, fuse_ino_t parent);
void zvm_dir_handle_free(ZvmFs *fs, gpointer handle);
/* A getxattr reply for @value (NULL: ENODATA), honouring the size-probe protocol. */
void zvm_reply_xattr_value(fuse_req_t req, const char *value, size_t size);
/* A listxattr reply for the NUL-separated @names of @length bytes. */
void zvm_reply_xattr_list(fuse_req_t req, const char *names, size_t length, size_t size);

/* fuse-jobs.c: jobs/ and everything below it. */
int zvm_jobs_stat(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller, struct stat *st,
		  double *timeout);
int zvm_jobs_lookup(ZvmFs *fs, fuse_ino_t parent, const char *name, const ZvmCaller *caller,
		    struct fuse_entry_param *entry);
int zvm_jobs_opendir(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller, ZvmDirHandle **handle);
void zvm_jobs_open(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, struct fuse_file_info *fi);
void zvm_jobs_read(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, size_t size, off_t off,
		   struct fuse_file_info *fi);
void zvm_jobs_write(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, const char *buf, size_t size,
		    struct fuse_file_info *fi);
void zvm_jobs_release(ZvmFs *fs, struct fuse_file_info *fi);
void zvm_jobs_poll(fuse_req_t req, ZvmFs *fs, struct fuse_file_info *fi,
		   struct fuse_pollhandle *ph);
void zvm_jobs_readlink(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino);
int zvm_jobs_rmdir(ZvmFs *fs, fuse_ino_t parent, const char *name, const ZvmCaller *caller);
int zvm_jobs_unlink(ZvmFs *fs, fuse_ino_t parent, const char *name, const ZvmCaller *caller);
void zvm_jobs_setattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, int to_set);
void zvm_jobs_getxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, const char *name, size_t size);
void zvm_jobs_listxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, size_t size);

/* fuse-submit.c: the submit/ drop box. */
ZvmSubmitArea *zvm_submit_area_new(void);
void zvm_submit_area_free(ZvmSubmitArea *area);
int zvm_submit_stat(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller, struct stat *st);
int zvm_submit_lookup(ZvmFs *fs, const char *name, const ZvmCaller *caller,
		      struct fuse_entry_param *entry);
/* Takes one more lookup reference on a staging inode (readdirplus). */
void zvm_submit_ref(ZvmFs *fs, fuse_ino_t ino);
void zvm_submit_forget(ZvmFs *fs, fuse_ino_t ino, uint64_t count);
void zvm_submit_list(ZvmFs *fs, const ZvmCaller *caller, GArray *entries);
void zvm_submit_create(fuse_req_t req, ZvmFs *fs, const char *name, mode_t mode,
		       struct fuse_file_info *fi);
void zvm_submit_open(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, struct fuse_file_info *fi);
void zvm_submit_read(fuse_req_t req, struct fuse_file_info *fi, size_t size, off_t off);
void zvm_submit_write(fuse_req_t req, ZvmFs *fs, const char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi);
void zvm_submit_flush(fuse_req_t req, ZvmFs *fs, struct fuse_file_info *fi);
void zvm_submit_fsync(fuse_req_t req, ZvmFs *fs, struct fuse_file_info *fi);
void zvm_submit_release(ZvmFs *fs, struct fuse_file_info *fi);
void zvm_submit_setattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, struct stat *attr, int to_set,
			struct fuse_file_info *fi);
int zvm_submit_unlink(ZvmFs *fs, const char *name, const ZvmCaller *caller);
int zvm_submit_rename(ZvmFs *fs, const char *name, const char *newname, unsigned int flags,
		      const ZvmCaller *caller);
void zvm_submit_getxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, const char *name, size_t size);
void zvm_submit_listxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, size_t size);

/* fuse-notify.c: the notifier thread, and the parked reads and polls of `wait`. */
ZvmNotifier *zvm_notifier_new(ZvmFs *fs);
/* Starts the thread; notifications queued before are sent then. */
void zvm_notifier_start(ZvmNotifier *notifier);
/* Stops sending notifications (the session is going away), answers every parked read,
 * joins the thread. */
void zvm_notifier_stop(ZvmNotifier *notifier);
void zvm_notifier_free(ZvmNotifier *notifier);
/* The scheduler's listener: queues the event for the notifier thread. */
void zvm_notifier_job_event(ZvmSchedulerEvent event, guint64 id, gpointer notifier);
/* Queues notify_delete(@parent, @child, @name). */
void zvm_notifier_delete_entry(ZvmNotifier *notifier, fuse_ino_t parent, fuse_ino_t child,
			       const char *name);

typedef struct _ZvmWaitHandle ZvmWaitHandle;
ZvmWaitHandle *zvm_wait_handle_new(ZvmStoreJob *job);
void zvm_wait_handle_free(ZvmNotifier *notifier, ZvmWaitHandle *handle);
/* Answers a read of `wait` now if the job has ended, or parks it until it does; EAGAIN
 * instead of parking when @nonblocking (O_NONBLOCK). */
void zvm_wait_read(ZvmNotifier *notifier, fuse_req_t req, ZvmWaitHandle *handle, size_t size,
		   gboolean nonblocking);
void zvm_wait_poll(ZvmNotifier *notifier, fuse_req_t req, ZvmWaitHandle *handle,
		   struct fuse_pollhandle *ph);
