/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The operator's config file (GKeyFile, default /etc/zvmfs.conf), shared by `zvm run` and
 * the zvmfs daemon: [limits] and [bundle] (channels/zvm-limits.h), [sandbox]
 * (sandbox/sandbox-config.h), [gateway], [tenants], [runner] and [data] (this file).
 * Command-line options override it.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "../../channels/zvm-limits.h"
#include "../../sandbox/engine.h"

typedef struct {
	char *mountpoint;   /* default /mnt/zvm */
	char *state_dir;    /* default /var/lib/zvmfs as root, else $XDG_STATE_HOME/zvmfs */
	guint jobs;	    /* concurrent jobs; default: number of cores */
	guint queue_length; /* queued jobs before submissions are refused; default 1024 */
	/* Ended jobs kept in the whole store; beyond it the user holding the most loses their
	 * oldest first ([tenants] retain_jobs is the bound that counts per user); 0 keeps all */
	guint retain_jobs;
	guint64 retain_seconds; /* ended jobs older than this are removed; 0 keeps all */
	/* Bytes of declared Memory (every node's) the running jobs may hold together; a job
	 * waits in the queue until it fits. Default: 3/4 of the physical memory. */
	guint64 memory_budget;
} ZvmGatewayConfig;

/* [tenants]: what each user may hold of the shared gateway (docs/configuration.md). A user
 * over a bound is refused or waits; nothing of another user's is touched. */
typedef struct {
	guint retain_jobs;     /* ended jobs kept per user, newest first; 0 keeps all */
	guint queue_jobs;      /* queued jobs per user before their submissions get EAGAIN */
	guint64 output_bytes;  /* outputs of a user's kept jobs before submissions get EDQUOT;
				* 0: no bound */
	guint compile_seconds; /* compile time per window before their jobs wait behind the
				* other users'; 0: no bound */
	guint compile_window;  /* seconds of that window */
	/* Bytes and files one user may hold in submit/'s staging files at once (never-finished
	 * uploads included); past either a write or create fails with EDQUOT. Default 4 GiB,
	 * 16 files. */
	guint64 staging_bytes;
	guint staging_files;
} ZvmTenantsConfig;

/* [runner]: who runs the gateway's jobs (fs/runner.h, docs/operations.md). */
typedef enum {
	ZVM_RUNNER_KIND_LOCAL, /* here, through the engine ([gateway] jobs at once) */
	ZVM_RUNNER_KIND_SLURM, /* each job a Slurm job running `zvm run-job` on a node */
} ZvmRunnerKind;

typedef struct {
	ZvmRunnerKind kind;	 /* kind = local | slurm; default local */
	char *partition;	 /* sbatch --partition; NULL: Slurm's default */
	char *account;		 /* sbatch --account; NULL: none */
	char *zvm;		 /* the zvm program on the nodes; default the installed one */
	guint poll_interval_ms;	 /* one squeue call for all jobs this often; default 250 */
	guint jobs;		 /* Slurm jobs in flight at once; default 256 */
	guint max_cpus;		 /* CPUs one job asks for at most (a map asks one a node);
				  * 0: no cap */
	guint64 memory_overhead; /* added to a job's declared Memory for --mem; default 256M */
} ZvmRunnerConfig;

typedef struct {
	char *path; /* the file read, NULL when none was */
	ZvmLimits limits;
	ZvmSandboxConfig sandbox;
	ZvmGatewayConfig gateway;
	ZvmTenantsConfig tenants;
	ZvmRunnerConfig runner;
	/* [data] NAME = /host/dir, then --data NAME=DIR: "NAME=/host/dir" strings, a later one
	 * replacing an earlier NAME; NULL for none. Checked for form only when loaded. */
	char **data_roots;
	/* The exports opened by zvm_config_open_data_roots(); sandbox.data_roots points here. */
	ZvmDataRoots *data;
} ZvmConfig;

/*
 * Fills @config with defaults, then reads @path. With @path NULL the default file is read if
 * it exists; a named file must exist.
 * Returns: FALSE with @error naming the file, group and key on a bad setting.
 */
gboolean zvm_config_load(ZvmConfig *config, const char *path, GError **error);
void zvm_config_clear(ZvmConfig *config);

/*
 * Exports one more data root, "NAME=DIR" (the --data option), replacing one of that name.
 * Returns: FALSE with @error when NAME is not a valid root name or DIR is not absolute.
 */
gboolean zvm_config_add_data_root(ZvmConfig *config, const char *export, GError **error);

/*
 * Checks every data root at start (an existing directory) and hands them to the engine
 * (config->sandbox.data_roots).
 * Returns: FALSE with @error naming the root and its directory.
 */
gboolean zvm_config_open_data_roots(ZvmConfig *config, GError **error);

/* When the configured zvm-sandbox is not there (a build tree, not installed), use the one
 * built beside the running program. */
void zvm_config_find_helper(ZvmConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ZvmConfig, zvm_config_clear)
