/* SPDX-License-Identifier: Apache-2.0 */
/* unreachable: executes wasm's `unreachable` (__builtin_trap). */
#include <stdio.h>

int main(void)
{
	fputs("about to trap\n", stderr);
	__builtin_trap();
}
