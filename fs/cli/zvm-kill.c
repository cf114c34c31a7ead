/* SPDX-License-Identifier: Apache-2.0 */
/* zvm kill: stops a job (docs/zvm.1, docs/gateway.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "../../sandbox/engine.h"
#include "zvm-client.h"
#include "zvm-commands.h"

int zvm_command_kill(int argc, char **argv)
{
	ClientOptions options = {0};
	const char *id = NULL;
	int early = zvm_client_id_command_setup(argc, argv, &options, OPTIONS_COMMON, &id);
	if (early >= 0)
		return early;
	g_autofree char *path = zvm_client_job_path(options.mount, id, "ctl");
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	gboolean ok = fd >= 0 && zvm_write_all(fd, "kill\n", 5) == 0;
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = FALSE;
		saved = errno;
	}
	if (!ok) {
		fprintf(stderr, "zvm kill: job %s: %s\n", id, zvm_client_job_error(saved));
		return ZVM_STATUS_FAILED;
	}
	if (options.json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "killed");
		json_builder_add_string_value(builder, id);
		json_builder_end_object(builder);
		zvm_client_print_json(builder);
	}
	return ZVM_STATUS_OK;
}
