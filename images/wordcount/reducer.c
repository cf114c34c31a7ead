/* SPDX-License-Identifier: Apache-2.0 */
/* reducer: sums the counts the mappers sent (every channel of /dev/in) and passes the sums,
 * sorted by word, to the collector (the one channel of /dev/out). */
#include "wordcount.h"

int main(void)
{
	struct table words = {0};
	read_all_inputs(&words);
	table_merge(&words);
	size_t n;
	char **outputs = list_channels("/dev/out", &n);
	if (n != 1) {
		fprintf(stderr, "reducer: expected one collector in /dev/out, found %zu\n", n);
		return 1;
	}
	FILE *out = fopen(outputs[0], "w");
	if (out == NULL)
		die(outputs[0]);
	for (size_t i = 0; i < words.length; i++)
		fprintf(out, "%s %lu\n", words.entries[i].word, words.entries[i].count);
	if (fclose(out) != 0)
		die(outputs[0]);
	fprintf(stderr, "reducer: %zu words\n", words.length);
	return 0;
}
