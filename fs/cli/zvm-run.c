/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zvm run: runs one bundle through the engine, without any mount, and prints ZeroVM's
 * report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../channels/bundle.h"
#include "../../sandbox/engine.h"
#include "../common/config.h"
#include "../common/state-file.h"
#include "zvm-commands.h"
#include "zvm-build-config.h"

static char *default_out_dir(const char *bundle)
{
	g_autofree char *base = g_path_get_basename(bundle);
	static const char *const suffixes[] = {".tar.gz",  ".tgz", ".tar.xz",
					       ".tar.zst", ".tar", NULL};
	for (const char *const *s = suffixes; *s; s++) {
		if (g_str_has_suffix(base, *s) && strlen(base) > strlen(*s)) {
			base[strlen(base) - strlen(*s)] = '\0';
			break;
		}
	}
	return g_strconcat(base, ".out", NULL);
}

static int print_failure(ZvmExitKind kind, const char *reason)
{
	g_auto(ZvmReport) report = {0};
	zvm_report_set_failure(&report, kind, reason);
	g_autofree char *text = zvm_report_format(&report);
	fputs(text, stdout);
	return ZVM_STATUS_FAILED;
}

/* After the job's summary: one line per node of a system map job, "node <name> <user rc>
 * <exit state>", from the node's report in @out_dir. */
static void print_nodes(const ZvmJob *job, const char *out_dir)
{
	for (const char *const *node = zvm_job_get_nodes(job); *node; node++) {
		g_autofree char *path = g_build_filename(out_dir, *node, "report", NULL);
		g_autofree char *text = NULL;
		g_auto(GStrv) lines = NULL;
		if (g_file_get_contents(path, &text, NULL, NULL))
			lines = g_strsplit(text, "\n", 7);
		gboolean whole = lines && g_strv_length(lines) >= 6;
		printf("node %s %s %s\n", *node, whole ? lines[2] : "-",
		       whole ? lines[5] : "did not run");
	}
}

static int run_bundle(ZvmConfig *config, const char *bundle, const char *out_dir)
{
	int fd = open(bundle, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		g_printerr("zvm: cannot open %s: %s\n", bundle, g_strerror(errno));
		return ZVM_STATUS_USAGE;
	}
	g_autoptr(GError) error = NULL;
	g_autofree char *work = g_dir_make_tmp("zvm-run-XXXXXX", &error);
	if (work == NULL) {
		close(fd);
		g_printerr("zvm: %s\n", error->message);
		return ZVM_STATUS_USAGE;
	}
	int status;
	if (!zvm_bundle_extract(fd, work, &config->limits, &error)) {
		status = print_failure(ZVM_EXIT_MANIFEST, error->message);
	} else {
		/* The data: files are read as the user who runs zvm. */
		g_autoptr(ZvmJob) job =
		    zvm_job_open(work, &config->limits, &config->sandbox, NULL, &error);
		if (job == NULL) {
			status = print_failure(ZVM_EXIT_MANIFEST, error->message);
		} else if (g_mkdir_with_parents(out_dir, 0755) < 0) {
			g_printerr("zvm: cannot create %s: %s\n", out_dir, g_strerror(errno));
			status = ZVM_STATUS_USAGE;
		} else {
			g_auto(ZvmReport) report = {0};
			if (!zvm_job_run(job, out_dir, &report, &error))
				g_printerr("zvm: %s\n", error->message);
			g_autofree char *text = zvm_report_format(&report);
			fputs(text, stdout);
			print_nodes(job, out_dir);
			status = report.exit_kind == ZVM_EXIT_OK ? 0 : ZVM_STATUS_FAILED;
		}
	}
	close(fd);
	zvm_state_remove_tree(work, NULL);
	return status;
}

