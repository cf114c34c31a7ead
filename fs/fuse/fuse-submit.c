/* SPDX-License-Identifier: Apache-2.0 */
/*
 * submit/: the drop box. Creating a file there makes a staging file in the state directory
 * (bounded by the [bundle] archive size); the bundle is submitted when a writer that wrote
 * data flushes (close) or fsyncs it, so a refusal fails close() and `cp` exits non-zero.
 * Names starting with '.' (rsync's .name.XXXXXX, GIO's .goutputstream-XXXXXX) stay staging
 * until renamed to a plain name, which submits then. A plain name created and closed without
 * a byte written (cp of an empty file, touch) is submitted when its last descriptor closes,
 * so it is refused as an empty archive rather than left lying in submit/.
 * After a submission that made a job (accepted or rejected) the entry stays in submit/ as a
 * record for RECORD_SECONDS: copiers set modes and times by name after the close (install,
 * rsync, GIO, mc, cp -p), and touching a record never submits again; its xattr user.zvm.job
 * names the job. A record holds no bytes of its own: its staging file is closed (the job has
 * a copy) and a read gives the job's bundle.tar while the job keeps it. Opening a record with
 * O_TRUNC (cp, a redirection) starts a new submission under that name; writing to it
 * otherwise fails with EPERM.
 * A writer's close submits (and reports the outcome) when the closing process opened the
 * file and no other process that wrote it still lives (a shell's `{ a; b; } >submit/x`
 * submits at the shell's close, whole); a child closing an inherited descriptor never does.
 * Otherwise the last close of the open file (release) does, whose error close() cannot see.
 * Entries are inodes with a lifetime: freed when unlinked, closed and forgotten.
 *
 * submit/ is a namespace per user (root's too): each caller sees, looks up, opens and removes
 * only their own entries, so two users may upload the same name at once and nobody learns
 * another's names, sizes or times. The kernel's name cache is shared by all users, so no name
 * in submit/ is cached, present or absent (entry timeout 0): each walk asks again, as who
 * the walker is. The staging files of a user (bytes and number, [tenants] staging_bytes
 * and staging_files) are charged to that user until they become a job or are freed,
 * unfinished and unlinked-but-open ones included; past a bound, EDQUOT for that user only.
 */
#include "fuse-fs.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long a submitted name stays in submit/ as a record, and at most how many per user
 * (oldest dropped first), so that the names of a busy user's submissions do not pile up. */
#define RECORD_SECONDS 60
#define RECORDS_PER_USER 16

typedef struct {
	fuse_ino_t ino;
	char *name;
	char *key; /* "uid/name": the name in its owner's namespace (by_name) */
	uid_t uid;
	gid_t gid;
	mode_t mode;
	int fd; /* the staging file; -1 once a record */
	uint64_t size;
	/* Bytes charged to the owner while fd is open: the size, or the end of the writes in
	 * flight when further. */
	uint64_t charged;
	gint64 mtime_ns, ctime_ns;
	uint64_t nlookup;
	guint nopen;
	guint writes_in_flight;
	gboolean linked; /* visible in submit/ */
	gboolean dirty;	 /* written since created, truncated or submitted */
	gboolean submitting;
	gboolean submitted; /* a record while still linked */
	gint64 recorded_at; /* monotonic µs */
	pid_t last_writer;
	guint64 job_id; /* the job (or rejected job) it became; 0 before */
	int result;	/* errno of the submission, 0 when accepted */
} Staged;

typedef struct {
	ZvmHandleKind kind;
	Staged *staged;
	gboolean writable;
	gboolean created; /* this open created the entry */
	gboolean wrote;	  /* a write through this handle succeeded */
	pid_t opener;
	int fd; /* what reads read: its own descriptor of the staging file or the job's bundle */
} StagingHandle;

/* What one user's staging files hold. */
typedef struct {
	guint files;	/* entries with a staging file (fd >= 0) */
	uint64_t bytes; /* their charged bytes */
	/* The bound was logged; again only after the usage went down. */
	gboolean files_logged, bytes_logged;
} UserUsage;

struct _ZvmSubmitArea {
	GMutex lock;
	GCond changed;	      /* a submission or a write finished */
	GHashTable *by_name;  /* key -> Staged*, linked entries */
	GHashTable *by_ino;   /* &ino -> Staged*, every live entry */
	GHashTable *per_user; /* uid -> UserUsage*, users holding staging files */
	GQueue records;	      /* Staged*, linked and submitted, oldest first */
	guint64 next_seq;
};

static gint64 now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

