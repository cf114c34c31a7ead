/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bundle reader tests: the archives docs/spec.md §1 takes, and every refusal with its exact
 * message, through both entry points, checking each time that nothing landed outside the
 * destination.
 */
#include "test-bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

const char test_manifest_text[] = "Version = 20130611\nProgram = prog.nexe\n";
static const char nexe_bytes[] = "\0asm\1\0\0\0";

void test_limits(ZvmLimits *limits)
{
	memset(limits, 0, sizeof(*limits));
	limits->bundle_max_bytes = 1024 * 1024;
	limits->bundle_max_archive = 4 * 1024 * 1024;
	limits->bundle_max_members = 64;
	limits->bundle_max_name = 200;
	limits->bundle_max_depth = 8;
}

int test_archive_fd_at(GBytes *archive, gsize skip)
{
	gsize length;
	const guint8 *data = g_bytes_get_data(archive, &length);
	int fd = memfd_create("bundle", MFD_CLOEXEC);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, data, length), ==, (gssize)length);
	g_assert_cmpint(lseek(fd, (off_t)skip, SEEK_SET), ==, (off_t)skip);
	return fd;
}

typedef enum { VIA_BUFFER, VIA_FILE, VIA_COUNT } Via;

static gboolean test_extract(Via via, GBytes *archive, const char *dest, const ZvmLimits *limits,
			     GError **error)
{
	gsize length;
	const void *data = g_bytes_get_data(archive, &length);
	gboolean ok;
	int fd;

	if (via == VIA_BUFFER)
		return zvm_bundle_extract_buffer(data, length, dest, limits, error);
	fd = test_archive_fd_at(archive, 0);
	ok = zvm_bundle_extract(fd, dest, limits, error);
	g_assert_cmpint(close(fd), ==, 0);
	return ok;
}

void assert_refused_with(GBytes *archive, const ZvmLimits *limits, ZvmBundleError code,
			 const char *message)
{
	for (Via via = VIA_BUFFER; via < VIA_COUNT; via++) {
		g_autoptr(TestDir) dir = test_dir_new();
		g_autoptr(GError) error = NULL;

		g_assert_false(test_extract(via, archive, dir->dest, limits, &error));
		g_assert_error(error, ZVM_BUNDLE_ERROR, (gint)code);
		g_assert_cmpstr(error->message, ==, message);
		test_dir_assert_contained(dir);
	}
}

void assert_refused(GBytes *archive, ZvmBundleError code, const char *message)
{
	ZvmLimits limits;

	test_limits(&limits);
	assert_refused_with(archive, &limits, code, message);
}

TestDir *assert_extracts(GBytes *archive, const ZvmLimits *limits)
{
	TestDir *result = NULL;

	for (Via via = VIA_BUFFER; via < VIA_COUNT; via++) {
		g_autoptr(TestDir) dir = test_dir_new();
		g_autoptr(GError) error = NULL;

		gboolean ok = test_extract(via, archive, dir->dest, limits, &error);

		g_assert_no_error(error);
		g_assert_true(ok);
		test_dir_assert_contained(dir);
		if (result == NULL)
			result = g_steal_pointer(&dir);
	}
	return result;
}

void assert_mode(const char *dir, const char *name, mode_t type, mode_t mode)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	struct stat st;

	g_assert_cmpint(lstat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & S_IFMT, ==, type);
	g_assert_cmpint(st.st_mode & 07777, ==, mode);
}

void assert_file(const char *dir, const char *name, const char *data, gsize size)
{
	gsize length = 0;
	g_autofree char *contents = test_read_file(dir, name, &length);

	g_assert_nonnull(contents);
	g_assert_cmpmem(contents, length, data, size);
	assert_mode(dir, name, S_IFREG, 0644);
}

static GBytes *good_bundle(int format, int filter)
{
	TestTar *tar = test_tar_new(format, filter);

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_file(tar, "prog.nexe", nexe_bytes, sizeof(nexe_bytes) - 1);
	test_tar_add_dir(tar, "data");
	test_tar_add_file(tar, "data/in.txt", "hello\n", -1);
	test_tar_add_file(tar, "data/empty", "", 0);
	return test_tar_finish(tar);
}

