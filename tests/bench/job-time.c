/* SPDX-License-Identifier: Apache-2.0 */
/*
 * job-time: submits a bundle to a mounted zvmfs and waits for the job, as `cp BUNDLE
 * MNT/submit/ && cat MNT/jobs/ID/wait` does, timing each job from the open of the staging
 * file to the end of `wait`.
 *
 *   job-time [-n JOBS] [-b COMMAND] MOUNTPOINT BUNDLE   latency: "MEDIAN MIN MAX JOBS"
 *   job-time -c CLIENTS [-n JOBS] MOUNTPOINT BUNDLE     throughput: "JOBS/S JOBS SECONDS"
 *
 * A submission is open, write, fsync (which submits, as close does for cp), the id from the
 * descriptor's user.zvm.job attribute (race-free when several clients share one user's
 * jobs/last), close; then a read of jobs/ID/wait to its end, which must say `state done`,
 * `exit_state ok` and `user_rc 0`. -b runs `sh -c COMMAND` untimed before each job (latency
 * only). With -c, CLIENTS processes share JOBS jobs, each submitting and waiting in a loop;
 * the figure is JOBS over the wall time from the first fork to the last exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "timing.h"

static const char *mountpoint;
static char *bundle;
static size_t bundle_size;

static int usage(void)
{
	fputs("usage: job-time [-n JOBS] [-c CLIENTS] [-b COMMAND] MOUNTPOINT BUNDLE\n", stderr);
	return 2;
}

static void fail(const char *what, const char *path)
{
	fprintf(stderr, "job-time: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void read_bundle(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		fail("cannot open", path);
	bundle_size = (size_t)st.st_size;
	bundle = malloc(bundle_size ? bundle_size : 1);
	if (bundle == NULL || read(fd, bundle, bundle_size) != (ssize_t)bundle_size)
		fail("cannot read", path);
	close(fd);
}

/* Submits the bundle under a name of its own; returns the job id. */
static long submit(int client, int job)
{
	char path[4096], id[64];
	snprintf(path, sizeof(path), "%s/submit/bench-%d-%d-%d.tar", mountpoint, (int)getpid(),
		 client, job);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		fail("cannot create", path);
	for (size_t done = 0; done < bundle_size;) {
		ssize_t n = write(fd, bundle + done, bundle_size - done);
		if (n <= 0)
			fail("cannot write", path);
		done += (size_t)n;
	}
	if (fsync(fd) < 0)
		fail("the gateway refused", path);
	ssize_t length = fgetxattr(fd, "user.zvm.job", id, sizeof(id) - 1);
	if (length <= 0)
		fail("no user.zvm.job on", path);
	id[length] = '\0';
	if (close(fd) < 0)
		fail("cannot close", path);
	return strtol(id, NULL, 10);
}

static void wait_job(long id)
{
	char path[4096], status[8192];
	snprintf(path, sizeof(path), "%s/jobs/%ld/wait", mountpoint, id);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("cannot open", path);
	size_t length = 0;
	for (;;) {
		ssize_t n = read(fd, status + length, sizeof(status) - 1 - length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("cannot read", path);
		if (n == 0 || (length += (size_t)n) == sizeof(status) - 1)
			break;
	}
	close(fd);
	status[length] = '\0';
	if (strstr(status, "\nstate done\n") == NULL ||
	    strstr(status, "\nexit_state ok\n") == NULL ||
	    strstr(status, "\nuser_rc 0\n") == NULL) {
		fprintf(stderr, "job-time: job %ld did not end ok:\n%s", id, status);
		exit(1);
	}
}

static int latency(int jobs, const char *before)
{
	double *samples = calloc((size_t)jobs, sizeof(*samples));
	if (samples == NULL)
		return 1;
	for (int i = 0; i < jobs; i++) {
		if (before != NULL && timing_shell(before) != 0) {
			fprintf(stderr, "job-time: '%s' failed\n", before);
			return 1;
		}
		double start = timing_now();
		wait_job(submit(0, i));
		samples[i] = timing_now() - start;
	}
	timing_report(samples, jobs);
	free(samples);
	return 0;
}

static int throughput(int jobs, int clients)
{
	double start = timing_now();
	for (int c = 0; c < clients; c++) {
		pid_t pid = fork();
		if (pid < 0)
			fail("cannot fork for", mountpoint);
		if (pid == 0) {
			/* Client c takes jobs c, c + clients, c + 2 * clients, ... */
			for (int i = c; i < jobs; i += clients)
				wait_job(submit(c, i));
			_exit(0);
		}
	}
	int failed = 0, status;
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	double elapsed = timing_now() - start;
	if (failed)
		return 1;
	printf("%.2f %d %.6f\n", jobs / elapsed, jobs, elapsed);
	return 0;
}

int main(int argc, char **argv)
{
	int jobs = 10, clients = 0, opt;
	const char *before = NULL;
	while ((opt = getopt(argc, argv, "n:c:b:")) != -1) {
		switch (opt) {
		case 'n':
			if ((jobs = timing_count(optarg)) == 0)
				return usage();
			break;
		case 'c':
			if ((clients = timing_count(optarg)) == 0)
				return usage();
			break;
		case 'b':
			before = optarg;
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 2)
		return usage();
	mountpoint = argv[optind];
	read_bundle(argv[optind + 1]);
	return clients > 0 ? throughput(jobs, clients) : latency(jobs, before);
}
