/* SPDX-License-Identifier: Apache-2.0 */
/* The job store in memory: job states and records, the index, deletion and retention, the
 * scheduler's state changes and the status file. */
#include "store-private.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/state-file.h"
#include "../../channels/text.h"

/* clang-format off */
G_DEFINE_QUARK(zvm-store-error-quark, zvm_store_error)
/* clang-format on */

static const char *const state_names[] = {
    [ZVM_STORE_STATE_QUEUED] = "queued",     [ZVM_STORE_STATE_COMPILING] = "compiling",
    [ZVM_STORE_STATE_RUNNING] = "running",   [ZVM_STORE_STATE_DONE] = "done",
    [ZVM_STORE_STATE_FAILED] = "failed",     [ZVM_STORE_STATE_KILLED] = "killed",
    [ZVM_STORE_STATE_REJECTED] = "rejected",
};

const char *zvm_store_state_to_string(ZvmStoreState state)
{
	return (guint)state < G_N_ELEMENTS(state_names) ? state_names[state] : "unknown";
}

gboolean zvm_store_state_from_string(const char *text, ZvmStoreState *state)
{
	for (guint i = 0; text && i < G_N_ELEMENTS(state_names); i++) {
		if (strcmp(text, state_names[i]) == 0) {
			*state = (ZvmStoreState)i;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean zvm_store_state_is_ended(ZvmStoreState state)
{
	return state >= ZVM_STORE_STATE_DONE;
}

char *zvm_user_name(uid_t uid)
{
	struct passwd pw, *found = NULL;
	char buffer[4096];
	if (getpwuid_r(uid, &pw, buffer, sizeof(buffer), &found) == 0 && found)
		return g_strdup(found->pw_name);
	return NULL;
}

/* Job records */

ZvmStoreJob *zvm_store_job_new(ZvmStore *store, guint64 id, uid_t uid, gid_t gid, char **outputs,
			       const char *dir)
{
	ZvmStoreJob *job = g_new0(ZvmStoreJob, 1);
	job->refcount = 1;
	job->store = store;
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
	job->owner = zvm_user_name(uid);
	if (job->owner == NULL)
		job->owner = g_strdup_printf("%u", (unsigned)uid);
	job->user_rc = 0;
	job->read_bytes = job->written_bytes = job->input_bytes = -1;
	g_autofree char *removed_path = g_build_filename(dir, "removed", NULL);
	g_autofree char *removed = NULL;
	if (g_file_get_contents(removed_path, &removed, NULL, NULL)) {
		g_auto(GStrv) lines = g_strsplit(removed, "\n", -1);
		for (guint i = 0; lines[i]; i++)
			if (*lines[i]) {
				if (job->removed == NULL)
					job->removed = g_hash_table_new_full(
					    g_str_hash, g_str_equal, g_free, NULL);
				g_hash_table_add(job->removed, g_strdup(lines[i]));
			}
	}
	return job;
}

gboolean zvm_store_job_remove_entry(ZvmStoreJob *job, const char *entry, const char *disk_relative,
				    GError **error)
{
	g_mutex_lock(&job->io_lock);
	g_mutex_lock(&job->lock);
	if (job->removed == NULL)
		job->removed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_add(job->removed, g_strdup(entry));
	GString *text = g_string_new(NULL);
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init(&iter, job->removed);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_string_append_printf(text, "%s\n", (const char *)key);
	gboolean ended = zvm_store_state_is_ended(job->state);
	g_autofree char *path = g_build_filename(job->dir, "removed", NULL);
	g_autofree char *bytes =
	    disk_relative ? g_build_filename(job->dir, disk_relative, NULL) : NULL;
	g_mutex_unlock(&job->lock);
	if (bytes && ended)
		(void)unlink(bytes);
	gboolean ok =
	    zvm_state_write_atomic(path, text->str, text->len, 0600, ZVM_STATE_SYNC_NONE, error);
	g_string_free(text, TRUE);
	g_mutex_unlock(&job->io_lock);
	return ok;
}

gboolean zvm_store_job_entry_removed(ZvmStoreJob *job, const char *entry)
{
	g_mutex_lock(&job->lock);
	gboolean removed = job->removed && g_hash_table_contains(job->removed, entry);
	g_mutex_unlock(&job->lock);
	return removed;
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
	g_free(job->runner);
	g_free(job->runner_job);
	g_free(job->output_sizes);
	g_free(job->output_mtimes);
	g_strfreev(job->node_results);
	if (job->removed)
		g_hash_table_unref(job->removed);
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

char *zvm_store_job_dir(ZvmStoreJob *job)
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

/* Store */

const char *zvm_store_get_state_dir(const ZvmStore *store)
{
	return store->state_dir;
}

const ZvmLimits *zvm_store_get_limits(const ZvmStore *store)
{
	return store->limits;
}

const ZvmEngineOps *zvm_store_get_engine(const ZvmStore *store)
{
	return store->engine;
}

/* Index */

void zvm_store_index_insert(ZvmStore *store, ZvmStoreJob *job)
{
	g_mutex_lock(&store->lock);
	g_hash_table_insert(store->jobs, &job->id, job);
	g_mutex_unlock(&store->lock);
}

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
		if (job->state == ZVM_STORE_STATE_QUEUED)
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
		zvm_store_index_insert(store, job);
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
	uid_t uid;
	gboolean doomed;
} EndedJob;

/* The ended jobs (only @uid's when @one_user), oldest (lowest id) first. */
static GArray *list_ended(ZvmStore *store, gboolean one_user, uid_t uid)
{
	GArray *ended = g_array_new(FALSE, FALSE, sizeof(EndedJob));
	g_mutex_lock(&store->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, store->jobs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ZvmStoreJob *job = value;
		if (one_user && job->uid != uid)
			continue;
		g_mutex_lock(&job->lock);
		if (zvm_store_state_is_ended(job->state)) {
			EndedJob e = {job->id, job->ended_ns, job->uid, FALSE};
			g_array_append_val(ended, e);
		}
		g_mutex_unlock(&job->lock);
	}
	g_mutex_unlock(&store->lock);
	g_array_sort(ended, compare_ids); /* id is the first member */
	return ended;
}

/* Unlinks and purges the doomed jobs of @ended; returns their ids, ascending. */
static GArray *remove_doomed(ZvmStore *store, GArray *ended)
{
	GArray *removed = g_array_new(FALSE, FALSE, sizeof(guint64));
	for (guint i = 0; i < ended->len; i++) {
		EndedJob *e = &g_array_index(ended, EndedJob, i);
		if (!e->doomed)
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

/* Per user: the oldest ended jobs beyond @bound (0: none) are doomed. @kept counts, per uid
 * (GUINT_TO_POINTER keys), the jobs left after it. */
static void doom_per_user(GArray *ended, guint bound, GHashTable *kept)
{
	for (guint i = 0; i < ended->len; i++) {
		EndedJob *e = &g_array_index(ended, EndedJob, i);
		gpointer key = GUINT_TO_POINTER(e->uid);
		g_hash_table_insert(
		    kept, key,
		    GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(kept, key)) + 1));
	}
	if (bound == 0)
		return;
	for (guint i = 0; i < ended->len; i++) {
		EndedJob *e = &g_array_index(ended, EndedJob, i);
		gpointer key = GUINT_TO_POINTER(e->uid);
		guint count = GPOINTER_TO_UINT(g_hash_table_lookup(kept, key));
		if (count > bound) {
			e->doomed = TRUE;
			g_hash_table_insert(kept, key, GUINT_TO_POINTER(count - 1));
		}
	}
}

/* The whole store's bound: while more than @bound ended jobs are left, the user who keeps the
 * most loses their oldest one (the lower uid on a tie), so nobody loses a job while another
 * user keeps more than they do. */
static void doom_largest_first(GArray *ended, guint bound, GHashTable *kept)
{
	guint total = 0;
	GHashTableIter iter;
	gpointer key, value;
	g_hash_table_iter_init(&iter, kept);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		total += GPOINTER_TO_UINT(value);
	/* Where each user's next job to doom may be: their jobs are met in age order. */
	g_autoptr(GHashTable) cursor = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (; bound && total > bound; total--) {
		gpointer largest = NULL;
		guint most = 0;
		g_hash_table_iter_init(&iter, kept);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			guint count = GPOINTER_TO_UINT(value);
			if (count > most ||
			    (count == most && GPOINTER_TO_UINT(key) < GPOINTER_TO_UINT(largest))) {
				most = count;
				largest = key;
			}
		}
		if (most == 0)
			break;
		guint i = GPOINTER_TO_UINT(g_hash_table_lookup(cursor, largest));
		for (; i < ended->len; i++) {
			EndedJob *e = &g_array_index(ended, EndedJob, i);
			if (!e->doomed && GUINT_TO_POINTER(e->uid) == largest) {
				e->doomed = TRUE;
				break;
			}
		}
		g_hash_table_insert(cursor, largest, GUINT_TO_POINTER(i + 1));
		g_hash_table_insert(kept, largest, GUINT_TO_POINTER(most - 1));
	}
}

GArray *zvm_store_expire(ZvmStore *store, gint64 now)
{
	const ZvmStoreRetention *retention = &store->retention;
	if (retention->retain_jobs == 0 && retention->retain_seconds == 0 &&
	    retention->user_retain_jobs == 0)
		return g_array_new(FALSE, FALSE, sizeof(guint64));
	g_autoptr(GArray) ended = list_ended(store, FALSE, 0);
	g_autoptr(GHashTable) kept = g_hash_table_new(g_direct_hash, g_direct_equal);
	doom_per_user(ended, retention->user_retain_jobs, kept);
	gint64 horizon = retention->retain_seconds
			     ? now - (gint64)MIN(retention->retain_seconds,
						 (uint64_t)(G_MAXINT64 / 1000000000)) *
					 1000000000
			     : G_MININT64;
	for (guint i = 0; i < ended->len; i++) {
		EndedJob *e = &g_array_index(ended, EndedJob, i);
		if (!e->doomed && e->ended_ns < horizon) {
			e->doomed = TRUE;
			gpointer key = GUINT_TO_POINTER(e->uid);
			g_hash_table_insert(
			    kept, key,
			    GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(kept, key)) - 1));
		}
	}
	doom_largest_first(ended, retention->retain_jobs, kept);
	return remove_doomed(store, ended);
}