ZvmSubmitArea *zvm_submit_area_new(void)
{
	ZvmSubmitArea *area = g_new0(ZvmSubmitArea, 1);
	g_mutex_init(&area->lock);
	g_cond_init(&area->changed);
	area->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	area->by_ino = g_hash_table_new(g_int64_hash, g_int64_equal);
	area->per_user = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	g_queue_init(&area->records);
	area->next_seq = 1;
	return area;
}

static void staged_free(Staged *s)
{
	if (s->fd >= 0)
		close(s->fd);
	g_free(s->name);
	g_free(s->key);
	g_free(s);
}

void zvm_submit_area_free(ZvmSubmitArea *area)
{
	if (area == NULL)
		return;
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, area->by_ino);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		staged_free(value);
	g_hash_table_unref(area->by_name);
	g_hash_table_unref(area->by_ino);
	g_hash_table_unref(area->per_user);
	g_queue_clear(&area->records);
	g_mutex_clear(&area->lock);
	g_cond_clear(&area->changed);
	g_free(area);
}

static gboolean is_staging_name(const char *name)
{
	return name[0] == '.';
}

static int check_name(const char *name)
{
	size_t length = strlen(name);
	if (length == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/'))
		return -EINVAL;
	return length > 255 ? -ENAMETOOLONG : 0;
}

static char *name_key(uid_t uid, const char *name)
{
	return g_strdup_printf("%u/%s", (unsigned)uid, name);
}

/* @uid's linked entry @name, or NULL (lock held). */
static Staged *find_locked(ZvmSubmitArea *area, uid_t uid, const char *name)
{
	g_autofree char *key = name_key(uid, name);
	return g_hash_table_lookup(area->by_name, key);
}

static char *user_label(uid_t uid)
{
	char *user = zvm_user_name(uid);
	return user ? user : g_strdup_printf("uid %u", (unsigned)uid);
}

static UserUsage *usage_of(ZvmSubmitArea *area, uid_t uid)
{
	UserUsage *usage = g_hash_table_lookup(area->per_user, GUINT_TO_POINTER(uid));
	if (usage == NULL) {
		usage = g_new0(UserUsage, 1);
		g_hash_table_insert(area->per_user, GUINT_TO_POINTER(uid), usage);
	}
	return usage;
}

/* Gives @s the staging file @fd, counted against its owner (lock held). */
static void hold_file_locked(ZvmSubmitArea *area, Staged *s, int fd)
{
	s->fd = fd;
	s->charged = 0;
	usage_of(area, s->uid)->files++;
}

/* Sets the bytes of @s charged to its owner (lock held). */
static void charge_locked(ZvmSubmitArea *area, Staged *s, uint64_t bytes)
{
	UserUsage *usage = usage_of(area, s->uid);
	if (bytes < s->charged)
		usage->bytes_logged = FALSE;
	usage->bytes = usage->bytes - s->charged + bytes;
	s->charged = bytes;
}

/* Closes the staging file of @s: its owner is charged no more for it (lock held). */
static void drop_file_locked(ZvmSubmitArea *area, Staged *s)
{
	if (s->fd < 0)
		return;
	charge_locked(area, s, 0);
	UserUsage *usage = usage_of(area, s->uid);
	usage->files--;
	usage->files_logged = FALSE;
	if (usage->files == 0)
		g_hash_table_remove(area->per_user, GUINT_TO_POINTER(s->uid));
	close(s->fd);
	s->fd = -1;
}

/* Whether @uid may hold one more staging file; logs the first refusal (lock held). */
static int check_files_locked(ZvmFs *fs, uid_t uid, const char *name)
{
	guint max = fs->config->tenants.staging_files;
	UserUsage *usage = g_hash_table_lookup(fs->submit->per_user, GUINT_TO_POINTER(uid));
	if (usage == NULL || usage->files < max)
		return 0;
	if (!usage->files_logged) {
		usage->files_logged = TRUE;
		g_autofree char *who = user_label(uid);
		g_autofree char *shown = zvm_text_escape(name);
		g_message("submit: %s holds %u staging files, the [tenants] staging_files "
			  "bound: '%s' refused (EDQUOT)",
			  who, usage->files, shown);
	}
	return -EDQUOT;
}

/* Charges @s up to @end bytes for a write or truncate, or refuses it past its owner's bound
 * with EDQUOT, logging the first refusal (lock held). */
static int reserve_locked(ZvmFs *fs, Staged *s, uint64_t end)
{
	ZvmSubmitArea *area = fs->submit;
	uint64_t max = fs->config->tenants.staging_bytes;
	if (end <= s->charged)
		return 0;
	UserUsage *usage = usage_of(area, s->uid);
	if (end - s->charged > max || usage->bytes + (end - s->charged) > max) {
		if (!usage->bytes_logged) {
			usage->bytes_logged = TRUE;
			g_autofree char *who = user_label(s->uid);
			g_autofree char *shown = zvm_text_escape(s->name);
			g_autofree char *bound = zvm_format_size(max);
			g_message("submit: %s is over the [tenants] staging_bytes bound (%s): "
				  "writing '%s' refused (EDQUOT)",
				  who, bound, shown);
		}
		return -EDQUOT;
	}
	charge_locked(area, s, end);
	return 0;
}

/* After a write or truncate: the charge follows the size again once no write is in flight
 * (a short or failed write reserved more than it wrote). Lock held. */
static void settle_charge_locked(ZvmSubmitArea *area, Staged *s)
{
	if (s->fd >= 0 && s->writes_in_flight == 0)
		charge_locked(area, s, s->size);
}

/* Called with the lock held. */
static void unlink_locked(ZvmSubmitArea *area, Staged *s)
{
	if (!s->linked)
		return;
	g_hash_table_remove(area->by_name, s->key);
	if (s->submitted)
		g_queue_remove(&area->records, s);
	s->linked = FALSE;
}

/* Called with the lock held. */
static void maybe_free(ZvmSubmitArea *area, Staged *s)
{
	if (s->nlookup || s->nopen || s->linked || s->submitting)
		return;
	g_hash_table_remove(area->by_ino, &s->ino);
	drop_file_locked(area, s);
	staged_free(s);
}

/* Drops record @s from submit/ (lock held). */
static void drop_record_locked(ZvmFs *fs, Staged *s)
{
	unlink_locked(fs->submit, s);
	zvm_notifier_delete_entry(fs->notifier, ZVM_INO_SUBMIT, s->ino, s->name);
	maybe_free(fs->submit, s);
}

/* Drops the records past their time (lock held); each lookup, listing and create does it. */
static void expire_records_locked(ZvmFs *fs)
{
	ZvmSubmitArea *area = fs->submit;
	gint64 now = g_get_monotonic_time();
	Staged *s;
	while ((s = g_queue_peek_head(&area->records)) &&
	       now - s->recorded_at >= (gint64)RECORD_SECONDS * G_USEC_PER_SEC)
		drop_record_locked(fs, s);
}

/* Makes submitted @s a record, dropping its owner's oldest past the bound (lock held). */
static void record_locked(ZvmFs *fs, Staged *s)
{
	ZvmSubmitArea *area = fs->submit;
	drop_file_locked(area, s);
	s->submitted = TRUE;
	s->recorded_at = g_get_monotonic_time();
	g_queue_push_tail(&area->records, s);
	guint count = 0;
	for (GList *l = area->records.tail; l; l = l->prev)
		if (((Staged *)l->data)->uid == s->uid)
			count++;
	for (GList *l = area->records.head; l && count > RECORDS_PER_USER;) {
		Staged *old = l->data;
		l = l->next;
		if (old->uid == s->uid) {
			drop_record_locked(fs, old);
			count--;
		}
	}
}

static void fill_stat(const Staged *s, struct stat *st)
{
	zvm_stat_init(st, s->ino, S_IFREG | s->mode, s->mtime_ns);
	zvm_timespec_from_ns(&st->st_ctim, s->ctime_ns);
	st->st_size = (off_t)s->size;
	st->st_blocks = (blkcnt_t)((s->size + 511) / 512);
	/* A staging file shows the disk it holds (du), a hole past the bound (EFBIG) none. */
	struct stat disk;
	if (s->fd >= 0 && fstat(s->fd, &disk) == 0)
		st->st_blocks = disk.st_blocks;
	st->st_uid = s->uid;
	st->st_gid = s->gid;
}

static void fill_entry(const Staged *s, struct fuse_entry_param *entry)
{
	/* Names are never cached: whether one is visible depends on who looks (records). */
	*entry = (struct fuse_entry_param){.ino = s->ino, .attr_timeout = ZVM_TIMEOUT_LIVE};
	fill_stat(s, &entry->attr);
}

/* The entry of inode @ino if it is @caller's: another user's does not exist (lock held). */
static Staged *own_locked(ZvmSubmitArea *area, fuse_ino_t ino, uid_t caller)
{
	Staged *s = g_hash_table_lookup(area->by_ino, &ino);
	return s && s->uid == caller ? s : NULL;
}

int zvm_submit_stat(ZvmFs *fs, fuse_ino_t ino, const ZvmCaller *caller, struct stat *st)
{
	ZvmSubmitArea *area = fs->submit;
	g_mutex_lock(&area->lock);
	Staged *s = own_locked(area, ino, caller->uid);
	if (s)
		fill_stat(s, st);
	g_mutex_unlock(&area->lock);
	return s ? 0 : -ENOENT;
}

/* Looks @name up in @caller's namespace; neither a name nor its absence is cached. */
int zvm_submit_lookup(ZvmFs *fs, const char *name, const ZvmCaller *caller,
		      struct fuse_entry_param *entry)
{
	ZvmSubmitArea *area = fs->submit;
	g_mutex_lock(&area->lock);
	expire_records_locked(fs);
	Staged *s = find_locked(area, caller->uid, name);
	if (s) {
		s->nlookup++;
		fill_entry(s, entry);
	}
	g_mutex_unlock(&area->lock);
	if (s == NULL) {
		entry->entry_timeout = 0;
		return -ENOENT;
	}
	return 0;
}

void zvm_submit_ref(ZvmFs *fs, fuse_ino_t ino)
{
	ZvmSubmitArea *area = fs->submit;
	g_mutex_lock(&area->lock);
	Staged *s = g_hash_table_lookup(area->by_ino, &ino);
	if (s)
		s->nlookup++;
	g_mutex_unlock(&area->lock);
}

void zvm_submit_forget(ZvmFs *fs, fuse_ino_t ino, uint64_t count)
{
	ZvmSubmitArea *area = fs->submit;
	g_mutex_lock(&area->lock);
	Staged *s = g_hash_table_lookup(area->by_ino, &ino);
	if (s) {
		s->nlookup -= MIN(count, s->nlookup);
		maybe_free(area, s);
	}
	g_mutex_unlock(&area->lock);
}

static int compare_entries(gconstpointer a, gconstpointer b)
{
	return strcmp(((const ZvmDirEntry *)a)->name, ((const ZvmDirEntry *)b)->name);
}

void zvm_submit_list(ZvmFs *fs, const ZvmCaller *caller, GArray *entries)
{
	ZvmSubmitArea *area = fs->submit;
	guint first = entries->len;
	g_mutex_lock(&area->lock);
	expire_records_locked(fs);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, area->by_name);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Staged *s = value;
		if (s->uid == caller->uid)
			zvm_dir_add(entries, s->name, s->ino, S_IFREG);
	}
	g_mutex_unlock(&area->lock);
	if (entries->len > first)
		qsort(&g_array_index(entries, ZvmDirEntry, first), entries->len - first,
		      sizeof(ZvmDirEntry), compare_entries);
}

