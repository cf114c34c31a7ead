/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the scheduler (fs/scheduler.h) over the job store, without a mount, over the
 * fake engine in fake-engine.c: runs and states, live progress, kill, the queue bound, a
 * shutdown that requeues, delete, many submitters, jobs wider than the worker pool, and the
 * users' shares: queue share, output quota, fair order and the compile budget.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "../../../fs/store/scheduler.h"
#include "store-fixture.h"

typedef struct {
	GMutex lock;
	GCond cond;
	GString *log; /* "ID:state " per state event, "ID:output " per output event */
	guint outputs;
	guint deleted;
} Events;

static void on_event(ZvmSchedulerEvent event, guint64 id, gpointer data)
{
	Events *events = data;
	g_mutex_lock(&events->lock);
	if (event == ZVM_SCHEDULER_EVENT_OUTPUT)
		events->outputs++;
	else if (event == ZVM_SCHEDULER_EVENT_DELETED)
		events->deleted++;
	else
		g_string_append_printf(events->log, "%" G_GUINT64_FORMAT " ", id);
	g_cond_broadcast(&events->cond);
	g_mutex_unlock(&events->lock);
}

typedef struct {
	Fixture f;
	Events events;
	ZvmScheduler *scheduler;
} SchedFixture;

static void sched_setup(SchedFixture *s, gconstpointer data)
{
	fixture_setup(&s->f, data);
	g_mutex_init(&s->events.lock);
	g_cond_init(&s->events.cond);
	s->events.log = g_string_new(NULL);
	open_store(&s->f);
}

static void sched_teardown(SchedFixture *s, gconstpointer data)
{
	zvm_scheduler_free(s->scheduler);
	g_string_free(s->events.log, TRUE);
	g_mutex_clear(&s->events.lock);
	g_cond_clear(&s->events.cond);
	fixture_teardown(&s->f, data);
}

static void start_scheduler(SchedFixture *s, guint workers, guint queue_length)
{
	ZvmSchedulerOptions options = {
	    .workers = workers, .queue_length = queue_length, .watch_interval_ms = 20};
	zvm_scheduler_free(s->scheduler);
	s->scheduler = zvm_scheduler_new(s->f.store, &s->f.limits, &s->f.sandbox, &options);
	zvm_scheduler_set_listener(s->scheduler, on_event, &s->events);
	zvm_scheduler_start(s->scheduler);
}

static guint64 sched_submit_as(SchedFixture *s, uid_t uid, const char *manifest, GError **error)
{
	int fd = make_bundle(&s->f, "manifest", manifest, "prog.nexe", "\0asm", NULL);
	guint64 id = 0;
	zvm_scheduler_submit(s->scheduler, fd, "job.tar", uid, uid, &id, error);
	close(fd);
	return id;
}

static guint64 sched_submit(SchedFixture *s, const char *manifest, GError **error)
{
	return sched_submit_as(s, 1000, manifest, error);
}

/* Waits (at most 20 s) until job @id is in @state. */
/* Job @later started only once job @earlier had ended. */
static void assert_started_after_end(SchedFixture *s, guint64 later, guint64 earlier)
{
	g_autoptr(ZvmStoreJob) later_job = zvm_store_lookup(s->f.store, later);
	g_autoptr(ZvmStoreJob) earlier_job = zvm_store_lookup(s->f.store, earlier);
	ZvmJobInfo later_info, earlier_info;
	zvm_store_job_get_info(later_job, &later_info);
	zvm_store_job_get_info(earlier_job, &earlier_info);
	g_assert_cmpint(later_info.started_ns, >=, earlier_info.ended_ns);
}

static void wait_state(SchedFixture *s, guint64 id, ZvmStoreState state)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	g_mutex_lock(&s->events.lock);
	while (job_state(s->f.store, id) != state) {
		if (!g_cond_wait_until(&s->events.cond, &s->events.lock, deadline))
			break;
	}
	g_mutex_unlock(&s->events.lock);
	g_assert_cmpstr(zvm_store_state_to_string(job_state(s->f.store, id)), ==,
			zvm_store_state_to_string(state));
}