static void assert_good_tree(const char *dest)
{
	assert_file(dest, "manifest", test_manifest_text, strlen(test_manifest_text));
	assert_file(dest, "prog.nexe", nexe_bytes, sizeof(nexe_bytes) - 1);
	assert_mode(dest, "data", S_IFDIR, 0755);
	assert_file(dest, "data/in.txt", "hello\n", 6);
	assert_file(dest, "data/empty", "", 0);
}

static void test_good_format(gconstpointer data)
{
	g_autoptr(GBytes) archive = good_bundle(GPOINTER_TO_INT(data), ARCHIVE_FILTER_NONE);
	g_autoptr(TestDir) dir = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *manifest = NULL;
	gsize length = 0;
	ZvmLimits limits;

	test_limits(&limits);
	dir = assert_extracts(archive, &limits);
	assert_good_tree(dir->dest);
	manifest = zvm_bundle_read_manifest(dir->dest, &length, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(manifest, ==, test_manifest_text);
	g_assert_cmpuint(length, ==, strlen(test_manifest_text));
}

static void test_compressed(gconstpointer data)
{
	g_autoptr(GBytes) archive =
	    good_bundle(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, GPOINTER_TO_INT(data));
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;

	test_limits(&limits);
	dir = assert_extracts(archive, &limits);
	assert_good_tree(dir->dest);
}

static void test_other_compression_refused(void)
{
	g_autoptr(GBytes) archive = good_bundle(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_BZIP2);

	assert_refused(archive, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: not a tar archive (Unrecognized archive format)");
}

/* Modes are ours, not the archive's nor the umask's: the unprivileged runner must read them. */
static void test_modes_ignore_archive_and_umask(void)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_NONE);
	struct archive_entry *entry = archive_entry_new();
	g_autoptr(GBytes) archive = NULL;
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;
	mode_t saved;

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	archive_entry_copy_pathname(entry, "setuid");
	archive_entry_set_filetype(entry, AE_IFREG);
	archive_entry_set_perm(entry, 06777);
	archive_entry_set_size(entry, 1);
	test_tar_add_entry(tar, entry, "x", 1);
	archive_entry_clear(entry);
	archive_entry_copy_pathname(entry, "locked");
	archive_entry_set_filetype(entry, AE_IFDIR);
	archive_entry_set_perm(entry, 0);
	test_tar_add_entry(tar, entry, NULL, 0);
	archive_entry_free(entry);
	test_tar_add_file(tar, "implicit/sub/file", "y", 1);
	archive = test_tar_finish(tar);

	test_limits(&limits);
	saved = umask(077);
	dir = assert_extracts(archive, &limits);
	umask(saved);
	assert_file(dir->dest, "setuid", "x", 1);
	assert_mode(dir->dest, "locked", S_IFDIR, 0755);
	assert_mode(dir->dest, "implicit", S_IFDIR, 0755);
	assert_mode(dir->dest, "implicit/sub", S_IFDIR, 0755);
	assert_file(dir->dest, "implicit/sub/file", "y", 1);
}

static void test_dot_prefixes(void)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FILTER_NONE);
	g_autoptr(GBytes) archive = NULL;
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;

	test_tar_add_dir(tar, "./");
	test_tar_add_dir(tar, ".");
	test_tar_add_file(tar, "./manifest", test_manifest_text, -1);
	test_tar_add_dir(tar, "./data/");
	test_tar_add_file(tar, "./data/./in.txt", "in", -1);
	test_tar_add_file(tar, "data//twice", "2", -1);
	archive = test_tar_finish(tar);

	test_limits(&limits);
	dir = assert_extracts(archive, &limits);
	assert_file(dir->dest, "manifest", test_manifest_text, strlen(test_manifest_text));
	assert_file(dir->dest, "data/in.txt", "in", 2);
	assert_file(dir->dest, "data/twice", "2", 1);
}

