/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobs/: one directory per job (0700, owned by its submitter) with status, manifest, wait,
 * ctl, the outputs at their paths, and report and accounting once it has ended; plus the
 * per-caller symlink `last`, index `index.txt` (a line per job: id, state, exit, name and
 * why it was refused or failed) and directory `by-name/` (a symlink per job, named by its id,
 * submitted name, state and exit, to ../ID), so that a listing or a file manager shows them
 * at a glance while jobs/ID stays the stable path for scripts. Every
 * attribute comes from the store's in-memory index; opening an output opens its file on disk,
 * nothing more.
 *
 * Another user's job does not exist for a caller (root excepted): every request that names a
 * job by inode or by id finds it through visible_job(), and answers ENOENT, never EACCES,
 * which would tell that the id is taken.
 *
 * Removal as on any filesystem: the owner's unlink of a file (or rmdir of an emptied output
 * directory) removes it from the job's view for good, freeing an ended job's output bytes;
 * a job that has not ended is stopped first, since its files are its run. rmdir of a job
 * directory fails with ENOTEMPTY while status, manifest, ctl or an output is left, and
 * deletes the job once they are gone (`rm -r jobs/ID`). report, accounting and wait, which
 * come and go with the job's state, do not keep it from being removed.
 */
#include "fuse-fs.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	ZvmHandleKind kind;
	int fd;	    /* -1: the output does not exist yet (the job has not started) */
	char *path; /* set while fd is -1: opened at the first read that finds it */
} FileHandle;

typedef struct {
	ZvmHandleKind kind;
	char *text;
	size_t length;
} TextHandle;

typedef struct {
	ZvmHandleKind kind;
	guint64 id;
	uid_t owner;
} CtlHandle;

typedef struct {
	ZvmHandleKind kind;
	ZvmWaitHandle *wait;
} WaitFileHandle;

static void handle_free(ZvmFs *fs, gpointer handle);

static const struct {
	const char *name;
	ZvmJobFile file;
} fixed_files[] = {
    {"status", ZVM_JOB_FILE_STATUS}, {"manifest", ZVM_JOB_FILE_MANIFEST},
    {"report", ZVM_JOB_FILE_REPORT}, {"accounting", ZVM_JOB_FILE_ACCOUNTING},
    {"wait", ZVM_JOB_FILE_WAIT},     {"ctl", ZVM_JOB_FILE_CTL},
};

