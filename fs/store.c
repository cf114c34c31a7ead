/* SPDX-License-Identifier: Apache-2.0 */
/* The job store: job directories on disk, the in-memory index, submission and retention. */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../channels/bundle.h"
#include "../channels/manifest.h"
#include "../channels/nvram.h"
#include "state-file.h"

G_DEFINE_QUARK(zvm - store - error - quark, zvm_store_error)

#define META_GROUP "job"

struct _ZvmStore {
	char *state_dir;
	char *jobs_dir;
	char *staging_dir;
	char *counter_path;
	const ZvmLimits *limits;
	const ZvmSandboxConfig *sandbox;
	ZvmStoreRetention retention;

	GMutex lock;	  /* jobs and next_id */
	GHashTable *jobs; /* &job->id -> ZvmStoreJob* (one reference) */
	guint64 next_id;
};

struct _ZvmStoreJob {
	gint refcount;
	guint64 id;	     /* immutable */
	uid_t uid;	     /* immutable */
	gid_t gid;	     /* immutable */
	ZvmOutputTree *tree; /* immutable */
	char **outputs;	     /* immutable */
	guint n_outputs;

	GMutex io_lock; /* serialises meta writes and the move on unlink */
	GMutex lock;	/* every field below */
	char *dir;
	ZvmJobState state;
	char *exit_state;
	int user_rc;
	gboolean has_rc;
	char *owner;
	char *name;
	gint64 submitted_ns, started_ns, ended_ns, changed_ns;
	double wall_seconds, cpu_seconds;
	guint restarts;
	char *reason;
	uint64_t *output_sizes;
	gint64 *output_mtimes;
	uint64_t manifest_size, report_size, accounting_size;
	gboolean deleted;
};

static const char *const state_names[] = {
    [ZVM_STATE_QUEUED] = "queued",     [ZVM_STATE_COMPILING] = "compiling",
    [ZVM_STATE_RUNNING] = "running",   [ZVM_STATE_DONE] = "done",
    [ZVM_STATE_FAILED] = "failed",     [ZVM_STATE_KILLED] = "killed",
    [ZVM_STATE_REJECTED] = "rejected",
};

const char *zvm_job_state_to_string(ZvmJobState state)
{
	return (guint)state < G_N_ELEMENTS(state_names) ? state_names[state] : "unknown";
}

