/* SPDX-License-Identifier: Apache-2.0 */
/* div-zero: divides by a number read from /dev/stdin (0), so the compiler cannot fold it. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	char line[32];
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 2;
	int divisor = atoi(line);
	fprintf(stderr, "dividing by %d\n", divisor);
	printf("%d\n", 1000 / divisor);
	return 0;
}