/* The Staged itself belongs to the area, freed with it. */
static void handle_free(ZvmFs *fs, gpointer handle)
{
	StagingHandle *staging = handle;
	if (staging->fd >= 0)
		close(staging->fd);
	g_free(handle);
}

/* A descriptor for the reads of a new handle on @s (lock held): its own, so that the
 * staging file closing when @s becomes a record never pulls it from under a read. */
static int reading_fd(ZvmFs *fs, Staged *s)
{
	if (s->fd >= 0)
		return fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
	if (s->job_id == 0)
		return -1;
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(fs->store, s->job_id);
	if (job == NULL)
		return -1;
	g_autofree char *path = zvm_store_job_path(job, "bundle.tar");
	return open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}

static StagingHandle *handle_new(ZvmFs *fs, Staged *s, int flags, pid_t opener)
{
	StagingHandle *handle = g_new0(StagingHandle, 1);
	handle->kind = ZVM_HANDLE_STAGING;
	handle->staged = s;
	handle->writable = (flags & O_ACCMODE) != O_RDONLY;
	handle->opener = opener;
	handle->fd = reading_fd(fs, s);
	zvm_handle_track(fs, handle, handle_free);
	return handle;
}

static StagingHandle *handle_of(struct fuse_file_info *fi)
{
	return (StagingHandle *)(uintptr_t)fi->fh;
}

