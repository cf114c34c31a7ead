/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multi-node jobs (job.h, docs/pipelines.md): a bundle's system map expanded into nodes,
 * their programs translated, then every node started at once on a thread of its own, the
 * nodes joined by pipes the engine creates, and their reports summed into the job's.
 */
#include "job-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Wildcards are expanded once, at submission: the glob's answers are recorded as lines
 * "<pattern> <uri>", and a later open of the same job (at run time, after a restart) takes
 * them back instead of asking the data roots again, so that its nodes are those the user was
 * shown. Patterns and URIs hold no blanks or line ends (the map's paths are plain). */
typedef struct {
	ZvmJob *job;
	GHashTable *recorded; /* pattern -> GPtrArray of URIs, from job->expansion */
	GString *record;      /* the answers, as expansion text */
	int data_error;	      /* the code of the data roots' last refusal, or -1 */
} ExpandScope;

static GHashTable *parse_expansion(const char *text, GError **error)
{
	g_autoptr(GHashTable) recorded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							       (GDestroyNotify)g_ptr_array_unref);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **line = lines; *line; line++) {
		if (**line == '\0')
			continue;
		const char *blank = strchr(*line, ' ');
		if (blank == NULL || blank == *line || blank[1] == '\0' || strchr(blank + 1, ' ')) {
			g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST,
				    "the recorded wildcard expansion is damaged at line %d",
				    (int)(line - lines) + 1);
			return NULL;
		}
		g_autofree char *pattern = g_strndup(*line, blank - *line);
		GPtrArray *uris = g_hash_table_lookup(recorded, pattern);
		if (uris == NULL) {
			uris = g_ptr_array_new_with_free_func(g_free);
			g_hash_table_insert(recorded, g_steal_pointer(&pattern), uris);
		}
		g_ptr_array_add(uris, g_strdup(blank + 1));
	}
	return g_steal_pointer(&recorded);
}

static GPtrArray *expand_glob(const char *pattern, gpointer user_data, GError **error)
{
	ExpandScope *scope = user_data;
	GPtrArray *uris;
	if (scope->recorded) {
		const GPtrArray *recorded = g_hash_table_lookup(scope->recorded, pattern);
		if (recorded == NULL) {
			g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST,
				    "%s: not in the expansion recorded at submission", pattern);
			return NULL;
		}
		uris = g_ptr_array_new_full(recorded->len, g_free);
		for (guint i = 0; i < recorded->len; i++)
			g_ptr_array_add(uris, g_strdup(recorded->pdata[i]));
	} else {
		ZvmDataGlobScope data = {scope->job->config->data_roots, scope->job->owner};
		g_autoptr(GError) local = NULL;
		uris = zvm_data_glob_func(pattern, &data, &local);
		if (uris == NULL) {
			scope->data_error = local->domain == ZVM_DATA_ERROR ? local->code : -1;
			g_propagate_error(error, g_steal_pointer(&local));
			return NULL;
		}
	}
	for (guint i = 0; i < uris->len; i++)
		g_string_append_printf(scope->record, "%s %s\n", pattern,
				       (const char *)uris->pdata[i]);
	return uris;
}

