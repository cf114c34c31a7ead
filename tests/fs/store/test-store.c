/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the job store (fs/store.h) without a mount: submission and refusal, ids,
 * rescan, retention and atomic files. The scheduler's are in test-scheduler.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-fixture.h"

static void test_submit_accepted(Fixture *f, gconstpointer data)
{
	open_store(f);
	g_autoptr(GError) error = NULL;
	guint64 id = submit_manifest(f, "outputs = stdout stderr out/result.csv\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(id, ==, 1);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_QUEUED);

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
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_REJECTED);
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
	assert_rejected(f, id, "no file 'manifest' at the top level");
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
	assert_rejected(f, id, "over the 4 KiB maximum");
	g_clear_error(&error);

	/* Under the archive bound, over the extracted bound. */
	f->limits.bundle_max_archive = 1 << 20;
	f->limits.bundle_max_bytes = 1024;
	fd = make_bundle(f, "manifest", "outputs = stdout\n", "data", big, NULL);
	g_assert_false(zvm_store_submit(f->store, fd, "big.tar", 1000, 1000, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_TOO_LARGE);
	assert_rejected(f, id, "contents over the 1 KiB maximum");
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
		g_assert_true(zvm_store_job_set_state(job, ZVM_STORE_STATE_RUNNING, NULL));
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
	g_assert_cmpint(info.state, ==, ZVM_STORE_STATE_QUEUED);
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
		g_assert_true(zvm_store_job_set_state(job, ZVM_STORE_STATE_RUNNING, NULL));
		g_autofree char *out = zvm_store_job_path(job, "out/stdout");
		g_assert_true(g_file_set_contents(out, "partial", -1, NULL));
		g_autoptr(ZvmStoreJob) done = zvm_store_lookup(f->store, ended);
		g_auto(ZvmReport) report = {0};
		zvm_report_set_failure(&report, ZVM_EXIT_OK, "ok");
		report.user_rc = 3;
		g_autofree char *path = zvm_store_job_path(done, "out/stdout");
		g_assert_true(g_file_set_contents(path, "hello\n", -1, NULL));
		g_assert_true(
		    zvm_store_job_finish(done, ZVM_STORE_STATE_DONE, &report, NULL, NULL));
		ended_status = zvm_store_job_render_status(done);
		g_assert_nonnull(strstr(ended_status, "\nuser_rc 3\n"));
		uint64_t size;
		gint64 mtime;
		zvm_store_job_get_output_stat(done, 0, &size, &mtime);
		g_assert_cmpuint(size, ==, 6);
	}
	/* The gateway dies here: the store is simply reopened. */
	open_store(f);
	g_assert_cmpint(job_state(f->store, running), ==, ZVM_STORE_STATE_QUEUED);
	g_assert_cmpint(job_state(f->store, queued), ==, ZVM_STORE_STATE_QUEUED);
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

/* Sets job @id running, with a partial output, as a run the gateway dies under leaves it. */
static void run_partially(Fixture *f, guint64 id)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_assert_true(zvm_store_job_prepare_run(job, NULL));
	g_assert_true(zvm_store_job_set_state(job, ZVM_STORE_STATE_RUNNING, NULL));
	g_autofree char *out = zvm_store_job_path(job, "out/stdout");
	g_assert_true(g_file_set_contents(out, "partial", -1, NULL));
}

static void test_rescan_interrupted_twice(Fixture *f, gconstpointer data)
{
	/* A job whose run takes the gateway down (issue #12) is not run again at every start:
	 * found running once, it runs again, with that recorded in meta before it runs; found
	 * running a second time, it ends failed. */
	open_store(f);
	guint64 id = submit_manifest(f, "outputs = stdout\n", NULL);
	run_partially(f, id);
	open_store(f);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_QUEUED);
	g_autofree char *meta_path = job_file(f, id, "meta");
	g_autofree char *meta = read_text(meta_path);
	g_assert_nonnull(strstr(meta, "\ninterrupted=1\n"));

	/* A shutdown's requeue is not an interruption: the count stays. */
	{
		g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
		g_assert_true(zvm_store_job_set_state(job, ZVM_STORE_STATE_RUNNING, NULL));
		g_assert_true(zvm_store_job_requeue(job, NULL));
	}
	open_store(f);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_QUEUED);

	run_partially(f, id);
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
			      "*interrupted: the gateway stopped twice while this job ran*");
	open_store(f);
	g_test_assert_expected_messages();
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_FAILED);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_autofree char *status = zvm_store_job_render_status(job);
	g_assert_nonnull(
	    strstr(status, "\nreason interrupted: the gateway stopped twice while this job ran"));
	g_autofree char *report_path = job_file(f, id, "report");
	g_autofree char *report = read_text(report_path);
	g_assert_nonnull(
	    strstr(report, "\ninterrupted: the gateway stopped twice while this job ran\n"));
	g_autofree char *partial = job_file(f, id, "out/stdout");
	g_assert_false(g_file_test(partial, G_FILE_TEST_EXISTS));
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	g_assert_cmpuint(info.restarts, ==, 2);

	/* Failed is the end: a further start leaves it so. */
	g_clear_pointer(&job, zvm_store_job_unref);
	open_store(f);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_FAILED);
}