GArray *zvm_store_expire_user(ZvmStore *store, uid_t uid)
{
	if (store->retention.user_retain_jobs == 0)
		return g_array_new(FALSE, FALSE, sizeof(guint64));
	g_autoptr(GArray) ended = list_ended(store, TRUE, uid);
	g_autoptr(GHashTable) kept = g_hash_table_new(g_direct_hash, g_direct_equal);
	doom_per_user(ended, store->retention.user_retain_jobs, kept);
	return remove_doomed(store, ended);
}

/* Usage */

/* Adds @job to @usage. Called with job->lock held. */
static void usage_add(ZvmUsage *usage, ZvmStoreJob *job)
{
	usage->kept++;
	if (job->state == ZVM_STORE_STATE_QUEUED)
		usage->queued++;
	else if (job->state == ZVM_STORE_STATE_COMPILING || job->state == ZVM_STORE_STATE_RUNNING)
		usage->running++;
	else
		usage->ended++;
	if (job->state == ZVM_STORE_STATE_REJECTED)
		usage->rejected++;
	for (guint i = 0; i < job->n_outputs; i++)
		if (job->removed == NULL || !g_hash_table_contains(job->removed, job->outputs[i]))
			usage->output_bytes += job->output_sizes[i];
}

static int compare_uids(gconstpointer a, gconstpointer b)
{
	uid_t x = ((const ZvmUsage *)a)->uid, y = ((const ZvmUsage *)b)->uid;
	return x < y ? -1 : x > y;
}