static gboolean is_fixed_name(const char *name, ZvmJobFile *file)
{
	for (guint i = 0; i < G_N_ELEMENTS(fixed_files); i++) {
		if (strcmp(name, fixed_files[i].name) == 0) {
			if (file)
				*file = fixed_files[i].file;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean parse_job_id(const char *name, guint64 *id)
{
	return name[0] >= '1' && name[0] <= '9' &&
	       g_ascii_string_to_unsigned(name, 10, 1, G_MAXUINT64 >> ZVM_INO_JOB_SHIFT, id, NULL);
}

/* The output tree node of a job inode, or FALSE for a fixed file. */
static gboolean tree_node_of(guint file, guint *node)
{
	if (file == ZVM_JOB_FILE_DIR) {
		*node = ZVM_OUTPUT_TREE_ROOT;
		return TRUE;
	}
	if (file <= ZVM_JOB_FILE_TREE)
		return FALSE;
	*node = file - ZVM_JOB_FILE_TREE;
	return TRUE;
}

static fuse_ino_t tree_ino(guint64 id, guint node)
{
	return zvm_ino_job(id, node == ZVM_OUTPUT_TREE_ROOT ? ZVM_JOB_FILE_DIR
							    : ZVM_JOB_FILE_TREE + node);
}

/* The name job file @file has in the job's directory ("status", "out/x"); NULL for the
 * job directory itself or a file the job does not have. */
static const char *entry_name(ZvmStoreJob *job, guint file)
{
	if (file == ZVM_JOB_FILE_VERDICT)
		return "verdict"; /* its name changes with the job; removed, it stays removed */
	for (guint i = 0; i < G_N_ELEMENTS(fixed_files); i++)
		if (fixed_files[i].file == file)
			return fixed_files[i].name;
	guint number;
	if (!tree_node_of(file, &number) || number == ZVM_OUTPUT_TREE_ROOT)
		return NULL;
	const ZvmOutputNode *node = zvm_output_tree_node(zvm_store_job_get_outputs(job), number);
	return node ? node->path : NULL;
}

static gboolean file_removed(ZvmStoreJob *job, guint file)
{
	const char *name = entry_name(job, file);
	return name && zvm_store_job_entry_removed(job, name);
}

static guint subdir_count(const ZvmOutputTree *tree, const ZvmOutputNode *dir)
{
	guint count = 0;
	for (guint i = 0; i < dir->children->len; i++)
		count += zvm_output_tree_node(tree, g_array_index(dir->children, guint, i))->is_dir;
	return count;
}

/* Job @id if @caller may see it, else NULL as for a job that does not exist. */
static ZvmStoreJob *visible_job(ZvmFs *fs, guint64 id, const ZvmCaller *caller)
{
	ZvmStoreJob *job = zvm_store_lookup(fs->store, id);
	if (job == NULL)
		return NULL;
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	if (zvm_caller_may_see(caller, info.uid))
		return job;
	zvm_store_job_unref(job);
	return NULL;
}

/* ZVM_INO_LAST as @caller sees it: the caller's newest job. */
static int stat_last(ZvmFs *fs, const ZvmCaller *caller, struct stat *st, double *timeout)
{
	guint64 newest = zvm_store_newest(fs->store, caller->uid);
	if (newest == 0)
		return -ENOENT;
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(fs->store, newest);
	ZvmJobInfo info = {0};
	if (job)
		zvm_store_job_get_info(job, &info);
	char target[32];
	zvm_stat_init(st, ZVM_INO_LAST, S_IFLNK | 0777, info.submitted_ns);
	st->st_size = g_snprintf(target, sizeof(target), "%" G_GUINT64_FORMAT, newest);
	st->st_uid = caller->uid;
	st->st_gid = caller->gid;
	*timeout = 0; /* it differs per caller */
	return 0;
}

/* jobs/index.txt as @caller sees it: a line per job the caller may see, rendered now. */
static char *render_index(ZvmFs *fs, const ZvmCaller *caller)
{
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "%-8s %-9s %-8s %s\n", "ID", "STATE", "EXIT", "NAME  REASON");
	g_autoptr(GArray) ids = zvm_store_list(fs->store, caller->uid == 0, caller->uid);
	for (guint i = 0; i < ids->len; i++) {
		g_autoptr(ZvmStoreJob) job =
		    zvm_store_lookup(fs->store, g_array_index(ids, guint64, i));
		if (job == NULL)
			continue;
		g_autofree char *line = zvm_store_job_render_index_line(job);
		g_string_append(out, line);
	}
	return g_string_free(out, FALSE);
}

/* The last state change of the jobs @caller may see: the time of index.txt and by-name/, so
 * that they hold still while nothing changes (tar says "file changed as we read it" of a
 * file whose times move under it). */
static gint64 last_change(ZvmFs *fs, const ZvmCaller *caller)
{
	gint64 last = 0;
	g_autoptr(GArray) ids = zvm_store_list(fs->store, caller->uid == 0, caller->uid);
	for (guint i = 0; i < ids->len; i++) {
		g_autoptr(ZvmStoreJob) job =
		    zvm_store_lookup(fs->store, g_array_index(ids, guint64, i));
		if (job == NULL)
			continue;
		ZvmJobInfo info;
		zvm_store_job_get_info(job, &info);
		last = MAX(last, info.changed_ns);
	}
	return last;
}

static int stat_index(ZvmFs *fs, const ZvmCaller *caller, struct stat *st, double *timeout)
{
	if (zvm_store_newest(fs->store, caller->uid) == 0)
		return -ENOENT;
	g_autofree char *text = render_index(fs, caller);
	zvm_stat_init(st, ZVM_INO_INDEX, S_IFREG | 0444, last_change(fs, caller));
	st->st_size = (off_t)strlen(text);
	st->st_uid = caller->uid;
	st->st_gid = caller->gid;
	*timeout = 0; /* it differs per caller */
	return 0;
}

/* jobs/by-name/ as @caller sees it: there while the caller has a job, like index.txt. */
static int stat_byname(ZvmFs *fs, const ZvmCaller *caller, struct stat *st, double *timeout)
{
	if (zvm_store_newest(fs->store, caller->uid) == 0)
		return -ENOENT;
	zvm_stat_init(st, ZVM_INO_BYNAME, S_IFDIR | 0555, last_change(fs, caller));
	st->st_uid = caller->uid;
	st->st_gid = caller->gid;
	*timeout = 0; /* it differs per caller */
	return 0;
}

/* The target of a job's link in by-name/. */
static int link_target(guint64 id, char *target, size_t size)
{
	return g_snprintf(target, size, "../%" G_GUINT64_FORMAT, id);
}

/* /.usage: one line per user who has a job (or compiled in this window), rendered now
 * (docs/operations.md). */
static char *render_usage(ZvmFs *fs)
{
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "%-16s %10s %6s %6s %7s %6s %8s %14s %15s\n", "USER", "UID",
			       "KEPT", "QUEUED", "RUNNING", "ENDED", "REJECTED", "OUTPUT_BYTES",
			       "COMPILE_SECONDS");
	g_autoptr(GArray) usage = zvm_scheduler_get_usage(fs->scheduler);
	for (guint i = 0; i < usage->len; i++) {
		const ZvmUsage *u = &g_array_index(usage, ZvmUsage, i);
		g_autofree char *name = zvm_user_name(u->uid);
		g_autofree char *shown = name ? zvm_text_escape(name) : g_strdup("-");
		g_string_append_printf(
		    out, "%-16s %10u %6u %6u %7u %6u %8u %14" G_GUINT64_FORMAT " %15.1f\n", shown,
		    (unsigned)u->uid, u->kept, u->queued, u->running, u->ended, u->rejected,
		    (guint64)u->output_bytes, u->compile_seconds);
	}
	return g_string_free(out, FALSE);
}

/* /.usage is root's: mode 0400, and missing for anyone else. */
static int stat_usage(ZvmFs *fs, const ZvmCaller *caller, struct stat *st, double *timeout)
{
	if (caller->uid != 0)
		return -ENOENT;
	g_autofree char *text = render_usage(fs);
	zvm_stat_init(st, ZVM_INO_USAGE, S_IFREG | 0400, g_get_real_time() * 1000);
	st->st_size = (off_t)strlen(text);
	*timeout = 0;
	return 0;
}

/*
 * The size and mtime of a running job's output as its file has them now. Reads of it go to
 * the file (direct I/O), so a size from the store's index, refreshed by the watcher a moment
 * ago, could be smaller than what a reader already read: tail -f then says "file truncated"
 * and prints the file again. Left as they are when the file is not there yet.
 */
static void live_output_stat(ZvmStoreJob *job, const ZvmOutputNode *node, uint64_t *size,
			     gint64 *mtime_ns)
{
	g_autofree char *relative = g_build_filename("out", node->path, NULL);
	g_autofree char *path = zvm_store_job_path(job, relative);
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	*size = (uint64_t)st.st_size;
	*mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

int zvm_jobs_stat(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller, struct stat *st,
		  double *timeout)
{
	if (ino == ZVM_INO_USAGE)
		return stat_usage(fs, caller, st, timeout);
	if (ino == ZVM_INO_LAST)
		return stat_last(fs, caller, st, timeout);
	if (ino == ZVM_INO_INDEX)
		return stat_index(fs, caller, st, timeout);
	if (ino == ZVM_INO_BYNAME)
		return stat_byname(fs, caller, st, timeout);
	g_autoptr(ZvmStoreJob) job = visible_job(fs, zvm_ino_job_id(ino), caller);
	if (job == NULL)
		return -ENOENT;
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	gboolean ended = zvm_job_state_is_ended(info.state);
	guint file = zvm_ino_job_file(ino);
	if (file_removed(job, file))
		return -ENOENT;
	*timeout = ended ? ZVM_TIMEOUT_ENDED : ZVM_TIMEOUT_LIVE;
	uint64_t size = 0;
	switch (file) {
	case ZVM_JOB_FILE_STATUS: {
		g_autofree char *status = zvm_store_job_render_status(job);
		zvm_stat_init(st, ino, S_IFREG | 0444, info.changed_ns);
		size = strlen(status);
		*timeout = ZVM_TIMEOUT_LIVE;
		break;
	}
	case ZVM_JOB_FILE_MANIFEST:
		zvm_stat_init(st, ino, S_IFREG | 0444, info.submitted_ns);
		size = info.manifest_size;
		break;
	case ZVM_JOB_FILE_REPORT:
	case ZVM_JOB_FILE_ACCOUNTING:
		if (!ended)
			return -ENOENT;
		zvm_stat_init(st, ino, S_IFREG | 0444, info.ended_ns);
		size = file == ZVM_JOB_FILE_REPORT ? info.report_size : info.accounting_size;
		break;
	case ZVM_JOB_FILE_WAIT:
		zvm_stat_init(st, ino, S_IFREG | 0444, info.changed_ns);
		*timeout = ZVM_TIMEOUT_LIVE;
		break;
	case ZVM_JOB_FILE_CTL:
		/* Readable (empty) so that tar and cp -r of a job directory succeed. */
		zvm_stat_init(st, ino, S_IFREG | 0600, info.submitted_ns);
		break;
	case ZVM_JOB_FILE_VERDICT: {
		g_autofree char *verdict = zvm_store_job_verdict(job);
		if (verdict == NULL)
			return -ENOENT;
		zvm_stat_init(st, ino, S_IFREG | 0444, info.ended_ns);
		size = strlen(verdict) + 1;
		break;
	}
	case ZVM_JOB_FILE_LINK: {
		char target[40];
		zvm_stat_init(st, ino, S_IFLNK | 0777, info.changed_ns);
		size = (uint64_t)link_target(info.id, target, sizeof(target));
		st->st_blocks = 0;
		st->st_size = (off_t)size;
		st->st_uid = info.uid;
		st->st_gid = info.gid;
		return 0;
	}
	default: {
		guint number;
		const ZvmOutputTree *tree = zvm_store_job_get_outputs(job);
		const ZvmOutputNode *node =
		    tree_node_of(file, &number) ? zvm_output_tree_node(tree, number) : NULL;
		if (node == NULL)
			return -ENOENT;
		if (node->is_dir) {
			zvm_stat_init(st, ino, S_IFDIR | (number == 0 ? 0700 : 0755),
				      info.changed_ns);
			st->st_nlink = 2 + subdir_count(tree, node);
			break;
		}
		gint64 mtime;
		zvm_store_job_get_output_stat(job, (guint)node->output, &size, &mtime);
		if (!ended) {
			live_output_stat(job, node, &size, &mtime);
			*timeout = ZVM_TIMEOUT_GROWING;
		}
		zvm_stat_init(st, ino, S_IFREG | 0444, mtime);
		break;
	}
	}
	st->st_size = (off_t)size;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_uid = info.uid;
	st->st_gid = info.gid;
	return 0;
}

static int entry_for(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller,
		     struct fuse_entry_param *entry)
{
	double timeout;
	int r = zvm_jobs_stat(fs, ino, caller, &entry->attr, &timeout);
	if (r == 0) {
		entry->ino = ino;
		entry->attr_timeout = entry->entry_timeout = timeout;
	}
	return r;
}

/* A name in by-name/: the link of the job its leading id names, if that is the name the job
 * has now. Never cached, found or not: names there change with the state and differ per
 * caller, and the kernel's name cache is shared by all users. */
static int lookup_link(ZvmFs *fs, const char *name, const ZvmCaller *caller,
		       struct fuse_entry_param *entry)
{
	entry->entry_timeout = 0;
	size_t digits = strspn(name, "0123456789");
	g_autofree char *leading = g_strndup(name, digits);
	guint64 id;
	if (name[digits] != ' ' || !parse_job_id(leading, &id))
		return -ENOENT;
	g_autoptr(ZvmStoreJob) job = visible_job(fs, id, caller);
	if (job == NULL)
		return -ENOENT;
	g_autofree char *now = zvm_store_job_link_name(job);
	if (strcmp(name, now) != 0)
		return -ENOENT;
	int r = entry_for(fs, zvm_ino_job(id, ZVM_JOB_FILE_LINK), caller, entry);
	entry->entry_timeout = 0;
	return r;
}

int zvm_jobs_lookup(ZvmFs *fs, fuse_ino_t parent, const char *name, const ZvmCaller *caller,
		    struct fuse_entry_param *entry)
{
	guint64 id;
	/* Names that may appear any moment (a new job, a report) are never cached as
	 * missing; probes for anything else (.hidden, .Trash-1000) are, for a second. */
	entry->entry_timeout = 0;
	if (parent == ZVM_INO_JOBS) {
		if (strcmp(name, "last") == 0)
			return entry_for(fs, ZVM_INO_LAST, caller, entry);
		if (strcmp(name, "index.txt") == 0)
			return entry_for(fs, ZVM_INO_INDEX, caller, entry);
		if (strcmp(name, "by-name") == 0)
			return entry_for(fs, ZVM_INO_BYNAME, caller, entry);
		if (parse_job_id(name, &id)) {
			/* The kernel's name cache is shared by all users: a job's name cached for
			 * its owner (or root) would let anyone else stat it, so every path walk
			 * through jobs/ID asks again, as who the walker is. */
			int r = entry_for(fs, zvm_ino_job(id, ZVM_JOB_FILE_DIR), caller, entry);
			entry->entry_timeout = 0;
			return r;
		}
		entry->entry_timeout = ZVM_TIMEOUT_NEGATIVE;
		return -ENOENT;
	}
	if (parent == ZVM_INO_BYNAME)
		return lookup_link(fs, name, caller, entry);
	id = zvm_ino_job_id(parent);
	guint file = zvm_ino_job_file(parent), number, child;
	if (!tree_node_of(file, &number))
		return -ENOTDIR;
	g_autoptr(ZvmStoreJob) job = visible_job(fs, id, caller);
	if (job == NULL)
		return -ENOENT;
	ZvmJobFile fixed;
	if (number == ZVM_OUTPUT_TREE_ROOT && is_fixed_name(name, &fixed))
		return entry_for(fs, zvm_ino_job(id, fixed), caller, entry);
	if (number == ZVM_OUTPUT_TREE_ROOT) {
		g_autofree char *verdict = zvm_store_job_verdict_name(job);
		if (verdict && strcmp(name, verdict) == 0)
			return entry_for(fs, zvm_ino_job(id, ZVM_JOB_FILE_VERDICT), caller, entry);
	}
	const ZvmOutputTree *tree = zvm_store_job_get_outputs(job);
	const ZvmOutputNode *dir = zvm_output_tree_node(tree, number);
	if (dir == NULL)
		return -ENOENT;
	if (!dir->is_dir)
		return -ENOTDIR;
	if (zvm_output_tree_lookup(tree, number, name, &child))
		return entry_for(fs, tree_ino(id, child), caller, entry);
	entry->entry_timeout = ZVM_TIMEOUT_NEGATIVE;
	return -ENOENT;
}

int zvm_jobs_opendir(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller, ZvmDirHandle **handle)
{
	if (ino == ZVM_INO_JOBS) {
		*handle = zvm_dir_handle_new(ZVM_INO_JOBS, ZVM_INO_ROOT);
		if (zvm_store_newest(fs->store, caller->uid)) {
			zvm_dir_add((*handle)->entries, "index.txt", ZVM_INO_INDEX, S_IFREG);
			zvm_dir_add((*handle)->entries, "last", ZVM_INO_LAST, S_IFLNK);
			zvm_dir_add((*handle)->entries, "by-name", ZVM_INO_BYNAME, S_IFDIR);
		}
		g_autoptr(GArray) ids = zvm_store_list(fs->store, caller->uid == 0, caller->uid);
		for (guint i = 0; i < ids->len; i++) {
			guint64 id = g_array_index(ids, guint64, i);
			char name[32];
			g_snprintf(name, sizeof(name), "%" G_GUINT64_FORMAT, id);
			zvm_dir_add((*handle)->entries, name, zvm_ino_job(id, 0), S_IFDIR);
		}
		return 0;
	}
	if (ino == ZVM_INO_BYNAME) {
		if (zvm_store_newest(fs->store, caller->uid) == 0)
			return -ENOENT;
		*handle = zvm_dir_handle_new(ZVM_INO_BYNAME, ZVM_INO_JOBS);
		g_autoptr(GArray) ids = zvm_store_list(fs->store, caller->uid == 0, caller->uid);
		for (guint i = 0; i < ids->len; i++) {
			guint64 id = g_array_index(ids, guint64, i);
			g_autoptr(ZvmStoreJob) job = zvm_store_lookup(fs->store, id);
			if (job == NULL)
				continue; /* removed meanwhile */
			g_autofree char *name = zvm_store_job_link_name(job);
			zvm_dir_add((*handle)->entries, name, zvm_ino_job(id, ZVM_JOB_FILE_LINK),
				    S_IFLNK);
		}
		return 0;
	}
	guint64 id = zvm_ino_job_id(ino);
	guint number;
	if (!tree_node_of(zvm_ino_job_file(ino), &number))
		return -ENOTDIR;
	g_autoptr(ZvmStoreJob) job = visible_job(fs, id, caller);
	if (job == NULL)
		return -ENOENT;
	const ZvmOutputTree *tree = zvm_store_job_get_outputs(job);
	const ZvmOutputNode *dir = zvm_output_tree_node(tree, number);
	if (dir == NULL)
		return -ENOENT;
	if (!dir->is_dir)
		return -ENOTDIR;
	fuse_ino_t parent =
	    number == ZVM_OUTPUT_TREE_ROOT ? ZVM_INO_JOBS : tree_ino(id, dir->parent);
	*handle = zvm_dir_handle_new(ino, parent);
	if (number == ZVM_OUTPUT_TREE_ROOT) {
		ZvmJobInfo info;
		zvm_store_job_get_info(job, &info);
		for (guint i = 0; i < G_N_ELEMENTS(fixed_files); i++) {
			ZvmJobFile file = fixed_files[i].file;
			if (!zvm_job_state_is_ended(info.state) &&
			    (file == ZVM_JOB_FILE_REPORT || file == ZVM_JOB_FILE_ACCOUNTING))
				continue;
			/* Opened by name only: a reader walking the tree (cp -r, tar, grep -r,
			 * a file manager's preview) never meets a file whose read blocks. */
			if (file == ZVM_JOB_FILE_WAIT || file_removed(job, file))
				continue;
			zvm_dir_add((*handle)->entries, fixed_files[i].name, zvm_ino_job(id, file),
				    S_IFREG);
		}
		g_autofree char *verdict = zvm_store_job_verdict_name(job);
		if (verdict && !file_removed(job, ZVM_JOB_FILE_VERDICT))
			zvm_dir_add((*handle)->entries, verdict,
				    zvm_ino_job(id, ZVM_JOB_FILE_VERDICT), S_IFREG);
	}
	for (guint i = 0; i < dir->children->len; i++) {
		guint child = g_array_index(dir->children, guint, i);
		const ZvmOutputNode *node = zvm_output_tree_node(tree, child);
		if ((number == ZVM_OUTPUT_TREE_ROOT && is_fixed_name(node->name, NULL)) ||
		    zvm_store_job_entry_removed(job, node->path))
			continue;
		zvm_dir_add((*handle)->entries, node->name, tree_ino(id, child),
			    node->is_dir ? S_IFDIR : S_IFREG);
	}
	return 0;
}

static int open_disk_file(ZvmStoreJob *job, const char *relative, gboolean missing_ok,
			  FileHandle **handle)
{
	g_autofree char *path = zvm_store_job_path(job, relative);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && !(missing_ok && errno == ENOENT))
		return -errno;
	*handle = g_new0(FileHandle, 1);
	(*handle)->kind = ZVM_HANDLE_FILE;
	(*handle)->fd = fd;
	if (fd < 0)
		(*handle)->path = g_steal_pointer(&path);
	return 0;
}

void zvm_jobs_open(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, struct fuse_file_info *fi)
{
	ZvmCaller caller = zvm_fuse_caller(req);
	if (ino == ZVM_INO_INDEX || ino == ZVM_INO_USAGE) {
		if (ino == ZVM_INO_USAGE && caller.uid != 0) {
			fuse_reply_err(req, ENOENT);
			return;
		}
		if ((fi->flags & O_ACCMODE) != O_RDONLY) {
			fuse_reply_err(req, EACCES);
			return;
		}
		TextHandle *text = g_new0(TextHandle, 1);
		text->kind = ZVM_HANDLE_TEXT;
		text->text = ino == ZVM_INO_USAGE ? render_usage(fs) : render_index(fs, &caller);
		text->length = strlen(text->text);
		fi->direct_io = 1;
		fi->fh = (uintptr_t)text;
		zvm_handle_track(fs, text, handle_free);
		if (fuse_reply_open(req, fi) != 0)
			zvm_jobs_release(fs, fi);
		return;
	}
	g_autoptr(ZvmStoreJob) job = visible_job(fs, zvm_ino_job_id(ino), &caller);
	if (job == NULL) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	gboolean ended = zvm_job_state_is_ended(info.state);
	gboolean writable = (fi->flags & O_ACCMODE) != O_RDONLY;
	guint file = zvm_ino_job_file(ino), number;
	/* default_permissions lets root through the modes; results stay read-only. */
	if (writable && file != ZVM_JOB_FILE_CTL) {
		fuse_reply_err(req, EACCES);
		return;
	}
	gpointer handle = NULL;
	int r = 0;
	switch (file) {
	case ZVM_JOB_FILE_DIR:
		r = -EISDIR;
		break;
	case ZVM_JOB_FILE_VERDICT:
	case ZVM_JOB_FILE_STATUS: {
		g_autofree char *verdict =
		    file == ZVM_JOB_FILE_VERDICT ? zvm_store_job_verdict(job) : NULL;
		if (file == ZVM_JOB_FILE_VERDICT && verdict == NULL) {
			r = -ENOENT;
			break;
		}
		TextHandle *text = g_new0(TextHandle, 1);
		text->kind = ZVM_HANDLE_TEXT;
		text->text =
		    verdict ? g_strconcat(verdict, "\n", NULL) : zvm_store_job_render_status(job);
		text->length = strlen(text->text);
		handle = text;
		fi->direct_io = 1;
		break;
	}
	case ZVM_JOB_FILE_MANIFEST:
		r = open_disk_file(job, zvm_store_job_manifest_name(job), TRUE,
				   (FileHandle **)&handle);
		fi->keep_cache = 1;
		break;
	case ZVM_JOB_FILE_REPORT:
	case ZVM_JOB_FILE_ACCOUNTING:
		if (!ended)
			r = -ENOENT;
		else
			r = open_disk_file(job,
					   file == ZVM_JOB_FILE_REPORT ? "report" : "accounting",
					   FALSE, (FileHandle **)&handle);
		fi->keep_cache = 1;
		break;
	case ZVM_JOB_FILE_WAIT: {
		WaitFileHandle *wait = g_new0(WaitFileHandle, 1);
		wait->kind = ZVM_HANDLE_WAIT;
		wait->wait = zvm_wait_handle_new(job);
		handle = wait;
		fi->direct_io = 1;
		fi->nonseekable = 1;
		break;
	}
	case ZVM_JOB_FILE_CTL: {
		CtlHandle *ctl = g_new0(CtlHandle, 1);
		ctl->kind = ZVM_HANDLE_CTL;
		ctl->id = info.id;
		ctl->owner = info.uid;
		handle = ctl;
		fi->direct_io = 1;
		fi->nonseekable = 1;
		break;
	}
	default: {
		const ZvmOutputTree *tree = zvm_store_job_get_outputs(job);
		const ZvmOutputNode *node =
		    tree_node_of(file, &number) ? zvm_output_tree_node(tree, number) : NULL;
		if (node == NULL) {
			r = -ENOENT;
			break;
		}
		if (node->is_dir) {
			r = -EISDIR;
			break;
		}
		g_autofree char *relative = g_build_filename("out", node->path, NULL);
		/* Before the run creates it an output reads as empty. */
		r = open_disk_file(job, relative, TRUE, (FileHandle **)&handle);
		/* Running: reads go to the growing file; ended: immutable, cache it. */
		fi->direct_io = !ended;
		fi->keep_cache = ended;
		break;
	}
	}
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	fi->fh = (uintptr_t)handle;
	zvm_handle_track(fs, handle, handle_free);
	if (fuse_reply_open(req, fi) != 0)
		zvm_jobs_release(fs, fi);
}

static void reply_slice(fuse_req_t req, const char *data, size_t length, size_t size, off_t off)
{
	if (off < 0 || (size_t)off >= length) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	/* From a copy: once the reply is written the reader may close, and the release
	 * frees the handle while this thread still returns from writev(). */
	size_t n = MIN(size, length - (size_t)off);
	g_autofree char *copy = g_memdup2(data + off, n);
	fuse_reply_buf(req, copy, n);
}

void zvm_jobs_read(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	gpointer handle = (gpointer)(uintptr_t)fi->fh;
	switch (*(ZvmHandleKind *)handle) {
	case ZVM_HANDLE_FILE: {
		FileHandle *file = handle;
		/* Opened before the run created the output (tail -f on a queued job): look again.
		 * Reads of one handle may run on several threads; the first open wins. */
		if (g_atomic_int_get(&file->fd) < 0 && file->path != NULL) {
			int fd = open(file->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			if (fd >= 0 && !g_atomic_int_compare_and_exchange(&file->fd, -1, fd))
				close(fd);
		}
		int fd = g_atomic_int_get(&file->fd);
		if (fd < 0) {
			fuse_reply_buf(req, NULL, 0);
			return;
		}
		/* Spliced from the output file to the kernel where it can be (no copy through
		 * our memory); libfuse reads it into a buffer otherwise. Short at the end. */
		struct fuse_bufvec data = FUSE_BUFVEC_INIT(size);
		data.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
		data.buf[0].fd = fd;
		data.buf[0].pos = off;
		fuse_reply_data(req, &data, FUSE_BUF_SPLICE_MOVE);
		return;
	}
	case ZVM_HANDLE_TEXT: {
		TextHandle *text = handle;
		reply_slice(req, text->text, text->length, size, off);
		return;
	}
	case ZVM_HANDLE_WAIT:
		/* The read's flags are the file's now (fcntl F_SETFL included). */
		zvm_wait_read(fs->notifier, req, ((WaitFileHandle *)handle)->wait, size,
			      (fi->flags & O_NONBLOCK) != 0);
		return;
	case ZVM_HANDLE_CTL:
		fuse_reply_buf(req, NULL, 0);
		return;
	case ZVM_HANDLE_DIR:
	case ZVM_HANDLE_STAGING:
	default:
		fuse_reply_err(req, EBADF);
		return;
	}
}

void zvm_jobs_write(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, const char *buf, size_t size,
		    struct fuse_file_info *fi)
{
	CtlHandle *ctl = (CtlHandle *)(uintptr_t)fi->fh;
	ZvmCaller caller = zvm_fuse_caller(req);
	/* One command per write, Plan 9 style: "kill" with an optional newline. */
	g_autofree char *command = g_strndup(buf, MIN(size, 64));
	g_strchomp(command);
	if (size > 64 || strcmp(command, "kill") != 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	g_autoptr(GError) error = NULL;
	if (!zvm_scheduler_kill(fs->scheduler, ctl->id, &error)) {
		fuse_reply_err(req, zvm_fuse_errno(error));
		return;
	}
	g_message("job %" G_GUINT64_FORMAT " (uid %u): kill requested by uid %u", ctl->id,
		  (unsigned)ctl->owner, (unsigned)caller.uid);
	fuse_reply_write(req, size);
}

static void handle_free(ZvmFs *fs, gpointer handle)
{
	switch (*(ZvmHandleKind *)handle) {
	case ZVM_HANDLE_FILE:
		if (((FileHandle *)handle)->fd >= 0)
			close(((FileHandle *)handle)->fd);
		g_free(((FileHandle *)handle)->path);
		break;
	case ZVM_HANDLE_TEXT:
		g_free(((TextHandle *)handle)->text);
		break;
	case ZVM_HANDLE_WAIT:
		zvm_wait_handle_free(fs->notifier, ((WaitFileHandle *)handle)->wait);
		break;
	case ZVM_HANDLE_CTL:
	case ZVM_HANDLE_DIR:
	case ZVM_HANDLE_STAGING:
	default:
		break;
	}
	g_free(handle);
}

void zvm_jobs_release(ZvmFs *fs, struct fuse_file_info *fi)
{
	gpointer handle = (gpointer)(uintptr_t)fi->fh;
	if (handle == NULL)
		return;
	zvm_handle_untrack(fs, handle);
	handle_free(fs, handle);
}

void zvm_jobs_poll(fuse_req_t req, ZvmFs *fs, struct fuse_file_info *fi, struct fuse_pollhandle *ph)
{
	WaitFileHandle *handle = (WaitFileHandle *)(uintptr_t)fi->fh;
	zvm_wait_poll(fs->notifier, req, handle->wait, ph);
}

void zvm_jobs_readlink(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino)
{
	ZvmCaller caller = zvm_fuse_caller(req);
	if (ino != ZVM_INO_LAST) {
		g_autoptr(ZvmStoreJob) job = visible_job(fs, zvm_ino_job_id(ino), &caller);
		if (job == NULL) {
			fuse_reply_err(req, ENOENT);
			return;
		}
		char target[40];
		link_target(zvm_ino_job_id(ino), target, sizeof(target));
		fuse_reply_readlink(req, target);
		return;
	}
	guint64 newest = zvm_store_newest(fs->store, caller.uid);
	if (newest == 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	char target[32];
	g_snprintf(target, sizeof(target), "%" G_GUINT64_FORMAT, newest);
	fuse_reply_readlink(req, target);
}

/* The job @parent belongs to, if @caller may change things in it. */
static int job_for_change(ZvmFs *fs, fuse_ino_t parent, const ZvmCaller *caller, ZvmStoreJob **job)
{
	*job = visible_job(fs, zvm_ino_job_id(parent), caller);
	return *job ? 0 : -ENOENT;
}

/* Whether output directory @number of @job still shows an entry. */
static gboolean dir_has_entries(ZvmStoreJob *job, guint number)
{
	const ZvmOutputTree *tree = zvm_store_job_get_outputs(job);
	const ZvmOutputNode *dir = zvm_output_tree_node(tree, number);
	for (guint i = 0; i < dir->children->len; i++) {
		const ZvmOutputNode *node =
		    zvm_output_tree_node(tree, g_array_index(dir->children, guint, i));
		if (!(number == ZVM_OUTPUT_TREE_ROOT && is_fixed_name(node->name, NULL)) &&
		    !zvm_store_job_entry_removed(job, node->path))
			return TRUE;
	}
	if (number != ZVM_OUTPUT_TREE_ROOT)
		return FALSE;
	static const ZvmJobFile kept[] = {ZVM_JOB_FILE_STATUS, ZVM_JOB_FILE_MANIFEST,
					  ZVM_JOB_FILE_CTL};
	for (guint i = 0; i < G_N_ELEMENTS(kept); i++)
		if (!file_removed(job, kept[i]))
			return TRUE;
	return FALSE;
}

/* Removes entry @file of @job from its view, stopping the job first if it has not ended. */
static int remove_entry(ZvmFs *fs, ZvmStoreJob *job, guint file, const ZvmCaller *caller)
{
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	if (!zvm_job_state_is_ended(info.state)) {
		g_autoptr(GError) error = NULL;
		/* It may end meanwhile: then there is nothing to stop. */
		/* An output's path is the manifest's, the user's text: escaped. */
		g_autofree char *shown = zvm_text_escape(entry_name(job, file));
		if (zvm_scheduler_kill(fs->scheduler, info.id, &error))
			g_message("job %" G_GUINT64_FORMAT
				  " (uid %u): killed by uid %u removing %s",
				  info.id, (unsigned)info.uid, (unsigned)caller->uid, shown);
	}
	guint number;
	const ZvmOutputNode *node =
	    tree_node_of(file, &number)
		? zvm_output_tree_node(zvm_store_job_get_outputs(job), number)
		: NULL;
	g_autofree char *disk =
	    node && !node->is_dir ? g_build_filename("out", node->path, NULL) : NULL;
	g_autoptr(GError) error = NULL;
	/* Unrecorded (a full disk), the removal holds until a restart: rm -r must free space. */
	if (!zvm_store_job_remove_entry(job, entry_name(job, file), disk, &error)) {
		g_autofree char *shown = zvm_text_escape(entry_name(job, file));
		g_message("job %" G_GUINT64_FORMAT ": %s removed but not recorded: %s", info.id,
			  shown, error->message);
	}
	return 0;
}

int zvm_jobs_rmdir(ZvmFs *fs, fuse_ino_t parent, const char *name, const ZvmCaller *caller)
{
	guint64 id;
	if (parent == ZVM_INO_BYNAME)
		return -EPERM; /* a view of jobs/: remove the job itself */
	if (parent != ZVM_INO_JOBS) {
		/* A directory of outputs: removed once emptied, as `rm -r` does. */
		struct fuse_entry_param entry = {0};
		g_autoptr(ZvmStoreJob) job = NULL;
		int r = job_for_change(fs, parent, caller, &job);
		if (r == 0)
			r = zvm_jobs_lookup(fs, parent, name, caller, &entry);
		if (r == 0 && !S_ISDIR(entry.attr.st_mode))
			r = -ENOTDIR;
		guint number;
		if (r == 0 && tree_node_of(zvm_ino_job_file(entry.ino), &number) &&
		    dir_has_entries(job, number))
			r = -ENOTEMPTY;
		if (r == 0)
			r = remove_entry(fs, job, zvm_ino_job_file(entry.ino), caller);
		return r;
	}
	if (strcmp(name, "last") == 0 || strcmp(name, "index.txt") == 0)
		return -ENOTDIR;
	if (strcmp(name, "by-name") == 0)
		return -EPERM;
	if (!parse_job_id(name, &id))
		return -ENOENT;
	g_autoptr(ZvmStoreJob) job = NULL;
	int r = job_for_change(fs, zvm_ino_job(id, 0), caller, &job);
	if (r < 0)
		return r;
	if (dir_has_entries(job, ZVM_OUTPUT_TREE_ROOT))
		return -ENOTEMPTY;
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_autoptr(GError) error = NULL;
	if (!zvm_scheduler_delete(fs->scheduler, id, &error))
		return -zvm_fuse_errno(error);
	g_message("job %" G_GUINT64_FORMAT " (uid %u): deleted (%s) by uid %u", id,
		  (unsigned)info.uid, zvm_job_state_to_string(info.state), (unsigned)caller->uid);
	return 0;
}

int zvm_jobs_unlink(ZvmFs *fs, fuse_ino_t parent, const char *name, const ZvmCaller *caller)
{
	guint64 id;
	if (parent == ZVM_INO_JOBS) {
		if (strcmp(name, "last") == 0 || strcmp(name, "index.txt") == 0)
			return -EPERM;
		if (strcmp(name, "by-name") == 0)
			return -EISDIR;
		return parse_job_id(name, &id) ? -EISDIR : -ENOENT;
	}
	if (parent == ZVM_INO_BYNAME)
		return -EPERM; /* a view of jobs/: remove the job itself */
	g_autoptr(ZvmStoreJob) job = NULL;
	int r = job_for_change(fs, parent, caller, &job);
	if (r < 0)
		return r;
	struct fuse_entry_param entry = {0};
	r = zvm_jobs_lookup(fs, parent, name, caller, &entry);
	if (r == 0 && S_ISDIR(entry.attr.st_mode))
		r = -EISDIR;
	if (r == 0)
		r = remove_entry(fs, job, zvm_ino_job_file(entry.ino), caller);
	return r;
}

void zvm_jobs_setattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, int to_set)
{
	ZvmCaller caller = zvm_fuse_caller(req);
	struct stat st;
	double timeout;
	int r = zvm_jobs_stat(fs, ino, &caller, &st, &timeout);
	/* `echo kill > ctl` may truncate first; nothing else changes. */
	const int allowed = FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW |
			    FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_CTIME;
	if (r == 0 && (zvm_ino_job_file(ino) != ZVM_JOB_FILE_CTL || (to_set & ~allowed) ||
		       !zvm_caller_may_see(&caller, st.st_uid)))
		r = -EACCES;
	if (r < 0)
		fuse_reply_err(req, -r);
	else
		fuse_reply_attr(req, &st, timeout);
}

/* The xattrs of a job inode: user.zvm.state and user.zvm.job on the directory,
 * user.mime_type on the text files. */
static GPtrArray *xattrs_of(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, int *error)
{
	ZvmCaller caller = zvm_fuse_caller(req);
	g_autoptr(ZvmStoreJob) job = visible_job(fs, zvm_ino_job_id(ino), &caller);
	if (job == NULL) {
		*error = ENOENT;
		return NULL;
	}
	GPtrArray *pairs = g_ptr_array_new_with_free_func(g_free);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	guint file = zvm_ino_job_file(ino), number;
	gboolean text = FALSE;
	if (file == ZVM_JOB_FILE_DIR) {
		g_ptr_array_add(pairs, g_strdup("user.zvm.state"));
		g_ptr_array_add(pairs, g_strdup(zvm_job_state_to_string(info.state)));
		g_ptr_array_add(pairs, g_strdup("user.zvm.job"));
		g_ptr_array_add(pairs, g_strdup_printf("%" G_GUINT64_FORMAT, info.id));
	} else if (file == ZVM_JOB_FILE_STATUS || file == ZVM_JOB_FILE_MANIFEST ||
		   file == ZVM_JOB_FILE_REPORT || file == ZVM_JOB_FILE_ACCOUNTING) {
		text = TRUE;
	} else if (tree_node_of(file, &number)) {
		const ZvmOutputNode *node =
		    zvm_output_tree_node(zvm_store_job_get_outputs(job), number);
		text = node && !node->is_dir && node->parent == ZVM_OUTPUT_TREE_ROOT &&
		       (strcmp(node->name, "stdout") == 0 || strcmp(node->name, "stderr") == 0);
	}
	if (text) {
		g_ptr_array_add(pairs, g_strdup("user.mime_type"));
		g_ptr_array_add(pairs, g_strdup("text/plain"));
	}
	return pairs;
}

void zvm_jobs_getxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, const char *name, size_t size)
{
	int error = 0;
	g_autoptr(GPtrArray) pairs = xattrs_of(req, fs, ino, &error);
	if (pairs == NULL) {
		fuse_reply_err(req, error);
		return;
	}
	const char *value = NULL;
	for (guint i = 0; i + 1 < pairs->len; i += 2) {
		if (strcmp(g_ptr_array_index(pairs, i), name) == 0)
			value = g_ptr_array_index(pairs, i + 1);
	}
	zvm_reply_xattr_value(req, value, size);
}

void zvm_jobs_listxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, size_t size)
{
	int error = 0;
	g_autoptr(GPtrArray) pairs = xattrs_of(req, fs, ino, &error);
	if (pairs == NULL) {
		fuse_reply_err(req, error);
		return;
	}
	GString *names = g_string_new(NULL);
	for (guint i = 0; i + 1 < pairs->len; i += 2)
		g_string_append_len(names, g_ptr_array_index(pairs, i),
				    (gssize)strlen(g_ptr_array_index(pairs, i)) + 1);
	zvm_reply_xattr_list(req, names->str, names->len, size);
	g_string_free(names, TRUE);
}
