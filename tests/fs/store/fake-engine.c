/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A stand-in engine (a second ZvmEngineOps table, sandbox/engine.h), so the store and the
 * scheduler can be tested with exact timing and every outcome; the store extracts bundles
 * with the real reader. Its "manifest" is a list of `key = value` lines:
 *   outputs = stdout stderr out/result.txt   files created at the start of the run
 *   refuse = TEXT                            open fails (MANIFEST 1: TEXT)
 *   sleep_ms = N                             runs for N ms (killable)
 *   compile_ms = N                           "compiles" for N ms before running
 *   stdout = TEXT                            written to stdout, one byte per 10 ms
 *   exit = ok | trap                         how the program ends
 *   rc = N                                   user return code
 *   input = N                                an input of N bytes: half of it is read while
 *                                            it runs (get_progress), all at the end
 *   memory = N                               get_memory (default 0)
 *   width = N                                get_width (default 1)      ; N > 1 also
 *                                            names nodes n1..nN
 * The test programs open their store with &zvm_fake_engine_ops (store-fixture.c); the real
 * engine is linked beside it, never called.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../channels/bundle.h"
#include "../../../channels/manifest.h"
#include "../../../channels/nvram.h"
#include "fake-engine.h"

static void fake_free(ZvmJob *job);

struct _ZvmJob {
	GHashTable *keys;
	char **outputs;
	char **nodes;
	ZvmJobHooks hooks;
	gpointer hook_data;
	gint killed;
	gint running; /* get_progress answers */
	gint written; /* stdout bytes so far */
};

static ZvmJob *fake_open(const char *bundle_dir, const ZvmLimits *limits,
			 const ZvmSandboxConfig *config, const ZvmIdentity *owner, GError **error)
{
	g_autofree char *path = g_build_filename(bundle_dir, "manifest", NULL);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_BUNDLE, "no manifest");
		return NULL;
	}
	ZvmJob *job = g_new0(ZvmJob, 1);
	job->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		char *eq = strchr(*l, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		g_hash_table_insert(job->keys, g_strdup(g_strstrip(*l)),
				    g_strdup(g_strstrip(eq + 1)));
	}
	const char *refuse = g_hash_table_lookup(job->keys, "refuse");
	if (refuse) {
		g_set_error(error, ZVM_MANIFEST_ERROR, ZVM_MANIFEST_ERROR_LIMIT, "MANIFEST 1: %s",
			    refuse);
		fake_free(job);
		return NULL;
	}
	const char *outputs = g_hash_table_lookup(job->keys, "outputs");
	job->outputs = g_strsplit(outputs ? outputs : "stdout stderr", " ", -1);
	const char *width = g_hash_table_lookup(job->keys, "width");
	guint n_nodes = width ? (guint)g_ascii_strtoull(width, NULL, 10) : 0;
	job->nodes = g_new0(char *, (n_nodes > 1 ? n_nodes : 0) + 1);
	for (guint i = 0; n_nodes > 1 && i < n_nodes; i++)
		job->nodes[i] = g_strdup_printf("n%u", i + 1);
	return job;
}

/* No wildcards here: nothing is recorded, nothing is taken back. */
static ZvmJob *fake_open_expanded(const char *bundle_dir, const ZvmLimits *limits,
				  const ZvmSandboxConfig *config, const ZvmIdentity *owner,
				  const char *expansion, GError **error)
{
	return fake_open(bundle_dir, limits, config, owner, error);
}

static const char *fake_get_expansion(const ZvmJob *job)
{
	return NULL;
}

static void fake_free(ZvmJob *job)
{
	if (job == NULL)
		return;
	g_hash_table_unref(job->keys);
	g_strfreev(job->outputs);
	g_strfreev(job->nodes);
	g_free(job);
}

static const ZvmManifest *fake_get_manifest(const ZvmJob *job)
{
	return NULL;
}

static uint64_t fake_get_memory(const ZvmJob *job)
{
	const char *memory = g_hash_table_lookup(job->keys, "memory");
	return memory ? g_ascii_strtoull(memory, NULL, 10) : 0;
}

static guint fake_get_width(const ZvmJob *job)
{
	const char *width = g_hash_table_lookup(job->keys, "width");
	return width ? MAX(1, (guint)g_ascii_strtoull(width, NULL, 10)) : 1;
}

static const char *const *fake_get_nodes(const ZvmJob *job)
{
	return (const char *const *)job->nodes;
}

static const char *const *fake_get_outputs(const ZvmJob *job)
{
	return (const char *const *)job->outputs;
}

