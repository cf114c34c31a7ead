/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timing.h: what the benchmark drivers (spawn-time.c, job-time.c) share: a monotonic clock
 * in seconds, the median of samples, and running a shell command untimed between samples.
 */
#pragma once

#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double timing_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int timing_compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts @samples and prints "MEDIAN MIN MAX COUNT" in seconds, the line run.sh reads. */
static inline void timing_report(double *samples, int count)
{
	qsort(samples, (size_t)count, sizeof(*samples), timing_compare);
	double median =
	    count % 2 ? samples[count / 2] : (samples[count / 2 - 1] + samples[count / 2]) / 2;
	printf("%.6f %.6f %.6f %d\n", median, samples[0], samples[count - 1], count);
}

/* Runs @command with /bin/sh (untimed set-up before a sample); returns its exit status. */
static inline int timing_shell(const char *command)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A positive count from an option value, or 0. */
static inline int timing_count(const char *text)
{
	char *end;
	long value = strtol(text, &end, 10);
	return *end == '\0' && value > 0 && value <= 1000000 ? (int)value : 0;
}
