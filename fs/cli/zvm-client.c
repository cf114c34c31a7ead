/* SPDX-License-Identifier: Apache-2.0 */
/* The helpers the mount's clients share (zvm-client.h; docs/gateway.md). */
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

#define FUSE_SUPER_MAGIC 0x65735546
#define STATUS_MAX (1 << 20)

/* Reads fd to its end (FUSE files may report size 0); NULL with errno on failure. */
static char *read_fd_all(int fd)
{
	g_autoptr(GString) text = g_string_new(NULL);
	char buffer[8192];
	for (;;) {
		ssize_t n = read(fd, buffer, sizeof buffer);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		if (n == 0)
			break;
		if (text->len + (gsize)n > STATUS_MAX) {
			errno = EFBIG;
			return NULL;
		}
		g_string_append_len(text, buffer, n);
	}
	return g_string_free(g_steal_pointer(&text), FALSE);
}

char *zvm_client_read_path_all(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *text = read_fd_all(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return text;
}

/* Parses the shared options; returns the index of the first operand, or -1 after usage. */
int zvm_client_parse_options(int argc, char **argv, ClientOptions *options, OptionSet allowed,
			     const char *usage)
{
	static const struct option longs[] = {
	    {"mount", required_argument, NULL, 'm'}, {"json", no_argument, NULL, 'j'},
	    {"wait", no_argument, NULL, 'w'},	     {"name", required_argument, NULL, 'n'},
	    {"no-progress", no_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
	    {"all", no_argument, NULL, 'a'},	     {NULL, 0, NULL, 0},
	};
	gboolean submit = (allowed & OPTIONS_SUBMIT) != 0;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+", longs, NULL)) != -1) {
		switch (c) {
		case 'm':
			options->mount = optarg;
			break;
		case 'j':
			options->json = TRUE;
			break;
		case 'w':
		case 'n':
			if (!submit)
				goto bad;
			if (c == 'w')
				options->wait = TRUE;
			else
				options->name = optarg;
			break;
		case 'p':
			if (!(allowed & OPTIONS_PROGRESS))
				goto bad;
			options->no_progress = TRUE;
			break;
		case 'a':
			if (!(allowed & OPTIONS_ALL))
				goto bad;
			options->all = TRUE;
			break;
		case 'h':
			printf("usage: zvm %s %s\n", argv[0], usage);
			return -2;
		default:
			goto bad;
		}
	}
	if (!options->mount)
		options->mount = g_getenv("ZVM_MOUNT");
	if (!options->mount || !*options->mount)
		options->mount = "/mnt/zvm";
	return optind;
bad:
	fprintf(stderr, "zvm %s: bad option %s\nusage: zvm %s %s\n", argv[0], argv[optind - 1],
		argv[0], usage);
	return -1;
}

/* Checks that options->mount is a zvmfs mount; prints why not. */
gboolean zvm_client_check_mount(const char *command, const char *mount)
{
	struct statfs fs;
	if (statfs(mount, &fs) != 0) {
		fprintf(stderr, "zvm %s: %s: %s (is zvmfs mounted? use --mount or $ZVM_MOUNT)\n",
			command, mount, g_strerror(errno));
		return FALSE;
	}
	g_autofree char *submit = g_build_filename(mount, "submit", NULL);
	g_autofree char *jobs = g_build_filename(mount, "jobs", NULL);
	if ((unsigned long)fs.f_type != FUSE_SUPER_MAGIC ||
	    !g_file_test(submit, G_FILE_TEST_IS_DIR) || !g_file_test(jobs, G_FILE_TEST_IS_DIR)) {
		fprintf(stderr,
			"zvm %s: %s is not a zvmfs mount (no FUSE submit/ and jobs/); "
			"use --mount or $ZVM_MOUNT\n",
			command, mount);
		return FALSE;
	}
	return TRUE;
}

gboolean zvm_client_id_valid(const char *id)
{
	if (strcmp(id, "last") == 0)
		return TRUE;
	if (!*id)
		return FALSE;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isdigit(*p))
			return FALSE;
	return TRUE;
}

char *zvm_client_job_path(const char *mount, const char *id, const char *file)
{
	return g_build_filename(mount, "jobs", id, file, NULL);
}

/* Why a job's file could not be used: another user's job does not exist for the caller
 * (the gateway answers ENOENT), so "no such job" covers both. */
const char *zvm_client_job_error(int error)
{
	return error == ENOENT ? "no such job" : g_strerror(error);
}

gboolean zvm_client_load_status(const char *path, ZvmStatus *status)
{
	g_autofree char *text = zvm_client_read_path_all(path);
	if (!text)
		return FALSE;
	zvm_status_parse(status, text);
	return TRUE;
}

void zvm_client_add_value(JsonBuilder *builder, const char *value)
{
	char *end = NULL;
	errno = 0;
	gint64 number = g_ascii_strtoll(value, &end, 10);
	if (*value && end && *end == '\0' && errno == 0 && (value[0] != '0' || value[1] == '\0') &&
	    !(value[0] == '-' && value[1] == '0')) {
		json_builder_add_int_value(builder, number);
		return;
	}
	json_builder_add_string_value(builder, value);
}

/* A system map job's "node <name> <state> [<user_rc> <exit_state>]" lines, as the array
 * "nodes" of objects {name, state[, user_rc, exit_state]}. */
