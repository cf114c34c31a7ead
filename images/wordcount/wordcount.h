/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the word-count nodes share: a growable list of "word count" records, its sort and
 * merge, and the channel directories of a system map node (/dev/in, /dev/out), listed in
 * name order so that every node sees its peers in the same order.
 */
#pragma once

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *word;
	unsigned long count;
};

struct table {
	struct entry *entries;
	size_t length, capacity;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void table_add(struct table *t, const char *word, size_t length, unsigned long count)
{
	if (t->length == t->capacity) {
		t->capacity = t->capacity ? 2 * t->capacity : 1024;
		t->entries = realloc(t->entries, t->capacity * sizeof(*t->entries));
		if (t->entries == NULL)
			die("realloc");
	}
	char *copy = malloc(length + 1);
	if (copy == NULL)
		die("malloc");
	memcpy(copy, word, length);
	copy[length] = '\0';
	t->entries[t->length++] = (struct entry){copy, count};
}

static int entry_compare(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->word, ((const struct entry *)b)->word);
}

/* Sorts by word (byte order) and folds equal words into one record. */
static void table_merge(struct table *t)
{
	qsort(t->entries, t->length, sizeof(*t->entries), entry_compare);
	size_t out = 0;
	for (size_t i = 0; i < t->length; i++) {
		if (out > 0 && strcmp(t->entries[out - 1].word, t->entries[i].word) == 0) {
			t->entries[out - 1].count += t->entries[i].count;
			free(t->entries[i].word);
		} else {
			t->entries[out++] = t->entries[i];
		}
	}
	t->length = out;
}

/* Reads "word count" lines from @in into @t. */
static void table_read(struct table *t, FILE *in, const char *name)
{
	char line[4096];
	while (fgets(line, sizeof(line), in)) {
		char *space = strchr(line, ' ');
		if (space == NULL) {
			fprintf(stderr, "%s: malformed record\n", name);
			exit(1);
		}
		table_add(t, line, (size_t)(space - line), strtoul(space + 1, NULL, 10));
	}
	if (ferror(in))
		die(name);
}

static int name_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The channel names in @dir ("/dev/in"), sorted; *@count of them. */
static char **list_channels(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		die(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (names == NULL)
			die("realloc");
		names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (names[n] == NULL)
			die("malloc");
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_compare);
	*count = n;
	return names;
}

/* Reads every channel of /dev/in into @t, one after the other. */
static void read_all_inputs(struct table *t)
{
	size_t n;
	char **inputs = list_channels("/dev/in", &n);
	for (size_t i = 0; i < n; i++) {
		FILE *in = fopen(inputs[i], "r");
		if (in == NULL)
			die(inputs[i]);
		table_read(t, in, inputs[i]);
		fclose(in);
	}
}
