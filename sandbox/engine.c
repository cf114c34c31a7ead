/* SPDX-License-Identifier: Apache-2.0 */
/* The real engine's table (engine.h): the job calls of job.h. */
#include "engine.h"

const ZvmEngineOps zvm_engine_ops = {
    .open = zvm_job_open_expanded,
    .free = zvm_job_free,
    .get_expansion = zvm_job_get_expansion,
    .get_manifest = zvm_job_get_manifest,
    .get_width = zvm_job_get_width,
    .get_memory = zvm_job_get_memory,
    .get_nodes = zvm_job_get_nodes,
    .get_outputs = zvm_job_get_outputs,
    .set_hooks = zvm_job_set_hooks,
    .run = zvm_job_run,
    .get_progress = zvm_job_get_progress,
    .kill = zvm_job_kill,
};
