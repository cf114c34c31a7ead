/* SPDX-License-Identifier: Apache-2.0 */
/* The [sandbox] settings: defaults, loading from the config file, resolving the user. */
#include "sandbox-config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "uid-range.h"
#include "zvm-build-config.h"

void zvm_sandbox_config_init(ZvmSandboxConfig *config)
{
	*config = (ZvmSandboxConfig){0};
	config->user = g_strdup("zvmfs");
	config->compile_user = g_strdup("zvmfs-cc");
	config->drop_privileges = geteuid() == 0;
	config->uid = geteuid();
	config->gid = getegid();
	config->compile_uid = geteuid();
	config->compile_gid = getegid();
	if (geteuid() == 0)
		config->cache_dir = g_strdup("/var/cache/zvmfs");
	else
		config->cache_dir = g_build_filename(g_get_user_cache_dir(), "zvmfs", NULL);
	config->cache_max_bytes = 1ULL << 30;
	config->wasm2c = g_strdup("wasm2c");
	config->cc = g_strdup("cc");
	config->compile_timeout = 120;
	config->compile_memory = 2ULL << 30;
	config->compile_output = 512ULL << 20;
	config->compile_split_bytes = 8ULL << 20;
	config->compile_jobs = 2;
	/* Half the cores: one compile's compile_jobs runs fill two of them. */
	config->max_compiles = MAX(1, g_get_num_processors() / 2);
	config->failed_compile_ttl = 600;
	config->compile_fast_cc = g_strdup("clang");
	config->compile_optimize_timeout = 3600;
	config->sandbox_helper = g_strdup(ZVM_SANDBOX_INSTALLED);
	config->sync_outputs = TRUE;
	config->zygote = TRUE;
}

void zvm_sandbox_config_clear(ZvmSandboxConfig *config)
{
	g_clear_pointer(&config->user, g_free);
	g_clear_pointer(&config->compile_user, g_free);
	g_clear_pointer(&config->cache_dir, g_free);
	g_clear_pointer(&config->wasm2c, g_free);
	g_clear_pointer(&config->cc, g_free);
	g_clear_pointer(&config->compile_fast_cc, g_free);
	g_clear_pointer(&config->sandbox_helper, g_free);
}

static gboolean load_string(GKeyFile *keyfile, const char *key, char **target, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *value = g_key_file_get_string(keyfile, "sandbox", key, &local);
	if (value == NULL)
		return TRUE;
	if (*value == '\0') {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[sandbox] %s must not be empty", key);
		return FALSE;
	}
	g_free(*target);
	*target = g_steal_pointer(&value);
	return TRUE;
}

static gboolean load_number(GKeyFile *keyfile, const char *key, uint64_t min, uint64_t *target,
			    GError **error)
{
	if (!g_key_file_has_key(keyfile, "sandbox", key, NULL))
		return TRUE;
	g_autofree char *text = g_key_file_get_string(keyfile, "sandbox", key, NULL);
	guint64 value;
	if (text == NULL ||
	    !g_ascii_string_to_unsigned(g_strstrip(text), 10, 0, G_MAXUINT64, &value, NULL) ||
	    value < min) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[sandbox] %s must be a whole number >= %" G_GUINT64_FORMAT, key, min);
		return FALSE;
	}
	*target = value;
	return TRUE;
}

