/* SPDX-License-Identifier: Apache-2.0 */
/* placeholder while being written */
#include <stdio.h>
#include "zvm-commands.h"
#define PLACEHOLDER(name)                                                                  \
	int zvm_command_##name(int argc, char **argv)                                      \
	{                                                                                  \
		fputs("zvm: not built yet\n", stderr);                                     \
		return ZVM_STATUS_USAGE;                                                   \
	}
PLACEHOLDER(submit)
PLACEHOLDER(wait)
PLACEHOLDER(status)
PLACEHOLDER(kill)
PLACEHOLDER(ls)