static void test_run_done(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 2, 16);
	g_autoptr(GError) error = NULL;
	guint64 id = sched_submit(s,
				  "outputs = stdout stderr out/x\ncompile_ms = 50\n"
				  "stdout = hello\nrc = 7\n",
				  &error);
	g_assert_no_error(error);
	wait_state(s, id, ZVM_STORE_STATE_DONE);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, id);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nexit_state ok\n"));
	g_assert_nonnull(strstr(status, "\nuser_rc 7\n"));
	g_assert_nonnull(strstr(status, "\nwall_seconds 1.500\n"));
	g_assert_nonnull(strstr(status, "\ncpu_seconds 0.375\n"));
	g_assert_null(strstr(status, "\nstarted -\n"));
	g_autofree char *out = job_file(&s->f, id, "out/stdout");
	g_autofree char *text = read_text(out);
	g_assert_cmpstr(text, ==, "hello");
	g_autofree char *report_path = job_file(&s->f, id, "report");
	g_autofree char *report = read_text(report_path);
	g_assert_cmpstr(report, ==, "0\n0\n7\ndisabled\n0.00 0.00 0 0 0 0 0 0 0 0\nok\n");
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_assert_cmpuint(info.report_size, ==, strlen(report));
	g_assert_cmpint(info.started_ns, >=, info.submitted_ns);
	g_assert_cmpint(info.ended_ns, >=, info.started_ns);
	uint64_t size;
	gint64 mtime;
	zvm_store_job_get_output_stat(job, 0, &size, &mtime);
	g_assert_cmpuint(size, ==, 5);
	/* compiling, running, done; and the stdout growth was seen while running. */
	g_autofree char *expected = g_strdup_printf(
	    "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " ", id, id, id);
	g_mutex_lock(&s->events.lock);
	/* The state is done in the index a moment before the event (the end is made durable
	 * in between). */
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (strcmp(s->events.log->str, expected) != 0 &&
	       g_cond_wait_until(&s->events.cond, &s->events.lock, deadline))
		;
	g_assert_cmpstr(s->events.log->str, ==, expected);
	g_assert_cmpuint(s->events.outputs, >, 0);
	g_mutex_unlock(&s->events.lock);

	guint64 trap = sched_submit(s, "exit = trap\n", NULL);
	wait_state(s, trap, ZVM_STORE_STATE_FAILED);
}

/* Waits (at most 10 s) until job @id's status holds @line. */
static gboolean wait_status_line(SchedFixture *s, guint64 id, const char *line)
{
	for (int i = 0; i < 1000; i++) {
		g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, id);
		g_autofree char *status = zvm_store_job_render_status(job);
		if (strstr(status, line))
			return TRUE;
		g_usleep(10000);
	}
	return FALSE;
}

static void test_progress(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 16);
	guint64 id = sched_submit(s, "input = 1000\nstdout = abc\nsleep_ms = 1500\n", NULL);
	wait_state(s, id, ZVM_STORE_STATE_RUNNING);
	/* The watcher copies the engine's live counters into the status while it runs. */
	g_assert_true(wait_status_line(s, id, "\nread_bytes 500\n"));
	g_assert_true(wait_status_line(s, id, "\nwritten_bytes 3\ninput_bytes 1000\n"));
	g_assert_cmpint(job_state(s->f.store, id), ==, ZVM_STORE_STATE_RUNNING);
	/* Ended: the accounting's values, and they survive a reopen of the store. */
	wait_state(s, id, ZVM_STORE_STATE_DONE);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, id);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nread_bytes 1000\nwritten_bytes 3\ninput_bytes 1000\n"));
	g_autofree char *meta_path = job_file(&s->f, id, "meta");
	g_autofree char *meta = read_text(meta_path);
	g_assert_nonnull(strstr(meta, "\nread_bytes=1000\n"));
	g_assert_nonnull(strstr(meta, "\ninput_bytes=1000\n"));

	/* An engine without a known input size: input_bytes stays "-". */
	guint64 plain = sched_submit(s, "stdout = x\n", NULL);
	wait_state(s, plain, ZVM_STORE_STATE_DONE);
	g_autoptr(ZvmStoreJob) other = zvm_store_lookup(s->f.store, plain);
	g_autofree char *text = zvm_store_job_render_status(other);
	g_assert_nonnull(strstr(text, "\nread_bytes 0\nwritten_bytes 1\ninput_bytes -\n"));
}