/* Turns record @s back into an empty staging entry of the same name (lock held). */
static int restart_locked(ZvmFs *fs, Staged *s)
{
	ZvmSubmitArea *area = fs->submit;
	int r = check_files_locked(fs, s->uid, s->name);
	if (r < 0)
		return r;
	g_autoptr(GError) error = NULL;
	int fd = zvm_store_open_staging(fs->store, &error);
	if (fd < 0) {
		g_warning("submit: %s", error->message);
		return -zvm_fuse_errno(error);
	}
	hold_file_locked(area, s, fd);
	g_queue_remove(&area->records, s);
	s->submitted = FALSE;
	s->job_id = 0;
	s->result = 0;
	s->size = 0;
	s->dirty = FALSE;
	s->last_writer = 0;
	s->mtime_ns = s->ctime_ns = now_ns();
	return 0;
}

/* Opens @s for one more handle by @caller (lock held): O_TRUNC empties it, and starts a new
 * submission when it is a record. */
static int open_locked(ZvmFs *fs, Staged *s, struct fuse_file_info *fi, const ZvmCaller *caller)
{
	gboolean writable = (fi->flags & O_ACCMODE) != O_RDONLY;
	if (writable && !s->linked)
		return -ENOENT;
	if (writable && s->submitting)
		return -EBUSY;
	if (writable && s->submitted && (fi->flags & O_TRUNC)) {
		int r = restart_locked(fs, s);
		if (r < 0)
			return r;
	}
	if (writable && (fi->flags & O_TRUNC) && s->size > 0 && !s->submitted) {
		if (ftruncate(s->fd, 0) < 0)
			return -errno;
		s->size = 0;
		settle_charge_locked(fs->submit, s);
		s->dirty = FALSE;
		s->mtime_ns = s->ctime_ns = now_ns();
	}
	s->nopen++;
	fi->fh = (uintptr_t)handle_new(fs, s, fi->flags, caller->pid);
	fi->direct_io = 1;
	return 0;
}

