/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the job store and the scheduler (fs/store.h, fs/scheduler.h) without a
 * mount, over the fake engine in fake-engine.c: submission and refusal, ids, rescan,
 * retention, atomic files, states, kill, delete, the queue bound and a clean shutdown.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../fs/scheduler.h"
#include "../../fs/state-file.h"
#include "../../fs/store.h"

typedef struct {
	char *dir;
	ZvmLimits limits;
	ZvmSandboxConfig sandbox;
	ZvmStoreRetention retention;
	ZvmStore *store;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("zvm-store-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	f->limits = (ZvmLimits){.bundle_max_bytes = 1 << 20, .bundle_max_archive = 1 << 20};
	f->sandbox = (ZvmSandboxConfig){0};
	f->retention = (ZvmStoreRetention){0};
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
	zvm_store_free(f->store);
	g_assert_true(zvm_state_remove_tree(f->dir, NULL));
	g_free(f->dir);
}

static char *state_path(Fixture *f, const char *relative)
{
	return g_build_filename(f->dir, "state", relative, NULL);
}

static void open_store(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *state = state_path(f, NULL);
	zvm_store_free(f->store);
	f->store = zvm_store_open(state, &f->limits, &f->sandbox, &f->retention, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->store);
}

/* A staging file holding a tar of the NULL-terminated name, content pairs. */
static int make_bundle(Fixture *f, const char *first_name, ...)
{
	g_autoptr(GError) error = NULL;
	int fd = zvm_store_open_staging(f->store, &error);
	g_assert_no_error(error);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	g_assert_cmpint(archive_write_open_fd(a, fd), ==, ARCHIVE_OK);
	va_list args;
	va_start(args, first_name);
	for (const char *name = first_name; name; name = va_arg(args, const char *)) {
		const char *content = va_arg(args, const char *);
		struct archive_entry *entry = archive_entry_new();
		archive_entry_set_pathname(entry, name);
		archive_entry_set_filetype(entry, AE_IFREG);
		archive_entry_set_perm(entry, 0644);
		archive_entry_set_size(entry, (la_int64_t)strlen(content));
		g_assert_cmpint(archive_write_header(a, entry), ==, ARCHIVE_OK);
		g_assert_cmpint(archive_write_data(a, content, strlen(content)), ==,
				(la_ssize_t)strlen(content));
		archive_entry_free(entry);
	}
	va_end(args);
	archive_write_close(a);
	archive_write_free(a);
	return fd;
}

static int make_bytes(Fixture *f, const char *bytes, gsize length)
{
	int fd = zvm_store_open_staging(f->store, NULL);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, bytes, length), ==, (gssize)length);
	return fd;
}

static guint64 submit_manifest(Fixture *f, const char *manifest, GError **error)
{
	int fd = make_bundle(f, "manifest", manifest, "prog.nexe", "\0asm", NULL);
	guint64 id = 0;
	zvm_store_submit(f->store, fd, "job.tar", 1000, 1000, &id, error);
	close(fd);
	return id;
}

static ZvmJobState job_state(ZvmStore *store, guint64 id)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(store, id);
	g_assert_nonnull(job);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	return info.state;
}

