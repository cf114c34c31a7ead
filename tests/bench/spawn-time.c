/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spawn-time: runs a command N times with posix_spawn and prints the median wall time, start
 * of the spawn to the end of waitpid. For ms-scale figures a shell or hyperfine adds about a
 * millisecond of its own; this adds a spawn and a wait, as any caller of the program would.
 *
 *   spawn-time [-n RUNS] [-w WARMUP] [-b COMMAND] [-i FILE] [-o FILE] -- PROGRAM [ARG...]
 *
 * -w runs untimed first; -b runs `sh -c COMMAND` (untimed) before every run, e.g. to clear a
 * cache; PROGRAM's stdin is the -i FILE (default /dev/null), its stdout the -o FILE (default
 * /dev/null; truncated by the child, so remove a big one with -b first), its stderr ours.
 * Prints "MEDIAN MIN MAX RUNS" in seconds. A run that does not exit 0 ends it with status 1:
 * its time would mean nothing.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>

#include "timing.h"

extern char **environ;

static int usage(void)
{
	fputs(
	    "usage: spawn-time [-n RUNS] [-w WARMUP] [-b COMMAND] [-o FILE] -- PROGRAM [ARG...]\n",
	    stderr);
	return 2;
}

static double run_once(char **argv, const char *input, const char *output)
{
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	double start = timing_now();
	pid_t pid;
	int r = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (r != 0) {
		fprintf(stderr, "spawn-time: %s: %s\n", argv[0], strerror(r));
		exit(1);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	double end = timing_now();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "spawn-time: %s ended with %s %d\n", argv[0],
			WIFEXITED(status) ? "status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		exit(1);
	}
	return end - start;
}

int main(int argc, char **argv)
{
	int runs = 5, warmup = 0, opt;
	const char *before = NULL, *input = "/dev/null", *output = "/dev/null";
	while ((opt = getopt(argc, argv, "+n:w:b:i:o:")) != -1) {
		switch (opt) {
		case 'n':
			if ((runs = timing_count(optarg)) == 0)
				return usage();
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		case 'b':
			before = optarg;
			break;
		case 'i':
			input = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	double *samples = calloc((size_t)runs, sizeof(*samples));
	if (samples == NULL)
		return 1;
	for (int i = 0; i < warmup + runs; i++) {
		if (before != NULL && timing_shell(before) != 0) {
			fprintf(stderr, "spawn-time: '%s' failed\n", before);
			return 1;
		}
		double elapsed = run_once(argv + optind, input, output);
		if (i >= warmup)
			samples[i - warmup] = elapsed;
	}
	timing_report(samples, runs);
	free(samples);
	return 0;
}
