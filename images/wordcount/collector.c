/* SPDX-License-Identifier: Apache-2.0 */
/* collector: merges the reducers' sums (every channel of /dev/in) and writes the final
 * counts to stdout, sorted by word, as `uniq -c` would: "<count> <word>". */
#include "wordcount.h"

int main(void)
{
	struct table words = {0};
	read_all_inputs(&words);
	table_merge(&words);
	for (size_t i = 0; i < words.length; i++)
		printf("%lu %s\n", words.entries[i].count, words.entries[i].word);
	return fflush(stdout) == 0 ? 0 : 1;
}