gboolean zvm_job_open_sysmap(ZvmJob *job, const char *expansion, GError **error)
{
	g_autofree char *path = g_build_filename(job->bundle_dir, ZVM_SYSMAP_PATH, NULL);
	g_autofree char *text = NULL;
	gsize length = 0;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(path, &text, &length, &local)) {
		g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_BUNDLE,
			    "bundle: cannot read %s: %s", ZVM_SYSMAP_PATH, local->message);
		return FALSE;
	}
	g_autoptr(GString) record = g_string_new(NULL);
	ExpandScope scope = {.job = job, .record = record, .data_error = -1};
	g_autoptr(GHashTable) recorded = NULL;
	if (expansion) {
		recorded = parse_expansion(expansion, error);
		if (recorded == NULL)
			return FALSE;
		scope.recorded = recorded;
	}
	gboolean can_glob = expansion || job->config->data_roots;
	g_autoptr(ZvmSysmap) map = zvm_sysmap_parse(text, length, &job->limits,
						    can_glob ? expand_glob : NULL, &scope, &local);
	if (map == NULL) {
		/* The owner may not read a file the wildcard matched: refused as a data: file
		 * of a manifest is, so that the gateway says EACCES. */
		if (scope.data_error == ZVM_DATA_ERROR_ACCESS)
			g_set_error_literal(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_ACCESS,
					    local->message);
		else
			g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	if (record->len)
		job->expansion = g_string_free(g_steal_pointer(&record), FALSE);
	job->multi = TRUE;
	for (guint i = 0; i < map->nodes->len; i++) {
		ZvmSysmapNode *expanded = map->nodes->pdata[i];
		ZvmJobNode *node = zvm_job_node_new(job);
		node->name = g_strdup(expanded->name);
		g_ptr_array_add(job->node_names, node->name);
		node->manifest_length = strlen(expanded->manifest);
		node->manifest_text = g_strdup(expanded->manifest);
		node->manifest = zvm_manifest_parse_node(node->manifest_text, node->manifest_length,
							 &job->limits, &local);
		if (node->manifest == NULL) {
			g_set_error(error, local->domain, local->code, "system.map: node '%s': %s",
				    node->name, local->message);
			return FALSE;
		}
		node->nvram = zvm_nvram_parse(expanded->nvram, strlen(expanded->nvram), &local);
		if (node->nvram == NULL) {
			g_set_error(error, local->domain, local->code, "system.map: node '%s': %s",
				    node->name, local->message);
			return FALSE;
		}
		if (!zvm_job_node_check(job, node, &local)) {
			g_set_error(error, local->domain, local->code, "system.map: node '%s': %s",
				    node->name, local->message);
			return FALSE;
		}
		g_ptr_array_add(job->outputs, g_strdup_printf("%s/report", node->name));
		g_ptr_array_add(job->outputs, g_strdup_printf("%s/accounting", node->name));
	}
	return TRUE;
}

/* One node on its thread. */
typedef struct {
	ZvmJob *job;
	ZvmJobNode *node;
	const char *module_path;
	GBytes *program;
	const char *out_dir;
	GHashTable *pipes;
	ZvmReport report;
	gboolean ok;
	GError *error;
	gint end; /* the order in which the nodes ended, from 1 */
	gboolean cached;
} NodeRun;

static volatile gint end_counter;

static gboolean write_file(const char *dir, const char *name, const char *text, GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	return g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
					error);
}

/* Closes the ends of @node's pipes it did not take (it failed before opening them), so that
 * its peers see end of file or a broken pipe now rather than when the whole job ends. */
static void drop_pipe_ends(ZvmJobNode *node, GHashTable *pipes)
{
	const ZvmManifest *manifest = node->manifest;
	for (guint i = 0; i < manifest->channels->len; i++) {
		const ZvmChannelSpec *spec = manifest->channels->pdata[i];
		int *ends =
		    spec->kind == ZVM_URI_PIPE ? g_hash_table_lookup(pipes, spec->uri) : NULL;
		int end = spec->access & ZVM_ACCESS_WRITE ? 1 : 0;
		if (ends && ends[end] >= 0) {
			close(ends[end]);
			ends[end] = -1;
		}
	}
}

