/* SPDX-License-Identifier: Apache-2.0 */
/* Whole transfers on descriptors (fd-io.h). */
#include "fd-io.h"

#include <errno.h>
#include <unistd.h>

int zvm_write_all(int fd, const void *data, gsize length)
{
	const guint8 *p = data;
	while (length > 0) {
		ssize_t n = write(fd, p, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		length -= (gsize)n;
	}
	return 0;
}

int zvm_copy_fd(int from, int to)
{
	char buffer[65536];
	for (;;) {
		ssize_t n = read(from, buffer, sizeof(buffer));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		int r = zvm_write_all(to, buffer, (gsize)n);
		if (r < 0)
			return r;
	}
}