static void test_nested_directories(void)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE);
	g_autoptr(GBytes) archive = NULL;
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	/* Eight components: exactly the depth bound. */
	test_tar_add_file(tar, "a/b/c/d/e/f/g/leaf", "deep", -1);
	test_tar_add_dir(tar, "a/b/");
	test_tar_add_dir(tar, "a/b/c/d/e/f/g/");
	test_tar_add_file(tar, "a/b/other", "o", -1);
	archive = test_tar_finish(tar);

	test_limits(&limits);
	dir = assert_extracts(archive, &limits);
	assert_file(dir->dest, "a/b/c/d/e/f/g/leaf", "deep", 4);
	assert_file(dir->dest, "a/b/other", "o", 1);
	assert_mode(dir->dest, "a/b/c", S_IFDIR, 0755);
}

#define UTF8_NAME      \
	"donn\xc3\xa9" \
	"es/\xe6\x97\xa5\xe6\x9c\xac.txt"

/* pax names are UTF-8 whatever the process locale, which libarchive may fail to convert to. */
static GBytes *utf8_bundle(guint copies)
{
	GByteArray *raw = g_byte_array_new();

	test_raw_add(raw, "manifest", '0', strlen(test_manifest_text), test_manifest_text,
		     strlen(test_manifest_text));
	for (guint i = 0; i < copies; i++) {
		test_raw_add_pax(raw, "path", UTF8_NAME);
		test_raw_add(raw, "placeholder", '0', 2, "ok", 2);
	}
	return test_raw_finish(raw);
}

/*
 * In the C locale libarchive cannot convert a UTF-8 pax name and warns; in a UTF-8 locale it
 * can. The daemon may run under either, so the outcome must not depend on it.
 */
static void test_utf8_names(gconstpointer data)
{
	const char *locale = data;
	g_autoptr(GBytes) once = utf8_bundle(1);
	g_autoptr(GBytes) twice = utf8_bundle(2);
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;

	if (setlocale(LC_CTYPE, locale) == NULL) {
		g_test_skip("locale not available");
		return;
	}
	test_limits(&limits);
	dir = assert_extracts(once, &limits);
	assert_file(dir->dest, UTF8_NAME, "ok", 2);
	/* Printable UTF-8 is quoted as it is, not escaped byte by byte. */
	assert_refused(twice, ZVM_BUNDLE_ERROR_DUPLICATE,
		       "bundle: member '" UTF8_NAME "' appears twice");
	setlocale(LC_CTYPE, "C");
}

static void test_empty_input(void)
{
	g_autoptr(GBytes) nothing = g_bytes_new_static("", 0);
	g_autoptr(GBytes) no_members =
	    test_tar_finish(test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE));
	g_autoptr(GBytes) gzip_no_members =
	    test_tar_finish(test_tar_new(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_GZIP));

	assert_refused(nothing, ZVM_BUNDLE_ERROR_FORMAT, "bundle: empty archive");
	assert_refused(no_members, ZVM_BUNDLE_ERROR_FORMAT, "bundle: empty archive");
	assert_refused(gzip_no_members, ZVM_BUNDLE_ERROR_FORMAT, "bundle: empty archive");
}

