/* SPDX-License-Identifier: Apache-2.0 */
/* zvm submit: submits a bundle through the mount and prints its id (docs/zvm.1,
 * docs/gateway.md). */
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
	g_autofree char *out_path = zvm_client_job_path(mount, id, "stdout");
	g_autofree char *err_path = zvm_client_job_path(mount, id, "stderr");
	g_autofree char *status_path = zvm_client_job_path(mount, id, "status");
	g_autofree char *wait_path = zvm_client_job_path(mount, id, "wait");
	Follow follows[2] = {{out_path, -1, STDOUT_FILENO, 0}, {err_path, -1, STDERR_FILENO, 0}};
	for (;;) {
		g_auto(ZvmStatus) status = {0};
		gboolean ended = zvm_client_load_status(status_path, &status) &&
				 zvm_client_state_ended(zvm_status_get(&status, "state"));
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
	g_auto(ZvmStatus) final = {0};
	if (!zvm_client_load_status(wait_path, &final) &&
	    !zvm_client_load_status(status_path, &final)) {
		fprintf(stderr, "zvm submit: job %s: %s\n", id, g_strerror(errno));
		return ZVM_STATUS_FAILED;
	}
	for (int i = 0; i < 2; i++) {
		follow_step(&follows[i], TRUE, progress);
		if (follows[i].fd >= 0)
			close(follows[i].fd);
	}
	const char *rc = zvm_status_get(&final, "user_rc");
	if (zvm_client_status_succeeded(&final) && rc && g_ascii_isdigit(rc[0]))
		return (int)g_ascii_strtoll(rc, NULL, 10) & 0xff;
	const char *state = zvm_status_get(&final, "state");
	const char *exit_state = zvm_status_get(&final, "exit_state");
	const char *reason = zvm_status_get(&final, "reason");
	fprintf(stderr, "%s%szvm submit: job %s %s, exit state %s%s%s%s\n",
		progress->mid_line ? "\n" : "", zvm_progress_sgr(progress, "\033[31m"), id,
		state ? state : "?", exit_state ? exit_state : "-", reason ? ": " : "",
		reason ? reason : "", zvm_progress_sgr(progress, "\033[0m"));
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
		g_autofree char *path = zvm_client_job_path(mount, which, "status");
		g_auto(ZvmStatus) status = {0};
		if (zvm_client_load_status(path, &status) &&
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
	ClientOptions options = {0};
	int first = zvm_client_parse_options(argc, argv, &options,
					     OPTIONS_SUBMIT | OPTIONS_PROGRESS, usage);
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
	if (!zvm_client_check_mount(argv[0], options.mount))
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
	if (out < 0 && errno == EEXIST &&
	    getxattr(target, "user.zvm.job", earlier, sizeof earlier) > 0)
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
		zvm_client_add_value(builder, id);
		json_builder_end_object(builder);
		zvm_client_print_json(builder);
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
