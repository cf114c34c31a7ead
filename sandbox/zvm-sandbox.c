/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zvm-sandbox: the program the engine execs to run one job (runner.h), or, with --zygote,
 * the pre-started process the gateway's runners are forked from (zygote.h).
 */
#include <string.h>

#include "engine.h"
#include "runner.h"
#include "zygote.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--zygote") == 0)
		return zvm_zygote_serve(ZVM_ZYGOTE_CONTROL_FD);
	return zvm_runner_child_main();
}
