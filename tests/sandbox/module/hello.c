/* SPDX-License-Identifier: Apache-2.0 */
/* The wasi-libc program the module and translation tests take as a real module. */
#include <stdio.h>

int main(void)
{
	printf("hello from a wasm32-wasi module\n");
	return 0;
}
