/* SPDX-License-Identifier: Apache-2.0 */
/* zvm-sandbox: the program the engine execs to run one job (runner.h). */
#include "runner.h"

int main(void)
{
	return zvm_runner_child_main();
}