static gpointer node_thread(gpointer data)
{
	NodeRun *run = data;
	g_autofree char *dir = g_build_filename(run->out_dir, run->node->name, NULL);
	if (g_mkdir_with_parents(dir, 0755) < 0) {
		int errsv = errno;
		g_set_error(&run->error, ZVM_JOB_ERROR,
			    errsv == ENOSPC || errsv == EDQUOT ? ZVM_JOB_ERROR_NO_SPACE
							       : ZVM_JOB_ERROR_HOST,
			    "cannot create %s: %s", dir, g_strerror(errsv));
		zvm_report_set_failure(&run->report, ZVM_EXIT_CHANNEL, run->error->message);
		run->ok = FALSE;
	} else {
		run->ok = zvm_job_node_run(run->job, run->node, run->module_path, run->program,
					   run->out_dir, run->pipes, &run->report, &run->error);
	}
	drop_pipe_ends(run->node, run->pipes);
	run->report.cached = run->cached;
	run->end = g_atomic_int_add(&end_counter, 1);
	g_autofree char *report = zvm_report_format(&run->report);
	g_autofree char *accounting = g_strdup_printf("%s\n", run->report.accounting);
	g_autoptr(GError) local = NULL;
	if ((!write_file(dir, "report", report, &local) ||
	     !write_file(dir, "accounting", accounting, &local)) &&
	    run->ok) {
		g_set_error(&run->error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST, "%s", local->message);
		run->ok = FALSE;
	}
	return NULL;
}

static void close_pipe(gpointer data)
{
	int *ends = data;
	for (int i = 0; i < 2; i++)
		if (ends[i] >= 0)
			close(ends[i]);
	g_free(ends);
}

/* Every pipe of the job, from its writer's side; the reader finds it by the same URI. */
static gboolean make_pipes(ZvmJob *job, GHashTable *pipes, GError **error)
{
	for (guint n = 0; n < job->nodes->len; n++) {
		const ZvmManifest *manifest = ((ZvmJobNode *)job->nodes->pdata[n])->manifest;
		for (guint i = 0; i < manifest->channels->len; i++) {
			const ZvmChannelSpec *spec = manifest->channels->pdata[i];
			if (spec->kind != ZVM_URI_PIPE || !(spec->access & ZVM_ACCESS_WRITE))
				continue;
			int *ends = g_new(int, 2);
			if (pipe2(ends, O_CLOEXEC) < 0) {
				int errsv = errno;
				g_free(ends);
				g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST,
					    "cannot create the pipe %s: %s", spec->uri,
					    g_strerror(errsv));
				return FALSE;
			}
			g_hash_table_insert(pipes, spec->uri, ends);
		}
	}
	return TRUE;
}

/* How strongly a node's failure explains the job's: a broken pipe or a kill follows from
 * another's failure more often than it causes one. */
static int failure_rank(const ZvmReport *report)
{
	if (report->exit_kind == ZVM_EXIT_OK)
		return 3;
	if (report->exit_kind == ZVM_EXIT_KILLED ||
	    (report->exit_kind == ZVM_EXIT_CHANNEL && report->exit_state &&
	     g_str_has_suffix(report->exit_state, ": Broken pipe")))
		return 1;
	return 0;
}

static void sum_up(ZvmJob *job, NodeRun *runs, ZvmReport *report)
{
	GString *etags = g_string_new(NULL);
	NodeRun *failed = NULL;
	gboolean cached = TRUE;
	for (guint n = 0; n < job->nodes->len; n++) {
		const ZvmReport *r = &runs[n].report;
		report->validator_state = MAX(report->validator_state, r->validator_state);
		if (report->user_rc == 0)
			report->user_rc = r->user_rc;
		report->sys_seconds += r->sys_seconds;
		report->user_seconds += r->user_seconds;
		for (int i = 0; i < 4; i++) {
			report->local[i] += r->local[i];
			report->network[i] += r->network[i];
		}
		report->wall_seconds = MAX(report->wall_seconds, r->wall_seconds);
		if (r->has_input_bytes) {
			report->input_bytes =
			    (report->has_input_bytes ? report->input_bytes : 0) + r->input_bytes;
			report->has_input_bytes = TRUE;
		}
		cached = cached && r->cached;
		const char *node_etags =
		    r->etags && strcmp(r->etags, "disabled") != 0 ? r->etags : "";
		g_auto(GStrv) words = g_strsplit(node_etags, " ", -1);
		for (guint w = 0; words[w] && words[w + 1]; w += 2)
			g_string_append_printf(etags, "%s%s:%s %s", etags->len ? " " : "",
					       runs[n].node->name, words[w], words[w + 1]);
		int rank = failure_rank(r);
		if (rank < 3 &&
		    (failed == NULL || rank < failure_rank(&failed->report) ||
		     (rank == failure_rank(&failed->report) && runs[n].end < failed->end)))
			failed = &runs[n];
	}
	report->cached = cached;
	report->etags = etags->len ? g_string_free(etags, FALSE)
				   : (g_string_free(etags, TRUE), g_strdup("disabled"));
	if (failed == NULL) {
		zvm_report_set_failure(report, ZVM_EXIT_OK, "ok");
		return;
	}
	g_autofree char *reason =
	    g_strdup_printf("node '%s': %s", failed->node->name, failed->report.exit_state);
	zvm_report_set_failure(report, failed->report.exit_kind, reason);
}

