/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu-main.h: the main shared by the CPU benchmarks (sort.c, sha256.c, sieve.c, matmul.c).
 * Each program defines bench_run(units): `units` times one fixed piece of work, so the work
 * grows linearly with the argument and its memory footprint does not change, which is what
 * lets run.sh compare a scaled-down interpreter run per unit of work. The result is a 64-bit
 * checksum that must be the same natively and in every wasm runtime.
 *
 * Built normally, main() takes UNITS as argv[1] and prints "NAME UNITS CHECKSUM". Built with
 * -DBENCH_INTERP_UNITS=N (for wabt's wasm-interp, which Debian builds without WASI), there
 * is no main: the module exports `bench`, which runs N units and returns the checksum.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t bench_run(unsigned units);

/* xorshift64: the same sequence on every runtime. */
static uint64_t bench_rng_state = 0x9e3779b97f4a7c15ull;

static inline uint32_t bench_random(void)
{
	bench_rng_state ^= bench_rng_state << 13;
	bench_rng_state ^= bench_rng_state >> 7;
	bench_rng_state ^= bench_rng_state << 17;
	return (uint32_t)(bench_rng_state >> 11);
}

/* Folds one value into a checksum (FNV-style multiply, then a shift-xor). */
static inline uint64_t bench_mix(uint64_t check, uint64_t value)
{
	check = (check ^ value) * 0x100000001b3ull;
	return check ^ (check >> 29);
}

#ifdef BENCH_INTERP_UNITS
uint64_t bench(void) __attribute__((export_name("bench")));
uint64_t bench(void)
{
	return bench_run(BENCH_INTERP_UNITS);
}
#else
int main(int argc, char **argv)
{
	unsigned long units = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	if (units == 0 || units > 1000000) {
		fprintf(stderr, "usage: %s UNITS   (1 to 1000000)\n", argv[0]);
		return 2;
	}
	uint64_t check = bench_run((unsigned)units);
	printf("%s %lu %016llx\n", BENCH_NAME, units, (unsigned long long)check);
	return 0;
}
#endif
