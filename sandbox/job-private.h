/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the engine (job.h): a job is one node (a bundle with a `manifest`) or several
 * (a bundle with `boot/system.map`). job.c opens, prepares and runs one node; job-nodes.c
 * expands a system map into nodes and runs them together, joined by pipes.
 */
#pragma once

#include "job.h"

#include "../channels/nvram.h"
#include "../channels/sysmap.h"
#include "runner.h"

typedef struct {
	char *name; /* "mapper-2"; NULL for a single-manifest job */
	char *manifest_text;
	gsize manifest_length;
	ZvmManifest *manifest;
	ZvmNvram *nvram;	/* NULL when the node has none */
	uint32_t initial_pages; /* of its module's linear memory, once prepared */
	volatile gint pid;	/* its runner while it runs, else 0 */
	ZvmRunLive live;	/* the runner's counters while it runs */
	guint live_channels;	/* under live.lock: entries of live.counters */
	int64_t input_bytes;	/* under live.lock: ZvmJobProgress.input_bytes */
} ZvmJobNode;

struct _ZvmJob {
	char *bundle_dir;
	ZvmLimits limits; /* data_roots: the names of config->data_roots */
	const ZvmSandboxConfig *config;
	ZvmIdentity *owner;    /* who reads the data: files */
	GPtrArray *nodes;      /* ZvmJobNode*, at least one */
	gboolean multi;	       /* from a system map: outputs and reports per node */
	GPtrArray *node_names; /* char* (borrowed from nodes), NULL-terminated */
	GPtrArray *outputs;    /* char*, NULL-terminated */
	char *expansion;       /* zvm_job_get_expansion(), or NULL */
	ZvmJobHooks hooks;
	gpointer user_data;
	volatile gint killed;
	volatile gint running_reported;
};

/* Checks that what @node's manifest names is in the bundle, reads its nvram (unless it has
 * one), and appends its outputs to the job's (not terminated). */
gboolean zvm_job_node_check(ZvmJob *job, ZvmJobNode *node, GError **error);

/* A new node, appended to the job's. */
ZvmJobNode *zvm_job_node_new(ZvmJob *job);

/* Expands the bundle's system map into the job's nodes (job-nodes.c); wildcards of data:
 * paths are expanded as the job's owner, or taken from @expansion (may be NULL). */
gboolean zvm_job_open_sysmap(ZvmJob *job, const char *expansion, GError **error);

typedef enum {
	ZVM_JOB_PREPARED,	    /* *module_path and *program are set */
	ZVM_JOB_PREPARE_FAILED,	    /* the program was refused: in @report */
	ZVM_JOB_PREPARE_HOST_ERROR, /* @error set, and the reason in @report */
} ZvmJobPrepared;

/* Reads, checks and translates @node's program. */
ZvmJobPrepared zvm_job_node_prepare(ZvmJob *job, ZvmJobNode *node, char **module_path,
				    GBytes **program, ZvmReport *report, GError **error);

/*
 * Opens @node's channels and runs it to its end. @pipes (NULL for a single node) maps each
 * pipe URI to its two ends, int[2]; the node takes the ends it uses (setting them to -1) and
 * closes them once its runner holds them. Returns as zvm_job_run().
 */
gboolean zvm_job_node_run(ZvmJob *job, ZvmJobNode *node, const char *module_path, GBytes *program,
			  const char *out_dir, GHashTable *pipes, ZvmReport *report,
			  GError **error);

/* zvm_job_run() of a system map (job-nodes.c). */
gboolean zvm_job_run_nodes(ZvmJob *job, const char *out_dir, ZvmReport *report, GError **error);
