/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu-mix: the CPU-bound load of bench-engine.sh. A quicksort of pseudo-random integers, a
 * 64-bit hash over them, and a sieve of Eratosthenes, all in plain C with no libc hot paths
 * (so native and wasm run the same algorithms). Prints one checksum line; argv[1] scales the
 * work (default 1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SORT_COUNT (4u * 1000 * 1000)
#define HASH_ROUNDS 32u
#define SIEVE_LIMIT (50u * 1000 * 1000)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t next_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static void insertion_sort(uint32_t *a, long n)
{
	for (long i = 1; i < n; i++) {
		uint32_t v = a[i];
		long j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void quick_sort(uint32_t *a, long n)
{
	while (n > 24) {
		uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
		uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		long i = 0, j = n - 1;
		for (;;) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i >= j)
				break;
			uint32_t t = a[i];
			a[i] = a[j];
			a[j] = t;
			i++;
			j--;
		}
		/* Recurse into the smaller side, loop on the larger: bounded stack. */
		if (j + 1 < n - j - 1) {
			quick_sort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			quick_sort(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	insertion_sort(a, n);
}

static uint64_t hash_words(const uint32_t *a, size_t n, uint64_t seed)
{
	uint64_t h = seed ^ 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = a[i] * 0xff51afd7ed558ccdull;
		k ^= k >> 33;
		h = (h ^ k) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

static uint32_t sieve(uint32_t limit)
{
	uint8_t *composite = calloc(limit + 1, 1);
	if (composite == NULL)
		return 0;
	uint32_t count = 0;
	for (uint32_t i = 2; i <= limit; i++) {
		if (composite[i])
			continue;
		count++;
		for (uint64_t j = (uint64_t)i * i; j <= limit; j += i)
			composite[j] = 1;
	}
	free(composite);
	return count;
}

int main(int argc, char **argv)
{
	unsigned scale = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1;
	if (scale == 0)
		scale = 1;
	uint32_t *values = malloc(SORT_COUNT * sizeof(*values));
	if (values == NULL) {
		fprintf(stderr, "cpu-mix: out of memory\n");
		return 1;
	}
	uint64_t check = 0;
	uint32_t primes = 0;
	for (unsigned round = 0; round < scale; round++) {
		for (uint32_t i = 0; i < SORT_COUNT; i++)
			values[i] = next_random();
		quick_sort(values, SORT_COUNT);
		for (uint32_t i = 1; i < SORT_COUNT; i++) {
			if (values[i - 1] > values[i]) {
				fprintf(stderr, "cpu-mix: not sorted at %u\n", i);
				return 1;
			}
		}
		for (unsigned r = 0; r < HASH_ROUNDS; r++)
			check ^= hash_words(values, SORT_COUNT, check + r);
		primes = sieve(SIEVE_LIMIT);
		check += primes;
	}
	printf("cpu-mix: %u primes below %u, checksum %016llx\n", primes, SIEVE_LIMIT,
	       (unsigned long long)check);
	free(values);
	return 0;
}