void zvm_submit_create(fuse_req_t req, ZvmFs *fs, const char *name, mode_t mode,
		       struct fuse_file_info *fi)
{
	ZvmSubmitArea *area = fs->submit;
	ZvmCaller caller = zvm_fuse_caller(req);
	int r = check_name(name);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	g_autoptr(GError) error = NULL;
	int fd = zvm_store_open_staging(fs->store, &error);
	if (fd < 0) {
		g_warning("submit: %s", error->message);
		fuse_reply_err(req, zvm_fuse_errno(error));
		return;
	}
	struct fuse_entry_param entry;
	gboolean created = FALSE;
	g_mutex_lock(&area->lock);
	expire_records_locked(fs);
	Staged *s = find_locked(area, caller.uid, name);
	if (s) {
		/* The kernel had a stale negative entry: open the existing file. */
		close(fd);
		if (fi->flags & O_EXCL)
			r = -EEXIST;
		else
			r = open_locked(fs, s, fi, &caller);
	} else if ((r = check_files_locked(fs, caller.uid, name)) < 0) {
		close(fd);
	} else {
		s = g_new0(Staged, 1);
		s->ino = ZVM_INO_STAGING_BIT | area->next_seq++;
		s->name = g_strdup(name);
		s->key = name_key(caller.uid, name);
		s->uid = caller.uid;
		s->gid = caller.gid;
		/* Bundles are private until submitted, whatever the umask. */
		s->mode = 0600;
		hold_file_locked(area, s, fd);
		s->mtime_ns = s->ctime_ns = now_ns();
		s->linked = TRUE;
		g_hash_table_insert(area->by_name, s->key, s);
		g_hash_table_insert(area->by_ino, &s->ino, s);
		r = open_locked(fs, s, fi, &caller);
		created = TRUE;
	}
	if (r == 0) {
		s->nlookup++;
		fill_entry(s, &entry);
		handle_of(fi)->created = created;
	}
	g_mutex_unlock(&area->lock);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	if (fuse_reply_create(req, &entry, fi) != 0) {
		/* The creator is gone (interrupted): undo its open and its lookup. */
		zvm_submit_release(fs, fi);
		zvm_submit_forget(fs, entry.ino, 1);
	}
}

void zvm_submit_open(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, struct fuse_file_info *fi)
{
	ZvmSubmitArea *area = fs->submit;
	ZvmCaller caller = zvm_fuse_caller(req);
	g_mutex_lock(&area->lock);
	Staged *s = own_locked(area, ino, caller.uid);
	int r = s ? open_locked(fs, s, fi, &caller) : -ENOENT;
	g_mutex_unlock(&area->lock);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	if (fuse_reply_open(req, fi) != 0)
		zvm_submit_release(fs, fi);
}

void zvm_submit_read(fuse_req_t req, struct fuse_file_info *fi, size_t size, off_t off)
{
	StagingHandle *handle = handle_of(fi);
	if (handle->fd < 0) {
		fuse_reply_buf(req, NULL, 0); /* a rejected job's record: its bytes are gone */
		return;
	}
	g_autofree char *buffer = g_malloc(size);
	ssize_t n = pread(handle->fd, buffer, size, off);
	if (n < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buffer, (size_t)n);
}

