/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Slurm runner: each job becomes one batch job (sbatch) that runs `zvm run-job SPOOL` on
 * a node as the job's owner. The spool, STATE/slurm/<id>, holds a hard-linked copy of the
 * bundle, the node's outputs and its report; the gateway copies the outputs it expects into
 * the job's out/ when the job ends, reading the spool as hostile (the owner writes there).
 * One poller thread calls squeue once per interval for all of this gateway's jobs (they
 * share one Slurm job name); a worker waits for its job's end without calling Slurm.
 */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/runner-report.h"
#include "../common/state-file.h"

typedef struct {
	ZvmRunner base;
	ZvmRunnerConfig config; /* strings owned */
	char *spool_root;	/* STATE/slurm */
	char *config_path;	/* handed to run-job, NULL: its default */
	char **data_roots;	/* "NAME=DIR", handed to run-job */
	guint compile_timeout;
	guint max_timeout; /* [limits] max_timeout: a system map's bound */
	char *name;	   /* the Slurm job name of this gateway's jobs */

	GMutex lock;	  /* everything below, and each SlurmRun's shared fields */
	GCond cond;	  /* workers: a run's Slurm state changed, a kill or a detach */
	GCond poll_cond;  /* the poller: a run came, or stopping */
	GHashTable *runs; /* Slurm id (char*) -> SlurmRun* */
	guint64 polls;	  /* squeue calls started */
	gboolean stopping;
	GThread *poller;
} SlurmRunner;

typedef struct {
	ZvmRunnerRun base;
	SlurmRunner *runner;
	ZvmStoreJob *job;
	ZvmJob *engine;
	const ZvmEngineOps *engine_ops;
	char *out_dir;
	char *spool;
	const ZvmJobHooks *hooks;
	gpointer hooks_data;
	gboolean attach;
	guint requeues;

	/* Under runner->lock. */
	char *slurm_id;	   /* while registered in runner->runs */
	guint64 since;	   /* runner->polls when registered */
	char *slurm_state; /* as squeue said it last ("RUNNING"), "GONE" when it no longer
			    * lists it; NULL before the first poll */
	gboolean ended;	   /* Slurm is done with it */
	gboolean kill, detach, cancelled;
} SlurmRun;

/* Slurm states after which a job runs no more (squeue --states=all). */
static gboolean state_is_final(const char *state)
{
	static const char *const final[] = {
	    "COMPLETED", "CANCELLED", "FAILED",	       "TIMEOUT",      "NODE_FAIL", "PREEMPTED",
	    "BOOT_FAIL", "DEADLINE",  "OUT_OF_MEMORY", "SPECIAL_EXIT", "GONE",	    NULL};
	return g_strv_contains(final, state);
}

/* Runs a Slurm command; its standard output in *@out when not NULL. */
static gboolean slurm_command(const char *const *argv, char **out, GError **error)
{
	g_autofree char *stdout_text = NULL, *stderr_text = NULL;
	int status;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &stdout_text,
			  &stderr_text, &status, error))
		return FALSE;
	if (!g_spawn_check_wait_status(status, NULL)) {
		g_set_error(error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s: %s", argv[0],
			    stderr_text && *stderr_text ? g_strstrip(stderr_text) : "failed");
		return FALSE;
	}
	if (out)
		*out = g_steal_pointer(&stdout_text);
	return TRUE;
}

/* The poller */

static void apply_poll(SlurmRunner *runner, const char *text, guint64 poll)
{
	g_autoptr(GHashTable) states = g_hash_table_new(g_str_hash, g_str_equal);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		char *space = strchr(*l, ' ');
		if (space == NULL)
			continue;
		*space = '\0';
		g_hash_table_insert(states, *l, g_strstrip(space + 1));
	}
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, runner->runs);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SlurmRun *run = value;
		const char *state = g_hash_table_lookup(states, run->slurm_id);
		/* Submitted after this squeue began: not listed yet, not gone. */
		if (state == NULL && run->since >= poll)
			continue;
		if (state == NULL)
			state = "GONE";
		if (g_strcmp0(state, run->slurm_state) != 0) {
			g_free(run->slurm_state);
			run->slurm_state = g_strdup(state);
		}
		run->ended = state_is_final(state);
	}
	g_cond_broadcast(&runner->cond);
}

