/* SPDX-License-Identifier: Apache-2.0 */
/* Loading the operator's config file for both programs; [gateway], [tenants] and [data] live
 * here. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "zvm-build-config.h"

static void gateway_init(ZvmGatewayConfig *gateway)
{
	gateway->mountpoint = g_strdup("/mnt/zvm");
	if (geteuid() == 0) {
		gateway->state_dir = g_strdup("/var/lib/zvmfs");
	} else {
		const char *state = g_getenv("XDG_STATE_HOME");
		gateway->state_dir = state && *state ? g_build_filename(state, "zvmfs", NULL)
						     : g_build_filename(g_get_home_dir(), ".local",
									"state", "zvmfs", NULL);
	}
	gateway->jobs = MAX(1, g_get_num_processors());
	gateway->queue_length = 1024;
	gateway->retain_jobs = 10000;
	gateway->retain_seconds = 30 * 24 * 3600;
	long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
	guint64 physical = pages > 0 && page_size > 0 ? (guint64)pages * (guint64)page_size
						      : G_GUINT64_CONSTANT(4) << 30;
	gateway->memory_budget = physical / 4 * 3;
}

/* [gateway] memory_budget: a size ("12G"), at least one wasm page. */
static gboolean get_budget(GKeyFile *keyfile, guint64 *target, GError **error)
{
	if (!g_key_file_has_key(keyfile, "gateway", "memory_budget", NULL))
		return TRUE;
	g_autofree char *text = g_key_file_get_string(keyfile, "gateway", "memory_budget", NULL);
	uint64_t value;
	if (text == NULL || !zvm_size_parse(g_strstrip(text), &value) || value < 65536) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[gateway] memory_budget must be a size of at least 64 KiB (bytes, or "
			    "with a unit: 512M, 12G)");
		return FALSE;
	}
	*target = value;
	return TRUE;
}

static gboolean get_group_uint(GKeyFile *keyfile, const char *group, const char *key, guint64 min,
			       guint64 max, guint64 *target, GError **error)
{
	if (!g_key_file_has_key(keyfile, group, key, NULL))
		return TRUE;
	g_autofree char *text = g_key_file_get_string(keyfile, group, key, NULL);
	guint64 value;
	if (text == NULL ||
	    !g_ascii_string_to_unsigned(g_strstrip(text), 10, min, max, &value, NULL)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[%s] %s must be a whole number from %" G_GUINT64_FORMAT
			    " to %" G_GUINT64_FORMAT,
			    group, key, min, max);
		return FALSE;
	}
	*target = value;
	return TRUE;
}

static gboolean get_uint(GKeyFile *keyfile, const char *key, guint64 min, guint64 max,
			 guint64 *target, GError **error)
{
	return get_group_uint(keyfile, "gateway", key, min, max, target, error);
}

static gboolean gateway_load(ZvmGatewayConfig *gateway, GKeyFile *keyfile, GError **error)
{
	static const char *const known[] = {"mountpoint",    "state_dir",   "jobs",
					    "queue_length",  "retain_jobs", "retain_seconds",
					    "memory_budget", NULL};
	if (!g_key_file_has_group(keyfile, "gateway"))
		return TRUE;
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, "gateway", NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		if (!g_strv_contains(known, *k)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				    "[gateway] has no setting '%s'", *k);
			return FALSE;
		}
	}
	for (const char *const *k = known; k < known + 2; k++) {
		g_autofree char *value = g_key_file_get_string(keyfile, "gateway", *k, NULL);
		if (value == NULL)
			continue;
		g_strstrip(value);
		if (!g_path_is_absolute(value)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "[gateway] %s must be an absolute path", *k);
			return FALSE;
		}
		char **target = *k == known[0] ? &gateway->mountpoint : &gateway->state_dir;
		g_free(*target);
		*target = g_steal_pointer(&value);
	}
	guint64 jobs = gateway->jobs, queue = gateway->queue_length, retain = gateway->retain_jobs,
		seconds = gateway->retain_seconds;
	if (!get_uint(keyfile, "jobs", 1, 1024, &jobs, error) ||
	    !get_uint(keyfile, "queue_length", 1, 1000000, &queue, error) ||
	    !get_uint(keyfile, "retain_jobs", 0, G_MAXUINT, &retain, error) ||
	    !get_uint(keyfile, "retain_seconds", 0, G_MAXUINT64, &seconds, error) ||
	    !get_budget(keyfile, &gateway->memory_budget, error))
		return FALSE;
	gateway->jobs = (guint)jobs;
	gateway->queue_length = (guint)queue;
	gateway->retain_jobs = (guint)retain;
	gateway->retain_seconds = seconds;
	return TRUE;
}

