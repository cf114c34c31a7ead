/* SPDX-License-Identifier: Apache-2.0 */
/* zvm ls: lists your jobs (docs/zvm.1, docs/gateway.md). */
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

#include "../../sandbox/engine.h"
#include "zvm-commands.h"
#include "zvm-client.h"

/* "5s", "3m", "2h", "4d" since an ISO 8601 time of the status, or "-". */
static char *format_age(const char *when)
{
	if (!when)
		return g_strdup("-");
	g_autoptr(GDateTime) time = g_date_time_new_from_iso8601(when, NULL);
	if (!time)
		return g_strdup("-");
	gint64 seconds = (g_get_real_time() / G_USEC_PER_SEC) - g_date_time_to_unix(time);
	if (seconds < 0)
		seconds = 0;
	if (seconds < 60)
		return g_strdup_printf("%" G_GINT64_FORMAT "s", seconds);
	if (seconds < 3600)
		return g_strdup_printf("%" G_GINT64_FORMAT "m", seconds / 60);
	if (seconds < 86400)
		return g_strdup_printf("%" G_GINT64_FORMAT "h", seconds / 3600);
	return g_strdup_printf("%" G_GINT64_FORMAT "d", seconds / 86400);
}

static gint compare_ids(gconstpointer a, gconstpointer b)
{
	guint64 x = g_ascii_strtoull(*(char *const *)a, NULL, 10);
	guint64 y = g_ascii_strtoull(*(char *const *)b, NULL, 10);
	return x < y ? -1 : x > y;
}

int zvm_command_ls(int argc, char **argv)
{
	ClientOptions options = {0};
	int first = zvm_client_parse_options(argc, argv, &options, OPTIONS_ALL,
					     "[--mount DIR] [--json] [--all]");
	if (first == -2)
		return ZVM_STATUS_OK;
	if (first < 0 || first != argc) {
		if (first >= 0)
			fputs("usage: zvm ls [--mount DIR] [--json] [--all]\n", stderr);
		return ZVM_STATUS_USAGE;
	}
	/* Root sees every job in jobs/: its own only, unless --all asks for everyone's. */
	g_autofree char *me = g_strdup_printf("%u", (unsigned)getuid());
	if (!zvm_client_check_mount(argv[0], options.mount))
		return ZVM_STATUS_USAGE;
	g_autofree char *jobs = g_build_filename(options.mount, "jobs", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(jobs, 0, &error);
	if (!dir) {
		fprintf(stderr, "zvm ls: %s\n", error->message);
		return ZVM_STATUS_FAILED;
	}
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	const char *entry;
	while ((entry = g_dir_read_name(dir)))
		if (strcmp(entry, "last") != 0 && zvm_client_id_valid(entry))
			g_ptr_array_add(ids, g_strdup(entry));
	g_ptr_array_sort(ids, compare_ids);

	g_autoptr(JsonBuilder) builder = json_builder_new();
	if (options.json)
		json_builder_begin_array(builder);
	else if (options.all)
		printf("%-8s %-12s %-10s %-24s %-6s %s\n", "ID", "OWNER", "STATE", "NAME", "AGE",
		       "EXIT");
	else
		printf("%-8s %-10s %-24s %-6s %s\n", "ID", "STATE", "NAME", "AGE", "EXIT");
	for (guint i = 0; i < ids->len; i++) {
		const char *id = g_ptr_array_index(ids, i);
		g_autofree char *path = zvm_client_job_path(options.mount, id, "status");
		g_auto(ZvmStatus) status = {0};
		if (!zvm_client_load_status(path, &status))
			continue; /* removed meanwhile, or not ours */
		if (!options.all && g_strcmp0(zvm_status_get(&status, "uid"), me) != 0)
			continue;
		const char *owner = zvm_status_get(&status, "owner");
		const char *state = zvm_status_get(&status, "state");
		const char *name = zvm_status_get(&status, "name");
		const char *rc = zvm_status_get(&status, "user_rc");
		const char *exit_state = zvm_status_get(&status, "exit_state");
		g_autofree char *age = format_age(zvm_status_get(&status, "submitted"));
		const char *exit = rc && strcmp(rc, "-") != 0 ? rc : exit_state ? exit_state : "-";
		if (options.json) {
			json_builder_begin_object(builder);
			json_builder_set_member_name(builder, "id");
			zvm_client_add_value(builder, id);
			if (options.all) {
				json_builder_set_member_name(builder, "owner");
				json_builder_add_string_value(builder, owner ? owner : "");
			}
			json_builder_set_member_name(builder, "state");
			json_builder_add_string_value(builder, state ? state : "");
			json_builder_set_member_name(builder, "name");
			json_builder_add_string_value(builder, name ? name : "");
			json_builder_set_member_name(builder, "age");
			json_builder_add_string_value(builder, age);
			json_builder_set_member_name(builder, "exit");
			zvm_client_add_value(builder, exit);
			json_builder_end_object(builder);
		} else if (options.all) {
			printf("%-8s %-12s %-10s %-24s %-6s %s\n", id, owner ? owner : "-",
			       state ? state : "-", name ? name : "-", age, exit);
		} else {
			printf("%-8s %-10s %-24s %-6s %s\n", id, state ? state : "-",
			       name ? name : "-", age, exit);
		}
	}
	if (options.json) {
		json_builder_end_array(builder);
		zvm_client_print_json(builder);
		return ZVM_STATUS_OK;
	}
	/* Root's per-user usage follows (docs/operations.md); nobody else may read it. */
	g_autofree char *usage_path = g_build_filename(options.mount, ".usage", NULL);
	g_autofree char *usage = options.all ? zvm_client_read_path_all(usage_path) : NULL;
	if (usage)
		printf("\n%s", usage);
	return ZVM_STATUS_OK;
}
