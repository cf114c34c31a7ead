/* SPDX-License-Identifier: Apache-2.0 */
/* The scheduler: the queue, the worker threads and the output watcher (see scheduler.h). */
#include "scheduler.h"

#include <time.h>

#include "runner.h"

/* One user's share of the scheduler: their queue and what they use. Lives as long as the
 * scheduler. Every field under scheduler->lock. */
typedef struct {
	uid_t uid;
	GQueue queue;		/* ZvmStoreJob* (a reference each), oldest first */
	guint reserved;		/* their submissions in progress, counted against their share */
	guint slots;		/* worker slots their running jobs hold */
	gint64 window_start_us; /* the current compile window (monotonic) */
	gint64 compile_us;	/* compile time that ended in it */
	guint64 served;		/* scheduler->dispatched when a job of theirs last started */
	gboolean in_ring;	/* has queued jobs: in scheduler->ring */
} Tenant;

/* A job a worker has taken from the queue. */
typedef struct {
	ZvmScheduler *scheduler;
	Tenant *tenant;
	ZvmStoreJob *job;
	ZvmJob *engine;		 /* set while zvm_job_run() may use it; under scheduler->lock */
	ZvmRunnerRun *handle;	 /* set while the runner runs it; under scheduler->lock */
	gboolean kill_requested; /* by a user: ends `killed` */
	gboolean shutdown;	 /* by zvm_scheduler_stop(): goes back to queued */
	gboolean deleted;	 /* removed from the store: purge when done */
	guint slots;		 /* worker slots it holds (scheduler->slots_used) */
	uint64_t memory;	 /* declared Memory it holds (scheduler->memory_used) */
	gint64 compile_start_us; /* while it compiles, when it started (monotonic); else 0 */
} Run;

struct _ZvmScheduler {
	ZvmStore *store;
	const ZvmEngineOps *engine; /* the store's (zvm_store_get_engine) */
	const ZvmLimits *limits;
	const ZvmSandboxConfig *sandbox;
	ZvmSchedulerOptions options;
	ZvmRunner *runner; /* options.runner, or the local one */
	ZvmSchedulerListener listener;
	gpointer listener_data;

	GMutex lock;		/* everything below */
	GCond cond;		/* workers: queue not empty, or stopping */
	GCond watch_cond;	/* the watcher: stopping */
	GHashTable *tenants;	/* uid -> Tenant* (owned): every user seen */
	GQueue ring;		/* Tenant* with queued jobs */
	guint queued;		/* jobs in the tenants' queues */
	guint64 dispatched;	/* jobs taken from the queues so far */
	guint reserved;		/* submissions in progress, counted against queue_length */
	GHashTable *running;	/* guint64* id -> Run* */
	guint slots_used;	/* worker slots held by running jobs, up to options.workers */
	guint wide_waiting;	/* wide jobs waiting for slots: no new job starts meanwhile */
	uint64_t memory_used;	/* declared Memory of the running jobs, up to memory_budget */
	guint memory_waiting;	/* jobs waiting for the budget: no new job starts meanwhile */
	GHashTable *kill_early; /* guint64* ids killed between store and queue */
	gboolean started, stopping;
	GPtrArray *workers; /* GThread* */
	GThread *watcher;
};

static gint64 monotonic_us(void)
{
	return g_get_monotonic_time();
}

static gint64 realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (gint64)ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

static void emit(ZvmScheduler *scheduler, ZvmSchedulerEvent event, guint64 id)
{
	if (scheduler->listener)
		scheduler->listener(event, id, scheduler->listener_data);
}

ZvmScheduler *zvm_scheduler_new(ZvmStore *store, const ZvmLimits *limits,
				const ZvmSandboxConfig *sandbox, const ZvmSchedulerOptions *options)
{
	ZvmScheduler *scheduler = g_new0(ZvmScheduler, 1);
	scheduler->store = store;
	scheduler->engine = zvm_store_get_engine(store);
	scheduler->limits = limits;
	scheduler->sandbox = sandbox;
	scheduler->options = *options;
	scheduler->runner = options->runner ? options->runner : zvm_runner_local_new();
	scheduler->options.runner = NULL;
	scheduler->options.workers = MAX(1, options->workers);
	scheduler->options.queue_length = MAX(1, options->queue_length);
	if (scheduler->options.watch_interval_ms == 0)
		scheduler->options.watch_interval_ms = 250;
	if (scheduler->options.retention_interval_s == 0)
		scheduler->options.retention_interval_s = 60;
	if (scheduler->options.compile_window_s == 0)
		scheduler->options.compile_window_s = 3600;
	g_mutex_init(&scheduler->lock);
	g_cond_init(&scheduler->cond);
	g_cond_init(&scheduler->watch_cond);
	scheduler->tenants = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_queue_init(&scheduler->ring);
	scheduler->running = g_hash_table_new(g_int64_hash, g_int64_equal);
	scheduler->kill_early = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	scheduler->workers = g_ptr_array_new();
	return scheduler;
}

