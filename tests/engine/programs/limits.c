/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limits: ZeroVM's channel limit example (reference §2.3), read and write side. Every call
 * and its result is printed; the whole text goes out in one write() at the end, so the report
 * counts exactly one write on /dev/stdout.
 *   /dev/rlimited  gets=32 get_size=32 over 100 bytes: 4 x 1 byte, 30 -> 28, then EDQUOT
 *   /dev/rfree     gets=1 get_size=5: 0-byte reads are free, then 5 bytes, then EDQUOT
 *   /dev/reof      gets=2 over 3 bytes: 3 bytes, 0 at EOF (uses a gets), 0 again (free)
 *   /dev/wlimited  puts=32 put_size=32: 4 x 1 byte, 30 -> 28, then EDQUOT
 *   /dev/wfree     puts=1 put_size=5: 0-byte writes are free, then 5 bytes, then EDQUOT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char text[4096];
static size_t used;

__attribute__((format(printf, 1, 2))) static void say(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int n = vsnprintf(text + used, sizeof(text) - used, format, args);
	va_end(args);
	if (n > 0)
		used += (size_t)n < sizeof(text) - used ? (size_t)n : sizeof(text) - used - 1;
}

static const char *error_name(int error)
{
	switch (error) {
	case EDQUOT:
		return "EDQUOT";
	case EBADF:
		return "EBADF";
	case ENOENT:
		return "ENOENT";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ENOTCAPABLE:
		return "ENOTCAPABLE";
	default:
		return strerror(error);
	}
}

static void show(const char *alias, const char *verb, size_t size, ssize_t n, int error)
{
	if (n < 0)
		say("%s %s %zu: -1 %s\n", alias, verb, size, error_name(error));
	else
		say("%s %s %zu: %zd\n", alias, verb, size, n);
}

static int open_channel(const char *alias, int flags)
{
	int fd = open(alias, flags);
	if (fd < 0)
		say("%s open: -1 %s\n", alias, error_name(errno));
	return fd;
}

static void try_read(int fd, const char *alias, size_t size)
{
	char buffer[64];
	errno = 0;
	ssize_t n = read(fd, buffer, size);
	show(alias, "read", size, n, errno);
}

static void try_write(int fd, const char *alias, const char *data, size_t size)
{
	errno = 0;
	ssize_t n = write(fd, data, size);
	show(alias, "write", size, n, errno);
}

int main(void)
{
	static const char pattern[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	int fd;

	if ((fd = open_channel("/dev/rlimited", O_RDONLY)) >= 0) {
		for (int i = 0; i < 4; i++)
			try_read(fd, "/dev/rlimited", 1);
		try_read(fd, "/dev/rlimited", 30);
		try_read(fd, "/dev/rlimited", 1);
		try_read(fd, "/dev/rlimited", 0);
	}
	if ((fd = open_channel("/dev/rfree", O_RDONLY)) >= 0) {
		for (int i = 0; i < 3; i++)
			try_read(fd, "/dev/rfree", 0);
		try_read(fd, "/dev/rfree", 5);
		try_read(fd, "/dev/rfree", 1);
	}
	if ((fd = open_channel("/dev/reof", O_RDONLY)) >= 0) {
		try_read(fd, "/dev/reof", 10);
		try_read(fd, "/dev/reof", 10);
		try_read(fd, "/dev/reof", 10);
	}
	if ((fd = open_channel("/dev/wlimited", O_WRONLY)) >= 0) {
		for (int i = 0; i < 4; i++)
			try_write(fd, "/dev/wlimited", pattern + i, 1);
		try_write(fd, "/dev/wlimited", pattern + 4, 30);
		try_write(fd, "/dev/wlimited", pattern, 1);
		try_write(fd, "/dev/wlimited", pattern, 0);
	}
	if ((fd = open_channel("/dev/wfree", O_WRONLY)) >= 0) {
		for (int i = 0; i < 3; i++)
			try_write(fd, "/dev/wfree", pattern, 0);
		try_write(fd, "/dev/wfree", pattern, 5);
		try_write(fd, "/dev/wfree", pattern, 1);
	}
	say("done\n");
	return write(1, text, used) == (ssize_t)used ? 0 : 1;
}