gboolean zvm_job_state_from_string(const char *text, ZvmJobState *state)
{
	for (guint i = 0; text && i < G_N_ELEMENTS(state_names); i++) {
		if (strcmp(text, state_names[i]) == 0) {
			*state = (ZvmJobState)i;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean zvm_job_state_is_ended(ZvmJobState state)
{
	return state >= ZVM_STATE_DONE;
}

static gint64 now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (gint64)ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

static char *owner_name(uid_t uid)
{
	struct passwd pw, *found = NULL;
	char buffer[4096];
	if (getpwuid_r(uid, &pw, buffer, sizeof(buffer), &found) == 0 && found)
		return g_strdup(found->pw_name);
	return g_strdup_printf("%u", (unsigned)uid);
}

static uint64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Job records */

static ZvmStoreJob *job_new(guint64 id, uid_t uid, gid_t gid, char **outputs, const char *dir)
{
	ZvmStoreJob *job = g_new0(ZvmStoreJob, 1);
	job->refcount = 1;
	job->id = id;
	job->uid = uid;
	job->gid = gid;
	job->outputs = outputs ? outputs : g_new0(char *, 1);
	job->n_outputs = g_strv_length(job->outputs);
	job->tree = zvm_output_tree_new((const char *const *)job->outputs);
	job->output_sizes = g_new0(uint64_t, job->n_outputs + 1);
	job->output_mtimes = g_new0(gint64, job->n_outputs + 1);
	g_mutex_init(&job->lock);
	g_mutex_init(&job->io_lock);
	job->dir = g_strdup(dir);
	job->owner = owner_name(uid);
	job->user_rc = 0;
	return job;
}

ZvmStoreJob *zvm_store_job_ref(ZvmStoreJob *job)
{
	g_atomic_int_inc(&job->refcount);
	return job;
}

void zvm_store_job_unref(ZvmStoreJob *job)
{
	if (job == NULL || !g_atomic_int_dec_and_test(&job->refcount))
		return;
	g_strfreev(job->outputs);
	zvm_output_tree_free(job->tree);
	g_mutex_clear(&job->lock);
	g_mutex_clear(&job->io_lock);
	g_free(job->dir);
	g_free(job->exit_state);
	g_free(job->owner);
	g_free(job->name);
	g_free(job->reason);
	g_free(job->output_sizes);
	g_free(job->output_mtimes);
	g_free(job);
}

guint64 zvm_store_job_get_id(const ZvmStoreJob *job)
{
	return job->id;
}

const ZvmOutputTree *zvm_store_job_get_outputs(const ZvmStoreJob *job)
{
	return job->tree;
}

static char *job_dir(ZvmStoreJob *job)
{
	g_mutex_lock(&job->lock);
	char *dir = g_strdup(job->dir);
	g_mutex_unlock(&job->lock);
	return dir;
}

char *zvm_store_job_path(ZvmStoreJob *job, const char *relative)
{
	g_mutex_lock(&job->lock);
	char *path = g_build_filename(job->dir, relative, NULL);
	g_mutex_unlock(&job->lock);
	return path;
}

void zvm_store_job_get_info(ZvmStoreJob *job, ZvmJobInfo *info)
{
	g_mutex_lock(&job->lock);
	*info = (ZvmJobInfo){
	    .id = job->id,
	    .state = job->state,
	    .uid = job->uid,
	    .gid = job->gid,
	    .submitted_ns = job->submitted_ns,
	    .started_ns = job->started_ns,
	    .ended_ns = job->ended_ns,
	    .changed_ns = job->changed_ns,
	    .restarts = job->restarts,
	    .manifest_size = job->manifest_size,
	    .report_size = job->report_size,
	    .accounting_size = job->accounting_size,
	    .deleted = job->deleted,
	};
	g_mutex_unlock(&job->lock);
}

void zvm_store_job_get_output_stat(ZvmStoreJob *job, guint index, uint64_t *size, gint64 *mtime_ns)
{
	g_mutex_lock(&job->lock);
	gboolean valid = index < job->n_outputs;
	*size = valid ? job->output_sizes[index] : 0;
	*mtime_ns =
	    valid && job->output_mtimes[index] ? job->output_mtimes[index] : job->submitted_ns;
	g_mutex_unlock(&job->lock);
}

gboolean zvm_store_job_refresh_outputs(ZvmStoreJob *job)
{
	g_autofree char *out = zvm_store_job_path(job, "out");
	gboolean changed = FALSE;
	for (guint i = 0; i < job->n_outputs; i++) {
		g_autofree char *path = g_build_filename(out, job->outputs[i], NULL);
		struct stat st;
		uint64_t size = 0;
		gint64 mtime = 0;
		if (stat(path, &st) == 0) {
			size = (uint64_t)st.st_size;
			mtime = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
		}
		g_mutex_lock(&job->lock);
		if (job->output_sizes[i] != size || job->output_mtimes[i] != mtime) {
			changed = TRUE;
			job->output_sizes[i] = size;
			job->output_mtimes[i] = mtime;
		}
		g_mutex_unlock(&job->lock);
	}
	return changed;
}

/* meta: GKeyFile [job] */

static void set_optional_string(GKeyFile *keyfile, const char *key, const char *value)
{
	if (value)
		g_key_file_set_string(keyfile, META_GROUP, key, value);
}

/* Called with job->lock held. */
static char *meta_serialize(ZvmStoreJob *job, gsize *length)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_key_file_set_string(keyfile, META_GROUP, "state", zvm_job_state_to_string(job->state));
	set_optional_string(keyfile, "exit_state", job->exit_state);
	if (job->has_rc)
		g_key_file_set_integer(keyfile, META_GROUP, "user_rc", job->user_rc);
	g_key_file_set_uint64(keyfile, META_GROUP, "uid", job->uid);
	g_key_file_set_uint64(keyfile, META_GROUP, "gid", job->gid);
	set_optional_string(keyfile, "name", job->name);
	g_key_file_set_int64(keyfile, META_GROUP, "submitted", job->submitted_ns);
	g_key_file_set_int64(keyfile, META_GROUP, "started", job->started_ns);
	g_key_file_set_int64(keyfile, META_GROUP, "ended", job->ended_ns);
	g_key_file_set_int64(keyfile, META_GROUP, "changed", job->changed_ns);
	g_key_file_set_double(keyfile, META_GROUP, "wall_seconds", job->wall_seconds);
	g_key_file_set_double(keyfile, META_GROUP, "cpu_seconds", job->cpu_seconds);
	g_key_file_set_uint64(keyfile, META_GROUP, "restarts", job->restarts);
	set_optional_string(keyfile, "reason", job->reason);
	g_key_file_set_string_list(keyfile, META_GROUP, "outputs",
				   (const char *const *)job->outputs, job->n_outputs);
	return g_key_file_to_data(keyfile, length, NULL);
}

/* Writes meta from the job's current fields; @mutate (may be NULL) changes them first,
 * under the lock, so that the file and the index never disagree on the order of changes. */
static gboolean meta_save(ZvmStoreJob *job, void (*mutate)(ZvmStoreJob *, gconstpointer),
			  gconstpointer data, GError **error)
{
	g_mutex_lock(&job->io_lock);
	g_mutex_lock(&job->lock);
	if (mutate)
		mutate(job, data);
	gsize length;
	g_autofree char *text = meta_serialize(job, &length);
	g_autofree char *path = g_build_filename(job->dir, "meta", NULL);
	g_mutex_unlock(&job->lock);
	gboolean ok = zvm_state_write_atomic(path, text, length, 0600, error);
	g_mutex_unlock(&job->io_lock);
	return ok;
}

static ZvmStoreJob *job_load(const char *dir, guint64 id, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "meta", NULL);
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	if (!g_key_file_load_from_file(keyfile, path, G_KEY_FILE_NONE, error))
		return NULL;
	g_autofree char *state_text = g_key_file_get_string(keyfile, META_GROUP, "state", NULL);
	ZvmJobState state;
	if (!zvm_job_state_from_string(state_text, &state)) {
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_IO, "%s: bad state '%s'", path,
			    state_text ? state_text : "");
		return NULL;
	}
	uid_t uid = (uid_t)g_key_file_get_uint64(keyfile, META_GROUP, "uid", NULL);
	gid_t gid = (gid_t)g_key_file_get_uint64(keyfile, META_GROUP, "gid", NULL);
	char **outputs = g_key_file_get_string_list(keyfile, META_GROUP, "outputs", NULL, NULL);
	ZvmStoreJob *job = job_new(id, uid, gid, outputs, dir);
	job->state = state;
	job->exit_state = g_key_file_get_string(keyfile, META_GROUP, "exit_state", NULL);
	job->has_rc = g_key_file_has_key(keyfile, META_GROUP, "user_rc", NULL);
	job->user_rc = g_key_file_get_integer(keyfile, META_GROUP, "user_rc", NULL);
	job->name = g_key_file_get_string(keyfile, META_GROUP, "name", NULL);
	job->submitted_ns = g_key_file_get_int64(keyfile, META_GROUP, "submitted", NULL);
	job->started_ns = g_key_file_get_int64(keyfile, META_GROUP, "started", NULL);
	job->ended_ns = g_key_file_get_int64(keyfile, META_GROUP, "ended", NULL);
	job->changed_ns = g_key_file_get_int64(keyfile, META_GROUP, "changed", NULL);
	job->wall_seconds = g_key_file_get_double(keyfile, META_GROUP, "wall_seconds", NULL);
	job->cpu_seconds = g_key_file_get_double(keyfile, META_GROUP, "cpu_seconds", NULL);
	job->restarts = (guint)g_key_file_get_uint64(keyfile, META_GROUP, "restarts", NULL);
	job->reason = g_key_file_get_string(keyfile, META_GROUP, "reason", NULL);
	if (job->changed_ns == 0)
		job->changed_ns = MAX(job->ended_ns, MAX(job->started_ns, job->submitted_ns));
	g_autofree char *manifest = g_build_filename(dir, "bundle", "manifest", NULL);
	g_autofree char *report = g_build_filename(dir, "report", NULL);
	g_autofree char *accounting = g_build_filename(dir, "accounting", NULL);
	job->manifest_size = file_size(manifest);
	job->report_size = file_size(report);
	job->accounting_size = file_size(accounting);
	return job;
}

