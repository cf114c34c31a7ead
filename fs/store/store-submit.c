/* SPDX-License-Identifier: Apache-2.0 */
/* Taking a submission in: staging, the bundle copied, extracted and checked, the new job
 * recorded as queued or rejected, and the store's error for a refusal. */
#include "store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "../../channels/bundle.h"
#include "../../channels/manifest.h"
#include "../../channels/nvram.h"
#include "../common/state-file.h"

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

ZvmStoreError zvm_store_classify_error(const GError *cause)
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
	if (cause->domain == ZVM_SYSMAP_ERROR)
		return ZVM_STORE_ERROR_INVALID;
	if (cause->domain == ZVM_NVRAM_ERROR)
		return cause->code == ZVM_NVRAM_ERROR_TOO_LARGE ? ZVM_STORE_ERROR_TOO_LARGE
								: ZVM_STORE_ERROR_INVALID;
	if (cause->domain == ZVM_JOB_ERROR) {
		if (cause->code == ZVM_JOB_ERROR_BUNDLE)
			return ZVM_STORE_ERROR_INVALID;
		if (cause->code == ZVM_JOB_ERROR_ACCESS)
			return ZVM_STORE_ERROR_ACCESS;
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

/* Copies, extracts and opens the bundle in @dir for its owner @uid/@gid (whose data: files
 * the engine opens once, as them); fills @outputs and @n_nodes on success. */
static gboolean check_bundle(ZvmStore *store, int fd, const char *dir, uid_t uid, gid_t gid,
			     char ***outputs, guint *n_nodes, GError **error)
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
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
		return FALSE;
	}
	if (!zvm_state_ensure_dir(bundle, 0755, &local) ||
	    !zvm_state_ensure_dir(out, 0755, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
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
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
		return FALSE;
	}
	g_autoptr(ZvmIdentity) owner = zvm_identity_new_for_user(uid, gid);
	const ZvmEngineOps *engine = store->engine;
	ZvmJob *job = engine->open(bundle, store->limits, store->sandbox, owner, NULL, &local);
	if (job == NULL) {
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
		return FALSE;
	}
	/* The nodes a wildcard gave are the job's from now on (zvm_job_open_expanded). */
	const char *expansion = engine->get_expansion(job);
	g_autofree char *expansion_path = g_build_filename(dir, "expansion", NULL);
	if (expansion && !g_file_set_contents_full(expansion_path, expansion, -1,
						   G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
		engine->free(job);
		return FALSE;
	}
	*outputs = g_strdupv((char **)engine->get_outputs(job));
	*n_nodes = g_strv_length((char **)engine->get_nodes(job));
	engine->free(job);
	return TRUE;
}

char *zvm_store_job_read_expansion(ZvmStoreJob *job, GError **error)
{
	g_autofree char *path = zvm_store_job_path(job, "expansion");
	g_autoptr(GError) local = NULL;
	char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, &local) &&
	    !g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_IO, local->message);
		return NULL;
	}
	return text;
}

/* A refused bundle keeps only its manifest (when it had one), for the user to read; it never
 * ran, so it has no out/ either. */
static void strip_rejected(const char *dir)
{
	g_autofree char *out = g_build_filename(dir, "out", NULL);
	g_autofree char *tar = g_build_filename(dir, "bundle.tar", NULL);
	g_autofree char *bundle = g_build_filename(dir, "bundle", NULL);
	g_autofree char *aside = g_build_filename(dir, "bundle.refused", NULL);
	g_autofree char *manifest = g_build_filename(aside, "manifest", NULL);
	g_autofree char *kept = g_build_filename(bundle, "manifest", NULL);
	unlink(tar);
	(void)zvm_state_remove_tree(out, NULL);
	if (rename(bundle, aside) == 0) {
		if (mkdir(bundle, 0755) == 0) {
			struct stat st;
			if (lstat(manifest, &st) == 0 && S_ISREG(st.st_mode))
				(void)rename(manifest, kept);
		}
		(void)zvm_state_remove_tree(aside, NULL);
	}
}

/* Writes the new job's files in its temporary directory and moves it into place. */
static gboolean record_job(ZvmStore *store, ZvmStoreJob *job, const GError *refusal,
			   const char *final_dir, GError **error)
{
	g_autofree char *temp_dir = zvm_store_job_dir(job);
	if (refusal) {
		g_auto(ZvmReport) report = {0};
		strip_rejected(temp_dir);
		job->state = ZVM_STORE_STATE_REJECTED;
		job->ended_ns = job->submitted_ns;
		job->reason = g_strdup(refusal->message);
		job->exit_state = g_strdup(refusal->message);
		zvm_report_set_failure(&report, ZVM_EXIT_MANIFEST, refusal->message);
		if (!zvm_store_write_report_files(job, temp_dir, &report, error))
			return FALSE;
	}
	g_autofree char *manifest = zvm_store_manifest_path(temp_dir);
	job->manifest_size = zvm_store_file_size(manifest);
	if (!zvm_store_meta_save(job, NULL, NULL, ZVM_STATE_SYNC_NONE, error))
		return FALSE;
	/* The later states are written without a sync; this copy is what a crash falls back
	 * on (job_load). */
	g_autofree char *meta = g_build_filename(temp_dir, "meta", NULL);
	g_autofree char *submitted = g_build_filename(temp_dir, "meta.submitted", NULL);
	if (!refusal && link(meta, submitted) < 0) {
		int err = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "cannot link %s: %s",
			    submitted, g_strerror(err));
		return FALSE;
	}
	/* The durability point of a submission: one syncfs for the id counter, bundle.tar,
	 * the extracted bundle and meta, then the rename that makes the job exist. */
	if (!zvm_state_sync_fs(temp_dir, error))
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
	/* Only jobs/ changed since the syncfs. */
	return zvm_state_sync_dir(store->jobs_dir, error);
}

gboolean zvm_store_submit(ZvmStore *store, int fd, const char *name, uid_t uid, gid_t gid,
			  guint64 *id, GError **error)
{
	*id = 0;
	guint64 new_id;
	g_autoptr(GError) local = NULL;
	zvm_store_reserve_fill(store);
	if (!zvm_store_allocate_id(store, &new_id, &local)) {
		g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
				    local->message);
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
	guint n_nodes = 0;
	g_autoptr(GError) refusal = NULL;
	gboolean accepted =
	    check_bundle(store, fd, temp_dir, uid, gid, &outputs, &n_nodes, &refusal);
	g_autoptr(ZvmStoreJob) job = zvm_store_job_new(store, new_id, uid, gid, outputs, temp_dir);
	job->n_nodes = n_nodes;
	job->name = g_strdup(name);
	job->submitted_ns = job->changed_ns = zvm_store_now_ns();
	/* A full disk leaves nothing to record; the caller still hears why. */
	gboolean recordable = accepted || refusal->code != ZVM_STORE_ERROR_NO_SPACE;
	if (!recordable || !record_job(store, job, refusal, final_dir, &local)) {
		(void)zvm_state_remove_tree(temp_dir, NULL);
		if (refusal)
			g_propagate_error(error, g_steal_pointer(&refusal));
		else
			g_set_error_literal(error, ZVM_STORE_ERROR, zvm_store_classify_error(local),
					    local->message);
		return FALSE;
	}
	zvm_store_index_insert(store, zvm_store_job_ref(job));
	*id = new_id;
	if (!accepted) {
		g_propagate_error(error, g_steal_pointer(&refusal));
		return FALSE;
	}
	return TRUE;
}