void zvm_scheduler_free(ZvmScheduler *scheduler)
{
	if (scheduler == NULL)
		return;
	zvm_scheduler_stop(scheduler);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, scheduler->tenants);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Tenant *tenant = value;
		g_queue_clear_full(&tenant->queue, (GDestroyNotify)zvm_store_job_unref);
		g_free(tenant);
	}
	g_hash_table_unref(scheduler->tenants);
	g_queue_clear(&scheduler->ring);
	g_hash_table_unref(scheduler->running);
	g_hash_table_unref(scheduler->kill_early);
	g_ptr_array_unref(scheduler->workers);
	zvm_runner_free(scheduler->runner);
	g_mutex_clear(&scheduler->lock);
	g_cond_clear(&scheduler->cond);
	g_cond_clear(&scheduler->watch_cond);
	g_free(scheduler);
}

void zvm_scheduler_set_listener(ZvmScheduler *scheduler, ZvmSchedulerListener listener,
				gpointer user_data)
{
	scheduler->listener = listener;
	scheduler->listener_data = user_data;
}

void zvm_scheduler_get_memory(ZvmScheduler *scheduler, uint64_t *in_use, guint *waiting)
{
	g_mutex_lock(&scheduler->lock);
	if (in_use)
		*in_use = scheduler->memory_used;
	if (waiting)
		*waiting = scheduler->memory_waiting;
	g_mutex_unlock(&scheduler->lock);
}

void zvm_scheduler_get_slots(ZvmScheduler *scheduler, guint *used, guint *waiting)
{
	g_mutex_lock(&scheduler->lock);
	if (used)
		*used = scheduler->slots_used;
	if (waiting)
		*waiting = scheduler->wide_waiting;
	g_mutex_unlock(&scheduler->lock);
}

guint zvm_scheduler_get_queued(ZvmScheduler *scheduler)
{
	g_mutex_lock(&scheduler->lock);
	guint queued = scheduler->queued;
	g_mutex_unlock(&scheduler->lock);
	return queued;
}

/* The queues, one per user */

/* @uid's share, made on first use. Called with scheduler->lock held. */
static Tenant *tenant_get(ZvmScheduler *scheduler, uid_t uid)
{
	Tenant *tenant = g_hash_table_lookup(scheduler->tenants, GUINT_TO_POINTER(uid));
	if (tenant == NULL) {
		tenant = g_new0(Tenant, 1);
		tenant->uid = uid;
		g_queue_init(&tenant->queue);
		g_hash_table_insert(scheduler->tenants, GUINT_TO_POINTER(uid), tenant);
	}
	return tenant;
}

/* The tenant's compile time in the current window, which starts anew once it is over.
 * Called with scheduler->lock held. */
static gint64 tenant_compile_us(ZvmScheduler *scheduler, Tenant *tenant, gint64 now)
{
	gint64 window = (gint64)scheduler->options.compile_window_s * G_USEC_PER_SEC;
	if (now - tenant->window_start_us >= window) {
		tenant->window_start_us = now;
		tenant->compile_us = 0;
	}
	return tenant->compile_us;
}

/* Whether @tenant used up their compile budget in this window. Called with the lock held. */
static gboolean tenant_over_budget(ZvmScheduler *scheduler, Tenant *tenant, gint64 now)
{
	guint budget = scheduler->options.user_compile_seconds;
	return budget &&
	       tenant_compile_us(scheduler, tenant, now) >= (gint64)budget * G_USEC_PER_SEC;
}

/* Adds the compile time of @run, if it was compiling, to its user's. Called with the lock
 * held. */
static void account_compile(ZvmScheduler *scheduler, Run *run)
{
	if (run->compile_start_us == 0)
		return;
	gint64 now = monotonic_us();
	tenant_compile_us(scheduler, run->tenant, now);
	run->tenant->compile_us += now - run->compile_start_us;
	run->compile_start_us = 0;
}

/* Queues @job (taking the caller's reference) behind its owner's others. Called with the
 * lock held. */
