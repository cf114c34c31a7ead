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