static char *read_text(const char *path)
{
	char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

static char *job_file(Fixture *f, guint64 id, const char *relative)
{
	g_autofree char *name = g_strdup_printf("jobs/%" G_GUINT64_FORMAT, id);
	g_autofree char *dir = state_path(f, name);
	return g_build_filename(dir, relative, NULL);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	g_assert_cmpint(lstat(path, &st), ==, 0);
	return st.st_mode & 07777;
}

static void test_submit_accepted(Fixture *f, gconstpointer data)
{
	open_store(f);
	g_autoptr(GError) error = NULL;
	guint64 id = submit_manifest(f, "outputs = stdout stderr out/result.csv\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(id, ==, 1);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STATE_QUEUED);

	g_autofree char *state = state_path(f, NULL);
	g_autofree char *jobs = state_path(f, "jobs");
	g_autofree char *dir = job_file(f, id, NULL);
	g_assert_cmpuint(mode_of(state), ==, 0755);
	g_assert_cmpuint(mode_of(jobs), ==, 0711);
	g_assert_cmpuint(mode_of(dir), ==, 0700);
	g_autofree char *tar = job_file(f, id, "bundle.tar");
	g_autofree char *manifest = job_file(f, id, "bundle/manifest");
	g_autofree char *out = job_file(f, id, "out");
	g_assert_true(g_file_test(tar, G_FILE_TEST_IS_REGULAR));
	g_assert_true(g_file_test(manifest, G_FILE_TEST_IS_REGULAR));
	g_assert_true(g_file_test(out, G_FILE_TEST_IS_DIR));

	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_assert_cmpuint(info.uid, ==, 1000);
	g_assert_cmpuint(info.manifest_size, ==,
			 strlen("outputs = stdout stderr out/result.csv\n"));
	g_assert_cmpint(info.submitted_ns, >, 0);
	g_assert_cmpint(info.ended_ns, ==, 0);

	/* The outputs as a tree: stdout, stderr, out/result.csv and the directory out. */
	const ZvmOutputTree *tree = zvm_store_job_get_outputs(job);
	g_assert_cmpuint(zvm_output_tree_count(tree), ==, 5);
	guint node, child;
	g_assert_true(zvm_output_tree_lookup(tree, ZVM_OUTPUT_TREE_ROOT, "out", &node));
	g_assert_true(zvm_output_tree_node(tree, node)->is_dir);
	g_assert_true(zvm_output_tree_lookup(tree, node, "result.csv", &child));
	g_assert_cmpint(zvm_output_tree_node(tree, child)->output, ==, 2);

	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nstate queued\n"));
	g_assert_nonnull(strstr(status, "\nname job.tar\n"));
	g_assert_nonnull(strstr(status, "\nrestarts 0\n"));
	g_assert_nonnull(strstr(status, "\nended -\n"));
	g_assert_nonnull(strstr(status, "\nuser_rc -\n"));
	g_assert_nonnull(strstr(status, "\nread_bytes -\nwritten_bytes -\ninput_bytes -\n"));
	g_assert_true(g_regex_match_simple(
	    "\nsubmitted \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n", status, 0, 0));

	GArray *mine = zvm_store_list(f->store, FALSE, 1000);
	GArray *theirs = zvm_store_list(f->store, FALSE, 1001);
	g_assert_cmpuint(mine->len, ==, 1);
	g_assert_cmpuint(theirs->len, ==, 0);
	g_array_unref(mine);
	g_array_unref(theirs);
	g_assert_cmpuint(zvm_store_newest(f->store, 1000), ==, id);
	g_assert_cmpuint(zvm_store_newest(f->store, 1001), ==, 0);
}

static void assert_rejected(Fixture *f, guint64 id, const char *reason_part)
{
	g_assert_cmpuint(id, >, 0);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STATE_REJECTED);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nstate rejected\n"));
	g_assert_nonnull(strstr(status, reason_part));
	g_autofree char *report = job_file(f, id, "report");
	g_autofree char *text = read_text(report);
	g_assert_nonnull(strstr(text, reason_part));
	g_autofree char *tar = job_file(f, id, "bundle.tar");
	g_assert_false(g_file_test(tar, G_FILE_TEST_EXISTS));
}

static void test_submit_refused(Fixture *f, gconstpointer data)
{
	open_store(f);
	g_autoptr(GError) error = NULL;
	int fd = make_bytes(f, "this is not a tar archive\n", 26);
	guint64 id = 0;
	g_assert_false(zvm_store_submit(f->store, fd, "junk", 1000, 1000, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "bundle:"));
	assert_rejected(f, id, "not a tar archive");
	g_clear_error(&error);

	id = submit_manifest(f, "refuse = invalid memory size (8 GiB over the 1 GiB maximum)\n",
			     &error);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==,
			"MANIFEST 1: invalid memory size (8 GiB over the 1 GiB maximum)");
	assert_rejected(f, id, "MANIFEST 1: invalid memory size");
	/* The manifest stays for the user to read; the rest of the bundle is gone. */
	g_autofree char *manifest = job_file(f, id, "bundle/manifest");
	g_autofree char *program = job_file(f, id, "bundle/prog.nexe");
	g_assert_true(g_file_test(manifest, G_FILE_TEST_IS_REGULAR));
	g_assert_false(g_file_test(program, G_FILE_TEST_EXISTS));
	g_clear_error(&error);

	fd = make_bundle(f, "prog.nexe", "x", NULL);
	g_assert_false(zvm_store_submit(f->store, fd, "nomanifest", 1000, 1000, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_INVALID);
	assert_rejected(f, id, "no top-level");
}

static void test_submit_too_large(Fixture *f, gconstpointer data)
{
	f->limits.bundle_max_archive = 4096;
	open_store(f);
	g_autofree char *big = g_strnfill(8192, 'x');
	int fd = make_bundle(f, "manifest", "outputs = stdout\n", "data", big, NULL);
	guint64 id = 0;
	g_autoptr(GError) error = NULL;
	g_assert_false(zvm_store_submit(f->store, fd, "big.tar", 1000, 1000, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_TOO_LARGE);
	assert_rejected(f, id, "over the 4096 bytes maximum");
	g_clear_error(&error);

	/* Under the archive bound, over the extracted bound. */
	f->limits.bundle_max_archive = 1 << 20;
	f->limits.bundle_max_bytes = 1024;
	fd = make_bundle(f, "manifest", "outputs = stdout\n", "data", big, NULL);
	g_assert_false(zvm_store_submit(f->store, fd, "big.tar", 1000, 1000, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_TOO_LARGE);
	assert_rejected(f, id, "over the size bound");
}

static void test_ids_never_reused(Fixture *f, gconstpointer data)
{
	open_store(f);
	for (int i = 1; i <= 3; i++)
		g_assert_cmpuint(submit_manifest(f, "outputs = stdout\n", NULL), ==, (guint64)i);
	for (guint64 id = 1; id <= 3; id++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ZvmStoreJob) job = zvm_store_unlink(f->store, id, &error);
		g_assert_no_error(error);
		zvm_store_job_purge(job);
		g_assert_null(zvm_store_lookup(f->store, id));
	}
	open_store(f);
	g_assert_cmpuint(submit_manifest(f, "outputs = stdout\n", NULL), ==, 4);

	/* A crash in the middle of a submission leaves .new-ID: its id is used too. */
	g_autofree char *leftover = state_path(f, "jobs/.new-9");
	g_assert_cmpint(g_mkdir(leftover, 0700), ==, 0);
	open_store(f);
	g_assert_false(g_file_test(leftover, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(submit_manifest(f, "outputs = stdout\n", NULL), ==, 10);

	/* A lost or corrupt counter is rebuilt from the jobs. */
	g_autofree char *counter = state_path(f, "next-id");
	g_assert_true(g_file_set_contents(counter, "garbage", -1, NULL));
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*next-id is corrupt*");
	open_store(f);
	g_test_assert_expected_messages();
	g_assert_cmpuint(submit_manifest(f, "outputs = stdout\n", NULL), ==, 11);
	g_assert_cmpint(g_unlink(counter), ==, 0);
	open_store(f);
	g_assert_cmpuint(submit_manifest(f, "outputs = stdout\n", NULL), ==, 12);
	g_autofree char *text = read_text(counter);
	g_assert_cmpstr(text, ==, "13\n");
}

/* The running state is written without a sync: a host crash may leave meta empty, and the
 * submission's copy brings the job back, to run again. */
static void test_rescan_unsynced_meta(Fixture *f, gconstpointer data)
{
	open_store(f);
	guint64 id = submit_manifest(f, "outputs = stdout\n", NULL);
	{
		g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
		g_assert_true(zvm_store_job_prepare_run(job, NULL));
		g_assert_true(zvm_store_job_set_state(job, ZVM_STATE_RUNNING, NULL));
		g_autofree char *meta = zvm_store_job_path(job, "meta");
		g_assert_true(g_file_set_contents(meta, "", 0, NULL));
	}
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*taking meta.submitted*");
	open_store(f);
	g_test_assert_expected_messages();
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_assert_nonnull(job);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_assert_cmpint(info.state, ==, ZVM_STATE_QUEUED);
	g_assert_cmpuint(info.restarts, ==, 1);
	g_assert_cmpuint(info.uid, ==, 1000);
}

static void test_rescan_requeues(Fixture *f, gconstpointer data)
{
	open_store(f);
	guint64 running = submit_manifest(f, "outputs = stdout\n", NULL);
	guint64 ended = submit_manifest(f, "outputs = stdout\n", NULL);
	guint64 queued = submit_manifest(f, "outputs = stdout\n", NULL);
	g_autofree char *ended_status = NULL;
	{
		g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, running);
		g_assert_true(zvm_store_job_prepare_run(job, NULL));
		g_assert_true(zvm_store_job_set_state(job, ZVM_STATE_RUNNING, NULL));
		g_autofree char *out = zvm_store_job_path(job, "out/stdout");
		g_assert_true(g_file_set_contents(out, "partial", -1, NULL));
		g_autoptr(ZvmStoreJob) done = zvm_store_lookup(f->store, ended);
		g_auto(ZvmReport) report = {0};
		zvm_report_set_failure(&report, ZVM_EXIT_OK, "ok");
		report.user_rc = 3;
		g_autofree char *path = zvm_store_job_path(done, "out/stdout");
		g_assert_true(g_file_set_contents(path, "hello\n", -1, NULL));
		g_assert_true(zvm_store_job_finish(done, ZVM_STATE_DONE, &report, NULL, NULL));
		ended_status = zvm_store_job_render_status(done);
		g_assert_nonnull(strstr(ended_status, "\nuser_rc 3\n"));
		uint64_t size;
		gint64 mtime;
		zvm_store_job_get_output_stat(done, 0, &size, &mtime);
		g_assert_cmpuint(size, ==, 6);
	}
	/* The gateway dies here: the store is simply reopened. */
	open_store(f);
	g_assert_cmpint(job_state(f->store, running), ==, ZVM_STATE_QUEUED);
	g_assert_cmpint(job_state(f->store, queued), ==, ZVM_STATE_QUEUED);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, running);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_assert_cmpuint(info.restarts, ==, 1);
	g_assert_cmpint(info.started_ns, ==, 0);
	g_autofree char *partial = zvm_store_job_path(job, "out/stdout");
	g_assert_false(g_file_test(partial, G_FILE_TEST_EXISTS));
	g_autoptr(ZvmStoreJob) waiting = zvm_store_lookup(f->store, queued);
	zvm_store_job_get_info(waiting, &info);
	g_assert_cmpuint(info.restarts, ==, 0);

	g_autoptr(ZvmStoreJob) done = zvm_store_lookup(f->store, ended);
	g_autofree char *again = zvm_store_job_render_status(done);
	g_assert_cmpstr(again, ==, ended_status);
	uint64_t size;
	gint64 mtime;
	zvm_store_job_get_output_stat(done, 0, &size, &mtime);
	g_assert_cmpuint(size, ==, 6);

	GArray *ids = zvm_store_list_queued(f->store);
	g_assert_cmpuint(ids->len, ==, 2);
	g_assert_cmpuint(g_array_index(ids, guint64, 0), ==, running);
	g_array_unref(ids);
}

static void finish_job(Fixture *f, guint64 id)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_auto(ZvmReport) report = {0};
	zvm_report_set_failure(&report, ZVM_EXIT_OK, "ok");
	g_assert_true(zvm_store_job_finish(job, ZVM_STATE_DONE, &report, NULL, NULL));
}

static void test_retention(Fixture *f, gconstpointer data)
{
	f->retention.retain_jobs = 2;
	open_store(f);
	for (int i = 0; i < 5; i++)
		submit_manifest(f, "outputs = stdout\n", NULL);
	for (guint64 id = 1; id <= 4; id++)
		finish_job(f, id);
	GArray *removed = zvm_store_expire(f->store, g_get_real_time() * 1000);
	g_assert_cmpuint(removed->len, ==, 2);
	g_assert_cmpuint(g_array_index(removed, guint64, 0), ==, 1);
	g_assert_cmpuint(g_array_index(removed, guint64, 1), ==, 2);
	g_array_unref(removed);
	g_assert_null(zvm_store_lookup(f->store, 1));
	g_autofree char *gone = job_file(f, 1, NULL);
	g_assert_false(g_file_test(gone, G_FILE_TEST_EXISTS));
	g_assert_cmpint(job_state(f->store, 5), ==, ZVM_STATE_QUEUED);

	/* By age, at open too: everything ended is older than a second an hour from now. */
	f->retention = (ZvmStoreRetention){.retain_seconds = 1};
	open_store(f);
	removed =
	    zvm_store_expire(f->store, (g_get_real_time() + (gint64)3600 * G_USEC_PER_SEC) * 1000);
	g_assert_cmpuint(removed->len, ==, 2);
	g_array_unref(removed);
	GArray *left = zvm_store_list(f->store, TRUE, 0);
	g_assert_cmpuint(left->len, ==, 1);
	g_assert_cmpuint(g_array_index(left, guint64, 0), ==, 5);
	g_array_unref(left);
	g_assert_cmpuint(submit_manifest(f, "outputs = stdout\n", NULL), ==, 6);
}

static void test_atomic_files(Fixture *f, gconstpointer data)
{
	open_store(f);
	guint64 id = submit_manifest(f, "outputs = stdout\n", NULL);
	finish_job(f, id);
	g_autofree char *dir = job_file(f, id, NULL);
	g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
	for (const char *name; (name = g_dir_read_name(listing));)
		g_assert_false(g_str_has_suffix(name, ".tmp"));
	g_autofree char *meta = job_file(f, id, "meta");
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_assert_true(g_key_file_load_from_file(keyfile, meta, 0, NULL));
	g_autofree char *state = g_key_file_get_string(keyfile, "job", "state", NULL);
	g_assert_cmpstr(state, ==, "done");
	g_assert_cmpuint(mode_of(meta), ==, 0600);
	g_autofree char *accounting = job_file(f, id, "accounting");
	g_autofree char *text = read_text(accounting);
	g_assert_cmpstr(text, ==, "0 0 0 0 0 0 0 0 0 0\n");

	/* A crash between writing meta.tmp and the rename: the old meta is what counts. */
	g_autofree char *tmp = job_file(f, id, "meta.tmp");
	g_assert_true(g_file_set_contents(tmp, "[job]\nstate=queued\n", -1, NULL));
	open_store(f);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STATE_DONE);
}