static gpointer poller_main(gpointer data)
{
	SlurmRunner *runner = data;
	const char *argv[] = {
	    "squeue", "--noheader", "--states=all", "--name", runner->name, "--format=%i %T", NULL};
	gboolean warned = FALSE;
	g_mutex_lock(&runner->lock);
	while (!runner->stopping) {
		if (g_hash_table_size(runner->runs) == 0) {
			g_cond_wait(&runner->poll_cond, &runner->lock);
			continue;
		}
		gint64 deadline = g_get_monotonic_time() +
				  (gint64)runner->config.poll_interval_ms * G_TIME_SPAN_MILLISECOND;
		while (!runner->stopping && g_get_monotonic_time() < deadline)
			g_cond_wait_until(&runner->poll_cond, &runner->lock, deadline);
		if (runner->stopping)
			break;
		guint64 poll = ++runner->polls;
		g_mutex_unlock(&runner->lock);
		g_autofree char *text = NULL;
		g_autoptr(GError) error = NULL;
		gboolean ok = slurm_command(argv, &text, &error);
		/* One warning per outage: Slurm's controller may be restarting. */
		if (!ok && !warned)
			g_warning("slurm: cannot follow the jobs: %s", error->message);
		warned = !ok;
		g_mutex_lock(&runner->lock);
		if (ok)
			apply_poll(runner, text, poll);
	}
	g_mutex_unlock(&runner->lock);
	return NULL;
}

/* The spool */

/* Hard links of the bundle's files in a tree of new directories: the bundle as the owner
 * may read it, without a copy and without opening the job's directory to them. */