static void queue_push(ZvmScheduler *scheduler, ZvmStoreJob *job)
{
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	Tenant *tenant = tenant_get(scheduler, info.uid);
	g_queue_push_tail(&tenant->queue, job);
	scheduler->queued++;
	if (!tenant->in_ring) {
		tenant->in_ring = TRUE;
		g_queue_push_tail(&scheduler->ring, tenant);
	}
}

/* Takes @tenant's link out of the ring once their queue is empty. Called with the lock held. */
static void ring_settle(ZvmScheduler *scheduler, Tenant *tenant)
{
	if (tenant->in_ring && g_queue_is_empty(&tenant->queue)) {
		g_queue_remove(&scheduler->ring, tenant);
		tenant->in_ring = FALSE;
	}
}

/* Whether @a comes before @b (@a_over, @b_over: over their compile budget): within the
 * budget first, then fewer worker slots held, then served longer ago (round robin). */
static gboolean tenant_before(const Tenant *a, gboolean a_over, const Tenant *b, gboolean b_over)
{
	if (a_over != b_over)
		return !a_over;
	if (a->slots != b->slots)
		return a->slots < b->slots;
	return a->served < b->served;
}

/*
 * The next job to start (the queue is not empty): the oldest of the user who comes first by
 * tenant_before(). Called with the lock held.
 */
static ZvmStoreJob *queue_pop_next(ZvmScheduler *scheduler, Tenant **owner)
{
	gint64 now = monotonic_us();
	Tenant *best = NULL;
	gboolean best_over = FALSE;
	for (GList *l = scheduler->ring.head; l; l = l->next) {
		Tenant *tenant = l->data;
		gboolean over = tenant_over_budget(scheduler, tenant, now);
		if (best == NULL || tenant_before(tenant, over, best, best_over)) {
			best = tenant;
			best_over = over;
		}
	}
	ZvmStoreJob *job = g_queue_pop_head(&best->queue);
	scheduler->queued--;
	best->served = ++scheduler->dispatched;
	ring_settle(scheduler, best);
	*owner = best;
	return job;
}

/* Running a job */

static void on_compiling(gpointer data)
{
	Run *run = data;
	g_mutex_lock(&run->scheduler->lock);
	run->compile_start_us = monotonic_us();
	g_mutex_unlock(&run->scheduler->lock);
	g_autoptr(GError) error = NULL;
	if (!zvm_store_job_set_state(run->job, ZVM_STORE_STATE_COMPILING, &error))
		g_warning("job %" G_GUINT64_FORMAT ": %s", zvm_store_job_get_id(run->job),
			  error->message);
	emit(run->scheduler, ZVM_SCHEDULER_EVENT_STATE, zvm_store_job_get_id(run->job));
}

static void on_translating(guint done, guint total, gpointer data)
{
	Run *run = data;
	zvm_store_job_set_translation(run->job, done, total);
}

static void on_compile_waiting(gboolean waiting, gpointer data)
{
	Run *run = data;
	zvm_store_job_set_compile_waiting(run->job, waiting);
}

static void on_running(pid_t runner, gpointer data)
{
	Run *run = data;
	g_mutex_lock(&run->scheduler->lock);
	account_compile(run->scheduler, run);
	g_mutex_unlock(&run->scheduler->lock);
	g_autoptr(GError) error = NULL;
	if (!zvm_store_job_set_state(run->job, ZVM_STORE_STATE_RUNNING, &error))
		g_warning("job %" G_GUINT64_FORMAT ": %s", zvm_store_job_get_id(run->job),
			  error->message);
	emit(run->scheduler, ZVM_SCHEDULER_EVENT_STATE, zvm_store_job_get_id(run->job));
}

static ZvmStoreState state_of_report(const ZvmReport *report)
{
	switch (report->exit_kind) {
	case ZVM_EXIT_OK:
		return ZVM_STORE_STATE_DONE;
	case ZVM_EXIT_KILLED:
		return ZVM_STORE_STATE_KILLED;
	case ZVM_EXIT_VALIDATION:
	case ZVM_EXIT_COMPILE:
	case ZVM_EXIT_TRAP:
	case ZVM_EXIT_TIMEOUT:
	case ZVM_EXIT_SIGNAL:
	case ZVM_EXIT_CHANNEL:
	case ZVM_EXIT_MANIFEST:
	case ZVM_EXIT_MEMORY:
	default:
		return ZVM_STORE_STATE_FAILED;
	}
}