static void test_kill(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 16);
	guint64 running = sched_submit(s, "sleep_ms = 20000\n", NULL);
	guint64 queued = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, running, ZVM_STORE_STATE_RUNNING);
	g_assert_cmpint(job_state(s->f.store, queued), ==, ZVM_STORE_STATE_QUEUED);

	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_scheduler_kill(s->scheduler, queued, &error));
	g_assert_cmpint(job_state(s->f.store, queued), ==, ZVM_STORE_STATE_KILLED);
	/* It never ran: no output file was created. */
	g_autofree char *never = job_file(&s->f, queued, "out/stdout");
	g_assert_false(g_file_test(never, G_FILE_TEST_EXISTS));
	g_autofree char *report = job_file(&s->f, queued, "report");
	g_assert_true(g_file_test(report, G_FILE_TEST_IS_REGULAR));

	gint64 start = g_get_monotonic_time();
	g_assert_true(zvm_scheduler_kill(s->scheduler, running, &error));
	wait_state(s, running, ZVM_STORE_STATE_KILLED);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, running);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nexit_state killed\n"));

	/* Killing an ended job changes nothing; an unknown one is an error. */
	g_assert_true(zvm_scheduler_kill(s->scheduler, running, &error));
	g_assert_cmpint(job_state(s->f.store, running), ==, ZVM_STORE_STATE_KILLED);
	g_assert_false(zvm_scheduler_kill(s->scheduler, 999, &error));
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_NOT_FOUND);
}

static void test_queue_full(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 2);
	guint64 first = sched_submit(s, "sleep_ms = 20000\n", NULL);
	wait_state(s, first, ZVM_STORE_STATE_RUNNING);
	g_autoptr(GError) error = NULL;
	sched_submit(s, "sleep_ms = 10\n", &error);
	sched_submit(s, "sleep_ms = 10\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(zvm_scheduler_get_queued(s->scheduler), ==, 2);
	guint64 refused = sched_submit(s, "sleep_ms = 10\n", &error);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_QUEUE_FULL);
	g_assert_cmpstr(error->message, ==, "queue full (2 jobs waiting)");
	g_assert_cmpuint(refused, ==, 0);
	GArray *all = zvm_store_list(s->f.store, TRUE, 0);
	g_assert_cmpuint(all->len, ==, 3);
	g_array_unref(all);
	g_assert_true(zvm_scheduler_kill(s->scheduler, first, NULL));
	wait_state(s, 3, ZVM_STORE_STATE_DONE);
}

static void test_shutdown_requeues(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 16);
	guint64 id = sched_submit(s, "sleep_ms = 20000\nstdout = x\n", NULL);
	guint64 waiting = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, id, ZVM_STORE_STATE_RUNNING);
	gint64 start = g_get_monotonic_time();
	zvm_scheduler_stop(s->scheduler);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	g_assert_cmpint(job_state(s->f.store, id), ==, ZVM_STORE_STATE_QUEUED);
	g_autoptr(GError) error = NULL;
	sched_submit(s, "sleep_ms = 10\n", &error);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_STOPPED);

	/* The next start runs both again; the interrupted one says so. */
	open_store(&s->f);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, id);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_assert_cmpint(info.state, ==, ZVM_STORE_STATE_QUEUED);
	g_assert_cmpuint(info.restarts, ==, 1);
	start_scheduler(s, 1, 16);
	g_assert_true(zvm_scheduler_kill(s->scheduler, id, NULL));
	wait_state(s, waiting, ZVM_STORE_STATE_DONE);
	wait_state(s, id, ZVM_STORE_STATE_KILLED);
}

