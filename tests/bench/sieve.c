/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sieve: per unit, a sieve of Eratosthenes over a 1 MiB byte array below
 * a limit that moves with the unit, so no two units are the same; folds each prime count
 * into the checksum.
 */
#define BENCH_NAME "sieve"
#include "cpu-main.h"

#include <string.h>

#define SIEVE_LIMIT (1u << 20)

static uint32_t count_primes(uint8_t *composite, uint32_t limit)
{
	uint32_t count = 0;
	memset(composite, 0, limit + 1);
	for (uint32_t i = 2; i <= limit; i++) {
		if (composite[i])
			continue;
		count++;
		for (uint64_t j = (uint64_t)i * i; j <= limit; j += i)
			composite[j] = 1;
	}
	return count;
}

uint64_t bench_run(unsigned units)
{
	uint8_t *composite = malloc(SIEVE_LIMIT + 1);
	if (composite == NULL)
		abort();
	uint64_t check = 0;
	for (unsigned unit = 0; unit < units; unit++)
		check = bench_mix(check, count_primes(composite, SIEVE_LIMIT - (unit % 1024)));
	free(composite);
	return check;
}