/* Store */

const char *zvm_store_get_state_dir(const ZvmStore *store)
{
	return store->state_dir;
}

const ZvmLimits *zvm_store_get_limits(const ZvmStore *store)
{
	return store->limits;
}

static gboolean counter_write(ZvmStore *store, guint64 next, GError **error)
{
	char text[32];
	int length = g_snprintf(text, sizeof(text), "%" G_GUINT64_FORMAT "\n", next);
	return zvm_state_write_atomic(store->counter_path, text, (gsize)length, 0644, error);
}

static gboolean parse_id(const char *text, guint64 *id)
{
	return g_ascii_string_to_unsigned(text, 10, 1, G_MAXUINT64 >> 24, id, NULL) &&
	       text[0] != '0' && text[0] != '+';
}

static void index_insert(ZvmStore *store, ZvmStoreJob *job)
{
	g_mutex_lock(&store->lock);
	g_hash_table_insert(store->jobs, &job->id, job);
	g_mutex_unlock(&store->lock);
}

/* A job found compiling or running at open: the gateway stopped under it. */
static void requeue_interrupted(ZvmStoreJob *job, gconstpointer data)
{
	job->state = ZVM_STATE_QUEUED;
	job->restarts++;
	job->started_ns = 0;
	job->changed_ns = now_ns();
}

static gboolean reset_run_files(ZvmStoreJob *job, GError **error)
{
	g_autofree char *out = zvm_store_job_path(job, "out");
	g_autofree char *report = zvm_store_job_path(job, "report");
	g_autofree char *accounting = zvm_store_job_path(job, "accounting");
	if (!zvm_state_remove_tree(out, error) || !zvm_state_ensure_dir(out, 0755, error))
		return FALSE;
	unlink(report);
	unlink(accounting);
	g_mutex_lock(&job->lock);
	job->report_size = job->accounting_size = 0;
	g_mutex_unlock(&job->lock);
	zvm_store_job_refresh_outputs(job);
	return TRUE;
}