/* The scheduler */

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

static guint64 sched_submit(SchedFixture *s, const char *manifest, GError **error)
{
	int fd = make_bundle(&s->f, "manifest", manifest, "prog.nexe", "\0asm", NULL);
	guint64 id = 0;
	zvm_scheduler_submit(s->scheduler, fd, "job.tar", 1000, 1000, &id, error);
	close(fd);
	return id;
}

/* Waits (at most 20 s) until job @id is in @state. */
static void wait_state(SchedFixture *s, guint64 id, ZvmJobState state)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	g_mutex_lock(&s->events.lock);
	while (job_state(s->f.store, id) != state) {
		if (!g_cond_wait_until(&s->events.cond, &s->events.lock, deadline))
			break;
	}
	g_mutex_unlock(&s->events.lock);
	g_assert_cmpstr(zvm_job_state_to_string(job_state(s->f.store, id)), ==,
			zvm_job_state_to_string(state));
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
	wait_state(s, id, ZVM_STATE_DONE);
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
	g_assert_cmpstr(report, ==, "0\n0\n7\ndisabled\n0 0 0 0 0 0 0 0 0 0\nok\n");
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
	wait_state(s, trap, ZVM_STATE_FAILED);
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
	wait_state(s, id, ZVM_STATE_RUNNING);
	/* The watcher copies the engine's live counters into the status while it runs. */
	g_assert_true(wait_status_line(s, id, "\nread_bytes 500\n"));
	g_assert_true(wait_status_line(s, id, "\nwritten_bytes 3\ninput_bytes 1000\n"));
	g_assert_cmpint(job_state(s->f.store, id), ==, ZVM_STATE_RUNNING);
	/* Ended: the accounting's values, and they survive a reopen of the store. */
	wait_state(s, id, ZVM_STATE_DONE);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, id);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nread_bytes 1000\nwritten_bytes 3\ninput_bytes 1000\n"));
	g_autofree char *meta_path = job_file(&s->f, id, "meta");
	g_autofree char *meta = read_text(meta_path);
	g_assert_nonnull(strstr(meta, "\nread_bytes=1000\n"));
	g_assert_nonnull(strstr(meta, "\ninput_bytes=1000\n"));

	/* An engine without a known input size: input_bytes stays "-". */
	guint64 plain = sched_submit(s, "stdout = x\n", NULL);
	wait_state(s, plain, ZVM_STATE_DONE);
	g_autoptr(ZvmStoreJob) other = zvm_store_lookup(s->f.store, plain);
	g_autofree char *text = zvm_store_job_render_status(other);
	g_assert_nonnull(strstr(text, "\nread_bytes 0\nwritten_bytes 1\ninput_bytes -\n"));
}