static void test_delete(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 16);
	guint64 running = sched_submit(s, "sleep_ms = 20000\n", NULL);
	guint64 queued = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, running, ZVM_STORE_STATE_RUNNING);
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_scheduler_delete(s->scheduler, queued, &error));
	g_assert_true(zvm_scheduler_delete(s->scheduler, running, &error));
	g_assert_no_error(error);
	g_assert_null(zvm_store_lookup(s->f.store, running));
	g_assert_false(zvm_scheduler_delete(s->scheduler, running, &error));
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_NOT_FOUND);
	/* The worker lets go and removes the files. */
	g_autofree char *aside =
	    g_strdup_printf("%s/state/jobs/.del-%" G_GUINT64_FORMAT, s->f.dir, running);
	for (int i = 0; i < 500 && g_file_test(aside, G_FILE_TEST_EXISTS); i++)
		g_usleep(10000);
	g_assert_false(g_file_test(aside, G_FILE_TEST_EXISTS));
	g_autofree char *dir = job_file(&s->f, queued, NULL);
	g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
	g_mutex_lock(&s->events.lock);
	g_assert_cmpuint(s->events.deleted, ==, 2);
	g_mutex_unlock(&s->events.lock);
	/* The worker is free for the next job. */
	guint64 next = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, next, ZVM_STORE_STATE_DONE);
}

/* Until (at most 20 s) @waiting wide jobs wait for worker slots. */
static void wait_slots_waiting(SchedFixture *s, guint waiting)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	guint now = 0;
	for (;;) {
		zvm_scheduler_get_slots(s->scheduler, NULL, &now);
		if (now == waiting || g_get_monotonic_time() > deadline)
			break;
		g_usleep(1000);
	}
	g_assert_cmpuint(now, ==, waiting);
}

/* A job of width W holds min(W, workers) slots: a narrow job waits for a wide one, and one
 * wider than the pool still runs (with the whole pool). */
static void test_wide_jobs(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 2, 16);
	guint64 wide = sched_submit(s, "width = 2\nsleep_ms = 20000\n", NULL);
	wait_state(s, wide, ZVM_STORE_STATE_RUNNING);
	guint64 narrow = sched_submit(s, "sleep_ms = 10\n", NULL);
	/* Nothing can show that the idle worker looked at the narrow job and left it: the
	 * pause is a chance for a broken scheduler to start it, which the start time below
	 * then shows. A slow machine can only make the pause shorter in effect, never fail a
	 * working scheduler. */
	g_usleep(100000);
	g_assert_cmpint(job_state(s->f.store, narrow), ==, ZVM_STORE_STATE_QUEUED);
	g_assert_true(zvm_scheduler_kill(s->scheduler, wide, NULL));
	wait_state(s, wide, ZVM_STORE_STATE_KILLED);
	wait_state(s, narrow, ZVM_STORE_STATE_DONE);
	assert_started_after_end(s, narrow, wide);

	/* Wider than the pool, behind a running narrow job: it waits for it, then runs. */
	guint64 first = sched_submit(s, "sleep_ms = 300\n", NULL);
	wait_state(s, first, ZVM_STORE_STATE_RUNNING);
	guint64 wider = sched_submit(s, "width = 5\nsleep_ms = 10\n", NULL);
	guint64 after = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, wider, ZVM_STORE_STATE_DONE);
	wait_state(s, after, ZVM_STORE_STATE_DONE);
	assert_started_after_end(s, wider, first);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, wider);
	g_autoptr(ZvmStoreJob) before = zvm_store_lookup(s->f.store, first);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nnodes 5\n"));
	g_autofree char *narrow_status = zvm_store_job_render_status(before);
	g_assert_null(strstr(narrow_status, "\nnodes "));

	/* A wide job killed while it waits for slots ends at once; the pool is whole after. */
	guint64 busy = sched_submit(s, "sleep_ms = 20000\n", NULL);
	wait_state(s, busy, ZVM_STORE_STATE_RUNNING);
	guint64 waiting = sched_submit(s, "width = 3\nsleep_ms = 10\n", NULL);
	/* Taken from the queue by the idle worker and held for slots: the scheduler's own count
	 * says so, however slow the machine. */
	wait_slots_waiting(s, 1);
	g_assert_cmpuint(zvm_scheduler_get_queued(s->scheduler), ==, 0);
	g_assert_cmpint(job_state(s->f.store, waiting), ==, ZVM_STORE_STATE_QUEUED);
	g_assert_true(zvm_scheduler_kill(s->scheduler, waiting, NULL));
	wait_state(s, waiting, ZVM_STORE_STATE_KILLED);
	g_assert_true(zvm_scheduler_kill(s->scheduler, busy, NULL));
	wait_state(s, busy, ZVM_STORE_STATE_KILLED);
	guint64 last = sched_submit(s, "width = 2\nsleep_ms = 10\n", NULL);
	wait_state(s, last, ZVM_STORE_STATE_DONE);
}