/* Removes @uid's ended jobs beyond their retention bound (theirs only), telling the
 * listener. */
static void expire_user(ZvmScheduler *scheduler, uid_t uid)
{
	g_autoptr(GArray) removed = zvm_store_expire_user(scheduler->store, uid);
	for (guint i = 0; i < removed->len; i++)
		emit(scheduler, ZVM_SCHEDULER_EVENT_DELETED, g_array_index(removed, guint64, i));
}

static void finish(ZvmScheduler *scheduler, ZvmStoreJob *job, ZvmStoreState state,
		   const ZvmReport *report, const char *reason)
{
	g_autoptr(GError) error = NULL;
	if (!zvm_store_job_finish(job, state, report, reason, &error))
		g_warning("job %" G_GUINT64_FORMAT ": cannot record its end: %s",
			  zvm_store_job_get_id(job), error->message);
	emit(scheduler, ZVM_SCHEDULER_EVENT_STATE, zvm_store_job_get_id(job));
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	expire_user(scheduler, info.uid);
}

/*
 * A job of width W (its nodes, zvm_job_get_width) holds min(W, workers) slots of the pool
 * while it runs: it gives back the one its worker took and waits until that many are free,
 * and no new job starts while it waits, so it cannot starve. A job wider than the pool holds
 * the whole pool, and still starts all its nodes: a pipe needs both ends alive.
 * Called with scheduler->lock held.
 */
static void reserve_slots(ZvmScheduler *scheduler, Run *run, guint width)
{
	guint need = MIN(MAX(width, 1), scheduler->options.workers);
	if (need <= run->slots)
		return;
	scheduler->slots_used -= run->slots;
	run->tenant->slots -= run->slots;
	scheduler->wide_waiting++;
	while (!scheduler->stopping && !run->kill_requested && !run->shutdown &&
	       scheduler->slots_used + need > scheduler->options.workers)
		g_cond_wait(&scheduler->cond, &scheduler->lock);
	scheduler->wide_waiting--;
	scheduler->slots_used += need;
	run->tenant->slots += need;
	run->slots = need;
	/* Idle workers wait for wide_waiting to drop, too. */
	g_cond_broadcast(&scheduler->cond);
}

/*
 * Admits a job of @memory bytes against the memory budget: waits (holding its worker slot,
 * while no new job starts) until the running jobs leave room. Returns FALSE, taking nothing,
 * for a job over the whole budget, which would wait for ever.
 * Called with scheduler->lock held.
 */
static gboolean reserve_memory(ZvmScheduler *scheduler, Run *run, uint64_t memory)
{
	uint64_t budget = scheduler->options.memory_budget;
	if (budget == 0)
		return TRUE;
	if (memory > budget)
		return FALSE;
	scheduler->memory_waiting++;
	while (!scheduler->stopping && !run->kill_requested && !run->shutdown &&
	       scheduler->memory_used + memory > budget)
		g_cond_wait(&scheduler->cond, &scheduler->lock);
	scheduler->memory_waiting--;
	/* Stopped while it waited, it runs only to see that it was killed: it takes nothing. */
	if (scheduler->memory_used + memory <= budget) {
		scheduler->memory_used += memory;
		run->memory = memory;
	}
	g_cond_broadcast(&scheduler->cond);
	return TRUE;
}