static void test_kill(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 16);
	guint64 running = sched_submit(s, "sleep_ms = 20000\n", NULL);
	guint64 queued = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, running, ZVM_STATE_RUNNING);
	g_assert_cmpint(job_state(s->f.store, queued), ==, ZVM_STATE_QUEUED);

	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_scheduler_kill(s->scheduler, queued, &error));
	g_assert_cmpint(job_state(s->f.store, queued), ==, ZVM_STATE_KILLED);
	/* It never ran: no output file was created. */
	g_autofree char *never = job_file(&s->f, queued, "out/stdout");
	g_assert_false(g_file_test(never, G_FILE_TEST_EXISTS));
	g_autofree char *report = job_file(&s->f, queued, "report");
	g_assert_true(g_file_test(report, G_FILE_TEST_IS_REGULAR));

	gint64 start = g_get_monotonic_time();
	g_assert_true(zvm_scheduler_kill(s->scheduler, running, &error));
	wait_state(s, running, ZVM_STATE_KILLED);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, running);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nexit_state killed\n"));

	/* Killing an ended job changes nothing; an unknown one is an error. */
	g_assert_true(zvm_scheduler_kill(s->scheduler, running, &error));
	g_assert_cmpint(job_state(s->f.store, running), ==, ZVM_STATE_KILLED);
	g_assert_false(zvm_scheduler_kill(s->scheduler, 999, &error));
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_NOT_FOUND);
}

