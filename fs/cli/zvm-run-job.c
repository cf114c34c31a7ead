/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `zvm run-job SPOOL`: the node side of the Slurm runner (fs/runner-slurm.c). Runs the job
 * the gateway left in SPOOL (bundle/, expansion) through the engine as the calling user,
 * writes its outputs to SPOOL/out and, last, its report to SPOOL/report (runner-report.h).
 */
#include <stdio.h>
#include <unistd.h>

#include "../../sandbox/engine.h"
#include "../common/config.h"
#include "../common/runner-report.h"
#include "zvm-build-config.h"
#include "zvm-commands.h"

/* A system map's wildcard expansion is a few lines a node. */
#define EXPANSION_MAX (4 * 1024 * 1024)

static void run(ZvmConfig *config, const char *spool, ZvmReport *report)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *bundle = g_build_filename(spool, "bundle", NULL);
	g_autofree char *out = g_build_filename(spool, "out", NULL);
	g_autofree char *expansion_path = g_build_filename(spool, "expansion", NULL);
	g_autofree char *expansion = NULL;
	gsize length = 0;
	if (g_file_test(expansion_path, G_FILE_TEST_EXISTS) &&
	    (!g_file_get_contents(expansion_path, &expansion, &length, &error) ||
	     length > EXPANSION_MAX)) {
		zvm_report_set_failure(report, ZVM_EXIT_MANIFEST,
				       error ? error->message : "expansion too large");
		return;
	}
	/* The data: files are read as the user Slurm runs this as: the job's owner. */
	g_autoptr(ZvmJob) job = zvm_job_open_expanded(bundle, &config->limits, &config->sandbox,
						      NULL, expansion, &error);
	if (job == NULL) {
		zvm_report_set_failure(report, ZVM_EXIT_MANIFEST, error->message);
		return;
	}
	if (!zvm_job_run(job, out, report, &error)) {
		g_printerr("zvm run-job: %s\n", error->message);
		if (report->exit_state == NULL)
			zvm_report_set_failure(report, ZVM_EXIT_SIGNAL, error->message);
	}
}

int zvm_command_run_job(int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	g_auto(GStrv) data = NULL;
	GOptionEntry entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
	     "The gateway's config file (default " ZVM_DEFAULT_CONFIG ")", "FILE"},
	    {"data", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &data,
	     "Export host directory DIR as data root NAME; may be repeated", "NAME=DIR"},
	    {NULL},
	};
	g_autoptr(GOptionContext) context =
	    g_option_context_new("SPOOL - run one job a gateway's Slurm runner left");
	g_option_context_add_main_entries(context, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 2) {
		g_printerr("zvm run-job: %s\nUsage: zvm run-job [--config FILE] "
			   "[--data NAME=DIR] SPOOL\n",
			   error ? error->message : "name one spool directory");
		return ZVM_STATUS_USAGE;
	}
	const char *spool = argv[1];
	g_autofree char *report_path = g_build_filename(spool, "report", NULL);
	g_auto(ZvmConfig) config;
	g_auto(ZvmReport) report = {0};
	gboolean configured = zvm_config_load(&config, config_path, &error);
	for (char **d = data; configured && d && *d; d++)
		configured = zvm_config_add_data_root(&config, *d, &error);
	if (configured) {
		zvm_config_find_helper(&config);
		/* Single-threaded, one run: fork the runner from here, no zygote. */
		config.sandbox.runner_main = zvm_runner_child_main;
		config.sandbox.zygote = FALSE;
		/* The outputs are on the gateway's disk before the report says they are whole. */
		config.sandbox.sync_outputs = TRUE;
		/* A job's owner cannot write root's cache: theirs is on the node, by uid. */
		if (geteuid() != 0) {
			g_free(config.sandbox.cache_dir);
			g_autofree char *name =
			    g_strdup_printf("zvmfs-cache-%u", (unsigned)geteuid());
			config.sandbox.cache_dir = g_build_filename(g_get_tmp_dir(), name, NULL);
		}
		configured = zvm_config_open_data_roots(&config, &error) &&
			     zvm_sandbox_config_resolve(&config.sandbox, &error);
	}
	if (!configured)
		zvm_report_set_failure(&report, ZVM_EXIT_SIGNAL, error->message);
	else
		run(&config, spool, &report);
	g_clear_error(&error);
	if (!zvm_runner_report_write(report_path, &report, &error)) {
		g_printerr("zvm run-job: %s\n", error->message);
		return ZVM_STATUS_FAILED;
	}
	return ZVM_STATUS_OK;
}