static void fake_set_hooks(ZvmJob *job, const ZvmJobHooks *hooks, gpointer user_data)
{
	job->hooks = *hooks;
	job->hook_data = user_data;
}

static void fake_kill(ZvmJob *job)
{
	g_atomic_int_set(&job->killed, 1);
}

static guint key_uint(ZvmJob *job, const char *key)
{
	const char *value = g_hash_table_lookup(job->keys, key);
	return value ? (guint)g_ascii_strtoull(value, NULL, 10) : 0;
}

static gboolean fake_get_progress(ZvmJob *job, ZvmJobProgress *out)
{
	if (!g_atomic_int_get(&job->running))
		return FALSE;
	gboolean has_input = g_hash_table_contains(job->keys, "input");
	*out = (ZvmJobProgress){
	    .reads = 1,
	    .read_bytes = key_uint(job, "input") / 2,
	    .writes = g_atomic_int_get(&job->written),
	    .written_bytes = g_atomic_int_get(&job->written),
	    .input_bytes = has_input ? (int64_t)key_uint(job, "input") : -1,
	};
	return TRUE;
}

/* Sleeps @ms in 10 ms steps; FALSE when killed meanwhile. */
static gboolean pause_ms(ZvmJob *job, guint ms)
{
	for (guint t = 0; t < ms; t += 10) {
		if (g_atomic_int_get(&job->killed))
			return FALSE;
		g_usleep(10000);
	}
	return !g_atomic_int_get(&job->killed);
}

static gboolean fake_run(ZvmJob *job, const char *out_dir, ZvmReport *report, GError **error)
{
	int stdout_fd = -1;
	for (char **o = job->outputs; *o; o++) {
		g_autofree char *path = g_build_filename(out_dir, *o, NULL);
		g_autofree char *parent = g_path_get_dirname(path);
		g_mkdir_with_parents(parent, 0755);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST, "cannot create %s",
				    path);
			zvm_report_set_failure(report, ZVM_EXIT_CHANNEL, "cannot create output");
			if (stdout_fd >= 0)
				close(stdout_fd);
			return FALSE;
		}
		if (strcmp(*o, "stdout") == 0 && stdout_fd < 0)
			stdout_fd = fd;
		else
			close(fd);
	}
	gboolean alive = !g_atomic_int_get(&job->killed);
	if (alive && key_uint(job, "compile_ms")) {
		if (job->hooks.compiling)
			job->hooks.compiling(job->hook_data);
		alive = pause_ms(job, key_uint(job, "compile_ms"));
	}
	if (alive && job->hooks.running)
		job->hooks.running(getpid(), job->hook_data);
	g_atomic_int_set(&job->running, alive);
	const char *text = g_hash_table_lookup(job->keys, "stdout");
	for (const char *p = text; alive && p && *p; p++) {
		if (stdout_fd >= 0 && write(stdout_fd, p, 1) != 1)
			break;
		g_atomic_int_inc(&job->written);
		alive = pause_ms(job, 10);
	}
	if (alive)
		alive = pause_ms(job, key_uint(job, "sleep_ms"));
	if (stdout_fd >= 0)
		close(stdout_fd);
	g_atomic_int_set(&job->running, 0);

	const char *exit = g_hash_table_lookup(job->keys, "exit");
	if (!alive)
		zvm_report_set_failure(report, ZVM_EXIT_KILLED, "killed");
	else if (exit && strcmp(exit, "trap") == 0)
		zvm_report_set_failure(report, ZVM_EXIT_TRAP, "trap: integer divide by zero");
	else
		zvm_report_set_failure(report, ZVM_EXIT_OK, "ok");
	report->user_rc = (int)key_uint(job, "rc");
	report->user_seconds = 0.25;
	report->sys_seconds = 0.125;
	report->wall_seconds = 1.5;
	report->local[0] = report->local[2] = 1;
	report->local[1] = key_uint(job, "input");
	report->local[3] = g_atomic_int_get(&job->written);
	report->has_input_bytes = g_hash_table_contains(job->keys, "input");
	report->input_bytes = key_uint(job, "input");
	return TRUE;
}

const ZvmEngineOps zvm_fake_engine_ops = {
    .open = fake_open_expanded,
    .free = fake_free,
    .get_expansion = fake_get_expansion,
    .get_manifest = fake_get_manifest,
    .get_width = fake_get_width,
    .get_memory = fake_get_memory,
    .get_nodes = fake_get_nodes,
    .get_outputs = fake_get_outputs,
    .set_hooks = fake_set_hooks,
    .run = fake_run,
    .get_progress = fake_get_progress,
    .kill = fake_kill,
};