/* A job a cluster engine runs (issue #16) is followed after a restart, not run again: found
 * running, it is queued with its outputs and its runner's id as they were, not counted as
 * interrupted, and its status names the id. */
static void test_rescan_runner_job(Fixture *f, gconstpointer data)
{
	open_store(f);
	guint64 id = submit_manifest(f, "outputs = stdout\n", NULL);
	run_partially(f, id);
	{
		g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
		g_assert_true(zvm_store_job_set_runner_job(job, "slurm", "4242", NULL));
	}
	for (int start = 0; start < 3; start++) {
		open_store(f);
		g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_QUEUED);
		g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
		g_autofree char *runner_job = zvm_store_job_get_runner_job(job, "slurm");
		g_assert_cmpstr(runner_job, ==, "4242");
		g_autofree char *other = zvm_store_job_get_runner_job(job, "local");
		g_assert_null(other);
		g_autofree char *status = zvm_store_job_render_status(job);
		g_assert_nonnull(strstr(status, "\nslurm_job 4242\n"));
		g_assert_nonnull(strstr(status, "\nrestarts 0\n"));
		g_autofree char *partial = job_file(f, id, "out/stdout");
		g_autofree char *text = read_text(partial);
		g_assert_cmpstr(text, ==, "partial");
		/* The runner saw it running again before the next stop. */
		g_assert_true(zvm_store_job_set_state(job, ZVM_STORE_STATE_RUNNING, NULL));
	}
	g_autofree char *meta_path = job_file(f, id, "meta");
	g_autofree char *meta = read_text(meta_path);
	g_assert_null(strstr(meta, "interrupted"));
}

static void finish_job(Fixture *f, guint64 id)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_auto(ZvmReport) report = {0};
	zvm_report_set_failure(&report, ZVM_EXIT_OK, "ok");
	g_assert_true(zvm_store_job_finish(job, ZVM_STORE_STATE_DONE, &report, NULL, NULL));
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
	g_assert_cmpint(job_state(f->store, 5), ==, ZVM_STORE_STATE_QUEUED);

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

static guint64 submit_as(Fixture *f, uid_t uid, const char *manifest)
{
	int fd = make_bundle(f, "manifest", manifest, "prog.nexe", "\0asm", NULL);
	guint64 id = 0;
	zvm_store_submit(f->store, fd, "job.tar", uid, uid, &id, NULL);
	close(fd);
	g_assert_cmpuint(id, >, 0);
	return id;
}

/* Retention counts per user (issue #13): a flood of one user's rejected submissions removes
 * only that user's oldest ended jobs, at once and at the periodic pass. */
static void test_retention_per_user(Fixture *f, gconstpointer data)
{
	f->retention.user_retain_jobs = 2;
	open_store(f);
	guint64 victim = submit_as(f, 2000, "outputs = stdout\n");
	finish_job(f, victim);
	guint64 first = submit_as(f, 1000, "outputs = stdout\n");
	finish_job(f, first);
	guint64 removed_total = 0;
	for (int i = 0; i < 20; i++) {
		submit_as(f, 1000, "refuse = garbage\n");
		GArray *removed = zvm_store_expire_user(f->store, 1000);
		removed_total += removed->len;
		for (guint j = 0; j < removed->len; j++)
			g_assert_cmpuint(g_array_index(removed, guint64, j), !=, victim);
		g_array_unref(removed);
	}
	g_assert_cmpuint(removed_total, ==, 19);
	g_assert_null(zvm_store_lookup(f->store, first));
	g_assert_cmpint(job_state(f->store, victim), ==, ZVM_STORE_STATE_DONE);
	GArray *theirs = zvm_store_list(f->store, FALSE, 1000);
	g_assert_cmpuint(theirs->len, ==, 2);
	g_array_unref(theirs);
	/* Nothing of the victim's goes at the periodic pass either. */
	GArray *removed = zvm_store_expire(f->store, g_get_real_time() * 1000);
	g_assert_cmpuint(removed->len, ==, 0);
	g_array_unref(removed);
	g_assert_cmpint(job_state(f->store, victim), ==, ZVM_STORE_STATE_DONE);
}

/* The whole store's bound takes from the user who keeps the most ended jobs. */
static void test_retention_largest_first(Fixture *f, gconstpointer data)
{
	f->retention.retain_jobs = 4;
	open_store(f);
	guint64 victim = submit_as(f, 2000, "outputs = stdout\n");
	finish_job(f, victim);
	guint64 victim_queued = submit_as(f, 2000, "outputs = stdout\n");
	for (int i = 0; i < 6; i++)
		submit_as(f, 1000, "refuse = garbage\n");
	GArray *removed = zvm_store_expire(f->store, g_get_real_time() * 1000);
	/* 7 ended jobs for 4 places: three of the flooder's go, the oldest first. */
	g_assert_cmpuint(removed->len, ==, 3);
	g_assert_cmpuint(g_array_index(removed, guint64, 0), ==, victim_queued + 1);
	g_array_unref(removed);
	g_assert_cmpint(job_state(f->store, victim), ==, ZVM_STORE_STATE_DONE);
	/* Equal holders: the lower uid gives one up. */
	f->retention.retain_jobs = 1;
	open_store(f);
	GArray *left = zvm_store_list(f->store, FALSE, 1000);
	g_assert_cmpuint(left->len, ==, 0);
	g_array_unref(left);
	g_assert_cmpint(job_state(f->store, victim), ==, ZVM_STORE_STATE_DONE);
	g_assert_cmpint(job_state(f->store, victim_queued), ==, ZVM_STORE_STATE_QUEUED);
}