static gboolean link_tree(int from_dir, int to_dir, int depth, GError **error)
{
	if (depth > 64) {
		g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "bundle too deep");
		return FALSE;
	}
	int fd = dup(from_dir);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	if (dir == NULL) {
		if (fd >= 0)
			close(fd);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot read the bundle: %s", g_strerror(errno));
		return FALSE;
	}
	gboolean ok = TRUE;
	struct dirent *entry;
	while (ok && (entry = readdir(dir)) != NULL) {
		const char *name = entry->d_name;
		if (g_str_equal(name, ".") || g_str_equal(name, ".."))
			continue;
		struct stat st;
		if (fstatat(from_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		int saved = 0;
		if (S_ISDIR(st.st_mode)) {
			int sub =
			    openat(from_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int made = -1;
			if (sub >= 0 && mkdirat(to_dir, name, 0755) == 0)
				made = openat(to_dir, name,
					      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (made >= 0)
				ok = link_tree(sub, made, depth + 1, error);
			else
				saved = errno;
			if (sub >= 0)
				close(sub);
			if (made >= 0)
				close(made);
		} else if (S_ISREG(st.st_mode) && linkat(from_dir, name, to_dir, name, 0) < 0) {
			saved = errno;
		}
		if (saved) {
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
				    "cannot link the bundle's %s: %s", name, g_strerror(saved));
			ok = FALSE;
		}
	}
	closedir(dir);
	return ok;
}

static gboolean give_to_owner(const char *path, const ZvmJobInfo *info, GError **error)
{
	if (geteuid() != 0 || chown(path, info->uid, info->gid) == 0)
		return TRUE;
	int saved = errno;
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot chown %s: %s",
		    path, g_strerror(saved));
	return FALSE;
}

/* A fresh spool for a run: the bundle (linked), the expansion, an empty out/, all the
 * owner's to write but the bundle. */
static gboolean spool_prepare(SlurmRun *run, const ZvmJobInfo *info, GError **error)
{
	if (!zvm_state_remove_tree(run->spool, error) ||
	    !zvm_state_ensure_dir(run->spool, 0700, error) ||
	    !give_to_owner(run->spool, info, error))
		return FALSE;
	g_autofree char *bundle = zvm_store_job_path(run->job, "bundle");
	g_autofree char *linked = g_build_filename(run->spool, "bundle", NULL);
	g_autofree char *out = g_build_filename(run->spool, "out", NULL);
	if (!zvm_state_ensure_dir(linked, 0755, error) || !zvm_state_ensure_dir(out, 0755, error) ||
	    !give_to_owner(out, info, error))
		return FALSE;
	int from = open(bundle, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int to = open(linked, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	gboolean ok = from >= 0 && to >= 0;
	if (!ok)
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot open %s: %s", bundle, g_strerror(errno));
	else
		ok = link_tree(from, to, 0, error);
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	if (!ok)
		return FALSE;
	const char *expansion = run->engine_ops->get_expansion(run->engine);
	if (expansion) {
		g_autofree char *path = g_build_filename(run->spool, "expansion", NULL);
		if (!zvm_state_write_atomic(path, expansion, strlen(expansion), 0644,
					    ZVM_STATE_SYNC_NONE, error))
			return FALSE;
	}
	return TRUE;
}

/* Opens @relative below the directory @root one name at a time, following no symbolic link,
 * the last name without blocking (a FIFO does not stop us). */
static int open_below(const char *root, const char *relative)
{
	int dir = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	g_auto(GStrv) names = g_strsplit(relative, "/", -1);
	for (char **n = names; dir >= 0 && *n; n++) {
		gboolean last = n[1] == NULL;
		int next = openat(dir, *n,
				  last ? O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
				       : O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dir);
		dir = next;
	}
	return dir;
}

/* Copies one output from the spool to out/: a regular file of one link only (a hard link
 * to a file its owner may not read would read it as the gateway), as a new file of ours. */
static void collect_output(SlurmRun *run, const char *relative, uint64_t max_bytes)
{
	g_autofree char *spool_out = g_build_filename(run->spool, "out", NULL);
	int fd = open_below(spool_out, relative);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1) {
		g_autofree char *target = g_build_filename(run->out_dir, relative, NULL);
		g_autofree char *parent = g_path_get_dirname(target);
		g_autoptr(GError) error = NULL;
		gboolean too_large = FALSE;
		unlink(target);
		if (g_mkdir_with_parents(parent, 0755) < 0 ||
		    zvm_state_copy_fd(fd, target, max_bytes, &too_large, &error) < 0)
			g_warning("job %" G_GUINT64_FORMAT ": output %s: %s",
				  zvm_store_job_get_id(run->job), relative,
				  error ? error->message : g_strerror(errno));
		else
			chmod(target, 0644);
	}
	close(fd);
}

static void collect_outputs(SlurmRun *run)
{
	for (const char *const *o = run->engine_ops->get_outputs(run->engine); *o; o++)
		collect_output(run, *o, G_MAXINT64);
	/* A system map's nodes leave their own report and accounting (six and one short
	 * lines; the store reads them as they are). */
	for (const char *const *node = run->engine_ops->get_nodes(run->engine); *node; node++) {
		g_autofree char *report = g_build_filename(*node, "report", NULL);
		g_autofree char *accounting = g_build_filename(*node, "accounting", NULL);
		collect_output(run, report, ZVM_RUNNER_REPORT_MAX);
		collect_output(run, accounting, ZVM_RUNNER_REPORT_MAX);
	}
}

/* Submitting */

static char *sbatch(SlurmRun *run, const ZvmJobInfo *info, GError **error)
{
	SlurmRunner *runner = run->runner;
	const ZvmRunnerConfig *config = &runner->config;
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
#define ARG(...) g_ptr_array_add(argv, g_strdup_printf(__VA_ARGS__))
	ARG("sbatch");
	ARG("--parsable");
	ARG("--job-name=%s", runner->name);
	ARG("--output=%s/log", run->spool);
	ARG("--chdir=%s", run->spool);
	ARG("--no-requeue");
	ARG("--export=NONE");
	guint width = MAX(run->engine_ops->get_width(run->engine), 1);
	guint cpus = config->max_cpus ? MIN(width, config->max_cpus) : width;
	ARG("--cpus-per-task=%u", cpus);
	guint64 memory = run->engine_ops->get_memory(run->engine) + config->memory_overhead;
	ARG("--mem=%" G_GUINT64_FORMAT "M", (memory + (1 << 20) - 1) >> 20);
	/* The program's Timeout, and the compile bound before it. A system map's nodes each
	 * have their own: the operator's maximum bounds them all. */
	const ZvmManifest *manifest = run->engine_ops->get_manifest(run->engine);
	guint64 timeout = *run->engine_ops->get_nodes(run->engine) ? runner->max_timeout
			  : manifest				   ? manifest->timeout
								   : runner->max_timeout;
	guint64 seconds = timeout + runner->compile_timeout + 60;
	ARG("--time=%" G_GUINT64_FORMAT ":%02u", seconds / 60, (unsigned)(seconds % 60));
	if (config->partition)
		ARG("--partition=%s", config->partition);
	if (config->account)
		ARG("--account=%s", config->account);
	if (geteuid() == 0) {
		ARG("--uid=%u", (unsigned)info->uid);
		ARG("--gid=%u", (unsigned)info->gid);
	}
	GString *command = g_string_new("exec ");
	g_autofree char *zvm = g_shell_quote(config->zvm);
	g_string_append_printf(command, "%s run-job", zvm);
	if (runner->config_path) {
		g_autofree char *quoted = g_shell_quote(runner->config_path);
		g_string_append_printf(command, " --config %s", quoted);
	}
	for (char **d = runner->data_roots; d && *d; d++) {
		g_autofree char *quoted = g_shell_quote(*d);
		g_string_append_printf(command, " --data %s", quoted);
	}
	g_autofree char *spool = g_shell_quote(run->spool);
	g_string_append_printf(command, " %s", spool);
	ARG("--wrap=%s", command->str);
	g_string_free(command, TRUE);
#undef ARG
	g_ptr_array_add(argv, NULL);
	g_autofree char *out = NULL;
	if (!slurm_command((const char *const *)argv->pdata, &out, error))
		return NULL;
	/* "<id>" or "<id>;<cluster>" */
	g_strstrip(out);
	char *semicolon = strchr(out, ';');
	if (semicolon)
		*semicolon = '\0';
	guint64 id;
	if (!g_ascii_string_to_unsigned(out, 10, 1, G_MAXUINT64, &id, NULL)) {
		g_set_error(error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
			    "sbatch: unexpected answer '%s'", out);
		return NULL;
	}
	return g_strdup(out);
}

static void cancel(const char *slurm_id)
{
	const char *argv[] = {"scancel", slurm_id, NULL};
	g_autoptr(GError) error = NULL;
	if (!slurm_command(argv, NULL, &error))
		g_warning("slurm: %s", error->message);
}

/* Under runner->lock. */
static void register_run(SlurmRun *run, char *slurm_id)
{
	SlurmRunner *runner = run->runner;
	run->slurm_id = slurm_id;
	run->since = runner->polls;
	run->ended = FALSE;
	g_clear_pointer(&run->slurm_state, g_free);
	g_hash_table_insert(runner->runs, run->slurm_id, run);
	g_cond_broadcast(&runner->poll_cond);
}

static void unregister_run(SlurmRun *run)
{
	if (run->slurm_id)
		g_hash_table_remove(run->runner->runs, run->slurm_id);
	g_clear_pointer(&run->slurm_id, g_free);
}

/* The ops */

static ZvmRunnerRun *slurm_prepare(ZvmRunner *base, const ZvmRunnerRequest *request)
{
	SlurmRunner *runner = (SlurmRunner *)base;
	SlurmRun *run = g_new0(SlurmRun, 1);
	run->base.ops = base->ops;
	run->runner = runner;
	run->job = zvm_store_job_ref(request->job);
	run->engine = request->engine;
	run->engine_ops = request->engine_ops;
	run->out_dir = g_strdup(request->out_dir);
	run->hooks = request->hooks;
	run->hooks_data = request->hooks_data;
	run->attach = request->attach;
	run->spool = g_strdup_printf("%s/%" G_GUINT64_FORMAT, runner->spool_root,
				     zvm_store_job_get_id(request->job));
	return &run->base;
}

/* Starts a new Slurm job for @run and follows it. Returns FALSE with @error when it cannot
 * be submitted. Called without the lock. */
static gboolean submit(SlurmRun *run, GError **error)
{
	ZvmJobInfo info;
	zvm_store_job_get_info(run->job, &info);
	if (!spool_prepare(run, &info, error))
		return FALSE;
	char *slurm_id = sbatch(run, &info, error);
	if (slurm_id == NULL)
		return FALSE;
	g_autoptr(GError) local = NULL;
	if (!zvm_store_job_set_runner_job(run->job, "slurm", slurm_id, &local))
		g_warning("job %" G_GUINT64_FORMAT ": %s", zvm_store_job_get_id(run->job),
			  local->message);
	g_mutex_lock(&run->runner->lock);
	register_run(run, slurm_id);
	g_mutex_unlock(&run->runner->lock);
	return TRUE;
}

static ZvmRunnerEnd slurm_run(ZvmRunnerRun *base, ZvmReport *report, GError **error)
{
	SlurmRun *run = (SlurmRun *)base;
	SlurmRunner *runner = run->runner;
	guint64 id = zvm_store_job_get_id(run->job);

	g_mutex_lock(&runner->lock);
	gboolean killed = run->kill, detached = run->detach;
	g_mutex_unlock(&runner->lock);
	if (detached)
		return ZVM_RUNNER_DETACHED;
	if (killed && !run->attach) {
		zvm_report_set_failure(report, ZVM_EXIT_KILLED, "killed");
		return ZVM_RUNNER_ENDED;
	}
	if (run->attach) {
		g_mutex_lock(&runner->lock);
		register_run(run, zvm_store_job_get_runner_job(run->job, "slurm"));
		g_mutex_unlock(&runner->lock);
	} else if (!submit(run, error)) {
		zvm_report_set_failure(report, ZVM_EXIT_SIGNAL, (*error)->message);
		zvm_state_remove_tree(run->spool, NULL);
		return ZVM_RUNNER_FAILED;
	}

	g_autofree char *report_path = g_build_filename(run->spool, "report", NULL);
	for (;;) {
		gboolean told_running = FALSE;
		g_mutex_lock(&runner->lock);
		while (!run->ended && !run->detach) {
			if (run->kill && !run->cancelled) {
				run->cancelled = TRUE;
				g_autofree char *slurm_id = g_strdup(run->slurm_id);
				g_mutex_unlock(&runner->lock);
				cancel(slurm_id);
				g_mutex_lock(&runner->lock);
				continue;
			}
			if (!told_running && g_strcmp0(run->slurm_state, "RUNNING") == 0) {
				told_running = TRUE;
				g_mutex_unlock(&runner->lock);
				if (run->hooks && run->hooks->running)
					run->hooks->running(0, run->hooks_data);
				g_mutex_lock(&runner->lock);
				continue;
			}
			g_cond_wait(&runner->cond, &runner->lock);
		}
		if (run->detach && !run->ended) {
			unregister_run(run);
			g_mutex_unlock(&runner->lock);
			return ZVM_RUNNER_DETACHED;
		}
		g_autofree char *state = g_strdup(run->slurm_state);
		g_autofree char *slurm_id = g_strdup(run->slurm_id);
		gboolean by_user = run->kill;
		unregister_run(run);
		g_mutex_unlock(&runner->lock);

		g_autoptr(GError) local = NULL;
		if (zvm_runner_report_read(report_path, report, &local)) {
			collect_outputs(run);
			break;
		}
		g_autofree char *reason = NULL;
		ZvmExitKind kind = ZVM_EXIT_SIGNAL;
		if (by_user || g_str_equal(state, "CANCELLED")) {
			kind = ZVM_EXIT_KILLED;
			reason = g_strdup(by_user ? "killed" : "killed: cancelled in Slurm");
		} else if (g_str_equal(state, "TIMEOUT")) {
			kind = ZVM_EXIT_TIMEOUT;
			reason = g_strdup_printf("timeout: Slurm job %s reached its time limit",
						 slurm_id);
		} else if (g_str_equal(state, "NODE_FAIL") || g_str_equal(state, "BOOT_FAIL") ||
			   g_str_equal(state, "GONE") || g_str_equal(state, "PREEMPTED")) {
			if (run->requeues == 0) {
				/* Once more, on whatever node Slurm picks. */
				run->requeues++;
				g_message("job %" G_GUINT64_FORMAT
					  ": Slurm job %s ended %s without "
					  "a report; submitted again",
					  id, slurm_id, state);
				g_autoptr(GError) requeue = NULL;
				if (!zvm_store_job_requeue(run->job, &requeue) ||
				    !zvm_store_job_prepare_run(run->job, &requeue) ||
				    !submit(run, &requeue)) {
					reason =
					    g_strdup_printf("node failure: %s", requeue->message);
				} else {
					continue;
				}
			} else {
				reason = g_strdup_printf("node failure: Slurm job %s ended %s "
							 "without a report, twice",
							 slurm_id, state);
			}
		} else {
			reason =
			    g_strdup_printf("Slurm job %s ended %s without a valid report (%s)",
					    slurm_id, state, local->message);
		}
		zvm_report_set_failure(report, kind, reason);
		break;
	}
	zvm_state_remove_tree(run->spool, NULL);
	return ZVM_RUNNER_ENDED;
}

static void slurm_kill(ZvmRunnerRun *base)
{
	SlurmRun *run = (SlurmRun *)base;
	g_mutex_lock(&run->runner->lock);
	run->kill = TRUE;
	g_cond_broadcast(&run->runner->cond);
	g_mutex_unlock(&run->runner->lock);
}

static void slurm_detach(ZvmRunnerRun *base)
{
	SlurmRun *run = (SlurmRun *)base;
	g_mutex_lock(&run->runner->lock);
	run->detach = TRUE;
	g_cond_broadcast(&run->runner->cond);
	g_mutex_unlock(&run->runner->lock);
}

static void slurm_run_free(ZvmRunnerRun *base)
{
	SlurmRun *run = (SlurmRun *)base;
	g_mutex_lock(&run->runner->lock);
	unregister_run(run);
	g_mutex_unlock(&run->runner->lock);
	zvm_store_job_unref(run->job);
	g_free(run->out_dir);
	g_free(run->spool);
	g_free(run->slurm_state);
	g_free(run);
}

static void slurm_free(ZvmRunner *base)
{
	SlurmRunner *runner = (SlurmRunner *)base;
	g_mutex_lock(&runner->lock);
	runner->stopping = TRUE;
	g_cond_broadcast(&runner->poll_cond);
	g_mutex_unlock(&runner->lock);
	if (runner->poller)
		g_thread_join(runner->poller);
	g_hash_table_unref(runner->runs);
	g_mutex_clear(&runner->lock);
	g_cond_clear(&runner->cond);
	g_cond_clear(&runner->poll_cond);
	g_free(runner->config.partition);
	g_free(runner->config.account);
	g_free(runner->config.zvm);
	g_free(runner->spool_root);
	g_free(runner->config_path);
	g_strfreev(runner->data_roots);
	g_free(runner->name);
	g_free(runner);
}

static const ZvmRunnerOps slurm_ops = {
    .name = "slurm",
    .prepare = slurm_prepare,
    .run = slurm_run,
    .kill = slurm_kill,
    .detach = slurm_detach,
    .run_free = slurm_run_free,
    .free = slurm_free,
};

ZvmRunner *zvm_runner_slurm_new(const ZvmRunnerConfig *config, const char *state_dir,
				const char *config_path, char **data_roots, guint compile_timeout,
				guint max_timeout, GError **error)
{
	g_autofree char *spool_root = g_build_filename(state_dir, "slurm", NULL);
	/* The owners' spools are theirs; the list of them is not. */
	if (!zvm_state_ensure_dir(spool_root, 0711, error))
		return NULL;
	SlurmRunner *runner = g_new0(SlurmRunner, 1);
	runner->base.ops = &slurm_ops;
	runner->config = *config;
	runner->config.partition = g_strdup(config->partition);
	runner->config.account = g_strdup(config->account);
	runner->config.zvm = g_strdup(config->zvm);
	runner->spool_root = g_steal_pointer(&spool_root);
	runner->config_path = g_strdup(config_path);
	runner->data_roots = g_strdupv(data_roots);
	runner->compile_timeout = compile_timeout;
	runner->max_timeout = max_timeout;
	/* One name per state directory: two gateways on one cluster follow their own jobs. */
	g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, state_dir, -1);
	runner->name = g_strdup_printf("zvmfs-%.12s", digest);
	g_mutex_init(&runner->lock);
	g_cond_init(&runner->cond);
	g_cond_init(&runner->poll_cond);
	runner->runs = g_hash_table_new(g_str_hash, g_str_equal);
	runner->poller = g_thread_new("zvm-slurm-poll", poller_main, runner);
	return &runner->base;
}
