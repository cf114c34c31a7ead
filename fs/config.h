/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The operator's config file (GKeyFile, default /etc/zvmfs.conf), shared by `zvm run` and
 * the zvmfs daemon: [limits] and [bundle] (channels/zvm-limits.h), [sandbox]
 * (sandbox/sandbox-config.h) and [gateway] (this file). Command-line options override it.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "../channels/zvm-limits.h"
#include "../sandbox/sandbox-config.h"

typedef struct {
	char *mountpoint;          /* default /mnt/zvm */
	char *state_dir;           /* default /var/lib/zvmfs as root, else $XDG_STATE_HOME/zvmfs */
	guint jobs;                /* concurrent jobs; default: number of cores */
	guint queue_length;        /* queued jobs before submissions are refused; default 1024 */
	guint retain_jobs;         /* ended jobs kept; older ones removed; 0 keeps all */
	guint64 retain_seconds;    /* ended jobs older than this are removed; 0 keeps all */
	char **data_roots;         /* "name=/host/dir" exports for data: channels; NULL for none */
} ZvmGatewayConfig;

typedef struct {
	char *path;                /* the file read, NULL when none was */
	ZvmLimits limits;
	ZvmSandboxConfig sandbox;
	ZvmGatewayConfig gateway;
} ZvmConfig;

/*
 * Fills @config with defaults, then reads @path. With @path NULL the default file is read if
 * it exists; a named file must exist.
 * Returns: FALSE with @error naming the file, group and key on a bad setting.
 */
gboolean zvm_config_load(ZvmConfig *config, const char *path, GError **error);
void zvm_config_clear(ZvmConfig *config);

/* When the configured zvm-sandbox is not there (a build tree, not installed), use the one
 * built beside the running program. */
void zvm_config_find_helper(ZvmConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ZvmConfig, zvm_config_clear)
