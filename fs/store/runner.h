/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runner seam: the scheduler hands one job, already opened and checked through the
 * engine, to a runner and learns its end. The local runner (runner-local.c, the default)
 * runs it here through the engine; the Slurm runner (runner-slurm.c) makes it a Slurm job
 * that runs `zvm run-job` on a node, and reads its end from the report that program leaves
 * (runner-report.h) or from Slurm's state.
 *
 * Thread context: zvm_runner_run() blocks the calling worker thread until the job ends;
 * zvm_runner_kill() and zvm_runner_detach() may be called from any thread at any time
 * between zvm_runner_prepare() and zvm_runner_run_free(). Knows nothing of FUSE.
 */
#pragma once

#include <glib.h>

#include "../../sandbox/engine.h"
#include "../common/config.h"
#include "store.h"

typedef struct _ZvmRunner ZvmRunner;
typedef struct _ZvmRunnerRun ZvmRunnerRun;

/* One job for a runner; everything borrowed until zvm_runner_run_free(). */
typedef struct {
	ZvmStoreJob *job;
	ZvmJob *engine;			/* opened by the scheduler (owner, limits, expansion) */
	const ZvmEngineOps *engine_ops; /* the store's engine, which opened it */
	const char *out_dir;		/* the job's out/, emptied for this run */
	/* The job names an id of this runner's kind from a gateway that stopped (store.h
	 * zvm_store_job_get_runner_job): follow that run instead of starting one. */
	gboolean attach;
	/* Called as the engine's would be (compiling may not come); data is hooks_data. */
	const ZvmJobHooks *hooks;
	gpointer hooks_data;
} ZvmRunnerRequest;

typedef enum {
	ZVM_RUNNER_ENDED,    /* the report says how (it may say killed) */
	ZVM_RUNNER_FAILED,   /* a host failure: @error set, and the reason in the report */
	ZVM_RUNNER_DETACHED, /* zvm_runner_detach(): it runs on without us; nothing to record */
} ZvmRunnerEnd;

typedef struct {
	const char *name; /* "local", "slurm": the store's runner name */
	ZvmRunnerRun *(*prepare)(ZvmRunner *runner, const ZvmRunnerRequest *request);
	ZvmRunnerEnd (*run)(ZvmRunnerRun *run, ZvmReport *report, GError **error);
	void (*kill)(ZvmRunnerRun *run);
	void (*detach)(ZvmRunnerRun *run);
	void (*run_free)(ZvmRunnerRun *run);
	void (*free)(ZvmRunner *runner);
} ZvmRunnerOps;

/* Each implementation's runner and run structs start with these. */
struct _ZvmRunner {
	const ZvmRunnerOps *ops;
};
struct _ZvmRunnerRun {
	const ZvmRunnerOps *ops;
};

/* The local runner: zvm_job_run() on the worker thread; detach kills (the job runs again
 * at the next start, as every local job does). */
ZvmRunner *zvm_runner_local_new(void);

/*
 * The Slurm runner (runner-slurm.c, docs/operations.md): each job a Slurm job running
 * `@config->zvm run-job [--config @config_path] [--data ROOT]... SPOOL` on a node, as its
 * owner when the gateway is root; its spools under @state_dir/slurm (created here);
 * --time is the job's Timeout (@max_timeout for a system map, whose nodes may each have
 * their own) plus @compile_timeout plus a minute.
 * Returns: the runner, or NULL with @error when the spool directory cannot be made.
 */
ZvmRunner *zvm_runner_slurm_new(const ZvmRunnerConfig *config, const char *state_dir,
				const char *config_path, char **data_roots, guint compile_timeout,
				guint max_timeout, GError **error);

/* Ready to run (not started): kill and detach may come from now on. Never fails. */
static inline ZvmRunnerRun *zvm_runner_prepare(ZvmRunner *runner, const ZvmRunnerRequest *request)
{
	return runner->ops->prepare(runner, request);
}

/*
 * Runs the job to its end, or until it is detached. A kill before it starts ends it killed
 * without running. Fills @report on ENDED and FAILED.
 */
static inline ZvmRunnerEnd zvm_runner_run(ZvmRunnerRun *run, ZvmReport *report, GError **error)
{
	return run->ops->run(run, report, error);
}

/* Stops the job: it ends `killed`. Idempotent. */
static inline void zvm_runner_kill(ZvmRunnerRun *run)
{
	run->ops->kill(run);
}

/* The gateway stops: zvm_runner_run() returns DETACHED where the job can run on without
 * the gateway (Slurm), else the job is killed as the local runner's is. Idempotent. */
static inline void zvm_runner_detach(ZvmRunnerRun *run)
{
	run->ops->detach(run);
}

static inline void zvm_runner_run_free(ZvmRunnerRun *run)
{
	if (run)
		run->ops->run_free(run);
}

static inline void zvm_runner_free(ZvmRunner *runner)
{
	if (runner)
		runner->ops->free(runner);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmRunner, zvm_runner_free)