static gboolean store_scan(ZvmStore *store, GError **error)
{
	DIR *dir = opendir(store->jobs_dir);
	if (dir == NULL) {
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_IO, "cannot read %s: %s",
			    store->jobs_dir, g_strerror(errno));
		return FALSE;
	}
	guint64 max_id = 0;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		const char *name = entry->d_name;
		guint64 id;
		g_autofree char *path = g_build_filename(store->jobs_dir, name, NULL);
		if (g_str_has_prefix(name, ".new-") || g_str_has_prefix(name, ".del-")) {
			/* An interrupted submission or deletion; its id stays used. */
			if (parse_id(name + 5, &id))
				max_id = MAX(max_id, id);
			g_autoptr(GError) local = NULL;
			if (!zvm_state_remove_tree(path, &local))
				g_warning("store: %s", local->message);
			continue;
		}
		if (!parse_id(name, &id))
			continue;
		max_id = MAX(max_id, id);
		g_autoptr(GError) local = NULL;
		ZvmStoreJob *job = job_load(path, id, &local);
		if (job == NULL) {
			g_warning("store: job %" G_GUINT64_FORMAT " ignored: %s", id,
				  local->message);
			continue;
		}
		if (job->state == ZVM_STATE_COMPILING || job->state == ZVM_STATE_RUNNING) {
			if (!reset_run_files(job, &local) ||
			    !meta_save(job, requeue_interrupted, NULL, &local))
				g_warning("store: job %" G_GUINT64_FORMAT ": %s", id,
					  local->message);
		} else {
			zvm_store_job_refresh_outputs(job);
		}
		index_insert(store, job);
	}
	closedir(dir);
	if (store->next_id <= max_id) {
		store->next_id = max_id + 1;
		if (!counter_write(store, store->next_id, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean read_counter(ZvmStore *store, GError **error)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) local = NULL;
	store->next_id = 1;
	if (!g_file_get_contents(store->counter_path, &text, NULL, &local)) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	if (!g_ascii_string_to_unsigned(g_strstrip(text), 10, 1, G_MAXUINT64 >> 24, &store->next_id,
					NULL)) {
		/* The jobs on disk still bound it from below (store_scan). */
		g_warning("store: %s is corrupt; recomputing it from the jobs",
			  store->counter_path);
		store->next_id = 1;
	}
	return TRUE;
}

ZvmStore *zvm_store_open(const char *state_dir, const ZvmLimits *limits,
			 const ZvmSandboxConfig *sandbox, const ZvmStoreRetention *retention,
			 GError **error)
{
	g_autoptr(ZvmStore) store = g_new0(ZvmStore, 1);
	g_mutex_init(&store->lock);
	store->jobs = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					    (GDestroyNotify)zvm_store_job_unref);
	store->state_dir = g_strdup(state_dir);
	store->jobs_dir = g_build_filename(state_dir, "jobs", NULL);
	store->staging_dir = g_build_filename(state_dir, "staging", NULL);
	store->counter_path = g_build_filename(state_dir, "next-id", NULL);
	store->limits = limits;
	store->sandbox = sandbox;
	if (retention)
		store->retention = *retention;

	g_autoptr(GError) local = NULL;
	if (g_mkdir_with_parents(state_dir, 0755) < 0 ||
	    !zvm_state_ensure_dir(state_dir, 0755, &local) ||
	    !zvm_state_ensure_dir(store->jobs_dir, 0711, &local) ||
	    !zvm_state_remove_tree(store->staging_dir, &local) ||
	    !zvm_state_ensure_dir(store->staging_dir, 0700, &local) ||
	    !read_counter(store, &local) || !store_scan(store, &local)) {
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_IO, "state directory %s: %s",
			    state_dir, local ? local->message : g_strerror(errno));
		return NULL;
	}
	g_autoptr(GArray) expired = zvm_store_expire(store, now_ns());
	return g_steal_pointer(&store);
}

void zvm_store_free(ZvmStore *store)
{
	if (store == NULL)
		return;
	g_hash_table_unref(store->jobs);
	g_mutex_clear(&store->lock);
	g_free(store->state_dir);
	g_free(store->jobs_dir);
	g_free(store->staging_dir);
	g_free(store->counter_path);
	g_free(store);
}

int zvm_store_open_staging(ZvmStore *store, GError **error)
{
	int fd = open(store->staging_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	/* Filesystems without O_TMPFILE: a named file, unlinked at once. */
	g_autofree char *path = g_build_filename(store->staging_dir, "stage-XXXXXX", NULL);
	fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		int err = errno;
		g_set_error(
		    error, ZVM_STORE_ERROR,
		    err == ENOSPC || err == EDQUOT ? ZVM_STORE_ERROR_NO_SPACE : ZVM_STORE_ERROR_IO,
		    "cannot create a staging file in %s: %s", store->staging_dir, g_strerror(err));
		return -1;
	}
	unlink(path);
	return fd;
}