static void test_queue_full(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 2);
	guint64 first = sched_submit(s, "sleep_ms = 20000\n", NULL);
	wait_state(s, first, ZVM_STATE_RUNNING);
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
	wait_state(s, 3, ZVM_STATE_DONE);
}

static void test_shutdown_requeues(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 16);
	guint64 id = sched_submit(s, "sleep_ms = 20000\nstdout = x\n", NULL);
	guint64 waiting = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, id, ZVM_STATE_RUNNING);
	gint64 start = g_get_monotonic_time();
	zvm_scheduler_stop(s->scheduler);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	g_assert_cmpint(job_state(s->f.store, id), ==, ZVM_STATE_QUEUED);
	g_autoptr(GError) error = NULL;
	sched_submit(s, "sleep_ms = 10\n", &error);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_STOPPED);

	/* The next start runs both again; the interrupted one says so. */
	open_store(&s->f);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, id);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_assert_cmpint(info.state, ==, ZVM_STATE_QUEUED);
	g_assert_cmpuint(info.restarts, ==, 1);
	start_scheduler(s, 1, 16);
	g_assert_true(zvm_scheduler_kill(s->scheduler, id, NULL));
	wait_state(s, waiting, ZVM_STATE_DONE);
	wait_state(s, id, ZVM_STATE_KILLED);
}