gboolean zvm_sandbox_config_load(ZvmSandboxConfig *config, GKeyFile *keyfile, GError **error)
{
	static const char *const known[] = {"user",
					    "compile_user",
					    "uid_range",
					    "cache_dir",
					    "cache_max_bytes",
					    "wasm2c",
					    "cc",
					    "compile_timeout",
					    "compile_memory",
					    "compile_output",
					    "compile_split_bytes",
					    "compile_jobs",
					    "compile_fast_cc",
					    "compile_optimize_timeout",
					    "sandbox_helper",
					    "zygote",
					    "max_compiles",
					    "failed_compile_ttl",
					    NULL};
	if (!g_key_file_has_group(keyfile, "sandbox"))
		return TRUE;
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, "sandbox", NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		if (!g_strv_contains(known, *k)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				    "[sandbox] has no setting '%s'", *k);
			return FALSE;
		}
	}
	uint64_t timeout = config->compile_timeout;
	uint64_t jobs = config->compile_jobs;
	uint64_t max_compiles = config->max_compiles;
	uint64_t failed_ttl = config->failed_compile_ttl;
	uint64_t optimize_timeout = config->compile_optimize_timeout;
	if (!load_string(keyfile, "user", &config->user, error) ||
	    !load_string(keyfile, "compile_user", &config->compile_user, error) ||
	    !load_string(keyfile, "cache_dir", &config->cache_dir, error) ||
	    !load_string(keyfile, "wasm2c", &config->wasm2c, error) ||
	    !load_string(keyfile, "cc", &config->cc, error) ||
	    !load_string(keyfile, "sandbox_helper", &config->sandbox_helper, error) ||
	    !load_number(keyfile, "cache_max_bytes", 1 << 20, &config->cache_max_bytes, error) ||
	    !load_number(keyfile, "compile_timeout", 1, &timeout, error) ||
	    !load_number(keyfile, "compile_memory", 64 << 20, &config->compile_memory, error) ||
	    !load_number(keyfile, "compile_output", 1 << 20, &config->compile_output, error) ||
	    !load_number(keyfile, "compile_split_bytes", 1024, &config->compile_split_bytes,
			 error) ||
	    !load_number(keyfile, "compile_jobs", 1, &jobs, error) ||
	    !load_number(keyfile, "max_compiles", 1, &max_compiles, error) ||
	    !load_number(keyfile, "failed_compile_ttl", 0, &failed_ttl, error) ||
	    !load_number(keyfile, "compile_optimize_timeout", 1, &optimize_timeout, error) ||
	    !load_string(keyfile, "compile_fast_cc", &config->compile_fast_cc, error))
		return FALSE;
	config->compile_optimize_timeout = (uint32_t)MIN(optimize_timeout, G_MAXUINT32);
	if (config->compile_fast_cc != NULL && strcmp(config->compile_fast_cc, "none") == 0)
		g_clear_pointer(&config->compile_fast_cc, g_free);
	if (jobs > 64 || max_compiles > 64) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[sandbox] %s must be at most 64",
			    jobs > 64 ? "compile_jobs" : "max_compiles");
		return FALSE;
	}
	config->compile_jobs = (uint32_t)jobs;
	config->max_compiles = (uint32_t)max_compiles;
	config->failed_compile_ttl = (uint32_t)MIN(failed_ttl, G_MAXUINT32);
	if (g_key_file_has_key(keyfile, "sandbox", "zygote", NULL)) {
		g_autoptr(GError) local = NULL;
		gboolean zygote = g_key_file_get_boolean(keyfile, "sandbox", "zygote", &local);
		if (local != NULL) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "[sandbox] zygote must be true or false");
			return FALSE;
		}
		config->zygote = zygote;
	}
	config->compile_timeout = (uint32_t)MIN(timeout, G_MAXUINT32);
	g_autofree char *range = g_key_file_get_string(keyfile, "sandbox", "uid_range", NULL);
	if (range != NULL && *g_strstrip(range) != '\0' &&
	    !zvm_uid_range_parse(range, &config->uid_first, &config->uid_last, error))
		return FALSE;
	if (range != NULL && *range == '\0')
		config->uid_first = config->uid_last = 0;
	return TRUE;
}

/* The uid and gid of @name, an unprivileged user that exists; @role says what it runs. */
static gboolean resolve_user(const char *name, const char *role, const char *key, uid_t *uid,
			     gid_t *gid, GError **error)
{
	struct passwd *pw = getpwnam(name);
	if (pw == NULL) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			    "the unprivileged user '%s' that runs %s does not exist "
			    "(create it with `useradd --system --no-create-home %s`, or set "
			    "[sandbox] %s in the config file)",
			    name, role, name, key);
		return FALSE;
	}
	if (pw->pw_uid == 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
			    "the user '%s' that runs %s is root; %s never run as root", name, role,
			    role);
		return FALSE;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return TRUE;
}

/* The range must be nobody's: an account or group in it would share its uid with jobs. */
static gboolean check_uid_range(const ZvmSandboxConfig *config, GError **error)
{
	g_autofree char *owner = NULL;
	setpwent();
	for (struct passwd *pw; owner == NULL && (pw = getpwent()) != NULL;)
		if (pw->pw_uid >= config->uid_first && pw->pw_uid <= config->uid_last)
			owner = g_strdup_printf("user '%s'", pw->pw_name);
	endpwent();
	setgrent();
	for (struct group *gr; owner == NULL && (gr = getgrent()) != NULL;)
		if (gr->gr_gid >= config->uid_first && gr->gr_gid <= config->uid_last)
			owner = g_strdup_printf("group '%s'", gr->gr_name);
	endgrent();
	if (owner != NULL) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
			    "[sandbox] uid_range %u-%u holds the %s; the range must be unused",
			    config->uid_first, config->uid_last, owner);
		return FALSE;
	}
	return TRUE;
}

gboolean zvm_sandbox_config_resolve(ZvmSandboxConfig *config, GError **error)
{
	if (config->drop_privileges) {
		if (!resolve_user(config->user, "modules", "user", &config->uid, &config->gid,
				  error) ||
		    !resolve_user(config->compile_user, "the compilers", "compile_user",
				  &config->compile_uid, &config->compile_gid, error))
			return FALSE;
		if (config->uid == config->compile_uid) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
				    "[sandbox] user '%s' and compile_user '%s' are one user; a "
				    "module that escaped could then change what root publishes",
				    config->user, config->compile_user);
			return FALSE;
		}
		if (config->uid_last != 0 && !check_uid_range(config, error))
			return FALSE;
	}
	/* 0700: the translations are read by root (and handed to runners as descriptors); also
	 * when an older version made it 0755. */
	if (g_mkdir_with_parents(config->cache_dir, 0700) < 0 ||
	    (config->drop_privileges && g_chmod(config->cache_dir, 0700) < 0)) {
		int saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
			    "cannot create the module cache %s: %s", config->cache_dir,
			    g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}