/* Submission */

static gboolean allocate_id(ZvmStore *store, guint64 *id, GError **error)
{
	g_mutex_lock(&store->lock);
	gboolean ok = counter_write(store, store->next_id + 1, error);
	if (ok)
		*id = store->next_id++;
	g_mutex_unlock(&store->lock);
	return ok;
}

/* The store's error for a refusal by the bundle reader, the manifest parser or the
 * engine; the message is kept as the reason. */
static ZvmStoreError classify_error(const GError *cause)
{
	if (cause->domain == ZVM_BUNDLE_ERROR) {
		if (cause->code == ZVM_BUNDLE_ERROR_TOO_LARGE)
			return ZVM_STORE_ERROR_TOO_LARGE;
		if (cause->code == ZVM_BUNDLE_ERROR_IO)
			return strstr(cause->message, "no space") ? ZVM_STORE_ERROR_NO_SPACE
								  : ZVM_STORE_ERROR_IO;
		return ZVM_STORE_ERROR_INVALID;
	}
	if (cause->domain == ZVM_MANIFEST_ERROR)
		return cause->code == ZVM_MANIFEST_ERROR_TOO_LARGE ? ZVM_STORE_ERROR_TOO_LARGE
								   : ZVM_STORE_ERROR_INVALID;
	if (cause->domain == ZVM_NVRAM_ERROR)
		return cause->code == ZVM_NVRAM_ERROR_TOO_LARGE ? ZVM_STORE_ERROR_TOO_LARGE
								: ZVM_STORE_ERROR_INVALID;
	if (cause->domain == ZVM_JOB_ERROR) {
		if (cause->code == ZVM_JOB_ERROR_BUNDLE)
			return ZVM_STORE_ERROR_INVALID;
		if (cause->code == ZVM_JOB_ERROR_NO_SPACE)
			return ZVM_STORE_ERROR_NO_SPACE;
		return ZVM_STORE_ERROR_IO;
	}
	if (cause->domain == G_FILE_ERROR) {
		if (cause->code == G_FILE_ERROR_NOSPC)
			return ZVM_STORE_ERROR_NO_SPACE;
		return ZVM_STORE_ERROR_IO;
	}
	if (cause->domain == ZVM_STORE_ERROR)
		return (ZvmStoreError)cause->code;
	return ZVM_STORE_ERROR_IO;
}