gboolean zvm_job_run_nodes(ZvmJob *job, const char *out_dir, ZvmReport *report, GError **error)
{
	guint n_nodes = job->nodes->len;
	g_autofree NodeRun *runs = g_new0(NodeRun, n_nodes);
	g_autoptr(GPtrArray) module_paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) programs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	/* Translate first: no node runs unless every program is good. Nodes of one group
	 * share a program, and translate it once. */
	g_autoptr(GHashTable) prepared = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint n = 0; n < n_nodes; n++) {
		ZvmJobNode *node = job->nodes->pdata[n];
		NodeRun *run = &runs[n];
		*run = (NodeRun){.job = job, .node = node, .out_dir = out_dir};
		NodeRun *same = g_hash_table_lookup(prepared, node->manifest->program);
		if (same) {
			run->module_path = same->module_path;
			run->program = same->program;
			run->cached = same->cached;
			node->initial_pages = same->node->initial_pages;
			continue;
		}
		char *module_path = NULL;
		GBytes *program = NULL;
		g_auto(ZvmReport) node_report = {0};
		ZvmJobPrepared outcome =
		    zvm_job_node_prepare(job, node, &module_path, &program, &node_report, error);
		if (outcome != ZVM_JOB_PREPARED) {
			g_autofree char *reason =
			    g_strdup_printf("node '%s': %s", node->name, node_report.exit_state);
			zvm_report_set_failure(report, node_report.exit_kind, reason);
			for (guint m = 0; m < n; m++)
				zvm_report_clear(&runs[m].report);
			return outcome == ZVM_JOB_PREPARE_FAILED;
		}
		g_ptr_array_add(module_paths, module_path);
		g_ptr_array_add(programs, program);
		run->module_path = module_path;
		run->program = program;
		run->cached = node_report.cached;
		g_hash_table_insert(prepared, node->manifest->program, run);
	}

	g_autoptr(GHashTable) pipes =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, close_pipe);
	if (!make_pipes(job, pipes, error)) {
		zvm_report_set_failure(report, ZVM_EXIT_SIGNAL, (*error)->message);
		return FALSE;
	}
	g_autoptr(GPtrArray) threads = g_ptr_array_new();
	for (guint n = 0; n < n_nodes; n++) {
		runs[n].pipes = pipes;
		g_ptr_array_add(threads, g_thread_new("zvm-node", node_thread, &runs[n]));
	}
	for (guint n = 0; n < n_nodes; n++)
		g_thread_join(threads->pdata[n]);

	gboolean ok = TRUE;
	for (guint n = 0; n < n_nodes && ok; n++) {
		if (!runs[n].ok && runs[n].error) {
			g_propagate_prefixed_error(error, g_steal_pointer(&runs[n].error),
						   "node '%s': ", runs[n].node->name);
			ok = FALSE;
		}
	}
	sum_up(job, runs, report);
	for (guint n = 0; n < n_nodes; n++) {
		g_clear_error(&runs[n].error);
		zvm_report_clear(&runs[n].report);
	}
	return ok;
}
