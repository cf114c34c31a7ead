/* SPDX-License-Identifier: Apache-2.0 */
/*
 * copy: copies /dev/input to /dev/output with plain read()/write() of 4 KiB, and writes
 * nothing else, so the report's accounting line can be predicted from the input size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char buffer[4096];
	int in = open("/dev/input", O_RDONLY);
	if (in < 0)
		return 10;
	int out = open("/dev/output", O_WRONLY);
	if (out < 0)
		return 11;
	for (;;) {
		ssize_t n = read(in, buffer, sizeof(buffer));
		if (n < 0)
			return 12;
		if (n == 0)
			break;
		for (ssize_t done = 0; done < n;) {
			ssize_t m = write(out, buffer + done, (size_t)(n - done));
			if (m <= 0)
				return 13;
			done += m;
		}
	}
	if (close(out) < 0 || close(in) < 0)
		return 14;
	return 0;
}