GArray *zvm_store_get_usage(ZvmStore *store)
{
	g_autoptr(GHashTable) users =
	    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	g_mutex_lock(&store->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, store->jobs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ZvmStoreJob *job = value;
		ZvmUsage *usage = g_hash_table_lookup(users, GUINT_TO_POINTER(job->uid));
		if (usage == NULL) {
			usage = g_new0(ZvmUsage, 1);
			usage->uid = job->uid;
			g_hash_table_insert(users, GUINT_TO_POINTER(job->uid), usage);
		}
		g_mutex_lock(&job->lock);
		usage_add(usage, job);
		g_mutex_unlock(&job->lock);
	}
	g_mutex_unlock(&store->lock);
	GArray *result = g_array_new(FALSE, FALSE, sizeof(ZvmUsage));
	g_hash_table_iter_init(&iter, users);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_array_append_vals(result, value, 1);
	g_array_sort(result, compare_uids);
	return result;
}

void zvm_store_get_user_usage(ZvmStore *store, uid_t uid, ZvmUsage *usage)
{
	*usage = (ZvmUsage){.uid = uid};
	g_mutex_lock(&store->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, store->jobs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ZvmStoreJob *job = value;
		if (job->uid != uid)
			continue;
		g_mutex_lock(&job->lock);
		usage_add(usage, job);
		g_mutex_unlock(&job->lock);
	}
	g_mutex_unlock(&store->lock);
}

