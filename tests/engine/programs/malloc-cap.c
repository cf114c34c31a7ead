/* SPDX-License-Identifier: Apache-2.0 */
/*
 * malloc-cap: allocates 64 KiB blocks, touching each, until malloc returns NULL, then prints
 * how much it got. Under Memory = 16 MiB that must stop below 16 MiB, and the program must
 * see NULL rather than be killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (64 * 1024)
#define MAX_BLOCKS 65536

static void *blocks[MAX_BLOCKS];

int main(void)
{
	size_t count = 0;
	while (count < MAX_BLOCKS) {
		void *block = malloc(BLOCK);
		if (block == NULL)
			break;
		memset(block, (int)count, BLOCK);
		blocks[count++] = block;
	}
	printf("malloc returned NULL: %s\n", count < MAX_BLOCKS ? "yes" : "no");
	printf("allocated %zu bytes in %zu blocks\n", count * (size_t)BLOCK, count);
	unsigned long sum = 0;
	for (size_t i = 0; i < count; i++)
		sum += ((unsigned char *)blocks[i])[i % BLOCK];
	fprintf(stderr, "checksum %lu\n", sum);
	return 0;
}
