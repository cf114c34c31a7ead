/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bundle members by name and kind: unsafe and overlong names, links, devices, duplicates and
 * clashes, names planted to lead outside, and the manifest that must be there.
 */
#include "test-bundle.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static GBytes *raw_manifest_and(const char *name, char type)
{
	GByteArray *raw = g_byte_array_new();

	test_raw_add(raw, "manifest", '0', strlen(test_manifest_text), test_manifest_text,
		     strlen(test_manifest_text));
	test_raw_add(raw, name, type, 1, "x", 1);
	return test_raw_finish(raw);
}

static void test_unsafe_names(void)
{
	g_autofree char *absolute =
	    g_strdup_printf("%s/zvm-bundle-escape-%d", g_get_tmp_dir(), (int)getpid());
	const struct {
		const char *name;
		const char *quoted;
	} cases[] = {
	    {"../x", "../x"},
	    {"../outside/x", "../outside/x"},
	    {"a/../../x", "a/../../x"},
	    {"a/..", "a/.."},
	    {"..", ".."},
	    {absolute, absolute},
	    {"/", "/"},
	    {".", "."},
	    {"", ""},
	    {"caf\xe9", "caf\\351"},
	    {"a\nb", "a\\nb"},
	    {"tab\there", "tab\\there"},
	    {"\x1b[31mred", "\\033[31mred"},
	    {"del\x7f", "del\\177"},
	    {"nel\xc2\x85", "nel\\302\\205"},
	    {"quote'back\\slash\x01", "quote\\'back\\\\slash\\001"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) archive = raw_manifest_and(cases[i].name, '0');
		g_autofree char *message =
		    g_strdup_printf("bundle: member '%s' has an unsafe name", cases[i].quoted);

		assert_refused(archive, ZVM_BUNDLE_ERROR_UNSAFE, message);
	}
	g_assert_false(g_file_test(absolute, G_FILE_TEST_EXISTS));
}

static void test_long_names(void)
{
	g_autofree char *at_bound = g_strnfill(200, 'x');
	g_autofree char *over = g_strnfill(201, 'x');
	g_autofree char *component = g_strnfill(300, 'y');
	g_autofree char *shown_x = g_strnfill(128, 'x');
	g_autofree char *shown_y = g_strnfill(128, 'y');
	g_autofree char *over_message =
	    g_strdup_printf("bundle: member '%s...' has a name over the 200-byte maximum", shown_x);
	g_autofree char *component_message =
	    g_strdup_printf("bundle: member '%s...' has a name component over 255 bytes", shown_y);
	g_autoptr(GBytes) fits = manifest_and(at_bound, "fits");
	g_autoptr(GBytes) too_long = manifest_and(over, "long");
	g_autoptr(GBytes) long_component = manifest_and(component, "long");
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;

	test_limits(&limits);
	dir = assert_extracts(fits, &limits);
	assert_file(dir->dest, at_bound, "fits", 4);
	assert_refused(too_long, ZVM_BUNDLE_ERROR_TOO_LARGE, over_message);
	/* Within the name bound but over what one directory entry can hold. */
	limits.bundle_max_name = 4096;
	assert_refused_with(long_component, &limits, ZVM_BUNDLE_ERROR_TOO_LARGE, component_message);
}

static void test_deep_names(void)
{
	g_autoptr(GString) very_deep = g_string_new(NULL);
	g_autoptr(GString) shown = g_string_new(NULL);
	g_autoptr(GBytes) nine_files = manifest_and("a/a/a/a/a/a/a/a/f", "deep");
	g_autoptr(GBytes) very_deep_archive = NULL;
	g_autofree char *very_deep_message = NULL;
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FILTER_NONE);
	g_autoptr(GBytes) nine_dirs = NULL;
	ZvmLimits limits;

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_dir(tar, "a/a/a/a/a/a/a/a/a/");
	nine_dirs = test_tar_finish(tar);

	assert_refused(nine_files, ZVM_BUNDLE_ERROR_TOO_LARGE,
		       "bundle: member 'a/a/a/a/a/a/a/a/f' is nested over the 8-level maximum");
	assert_refused(nine_dirs, ZVM_BUNDLE_ERROR_TOO_LARGE,
		       "bundle: member 'a/a/a/a/a/a/a/a/a/' is nested over the 8-level maximum");

	for (int i = 0; i < 1000; i++)
		g_string_append(very_deep, "d/");
	g_string_append_c(very_deep, 'f');
	for (int i = 0; i < 64; i++)
		g_string_append(shown, "d/");
	very_deep_archive = manifest_and(very_deep->str, "deep");
	very_deep_message = g_strdup_printf(
	    "bundle: member '%s...' is nested over the 8-level maximum", shown->str);
	test_limits(&limits);
	limits.bundle_max_name = 4096;
	assert_refused_with(very_deep_archive, &limits, ZVM_BUNDLE_ERROR_TOO_LARGE,
			    very_deep_message);
}

static GBytes *manifest_and_entry(struct archive_entry *entry, const char *then)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_NONE);

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_entry(tar, entry, NULL, 0);
	if (then != NULL)
		test_tar_add_file(tar, then, "escaped", -1);
	archive_entry_free(entry);
	return test_tar_finish(tar);
}