/* Copies, extracts and opens the bundle in @dir; fills @outputs on success. */
static gboolean check_bundle(ZvmStore *store, int fd, const char *dir, char ***outputs,
			     GError **error)
{
	g_autofree char *tar = g_build_filename(dir, "bundle.tar", NULL);
	g_autofree char *bundle = g_build_filename(dir, "bundle", NULL);
	g_autofree char *out = g_build_filename(dir, "out", NULL);
	g_autoptr(GError) local = NULL;
	gboolean too_large;
	int64_t copied =
	    zvm_state_copy_fd(fd, tar, store->limits->bundle_max_archive, &too_large, &local);
	if (copied < 0) {
		if (too_large) {
			g_autofree char *max = zvm_format_size(store->limits->bundle_max_archive);
			g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_TOO_LARGE,
				    "bundle: the archive is over the %s maximum", max);
			return FALSE;
		}
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	if (!zvm_state_ensure_dir(bundle, 0755, &local) ||
	    !zvm_state_ensure_dir(out, 0755, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	int tar_fd = open(tar, O_RDONLY | O_CLOEXEC);
	if (tar_fd < 0) {
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_IO, "cannot open %s: %s", tar,
			    g_strerror(errno));
		return FALSE;
	}
	gboolean extracted = zvm_bundle_extract(tar_fd, bundle, store->limits, &local);
	close(tar_fd);
	if (!extracted) {
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	g_autoptr(ZvmJob) job = zvm_job_open(bundle, store->limits, store->sandbox, &local);
	if (job == NULL) {
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	*outputs = g_strdupv((char **)zvm_job_get_outputs(job));
	return TRUE;
}

/* A refused bundle keeps only its manifest (when it had one), for the user to read. */
static void strip_rejected(const char *dir)
{
	g_autofree char *tar = g_build_filename(dir, "bundle.tar", NULL);
	g_autofree char *bundle = g_build_filename(dir, "bundle", NULL);
	g_autofree char *aside = g_build_filename(dir, "bundle.refused", NULL);
	g_autofree char *manifest = g_build_filename(aside, "manifest", NULL);
	g_autofree char *kept = g_build_filename(bundle, "manifest", NULL);
	unlink(tar);
	if (rename(bundle, aside) == 0) {
		if (mkdir(bundle, 0755) == 0) {
			struct stat st;
			if (lstat(manifest, &st) == 0 && S_ISREG(st.st_mode))
				(void)rename(manifest, kept);
		}
		(void)zvm_state_remove_tree(aside, NULL);
	}
}

static gboolean write_report_files(ZvmStoreJob *job, const char *dir, const ZvmReport *report,
				   GError **error)
{
	g_autofree char *text = zvm_report_format(report);
	g_autofree char *accounting = g_strdup_printf(
	    "%s\n", report->accounting ? report->accounting : "0 0 0 0 0 0 0 0 0 0");
	g_autofree char *report_path = g_build_filename(dir, "report", NULL);
	g_autofree char *accounting_path = g_build_filename(dir, "accounting", NULL);
	gsize report_len = text ? strlen(text) : 0;
	if (!zvm_state_write_atomic(report_path, text ? text : "", report_len, 0644, error) ||
	    !zvm_state_write_atomic(accounting_path, accounting, strlen(accounting), 0644, error))
		return FALSE;
	g_mutex_lock(&job->lock);
	job->report_size = report_len;
	job->accounting_size = strlen(accounting);
	g_mutex_unlock(&job->lock);
	return TRUE;
}

/* Writes the new job's files in its temporary directory and moves it into place. */
static gboolean record_job(ZvmStore *store, ZvmStoreJob *job, const GError *refusal,
			   const char *final_dir, GError **error)
{
	g_autofree char *temp_dir = job_dir(job);
	if (refusal) {
		g_auto(ZvmReport) report = {0};
		strip_rejected(temp_dir);
		job->state = ZVM_STATE_REJECTED;
		job->ended_ns = job->submitted_ns;
		job->reason = g_strdup(refusal->message);
		job->exit_state = g_strdup(refusal->message);
		zvm_report_set_failure(&report, ZVM_EXIT_MANIFEST, refusal->message);
		if (!write_report_files(job, temp_dir, &report, error))
			return FALSE;
	}
	g_autofree char *manifest = g_build_filename(temp_dir, "bundle", "manifest", NULL);
	job->manifest_size = file_size(manifest);
	if (!meta_save(job, NULL, NULL, error))
		return FALSE;
	if (rename(temp_dir, final_dir) < 0) {
		int err = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
			    "cannot rename %s: %s", temp_dir, g_strerror(err));
		return FALSE;
	}
	g_mutex_lock(&job->lock);
	g_free(job->dir);
	job->dir = g_strdup(final_dir);
	g_mutex_unlock(&job->lock);
	return zvm_state_sync_dir(store->jobs_dir, error);
}

gboolean zvm_store_submit(ZvmStore *store, int fd, const char *name, uid_t uid, gid_t gid,
			  guint64 *id, GError **error)
{
	*id = 0;
	guint64 new_id;
	g_autoptr(GError) local = NULL;
	if (!allocate_id(store, &new_id, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	g_autofree char *temp_dir =
	    g_strdup_printf("%s/.new-%" G_GUINT64_FORMAT, store->jobs_dir, new_id);
	g_autofree char *final_dir =
	    g_strdup_printf("%s/%" G_GUINT64_FORMAT, store->jobs_dir, new_id);
	if (mkdir(temp_dir, 0700) < 0) {
		int err = errno;
		g_set_error(error, ZVM_STORE_ERROR,
			    err == ENOSPC || err == EDQUOT ? ZVM_STORE_ERROR_NO_SPACE
							   : ZVM_STORE_ERROR_IO,
			    "cannot create %s: %s", temp_dir, g_strerror(err));
		return FALSE;
	}

	char **outputs = NULL;
	g_autoptr(GError) refusal = NULL;
	gboolean accepted = check_bundle(store, fd, temp_dir, &outputs, &refusal);
	g_autoptr(ZvmStoreJob) job = job_new(new_id, uid, gid, outputs, temp_dir);
	job->name = g_strdup(name);
	job->submitted_ns = job->changed_ns = now_ns();
	/* A full disk leaves nothing to record; the caller still hears why. */
	gboolean recordable = accepted || refusal->code != ZVM_STORE_ERROR_NO_SPACE;
	if (!recordable || !record_job(store, job, refusal, final_dir, &local)) {
		(void)zvm_state_remove_tree(temp_dir, NULL);
		if (refusal)
			g_propagate_error(error, g_steal_pointer(&refusal));
		else
			g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local),
					    local->message);
		return FALSE;
	}
	index_insert(store, zvm_store_job_ref(job));
	*id = new_id;
	if (!accepted) {
		g_propagate_error(error, g_steal_pointer(&refusal));
		return FALSE;
	}
	return TRUE;
}

/* Index queries */

ZvmStoreJob *zvm_store_lookup(ZvmStore *store, guint64 id)
{
	g_mutex_lock(&store->lock);
	ZvmStoreJob *job = g_hash_table_lookup(store->jobs, &id);
	if (job)
		zvm_store_job_ref(job);
	g_mutex_unlock(&store->lock);
	return job;
}

static int compare_ids(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
	return x < y ? -1 : x > y;
}

GArray *zvm_store_list(ZvmStore *store, gboolean all, uid_t uid)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_mutex_lock(&store->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, store->jobs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ZvmStoreJob *job = value;
		if (all || job->uid == uid)
			g_array_append_val(ids, job->id);
	}
	g_mutex_unlock(&store->lock);
	g_array_sort(ids, compare_ids);
	return ids;
}

GArray *zvm_store_list_queued(ZvmStore *store)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_mutex_lock(&store->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, store->jobs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ZvmStoreJob *job = value;
		g_mutex_lock(&job->lock);
		if (job->state == ZVM_STATE_QUEUED)
			g_array_append_val(ids, job->id);
		g_mutex_unlock(&job->lock);
	}
	g_mutex_unlock(&store->lock);
	g_array_sort(ids, compare_ids);
	return ids;
}