static void execute(Run *run)
{
	ZvmScheduler *scheduler = run->scheduler;
	ZvmStoreJob *job = run->job;
	g_auto(ZvmReport) report = {0};
	g_autoptr(GError) error = NULL;

	g_autofree char *bundle = zvm_store_job_path(job, "bundle");
	g_autofree char *out = zvm_store_job_path(job, "out");
	/* Still running under a runner that outlives a gateway (Slurm): follow it, files and
	 * all. */
	g_autofree char *attach = zvm_store_job_get_runner_job(job, scheduler->runner->ops->name);
	if (attach == NULL && !zvm_store_job_prepare_run(job, &error)) {
		zvm_report_set_failure(&report, ZVM_EXIT_SIGNAL, error->message);
		finish(scheduler, job, ZVM_STORE_STATE_FAILED, &report, error->message);
		return;
	}
	/* The owner's groups come from the user database, as at submission, so that a job run
	 * again after a restart reads its data as the same identity (meta keeps uid and gid). */
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_autoptr(ZvmIdentity) owner = zvm_identity_new_for_user(info.uid, info.gid);
	/* A system map's wildcards give the nodes they gave at submission (store.h). */
	g_autofree char *expansion = zvm_store_job_read_expansion(job, &error);
	ZvmJob *engine =
	    error ? NULL
		  : scheduler->engine->open(bundle, scheduler->limits, scheduler->sandbox, owner,
					    expansion, &error);
	if (engine == NULL) {
		/* Accepted once, refused now: the operator's limits, or the owner's access to a
		 * data: file, changed since. */
		zvm_report_set_failure(&report, ZVM_EXIT_MANIFEST, error->message);
		finish(scheduler, job, ZVM_STORE_STATE_FAILED, &report, error->message);
		return;
	}
	const ZvmJobHooks hooks = {.compiling = on_compiling,
				   .running = on_running,
				   .translating = on_translating,
				   .compile_waiting = on_compile_waiting};
	scheduler->engine->set_hooks(engine, &hooks, run);

	uint64_t memory = scheduler->engine->get_memory(engine);
	g_mutex_lock(&scheduler->lock);
	run->engine = engine;
	if (run->kill_requested || run->shutdown)
		scheduler->engine->kill(engine);
	gboolean admitted = reserve_memory(scheduler, run, memory);
	if (admitted)
		reserve_slots(scheduler, run, scheduler->engine->get_width(engine));
	else
		run->engine = NULL;
	g_mutex_unlock(&scheduler->lock);
	if (!admitted) {
		g_autofree char *reason = g_strdup_printf(
		    "out of memory: the job's Memory (%" G_GUINT64_FORMAT " bytes, all its "
		    "nodes) is over the gateway's memory budget of %" G_GUINT64_FORMAT " bytes",
		    (guint64)memory, (guint64)scheduler->options.memory_budget);
		scheduler->engine->free(engine);
		zvm_report_set_failure(&report, ZVM_EXIT_MEMORY, reason);
		finish(scheduler, job, ZVM_STORE_STATE_FAILED, &report, reason);
		return;
	}

	const ZvmRunnerRequest request = {.job = job,
					  .engine = engine,
					  .engine_ops = scheduler->engine,
					  .out_dir = out,
					  .attach = attach != NULL,
					  .hooks = &hooks,
					  .hooks_data = run};
	ZvmRunnerRun *handle = zvm_runner_prepare(scheduler->runner, &request);
	g_mutex_lock(&scheduler->lock);
	run->handle = handle;
	if (run->kill_requested)
		zvm_runner_kill(handle);
	else if (run->shutdown)
		zvm_runner_detach(handle);
	g_mutex_unlock(&scheduler->lock);

	ZvmRunnerEnd end = zvm_runner_run(handle, &report, &error);
	gboolean ok = end != ZVM_RUNNER_FAILED;

	g_mutex_lock(&scheduler->lock);
	run->engine = NULL;
	run->handle = NULL;
	gboolean by_user = run->kill_requested, by_shutdown = run->shutdown;
	gboolean deleted = run->deleted;
	g_mutex_unlock(&scheduler->lock);
	zvm_runner_run_free(handle);
	scheduler->engine->free(engine);

	if (deleted) {
		zvm_store_job_purge(job);
		return;
	}
	/* It runs on without the gateway; the next start follows it (its meta says where). */
	if (end == ZVM_RUNNER_DETACHED)
		return;
	/* Stopped by a shutdown: whatever way the runner died (killed, or a signal when the
	 * kill raced its end), it runs again at the next start; it is deterministic. */
	if (by_shutdown && !by_user &&
	    (!ok || report.exit_kind == ZVM_EXIT_KILLED || report.exit_kind == ZVM_EXIT_SIGNAL)) {
		g_autoptr(GError) local = NULL;
		if (!zvm_store_job_requeue(job, &local))
			g_warning("job %" G_GUINT64_FORMAT ": %s", zvm_store_job_get_id(job),
				  local->message);
		emit(scheduler, ZVM_SCHEDULER_EVENT_STATE, zvm_store_job_get_id(job));
		return;
	}
	if (!ok) {
		if (report.exit_state == NULL)
			zvm_report_set_failure(&report, ZVM_EXIT_SIGNAL, error->message);
		finish(scheduler, job, ZVM_STORE_STATE_FAILED, &report, error->message);
		return;
	}
	finish(scheduler, job, state_of_report(&report), &report, NULL);
}

