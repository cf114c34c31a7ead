/* SPDX-License-Identifier: Apache-2.0 */
/*
 * escape: tries every way out of the channels we could think of and prints one line per
 * attempt, "refused (<errno>)" or "ALLOWED". Channels: /dev/input (read-only, holds "secret
 * input\n"), /dev/output (write-only). argv[1] names a host file that must not appear.
 * The script checks that no line says ALLOWED and that the host did not change.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static int attempts;

static void verdict(const char *what, int allowed, int error)
{
	attempts++;
	if (allowed)
		printf("%s: ALLOWED\n", what);
	else
		printf("%s: refused (%s)\n", what, strerror(error));
}

static void try_fopen(const char *path, const char *mode)
{
	char what[256];
	snprintf(what, sizeof(what), "fopen(\"%s\", \"%s\")", path, mode);
	errno = 0;
	FILE *file = fopen(path, mode);
	verdict(what, file != NULL, errno);
	if (file)
		fclose(file);
}

static void try_open(const char *path, int flags, const char *flag_name)
{
	char what[256];
	snprintf(what, sizeof(what), "open(\"%s\", %s)", path, flag_name);
	errno = 0;
	int fd = open(path, flags, 0644);
	verdict(what, fd >= 0, errno);
	if (fd >= 0)
		close(fd);
}

/* Straight to the host, past wasi-libc's own path checks: path_open relative to a preopen. */
static void try_path_open(int dirfd, const char *path, int write)
{
	char what[256];
	snprintf(what, sizeof(what), "path_open(%d, \"%s\", %s)", dirfd, path,
		 write ? "write|create" : "read");
	__wasi_fd_t fd;
	__wasi_rights_t rights = write ? __WASI_RIGHTS_FD_WRITE : __WASI_RIGHTS_FD_READ;
	__wasi_oflags_t oflags = write ? __WASI_OFLAGS_CREAT : 0;
	__wasi_errno_t error =
	    __wasi_path_open((__wasi_fd_t)dirfd, 0, path, oflags, rights, rights, 0, &fd);
	verdict(what, error == 0, error);
	if (error == 0)
		(void)__wasi_fd_close(fd);
}

static void try_guessed_descriptors(void)
{
	/* No channel is open yet: only 0-2 are streams, the preopens are directories. */
	int read_ok = 0, write_ok = 0;
	for (int fd = 3; fd <= 64; fd++) {
		char byte = 'x';
		if (write(fd, &byte, 1) >= 0) {
			write_ok++;
			printf("  write(%d) succeeded\n", fd);
		}
		if (read(fd, &byte, 1) >= 0) {
			read_ok++;
			printf("  read(%d) succeeded\n", fd);
		}
	}
	attempts++;
	if (read_ok || write_ok)
		printf("read/write on descriptors 3..64: ALLOWED (%d reads, %d writes)\n", read_ok,
		       write_ok);
	else
		printf("read/write on descriptors 3..64: refused\n");
}

static void check_input_intact(void)
{
	char buffer[64] = {0};
	int fd = open("/dev/input", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buffer, sizeof(buffer) - 1) : -1;
	printf("/dev/input afterwards: %s", n > 0 ? buffer : "(unreadable)\n");
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	const char *host_file = argc > 1 ? argv[1] : "/tmp/x";

	try_guessed_descriptors();
	try_fopen("/etc/passwd", "r");
	try_fopen("/dev/../etc/passwd", "r");
	try_fopen("/proc/self/status", "r");
	try_fopen("/dev/input/../../x", "r");
	try_open("/dev/input/../../x", O_RDONLY, "O_RDONLY");
	try_open("/dev/input/../../etc/passwd", O_RDONLY, "O_RDONLY");
	try_open("/dev/../tmp/x", O_WRONLY | O_CREAT, "O_WRONLY|O_CREAT");
	try_fopen("/dev/newfile", "w");
	try_fopen("/tmp/x", "w");
	try_fopen(host_file, "w");
	try_open("/dev/input", O_WRONLY, "O_WRONLY");
	try_open("/dev/input", O_RDWR, "O_RDWR");
	try_open("/dev/input", O_WRONLY | O_TRUNC, "O_WRONLY|O_TRUNC");
	try_open("/dev/output", O_RDONLY, "O_RDONLY");

	{
		/* A read-only channel opened for reading must still refuse a write. */
		int fd = open("/dev/input", O_RDONLY);
		errno = 0;
		ssize_t n = fd >= 0 ? write(fd, "x", 1) : -1;
		verdict("write() on /dev/input opened O_RDONLY", n >= 0, errno);
		if (fd >= 0)
			close(fd);
	}

	errno = 0;
	verdict("mkdir(\"/dev/newdir\")", mkdir("/dev/newdir", 0755) == 0, errno);
	errno = 0;
	verdict("mkdir(\"/newdir\")", mkdir("/newdir", 0755) == 0, errno);
	errno = 0;
	verdict("rename(\"/dev/input\", \"/dev/renamed\")",
		rename("/dev/input", "/dev/renamed") == 0, errno);
	errno = 0;
	verdict("rename(\"/dev/output\", \"/dev/renamed\")",
		rename("/dev/output", "/dev/renamed") == 0, errno);
	errno = 0;
	verdict("unlink(\"/dev/input\")", unlink("/dev/input") == 0, errno);
	errno = 0;
	verdict("unlink(\"/dev/output\")", unlink("/dev/output") == 0, errno);
	errno = 0;
	verdict("rmdir(\"/dev\")", rmdir("/dev") == 0, errno);
	errno = 0;
	verdict("symlink(\"/etc/passwd\", \"/dev/link\")", symlink("/etc/passwd", "/dev/link") == 0,
		errno);
	errno = 0;
	verdict("link(\"/dev/input\", \"/dev/hardlink\")", link("/dev/input", "/dev/hardlink") == 0,
		errno);

	for (int dirfd = 3; dirfd <= 5; dirfd++) {
		try_path_open(dirfd, "../etc/passwd", 0);
		try_path_open(dirfd, "/etc/passwd", 0);
		try_path_open(dirfd, "..", 0);
		try_path_open(dirfd, "input/../../etc/passwd", 0);
		try_path_open(dirfd, "newfile", 1);
		try_path_open(dirfd, "../newfile", 1);
	}

	check_input_intact();
	printf("done: %d attempts\n", attempts);
	return 0;
}
