/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flood: writes 10 MB to /dev/stdout in 100000-byte writes and reports on /dev/stderr how
 * much went through and how the writes ended.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 100000
#define TOTAL (10 * 1000 * 1000)

int main(void)
{
	static char buffer[CHUNK];
	memset(buffer, 'z', sizeof(buffer));
	long written = 0, calls = 0;
	int error = 0;
	while (written < TOTAL) {
		ssize_t n = write(1, buffer, sizeof(buffer));
		calls++;
		if (n < 0) {
			error = errno;
			break;
		}
		written += n;
	}
	fprintf(stderr, "wrote %ld bytes in %ld calls, then %s\n", written, calls,
		error == EDQUOT ? "EDQUOT"
		: error		? strerror(error)
				: "no error");
	return 0;
}