/* Per-user usage: what each user holds, outputs they removed not counted. */
static void test_usage(Fixture *f, gconstpointer data)
{
	open_store(f);
	guint64 done = submit_as(f, 1000, "outputs = stdout\n");
	g_autofree char *stdout_path = job_file(f, done, "out/stdout");
	g_assert_true(g_file_set_contents(stdout_path, "12345", 5, NULL));
	finish_job(f, done);
	submit_as(f, 1000, "refuse = garbage\n");
	submit_as(f, 1000, "outputs = stdout\n");
	submit_as(f, 2000, "outputs = stdout\n");
	g_autoptr(GArray) usage = zvm_store_get_usage(f->store);
	g_assert_cmpuint(usage->len, ==, 2);
	ZvmUsage *a = &g_array_index(usage, ZvmUsage, 0), *b = &g_array_index(usage, ZvmUsage, 1);
	g_assert_cmpuint(a->uid, ==, 1000);
	g_assert_cmpuint(a->kept, ==, 3);
	g_assert_cmpuint(a->queued, ==, 1);
	g_assert_cmpuint(a->ended, ==, 2);
	g_assert_cmpuint(a->rejected, ==, 1);
	g_assert_cmpuint(a->output_bytes, ==, 5);
	g_assert_cmpuint(b->uid, ==, 2000);
	g_assert_cmpuint(b->kept, ==, 1);
	g_assert_cmpuint(b->output_bytes, ==, 0);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, done);
	g_assert_true(zvm_store_job_remove_entry(job, "stdout", "out/stdout", NULL));
	ZvmUsage one;
	zvm_store_get_user_usage(f->store, 1000, &one);
	g_assert_cmpuint(one.output_bytes, ==, 0);
	g_assert_cmpuint(one.kept, ==, 3);
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
	g_assert_cmpstr(text, ==, "0.00 0.00 0 0 0 0 0 0 0 0\n");

	/* A crash between writing meta.tmp and the rename: the old meta is what counts. */
	g_autofree char *tmp = job_file(f, id, "meta.tmp");
	g_assert_true(g_file_set_contents(tmp, "[job]\nstate=queued\n", -1, NULL));
	open_store(f);
	g_assert_cmpint(job_state(f->store, id), ==, ZVM_STORE_STATE_DONE);
}

/* The status line of a translation in units: only while compiling, with the latest count. */
static void test_translation_progress(Fixture *f, gconstpointer data)
{
	open_store(f);
	guint64 id = submit_manifest(f, "outputs = stdout\n", NULL);
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_assert_true(zvm_store_job_prepare_run(job, NULL));
	g_assert_true(zvm_store_job_set_state(job, ZVM_STORE_STATE_COMPILING, NULL));
	g_autofree char *before = zvm_store_job_render_status(job);
	g_assert_null(strstr(before, "translating"));
	zvm_store_job_set_translation(job, 0, 19);
	zvm_store_job_set_translation(job, 3, 19);
	g_autofree char *during = zvm_store_job_render_status(job);
	g_assert_nonnull(strstr(during, "\nstate compiling\ntranslating 3 of 19 units\n"));
	g_assert_true(zvm_store_job_set_state(job, ZVM_STORE_STATE_RUNNING, NULL));
	g_autofree char *after = zvm_store_job_render_status(job);
	g_assert_null(strstr(after, "translating"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define STORE_TEST(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	STORE_TEST("/store/submit/accepted", test_submit_accepted);
	STORE_TEST("/store/submit/refused", test_submit_refused);
	STORE_TEST("/store/submit/too-large", test_submit_too_large);
	STORE_TEST("/store/ids-never-reused", test_ids_never_reused);
	STORE_TEST("/store/rescan-requeues", test_rescan_requeues);
	STORE_TEST("/store/rescan-interrupted-twice", test_rescan_interrupted_twice);
	STORE_TEST("/store/rescan-unsynced-meta", test_rescan_unsynced_meta);
	STORE_TEST("/store/rescan-runner-job", test_rescan_runner_job);
	STORE_TEST("/store/retention", test_retention);
	STORE_TEST("/store/retention-per-user", test_retention_per_user);
	STORE_TEST("/store/retention-largest-first", test_retention_largest_first);
	STORE_TEST("/store/usage", test_usage);
	STORE_TEST("/store/atomic-files", test_atomic_files);
	STORE_TEST("/store/translation-progress", test_translation_progress);
	return g_test_run();
}