static void add_nodes_array(JsonBuilder *builder, const ZvmStatus *status)
{
	static const char *const fields[] = {"name", "state", "user_rc", "exit_state"};
	json_builder_begin_array(builder);
	for (guint i = 0; i < status->keys->len; i++) {
		if (strcmp(g_ptr_array_index(status->keys, i), "node") != 0)
			continue;
		g_auto(GStrv) words = g_strsplit(g_ptr_array_index(status->values, i), " ", 4);
		json_builder_begin_object(builder);
		for (guint f = 0; f < G_N_ELEMENTS(fields) && words[f]; f++) {
			json_builder_set_member_name(builder, fields[f]);
			if (f == 2)
				zvm_client_add_value(builder, words[f]);
			else
				json_builder_add_string_value(builder, words[f]);
		}
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void add_status_object(JsonBuilder *builder, const ZvmStatus *status)
{
	gboolean has_node_lines = zvm_status_get(status, "node") != NULL;
	json_builder_begin_object(builder);
	for (guint i = 0; i < status->keys->len; i++) {
		const char *key = g_ptr_array_index(status->keys, i);
		if (strcmp(key, "node") == 0)
			continue;
		json_builder_set_member_name(builder, key);
		if (strcmp(key, "nodes") == 0 && has_node_lines)
			add_nodes_array(builder, status);
		else
			zvm_client_add_value(builder, g_ptr_array_index(status->values, i));
	}
	json_builder_end_object(builder);
}

void zvm_client_print_json(JsonBuilder *builder)
{
	g_autoptr(JsonNode) root = json_builder_get_root(builder);
	g_autoptr(JsonGenerator) generator = json_generator_new();
	json_generator_set_pretty(generator, TRUE);
	json_generator_set_root(generator, root);
	g_autofree char *text = json_generator_to_data(generator, NULL);
	printf("%s\n", text);
}

static void print_status(const ZvmStatus *status, gboolean json)
{
	if (json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		add_status_object(builder, status);
		zvm_client_print_json(builder);
		return;
	}
	for (guint i = 0; i < status->keys->len; i++)
		printf("%s %s\n", (char *)g_ptr_array_index(status->keys, i),
		       (char *)g_ptr_array_index(status->values, i));
}

gboolean zvm_client_status_succeeded(const ZvmStatus *status)
{
	return g_strcmp0(zvm_status_get(status, "state"), "done") == 0 &&
	       g_strcmp0(zvm_status_get(status, "exit_state"), "ok") == 0;
}

gboolean zvm_client_state_ended(const char *state)
{
	return state && (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0 ||
			 strcmp(state, "killed") == 0 || strcmp(state, "rejected") == 0);
}

/* Polls @id's status with the progress line until the job ends (zvm wait on a terminal). */
static void progress_until_ended(ZvmProgress *progress, const char *mount, const char *id)
{
	g_autofree char *status_path = zvm_client_job_path(mount, id, "status");
	for (;;) {
		g_auto(ZvmStatus) status = {0};
		if (!zvm_client_load_status(status_path, &status) ||
		    zvm_client_state_ended(zvm_status_get(&status, "state")))
			break;
		zvm_progress_draw(progress, id, &status);
		g_usleep(POLL_MS * 1000);
	}
	zvm_progress_clear(progress);
}

/* The common head of the ID commands: options, one ID operand, the mount. */
int zvm_client_id_command_setup(int argc, char **argv, ClientOptions *options, OptionSet allowed,
				const char **id)
{
	const char *usage = allowed & OPTIONS_PROGRESS ? "[--mount DIR] [--json] [--no-progress] ID"
						       : "[--mount DIR] [--json] ID";
	int first = zvm_client_parse_options(argc, argv, options, allowed, usage);
	if (first == -2)
		return ZVM_STATUS_OK;
	if (first < 0)
		return ZVM_STATUS_USAGE;
	if (argc - first != 1 || !zvm_client_id_valid(argv[first])) {
		fprintf(stderr, "usage: zvm %s %s (a number or last)\n", argv[0], usage);
		return ZVM_STATUS_USAGE;
	}
	*id = argv[first];
	if (!zvm_client_check_mount(argv[0], options->mount))
		return ZVM_STATUS_USAGE;
	return -1;
}

/* "last" as the id it names now, so that a later submission does not change the job. */
static char *resolve_id(const char *mount, const char *id)
{
	if (strcmp(id, "last") != 0)
		return g_strdup(id);
	g_autofree char *link = g_build_filename(mount, "jobs", "last", NULL);
	g_autofree char *target = g_file_read_link(link, NULL);
	if (target == NULL || !zvm_client_id_valid(target))
		return g_strdup(id);
	return g_steal_pointer(&target);
}

int zvm_client_show_status_file(int argc, char **argv, const char *file)
{
	ClientOptions options = {0};
	const char *operand = NULL;
	gboolean wait = strcmp(file, "wait") == 0;
	int early = zvm_client_id_command_setup(argc, argv, &options,
						wait ? OPTIONS_PROGRESS : OPTIONS_COMMON, &operand);
	if (early >= 0)
		return early;
	g_autofree char *id = resolve_id(options.mount, operand);
	if (wait) {
		ZvmProgress progress;
		zvm_progress_init(&progress, options.no_progress);
		if (progress.enabled)
			progress_until_ended(&progress, options.mount, id);
	}
	g_autofree char *path = zvm_client_job_path(options.mount, id, file);
	g_auto(ZvmStatus) status = {0};
	if (!zvm_client_load_status(path, &status)) {
		fprintf(stderr, "zvm %s: job %s: %s\n", argv[0], id, zvm_client_job_error(errno));
		return ZVM_STATUS_FAILED;
	}
	print_status(&status, options.json);
	if (wait)
		return zvm_client_status_succeeded(&status) ? ZVM_STATUS_OK : ZVM_STATUS_FAILED;
	return ZVM_STATUS_OK;
}