/* Scheduler side */

gboolean zvm_store_job_prepare_run(ZvmStoreJob *job, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (!zvm_store_reset_run_files(job, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
		return FALSE;
	}
	/* The run may fill the disk: its end must still be recordable. */
	zvm_store_reserve_fill(job->store);
	return TRUE;
}

static gboolean save_or_classify(ZvmStoreJob *job, void (*mutate)(ZvmStoreJob *, gconstpointer),
				 gconstpointer data, ZvmStateSync sync, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (!zvm_store_meta_save(job, mutate, data, sync, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
		return FALSE;
	}
	return TRUE;
}

static void apply_state(ZvmStoreJob *job, gconstpointer data)
{
	ZvmStoreState state = *(const ZvmStoreState *)data;
	job->state = state;
	job->changed_ns = zvm_store_now_ns();
	if (state == ZVM_STORE_STATE_RUNNING)
		job->started_ns = job->changed_ns;
	/* A new run: no node has ended yet. */
	g_clear_pointer(&job->node_results, g_strfreev);
}

void zvm_store_job_set_translation(ZvmStoreJob *job, guint done, guint total)
{
	g_mutex_lock(&job->lock);
	job->units_done = done;
	job->units_total = total;
	g_mutex_unlock(&job->lock);
}

void zvm_store_job_set_compile_waiting(ZvmStoreJob *job, gboolean waiting)
{
	g_mutex_lock(&job->lock);
	job->compile_waiting = waiting;
	g_mutex_unlock(&job->lock);
}

gboolean zvm_store_job_set_state(ZvmStoreJob *job, ZvmStoreState state, GError **error)
{
	g_return_val_if_fail(!zvm_store_state_is_ended(state), FALSE);
	/* Not synced: a crash runs the job again whichever state the disk kept. */
	return save_or_classify(job, apply_state, &state, ZVM_STATE_SYNC_NONE, error);
}

typedef struct {
	ZvmStoreState state;
	const ZvmReport *report;
	const char *reason;
	char **node_results;
} Finish;

GPtrArray *zvm_store_job_node_names(const ZvmStoreJob *job)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; job->n_nodes && i < job->n_outputs; i++) {
		const char *output = job->outputs[i];
		const char *slash = strchr(output, '/');
		if (slash && strcmp(slash, "/report") == 0)
			g_ptr_array_add(names, g_strndup(output, slash - output));
	}
	return names;
}

/* "<state> <user rc> <exit state>" of a node from the report the engine wrote when it ended
 * (at @path, atomically), or NULL while there is none: a node's exit state "ok" is done,
 * "killed" killed, anything else failed (as the job's own, docs/spec.md §5). */
static char *node_result(const char *path)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	if (g_file_get_contents(path, &text, NULL, NULL))
		lines = g_strsplit(text, "\n", 7);
	if (lines == NULL || g_strv_length(lines) < 6 || *lines[5] == '\0')
		return NULL;
	const char *exit_state = lines[5];
	const char *node_state = strcmp(exit_state, "ok") == 0	     ? "done"
				 : strcmp(exit_state, "killed") == 0 ? "killed"
								     : "failed";
	return g_strdup_printf("%s %s %s", node_state, lines[2], exit_state);
}

/* Each node's result (node_result()) in @dir, in node order; @missing for a node that has
 * none. An end already in @known (may be NULL) is kept, not read again. NULL for a job
 * without nodes. */
