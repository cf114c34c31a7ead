/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler: a bounded queue of accepted jobs and a pool of worker threads that run
 * them through the store's engine (zvm_store_get_engine, sandbox/engine.h), moving each through the
 * store's states (queued, compiling, running, then done, failed or killed) and writing its report
 * and accounting. A watcher thread follows the outputs and the channel counters of running jobs
 * (into the store, for their status) and applies retention.
 * A job of several nodes (zvm_job_get_width) holds min(width, workers) worker slots while it
 * runs; no job starts while one waits for its slots (docs/pipelines.md).
 *
 * Users share it fairly: each user has a queue of their own, bounded by user_queue_length,
 * and a free worker takes the oldest job of the user who holds the fewest worker slots,
 * among those with work waiting; on a tie, the one served longest ago (round robin). A user
 * over their compile budget (user_compile_seconds per compile_window_s, counted from the
 * compiling to the running state) comes after every user who is not, until the window
 * turns. The compiler runs inside a worker, so a fair share of the workers is a fair share
 * of the compiler.
 *
 * Front ends register one listener; it is told, on whatever thread made the change, that a
 * job's state changed, that its outputs grew, or that it was deleted. The listener must not
 * block or call back into the scheduler (queue the event instead).
 *
 * Thread context: every function may be called from any thread; none waits for a job.
 * Knows nothing of FUSE.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "store.h"

typedef enum {
	ZVM_SCHEDULER_EVENT_STATE,   /* state changed (ended jobs: report and accounting exist) */
	ZVM_SCHEDULER_EVENT_OUTPUT,  /* an output file of a running job changed size or time */
	ZVM_SCHEDULER_EVENT_DELETED, /* the job left the store (rmdir, retention) */
} ZvmSchedulerEvent;

typedef void (*ZvmSchedulerListener)(ZvmSchedulerEvent event, guint64 id, gpointer user_data);

typedef struct {
	guint workers;		    /* worker slots (single-node jobs at once), at least 1 */
	guint queue_length;	    /* queued jobs before submissions are refused */
	guint watch_interval_ms;    /* how often running outputs and counters are read; 0: 250 ms */
	guint retention_interval_s; /* how often retention runs; 0: 60 s */
	/* Declared Memory (zvm_job_get_memory) the running jobs may hold together; 0: no
	 * budget. A job that does not fit waits in the queue (still `queued`), and no job starts
	 * while it waits, so it cannot starve; a job over the whole budget ends `failed`. */
	uint64_t memory_budget;
	/* Per user (uid): queued jobs before their submissions are refused (EAGAIN); 0: only
	 * queue_length bounds them. */
	guint user_queue_length;
	/* Bytes of output their jobs in the store may hold before their submissions are
	 * refused (EDQUOT); 0: no bound. */
	uint64_t user_output_bytes;
	/* Compile seconds per window of compile_window_s seconds before their jobs come after
	 * the other users'; 0: no bound. compile_window_s 0: 3600. */
	guint user_compile_seconds;
	guint compile_window_s;
	/* Who runs the jobs (runner.h), owned by the scheduler from zvm_scheduler_new() on;
	 * NULL: the local runner. */
	struct _ZvmRunner *runner;
} ZvmSchedulerOptions;

typedef struct _ZvmScheduler ZvmScheduler;

/* @store, @limits and @sandbox must outlive the scheduler. Nothing runs before start. */
ZvmScheduler *zvm_scheduler_new(ZvmStore *store, const ZvmLimits *limits,
				const ZvmSandboxConfig *sandbox,
				const ZvmSchedulerOptions *options);
/* Frees a stopped (or never started) scheduler. */
void zvm_scheduler_free(ZvmScheduler *scheduler);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmScheduler, zvm_scheduler_free)

/* The declared Memory the running jobs hold (*@in_use) and how many jobs wait for the
 * budget (*@waiting); either may be NULL. */
void zvm_scheduler_get_memory(ZvmScheduler *scheduler, uint64_t *in_use, guint *waiting);

/* The worker slots the running jobs hold (*@used) and how many wide jobs, taken from the
 * queue, wait for slots (*@waiting); either may be NULL. Tests use it to know that a job was
 * considered and held, not merely not reached yet. */
void zvm_scheduler_get_slots(ZvmScheduler *scheduler, guint *used, guint *waiting);

/* Sets the listener; call before zvm_scheduler_start(). */
void zvm_scheduler_set_listener(ZvmScheduler *scheduler, ZvmSchedulerListener listener,
				gpointer user_data);

/* Queues the store's queued jobs (in id order) and starts the workers and the watcher. */
void zvm_scheduler_start(ZvmScheduler *scheduler);

/*
 * Stops cleanly: refuses further submissions, kills the running jobs and puts them back to
 * queued on disk (restarts + 1; they run again at the next start), joins every thread.
 * Idempotent.
 */
void zvm_scheduler_stop(ZvmScheduler *scheduler);

/*
 * Submits a bundle (see zvm_store_submit()) and queues it. Then @uid's ended jobs beyond
 * their retention bound are removed (their own only; zvm_store_expire_user()).
 * Returns: TRUE with *@id, or FALSE with @error set: the store's refusals (*@id is then the
 * rejected job, or 0), ZVM_STORE_ERROR_QUEUE_FULL ("queue full (N jobs waiting)", or "queue
 * share: N jobs of yours waiting (max M)"), ZVM_STORE_ERROR_QUOTA ("output quota: your jobs'
 * outputs hold N bytes (max M) ...") or ZVM_STORE_ERROR_STOPPED, which record no job.
 */
gboolean zvm_scheduler_submit(ZvmScheduler *scheduler, int fd, const char *name, uid_t uid,
			      gid_t gid, guint64 *id, GError **error);

/*
 * Kills job @id: a queued job ends `killed` without running, a running one is stopped
 * through the engine and ends `killed` when its worker sees it end. An ended job is left
 * as it is (not an error: it may have ended a moment before).
 * Returns: FALSE with ZVM_STORE_ERROR_NOT_FOUND when there is no such job.
 */
gboolean zvm_scheduler_kill(ZvmScheduler *scheduler, guint64 id, GError **error);

/*
 * Deletes job @id from the store and its files; a running job is killed first and its
 * files removed when its worker lets go of them.
 * Returns: FALSE with ZVM_STORE_ERROR_NOT_FOUND (or IO) on failure.
 */
gboolean zvm_scheduler_delete(ZvmScheduler *scheduler, guint64 id, GError **error);

/* Jobs waiting in the queue (not running). */
guint zvm_scheduler_get_queued(ZvmScheduler *scheduler);

/* Per-user usage: the store's (zvm_store_get_usage()) with compile_seconds, the compile time
 * of the user's jobs in the current compile window, filled in; a user whose jobs are all
 * gone but who compiled in this window has a row too. Ordered by uid. */
GArray *zvm_scheduler_get_usage(ZvmScheduler *scheduler);