int zvm_command_run(int argc, char **argv)
{
	g_autofree char *config_path = NULL, *out_dir = NULL, *cache_dir = NULL, *user = NULL;
	g_auto(GStrv) data = NULL;
	gint64 max_memory = 0, max_timeout = 0;
	GOptionEntry entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
	     "Operator config file (default " ZVM_DEFAULT_CONFIG ")", "FILE"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
	     "Directory for the output files (default ./NAME.out)", "DIR"},
	    {"cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, "Cache of translated modules",
	     "DIR"},
	    {"user", 'u', 0, G_OPTION_ARG_STRING, &user,
	     "Unprivileged user that runs the module (when run as root)", "NAME"},
	    {"max-memory", 0, 0, G_OPTION_ARG_INT64, &max_memory,
	     "Largest Memory a manifest may ask for, in bytes", "BYTES"},
	    {"max-timeout", 0, 0, G_OPTION_ARG_INT64, &max_timeout,
	     "Largest Timeout a manifest may ask for, in seconds", "SECONDS"},
	    {"data", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &data,
	     "Export host directory DIR as data root NAME (data:NAME/...), read as the user "
	     "running zvm; may be repeated",
	     "NAME=DIR"},
	    {NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new("BUNDLE - run one job bundle");
	g_option_context_set_summary(
	    context,
	    "Runs the bundle's program fenced, writes its outputs under DIR and "
	    "prints ZeroVM's six-line report.\nA bundle with boot/system.map runs all its nodes; "
	    "the report sums them up, then\none line per node follows: node NAME RC EXIT-STATE.\n"
	    "Exits 0 when the exit state is ok.");
	g_option_context_add_main_entries(context, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 2) {
		g_printerr("zvm run: %s\nUsage: zvm run [--config FILE] [--out DIR] "
			   "[--data NAME=DIR] BUNDLE\n",
			   error ? error->message : "name one bundle");
		return ZVM_STATUS_USAGE;
	}
	g_auto(ZvmConfig) config;
	if (!zvm_config_load(&config, config_path, &error)) {
		g_printerr("zvm: %s\n", error->message);
		return ZVM_STATUS_USAGE;
	}
	zvm_config_find_helper(&config);
	/* zvm is single-threaded: fork the runner from here, without an exec. */
	config.sandbox.runner_main = zvm_runner_child_main;
	/* One run per process: a zygote would cost more than it saves. */
	config.sandbox.zygote = FALSE;
	config.sandbox.sync_outputs = FALSE;
	if (cache_dir) {
		g_free(config.sandbox.cache_dir);
		config.sandbox.cache_dir = g_steal_pointer(&cache_dir);
	}
	if (user) {
		g_free(config.sandbox.user);
		config.sandbox.user = g_steal_pointer(&user);
	}
	if (max_memory > 0)
		config.limits.max_memory = (uint64_t)MIN(max_memory, 4LL << 30);
	if (max_timeout > 0)
		config.limits.max_timeout = (uint32_t)MIN(max_timeout, G_MAXUINT32);
	for (char **d = data; d && *d; d++) {
		if (!zvm_config_add_data_root(&config, *d, &error)) {
			g_printerr("zvm: %s\n", error->message);
			return ZVM_STATUS_USAGE;
		}
	}
	if (!zvm_config_open_data_roots(&config, &error) ||
	    !zvm_sandbox_config_resolve(&config.sandbox, &error)) {
		g_printerr("zvm: %s\n", error->message);
		return ZVM_STATUS_USAGE;
	}
	if (out_dir == NULL)
		out_dir = default_out_dir(argv[1]);
	int status = run_bundle(&config, argv[1], out_dir);
	/* The job ran on a first tier's object: its optimized one is compiled before zvm
	 * exits, for the next run (translate.h). */
	fflush(stdout);
	if (zvm_translate_optimizing() > 0)
		g_printerr("zvm: compiling the program with -O2 for the next runs "
			   "(interrupting leaves that to the next run)\n");
	zvm_translate_wait_optimized();
	return status;
}
