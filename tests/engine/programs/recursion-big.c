/* SPDX-License-Identifier: Apache-2.0 */
/*
 * recursion-big: unbounded recursion with a 64 KiB frame on the shadow stack. With the stack
 * placed first (--stack-first) it runs off the bottom of linear memory.
 */
#include <stdio.h>

static volatile int sink, zero;

static __attribute__((noinline)) int recurse(int depth)
{
	volatile char frame[65536];
	if (zero > depth)
		return depth;
	frame[depth & 0xffff] = (char)depth;
	sink = frame[(depth * 7) & 0xffff];
	return recurse(depth + 1) + frame[depth & 0xffff];
}

int main(void)
{
	printf("%d\n", recurse(0));
	return 0;
}
