/* SPDX-License-Identifier: Apache-2.0 */
/* The job store on disk: the state directory, meta, report files, the id counter, and the
 * rescan that rebuilds the index at open. */
#include "store-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "../common/state-file.h"

#define META_GROUP "job"

/* Room kept on the state directory's disk for the store's own small records (meta, report,
 * accounting, next-id: a few KiB each). A job whose outputs fill the disk can then still be
 * recorded as failed, and a full disk never leaves a job that ended looking as if it runs. */
#define RESERVE_BYTES (256 * 1024)

void zvm_store_reserve_fill(ZvmStore *store)
{
	struct stat st;
	if (stat(store->reserve_path, &st) == 0 && st.st_blocks * 512 >= RESERVE_BYTES)
		return;
	int fd = open(store->reserve_path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	int r = posix_fallocate(fd, 0, RESERVE_BYTES);
	close(fd);
	/* Not whole: leave the space to the jobs until it can be whole. */
	if (r != 0)
		unlink(store->reserve_path);
}

/* An atomic write of a record; on a full disk the reserve gives way for one more try. */
static gboolean write_record(ZvmStore *store, const char *path, const void *data, gsize length,
			     mode_t mode, ZvmStateSync sync, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (zvm_state_write_atomic(path, data, length, mode, sync, &local))
		return TRUE;
	if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOSPC) &&
	    unlink(store->reserve_path) == 0) {
		g_warning("store: the disk of %s is full; using the reserve", store->state_dir);
		g_clear_error(&local);
		if (zvm_state_write_atomic(path, data, length, mode, sync, &local))
			return TRUE;
	}
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

/* meta: GKeyFile [job] */

static void set_optional_string(GKeyFile *keyfile, const char *key, const char *value)
{
	if (value)
		g_key_file_set_string(keyfile, META_GROUP, key, value);
}

static void set_optional_count(GKeyFile *keyfile, const char *key, int64_t value)
{
	if (value >= 0)
		g_key_file_set_int64(keyfile, META_GROUP, key, value);
}

static int64_t get_optional_count(GKeyFile *keyfile, const char *key)
{
	g_autoptr(GError) error = NULL;
	gint64 value = g_key_file_get_int64(keyfile, META_GROUP, key, &error);
	return error || value < 0 ? -1 : value;
}

/* Called with job->lock held. */
static char *meta_serialize(ZvmStoreJob *job, gsize *length)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_key_file_set_string(keyfile, META_GROUP, "state", zvm_store_state_to_string(job->state));
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
	if (job->interrupted)
		g_key_file_set_uint64(keyfile, META_GROUP, "interrupted", job->interrupted);
	set_optional_string(keyfile, "reason", job->reason);
	set_optional_string(keyfile, "runner", job->runner);
	set_optional_string(keyfile, "runner_job", job->runner_job);
	/* Only an ended job's values: a running one's are live, and go with a restart. */
	if (zvm_store_state_is_ended(job->state)) {
		set_optional_count(keyfile, "read_bytes", job->read_bytes);
		set_optional_count(keyfile, "written_bytes", job->written_bytes);
		set_optional_count(keyfile, "input_bytes", job->input_bytes);
	}
	g_key_file_set_string_list(keyfile, META_GROUP, "outputs",
				   (const char *const *)job->outputs, job->n_outputs);
	if (job->n_nodes)
		g_key_file_set_uint64(keyfile, META_GROUP, "nodes", job->n_nodes);
	if (job->node_results && zvm_store_state_is_ended(job->state))
		g_key_file_set_string_list(keyfile, META_GROUP, "node_results",
					   (const char *const *)job->node_results,
					   g_strv_length(job->node_results));
	return g_key_file_to_data(keyfile, length, NULL);
}

gboolean zvm_store_meta_save(ZvmStoreJob *job, void (*mutate)(ZvmStoreJob *, gconstpointer),
			     gconstpointer data, ZvmStateSync sync, GError **error)
{
	g_mutex_lock(&job->io_lock);
	g_mutex_lock(&job->lock);
	if (mutate)
		mutate(job, data);
	gsize length;
	g_autofree char *text = meta_serialize(job, &length);
	g_autofree char *path = g_build_filename(job->dir, "meta", NULL);
	g_mutex_unlock(&job->lock);
	gboolean ok = write_record(job->store, path, text, length, 0600, sync, error);
	g_mutex_unlock(&job->io_lock);
	return ok;
}

static GKeyFile *meta_load(const char *path, ZvmStoreState *state, GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	if (!g_key_file_load_from_file(keyfile, path, G_KEY_FILE_NONE, error))
		return NULL;
	g_autofree char *state_text = g_key_file_get_string(keyfile, META_GROUP, "state", NULL);
	if (!zvm_store_state_from_string(state_text, state)) {
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_IO, "%s: bad state '%s'", path,
			    state_text ? state_text : "");
		return NULL;
	}
	return g_steal_pointer(&keyfile);
}

