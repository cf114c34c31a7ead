/* SPDX-License-Identifier: Apache-2.0 */
/* zvm submit/wait/status/kill/ls: clients of a mounted zvmfs (docs/gateway.md). */
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
#include "zvm-status.h"

#define FUSE_SUPER_MAGIC 0x65735546
#define POLL_MS 50
#define STATUS_MAX (1 << 20)

/* The options every client subcommand shares. */
typedef struct {
	const char *mount;
	gboolean json;
	gboolean wait;
	gboolean no_progress;
	gboolean all;
	const char *name;
} ClientOptions;

/* Which options beyond --mount, --json and --help a subcommand takes. */
typedef enum {
	OPTIONS_COMMON = 0,
	OPTIONS_SUBMIT = 1 << 0,   /* --wait, --name */
	OPTIONS_PROGRESS = 1 << 1, /* --no-progress */
	OPTIONS_ALL = 1 << 2,	   /* --all */
} OptionSet;

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

static char *read_path_all(const char *path)
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
static int parse_options(int argc, char **argv, ClientOptions *options, OptionSet allowed,
			 const char *usage)
{
	static const struct option longs[] = {
		{ "mount", required_argument, NULL, 'm' }, { "json", no_argument, NULL, 'j' },
		{ "wait", no_argument, NULL, 'w' },	   { "name", required_argument, NULL, 'n' },
		{ "no-progress", no_argument, NULL, 'p' }, { "help", no_argument, NULL, 'h' },
		{ "all", no_argument, NULL, 'a' },	   { NULL, 0, NULL, 0 },
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
	fprintf(stderr, "zvm %s: bad option %s\nusage: zvm %s %s\n", argv[0],
		argv[optind - 1], argv[0], usage);
	return -1;
}

/* Checks that options->mount is a zvmfs mount; prints why not. */
static gboolean check_mount(const char *command, const char *mount)
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

static gboolean id_valid(const char *id)
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

static char *job_path(const char *mount, const char *id, const char *file)
{
	return g_build_filename(mount, "jobs", id, file, NULL);
}

/* Why a job's file could not be used: another user's job does not exist for the caller
 * (the gateway answers ENOENT), so "no such job" covers both. */
static const char *job_error(int error)
{
	return error == ENOENT ? "no such job" : g_strerror(error);
}

static gboolean load_status(const char *path, ZvmStatus *status)
{
	g_autofree char *text = read_path_all(path);
	if (!text)
		return FALSE;
	zvm_status_parse(status, text);
	return TRUE;
}

static void add_value(JsonBuilder *builder, const char *value)
{
	char *end = NULL;
	errno = 0;
	gint64 number = g_ascii_strtoll(value, &end, 10);
	if (*value && end && *end == '\0' && errno == 0 &&
	    (value[0] != '0' || value[1] == '\0') && !(value[0] == '-' && value[1] == '0')) {
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
				add_value(builder, words[f]);
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
			add_value(builder, g_ptr_array_index(status->values, i));
	}
	json_builder_end_object(builder);
}

static void print_json(JsonBuilder *builder)
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
		print_json(builder);
		return;
	}
	for (guint i = 0; i < status->keys->len; i++)
		printf("%s %s\n", (char *)g_ptr_array_index(status->keys, i),
		       (char *)g_ptr_array_index(status->values, i));
}

static gboolean status_succeeded(const ZvmStatus *status)
{
	return g_strcmp0(zvm_status_get(status, "state"), "done") == 0 &&
	       g_strcmp0(zvm_status_get(status, "exit_state"), "ok") == 0;
}

static gboolean state_ended(const char *state)
{
	return state && (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0 ||
			 strcmp(state, "killed") == 0 || strcmp(state, "rejected") == 0);
}

/* Polls @id's status with the progress line until the job ends (zvm wait on a terminal). */
static void progress_until_ended(ZvmProgress *progress, const char *mount, const char *id)
{
	g_autofree char *status_path = job_path(mount, id, "status");
	for (;;) {
		g_auto(ZvmStatus) status = { 0 };
		if (!load_status(status_path, &status) ||
		    state_ended(zvm_status_get(&status, "state")))
			break;
		zvm_progress_draw(progress, id, &status);
		g_usleep(POLL_MS * 1000);
	}
	zvm_progress_clear(progress);
}