static void start_scheduler_budget(SchedFixture *s, guint workers, uint64_t budget)
{
	ZvmSchedulerOptions options = {.workers = workers,
				       .queue_length = 16,
				       .watch_interval_ms = 20,
				       .memory_budget = budget};
	zvm_scheduler_free(s->scheduler);
	s->scheduler = zvm_scheduler_new(s->f.store, &s->f.limits, &s->f.sandbox, &options);
	zvm_scheduler_set_listener(s->scheduler, on_event, &s->events);
	zvm_scheduler_start(s->scheduler);
}

/* Until (at most 20 s) @waiting jobs wait for the memory budget: the scheduler's own count,
 * so the test knows the job was considered and held, not merely not reached yet. */
static void wait_memory_waiting(SchedFixture *s, guint waiting)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	guint now = 0;
	for (;;) {
		zvm_scheduler_get_memory(s->scheduler, NULL, &now);
		if (now == waiting || g_get_monotonic_time() > deadline)
			break;
		g_usleep(1000);
	}
	g_assert_cmpuint(now, ==, waiting);
}

/* Until (at most 20 s) the running jobs hold @in_use bytes of the budget. */
static void wait_memory_in_use(SchedFixture *s, uint64_t in_use)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	uint64_t now = 0;
	for (;;) {
		zvm_scheduler_get_memory(s->scheduler, &now, NULL);
		if (now == in_use || g_get_monotonic_time() > deadline)
			break;
		g_usleep(1000);
	}
	g_assert_cmpuint(now, ==, in_use);
}

/* Jobs start only while the declared Memory of the running ones fits the budget (issue
 * #12); the others wait queued, in order; a job over the whole budget fails at once. */
static void test_memory_budget(SchedFixture *s, gconstpointer data)
{
	start_scheduler_budget(s, 4, 1000);
	guint64 first = sched_submit(s, "memory = 600\nsleep_ms = 20000\n", NULL);
	wait_state(s, first, ZVM_STORE_STATE_RUNNING);
	guint64 fits = sched_submit(s, "memory = 400\nsleep_ms = 20000\n", NULL);
	wait_state(s, fits, ZVM_STORE_STATE_RUNNING);
	uint64_t in_use = 0;
	zvm_scheduler_get_memory(s->scheduler, &in_use, NULL);
	g_assert_cmpuint(in_use, ==, 1000);

	/* Over what is left: it waits, and the small job behind it does not pass it. */
	guint64 waits = sched_submit(s, "memory = 500\nsleep_ms = 10\n", NULL);
	wait_memory_waiting(s, 1);
	guint64 behind = sched_submit(s, "memory = 1\nsleep_ms = 10\n", NULL);
	g_assert_cmpint(job_state(s->f.store, waits), ==, ZVM_STORE_STATE_QUEUED);
	g_assert_cmpint(job_state(s->f.store, behind), ==, ZVM_STORE_STATE_QUEUED);
	g_assert_cmpuint(zvm_scheduler_get_queued(s->scheduler), ==, 1);

	/* The first job ends: 600 bytes come free, the waiting job runs, then the one behind. */
	g_assert_true(zvm_scheduler_kill(s->scheduler, first, NULL));
	wait_state(s, first, ZVM_STORE_STATE_KILLED);
	wait_state(s, waits, ZVM_STORE_STATE_DONE);
	wait_state(s, behind, ZVM_STORE_STATE_DONE);
	assert_started_after_end(s, waits, first);

	/* Larger than the whole budget: refused with its reason, never queued for ever. */
	guint64 huge = sched_submit(s, "memory = 1001\nsleep_ms = 10\n", NULL);
	wait_state(s, huge, ZVM_STORE_STATE_FAILED);
	g_autoptr(ZvmStoreJob) huge_job = zvm_store_lookup(s->f.store, huge);
	g_autofree char *status = zvm_store_job_render_status(huge_job);
	g_assert_nonnull(strstr(status, "\nreason out of memory: the job's Memory (1001 bytes, "
					"all its nodes) is over the gateway's memory budget of "
					"1000 bytes\n"));

	/* A waiting job killed ends at once and takes nothing. */
	g_assert_true(zvm_scheduler_kill(s->scheduler, fits, NULL));
	wait_state(s, fits, ZVM_STORE_STATE_KILLED);
	guint64 blocker = sched_submit(s, "memory = 700\nsleep_ms = 20000\n", NULL);
	wait_state(s, blocker, ZVM_STORE_STATE_RUNNING);
	guint64 killed = sched_submit(s, "memory = 700\nsleep_ms = 10\n", NULL);
	wait_memory_waiting(s, 1);
	g_assert_true(zvm_scheduler_kill(s->scheduler, killed, NULL));
	wait_state(s, killed, ZVM_STORE_STATE_KILLED);
	g_assert_true(zvm_scheduler_kill(s->scheduler, blocker, NULL));
	wait_state(s, blocker, ZVM_STORE_STATE_KILLED);
	guint64 last = sched_submit(s, "memory = 1000\nsleep_ms = 10\n", NULL);
	wait_state(s, last, ZVM_STORE_STATE_DONE);
	/* Its worker gives the memory back just after the job's end is recorded. */
	wait_memory_in_use(s, 0);
}

