/* SPDX-License-Identifier: Apache-2.0 */
/*
 * slowread CHUNK SPIN: reads /dev/stdin to its end in CHUNK-byte reads, spinning SPIN
 * iterations after each (the clock is fixed inside a job, so it cannot sleep), writes a line
 * "read N MiB" at every MiB and "total N" at the end. A job whose input is consumed slowly,
 * for the client's progress line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile unsigned long counter;
static char buffer[1 << 20];

int main(int argc, char **argv)
{
	size_t chunk = argc > 1 ? strtoul(argv[1], NULL, 10) : 65536;
	unsigned long spin = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000;
	if (chunk == 0 || chunk > sizeof(buffer))
		chunk = sizeof(buffer);
	unsigned long long total = 0;
	char line[64];
	for (;;) {
		ssize_t n = read(0, buffer, chunk);
		if (n < 0)
			return 1;
		if (n == 0)
			break;
		if ((total + (size_t)n) >> 20 != total >> 20) {
			int length = snprintf(line, sizeof(line), "read %llu MiB\n",
					      (total + (size_t)n) >> 20);
			if (write(1, line, (size_t)length) != length)
				return 2;
		}
		total += (size_t)n;
		for (unsigned long j = 0; j < spin; j++)
			counter++;
	}
	printf("total %llu\n", total);
	return 0;
}
