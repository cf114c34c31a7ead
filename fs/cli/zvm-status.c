/* SPDX-License-Identifier: Apache-2.0 */
/* zvm status: prints a job's status (docs/zvm.1, docs/gateway.md). */
#include "zvm-client.h"
#include "zvm-commands.h"

int zvm_command_status(int argc, char **argv)
{
	return zvm_client_show_status_file(argc, argv, "status");
}