static gpointer submit_many(gpointer data)
{
	SchedFixture *s = data;
	for (int i = 0; i < 25; i++) {
		g_autoptr(GError) error = NULL;
		guint64 id = sched_submit(s, "stdout = ab\n", &error);
		g_assert_no_error(error);
		g_assert_cmpuint(id, >, 0);
	}
	return NULL;
}

static void test_many(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 2, 1024);
	GThread *threads[4];
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("submit", submit_many, s);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_thread_join(threads[i]);
	for (guint64 id = 1; id <= 100; id++)
		wait_state(s, id, ZVM_STORE_STATE_DONE);
	g_assert_null(zvm_store_lookup(s->f.store, 101));
}

/* Users with a share: @options over the fixture, one worker unless it says otherwise. */
static void start_scheduler_shares(SchedFixture *s, ZvmSchedulerOptions options)
{
	options.workers = MAX(1, options.workers);
	options.queue_length = options.queue_length ? options.queue_length : 64;
	options.watch_interval_ms = 20;
	zvm_scheduler_free(s->scheduler);
	s->scheduler = zvm_scheduler_new(s->f.store, &s->f.limits, &s->f.sandbox, &options);
	zvm_scheduler_set_listener(s->scheduler, on_event, &s->events);
	zvm_scheduler_start(s->scheduler);
}

#define USER_A 1000
#define USER_B 2000

/* A user's queued jobs are bounded by their share, with EAGAIN naming it; another user
 * still gets in, and a refusal records no job. */
static void test_queue_share(SchedFixture *s, gconstpointer data)
{
	start_scheduler_shares(s, (ZvmSchedulerOptions){.user_queue_length = 2});
	guint64 blocker = sched_submit_as(s, USER_A, "sleep_ms = 20000\n", NULL);
	wait_state(s, blocker, ZVM_STORE_STATE_RUNNING);
	g_autoptr(GError) error = NULL;
	sched_submit_as(s, USER_A, "sleep_ms = 10\n", &error);
	sched_submit_as(s, USER_A, "sleep_ms = 10\n", &error);
	g_assert_no_error(error);
	guint64 refused = sched_submit_as(s, USER_A, "sleep_ms = 10\n", &error);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_QUEUE_FULL);
	g_assert_cmpstr(error->message, ==, "queue share: 2 jobs of yours waiting (max 2)");
	g_assert_cmpuint(refused, ==, 0);
	g_clear_error(&error);
	guint64 other = sched_submit_as(s, USER_B, "sleep_ms = 10\n", &error);
	g_assert_no_error(error);
	g_assert_cmpint(job_state(s->f.store, other), ==, ZVM_STORE_STATE_QUEUED);
	g_assert_cmpuint(zvm_scheduler_get_queued(s->scheduler), ==, 3);
	g_autoptr(GArray) all = zvm_store_list(s->f.store, TRUE, 0);
	g_assert_cmpuint(all->len, ==, 4);
	g_assert_true(zvm_scheduler_kill(s->scheduler, blocker, NULL));
	wait_state(s, other, ZVM_STORE_STATE_DONE);
}

