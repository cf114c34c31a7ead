/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ticker COUNT SPIN: writes "tick N" lines to /dev/stdout, COUNT of them, spinning SPIN
 * iterations between two (the clock is fixed inside a job, so it cannot sleep), then
 * "ticks COUNT" to /dev/result. Output is unbuffered so a watcher sees it grow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long counter;

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 10;
	unsigned long spin = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000;
	char line[64];
	for (long i = 1; i <= count; i++) {
		int n = snprintf(line, sizeof(line), "tick %ld\n", i);
		if (write(1, line, (size_t)n) != n)
			return 1;
		for (unsigned long j = 0; j < spin; j++)
			counter++;
	}
	FILE *result = fopen("/dev/result", "w");
	if (result == NULL)
		return 2;
	fprintf(result, "ticks %ld\n", count);
	return fclose(result) == 0 ? 0 : 3;
}