static void tenants_init(ZvmTenantsConfig *tenants)
{
	tenants->retain_jobs = 2500;
	tenants->queue_jobs = 256;
	tenants->output_bytes = G_GUINT64_CONSTANT(16) << 30;
	tenants->compile_seconds = 600;
	tenants->compile_window = 3600;
	tenants->staging_bytes = G_GUINT64_CONSTANT(4) << 30;
	tenants->staging_files = 16;
}

/* [tenants] staging_bytes: a size ("4G"), at least 1 MiB. */
static gboolean get_staging_bytes(GKeyFile *keyfile, guint64 *target, GError **error)
{
	if (!g_key_file_has_key(keyfile, "tenants", "staging_bytes", NULL))
		return TRUE;
	g_autofree char *text = g_key_file_get_string(keyfile, "tenants", "staging_bytes", NULL);
	uint64_t value;
	if (text == NULL || !zvm_size_parse(g_strstrip(text), &value) || value < (1 << 20)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[tenants] staging_bytes must be a size of at least 1 MiB (bytes, "
			    "or with a unit: 512M, 4G)");
		return FALSE;
	}
	*target = value;
	return TRUE;
}

static gboolean tenants_load(ZvmTenantsConfig *tenants, GKeyFile *keyfile, GError **error)
{
	static const char *const known[] = {
	    "retain_jobs",    "queue_jobs",    "output_bytes",	"compile_seconds",
	    "compile_window", "staging_bytes", "staging_files", NULL};
	if (!g_key_file_has_group(keyfile, "tenants"))
		return TRUE;
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, "tenants", NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		if (!g_strv_contains(known, *k)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				    "[tenants] has no setting '%s'", *k);
			return FALSE;
		}
	}
	guint64 retain = tenants->retain_jobs, queue = tenants->queue_jobs,
		compile = tenants->compile_seconds, window = tenants->compile_window,
		staging_files = tenants->staging_files;
	if (!get_group_uint(keyfile, "tenants", "retain_jobs", 0, G_MAXUINT, &retain, error) ||
	    !get_group_uint(keyfile, "tenants", "queue_jobs", 1, 1000000, &queue, error) ||
	    !get_group_uint(keyfile, "tenants", "compile_seconds", 0, G_MAXUINT, &compile, error) ||
	    !get_group_uint(keyfile, "tenants", "compile_window", 1, G_MAXUINT, &window, error) ||
	    !get_group_uint(keyfile, "tenants", "staging_files", 1, 100000, &staging_files,
			    error) ||
	    !get_staging_bytes(keyfile, &tenants->staging_bytes, error))
		return FALSE;
	tenants->staging_files = (guint)staging_files;
	if (g_key_file_has_key(keyfile, "tenants", "output_bytes", NULL)) {
		g_autofree char *text =
		    g_key_file_get_string(keyfile, "tenants", "output_bytes", NULL);
		uint64_t value;
		if (text == NULL || !zvm_size_parse(g_strstrip(text), &value)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "[tenants] output_bytes must be a size (bytes, or with a unit: "
				    "512M, 16G; 0 for no bound)");
			return FALSE;
		}
		tenants->output_bytes = value;
	}
	tenants->retain_jobs = (guint)retain;
	tenants->queue_jobs = (guint)queue;
	tenants->compile_seconds = (guint)compile;
	tenants->compile_window = (guint)window;
	return TRUE;
}

static void runner_init(ZvmRunnerConfig *runner)
{
	runner->kind = ZVM_RUNNER_KIND_LOCAL;
	runner->zvm = g_strdup(ZVM_INSTALLED);
	runner->poll_interval_ms = 250;
	runner->jobs = 256;
	runner->memory_overhead = 256u << 20;
}

