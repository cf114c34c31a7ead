/* SPDX-License-Identifier: Apache-2.0 */
/* The local runner: the job runs here, through the engine's table (sandbox/engine.h), on
 * the worker's thread. */
#include "runner.h"

typedef struct {
	ZvmRunnerRun base;
	ZvmJob *engine;
	const ZvmEngineOps *engine_ops;
	char *out_dir;
} LocalRun;

static ZvmRunnerRun *local_prepare(ZvmRunner *runner, const ZvmRunnerRequest *request)
{
	LocalRun *run = g_new0(LocalRun, 1);
	run->base.ops = runner->ops;
	run->engine = request->engine;
	run->engine_ops = request->engine_ops;
	run->out_dir = g_strdup(request->out_dir);
	/* The engine calls the hooks itself (the scheduler set them). */
	return &run->base;
}

static ZvmRunnerEnd local_run(ZvmRunnerRun *base, ZvmReport *report, GError **error)
{
	LocalRun *run = (LocalRun *)base;
	return run->engine_ops->run(run->engine, run->out_dir, report, error) ? ZVM_RUNNER_ENDED
									      : ZVM_RUNNER_FAILED;
}

static void local_kill(ZvmRunnerRun *base)
{
	LocalRun *run = (LocalRun *)base;
	run->engine_ops->kill(run->engine);
}

static void local_run_free(ZvmRunnerRun *base)
{
	LocalRun *run = (LocalRun *)base;
	g_free(run->out_dir);
	g_free(run);
}

static void local_free(ZvmRunner *runner)
{
	g_free(runner);
}

static const ZvmRunnerOps local_ops = {
    .name = "local",
    .prepare = local_prepare,
    .run = local_run,
    .kill = local_kill,
    .detach = local_kill,
    .run_free = local_run_free,
    .free = local_free,
};

ZvmRunner *zvm_runner_local_new(void)
{
	ZvmRunner *runner = g_new0(ZvmRunner, 1);
	runner->ops = &local_ops;
	return runner;
}