static gpointer worker_main(gpointer data)
{
	ZvmScheduler *scheduler = data;
	for (;;) {
		g_mutex_lock(&scheduler->lock);
		while (!scheduler->stopping &&
		       (scheduler->queued == 0 || scheduler->wide_waiting > 0 ||
			scheduler->memory_waiting > 0 ||
			scheduler->slots_used >= scheduler->options.workers))
			g_cond_wait(&scheduler->cond, &scheduler->lock);
		if (scheduler->stopping) {
			g_mutex_unlock(&scheduler->lock);
			return NULL;
		}
		Run run = {.scheduler = scheduler, .slots = 1};
		run.job = queue_pop_next(scheduler, &run.tenant);
		scheduler->slots_used++;
		run.tenant->slots++;
		guint64 id = zvm_store_job_get_id(run.job);
		g_hash_table_insert(scheduler->running, &id, &run);
		g_mutex_unlock(&scheduler->lock);

		execute(&run);

		g_mutex_lock(&scheduler->lock);
		g_hash_table_remove(scheduler->running, &id);
		/* A compile that ended without running (refused, killed) counts too. */
		account_compile(scheduler, &run);
		scheduler->slots_used -= run.slots;
		run.tenant->slots -= run.slots;
		scheduler->memory_used -= run.memory;
		g_cond_broadcast(&scheduler->cond);
		g_mutex_unlock(&scheduler->lock);
		zvm_store_job_unref(run.job);
	}
}

/* The watcher: output growth of running jobs, and retention. */

static gpointer watcher_main(gpointer data)
{
	ZvmScheduler *scheduler = data;
	gint64 next_retention =
	    monotonic_us() + (gint64)scheduler->options.retention_interval_s * G_USEC_PER_SEC;
	g_autoptr(GPtrArray) jobs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)zvm_store_job_unref);
	/* progress[i] is jobs[i]'s, when live[i]. */
	g_autoptr(GArray) progress = g_array_new(FALSE, TRUE, sizeof(ZvmJobProgress));
	g_autoptr(GArray) live = g_array_new(FALSE, TRUE, sizeof(gboolean));
	g_mutex_lock(&scheduler->lock);
	while (!scheduler->stopping) {
		gint64 deadline =
		    monotonic_us() + (gint64)scheduler->options.watch_interval_ms * 1000;
		while (!scheduler->stopping && monotonic_us() < deadline)
			g_cond_wait_until(&scheduler->watch_cond, &scheduler->lock, deadline);
		if (scheduler->stopping)
			break;
		GHashTableIter iter;
		gpointer value;
		g_hash_table_iter_init(&iter, scheduler->running);
		while (g_hash_table_iter_next(&iter, NULL, &value)) {
			Run *run = value;
			/* run->engine is only valid under the lock; reading the counters is cheap.
			 */
			ZvmJobProgress counters = {0};
			gboolean running =
			    run->engine && scheduler->engine->get_progress(run->engine, &counters);
			g_ptr_array_add(jobs, zvm_store_job_ref(run->job));
			g_array_append_val(progress, counters);
			g_array_append_val(live, running);
		}
		g_mutex_unlock(&scheduler->lock);

		for (guint i = 0; i < jobs->len; i++) {
			ZvmStoreJob *job = g_ptr_array_index(jobs, i);
			if (g_array_index(live, gboolean, i))
				zvm_store_job_set_progress(
				    job, &g_array_index(progress, ZvmJobProgress, i));
			/* Status is rendered at each read (direct I/O): nothing to notify. */
			(void)zvm_store_job_refresh_nodes(job);
			if (zvm_store_job_refresh_outputs(job))
				emit(scheduler, ZVM_SCHEDULER_EVENT_OUTPUT,
				     zvm_store_job_get_id(job));
		}
		g_ptr_array_set_size(jobs, 0);
		g_array_set_size(progress, 0);
		g_array_set_size(live, 0);
		if (monotonic_us() >= next_retention) {
			g_autoptr(GArray) removed =
			    zvm_store_expire(scheduler->store, realtime_ns());
			for (guint i = 0; i < removed->len; i++)
				emit(scheduler, ZVM_SCHEDULER_EVENT_DELETED,
				     g_array_index(removed, guint64, i));
			next_retention =
			    monotonic_us() +
			    (gint64)scheduler->options.retention_interval_s * G_USEC_PER_SEC;
		}
		g_mutex_lock(&scheduler->lock);
	}
	g_mutex_unlock(&scheduler->lock);
	return NULL;
}