static gboolean runner_uint(GKeyFile *keyfile, const char *key, guint min, guint max, guint *target,
			    GError **error)
{
	if (!g_key_file_has_key(keyfile, "runner", key, NULL))
		return TRUE;
	g_autofree char *text = g_key_file_get_string(keyfile, "runner", key, NULL);
	guint64 value;
	if (text == NULL ||
	    !g_ascii_string_to_unsigned(g_strstrip(text), 10, min, max, &value, NULL)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[runner] %s must be a whole number from %u to %u", key, min, max);
		return FALSE;
	}
	*target = (guint)value;
	return TRUE;
}

static gboolean runner_load(ZvmRunnerConfig *runner, GKeyFile *keyfile, GError **error)
{
	static const char *const known[] = {"kind",	"partition",	    "account",
					    "zvm",	"poll_interval_ms", "jobs",
					    "max_cpus", "memory_overhead",  NULL};
	if (!g_key_file_has_group(keyfile, "runner"))
		return TRUE;
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, "runner", NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		if (!g_strv_contains(known, *k)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				    "[runner] has no setting '%s'", *k);
			return FALSE;
		}
	}
	g_autofree char *kind = g_key_file_get_string(keyfile, "runner", "kind", NULL);
	if (kind && g_str_equal(g_strstrip(kind), "slurm")) {
		runner->kind = ZVM_RUNNER_KIND_SLURM;
	} else if (kind && !g_str_equal(kind, "local")) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[runner] kind must be local or slurm");
		return FALSE;
	}
	static const char *const names[] = {"partition", "account", "zvm"};
	char **targets[] = {&runner->partition, &runner->account, &runner->zvm};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *value = g_key_file_get_string(keyfile, "runner", names[i], NULL);
		if (value == NULL)
			continue;
		g_strstrip(value);
		/* Handed to sbatch as one argument each; the node runs the zvm path. */
		gboolean ok = *value != '\0' && strpbrk(value, " \t\n,;'\"\\") == NULL &&
			      (i != 2 || g_path_is_absolute(value));
		if (!ok) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "[runner] %s must be %s without spaces, commas or quotes",
				    names[i], i == 2 ? "an absolute path" : "a name");
			return FALSE;
		}
		g_free(*targets[i]);
		*targets[i] = g_steal_pointer(&value);
	}
	if (!runner_uint(keyfile, "poll_interval_ms", 10, 60000, &runner->poll_interval_ms,
			 error) ||
	    !runner_uint(keyfile, "jobs", 1, 100000, &runner->jobs, error) ||
	    !runner_uint(keyfile, "max_cpus", 0, 4096, &runner->max_cpus, error))
		return FALSE;
	if (g_key_file_has_key(keyfile, "runner", "memory_overhead", NULL)) {
		g_autofree char *text =
		    g_key_file_get_string(keyfile, "runner", "memory_overhead", NULL);
		uint64_t value;
		if (text == NULL || !zvm_size_parse(g_strstrip(text), &value) ||
		    value > (G_GUINT64_CONSTANT(1) << 40)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "[runner] memory_overhead must be a size (512M, 1G)");
			return FALSE;
		}
		runner->memory_overhead = value;
	}
	return TRUE;
}

/* Adds or replaces the export @name = @dir, checking its form (not the disk). */
static gboolean add_data_root(ZvmConfig *config, const char *where, const char *name,
			      const char *dir, GError **error)
{
	if (!zvm_data_root_name_is_valid(name)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s '%s' is not a valid data root name (1 to 64 letters, digits, '_' "
			    "or '-', starting with a letter or digit)",
			    where, name);
		return FALSE;
	}
	if (!g_path_is_absolute(dir)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s %s must be an absolute path", where, name);
		return FALSE;
	}
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	size_t length = strlen(name);
	for (char **r = config->data_roots; r && *r; r++) {
		if (strncmp(*r, name, length) != 0 || (*r)[length] != '=')
			g_strv_builder_add(builder, *r);
	}
	g_autofree char *export = g_strconcat(name, "=", dir, NULL);
	g_strv_builder_add(builder, export);
	g_strfreev(config->data_roots);
	config->data_roots = g_strv_builder_end(builder);
	return TRUE;
}

static gboolean data_load(ZvmConfig *config, GKeyFile *keyfile, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, "data", NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		g_autofree char *dir = g_key_file_get_string(keyfile, "data", *k, NULL);
		if (!add_data_root(config, "[data]", *k, dir ? g_strstrip(dir) : "", error))
			return FALSE;
	}
	return TRUE;
}

