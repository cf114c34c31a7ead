/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clock-random: prints everything a program could use to tell two runs apart: the real-time
 * and monotonic clocks, time(), 16 bytes of getentropy() and two arc4random() values. Under
 * zvmfs all of it comes from the job (nvram [time], a seeded PRNG), so two runs print the same.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void print_clock(const char *name, clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) == 0)
		printf("%s %lld.%09ld\n", name, (long long)ts.tv_sec, ts.tv_nsec);
	else
		printf("%s failed\n", name);
}

int main(void)
{
	print_clock("realtime", CLOCK_REALTIME);
	printf("time %lld\n", (long long)time(NULL));
	print_clock("monotonic", CLOCK_MONOTONIC);
	print_clock("realtime-again", CLOCK_REALTIME);

	unsigned char bytes[16];
	if (getentropy(bytes, sizeof(bytes)) == 0) {
		printf("getentropy ");
		for (size_t i = 0; i < sizeof(bytes); i++)
			printf("%02x", bytes[i]);
		printf("\n");
	} else {
		printf("getentropy failed\n");
	}
	uint32_t a = arc4random();
	uint32_t b = arc4random();
	printf("arc4random %08x %08x\n", (unsigned)a, (unsigned)b);
	return 0;
}