static void test_delete(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 1, 16);
	guint64 running = sched_submit(s, "sleep_ms = 20000\n", NULL);
	guint64 queued = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, running, ZVM_STATE_RUNNING);
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
	wait_state(s, next, ZVM_STATE_DONE);
}

/* A job of width W holds min(W, workers) slots: a narrow job waits for a wide one, and one
 * wider than the pool still runs (with the whole pool). */
static void test_wide_jobs(SchedFixture *s, gconstpointer data)
{
	start_scheduler(s, 2, 16);
	guint64 wide = sched_submit(s, "width = 2\nsleep_ms = 20000\n", NULL);
	wait_state(s, wide, ZVM_STATE_RUNNING);
	guint64 narrow = sched_submit(s, "sleep_ms = 10\n", NULL);
	g_usleep(300000);
	g_assert_cmpint(job_state(s->f.store, narrow), ==, ZVM_STATE_QUEUED);
	g_assert_true(zvm_scheduler_kill(s->scheduler, wide, NULL));
	wait_state(s, wide, ZVM_STATE_KILLED);
	wait_state(s, narrow, ZVM_STATE_DONE);

	/* Wider than the pool, behind a running narrow job: it waits for it, then runs. */
	guint64 first = sched_submit(s, "sleep_ms = 300\n", NULL);
	wait_state(s, first, ZVM_STATE_RUNNING);
	guint64 wider = sched_submit(s, "width = 5\nsleep_ms = 10\n", NULL);
	guint64 after = sched_submit(s, "sleep_ms = 10\n", NULL);
	wait_state(s, wider, ZVM_STATE_DONE);
	wait_state(s, after, ZVM_STATE_DONE);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(s->f.store, wider);
	g_autoptr(ZvmStoreJob) before = zvm_store_lookup(s->f.store, first);
	ZvmJobInfo wide_info, first_info;
	zvm_store_job_get_info(job, &wide_info);
	zvm_store_job_get_info(before, &first_info);
	g_assert_cmpint(wide_info.started_ns, >=, first_info.ended_ns);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(status, "\nnodes 5\n"));
	g_autofree char *narrow_status = zvm_store_job_render_status(before);
	g_assert_null(strstr(narrow_status, "\nnodes "));

	/* A wide job killed while it waits for slots ends at once; the pool is whole after. */
	guint64 busy = sched_submit(s, "sleep_ms = 20000\n", NULL);
	wait_state(s, busy, ZVM_STATE_RUNNING);
	guint64 waiting = sched_submit(s, "width = 3\nsleep_ms = 10\n", NULL);
	g_usleep(200000);
	g_assert_cmpint(job_state(s->f.store, waiting), ==, ZVM_STATE_QUEUED);
	g_assert_true(zvm_scheduler_kill(s->scheduler, waiting, NULL));
	wait_state(s, waiting, ZVM_STATE_KILLED);
	g_assert_true(zvm_scheduler_kill(s->scheduler, busy, NULL));
	wait_state(s, busy, ZVM_STATE_KILLED);
	guint64 last = sched_submit(s, "width = 2\nsleep_ms = 10\n", NULL);
	wait_state(s, last, ZVM_STATE_DONE);
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
		wait_state(s, id, ZVM_STATE_DONE);
	g_assert_null(zvm_store_lookup(s->f.store, 101));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define STORE_TEST(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
#define SCHED_TEST(path, fn) g_test_add(path, SchedFixture, NULL, sched_setup, fn, sched_teardown)
	STORE_TEST("/store/submit/accepted", test_submit_accepted);
	STORE_TEST("/store/submit/refused", test_submit_refused);
	STORE_TEST("/store/submit/too-large", test_submit_too_large);
	STORE_TEST("/store/ids-never-reused", test_ids_never_reused);
	STORE_TEST("/store/rescan-requeues", test_rescan_requeues);
	STORE_TEST("/store/rescan-unsynced-meta", test_rescan_unsynced_meta);
	STORE_TEST("/store/retention", test_retention);
	STORE_TEST("/store/atomic-files", test_atomic_files);
	SCHED_TEST("/scheduler/run-done", test_run_done);
	SCHED_TEST("/scheduler/progress", test_progress);
	SCHED_TEST("/scheduler/kill", test_kill);
	SCHED_TEST("/scheduler/queue-full", test_queue_full);
	SCHED_TEST("/scheduler/shutdown-requeues", test_shutdown_requeues);
	SCHED_TEST("/scheduler/delete", test_delete);
	SCHED_TEST("/scheduler/many", test_many);
	SCHED_TEST("/scheduler/wide-jobs", test_wide_jobs);
	return g_test_run();
}
