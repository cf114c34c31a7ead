/* SPDX-License-Identifier: Apache-2.0 */
/* oob: stores through a pointer far beyond any linear memory the manifest allows. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	volatile uintptr_t address = 0xfffffff0u;
	*(volatile int *)address = 1;
	puts("the store went through");
	return 0;
}
