/* SPDX-License-Identifier: Apache-2.0 */
/* zvm wait: waits for a job to end and prints its status (docs/zvm.1, docs/gateway.md). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "../../sandbox/fd-io.h"
#include "zvm-commands.h"
#include "zvm-client.h"

int zvm_command_wait(int argc, char **argv)
{
	return zvm_client_show_status_file(argc, argv, "wait");
}
