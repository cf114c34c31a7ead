/* SPDX-License-Identifier: Apache-2.0 */
/* zvm cache warm: translates bundles' programs or bare modules into the translation cache
 * ahead of the jobs that will run them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "../../channels/bundle.h"
#include "../../sandbox/engine.h"
#include "../common/config.h"
#include "../common/state-file.h"
#include "zvm-commands.h"
#include "zvm-build-config.h"

static void print_progress(guint done, guint total, gpointer user_data)
{
	g_printerr("%s: translating: %u of %u units\n", (const char *)user_data, done, total);
}

static gboolean warm_module(ZvmConfig *config, const char *path, GBytes *bytes, GError **error)
{
	const ZvmModuleBounds bounds = {.max_memory_bytes = config->limits.max_memory};
	ZvmModuleInfo info;
	gsize length;
	const guint8 *data = g_bytes_get_data(bytes, &length);
	g_autoptr(GBytes) module = zvm_module_check(data, length, &bounds, &info, error);
	if (module == NULL)
		return FALSE;
	const ZvmTranslateProgress progress = {print_progress, (gpointer)path};
	gboolean cached = FALSE;
	g_autofree char *so =
	    zvm_translate_with_progress(&config->sandbox, module, &progress, &cached, error);
	if (so != NULL)
		printf("%s: %s %s\n", path, cached ? "cached" : "translated", so);
	return so != NULL;
}

static gboolean warm_bundle(ZvmConfig *config, const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot open: %s",
			    g_strerror(errno));
		return FALSE;
	}
	g_autofree char *work = g_dir_make_tmp("zvm-cache-XXXXXX", error);
	gboolean ok = work != NULL && zvm_bundle_extract(fd, work, &config->limits, error);
	close(fd);
	if (ok) {
		g_autoptr(ZvmJob) job =
		    zvm_job_open(work, &config->limits, &config->sandbox, NULL, error);
		const ZvmJobHooks hooks = {.translating = print_progress};
		if (job != NULL)
			zvm_job_set_hooks(job, &hooks, (gpointer)path);
		ok = job != NULL && zvm_job_translate(job, error);
		if (ok)
			printf("%s: translated\n", path);
	}
	if (work != NULL)
		zvm_state_remove_tree(work, NULL);
	return ok;
}

/* A module is told from a bundle by wasm's magic number. */
static gboolean warm_one(ZvmConfig *config, const char *path, GError **error)
{
	char magic[4] = {0};
	FILE *file = fopen(path, "rbe");
	if (file == NULL) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot open: %s",
			    g_strerror(errno));
		return FALSE;
	}
	gboolean is_module = fread(magic, 1, 4, file) == 4 && memcmp(magic, "\0asm", 4) == 0;
	fclose(file);
	if (!is_module)
		return warm_bundle(config, path, error);
	g_autofree char *data = NULL;
	gsize length = 0;
	if (!g_file_get_contents(path, &data, &length, error))
		return FALSE;
	g_autoptr(GBytes) bytes = g_bytes_new_take(g_steal_pointer(&data), length);
	return warm_module(config, path, bytes, error);
}

int zvm_command_cache(int argc, char **argv)
{
	g_autofree char *config_path = NULL, *cache_dir = NULL;
	GOptionEntry entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
	     "Operator config file (default " ZVM_DEFAULT_CONFIG ")", "FILE"},
	    {"cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, "Cache of translated modules",
	     "DIR"},
	    {NULL},
	};
	g_autoptr(GOptionContext) context =
	    g_option_context_new("warm BUNDLE|MODULE... - pre-translate into the cache");
	g_option_context_set_summary(
	    context, "Checks and translates each bundle's programs (every node of a system map) "
		     "or each bare\nwasm module into the translation cache, as a job would, and "
		     "runs nothing.\nExits 0 when every one is in the cache.");
	g_option_context_add_main_entries(context, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error) || argc < 3 ||
	    strcmp(argv[1], "warm") != 0) {
		g_printerr("zvm cache: %s\nUsage: zvm cache warm [--config FILE] [--cache-dir DIR] "
			   "BUNDLE|MODULE...\n",
			   error ? error->message : "say warm and name a bundle or module");
		return ZVM_STATUS_USAGE;
	}
	g_auto(ZvmConfig) config;
	if (!zvm_config_load(&config, config_path, &error)) {
		g_printerr("zvm: %s\n", error->message);
		return ZVM_STATUS_USAGE;
	}
	if (cache_dir) {
		g_free(config.sandbox.cache_dir);
		config.sandbox.cache_dir = g_steal_pointer(&cache_dir);
	}
	if (!zvm_config_open_data_roots(&config, &error) ||
	    !zvm_sandbox_config_resolve(&config.sandbox, &error)) {
		g_printerr("zvm: %s\n", error->message);
		return ZVM_STATUS_USAGE;
	}
	int status = ZVM_STATUS_OK;
	for (int i = 2; i < argc; i++) {
		g_autoptr(GError) local = NULL;
		if (!warm_one(&config, argv[i], &local)) {
			g_printerr("zvm cache warm: %s: %s\n", argv[i], local->message);
			status = ZVM_STATUS_FAILED;
		}
	}
	/* A module cut in units is cached at -O0 first: warm means its -O2 object too. */
	zvm_translate_wait_optimized();
	return status;
}
