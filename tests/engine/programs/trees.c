/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writable trees ([fstab] access=rw scratch, access=wo output) seen from a program:
 *   trees scratch DIR   files, directories, renames, unlink, readdir, stat, escapes, symbolic
 *                       and hard links
 *   trees seeded DIR    the same, then DIR holds exactly the image's dir/file.txt ("seed")
 *   trees output DIR    builds a small tree (a/, a/b/, a/b/c.txt, moved.txt, sym) and removes a
 *                       file and a directory it made, for the engine to save
 *   trees fill DIR      writes 64 KiB blocks into DIR/big until a write fails, prints
 *                       "fill <bytes> <errno name>"
 *   trees count DIR     makes empty files DIR/f<N> until one fails, prints
 *                       "count <files> <errno name>"
 * Prints one line per failed check and exits with the number of failures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL line %d: %s (errno %s)\n", __LINE__, #cond, strerror(errno)); \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static const char *errno_name(int e)
{
	switch (e) {
	case ENOSPC:
		return "ENOSPC";
	case EDQUOT:
		return "EDQUOT";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	default:
		return strerror(e);
	}
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	CHECK(close(fd) == 0);
}

static int has(const char *path, const char *text)
{
	char buf[256] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

static int listing(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	int n = 0;
	out[0] = '\0';
	if (d == NULL)
		return -1;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		strncat(out, e->d_name, size - strlen(out) - 2);
		strcat(out, " ");
		n++;
	}
	closedir(d);
	return n;
}

