/* SPDX-License-Identifier: Apache-2.0 */
/*
 * big-memory: a module whose initial linear memory is 32 MiB (a zero-filled static array), so
 * a manifest with a smaller Memory must be refused before it runs.
 */
#include <stdio.h>

static char big[32 * 1024 * 1024];

int main(int argc, char **argv)
{
	big[argc * 4096] = 1;
	printf("ran with %d\n", big[4096 + (int)sizeof(argv)]);
	return 0;
}
