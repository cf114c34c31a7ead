/* SPDX-License-Identifier: Apache-2.0 */
/* wc: counts the lines, words and bytes of /dev/stdin, like `wc` with no options. */
#include <ctype.h>
#include <stdio.h>

int main(void)
{
	unsigned long lines = 0, words = 0, bytes = 0;
	int in_word = 0;
	int c;
	while ((c = getchar()) != EOF) {
		bytes++;
		if (c == '\n')
			lines++;
		if (isspace(c)) {
			in_word = 0;
		} else if (!in_word) {
			in_word = 1;
			words++;
		}
	}
	if (ferror(stdin)) {
		perror("wc: /dev/stdin");
		return 1;
	}
	printf("%lu %lu %lu\n", lines, words, bytes);
	return 0;
}