/*
 * A write or truncate past the archive bound fails with EFBIG. The staging file is then made
 * one byte longer than the bound (a hole: no disk is used), so that the close still submits
 * it and the store refuses it for what it is, "the archive is over the ... maximum", rather
 * than for whatever the cut-off tar happens to look like. Lock held.
 */
static void mark_too_large(Staged *s, uint64_t max, pid_t writer)
{
	struct stat st;
	if (fstat(s->fd, &st) == 0 && (uint64_t)st.st_size > max)
		return;
	if (ftruncate(s->fd, (off_t)(max + 1)) < 0)
		return;
	s->dirty = TRUE;
	s->last_writer = writer;
	s->mtime_ns = s->ctime_ns = now_ns();
}

void zvm_submit_write(fuse_req_t req, ZvmFs *fs, const char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	ZvmSubmitArea *area = fs->submit;
	StagingHandle *handle = handle_of(fi);
	Staged *s = handle->staged;
	uint64_t max = zvm_store_get_limits(fs->store)->bundle_max_archive;
	int r = 0;
	g_mutex_lock(&area->lock);
	if (!handle->writable)
		r = -EBADF;
	else if (s->submitted)
		r = -EPERM; /* it is a job now; O_TRUNC starts a new one */
	else if (s->submitting)
		r = -EBUSY;
	else if (off < 0)
		r = -EFBIG;
	else if ((uint64_t)off + size > max) {
		r = -EFBIG;
		mark_too_large(s, max, zvm_fuse_caller(req).pid);
	} else if ((r = reserve_locked(fs, s, (uint64_t)off + size)) == 0)
		s->writes_in_flight++;
	g_mutex_unlock(&area->lock);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	ssize_t n = pwrite(s->fd, buf, size, off);
	int err = errno;
	g_mutex_lock(&area->lock);
	s->writes_in_flight--;
	if (n > 0) {
		s->size = MAX(s->size, (uint64_t)off + (uint64_t)n);
		s->dirty = TRUE;
		s->last_writer = zvm_fuse_caller(req).pid;
		s->mtime_ns = s->ctime_ns = now_ns();
		handle->wrote = TRUE;
	}
	settle_charge_locked(area, s);
	g_cond_broadcast(&area->changed);
	g_mutex_unlock(&area->lock);
	if (n < 0)
		fuse_reply_err(req, err == ENOSPC || err == EDQUOT ? ENOSPC : err);
	else
		fuse_reply_write(req, (size_t)n);
}

/*
 * Submits @s (lock held on entry and on return; released meanwhile). Accepted or rejected,
 * the entry stays a record of its job (the rejected job keeps the reason); refused without a
 * job (a full queue or disk) it leaves submit/, to be written again.
 * Returns: the errno for close(), rename() or fsync().
 */
static int submit_locked(ZvmFs *fs, Staged *s)
{
	ZvmSubmitArea *area = fs->submit;
	s->submitting = TRUE;
	while (s->writes_in_flight > 0)
		g_cond_wait(&area->changed, &area->lock);
	g_autofree char *name = g_strdup(s->name);
	g_mutex_unlock(&area->lock);

	guint64 id = 0;
	g_autoptr(GError) error = NULL;
	gboolean accepted =
	    zvm_scheduler_submit(fs->scheduler, s->fd, name, s->uid, s->gid, &id, &error);
	g_autofree char *who = user_label(s->uid);
	/* The name is the user's: escaped, so a newline in it cannot forge a line of the log. */
	g_autofree char *shown = zvm_text_escape(name);
	/* So is the reason, which may quote the bundle (a member's name, a manifest's line). */
	g_autofree char *reason = error ? zvm_text_escape(error->message) : NULL;
	if (accepted)
		g_message("job %" G_GUINT64_FORMAT " (%s): submitted as '%s'", id, who, shown);
	else if (id)
		g_message("job %" G_GUINT64_FORMAT " (%s): '%s' rejected: %s", id, who, shown,
			  reason);
	else
		g_message("submission of '%s' by %s refused: %s", shown, who, reason);

	g_mutex_lock(&area->lock);
	s->submitting = FALSE;
	s->dirty = FALSE;
	s->job_id = id;
	s->result = accepted ? 0 : zvm_fuse_errno(error);
	if (s->linked && id) {
		record_locked(fs, s);
	} else {
		if (s->linked) {
			unlink_locked(area, s);
			zvm_notifier_delete_entry(fs->notifier, ZVM_INO_SUBMIT, s->ino, s->name);
		}
		s->submitted = TRUE;
	}
	g_cond_broadcast(&area->changed);
	return s->result;
}

