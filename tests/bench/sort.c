/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sort: per unit, fills 2^16 pseudo-random 32-bit integers, quicksorts them (median of
 * three, insertion sort below 24) and folds every 256th value into the checksum.
 */
#define BENCH_NAME "sort"
#include "cpu-main.h"

#define SORT_COUNT (1u << 16)

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
		uint32_t pivot =
		    x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
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

uint64_t bench_run(unsigned units)
{
	uint32_t *values = malloc(SORT_COUNT * sizeof(*values));
	if (values == NULL)
		abort();
	uint64_t check = 0;
	for (unsigned unit = 0; unit < units; unit++) {
		for (uint32_t i = 0; i < SORT_COUNT; i++)
			values[i] = bench_random();
		quick_sort(values, SORT_COUNT);
		for (uint32_t i = 1; i < SORT_COUNT; i++)
			if (values[i - 1] > values[i])
				abort();
		for (uint32_t i = 0; i < SORT_COUNT; i += 256)
			check = bench_mix(check, values[i]);
	}
	free(values);
	return check;
}
