/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine's contract with fs/: the one sandbox/ header the gateway (fs/store, fs/fuse),
 * the CLI (fs/cli) and their common code (fs/common) include. What they use of the engine:
 *
 *   job.h             a job from an extracted bundle to ZeroVM's report: zvm_job_open(),
 *                     zvm_job_run(), zvm_job_kill(), its width, memory, nodes and outputs,
 *                     progress, ZvmReport and ZVM_JOB_ERROR
 *   sandbox-config.h  the [sandbox] settings (ZvmSandboxConfig) the configuration file fills
 *   translate.h       `zvm cache warm` and `zvm run`'s wait for the optimized translation
 *   module.h          `zvm cache`'s module check before a translation
 *   fd-io.h           whole writes on descriptors (the CLI's clients)
 *   and, declared here, zvm_runner_child_main() (the runner a program that forks itself
 *   names) and zvm_zygote_stop() (the gateway's at unmount)
 *
 * The other headers of sandbox/ are the engine's own: fs/ does not include them (its tests
 * may). docs/architecture.md, "The engine contract".
 */
#pragma once

#include "fd-io.h"
#include "job.h"
#include "module.h"
#include "sandbox-config.h"
#include "translate.h"

/*
 * The engine as the store and the scheduler reach it: a table of the job calls (job.h), given
 * to the store when it is opened (fs/store/store.h), so that a test's engine is a second
 * table (tests/fs/store/fake-engine.c) rather than other definitions of the same symbols.
 * Each entry behaves as the job.h function of its name; open is zvm_job_open_expanded()
 * (@expansion NULL: zvm_job_open()).
 */
typedef struct {
	ZvmJob *(*open)(const char *bundle_dir, const ZvmLimits *limits,
			const ZvmSandboxConfig *config, const ZvmIdentity *owner,
			const char *expansion, GError **error);
	void (*free)(ZvmJob *job);
	const char *(*get_expansion)(const ZvmJob *job);
	const ZvmManifest *(*get_manifest)(const ZvmJob *job);
	guint (*get_width)(const ZvmJob *job);
	uint64_t (*get_memory)(const ZvmJob *job);
	const char *const *(*get_nodes)(const ZvmJob *job);
	const char *const *(*get_outputs)(const ZvmJob *job);
	void (*set_hooks)(ZvmJob *job, const ZvmJobHooks *hooks, gpointer user_data);
	gboolean (*run)(ZvmJob *job, const char *out_dir, ZvmReport *report, GError **error);
	gboolean (*get_progress)(ZvmJob *job, ZvmJobProgress *out);
	void (*kill)(ZvmJob *job);
} ZvmEngineOps;

/* The real engine's table (engine.c). */
extern const ZvmEngineOps zvm_engine_ops;

/*
 * The runner's child side (runner-child.c): with the descriptor layout of runner.h in place,
 * loads, fences and runs the module, and exits; it returns only when it was not started by
 * the engine. zvm-sandbox's main is this function; a single-threaded engine (zvm run) sets
 * it as ZvmSandboxConfig.runner_main and the engine calls it right after fork instead, which
 * saves an exec and the loading of the runner's libraries.
 */
int zvm_runner_child_main(void);

/* Stops the zygote (zygote.c), if any, and waits (a moment) until it is reaped; when no run
 * is left. The gateway calls it as it unmounts. */
void zvm_zygote_stop(void);