/* Whether a process other than @closer wrote @s last and still lives (it may write more). */
static gboolean other_writer_alive(const Staged *s, pid_t closer)
{
	if (s->last_writer == closer || s->last_writer <= 0)
		return FALSE;
	return kill(s->last_writer, 0) == 0 || errno == EPERM;
}

/* The shared part of flush and fsync; @any_process is FALSE for flush. */
static int commit(fuse_req_t req, ZvmFs *fs, struct fuse_file_info *fi, gboolean any_process)
{
	ZvmSubmitArea *area = fs->submit;
	StagingHandle *handle = handle_of(fi);
	Staged *s = handle->staged;
	pid_t pid = zvm_fuse_caller(req).pid;
	int r = 0;
	/* fsync through any descriptor submits (`sync FILE` while a shell holds it open). */
	if (!handle->writable && !any_process)
		return 0;
	g_mutex_lock(&area->lock);
	while (s->submitting)
		g_cond_wait(&area->changed, &area->lock);
	/* Only a handle that wrote hears of the outcome: a touch of a record succeeds. */
	if (s->submitted)
		r = handle->wrote ? s->result : 0;
	/* Only the opener's close submits, once no other writer may still write: a child
	 * closing an inherited descriptor, or the first of several writers of a shell
	 * redirection (`{ a; b; } >submit/x`), must not submit part of a bundle. Otherwise the
	 * last close (release) does. */
	else if (s->linked && s->dirty && !is_staging_name(s->name) &&
		 (any_process || (handle->opener == pid && !other_writer_alive(s, pid))))
		r = submit_locked(fs, s);
	g_mutex_unlock(&area->lock);
	return r;
}

void zvm_submit_flush(fuse_req_t req, ZvmFs *fs, struct fuse_file_info *fi)
{
	fuse_reply_err(req, commit(req, fs, fi, FALSE));
}

void zvm_submit_fsync(fuse_req_t req, ZvmFs *fs, struct fuse_file_info *fi)
{
	fuse_reply_err(req, commit(req, fs, fi, TRUE));
}

void zvm_submit_release(ZvmFs *fs, struct fuse_file_info *fi)
{
	ZvmSubmitArea *area = fs->submit;
	StagingHandle *handle = handle_of(fi);
	Staged *s = handle->staged;
	g_mutex_lock(&area->lock);
	while (s->submitting)
		g_cond_wait(&area->changed, &area->lock);
	/* No flush submitted it (NFS re-export, a writer that never closed), or nothing was
	 * ever written to the file this handle created: submit it now, so an empty file is
	 * refused as one and does not linger. Past close(), the outcome can only be logged and
	 * kept in the job (a flush cannot tell a last close from `exec 3>file`'s first one). */
	if (handle->writable && s->linked && !s->submitted && !is_staging_name(s->name) &&
	    s->nopen == 1 && (s->dirty || (handle->created && s->size == 0)))
		submit_locked(fs, s);
	s->nopen--;
	maybe_free(area, s);
	g_mutex_unlock(&area->lock);
	zvm_handle_untrack(fs, handle);
	handle_free(fs, handle);
}

void zvm_submit_setattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, struct stat *attr, int to_set,
			struct fuse_file_info *fi)
{
	ZvmSubmitArea *area = fs->submit;
	ZvmCaller caller = zvm_fuse_caller(req);
	uint64_t max = zvm_store_get_limits(fs->store)->bundle_max_archive;
	struct stat st;
	int r = 0;
	g_mutex_lock(&area->lock);
	Staged *s = own_locked(area, ino, caller.uid);
	if (s == NULL) {
		r = -ENOENT;
		goto out;
	}
	if (((to_set & FUSE_SET_ATTR_UID) && attr->st_uid != s->uid) ||
	    ((to_set & FUSE_SET_ATTR_GID) && attr->st_gid != s->gid && caller.uid != 0)) {
		r = -EPERM;
		goto out;
	}
	if (to_set & FUSE_SET_ATTR_GID)
		s->gid = attr->st_gid;
	/* After submission a copier's metadata (cp -p, GIO) is harmless: accepted, unused. */
	if ((to_set & FUSE_SET_ATTR_SIZE) && !s->submitted) {
		if (s->submitting) {
			r = -EBUSY;
			goto out;
		}
		if ((uint64_t)attr->st_size > max) {
			r = -EFBIG;
			mark_too_large(s, max, caller.pid);
			goto out;
		}
		r = reserve_locked(fs, s, (uint64_t)attr->st_size);
		if (r < 0)
			goto out;
		if (ftruncate(s->fd, attr->st_size) < 0) {
			r = -errno;
			settle_charge_locked(area, s);
			goto out;
		}
		if ((uint64_t)attr->st_size != s->size)
			s->dirty = attr->st_size > 0;
		s->size = (uint64_t)attr->st_size;
		settle_charge_locked(area, s);
		s->mtime_ns = now_ns();
	}
	if (to_set & FUSE_SET_ATTR_MODE)
		s->mode = attr->st_mode & 0777;
	if (to_set & FUSE_SET_ATTR_MTIME_NOW)
		s->mtime_ns = now_ns();
	else if (to_set & FUSE_SET_ATTR_MTIME)
		s->mtime_ns = (gint64)attr->st_mtim.tv_sec * 1000000000 + attr->st_mtim.tv_nsec;
	s->ctime_ns = now_ns();
	fill_stat(s, &st);
out:
	g_mutex_unlock(&area->lock);
	if (r < 0)
		fuse_reply_err(req, -r);
	else
		fuse_reply_attr(req, &st, ZVM_TIMEOUT_LIVE);
}

