/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mapper: splits /dev/stdin into words (runs of ASCII letters, lowercased), counts them, and
 * sends each word's count to one reducer, chosen by a hash of the word over the channels of
 * /dev/out in name order.
 */
#include <ctype.h>

#include "wordcount.h"

static unsigned long hash(const char *word)
{
	unsigned long h = 2166136261u;
	for (; *word; word++)
		h = (h ^ (unsigned char)*word) * 16777619u;
	return h;
}

int main(void)
{
	struct table words = {0};
	char word[256];
	size_t length = 0;
	int c;
	while ((c = getchar()) != EOF) {
		if (isalpha(c) && c < 128) {
			if (length < sizeof(word))
				word[length++] = (char)tolower(c);
		} else if (length > 0) {
			table_add(&words, word, length, 1);
			length = 0;
		}
	}
	if (length > 0)
		table_add(&words, word, length, 1);
	if (ferror(stdin))
		die("/dev/stdin");
	table_merge(&words);

	size_t n_reducers;
	char **reducers = list_channels("/dev/out", &n_reducers);
	if (n_reducers == 0) {
		fprintf(stderr, "mapper: no reducers in /dev/out\n");
		return 1;
	}
	FILE **out = calloc(n_reducers, sizeof(*out));
	for (size_t r = 0; r < n_reducers; r++)
		if ((out[r] = fopen(reducers[r], "w")) == NULL)
			die(reducers[r]);
	for (size_t i = 0; i < words.length; i++) {
		FILE *to = out[hash(words.entries[i].word) % n_reducers];
		fprintf(to, "%s %lu\n", words.entries[i].word, words.entries[i].count);
	}
	for (size_t r = 0; r < n_reducers; r++)
		if (fclose(out[r]) != 0)
			die(reducers[r]);
	fprintf(stderr, "mapper: %zu distinct words\n", words.length);
	return 0;
}
