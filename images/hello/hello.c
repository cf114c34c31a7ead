/* SPDX-License-Identifier: Apache-2.0 */
/* hello: the smallest job. Prints one line on /dev/stdout. */
#include <stdio.h>

int main(void)
{
	puts("hello, world");
	return 0;
}