static ZvmStoreJob *job_load(ZvmStore *store, const char *dir, guint64 id, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "meta", NULL);
	ZvmStoreState state;
	g_autoptr(GError) local = NULL;
	g_autoptr(GKeyFile) keyfile = meta_load(path, &state, &local);
	if (keyfile == NULL) {
		/* The compiling and running states are written without a sync; a host crash
		 * may leave meta empty. The submission's copy says who and what; the job was
		 * interrupted, so it runs again. */
		g_autofree char *submitted = g_build_filename(dir, "meta.submitted", NULL);
		keyfile = meta_load(submitted, &state, NULL);
		if (keyfile == NULL) {
			g_propagate_error(error, g_steal_pointer(&local));
			return NULL;
		}
		g_warning("store: job %" G_GUINT64_FORMAT ": %s; taking meta.submitted", id,
			  local->message);
		state = ZVM_STORE_STATE_RUNNING;
	}
	uid_t uid = (uid_t)g_key_file_get_uint64(keyfile, META_GROUP, "uid", NULL);
	gid_t gid = (gid_t)g_key_file_get_uint64(keyfile, META_GROUP, "gid", NULL);
	char **outputs = g_key_file_get_string_list(keyfile, META_GROUP, "outputs", NULL, NULL);
	ZvmStoreJob *job = zvm_store_job_new(store, id, uid, gid, outputs, dir);
	job->state = state;
	job->n_nodes = (guint)g_key_file_get_uint64(keyfile, META_GROUP, "nodes", NULL);
	job->exit_state = g_key_file_get_string(keyfile, META_GROUP, "exit_state", NULL);
	job->has_rc = state == ZVM_STORE_STATE_DONE &&
		      g_key_file_has_key(keyfile, META_GROUP, "user_rc", NULL);
	job->user_rc = g_key_file_get_integer(keyfile, META_GROUP, "user_rc", NULL);
	job->name = g_key_file_get_string(keyfile, META_GROUP, "name", NULL);
	job->submitted_ns = g_key_file_get_int64(keyfile, META_GROUP, "submitted", NULL);
	job->started_ns = g_key_file_get_int64(keyfile, META_GROUP, "started", NULL);
	job->ended_ns = g_key_file_get_int64(keyfile, META_GROUP, "ended", NULL);
	job->changed_ns = g_key_file_get_int64(keyfile, META_GROUP, "changed", NULL);
	job->wall_seconds = g_key_file_get_double(keyfile, META_GROUP, "wall_seconds", NULL);
	job->cpu_seconds = g_key_file_get_double(keyfile, META_GROUP, "cpu_seconds", NULL);
	job->restarts = (guint)g_key_file_get_uint64(keyfile, META_GROUP, "restarts", NULL);
	job->interrupted = (guint)g_key_file_get_uint64(keyfile, META_GROUP, "interrupted", NULL);
	job->reason = g_key_file_get_string(keyfile, META_GROUP, "reason", NULL);
	job->runner = g_key_file_get_string(keyfile, META_GROUP, "runner", NULL);
	job->runner_job = g_key_file_get_string(keyfile, META_GROUP, "runner_job", NULL);
	if (zvm_store_state_is_ended(state)) {
		job->read_bytes = get_optional_count(keyfile, "read_bytes");
		job->written_bytes = get_optional_count(keyfile, "written_bytes");
		job->input_bytes = get_optional_count(keyfile, "input_bytes");
		job->node_results =
		    g_key_file_get_string_list(keyfile, META_GROUP, "node_results", NULL, NULL);
	}
	if (job->changed_ns == 0)
		job->changed_ns = MAX(job->ended_ns, MAX(job->started_ns, job->submitted_ns));
	g_autofree char *manifest = zvm_store_manifest_path(dir);
	g_autofree char *report = g_build_filename(dir, "report", NULL);
	g_autofree char *accounting = g_build_filename(dir, "accounting", NULL);
	job->manifest_size = zvm_store_file_size(manifest);
	job->report_size = zvm_store_file_size(report);
	job->accounting_size = zvm_store_file_size(accounting);
	return job;
}

/* Run files */

gboolean zvm_store_reset_run_files(ZvmStoreJob *job, GError **error)
{
	g_autofree char *out = zvm_store_job_path(job, "out");
	g_autofree char *report = zvm_store_job_path(job, "report");
	g_autofree char *accounting = zvm_store_job_path(job, "accounting");
	if (!zvm_state_empty_dir(out, 0755, error))
		return FALSE;
	unlink(report);
	unlink(accounting);
	g_mutex_lock(&job->lock);
	job->report_size = job->accounting_size = 0;
	g_mutex_unlock(&job->lock);
	zvm_store_job_refresh_outputs(job);
	return TRUE;
}

