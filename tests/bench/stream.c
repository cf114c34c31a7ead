/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream: the channel benchmark's program, a cat with a byte bound. Copies IN to OUT with
 * 128 KiB read()/write() calls (coreutils cat's buffer size, so native cat is the fair
 * comparison) until end of file or BYTES bytes.
 *
 *   stream [IN OUT [BYTES]]      IN or OUT "-": descriptor 0 or 1 (the default), no bound
 *
 * (WASI has no /dev/stdin path: a module's standard streams are descriptors only.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_BYTES (128u * 1024)

int main(int argc, char **argv)
{
	static char buffer[BUFFER_BYTES];
	const char *in_path = argc > 2 ? argv[1] : "-";
	const char *out_path = argc > 2 ? argv[2] : "-";
	unsigned long long left = argc > 3 ? strtoull(argv[3], NULL, 10) : ~0ull;
	int in = strcmp(in_path, "-") == 0 ? 0 : open(in_path, O_RDONLY);
	int out = strcmp(out_path, "-") == 0 ? 1 : open(out_path, O_WRONLY);
	if (in < 0 || out < 0) {
		perror(in < 0 ? in_path : out_path);
		return 1;
	}
	while (left > 0) {
		size_t want = left < BUFFER_BYTES ? (size_t)left : BUFFER_BYTES;
		ssize_t n = read(in, buffer, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror(in_path);
			return 1;
		}
		if (n == 0)
			break;
		left -= (unsigned long long)n;
		for (ssize_t done = 0; done < n;) {
			ssize_t m = write(out, buffer + done, (size_t)(n - done));
			if (m < 0 && errno == EINTR)
				continue;
			if (m <= 0) {
				perror(out_path);
				return 1;
			}
			done += m;
		}
	}
	if (close(out) < 0) {
		perror(out_path);
		return 1;
	}
	return 0;
}