void zvm_scheduler_start(ZvmScheduler *scheduler)
{
	g_autoptr(GArray) queued = zvm_store_list_queued(scheduler->store);
	g_mutex_lock(&scheduler->lock);
	if (scheduler->started || scheduler->stopping) {
		g_mutex_unlock(&scheduler->lock);
		return;
	}
	scheduler->started = TRUE;
	for (guint i = 0; i < queued->len; i++) {
		ZvmStoreJob *job =
		    zvm_store_lookup(scheduler->store, g_array_index(queued, guint64, i));
		if (job)
			queue_push(scheduler, job);
	}
	for (guint i = 0; i < scheduler->options.workers; i++) {
		g_autofree char *name = g_strdup_printf("zvm-worker-%u", i);
		g_ptr_array_add(scheduler->workers, g_thread_new(name, worker_main, scheduler));
	}
	scheduler->watcher = g_thread_new("zvm-watcher", watcher_main, scheduler);
	g_mutex_unlock(&scheduler->lock);
}

void zvm_scheduler_stop(ZvmScheduler *scheduler)
{
	g_mutex_lock(&scheduler->lock);
	scheduler->stopping = TRUE;
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, scheduler->running);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Run *run = value;
		run->shutdown = TRUE;
		if (run->engine)
			scheduler->engine->kill(run->engine);
		if (run->handle)
			zvm_runner_detach(run->handle);
	}
	g_cond_broadcast(&scheduler->cond);
	g_cond_broadcast(&scheduler->watch_cond);
	g_mutex_unlock(&scheduler->lock);

	for (guint i = 0; i < scheduler->workers->len; i++)
		g_thread_join(g_ptr_array_index(scheduler->workers, i));
	g_ptr_array_set_size(scheduler->workers, 0);
	if (scheduler->watcher)
		g_thread_join(g_steal_pointer(&scheduler->watcher));
}

/* Requests from front ends */

gboolean zvm_scheduler_submit(ZvmScheduler *scheduler, int fd, const char *name, uid_t uid,
			      gid_t gid, guint64 *id, GError **error)
{
	*id = 0;
	uint64_t quota = scheduler->options.user_output_bytes;
	if (quota) {
		/* Counted before the job exists: a job that takes its user over still runs,
		 * and their next submission is refused until they remove outputs. */
		ZvmUsage usage;
		zvm_store_get_user_usage(scheduler->store, uid, &usage);
		if (usage.output_bytes >= quota) {
			g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_QUOTA,
				    "output quota: your jobs' outputs hold %" G_GUINT64_FORMAT
				    " bytes (max %" G_GUINT64_FORMAT
				    "); remove some (rm -r jobs/ID)",
				    (guint64)usage.output_bytes, (guint64)quota);
			return FALSE;
		}
	}
	g_mutex_lock(&scheduler->lock);
	if (scheduler->stopping) {
		g_mutex_unlock(&scheduler->lock);
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_STOPPED,
			    "the gateway is shutting down");
		return FALSE;
	}
	if (scheduler->queued + scheduler->reserved >= scheduler->options.queue_length) {
		g_mutex_unlock(&scheduler->lock);
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_QUEUE_FULL,
			    "queue full (%u jobs waiting)", scheduler->options.queue_length);
		return FALSE;
	}
	Tenant *tenant = tenant_get(scheduler, uid);
	guint share = scheduler->options.user_queue_length;
	guint waiting = tenant->queue.length + tenant->reserved;
	if (share && waiting >= share) {
		g_mutex_unlock(&scheduler->lock);
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_QUEUE_FULL,
			    "queue share: %u jobs of yours waiting (max %u)", waiting, share);
		return FALSE;
	}
	scheduler->reserved++;
	tenant->reserved++;
	g_mutex_unlock(&scheduler->lock);

	gboolean accepted = zvm_store_submit(scheduler->store, fd, name, uid, gid, id, error);
	ZvmStoreJob *job = accepted ? zvm_store_lookup(scheduler->store, *id) : NULL;

	g_mutex_lock(&scheduler->lock);
	scheduler->reserved--;
	tenant->reserved--;
	gboolean killed = job && g_hash_table_remove(scheduler->kill_early, id);
	if (job && !killed) {
		/* After a stop it stays queued on disk for the next start. */
		queue_push(scheduler, job);
		/* Every waiter: a wide job waiting for slots shares the condition. */
		g_cond_broadcast(&scheduler->cond);
		job = NULL;
	}
	g_mutex_unlock(&scheduler->lock);
	if (job) {
		g_auto(ZvmReport) report = {0};
		zvm_report_set_failure(&report, ZVM_EXIT_KILLED, "killed");
		finish(scheduler, job, ZVM_STORE_STATE_KILLED, &report, NULL);
		zvm_store_job_unref(job);
	}
	/* A rejected job is an ended one of theirs, too. */
	if (*id)
		expire_user(scheduler, uid);
	return accepted;
}