guint64 zvm_store_newest(ZvmStore *store, uid_t uid)
{
	guint64 newest = 0;
	g_mutex_lock(&store->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, store->jobs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ZvmStoreJob *job = value;
		if (job->uid == uid && job->id > newest)
			newest = job->id;
	}
	g_mutex_unlock(&store->lock);
	return newest;
}

/* Deletion and retention */

ZvmStoreJob *zvm_store_unlink(ZvmStore *store, guint64 id, GError **error)
{
	g_mutex_lock(&store->lock);
	ZvmStoreJob *job = g_hash_table_lookup(store->jobs, &id);
	if (job) {
		zvm_store_job_ref(job);
		g_hash_table_remove(store->jobs, &id);
	}
	g_mutex_unlock(&store->lock);
	if (job == NULL) {
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_NOT_FOUND,
			    "no job %" G_GUINT64_FORMAT, id);
		return NULL;
	}
	g_autofree char *aside = g_strdup_printf("%s/.del-%" G_GUINT64_FORMAT, store->jobs_dir, id);
	g_mutex_lock(&job->io_lock);
	int r = rename(job->dir, aside);
	int err = errno;
	if (r == 0) {
		g_mutex_lock(&job->lock);
		g_free(job->dir);
		job->dir = g_steal_pointer(&aside);
		job->deleted = TRUE;
		g_mutex_unlock(&job->lock);
	}
	g_mutex_unlock(&job->io_lock);
	if (r < 0) {
		index_insert(store, job);
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_IO,
			    "cannot remove job %" G_GUINT64_FORMAT ": %s", id, g_strerror(err));
		return NULL;
	}
	return job;
}

void zvm_store_job_purge(ZvmStoreJob *job)
{
	g_mutex_lock(&job->io_lock);
	g_mutex_lock(&job->lock);
	gboolean deleted = job->deleted;
	g_autofree char *dir = g_strdup(job->dir);
	g_mutex_unlock(&job->lock);
	g_autoptr(GError) local = NULL;
	if (deleted && !zvm_state_remove_tree(dir, &local))
		g_warning("store: job %" G_GUINT64_FORMAT ": %s", job->id, local->message);
	g_mutex_unlock(&job->io_lock);
}

typedef struct {
	guint64 id;
	gint64 ended_ns;
} EndedJob;

GArray *zvm_store_expire(ZvmStore *store, gint64 now)
{
	GArray *removed = g_array_new(FALSE, FALSE, sizeof(guint64));
	if (store->retention.retain_jobs == 0 && store->retention.retain_seconds == 0)
		return removed;
	g_autoptr(GArray) ended = g_array_new(FALSE, FALSE, sizeof(EndedJob));
	g_mutex_lock(&store->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, store->jobs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ZvmStoreJob *job = value;
		g_mutex_lock(&job->lock);
		if (zvm_job_state_is_ended(job->state)) {
			EndedJob e = {job->id, job->ended_ns};
			g_array_append_val(ended, e);
		}
		g_mutex_unlock(&job->lock);
	}
	g_mutex_unlock(&store->lock);
	g_array_sort(ended, compare_ids); /* id is the first member: oldest first */

	guint excess = store->retention.retain_jobs && ended->len > store->retention.retain_jobs
			   ? ended->len - store->retention.retain_jobs
			   : 0;
	gint64 horizon = store->retention.retain_seconds
			     ? now - (gint64)MIN(store->retention.retain_seconds,
						 (uint64_t)(G_MAXINT64 / 1000000000)) *
					 1000000000
			     : G_MININT64;
	for (guint i = 0; i < ended->len; i++) {
		EndedJob *e = &g_array_index(ended, EndedJob, i);
		if (i >= excess && e->ended_ns >= horizon)
			continue;
		g_autoptr(GError) local = NULL;
		g_autoptr(ZvmStoreJob) job = zvm_store_unlink(store, e->id, &local);
		if (job == NULL)
			continue;
		zvm_store_job_purge(job);
		g_array_append_val(removed, e->id);
	}
	return removed;
}