static char **read_node_results(ZvmStoreJob *job, const char *dir, char **known,
				const char *missing)
{
	g_autoptr(GPtrArray) names = zvm_store_job_node_names(job);
	if (names->len == 0)
		return NULL;
	guint n_known = known ? g_strv_length(known) : 0;
	GPtrArray *results = g_ptr_array_new();
	for (guint i = 0; i < names->len; i++) {
		if (i < n_known && strcmp(known[i], missing) != 0) {
			g_ptr_array_add(results, g_strdup(known[i]));
			continue;
		}
		g_autofree char *path =
		    g_build_filename(dir, "out", names->pdata[i], "report", NULL);
		char *result = node_result(path);
		g_ptr_array_add(results, result ? result : g_strdup(missing));
	}
	g_ptr_array_add(results, NULL);
	return (char **)g_ptr_array_free(results, FALSE);
}

gboolean zvm_store_job_refresh_nodes(ZvmStoreJob *job)
{
	g_mutex_lock(&job->lock);
	gboolean running = job->state == ZVM_STORE_STATE_RUNNING && job->n_nodes > 0;
	g_autofree char *dir = running ? g_strdup(job->dir) : NULL;
	g_auto(GStrv) known = running ? g_strdupv(job->node_results) : NULL;
	g_mutex_unlock(&job->lock);
	if (!running)
		return FALSE;
	const char *missing = zvm_store_state_to_string(ZVM_STORE_STATE_RUNNING);
	g_auto(GStrv) results = read_node_results(job, dir, known, missing);
	gboolean changed = FALSE;
	g_mutex_lock(&job->lock);
	/* The job may have ended meanwhile: its final results are not to be overwritten. */
	if (job->state == ZVM_STORE_STATE_RUNNING &&
	    (job->node_results == NULL ||
	     !g_strv_equal((const char *const *)job->node_results, (const char *const *)results))) {
		g_strfreev(job->node_results);
		job->node_results = g_steal_pointer(&results);
		changed = TRUE;
	}
	g_mutex_unlock(&job->lock);
	return changed;
}

static void apply_finish(ZvmStoreJob *job, gconstpointer data)
{
	const Finish *finish = data;
	g_strfreev(job->node_results);
	job->node_results = g_strdupv(finish->node_results);
	job->state = finish->state;
	job->ended_ns = job->changed_ns = zvm_store_now_ns();
	g_free(job->reason);
	job->reason = g_strdup(finish->reason);
	if (finish->report) {
		const ZvmReport *report = finish->report;
		g_free(job->exit_state);
		job->exit_state = g_strdup(report->exit_state);
		job->user_rc = report->user_rc;
		/* A killed or failed program did not return: its report's 0 is no code. */
		job->has_rc = finish->state == ZVM_STORE_STATE_DONE;
		job->wall_seconds = report->wall_seconds;
		job->cpu_seconds = report->sys_seconds + report->user_seconds;
		/* The accounting's local read and written bytes (ZvmReport.local). */
		job->read_bytes = report->local[1];
		job->written_bytes = report->local[3];
		job->input_bytes = report->has_input_bytes ? report->input_bytes : -1;
	}
}

gboolean zvm_store_job_finish(ZvmStoreJob *job, ZvmStoreState state, const ZvmReport *report,
			      const char *reason, GError **error)
{
	g_return_val_if_fail(zvm_store_state_is_ended(state), FALSE);
	g_autoptr(GError) local = NULL;
	g_autofree char *dir = zvm_store_job_dir(job);
	gboolean reported =
	    report == NULL || zvm_store_write_report_files(job, dir, report, &local);
	zvm_store_job_refresh_outputs(job);
	g_autofree char *never_ran = g_strdup_printf("%s - -", zvm_store_state_to_string(state));
	g_auto(GStrv) node_results = read_node_results(job, dir, NULL, never_ran);
	Finish finish = {state, report, reason, node_results};
	/* One syncfs makes the outputs, report, accounting and meta durable together. */
	if (reported)
		return save_or_classify(job, apply_finish, &finish, ZVM_STATE_SYNC_FS, error);
	/* No report on disk: meta keeps the job running, so it runs again after a restart, but
	 * the end is visible now, so that nobody waits for ever on a job that has ended. */
	g_mutex_lock(&job->io_lock);
	g_mutex_lock(&job->lock);
	apply_finish(job, &finish);
	g_mutex_unlock(&job->lock);
	g_mutex_unlock(&job->io_lock);
	g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
			    local->message);
	return FALSE;
}

void zvm_store_apply_requeue(ZvmStoreJob *job, gconstpointer data)
{
	job->state = ZVM_STORE_STATE_QUEUED;
	job->restarts++;
	job->started_ns = 0;
	job->changed_ns = zvm_store_now_ns();
	job->read_bytes = job->written_bytes = job->input_bytes = -1;
}