int zvm_submit_unlink(ZvmFs *fs, const char *name, const ZvmCaller *caller)
{
	ZvmSubmitArea *area = fs->submit;
	int r = 0;
	g_mutex_lock(&area->lock);
	Staged *s = find_locked(area, caller->uid, name);
	if (s == NULL)
		r = -ENOENT;
	else if (s->submitting)
		r = -EBUSY;
	else {
		unlink_locked(area, s);
		maybe_free(area, s);
	}
	g_mutex_unlock(&area->lock);
	return r;
}

int zvm_submit_rename(ZvmFs *fs, const char *name, const char *newname, unsigned int flags,
		      const ZvmCaller *caller)
{
	ZvmSubmitArea *area = fs->submit;
	if (flags & ~(unsigned int)RENAME_NOREPLACE)
		return -EINVAL;
	int r = check_name(newname);
	if (r < 0)
		return r;
	g_mutex_lock(&area->lock);
	Staged *s = find_locked(area, caller->uid, name);
	Staged *target = find_locked(area, caller->uid, newname);
	if (s == NULL)
		r = -ENOENT;
	else if (s->submitting || (target && target->submitting))
		r = -EBUSY;
	else if (target && target != s && (flags & RENAME_NOREPLACE))
		r = -EEXIST;
	if (r < 0 || target == s) {
		g_mutex_unlock(&area->lock);
		return r;
	}
	if (target) {
		unlink_locked(area, target);
		maybe_free(area, target);
	}
	g_autofree char *old_name = g_strdup(name);
	g_hash_table_remove(area->by_name, s->key);
	g_free(s->name);
	g_free(s->key);
	s->name = g_strdup(newname);
	s->key = name_key(s->uid, newname);
	g_hash_table_insert(area->by_name, s->key, s);
	s->ctime_ns = now_ns();
	/* rsync and GIO finish a file by renaming their temporary name to the real one. */
	if (is_staging_name(old_name) && !is_staging_name(newname) && !s->submitted) {
		r = submit_locked(fs, s);
		if (r != 0) /* the rename fails: the kernel still has the old name */
			zvm_notifier_delete_entry(fs->notifier, ZVM_INO_SUBMIT, s->ino, old_name);
	}
	g_mutex_unlock(&area->lock);
	return -r;
}

void zvm_submit_getxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, const char *name, size_t size)
{
	ZvmSubmitArea *area = fs->submit;
	g_autofree char *value = NULL;
	g_mutex_lock(&area->lock);
	Staged *s = own_locked(area, ino, zvm_fuse_caller(req).uid);
	gboolean exists = s != NULL;
	if (s && s->job_id && strcmp(name, "user.zvm.job") == 0)
		value = g_strdup_printf("%" G_GUINT64_FORMAT, s->job_id);
	g_mutex_unlock(&area->lock);
	if (!exists)
		fuse_reply_err(req, ENOENT);
	else
		zvm_reply_xattr_value(req, value, size);
}

void zvm_submit_listxattr(fuse_req_t req, ZvmFs *fs, fuse_ino_t ino, size_t size)
{
	ZvmSubmitArea *area = fs->submit;
	g_mutex_lock(&area->lock);
	Staged *s = own_locked(area, ino, zvm_fuse_caller(req).uid);
	gboolean exists = s != NULL, has_job = s && s->job_id;
	g_mutex_unlock(&area->lock);
	static const char names[] = "user.zvm.job";
	if (!exists)
		fuse_reply_err(req, ENOENT);
	else
		zvm_reply_xattr_list(req, names, has_job ? sizeof(names) : 0, size);
}