gboolean zvm_store_write_report_files(ZvmStoreJob *job, const char *dir, const ZvmReport *report,
				      GError **error)
{
	g_autofree char *text = zvm_report_format(report);
	g_autofree char *accounting = g_strdup_printf(
	    "%s\n", report->accounting ? report->accounting : "0 0 0 0 0 0 0 0 0 0");
	g_autofree char *report_path = g_build_filename(dir, "report", NULL);
	g_autofree char *accounting_path = g_build_filename(dir, "accounting", NULL);
	gsize report_len = text ? strlen(text) : 0;
	if (!write_record(job->store, report_path, text ? text : "", report_len, 0644,
			  ZVM_STATE_SYNC_NONE, error) ||
	    !write_record(job->store, accounting_path, accounting, strlen(accounting), 0644,
			  ZVM_STATE_SYNC_NONE, error))
		return FALSE;
	g_mutex_lock(&job->lock);
	job->report_size = report_len;
	job->accounting_size = strlen(accounting);
	g_mutex_unlock(&job->lock);
	return TRUE;
}

/* Ids and the rescan */

/* @use_reserve is FALSE for a new submission: a bundle that meets a full disk is refused
 * anyway, and the reserve is for recording the jobs that exist. */
static gboolean counter_write(ZvmStore *store, guint64 next, gboolean use_reserve,
			      ZvmStateSync sync, GError **error)
{
	char text[32];
	int length = g_snprintf(text, sizeof(text), "%" G_GUINT64_FORMAT "\n", next);
	if (!use_reserve)
		return zvm_state_write_atomic(store->counter_path, text, (gsize)length, 0644, sync,
					      error);
	return write_record(store, store->counter_path, text, (gsize)length, 0644, sync, error);
}

static gboolean parse_id(const char *text, guint64 *id)
{
	return g_ascii_string_to_unsigned(text, 10, 1, G_MAXUINT64 >> 24, id, NULL) &&
	       text[0] != '0' && text[0] != '+';
}

gboolean zvm_store_allocate_id(ZvmStore *store, guint64 *id, GError **error)
{
	g_mutex_lock(&store->lock);
	gboolean ok = counter_write(store, store->next_id + 1, FALSE, ZVM_STATE_SYNC_NONE, error);
	if (ok)
		*id = store->next_id++;
	g_mutex_unlock(&store->lock);
	return ok;
}

static void apply_interrupted(ZvmStoreJob *job, gconstpointer data)
{
	zvm_store_apply_requeue(job, data);
	job->interrupted++;
}

static void apply_reattach(ZvmStoreJob *job, gconstpointer data)
{
	(void)data;
	job->state = ZVM_STORE_STATE_QUEUED;
	job->changed_ns = zvm_store_now_ns();
}

/*
 * A job the gateway was running when it stopped without a shutdown (a crash, kill -9, a
 * host crash). Its run may be what took the gateway down, so it runs again only
 * ZVM_STORE_MAX_INTERRUPTED times, each recorded in meta (synced) before the run starts;
 * then it ends failed, with its partial outputs removed as a re-run removes them.
 */
static gboolean recover_interrupted(ZvmStoreJob *job, GError **error)
{
	/* Run by a cluster engine, it may still run there: queued with its files as they are,
	 * its runner follows it instead of running it again (zvm_store_job_get_runner_job). */
	if (job->runner_job)
		return zvm_store_meta_save(job, apply_reattach, NULL, ZVM_STATE_SYNC_FILE, error);
	if (!zvm_store_reset_run_files(job, error))
		return FALSE;
	if (job->interrupted < ZVM_STORE_MAX_INTERRUPTED)
		return zvm_store_meta_save(job, apply_interrupted, NULL, ZVM_STATE_SYNC_FILE,
					   error);
	g_warning("store: job %" G_GUINT64_FORMAT ": %s", job->id, ZVM_STORE_INTERRUPTED_REASON);
	g_auto(ZvmReport) report = {0};
	zvm_report_set_failure(&report, ZVM_EXIT_SIGNAL, ZVM_STORE_INTERRUPTED_REASON);
	return zvm_store_job_finish(job, ZVM_STORE_STATE_FAILED, &report,
				    ZVM_STORE_INTERRUPTED_REASON, error);
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
		ZvmStoreJob *job = job_load(store, path, id, &local);
		if (job == NULL) {
			g_warning("store: job %" G_GUINT64_FORMAT " ignored: %s", id,
				  local->message);
			continue;
		}
		if (job->state == ZVM_STORE_STATE_COMPILING ||
		    job->state == ZVM_STORE_STATE_RUNNING) {
			if (!recover_interrupted(job, &local))
				g_warning("store: job %" G_GUINT64_FORMAT ": %s", id,
					  local->message);
		} else {
			zvm_store_job_refresh_outputs(job);
		}
		zvm_store_index_insert(store, job);
	}
	closedir(dir);
	if (store->next_id <= max_id) {
		store->next_id = max_id + 1;
		if (!counter_write(store, store->next_id, TRUE, ZVM_STATE_SYNC_FILE, error))
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

/* Opening */

ZvmStore *zvm_store_open(const char *state_dir, const ZvmEngineOps *engine, const ZvmLimits *limits,
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
	store->reserve_path = g_build_filename(state_dir, "reserve", NULL);
	store->engine = engine;
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
	zvm_store_reserve_fill(store);
	/* Nobody watches yet: which jobs expired need not be told. */
	g_array_unref(zvm_store_expire(store, zvm_store_now_ns()));
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
	g_free(store->reserve_path);
	g_free(store);
}