typedef struct {
	const char *runner, *runner_job;
} RunnerJob;

static void apply_runner_job(ZvmStoreJob *job, gconstpointer data)
{
	const RunnerJob *set = data;
	g_free(job->runner);
	g_free(job->runner_job);
	job->runner = g_strdup(set->runner);
	job->runner_job = g_strdup(set->runner_job);
}

gboolean zvm_store_job_set_runner_job(ZvmStoreJob *job, const char *runner, const char *runner_job,
				      GError **error)
{
	RunnerJob set = {.runner = runner, .runner_job = runner_job};
	return save_or_classify(job, apply_runner_job, &set, ZVM_STATE_SYNC_FILE, error);
}

char *zvm_store_job_get_runner_job(ZvmStoreJob *job, const char *runner)
{
	g_mutex_lock(&job->lock);
	char *text = g_strcmp0(job->runner, runner) == 0 ? g_strdup(job->runner_job) : NULL;
	g_mutex_unlock(&job->lock);
	return text;
}

gboolean zvm_store_job_requeue(ZvmStoreJob *job, GError **error)
{
	return save_or_classify(job, zvm_store_apply_requeue, NULL, ZVM_STATE_SYNC_FILE, error);
}

gboolean zvm_store_job_set_progress(ZvmStoreJob *job, const ZvmJobProgress *progress)
{
	gboolean changed = FALSE;
	g_mutex_lock(&job->lock);
	if (job->state == ZVM_STORE_STATE_COMPILING || job->state == ZVM_STORE_STATE_RUNNING) {
		changed = job->read_bytes != progress->read_bytes ||
			  job->written_bytes != progress->written_bytes ||
			  job->input_bytes != progress->input_bytes;
		job->read_bytes = progress->read_bytes;
		job->written_bytes = progress->written_bytes;
		job->input_bytes = progress->input_bytes;
	}
	g_mutex_unlock(&job->lock);
	return changed;
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

static void append_count(GString *out, const char *key, int64_t value)
{
	if (value < 0)
		g_string_append_printf(out, "%s -\n", key);
	else
		g_string_append_printf(out, "%s %" G_GINT64_FORMAT "\n", key, value);
}

/* One line per key, escaped (zvm_text_escape): a newline in a value would start a false key,
 * and the values (a name, a reason quoting a manifest) are the user's, shown on terminals. */
static void append_value(GString *out, const char *key, const char *value)
{
	if (value == NULL || *value == '\0') {
		g_string_append_printf(out, "%s -\n", key);
		return;
	}
	g_autofree char *shown = zvm_text_escape(value);
	g_string_append_printf(out, "%s %s\n", key, shown);
}

/* One "node <name> <state> [<user rc> <exit state>]" line per node: its end once it has
 * ended (read at each watch interval while the job runs, and at the job's end), the job's
 * state until then. Called with job->lock held. */
static void append_node_lines(GString *out, const ZvmStoreJob *job)
{
	g_autoptr(GPtrArray) names = zvm_store_job_node_names(job);
	guint n_results = job->node_results ? g_strv_length(job->node_results) : 0;
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *value = g_strdup_printf(
		    "%s %s", (const char *)names->pdata[i],
		    i < n_results ? job->node_results[i] : zvm_store_state_to_string(job->state));
		append_value(out, "node", value);
	}
}

const char *zvm_store_job_manifest_name(const ZvmStoreJob *job)
{
	return job->n_nodes ? "bundle/boot/system.map" : "bundle/manifest";
}

static char *printable(const char *text)
{
	return zvm_text_escape(text ? text : "-");
}

char *zvm_store_job_render_index_line(ZvmStoreJob *job)
{
	g_mutex_lock(&job->lock);
	char id[32];
	g_snprintf(id, sizeof(id), "%" G_GUINT64_FORMAT, job->id);
	/* A rejected job's exit state repeats its reason, shown after the name. */
	g_autofree char *exit = job->has_rc ? g_strdup_printf("%d", job->user_rc)
				: job->state == ZVM_STORE_STATE_REJECTED
				    ? g_strdup("-")
				    : printable(job->exit_state);
	g_autofree char *name = printable(job->name);
	g_autofree char *reason = job->reason ? printable(job->reason) : NULL;
	char *line =
	    g_strdup_printf("%-8s %-9s %-8s %s%s%s\n", id, zvm_store_state_to_string(job->state),
			    exit, name, reason ? "  " : "", reason ? reason : "");
	g_mutex_unlock(&job->lock);
	return line;
}