static void scratch(const char *root)
{
	char p[512], q[512], list[512];
	struct stat st;

	/* In a directory of its own, beside whatever the tree started with. */
	snprintf(p, sizeof(p), "%s/t", root);
	CHECK(mkdir(p, 0755) == 0 && chdir(p) == 0);
	/* Files: write, append, read back, seek, truncate. */
	put("hello.txt", "hello");
	CHECK(has("hello.txt", "hello"));
	int fd = open("hello.txt", O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, " world", 6) == 6 && close(fd) == 0);
	CHECK(has("hello.txt", "hello world"));
	CHECK(stat("hello.txt", &st) == 0 && st.st_size == 11 && S_ISREG(st.st_mode));
	fd = open("hello.txt", O_RDWR);
	CHECK(fd >= 0 && pwrite(fd, "J", 1, 0) == 1 && ftruncate(fd, 5) == 0 && close(fd) == 0);
	CHECK(has("hello.txt", "Jello"));
	CHECK(open("hello.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) < 0 && errno == EEXIST);
	/* Sparse: a write past the end fills with zeros. */
	fd = open("sparse", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0 && pwrite(fd, "x", 1, 1000) == 1);
	char zero[4] = {1, 1, 1, 1};
	CHECK(pread(fd, zero, 4, 500) == 4 && zero[0] == 0 && zero[3] == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 1001);
	close(fd);

	/* Directories. */
	CHECK(mkdir("d", 0755) == 0);
	CHECK(mkdir("d", 0755) < 0 && errno == EEXIST);
	CHECK(mkdir("d/e", 0755) == 0);
	CHECK(mkdir("missing/e", 0755) < 0 && errno == ENOENT);
	put("d/e/f.txt", "deep");
	CHECK(has("d/e/f.txt", "deep"));
	CHECK(stat("d/e", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(rmdir("d/e") < 0 && errno == ENOTEMPTY);
	CHECK(unlink("d/e") < 0 && (errno == EISDIR || errno == EPERM));
	CHECK(rmdir("hello.txt") < 0 && errno == ENOTDIR);
	CHECK(open("hello.txt/x", O_RDONLY) < 0 && errno == ENOTDIR);

	/* readdir sees what is there, in name order. */
	CHECK(listing(".", list, sizeof(list)) == 3);
	CHECK(strcmp(list, "d hello.txt sparse ") == 0);

	/* Renames: a file, over a file, a directory, into itself. */
	CHECK(rename("hello.txt", "d/greeting") == 0);
	CHECK(has("d/greeting", "Jello"));
	CHECK(access("hello.txt", F_OK) < 0 && errno == ENOENT);
	put("other", "other");
	CHECK(rename("other", "d/greeting") == 0);
	CHECK(has("d/greeting", "other"));
	CHECK(rename("d", "d2") == 0);
	CHECK(has("d2/e/f.txt", "deep"));
	CHECK(rename("d2", "d2/e/inside") < 0 && errno == EINVAL);
	CHECK(mkdir("full", 0755) == 0 && mkdir("full/x", 0755) == 0);
	CHECK(rename("d2/e", "full") < 0 && errno == ENOTEMPTY);
	CHECK(rename("d2/greeting", "full") < 0 && errno == EISDIR);
	CHECK(rename("full", "d2/greeting") < 0 && errno == ENOTDIR);

	/* An open file outlives its name. */
	put("gone", "still here");
	fd = open("gone", O_RDONLY);
	CHECK(fd >= 0 && unlink("gone") == 0);
	CHECK(access("gone", F_OK) < 0 && errno == ENOENT);
	char buf[16] = {0};
	CHECK(read(fd, buf, sizeof(buf)) == 10 && memcmp(buf, "still here", 10) == 0);
	close(fd);

	/* No way out: not by "..", not by a symbolic link. */
	snprintf(p, sizeof(p), "%s/../../etc/passwd", root);
	CHECK(open(p, O_RDONLY) < 0);
	int dirfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(dirfd >= 0);
	CHECK(openat(dirfd, "../x", O_RDONLY) < 0 && errno == ENOTCAPABLE);
	CHECK(openat(dirfd, "/etc/passwd", O_RDONLY) < 0);
	CHECK(symlink("/etc/passwd", "abs") < 0 && errno == ENOTCAPABLE);
	CHECK(access("abs", F_OK) < 0 && errno == ENOENT);
	CHECK(symlink("../../../../..", "up") == 0);
	CHECK(openat(dirfd, "up/etc/passwd", O_RDONLY) < 0 && errno == ENOTCAPABLE);
	CHECK(symlink("loop", "loop") == 0);
	CHECK(openat(dirfd, "loop", O_RDONLY) < 0 && errno == ELOOP);
	CHECK(unlink("up") == 0 && unlink("loop") == 0);
	/* A link inside the tree is followed, and read back. */
	CHECK(symlink("d2", "link2") == 0);
	CHECK(has("link2/greeting", "other"));
	CHECK(readlink("link2", buf, sizeof(buf)) == 2 && memcmp(buf, "d2", 2) == 0);
	CHECK(lstat("link2", &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(stat("link2", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(openat(dirfd, "link2", O_RDONLY | O_NOFOLLOW) < 0 && errno == ELOOP);
	CHECK(unlink("link2") == 0 && access("d2/greeting", F_OK) == 0);
	/* Confined to the descriptor the path starts from, even when the target is in the tree. */
	CHECK(mkdir("jail", 0755) == 0 && symlink("../d2", "jail/out") == 0);
	int jail = open("jail", O_RDONLY | O_DIRECTORY);
	CHECK(jail >= 0 && openat(jail, "out/greeting", O_RDONLY) < 0 && errno == ENOTCAPABLE);
	CHECK(has("jail/out/greeting", "other"));
	close(jail);
	CHECK(unlink("jail/out") == 0 && rmdir("jail") == 0);
	/* Hard links: one file, two names. */
	CHECK(link("d2/greeting", "hard") == 0);
	CHECK(stat("hard", &st) == 0 && st.st_nlink == 2);
	put("hard", "via hard");
	CHECK(has("d2/greeting", "via hard"));
	CHECK(unlink("hard") == 0 && stat("d2/greeting", &st) == 0 && st.st_nlink == 1);
	CHECK(link("d2", "dirlink") < 0 && errno == EPERM);
	close(dirfd);

	/* Clean up every name: the tree is empty again. */
	snprintf(q, sizeof(q), "d2/greeting");
	CHECK(unlink(q) == 0 && unlink("d2/e/f.txt") == 0 && rmdir("d2/e") == 0 &&
	      rmdir("d2") == 0 && rmdir("full/x") == 0 && rmdir("full") == 0 &&
	      unlink("sparse") == 0);
	CHECK(listing(".", list, sizeof(list)) == 0);
	CHECK(chdir(root) == 0 && rmdir("t") == 0);
}

/* A scratch tree seeded from an image holds the image's files, writable. */
static void seeded(const char *root)
{
	char list[512];

	scratch(root);
	CHECK(listing(".", list, sizeof(list)) == 1 && strcmp(list, "dir ") == 0);
	CHECK(has("dir/file.txt", "seed"));
	put("dir/file.txt", "changed");
	CHECK(has("dir/file.txt", "changed"));
}

static void output(const char *root)
{
	CHECK(chdir(root) == 0);
	CHECK(mkdir("a", 0755) == 0 && mkdir("a/b", 0755) == 0);
	put("a/b/c.txt", "see");
	put("first.txt", "moved");
	CHECK(rename("first.txt", "moved.txt") == 0);
	put("temp", "temporary");
	CHECK(unlink("temp") == 0);
	CHECK(mkdir("empty-gone", 0755) == 0 && rmdir("empty-gone") == 0);
	/* A relative symbolic link is kept as one; a hard link has no faithful
	 * ustar form, so an output directory lacks the right to make one. */
	CHECK(symlink("a/b/c.txt", "sym") == 0);
	CHECK(link("moved.txt", "hard") < 0 && errno == ENOTCAPABLE);
	/* ustar holds a name of 100 bytes, or a 155-byte prefix and a 100-byte name. */
	char name[160];
	memset(name, 'n', 150);
	name[150] = '\0';
	CHECK(open(name, O_WRONLY | O_CREAT, 0644) < 0 && errno == ENAMETOOLONG);
}

static void fill(const char *root)
{
	static char block[65536];
	char path[512];
	long total = 0;

	memset(block, 'z', sizeof(block));
	snprintf(path, sizeof(path), "%s/big", root);
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	for (;;) {
		ssize_t n = write(fd, block, sizeof(block));
		if (n < 0)
			break;
		total += n;
		if (n < (ssize_t)sizeof(block)) {
			errno = 0;
			break;
		}
	}
	int error = errno;
	/* What is left of Memory is left to malloc too. */
	printf("fill %ld %s\n", total, errno_name(error));
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(pwrite(fd, block, sizeof(block), 0) == (ssize_t)sizeof(block));
	close(fd);
}

static void count(const char *root)
{
	char path[512];
	int n = 0;

	for (;; n++) {
		snprintf(path, sizeof(path), "%s/f%d", root, n);
		int fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			break;
		close(fd);
	}
	printf("count %d %s\n", n, errno_name(errno));
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: trees scratch|output|fill|count DIR\n");
		return 100;
	}
	if (strcmp(argv[1], "scratch") == 0)
		scratch(argv[2]);
	else if (strcmp(argv[1], "seeded") == 0)
		seeded(argv[2]);
	else if (strcmp(argv[1], "output") == 0)
		output(argv[2]);
	else if (strcmp(argv[1], "fill") == 0)
		fill(argv[2]);
	else if (strcmp(argv[1], "count") == 0)
		count(argv[2]);
	else
		return 100;
	if (failures == 0)
		printf("ok %s\n", argv[1]);
	return failures;
}