static struct archive_entry *special_entry(const char *name, unsigned type)
{
	struct archive_entry *entry = archive_entry_new();

	archive_entry_copy_pathname(entry, name);
	archive_entry_set_filetype(entry, type);
	archive_entry_set_perm(entry, 0644);
	return entry;
}

static void test_links_and_devices(void)
{
	g_autoptr(TestDir) target = test_dir_new();
	struct archive_entry *symlink_entry = special_entry("link", AE_IFLNK);
	struct archive_entry *hardlink_entry = special_entry("h", AE_IFREG);
	struct archive_entry *escape_entry = special_entry("h2", AE_IFREG);
	struct archive_entry *chr = special_entry("null", AE_IFCHR);
	struct archive_entry *blk = special_entry("disk", AE_IFBLK);
	struct archive_entry *fifo = special_entry("fifo", AE_IFIFO);
	g_autoptr(GBytes) with_symlink = NULL;
	g_autoptr(GBytes) with_hardlink = NULL;
	g_autoptr(GBytes) with_escape = NULL;
	g_autoptr(GBytes) with_chr = NULL;
	g_autoptr(GBytes) with_blk = NULL;
	g_autoptr(GBytes) with_fifo = NULL;

	/* A link to a real directory, then a file through it: the file must not land there. */
	archive_entry_copy_symlink(symlink_entry, target->dest);
	with_symlink = manifest_and_entry(symlink_entry, "link/x");
	archive_entry_copy_hardlink(hardlink_entry, "manifest");
	with_hardlink = manifest_and_entry(hardlink_entry, NULL);
	archive_entry_copy_hardlink(escape_entry, "../../../etc/passwd");
	with_escape = manifest_and_entry(escape_entry, NULL);
	archive_entry_set_rdev(chr, makedev(1, 3));
	with_chr = manifest_and_entry(chr, NULL);
	archive_entry_set_rdev(blk, makedev(8, 0));
	with_blk = manifest_and_entry(blk, NULL);
	with_fifo = manifest_and_entry(fifo, NULL);

	assert_refused(with_symlink, ZVM_BUNDLE_ERROR_UNSAFE,
		       "bundle: member 'link' is a symbolic link; only regular files and "
		       "directories are taken");
	test_dir_assert_contained(target);
	assert_refused(with_hardlink, ZVM_BUNDLE_ERROR_UNSAFE,
		       "bundle: member 'h' is a hard link; only regular files and directories "
		       "are taken");
	assert_refused(with_escape, ZVM_BUNDLE_ERROR_UNSAFE,
		       "bundle: member 'h2' is a hard link; only regular files and directories "
		       "are taken");
	assert_refused(with_chr, ZVM_BUNDLE_ERROR_UNSAFE,
		       "bundle: member 'null' is a character device; only regular files and "
		       "directories are taken");
	assert_refused(with_blk, ZVM_BUNDLE_ERROR_UNSAFE,
		       "bundle: member 'disk' is a block device; only regular files and "
		       "directories are taken");
	assert_refused(with_fifo, ZVM_BUNDLE_ERROR_UNSAFE,
		       "bundle: member 'fifo' is a fifo; only regular files and directories "
		       "are taken");
}

static GBytes *bundle_of(const char *const *names)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE);

	for (const char *const *name = names; *name != NULL; name++) {
		if (g_str_has_suffix(*name, "/"))
			test_tar_add_dir(tar, *name);
		else
			test_tar_add_file(tar, *name, *name, -1);
	}
	return test_tar_finish(tar);
}

static void test_duplicates_and_clashes(void)
{
	static const char *const dirs_twice[] = {"manifest", "d/", "d/x", "d/", "./d/", NULL};
	static const struct {
		const char *names[4];
		const char *message;
	} cases[] = {
	    {{"manifest", "manifest"}, "bundle: member 'manifest' appears twice"},
	    {{"manifest", "./manifest"}, "bundle: member './manifest' appears twice"},
	    {{"manifest", "d/x", "d//x"}, "bundle: member 'd//x' appears twice"},
	    {{"manifest", "a", "a/b"}, "bundle: member 'a/b' goes through 'a', which is a file"},
	    {{"manifest", "a/b", "a/b/c/d"},
	     "bundle: member 'a/b/c/d' goes through 'a/b', which is a file"},
	    {{"manifest", "a/", "a"}, "bundle: member 'a' is both a file and a directory"},
	    {{"manifest", "a/b", "a"}, "bundle: member 'a' is both a file and a directory"},
	    {{"manifest", "a", "a/"}, "bundle: member 'a/' is both a file and a directory"},
	};
	g_autoptr(GBytes) fine = bundle_of(dirs_twice);
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;

	test_limits(&limits);
	dir = assert_extracts(fine, &limits);
	assert_file(dir->dest, "d/x", "d/x", 3);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) archive = bundle_of(cases[i].names);

		assert_refused(archive, ZVM_BUNDLE_ERROR_DUPLICATE, cases[i].message);
	}
}