static void test_truncated(void)
{
	g_autoptr(GBytes) archive = good_bundle(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE);
	g_autoptr(GBytes) compressed = good_bundle(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP);
	/* manifest: one header and one data record; then prog.nexe's header. */
	g_autoptr(GBytes) in_header = g_bytes_new_from_bytes(archive, 0, 1024 + 100);
	g_autoptr(GBytes) in_data = g_bytes_new_from_bytes(archive, 0, 512 + 10);
	g_autoptr(GBytes) in_first_header = g_bytes_new_from_bytes(archive, 0, 300);
	g_autoptr(GBytes) in_gzip =
	    g_bytes_new_from_bytes(compressed, 0, g_bytes_get_size(compressed) / 2);

	assert_refused(in_header, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: damaged archive: Truncated tar archive");
	assert_refused(in_data, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: damaged archive: Truncated tar archive");
	/* Too short to hold one header, so not recognisable as tar at all. */
	assert_refused(in_first_header, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: not a tar archive (Unrecognized archive format)");
	assert_refused(in_gzip, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: damaged archive: truncated gzip input");
}

static void test_corrupt_header(void)
{
	g_autoptr(GBytes) archive = good_bundle(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE);
	gsize length;
	guint8 *bytes = g_memdup2(g_bytes_get_data(archive, &length), g_bytes_get_size(archive));
	g_autoptr(GBytes) corrupt = NULL;

	bytes[1024 + 3] ^= 0x20; /* a byte of prog.nexe's name: its checksum no longer holds */
	corrupt = g_bytes_new_take(bytes, length);
	assert_refused(corrupt, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: damaged archive: Damaged tar archive");
}

static void test_random_bytes(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(20130611);
	guint8 *bytes = g_malloc(8192);
	g_autoptr(GBytes) archive = NULL;

	for (int i = 0; i < 8192; i++)
		bytes[i] = (guint8)g_rand_int_range(rand, 0, 256);
	archive = g_bytes_new_take(bytes, 8192);
	assert_refused(archive, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: not a tar archive (Unrecognized archive format)");
}

static void test_not_tar(gconstpointer data)
{
	TestTar *other = test_tar_new(GPOINTER_TO_INT(data), ARCHIVE_FILTER_NONE);
	g_autoptr(GBytes) archive = NULL;

	test_tar_add_file(other, "manifest", test_manifest_text, -1);
	test_tar_add_file(other, "prog.nexe", nexe_bytes, sizeof(nexe_bytes) - 1);
	archive = test_tar_finish(other);
	assert_refused(archive, ZVM_BUNDLE_ERROR_FORMAT,
		       "bundle: not a tar archive (Unrecognized archive format)");
}

GBytes *manifest_and(const char *name, const char *data)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_NONE);

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_file(tar, name, data, -1);
	return test_tar_finish(tar);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *path;
		int code;
	} cases[] = {
	    {"/bundle/good/ustar", ARCHIVE_FORMAT_TAR_USTAR},
	    {"/bundle/good/pax", ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE},
	    {"/bundle/good/pax-restricted", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED},
	    {"/bundle/good/gnu", ARCHIVE_FORMAT_TAR_GNUTAR},
	    {"/bundle/good/v7", TEST_FORMAT_V7},
	    {"/bundle/compressed/gzip", ARCHIVE_FILTER_GZIP},
	    {"/bundle/compressed/xz", ARCHIVE_FILTER_XZ},
	    {"/bundle/compressed/zstd", ARCHIVE_FILTER_ZSTD},
	    {"/bundle/refused/zip", ARCHIVE_FORMAT_ZIP},
	    {"/bundle/refused/cpio", ARCHIVE_FORMAT_CPIO_SVR4_NOCRC},
	    {"/bundle/refused/7zip", ARCHIVE_FORMAT_7ZIP},
	    {"/bundle/refused/ar", TEST_FORMAT_AR},
	};

	g_test_init(&argc, &argv, NULL);
	/* The pipe test's writer must see EPIPE, not die, when the reader gives up early. */
	signal(SIGPIPE, SIG_IGN);

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		GTestDataFunc func = test_good_format;

		if (g_str_has_prefix(cases[i].path, "/bundle/compressed/"))
			func = test_compressed;
		else if (g_str_has_prefix(cases[i].path, "/bundle/refused/"))
			func = test_not_tar;
		g_test_add_data_func(cases[i].path, GINT_TO_POINTER(cases[i].code), func);
	}
	g_test_add_func("/bundle/refused/bzip2", test_other_compression_refused);
	g_test_add_func("/bundle/good/modes", test_modes_ignore_archive_and_umask);
	g_test_add_func("/bundle/good/dot-prefixes", test_dot_prefixes);
	g_test_add_func("/bundle/good/nested", test_nested_directories);
	g_test_add_data_func("/bundle/good/utf8-names-c", "C", test_utf8_names);
	g_test_add_data_func("/bundle/good/utf8-names-utf8", "C.UTF-8", test_utf8_names);
	g_test_add_func("/bundle/damaged/empty", test_empty_input);
	g_test_add_func("/bundle/damaged/truncated", test_truncated);
	g_test_add_func("/bundle/damaged/corrupt-header", test_corrupt_header);
	g_test_add_func("/bundle/damaged/random", test_random_bytes);
	test_bundle_add_limit_tests();
	test_bundle_add_name_tests();
	return g_test_run();
}