static gboolean remove_queued(ZvmScheduler *scheduler, guint64 id, ZvmStoreJob **job)
{
	for (GList *t = scheduler->ring.head; t; t = t->next) {
		Tenant *tenant = t->data;
		for (GList *l = tenant->queue.head; l; l = l->next) {
			if (zvm_store_job_get_id(l->data) == id) {
				*job = l->data;
				g_queue_delete_link(&tenant->queue, l);
				scheduler->queued--;
				ring_settle(scheduler, tenant);
				return TRUE;
			}
		}
	}
	return FALSE;
}

gboolean zvm_scheduler_kill(ZvmScheduler *scheduler, guint64 id, GError **error)
{
	g_autoptr(ZvmStoreJob) job = NULL;
	g_mutex_lock(&scheduler->lock);
	if (remove_queued(scheduler, id, &job)) {
		g_mutex_unlock(&scheduler->lock);
		g_auto(ZvmReport) report = {0};
		zvm_report_set_failure(&report, ZVM_EXIT_KILLED, "killed");
		finish(scheduler, job, ZVM_STORE_STATE_KILLED, &report, NULL);
		return TRUE;
	}
	Run *run = g_hash_table_lookup(scheduler->running, &id);
	if (run) {
		run->kill_requested = TRUE;
		if (run->engine)
			scheduler->engine->kill(run->engine);
		if (run->handle)
			zvm_runner_kill(run->handle);
		/* It may be waiting for worker slots. */
		g_cond_broadcast(&scheduler->cond);
		g_mutex_unlock(&scheduler->lock);
		return TRUE;
	}
	job = zvm_store_lookup(scheduler->store, id);
	if (job == NULL) {
		g_mutex_unlock(&scheduler->lock);
		g_set_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_NOT_FOUND,
			    "no job %" G_GUINT64_FORMAT, id);
		return FALSE;
	}
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	/* Queued in the store but not yet here: zvm_scheduler_submit() is about to queue it. */
	if (info.state == ZVM_STORE_STATE_QUEUED && scheduler->reserved > 0) {
		guint64 *key = g_new(guint64, 1);
		*key = id;
		g_hash_table_add(scheduler->kill_early, key);
	}
	g_mutex_unlock(&scheduler->lock);
	return TRUE;
}

gboolean zvm_scheduler_delete(ZvmScheduler *scheduler, guint64 id, GError **error)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_unlink(scheduler->store, id, error);
	if (job == NULL)
		return FALSE;
	g_autoptr(ZvmStoreJob) queued = NULL;
	gboolean purge_now = TRUE;
	g_mutex_lock(&scheduler->lock);
	if (!remove_queued(scheduler, id, &queued)) {
		Run *run = g_hash_table_lookup(scheduler->running, &id);
		if (run) {
			run->deleted = TRUE;
			run->kill_requested = TRUE;
			if (run->engine)
				scheduler->engine->kill(run->engine);
			if (run->handle)
				zvm_runner_kill(run->handle);
			g_cond_broadcast(&scheduler->cond);
			purge_now = FALSE;
		}
	}
	g_mutex_unlock(&scheduler->lock);
	if (purge_now)
		zvm_store_job_purge(job);
	emit(scheduler, ZVM_SCHEDULER_EVENT_DELETED, id);
	return TRUE;
}

GArray *zvm_scheduler_get_usage(ZvmScheduler *scheduler)
{
	GArray *usage = zvm_store_get_usage(scheduler->store);
	gint64 now = monotonic_us();
	g_mutex_lock(&scheduler->lock);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, scheduler->tenants);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Tenant *tenant = value;
		double seconds = (double)tenant_compile_us(scheduler, tenant, now) / G_USEC_PER_SEC;
		guint i = 0;
		while (i < usage->len && g_array_index(usage, ZvmUsage, i).uid < tenant->uid)
			i++;
		if (i == usage->len || g_array_index(usage, ZvmUsage, i).uid != tenant->uid) {
			if (seconds == 0)
				continue;
			ZvmUsage row = {.uid = tenant->uid};
			g_array_insert_val(usage, i, row);
		}
		g_array_index(usage, ZvmUsage, i).compile_seconds = seconds;
	}
	g_mutex_unlock(&scheduler->lock);
	return usage;
}