/*
 * Defence in depth: links that are already in the destination (the archive cannot make
 * them) are never followed, by a member through them nor by a member of their name.
 */
static void test_planted_links(void)
{
	static const struct {
		const char *planted;
		const char *member;
		const char *message;
	} cases[] = {
	    {"link", "link/x", "bundle: member 'link/x' goes through 'link', which is a file"},
	    {"manifest", "manifest", "bundle: member 'manifest' appears twice"},
	    {"dir", "dir/", "bundle: member 'dir/' is both a file and a directory"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(TestDir) dir = test_dir_new();
		g_autoptr(GError) error = NULL;
		g_autofree char *link = g_build_filename(dir->dest, cases[i].planted, NULL);
		g_autofree char *target = g_build_filename(dir->outside, "target", NULL);
		TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE);
		g_autoptr(GBytes) archive = NULL;
		ZvmLimits limits;

		if (strcmp(cases[i].member, "manifest") != 0)
			test_tar_add_file(tar, "manifest", test_manifest_text, -1);
		if (g_str_has_suffix(cases[i].member, "/"))
			test_tar_add_dir(tar, cases[i].member);
		else
			test_tar_add_file(tar, cases[i].member, "escaped", -1);
		archive = test_tar_finish(tar);
		/* A dangling link to a file and a link to the directory itself. */
		g_assert_cmpint(symlink(i == 1 ? target : dir->outside, link), ==, 0);

		test_limits(&limits);
		g_assert_false(zvm_bundle_extract_buffer(g_bytes_get_data(archive, NULL),
							 g_bytes_get_size(archive), dir->dest,
							 &limits, &error));
		g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_DUPLICATE);
		g_assert_cmpstr(error->message, ==, cases[i].message);
		test_dir_assert_contained(dir);
	}
}

static void test_missing_manifest(void)
{
	static const char *const no_manifest[] = {"prog.nexe", NULL};
	static const char *const manifest_dir[] = {"manifest/", "manifest/x", NULL};
	static const char *const nested[] = {"sub/manifest", NULL};
	const char *const *cases[] = {no_manifest, manifest_dir, nested};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) archive = bundle_of(cases[i]);

		assert_refused(archive, ZVM_BUNDLE_ERROR_NO_MANIFEST,
			       "bundle: no file 'manifest' at the top level");
	}
}

static void assert_no_manifest(const char *bundle_dir)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = zvm_bundle_read_manifest(bundle_dir, NULL, &error);

	g_assert_null(text);
	g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_NO_MANIFEST);
	g_assert_cmpstr(error->message, ==, "bundle: no file 'manifest' at the top level");
}

static void test_read_manifest_refusals(void)
{
	g_autoptr(TestDir) dir = test_dir_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *manifest = g_build_filename(dir->dest, "manifest", NULL);
	g_autofree char *target = g_build_filename(dir->outside, "real", NULL);
	g_autofree char *missing = g_build_filename(dir->base, "missing", NULL);
	g_autofree char *text = NULL;

	assert_no_manifest(dir->dest);
	g_assert_true(g_file_set_contents(target, "Version = 20130611\n", -1, NULL));
	g_assert_cmpint(symlink(target, manifest), ==, 0);
	assert_no_manifest(dir->dest);
	g_assert_cmpint(unlink(manifest), ==, 0);
	/* A fifo must neither be read nor make the caller wait for a writer. */
	g_assert_cmpint(mkfifo(manifest, 0644), ==, 0);
	assert_no_manifest(dir->dest);
	g_assert_cmpint(unlink(manifest), ==, 0);
	g_assert_cmpint(mkdir(manifest, 0755), ==, 0);
	assert_no_manifest(dir->dest);

	text = zvm_bundle_read_manifest(missing, NULL, &error);
	g_assert_null(text);
	g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO);
}

static void test_missing_destination(void)
{
	g_autoptr(GBytes) archive = manifest_and("x", "x");
	g_autoptr(GError) error = NULL;
	ZvmLimits limits;

	test_limits(&limits);
	g_assert_false(zvm_bundle_extract_buffer(g_bytes_get_data(archive, NULL),
						 g_bytes_get_size(archive),
						 "/nonexistent/zvm-bundle", &limits, &error));
	g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO);
	g_assert_cmpstr(error->message, ==,
			"bundle: cannot open the destination /nonexistent/zvm-bundle: No such "
			"file or directory");
}

void test_bundle_add_name_tests(void)
{
	g_test_add_func("/bundle/names/unsafe", test_unsafe_names);
	g_test_add_func("/bundle/names/long", test_long_names);
	g_test_add_func("/bundle/names/deep", test_deep_names);
	g_test_add_func("/bundle/names/links-and-devices", test_links_and_devices);
	g_test_add_func("/bundle/names/duplicates", test_duplicates_and_clashes);
	g_test_add_func("/bundle/names/planted-links", test_planted_links);
	g_test_add_func("/bundle/manifest/missing", test_missing_manifest);
	g_test_add_func("/bundle/manifest/read-refusals", test_read_manifest_refusals);
	g_test_add_func("/bundle/extract/missing-destination", test_missing_destination);
}