/* The common head of the ID commands: options, one ID operand, the mount. */
static int id_command_setup(int argc, char **argv, ClientOptions *options, OptionSet allowed,
			    const char **id)
{
	const char *usage = allowed & OPTIONS_PROGRESS ? "[--mount DIR] [--json] [--no-progress] ID"
						       : "[--mount DIR] [--json] ID";
	int first = parse_options(argc, argv, options, allowed, usage);
	if (first == -2)
		return ZVM_STATUS_OK;
	if (first < 0)
		return ZVM_STATUS_USAGE;
	if (argc - first != 1 || !id_valid(argv[first])) {
		fprintf(stderr, "usage: zvm %s %s (a number or last)\n", argv[0], usage);
		return ZVM_STATUS_USAGE;
	}
	*id = argv[first];
	if (!check_mount(argv[0], options->mount))
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
	if (target == NULL || !id_valid(target))
		return g_strdup(id);
	return g_steal_pointer(&target);
}

static int show_status_file(int argc, char **argv, const char *file)
{
	ClientOptions options = { 0 };
	const char *operand = NULL;
	gboolean wait = strcmp(file, "wait") == 0;
	int early = id_command_setup(argc, argv, &options,
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
	g_autofree char *path = job_path(options.mount, id, file);
	g_auto(ZvmStatus) status = { 0 };
	if (!load_status(path, &status)) {
		fprintf(stderr, "zvm %s: job %s: %s\n", argv[0], id, job_error(errno));
		return ZVM_STATUS_FAILED;
	}
	print_status(&status, options.json);
	if (wait)
		return status_succeeded(&status) ? ZVM_STATUS_OK : ZVM_STATUS_FAILED;
	return ZVM_STATUS_OK;
}

int zvm_command_wait(int argc, char **argv)
{
	return show_status_file(argc, argv, "wait");
}

int zvm_command_status(int argc, char **argv)
{
	return show_status_file(argc, argv, "status");
}

int zvm_command_kill(int argc, char **argv)
{
	ClientOptions options = { 0 };
	const char *id = NULL;
	int early = id_command_setup(argc, argv, &options, OPTIONS_COMMON, &id);
	if (early >= 0)
		return early;
	g_autofree char *path = job_path(options.mount, id, "ctl");
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	gboolean ok = fd >= 0 && zvm_write_all(fd, "kill\n", 5) == 0;
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = FALSE;
		saved = errno;
	}
	if (!ok) {
		fprintf(stderr, "zvm kill: job %s: %s\n", id, job_error(saved));
		return ZVM_STATUS_FAILED;
	}
	if (options.json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "killed");
		json_builder_add_string_value(builder, id);
		json_builder_end_object(builder);
		print_json(builder);
	}
	return ZVM_STATUS_OK;
}

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
	ClientOptions options = { 0 };
	int first = parse_options(argc, argv, &options, OPTIONS_ALL,
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
	if (!check_mount(argv[0], options.mount))
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
		if (strcmp(entry, "last") != 0 && id_valid(entry))
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
		g_autofree char *path = job_path(options.mount, id, "status");
		g_auto(ZvmStatus) status = { 0 };
		if (!load_status(path, &status))
			continue; /* removed meanwhile, or not ours */
		if (!options.all && g_strcmp0(zvm_status_get(&status, "uid"), me) != 0)
			continue;
		const char *owner = zvm_status_get(&status, "owner");
		const char *state = zvm_status_get(&status, "state");
		const char *name = zvm_status_get(&status, "name");
		const char *rc = zvm_status_get(&status, "user_rc");
		const char *exit_state = zvm_status_get(&status, "exit_state");
		g_autofree char *age = format_age(zvm_status_get(&status, "submitted"));
		const char *exit = rc && strcmp(rc, "-") != 0 ? rc
				   : exit_state			? exit_state
								: "-";
		if (options.json) {
			json_builder_begin_object(builder);
			json_builder_set_member_name(builder, "id");
			add_value(builder, id);
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
			add_value(builder, exit);
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
		print_json(builder);
		return ZVM_STATUS_OK;
	}
	/* Root's per-user usage follows (docs/operations.md); nobody else may read it. */
	g_autofree char *usage_path = g_build_filename(options.mount, ".usage", NULL);
	g_autofree char *usage = options.all ? read_path_all(usage_path) : NULL;
	if (usage)
		printf("\n%s", usage);
	return ZVM_STATUS_OK;
}

/* A growing job file followed like tail -f. */
typedef struct {
	const char *path;
	int fd;
	int out;
	off_t offset;
} Follow;