/* Scheduler side */

gboolean zvm_store_job_prepare_run(ZvmStoreJob *job, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (!reset_run_files(job, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean save_or_classify(ZvmStoreJob *job, void (*mutate)(ZvmStoreJob *, gconstpointer),
				 gconstpointer data, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (!meta_save(job, mutate, data, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	return TRUE;
}

static void apply_state(ZvmStoreJob *job, gconstpointer data)
{
	ZvmJobState state = *(const ZvmJobState *)data;
	job->state = state;
	job->changed_ns = now_ns();
	if (state == ZVM_STATE_RUNNING)
		job->started_ns = job->changed_ns;
}

gboolean zvm_store_job_set_state(ZvmStoreJob *job, ZvmJobState state, GError **error)
{
	g_return_val_if_fail(!zvm_job_state_is_ended(state), FALSE);
	return save_or_classify(job, apply_state, &state, error);
}

typedef struct {
	ZvmJobState state;
	const ZvmReport *report;
	const char *reason;
} Finish;

static void apply_finish(ZvmStoreJob *job, gconstpointer data)
{
	const Finish *finish = data;
	job->state = finish->state;
	job->ended_ns = job->changed_ns = now_ns();
	g_free(job->reason);
	job->reason = g_strdup(finish->reason);
	if (finish->report) {
		const ZvmReport *report = finish->report;
		g_free(job->exit_state);
		job->exit_state = g_strdup(report->exit_state);
		job->user_rc = report->user_rc;
		job->has_rc = TRUE;
		job->wall_seconds = report->wall_seconds;
		job->cpu_seconds = report->sys_seconds + report->user_seconds;
	}
}

gboolean zvm_store_job_finish(ZvmStoreJob *job, ZvmJobState state, const ZvmReport *report,
			      const char *reason, GError **error)
{
	g_return_val_if_fail(zvm_job_state_is_ended(state), FALSE);
	g_autoptr(GError) local = NULL;
	g_autofree char *dir = job_dir(job);
	if (report && !write_report_files(job, dir, report, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, classify_error(local), local->message);
		return FALSE;
	}
	zvm_store_job_refresh_outputs(job);
	Finish finish = {state, report, reason};
	return save_or_classify(job, apply_finish, &finish, error);
}

static void apply_requeue(ZvmStoreJob *job, gconstpointer data)
{
	job->state = ZVM_STATE_QUEUED;
	job->restarts++;
	job->started_ns = 0;
	job->changed_ns = now_ns();
}

gboolean zvm_store_job_requeue(ZvmStoreJob *job, GError **error)
{
	return save_or_classify(job, apply_requeue, NULL, error);
}

/* Status rendering */

static void append_time(GString *out, const char *key, gint64 ns)
{
	if (ns <= 0) {
		g_string_append_printf(out, "%s -\n", key);
		return;
	}
	g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(ns / 1000000000);
	g_autofree char *text = time ? g_date_time_format(time, "%Y-%m-%dT%H:%M:%SZ") : NULL;
	g_string_append_printf(out, "%s %s\n", key, text ? text : "-");
}

/* One line per key: newlines in a value would start a false key. */
static void append_value(GString *out, const char *key, const char *value)
{
	g_string_append_printf(out, "%s ", key);
	if (value == NULL || *value == '\0') {
		g_string_append(out, "-\n");
		return;
	}
	for (const char *p = value; *p; p++)
		g_string_append_c(out, *p == '\n' || *p == '\r' ? ' ' : *p);
	g_string_append_c(out, '\n');
}

char *zvm_store_job_render_status(ZvmStoreJob *job)
{
	GString *out = g_string_sized_new(512);
	g_mutex_lock(&job->lock);
	g_string_append_printf(out, "id %" G_GUINT64_FORMAT "\n", job->id);
	append_value(out, "state", zvm_job_state_to_string(job->state));
	append_value(out, "exit_state", job->exit_state);
	if (job->has_rc)
		g_string_append_printf(out, "user_rc %d\n", job->user_rc);
	else
		g_string_append(out, "user_rc -\n");
	append_value(out, "owner", job->owner);
	g_string_append_printf(out, "uid %u\n", (unsigned)job->uid);
	append_value(out, "name", job->name);
	append_time(out, "submitted", job->submitted_ns);
	append_time(out, "started", job->started_ns);
	append_time(out, "ended", job->ended_ns);
	g_string_append_printf(out, "wall_seconds %.3f\n", job->wall_seconds);
	g_string_append_printf(out, "cpu_seconds %.3f\n", job->cpu_seconds);
	g_string_append_printf(out, "restarts %u\n", job->restarts);
	append_value(out, "reason", job->reason);
	g_mutex_unlock(&job->lock);
	return g_string_free(out, FALSE);
}
