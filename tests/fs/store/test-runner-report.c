/* SPDX-License-Identifier: Apache-2.0 */
/* The node-side report of the Slurm runner (fs/runner-report.h): what a node writes reads
 * back whole, and whatever a job's owner could put there instead is refused. */
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../fs/common/runner-report.h"

static char *dir;

static char *path_of(const char *name)
{
	return g_build_filename(dir, name, NULL);
}

static void fill(ZvmReport *report)
{
	zvm_report_set_failure(report, ZVM_EXIT_OK, "ok");
	report->user_rc = 3;
	g_free(report->etags);
	report->etags = g_strdup("/dev/stdout 0123abcd");
	g_free(report->accounting);
	report->accounting = g_strdup("0.01 0.02 1 2 3 4 0 0 0 0");
	report->sys_seconds = 0.01;
	report->wall_seconds = 1.5;
	report->local[3] = 13;
	report->has_input_bytes = TRUE;
	report->input_bytes = 99;
}

static void test_round_trip(void)
{
	g_autofree char *path = path_of("good");
	g_auto(ZvmReport) written = {0};
	fill(&written);
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_runner_report_write(path, &written, &error));
	g_auto(ZvmReport) read = {0};
	g_assert_true(zvm_runner_report_read(path, &read, &error));
	g_assert_no_error(error);
	g_assert_cmpint(read.exit_kind, ==, ZVM_EXIT_OK);
	g_assert_cmpstr(read.exit_state, ==, "ok");
	g_assert_cmpint(read.user_rc, ==, 3);
	g_assert_cmpstr(read.etags, ==, written.etags);
	g_assert_cmpstr(read.accounting, ==, written.accounting);
	g_assert_cmpint(read.local[3], ==, 13);
	g_assert_true(read.has_input_bytes);
	g_assert_cmpint(read.input_bytes, ==, 99);
	g_assert_cmpfloat(read.wall_seconds, ==, 1.5);
}

/* The good report's text with @from replaced by @to must be refused. */
static void assert_refused(const char *from, const char *to)
{
	g_autofree char *good = path_of("good");
	g_auto(ZvmReport) written = {0};
	fill(&written);
	g_assert_true(zvm_runner_report_write(good, &written, NULL));
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(good, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, from));
	g_autoptr(GString) forged = g_string_new(text);
	g_string_replace(forged, from, to, 1);
	g_autofree char *path = path_of("forged");
	g_assert_true(g_file_set_contents(path, forged->str, (gssize)forged->len, NULL));
	g_auto(ZvmReport) read = {0};
	g_autoptr(GError) error = NULL;
	if (zvm_runner_report_read(path, &read, &error))
		g_error("accepted a report with '%s' for '%s'", to, from);
	g_assert_null(read.exit_state);
}

static void test_forged(void)
{
	assert_refused("end=zvm-run-job-report-1", "end=no");
	assert_refused("end=zvm-run-job-report-1\n", "");
	assert_refused("exit_kind=0", "exit_kind=99");
	assert_refused("exit_kind=0", "exit_kind=-1");
	assert_refused("exit_kind=0", "exit_kind=3");
	assert_refused("exit_state=ok", "exit_state=trap");
	assert_refused("exit_state=ok", "exit_state=ok\\tforged");
	assert_refused("local_written_bytes=13", "local_written_bytes=-13");
	assert_refused("wall_seconds=1.5", "wall_seconds=nan");
	assert_refused("wall_seconds=1.5", "wall_seconds=1e300");
	assert_refused("validator_state=0", "validator_state=7");
	assert_refused("user_rc=3", "user_rc=three");
	assert_refused("[report]", "[other]");
	g_autofree char *huge = g_strnfill(5000, 'x');
	g_autofree char *etags = g_strconcat("etags=", huge, NULL);
	assert_refused("etags=/dev/stdout 0123abcd", etags);
}

static void test_not_a_file(void)
{
	g_autofree char *good = path_of("good");
	g_auto(ZvmReport) written = {0};
	fill(&written);
	g_assert_true(zvm_runner_report_write(good, &written, NULL));
	g_auto(ZvmReport) read = {0};
	g_autoptr(GError) error = NULL;

	g_autofree char *link = path_of("link");
	g_assert_cmpint(symlink(good, link), ==, 0);
	g_assert_false(zvm_runner_report_read(link, &read, &error));
	g_clear_error(&error);

	/* A FIFO would block a reader that waits for a writer: refused at once. */
	g_autofree char *fifo = path_of("fifo");
	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	g_assert_false(zvm_runner_report_read(fifo, &read, &error));
	g_clear_error(&error);

	g_autofree char *big = path_of("big");
	g_autofree char *text = g_strnfill(ZVM_RUNNER_REPORT_MAX + 1, '#');
	g_assert_true(g_file_set_contents(big, text, -1, NULL));
	g_assert_false(zvm_runner_report_read(big, &read, &error));
	g_clear_error(&error);

	g_autofree char *missing = path_of("missing");
	g_assert_false(zvm_runner_report_read(missing, &read, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_null(read.exit_state);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("zvm-runner-report-XXXXXX", NULL);
	g_test_add_func("/runner-report/round-trip", test_round_trip);
	g_test_add_func("/runner-report/forged", test_forged);
	g_test_add_func("/runner-report/not-a-file", test_not_a_file);
	int status = g_test_run();
	const char *names[] = {"good", "forged", "link", "fifo", "big"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *path = path_of(names[i]);
		g_unlink(path);
	}
	g_rmdir(dir);
	g_free(dir);
	return status;
}