/* Copies what the file gained since the last step. fstat first, as tail -f does, so the
 * kernel refetches the growing size; reopen=TRUE opens afresh (the final drain). The
 * progress line leaves the screen before the first byte, and learns whether the output
 * ended mid-line. */
static void follow_step(Follow *follow, gboolean reopen, ZvmProgress *progress)
{
	if (reopen && follow->fd >= 0) {
		close(follow->fd);
		follow->fd = -1;
	}
	if (follow->fd < 0) {
		follow->fd = open(follow->path, O_RDONLY | O_CLOEXEC);
		if (follow->fd < 0)
			return;
	}
	struct stat st;
	if (fstat(follow->fd, &st) == 0 && st.st_size <= follow->offset && !reopen)
		return;
	char buffer[65536];
	ssize_t n;
	gboolean got = FALSE;
	while ((n = pread(follow->fd, buffer, sizeof buffer, follow->offset)) > 0) {
		zvm_progress_clear(progress);
		zvm_write_all(follow->out, buffer, (size_t)n);
		if (isatty(follow->out))
			progress->mid_line = buffer[n - 1] != '\n';
		follow->offset += n;
		got = TRUE;
	}
	/* Bigger than what it gives: a descriptor opened before the runner made the file;
	 * the next step opens the live one. */
	if (!got && !reopen) {
		close(follow->fd);
		follow->fd = -1;
	}
}

/* Streams stdout and stderr until the job ends, with the progress line on a terminal;
 * returns the exit status of submit --wait. */
static int follow_job(const char *mount, const char *id, ZvmProgress *progress)
{
	g_autofree char *out_path = job_path(mount, id, "stdout");
	g_autofree char *err_path = job_path(mount, id, "stderr");
	g_autofree char *status_path = job_path(mount, id, "status");
	g_autofree char *wait_path = job_path(mount, id, "wait");
	Follow follows[2] = { { out_path, -1, STDOUT_FILENO, 0 }, { err_path, -1, STDERR_FILENO, 0 } };
	for (;;) {
		g_auto(ZvmStatus) status = { 0 };
		gboolean ended = load_status(status_path, &status) &&
				 state_ended(zvm_status_get(&status, "state"));
		const char *state = zvm_status_get(&status, "state");
		if (state && strcmp(state, "queued") != 0 && strcmp(state, "compiling") != 0)
			for (int i = 0; i < 2; i++)
				follow_step(&follows[i], FALSE, progress);
		if (ended)
			break;
		zvm_progress_draw(progress, id, &status);
		g_usleep(POLL_MS * 1000);
	}
	zvm_progress_clear(progress);
	g_auto(ZvmStatus) final = { 0 };
	if (!load_status(wait_path, &final) && !load_status(status_path, &final)) {
		fprintf(stderr, "zvm submit: job %s: %s\n", id, g_strerror(errno));
		return ZVM_STATUS_FAILED;
	}
	for (int i = 0; i < 2; i++) {
		follow_step(&follows[i], TRUE, progress);
		if (follows[i].fd >= 0)
			close(follows[i].fd);
	}
	const char *rc = zvm_status_get(&final, "user_rc");
	if (status_succeeded(&final) && rc && g_ascii_isdigit(rc[0]))
		return (int)g_ascii_strtoll(rc, NULL, 10) & 0xff;
	const char *state = zvm_status_get(&final, "state");
	const char *exit_state = zvm_status_get(&final, "exit_state");
	const char *reason = zvm_status_get(&final, "reason");
	fprintf(stderr, "%s%szvm submit: job %s %s, exit state %s%s%s%s\n",
		progress->mid_line ? "\n" : "", zvm_progress_sgr(progress, "\033[31m"), id, state ? state : "?",
		exit_state ? exit_state : "-", reason ? ": " : "", reason ? reason : "",
		zvm_progress_sgr(progress, "\033[0m"));
	return ZVM_STATUS_FAILED;
}