/* Queued jobs of two users start alternately, the user who did not have the last turn
 * first, however many the other has queued before them (one worker: each starts only once
 * the one before it ended). */
static void test_fair_order(SchedFixture *s, gconstpointer data)
{
	start_scheduler_shares(s, (ZvmSchedulerOptions){0});
	guint64 blocker = sched_submit_as(s, USER_A, "sleep_ms = 20000\n", NULL);
	wait_state(s, blocker, ZVM_STORE_STATE_RUNNING);
	guint64 a[3], b[3];
	for (guint i = 0; i < 3; i++)
		a[i] = sched_submit_as(s, USER_A, "sleep_ms = 10\n", NULL);
	for (guint i = 0; i < 3; i++)
		b[i] = sched_submit_as(s, USER_B, "sleep_ms = 10\n", NULL);
	g_assert_true(zvm_scheduler_kill(s->scheduler, blocker, NULL));
	for (guint i = 0; i < 3; i++) {
		wait_state(s, a[i], ZVM_STORE_STATE_DONE);
		wait_state(s, b[i], ZVM_STORE_STATE_DONE);
	}
	assert_started_after_end(s, b[0], blocker);
	for (guint i = 0; i < 3; i++) {
		assert_started_after_end(s, a[i], b[i]);
		if (i + 1 < 3)
			assert_started_after_end(s, b[i + 1], a[i]);
	}
}

/* With two workers, the user who holds no worker goes first: A's running job holds one, so
 * B's job, queued behind two of A's, takes the other. */
static void test_fair_slots(SchedFixture *s, gconstpointer data)
{
	start_scheduler_shares(s, (ZvmSchedulerOptions){.workers = 2});
	guint64 first = sched_submit_as(s, USER_A, "sleep_ms = 20000\n", NULL);
	guint64 second = sched_submit_as(s, USER_A, "sleep_ms = 20000\n", NULL);
	wait_state(s, first, ZVM_STORE_STATE_RUNNING);
	wait_state(s, second, ZVM_STORE_STATE_RUNNING);
	guint64 a_waits = sched_submit_as(s, USER_A, "sleep_ms = 20000\n", NULL);
	guint64 a_later = sched_submit_as(s, USER_A, "sleep_ms = 20000\n", NULL);
	guint64 b_job = sched_submit_as(s, USER_B, "sleep_ms = 20000\n", NULL);
	/* One of A's ends: A still holds one worker, B none, so B's job takes it. */
	g_assert_true(zvm_scheduler_kill(s->scheduler, first, NULL));
	wait_state(s, b_job, ZVM_STORE_STATE_RUNNING);
	g_assert_cmpint(job_state(s->f.store, a_waits), ==, ZVM_STORE_STATE_QUEUED);
	g_assert_cmpint(job_state(s->f.store, a_later), ==, ZVM_STORE_STATE_QUEUED);
	g_autoptr(GArray) usage = zvm_scheduler_get_usage(s->scheduler);
	g_assert_cmpuint(usage->len, ==, 2);
	ZvmUsage *a = &g_array_index(usage, ZvmUsage, 0), *b = &g_array_index(usage, ZvmUsage, 1);
	g_assert_cmpuint(a->uid, ==, USER_A);
	g_assert_cmpuint(a->queued, ==, 2);
	g_assert_cmpuint(a->running, ==, 1);
	g_assert_cmpuint(a->ended, ==, 1);
	g_assert_cmpuint(b->uid, ==, USER_B);
	g_assert_cmpuint(b->running, ==, 1);
	g_assert_cmpuint(b->kept, ==, 1);
	for (guint64 id = second; id <= b_job; id++)
		g_assert_true(zvm_scheduler_kill(s->scheduler, id, NULL));
	wait_state(s, a_later, ZVM_STORE_STATE_KILLED);
}

