/* SPDX-License-Identifier: Apache-2.0 */
/* exitcode: exits with 42, which the report shows as the user return code. */
#include <stdio.h>

int main(void)
{
	puts("returning 42");
	return 42;
}
