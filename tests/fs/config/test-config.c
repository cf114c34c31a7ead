/* SPDX-License-Identifier: Apache-2.0 */
/* The operator config file: the example in docs/configuration.md loads as documented, and
 * mistakes are refused naming the group and key. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char *write_temp(const char *text)
{
	g_autoptr(GError) error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("zvm-config-XXXXXX.conf", &path, &error);
	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(path, text, -1, &error));
	g_assert_no_error(error);
	close(fd);
	return path;
}

/* The ```ini block of docs/configuration.md. */
static char *documented_example(void)
{
	g_autofree char *doc_path =
	    g_build_filename(g_getenv("ZVM_SOURCE_DIR"), "docs", "configuration.md", NULL);
	g_autofree char *doc = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_get_contents(doc_path, &doc, NULL, &error));
	const char *start = strstr(doc, "```ini\n");
	g_assert_nonnull(start);
	start += strlen("```ini\n");
	const char *end = strstr(start, "```");
	g_assert_nonnull(end);
	return g_strndup(start, (gsize)(end - start));
}

static void test_documented_example(void)
{
	g_autofree char *text = documented_example();
	g_autofree char *path = write_temp(text);
	g_auto(ZvmConfig) config;
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_config_load(&config, path, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(config.limits.max_memory, ==, 1ULL << 30);
	g_assert_cmpuint(config.limits.max_timeout, ==, 600);
	g_assert_cmpint(config.limits.default_put_size, ==, 1LL << 30);
	g_assert_cmpint(config.limits.etag_algorithm, ==, ZVM_ETAG_SHA256);
	g_assert_cmpuint(config.limits.bundle_max_members, ==, 10000);
	g_assert_cmpstr(config.sandbox.user, ==, "zvmfs");
	g_assert_cmpstr(config.sandbox.compile_user, ==, "zvmfs-cc");
	g_assert_cmpuint(config.sandbox.compile_timeout, ==, 120);
	g_assert_cmpuint(config.sandbox.compile_split_bytes, ==, 8 << 20);
	g_assert_cmpuint(config.sandbox.compile_jobs, ==, 2);
	g_assert_cmpuint(config.sandbox.max_compiles, ==, MAX(1, g_get_num_processors() / 2));
	g_assert_cmpuint(config.sandbox.failed_compile_ttl, ==, 600);
	g_assert_cmpstr(config.sandbox.compile_fast_cc, ==, "clang");
	g_assert_cmpuint(config.sandbox.compile_optimize_timeout, ==, 3600);
	g_assert_cmpstr(config.gateway.mountpoint, ==, "/mnt/zvm");
	g_assert_cmpuint(config.gateway.jobs, ==, 2);
	g_assert_cmpuint(config.gateway.queue_length, ==, 1024);
	g_assert_cmpuint(config.gateway.memory_budget, ==, 12ULL << 30);
	g_assert_cmpuint(config.tenants.retain_jobs, ==, 2500);
	g_assert_cmpuint(config.tenants.queue_jobs, ==, 256);
	g_assert_cmpuint(config.tenants.output_bytes, ==, 16ULL << 30);
	g_assert_cmpuint(config.tenants.compile_seconds, ==, 600);
	g_assert_cmpuint(config.tenants.compile_window, ==, 3600);
	g_assert_cmpuint(config.tenants.staging_bytes, ==, 4ULL << 30);
	g_assert_cmpuint(config.tenants.staging_files, ==, 16);
	g_unlink(path);
}

/* [tenants]: each user's bounds, read as set; the defaults without the group. */
static void test_tenants(void)
{
	g_autofree char *path = write_temp("[tenants]\nretain_jobs = 3\nqueue_jobs = 5\n"
					   "output_bytes = 1M\ncompile_seconds = 0\n"
					   "compile_window = 60\n");
	g_auto(ZvmConfig) config;
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_config_load(&config, path, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(config.tenants.retain_jobs, ==, 3);
	g_assert_cmpuint(config.tenants.queue_jobs, ==, 5);
	g_assert_cmpuint(config.tenants.output_bytes, ==, 1 << 20);
	g_assert_cmpuint(config.tenants.compile_seconds, ==, 0);
	g_assert_cmpuint(config.tenants.compile_window, ==, 60);
	g_unlink(path);
	g_autofree char *empty = write_temp("[gateway]\njobs = 1\n");
	g_auto(ZvmConfig) defaults;
	g_assert_true(zvm_config_load(&defaults, empty, &error));
	g_assert_cmpuint(defaults.tenants.retain_jobs, ==, 2500);
	g_assert_cmpuint(defaults.tenants.queue_jobs, ==, 256);
	g_unlink(empty);
}

/* The installed sample (docs/zvmfs.conf) with every "#key = value" line uncommented: each
 * default it shows is a value the loader takes. */
static void test_sample_uncommented(void)
{
	g_autofree char *sample_path =
	    g_build_filename(g_getenv("ZVM_BUILD_DIR"), "docs", "zvmfs.conf", NULL);
	g_autofree char *sample = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_get_contents(sample_path, &sample, NULL, &error));
	g_autoptr(GRegex) setting = g_regex_new("^#([a-z_]+ = )", G_REGEX_MULTILINE, 0, NULL);
	guint uncommented = 0;
	g_autoptr(GMatchInfo) match = NULL;
	for (g_regex_match(setting, sample, 0, &match); g_match_info_matches(match);
	     g_match_info_next(match, NULL))
		uncommented++;
	g_autofree char *text = g_regex_replace(setting, sample, -1, 0, "\\1", 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(uncommented, >=, 25);
	g_autofree char *path = write_temp(text);
	g_auto(ZvmConfig) config;
	g_assert_true(zvm_config_load(&config, path, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(config.limits.max_channels, ==, 1024);
	g_unlink(path);
}

static void test_named_file_must_exist(void)
{
	g_auto(ZvmConfig) config;
	g_autoptr(GError) error = NULL;
	g_assert_false(zvm_config_load(&config, "/nonexistent/zvmfs.conf", &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "/nonexistent/zvmfs.conf"));
}

static void assert_refused(const char *text, const char *expected)
{
	g_autofree char *path = write_temp(text);
	g_auto(ZvmConfig) config;
	g_autoptr(GError) error = NULL;
	g_assert_false(zvm_config_load(&config, path, &error));
	g_assert_nonnull(error);
	if (strstr(error->message, expected) == NULL)
		g_error("'%s' does not say '%s'", error->message, expected);
	g_unlink(path);
}

static void test_mistakes(void)
{
	assert_refused("[limit]\nmax_memory = 1G\n", "unknown group [limit]");
	assert_refused("[sandbox]\nusr = zvmfs\n", "[sandbox] has no setting 'usr'");
	assert_refused("[gateway]\njobs = 0\n", "[gateway] jobs must be a whole number");
	assert_refused("[gateway]\nstate_dir = var/lib\n", "state_dir must be an absolute path");
	assert_refused("[data]\nlogs = srv/logs\n", "[data] logs must be an absolute path");
	assert_refused("[data]\n../x = /srv\n", "[data] '../x' is not a valid data root name");
	assert_refused("[data]\nlogs =\n", "[data] logs must be an absolute path");
	assert_refused("[gateway]\ndata_roots = logs=/srv\n", "[gateway] has no setting");
	assert_refused("[limits]\nmax_memory = 8G\n", "max_memory");
	assert_refused("[sandbox]\ncompile_timeout = soon\n", "compile_timeout");
	assert_refused("[gateway]\nmemory_budget = lots\n",
		       "[gateway] memory_budget must be a size");
	assert_refused("[tenants]\nretain = 3\n", "[tenants] has no setting 'retain'");
	assert_refused("[tenants]\nqueue_jobs = 0\n",
		       "[tenants] queue_jobs must be a whole number");
	assert_refused("[tenants]\noutput_bytes = lots\n", "[tenants] output_bytes must be a size");
	assert_refused("[tenants]\ncompile_window = 0\n", "[tenants] compile_window must be a");
	assert_refused("[gateway]\nmemory_budget = 1K\n", "[gateway] memory_budget must be a size");
	assert_refused("[gateway]\nmemory_budget = 99999999999T\n", "memory_budget");
	assert_refused("[tenants]\nstaging_bytes = 100K\n",
		       "[tenants] staging_bytes must be a size of at least 1 MiB");
	assert_refused("[tenants]\nstaging_files = 0\n",
		       "[tenants] staging_files must be a whole number from 1");
	assert_refused("[sandbox]\ncompile_user =\n", "[sandbox] compile_user must not be empty");
	assert_refused("[sandbox]\nuid_range = 5-1\n", "[sandbox] uid_range must be FIRST-LAST");
	assert_refused("[sandbox]\nuid_range = 0-10\n", "[sandbox] uid_range must be FIRST-LAST");
	assert_refused("[sandbox]\nuid_range = 100000\n", "[sandbox] uid_range must be FIRST-LAST");
	assert_refused("[sandbox]\nuid_range = 100000-300000\n",
		       "[sandbox] uid_range must be FIRST-LAST");
	assert_refused("[sandbox]\ncompile_jobs = 0\n", "[sandbox] compile_jobs must be a whole");
	assert_refused("[sandbox]\ncompile_jobs = 65\n", "compile_jobs must be at most 64");
	assert_refused("[sandbox]\nmax_compiles = 0\n", "[sandbox] max_compiles must be a whole");
	assert_refused("[sandbox]\nmax_compiles = 65\n", "max_compiles must be at most 64");
	assert_refused("[sandbox]\nfailed_compile_ttl = -1\n",
		       "[sandbox] failed_compile_ttl must be a whole number >= 0");
	assert_refused("[sandbox]\ncompile_optimize_timeout = 0\n",
		       "compile_optimize_timeout must be a whole number >= 1");
	assert_refused("[sandbox]\ncompile_fast_cc =\n", "compile_fast_cc must not be empty");
	assert_refused("[sandbox]\ncompile_split_bytes = 100\n",
		       "compile_split_bytes must be a whole number >= 1024");
	assert_refused("[runner]\nkind = condor\n", "[runner] kind must be local or slurm");
	assert_refused("[runner]\nqueue = x\n", "[runner] has no setting 'queue'");
	assert_refused("[runner]\nzvm = zvm\n", "[runner] zvm must be an absolute path");
	assert_refused("[runner]\npartition = a b\n", "[runner] partition must be a name");
	assert_refused("[runner]\naccount = a,b\n", "[runner] account must be a name");
	assert_refused("[runner]\npoll_interval_ms = 1\n", "[runner] poll_interval_ms must be");
	assert_refused("[runner]\njobs = 0\n", "[runner] jobs must be a whole number");
	assert_refused("[runner]\nmemory_overhead = lots\n", "[runner] memory_overhead must be");
}

/* [runner]: local by default; slurm with its settings. */
static void test_runner(void)
{
	g_auto(ZvmConfig) defaults;
	g_autoptr(GError) error = NULL;
	g_autofree char *empty = write_temp("");
	g_assert_true(zvm_config_load(&defaults, empty, &error));
	g_assert_cmpint(defaults.runner.kind, ==, ZVM_RUNNER_KIND_LOCAL);
	g_assert_cmpuint(defaults.runner.poll_interval_ms, ==, 250);
	g_unlink(empty);
	g_autofree char *path = write_temp("[runner]\nkind = slurm\npartition = zvm\n"
					   "account = lab\nzvm = /opt/zvm/bin/zvm\n"
					   "poll_interval_ms = 100\njobs = 64\nmax_cpus = 4\n"
					   "memory_overhead = 1G\n");
	g_auto(ZvmConfig) config;
	g_assert_true(zvm_config_load(&config, path, &error));
	g_assert_no_error(error);
	g_assert_cmpint(config.runner.kind, ==, ZVM_RUNNER_KIND_SLURM);
	g_assert_cmpstr(config.runner.partition, ==, "zvm");
	g_assert_cmpstr(config.runner.account, ==, "lab");
	g_assert_cmpstr(config.runner.zvm, ==, "/opt/zvm/bin/zvm");
	g_assert_cmpuint(config.runner.poll_interval_ms, ==, 100);
	g_assert_cmpuint(config.runner.jobs, ==, 64);
	g_assert_cmpuint(config.runner.max_cpus, ==, 4);
	g_assert_cmpuint(config.runner.memory_overhead, ==, 1ULL << 30);
	g_unlink(path);
}

/* Without the key, the budget is 3/4 of the physical memory. */
/* compile_fast_cc = none: one tier, cc -O2 (translate.h). */
static void test_fast_cc_none(void)
{
	g_autofree char *path = write_temp("[sandbox]\ncompile_fast_cc = none\n");
	g_auto(ZvmConfig) config;
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_config_load(&config, path, &error));
	g_assert_no_error(error);
	g_assert_null(config.sandbox.compile_fast_cc);
	g_unlink(path);
}

static void test_memory_budget_default(void)
{
	g_autofree char *path = write_temp("[gateway]\njobs = 2\n");
	g_auto(ZvmConfig) config;
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_config_load(&config, path, &error));
	guint64 physical = (guint64)sysconf(_SC_PHYS_PAGES) * (guint64)sysconf(_SC_PAGESIZE);
	g_assert_cmpuint(config.gateway.memory_budget, ==, physical / 4 * 3);
	g_assert_cmpuint(config.tenants.staging_bytes, ==, 4ULL << 30);
	g_assert_cmpuint(config.tenants.staging_files, ==, 16);
	g_unlink(path);
}

/* [data] and --data: form checked at load, directories at start; a later NAME wins. */
static void test_data_roots(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("zvm-config-data-XXXXXX", &error);
	g_assert_no_error(error);
	g_autofree char *text =
	    g_strdup_printf("[data]\nlogs = %s\ncorpus = /nonexistent/zvm\n", dir);
	g_autofree char *path = write_temp(text);
	g_auto(ZvmConfig) config;
	g_assert_true(zvm_config_load(&config, path, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(config.data_roots), ==, 2);
	g_assert_null(config.sandbox.data_roots);
	g_assert_false(zvm_config_open_data_roots(&config, &error));
	g_assert_cmpstr(error->message, ==,
			"data root 'corpus': /nonexistent/zvm: No such file or directory");
	g_clear_error(&error);

	g_autofree char *corpus = g_strconcat("corpus=", dir, NULL);
	g_assert_true(zvm_config_add_data_root(&config, corpus, &error));
	g_assert_cmpuint(g_strv_length(config.data_roots), ==, 2);
	g_assert_true(zvm_config_open_data_roots(&config, &error));
	g_assert_no_error(error);
	g_assert_true(config.sandbox.data_roots == config.data);
	const char *const *names = zvm_data_roots_get_names(config.sandbox.data_roots);
	g_assert_cmpstr(names[0], ==, "corpus");
	g_assert_cmpstr(names[1], ==, "logs");
	g_assert_null(names[2]);
	g_assert_cmpstr(zvm_data_roots_get_dir(config.data, "corpus"), ==, dir);

	g_assert_false(zvm_config_add_data_root(&config, "logs", &error));
	g_assert_cmpstr(error->message, ==, "--data logs: expected NAME=DIR");
	g_clear_error(&error);
	g_assert_false(zvm_config_add_data_root(&config, "logs=relative", &error));
	g_assert_cmpstr(error->message, ==, "--data logs must be an absolute path");
	g_clear_error(&error);
	g_assert_false(zvm_config_add_data_root(&config, "a b=/srv", &error));
	g_assert_nonnull(strstr(error->message, "'a b' is not a valid data root name"));
	g_clear_error(&error);
	g_autofree char *file_root = g_strconcat("file=", path, NULL);
	g_assert_true(zvm_config_add_data_root(&config, file_root, &error));
	g_assert_false(zvm_config_open_data_roots(&config, &error));
	g_assert_nonnull(strstr(error->message, "is not a directory"));
	/* A failed open leaves the roots that were open. */
	g_assert_true(config.sandbox.data_roots == config.data);
	g_unlink(path);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/config/documented-example", test_documented_example);
	g_test_add_func("/config/sample-uncommented", test_sample_uncommented);
	g_test_add_func("/config/named-file-must-exist", test_named_file_must_exist);
	g_test_add_func("/config/mistakes", test_mistakes);
	g_test_add_func("/config/tenants", test_tenants);
	g_test_add_func("/config/runner", test_runner);
	g_test_add_func("/config/fast-cc-none", test_fast_cc_none);
	g_test_add_func("/config/memory-budget-default", test_memory_budget_default);
	g_test_add_func("/config/data-roots", test_data_roots);
	return g_test_run();
}