char *zvm_store_job_verdict(ZvmStoreJob *job)
{
	g_mutex_lock(&job->lock);
	char *verdict = NULL;
	if (zvm_store_state_is_ended(job->state) && job->state != ZVM_STORE_STATE_DONE)
		verdict = g_strdup(job->reason	     ? job->reason
				   : job->exit_state ? job->exit_state
						     : zvm_store_state_to_string(job->state));
	g_mutex_unlock(&job->lock);
	return verdict;
}

/* Cuts @text to at most @max bytes, before a UTF-8 character that would not fit whole (at
 * @max bytes when @text is not UTF-8): the name parts of ended jobs' files and links. */
static void cut_to_bytes(char *text, size_t max)
{
	if (strlen(text) <= max)
		return;
	const char *end = g_utf8_validate(text, -1, NULL)
			      ? g_utf8_find_prev_char(text, text + max + 1)
			      : text + max;
	text[end - text] = '\0';
}

char *zvm_store_job_verdict_name(ZvmStoreJob *job)
{
	g_autofree char *verdict = zvm_store_job_verdict(job);
	if (verdict == NULL)
		return NULL;
	g_mutex_lock(&job->lock);
	g_autofree char *state = g_ascii_strup(zvm_store_state_to_string(job->state), -1);
	g_mutex_unlock(&job->lock);
	char *name = g_strdup_printf("%s - %s", state, verdict);
	for (char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '/')
			*p = '_';
	cut_to_bytes(name, 200);
	return name;
}

/* @text escaped, '/' shown as '_', at most @max bytes (cut before a character that would not
 * fit whole). */
static char *link_part(const char *text, size_t max)
{
	char *part = printable(text);
	for (char *p = part; *p; p++)
		if (*p == '/')
			*p = '_';
	cut_to_bytes(part, max);
	return part;
}

char *zvm_store_job_link_name(ZvmStoreJob *job)
{
	g_autofree char *verdict = zvm_store_job_verdict(job);
	g_autofree char *why = verdict ? link_part(verdict, 96) : NULL;
	g_mutex_lock(&job->lock);
	g_autofree char *name = link_part(job->name, 96);
	g_autofree char *rc = job->state == ZVM_STORE_STATE_DONE && job->has_rc
				  ? g_strdup_printf(" %d", job->user_rc)
				  : NULL;
	char *link = g_strdup_printf("%" G_GUINT64_FORMAT " %s %s%s%s%s", job->id, name,
				     zvm_store_state_to_string(job->state), rc ? rc : "",
				     why ? " - " : "", why ? why : "");
	g_mutex_unlock(&job->lock);
	return link;
}

char *zvm_store_job_render_status(ZvmStoreJob *job)
{
	GString *out = g_string_sized_new(512);
	g_mutex_lock(&job->lock);
	g_string_append_printf(out, "id %" G_GUINT64_FORMAT "\n", job->id);
	append_value(out, "state", zvm_store_state_to_string(job->state));
	if (job->state == ZVM_STORE_STATE_COMPILING && job->compile_waiting)
		g_string_append(out, "translating waiting for the compiler\n");
	else if (job->state == ZVM_STORE_STATE_COMPILING && job->units_total > 0)
		g_string_append_printf(out, "translating %u of %u units\n", job->units_done,
				       job->units_total);
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
	append_count(out, "read_bytes", job->read_bytes);
	append_count(out, "written_bytes", job->written_bytes);
	append_count(out, "input_bytes", job->input_bytes);
	g_string_append_printf(out, "restarts %u\n", job->restarts);
	if (job->runner && job->runner_job)
		g_string_append_printf(out, "%s_job %s\n", job->runner, job->runner_job);
	if (job->n_nodes) {
		g_string_append_printf(out, "nodes %u\n", job->n_nodes);
		append_node_lines(out, job);
	}
	append_value(out, "reason", job->reason);
	g_mutex_unlock(&job->lock);
	return g_string_free(out, FALSE);
}