/* Why the gateway refused: the rejected job's reason, by the xattr or jobs/last. */
static char *refusal_reason(const char *mount, int fd, int err)
{
	char id[64] = "";
	ssize_t n = fd >= 0 ? fgetxattr(fd, "user.zvm.job", id, sizeof id - 1) : -1;
	g_autofree char *last = NULL;
	if (n > 0) {
		id[n] = '\0';
	} else {
		g_autofree char *link = g_build_filename(mount, "jobs", "last", NULL);
		last = g_file_read_link(link, NULL);
	}
	const char *which = n > 0 ? id : last;
	if (which) {
		g_autofree char *path = job_path(mount, which, "status");
		g_auto(ZvmStatus) status = { 0 };
		if (load_status(path, &status) &&
		    g_strcmp0(zvm_status_get(&status, "state"), "rejected") == 0 &&
		    zvm_status_get(&status, "reason"))
			return g_strdup(zvm_status_get(&status, "reason"));
	}
	/* Refusals that record no job: the gateway's log has the figures. */
	if (err == EAGAIN)
		return g_strdup_printf("%s: the queue is full, or your share of it ([tenants] "
				       "queue_jobs) is; try again when some of your jobs have "
				       "started",
				       g_strerror(err));
	if (err == EDQUOT)
		return g_strdup_printf("%s: your jobs' outputs are over [tenants] output_bytes; "
				       "remove some (zvm ls, rm -r jobs/ID)",
				       g_strerror(err));
	return g_strdup(g_strerror(err));
}

int zvm_command_submit(int argc, char **argv)
{
	static const char usage[] =
		"[--mount DIR] [--json] [--wait] [--no-progress] [--name NAME] JOB.tar";
	ClientOptions options = { 0 };
	int first = parse_options(argc, argv, &options, OPTIONS_SUBMIT | OPTIONS_PROGRESS, usage);
	if (first == -2)
		return ZVM_STATUS_OK;
	if (first < 0)
		return ZVM_STATUS_USAGE;
	if (argc - first != 1) {
		fprintf(stderr, "usage: zvm submit %s\n", usage);
		return ZVM_STATUS_USAGE;
	}
	const char *source = argv[first];
	g_autofree char *base = g_path_get_basename(source);
	const char *name = options.name ? options.name : base;
	if (!*name || name[0] == '.' || strchr(name, '/')) {
		fprintf(stderr, "zvm submit: bad job name '%s' (no '/', no leading '.')\n", name);
		return ZVM_STATUS_USAGE;
	}
	if (!check_mount(argv[0], options.mount))
		return ZVM_STATUS_USAGE;
	int in = open(source, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		fprintf(stderr, "zvm submit: %s: %s\n", source, g_strerror(errno));
		return ZVM_STATUS_FAILED;
	}
	g_autofree char *target = g_build_filename(options.mount, "submit", name, NULL);
	int out = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	/* The name is a record of an earlier submission (it has a job): submit anew over it. */
	char earlier[64];
	if (out < 0 && errno == EEXIST && getxattr(target, "user.zvm.job", earlier, sizeof earlier) > 0)
		out = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (out < 0) {
		fprintf(stderr, "zvm submit: %s: %s\n", target, g_strerror(errno));
		close(in);
		return ZVM_STATUS_FAILED;
	}
	char buffer[65536];
	ssize_t n;
	gboolean ok = TRUE;
	int err = 0;
	while ((n = read(in, buffer, sizeof buffer)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "zvm submit: %s: %s\n", source, g_strerror(errno));
			close(in);
			close(out);
			return ZVM_STATUS_FAILED;
		}
		if (zvm_write_all(out, buffer, (size_t)n) < 0) {
			ok = FALSE;
			err = errno;
			break;
		}
	}
	close(in);
	if (ok && fsync(out) != 0) {
		ok = FALSE;
		err = errno;
	}
	char id[64] = "";
	if (ok) {
		ssize_t length = fgetxattr(out, "user.zvm.job", id, sizeof id - 1);
		if (length <= 0) {
			ok = FALSE;
			err = length < 0 ? errno : EIO;
		} else {
			id[length] = '\0';
		}
	}
	g_autofree char *reason = ok ? NULL : refusal_reason(options.mount, out, err);
	if (close(out) != 0 && ok) {
		ok = FALSE;
		reason = refusal_reason(options.mount, -1, errno);
	}
	if (!ok) {
		fprintf(stderr, "zvm submit: refused: %s\n", reason);
		return ZVM_STATUS_FAILED;
	}
	if (options.json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "id");
		add_value(builder, id);
		json_builder_end_object(builder);
		print_json(builder);
	} else if (!options.wait) {
		printf("%s\n", id);
	}
	fflush(stdout);
	if (!options.wait)
		return ZVM_STATUS_OK;
	ZvmProgress progress;
	zvm_progress_init(&progress, options.no_progress);
	/* The id on stderr whatever it is: a script's log names the job it waited for. */
	fprintf(stderr, "%szvm: job %s%s\n", zvm_progress_sgr(&progress, "\033[1m"), id,
			zvm_progress_sgr(&progress, "\033[0m"));
	return follow_job(options.mount, id, &progress);
}