/* A user over their compile budget comes after a user who is not, though they were served
 * longer ago; their compile time shows in the usage. */
static void test_compile_budget(SchedFixture *s, gconstpointer data)
{
	start_scheduler_shares(s, (ZvmSchedulerOptions){.user_compile_seconds = 1});
	guint64 compiles = sched_submit_as(s, USER_A, "compile_ms = 1100\nsleep_ms = 10\n", NULL);
	wait_state(s, compiles, ZVM_STORE_STATE_DONE);
	guint64 blocker = sched_submit_as(s, USER_B, "sleep_ms = 20000\n", NULL);
	wait_state(s, blocker, ZVM_STORE_STATE_RUNNING);
	guint64 a_job = sched_submit_as(s, USER_A, "sleep_ms = 10\n", NULL);
	guint64 b_job = sched_submit_as(s, USER_B, "sleep_ms = 10\n", NULL);
	g_assert_true(zvm_scheduler_kill(s->scheduler, blocker, NULL));
	wait_state(s, a_job, ZVM_STORE_STATE_DONE);
	wait_state(s, b_job, ZVM_STORE_STATE_DONE);
	assert_started_after_end(s, a_job, b_job);
	g_autoptr(GArray) usage = zvm_scheduler_get_usage(s->scheduler);
	g_assert_cmpuint(usage->len, ==, 2);
	g_assert_cmpfloat(g_array_index(usage, ZvmUsage, 0).compile_seconds, >=, 1.1);
	g_assert_cmpfloat(g_array_index(usage, ZvmUsage, 1).compile_seconds, ==, 0);
}

/* Over their output quota, a user's submissions are refused (EDQUOT, naming the bound) and
 * nothing is recorded; another user is not affected. */
static void test_output_quota(SchedFixture *s, gconstpointer data)
{
	start_scheduler_shares(s, (ZvmSchedulerOptions){.user_output_bytes = 4});
	guint64 big = sched_submit_as(s, USER_A, "stdout = abcdef\n", NULL);
	wait_state(s, big, ZVM_STORE_STATE_DONE);
	g_autoptr(GError) error = NULL;
	guint64 refused = sched_submit_as(s, USER_A, "stdout = a\n", &error);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_QUOTA);
	g_assert_cmpstr(error->message, ==,
			"output quota: your jobs' outputs hold 6 bytes (max 4); remove some (rm -r "
			"jobs/ID)");
	g_assert_cmpuint(refused, ==, 0);
	g_clear_error(&error);
	guint64 other = sched_submit_as(s, USER_B, "stdout = abc\n", &error);
	g_assert_no_error(error);
	wait_state(s, other, ZVM_STORE_STATE_DONE);
	/* Their outputs removed, A may submit again. */
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, big);
	g_assert_true(zvm_store_job_remove_entry(job, "stdout", "out/stdout", NULL));
	guint64 again = sched_submit_as(s, USER_A, "stdout = a\n", &error);
	g_assert_no_error(error);
	wait_state(s, again, ZVM_STORE_STATE_DONE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define SCHED_TEST(path, fn) g_test_add(path, SchedFixture, NULL, sched_setup, fn, sched_teardown)
	SCHED_TEST("/scheduler/run-done", test_run_done);
	SCHED_TEST("/scheduler/progress", test_progress);
	SCHED_TEST("/scheduler/kill", test_kill);
	SCHED_TEST("/scheduler/queue-full", test_queue_full);
	SCHED_TEST("/scheduler/shutdown-requeues", test_shutdown_requeues);
	SCHED_TEST("/scheduler/delete", test_delete);
	SCHED_TEST("/scheduler/many", test_many);
	SCHED_TEST("/scheduler/wide-jobs", test_wide_jobs);
	SCHED_TEST("/scheduler/memory-budget", test_memory_budget);
	SCHED_TEST("/scheduler/queue-share", test_queue_share);
	SCHED_TEST("/scheduler/fair-order", test_fair_order);
	SCHED_TEST("/scheduler/fair-slots", test_fair_slots);
	SCHED_TEST("/scheduler/compile-budget", test_compile_budget);
	SCHED_TEST("/scheduler/output-quota", test_output_quota);
	return g_test_run();
}
