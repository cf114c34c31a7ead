/* SPDX-License-Identifier: Apache-2.0 */
/*
 * matmul: per unit, fills two 128x128 matrices of doubles from the generator and multiplies
 * them (i-k-j order); folds the bits of the product's diagonal into the checksum. Only + and
 * * of doubles, never contracted to fma (x86-64 gcc -O2 has none, wasm neither): the bits
 * match on every runtime.
 */
#define BENCH_NAME "matmul"
#include "cpu-main.h"

#include <string.h>

#define N 128

static double a[N][N], b[N][N], c[N][N];

static void fill(double m[N][N])
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			m[i][j] = (double)(bench_random() & 0xffff) / 65536.0 - 0.5;
}

uint64_t bench_run(unsigned units)
{
	uint64_t check = 0;
	for (unsigned unit = 0; unit < units; unit++) {
		fill(a);
		fill(b);
		memset(c, 0, sizeof(c));
		for (int i = 0; i < N; i++)
			for (int k = 0; k < N; k++) {
				double aik = a[i][k];
				for (int j = 0; j < N; j++)
					c[i][j] += aik * b[k][j];
			}
		for (int i = 0; i < N; i++) {
			uint64_t bits;
			memcpy(&bits, &c[i][i], sizeof(bits));
			check = bench_mix(check, bits);
		}
	}
	return check;
}
