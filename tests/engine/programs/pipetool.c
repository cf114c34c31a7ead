/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipetool: one node of the pipeline tests; what it does is argv[1]:
 *   write N      writes N bytes to every channel of /dev/out (in 4 KiB calls); on an error
 *                prints it to stderr and exits 3
 *   write-trap N writes N bytes to every channel of /dev/out, then traps (unreachable)
 *   read         reads every channel of /dev/in to its end; prints "<name> <bytes>" per channel
 *   quit         ends at once, reading nothing
 *   trap         traps at once (unreachable)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int for_each_channel(const char *dir, int (*action)(const char *path, long n), long n)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return 2;
	}
	struct dirent *e;
	char names[64][64];
	int count = 0;
	while ((e = readdir(d)) != NULL && count < 64)
		if (e->d_name[0] != '.')
			snprintf(names[count++], sizeof(names[0]), "%s/%s", dir, e->d_name);
	closedir(d);
	qsort(names, (size_t)count, sizeof(names[0]), (int (*)(const void *, const void *))strcmp);
	for (int i = 0; i < count; i++) {
		int r = action(names[i], n);
		if (r != 0)
			return r;
	}
	return 0;
}

static int write_channel(const char *path, long n)
{
	FILE *out = fopen(path, "w");
	if (out == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 3;
	}
	static char block[4096];
	memset(block, 'x', sizeof(block));
	for (long done = 0; done < n; done += (long)sizeof(block)) {
		size_t size = n - done < (long)sizeof(block) ? (size_t)(n - done) : sizeof(block);
		if (fwrite(block, 1, size, out) != size || fflush(out) != 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 3;
		}
	}
	if (fclose(out) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 3;
	}
	return 0;
}

static int read_channel(const char *path, long n)
{
	FILE *in = fopen(path, "r");
	if (in == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 4;
	}
	char buf[4096];
	long total = 0;
	size_t got;
	while ((got = fread(buf, 1, sizeof(buf), in)) > 0)
		total += (long)got;
	fclose(in);
	printf("%s %ld\n", path, total);
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0;
	if (strcmp(what, "write") == 0)
		return for_each_channel("/dev/out", write_channel, n);
	if (strcmp(what, "write-trap") == 0) {
		for_each_channel("/dev/out", write_channel, n);
		__builtin_trap();
	}
	if (strcmp(what, "read") == 0)
		return for_each_channel("/dev/in", read_channel, 0);
	if (strcmp(what, "quit") == 0)
		return 0;
	if (strcmp(what, "trap") == 0)
		__builtin_trap();
	fprintf(stderr, "pipetool: unknown action '%s'\n", what);
	return 2;
}
