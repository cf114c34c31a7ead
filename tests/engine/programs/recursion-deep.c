/* SPDX-License-Identifier: Apache-2.0 */
/*
 * recursion-deep: unbounded recursion without a shadow-stack frame (its locals stay in wasm
 * locals), so only the engine's call depth or native stack limit can stop it. The volatile
 * store after the call keeps every level live: neither clang nor the C compiler behind
 * wasm2c can turn the recursion into a loop.
 */
#include <stdio.h>

static volatile unsigned stop, sink;

static __attribute__((noinline)) unsigned recurse(unsigned depth)
{
	if (stop)
		return depth;
	unsigned result = recurse(depth + 1);
	sink = result ^ depth;
	return result + depth;
}

int main(void)
{
	printf("%u\n", recurse(stop));
	return 0;
}