gboolean zvm_config_add_data_root(ZvmConfig *config, const char *export, GError **error)
{
	const char *eq = strchr(export, '=');
	if (eq == NULL) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "--data %s: expected NAME=DIR", export);
		return FALSE;
	}
	g_autofree char *name = g_strndup(export, eq - export);
	return add_data_root(config, "--data", name, eq + 1, error);
}

gboolean zvm_config_open_data_roots(ZvmConfig *config, GError **error)
{
	g_autoptr(ZvmDataRoots) roots = zvm_data_roots_new();
	for (char **r = config->data_roots; r && *r; r++) {
		const char *eq = strchr(*r, '=');
		g_autofree char *name = g_strndup(*r, eq - *r);
		if (!zvm_data_roots_add(roots, name, eq + 1, error))
			return FALSE;
	}
	zvm_data_roots_free(config->data);
	config->data = g_steal_pointer(&roots);
	config->sandbox.data_roots = config->data;
	return TRUE;
}

gboolean zvm_config_load(ZvmConfig *config, const char *path, GError **error)
{
	*config = (ZvmConfig){0};
	zvm_limits_init(&config->limits);
	zvm_sandbox_config_init(&config->sandbox);
	gateway_init(&config->gateway);
	tenants_init(&config->tenants);
	runner_init(&config->runner);

	const char *file = path ? path : ZVM_DEFAULT_CONFIG;
	if (path == NULL && !g_file_test(file, G_FILE_TEST_EXISTS))
		return TRUE;

	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) local = NULL;
	if (!g_key_file_load_from_file(keyfile, file, G_KEY_FILE_NONE, &local) ||
	    !zvm_limits_load(&config->limits, keyfile, &local) ||
	    !zvm_sandbox_config_load(&config->sandbox, keyfile, &local) ||
	    !gateway_load(&config->gateway, keyfile, &local) ||
	    !tenants_load(&config->tenants, keyfile, &local) ||
	    !runner_load(&config->runner, keyfile, &local) || !data_load(config, keyfile, &local)) {
		g_set_error(error, local->domain, local->code, "%s: %s", file, local->message);
		return FALSE;
	}
	static const char *const groups[] = {"limits",	"bundle", "sandbox", "gateway",
					     "tenants", "runner", "data",    NULL};
	g_auto(GStrv) present = g_key_file_get_groups(keyfile, NULL);
	for (char **g = present; g && *g; g++) {
		if (!g_strv_contains(groups, *g)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
				    "%s: unknown group [%s] (known: limits, bundle, sandbox, "
				    "gateway, tenants, runner, data)",
				    file, *g);
			return FALSE;
		}
	}
	config->path = g_strdup(file);
	return TRUE;
}

void zvm_config_find_helper(ZvmConfig *config)
{
	if (g_file_test(config->sandbox.sandbox_helper, G_FILE_TEST_IS_EXECUTABLE))
		return;
	/* Not installed yet: a build tree keeps zvm-sandbox in sandbox/ beside fs/. */
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	if (self == NULL)
		return;
	g_autofree char *dir = g_path_get_dirname(self);
	g_autofree char *candidate = g_build_filename(dir, "..", "sandbox", "zvm-sandbox", NULL);
	if (g_file_test(candidate, G_FILE_TEST_IS_EXECUTABLE)) {
		g_free(config->sandbox.sandbox_helper);
		config->sandbox.sandbox_helper = g_canonicalize_filename(candidate, NULL);
	}
}

void zvm_config_clear(ZvmConfig *config)
{
	g_clear_pointer(&config->path, g_free);
	zvm_sandbox_config_clear(&config->sandbox);
	g_clear_pointer(&config->gateway.mountpoint, g_free);
	g_clear_pointer(&config->gateway.state_dir, g_free);
	g_clear_pointer(&config->runner.partition, g_free);
	g_clear_pointer(&config->runner.account, g_free);
	g_clear_pointer(&config->runner.zvm, g_free);
	g_clear_pointer(&config->data_roots, g_strfreev);
	config->sandbox.data_roots = NULL;
	g_clear_pointer(&config->data, zvm_data_roots_free);
}
