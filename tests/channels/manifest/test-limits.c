/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the operator limits: defaults, the config groups, and how sizes are worded. */
#include <string.h>

#include "zvm-limits.h"

#define KIB ((uint64_t)1 << 10)
#define MIB ((uint64_t)1 << 20)
#define GIB ((uint64_t)1 << 30)
#define TIB ((uint64_t)1 << 40)

static gboolean load(ZvmLimits *limits, const char *config, GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) local = NULL;
	g_assert_true(g_key_file_load_from_data(keyfile, config, -1, G_KEY_FILE_NONE, &local));
	g_assert_no_error(local);
	return zvm_limits_load(limits, keyfile, error);
}

/* Field by field: the struct has padding, which memcmp would compare too. */
static void assert_limits_equal(const ZvmLimits *a, const ZvmLimits *b)
{
	g_assert_cmpuint(a->max_memory, ==, b->max_memory);
	g_assert_cmpuint(a->max_timeout, ==, b->max_timeout);
	g_assert_cmpint(a->max_gets, ==, b->max_gets);
	g_assert_cmpint(a->max_get_size, ==, b->max_get_size);
	g_assert_cmpint(a->max_puts, ==, b->max_puts);
	g_assert_cmpint(a->max_put_size, ==, b->max_put_size);
	g_assert_cmpuint(a->max_channels, ==, b->max_channels);
	g_assert_cmpint(a->default_gets, ==, b->default_gets);
	g_assert_cmpint(a->default_get_size, ==, b->default_get_size);
	g_assert_cmpint(a->default_puts, ==, b->default_puts);
	g_assert_cmpint(a->default_put_size, ==, b->default_put_size);
	g_assert_cmpuint(a->bundle_max_bytes, ==, b->bundle_max_bytes);
	g_assert_cmpuint(a->bundle_max_archive, ==, b->bundle_max_archive);
	g_assert_cmpuint(a->bundle_max_members, ==, b->bundle_max_members);
	g_assert_cmpuint(a->bundle_max_name, ==, b->bundle_max_name);
	g_assert_cmpuint(a->bundle_max_depth, ==, b->bundle_max_depth);
	g_assert_cmpint(a->etag_algorithm, ==, b->etag_algorithm);
}

static void assert_refused(const char *config, const char *message)
{
	ZvmLimits limits, before;
	zvm_limits_init(&limits);
	zvm_limits_init(&before);
	g_autoptr(GError) error = NULL;
	g_assert_false(load(&limits, config, &error));
	g_assert_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
	g_assert_cmpstr(error->message, ==, message);
	/* A refused file changes nothing, even the keys before the bad one. */
	assert_limits_equal(&limits, &before);
}

static void test_defaults(void)
{
	ZvmLimits l;
	memset(&l, 0xaa, sizeof(l));
	zvm_limits_init(&l);
	g_assert_cmpuint(l.max_memory, ==, GIB);
	g_assert_cmpuint(l.max_timeout, ==, 600);
	g_assert_cmpint(l.max_gets, ==, 4294967296);
	g_assert_cmpint(l.max_get_size, ==, 4294967296);
	g_assert_cmpint(l.max_puts, ==, 4294967296);
	g_assert_cmpint(l.max_put_size, ==, 4294967296);
	g_assert_cmpuint(l.max_channels, ==, 1024);
	g_assert_cmpint(l.default_gets, ==, 4294967296);
	g_assert_cmpint(l.default_get_size, ==, 4294967296);
	g_assert_cmpint(l.default_puts, ==, 4294967296);
	g_assert_cmpint(l.default_put_size, ==, GIB);
	g_assert_cmpuint(l.bundle_max_bytes, ==, GIB);
	g_assert_cmpuint(l.bundle_max_archive, ==, GIB);
	g_assert_cmpuint(l.bundle_max_members, ==, 10000);
	g_assert_cmpuint(l.bundle_max_name, ==, 1024);
	g_assert_cmpuint(l.bundle_max_depth, ==, 32);
	g_assert_cmpint(l.etag_algorithm, ==, ZVM_ETAG_SHA256);
}

static void test_load(void)
{
	static const char config[] = "[limits]\n"
				     "max_memory = 2G\n"
				     "max_timeout = 30\n"
				     "max_gets = 1000\n"
				     "max_get_size = 512K\n"
				     "max_puts = 2000\n"
				     "max_put_size = 3 MiB\n"
				     "max_channels = 16\n"
				     "default_gets = 10\n"
				     "default_get_size = 1KiB\n"
				     "default_puts = 20\n"
				     "default_put_size = 1M\n"
				     "etag = md5\n"
				     "[bundle]\n"
				     "max_bytes = 1T\n"
				     "max_archive_bytes = 100\n"
				     "max_members = 50\n"
				     "max_name_length = 255\n"
				     "max_depth = 8\n"
				     "[gateway]\n"
				     "jobs = 4\n";
	ZvmLimits l;
	zvm_limits_init(&l);
	g_autoptr(GError) error = NULL;
	g_assert_true(load(&l, config, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(l.max_memory, ==, 2 * GIB);
	g_assert_cmpuint(l.max_timeout, ==, 30);
	g_assert_cmpint(l.max_gets, ==, 1000);
	g_assert_cmpint(l.max_get_size, ==, 512 * KIB);
	g_assert_cmpint(l.max_puts, ==, 2000);
	g_assert_cmpint(l.max_put_size, ==, 3 * MIB);
	g_assert_cmpuint(l.max_channels, ==, 16);
	g_assert_cmpint(l.default_gets, ==, 10);
	g_assert_cmpint(l.default_get_size, ==, KIB);
	g_assert_cmpint(l.default_puts, ==, 20);
	g_assert_cmpint(l.default_put_size, ==, MIB);
	g_assert_cmpint(l.etag_algorithm, ==, ZVM_ETAG_MD5);
	g_assert_cmpuint(l.bundle_max_bytes, ==, TIB);
	g_assert_cmpuint(l.bundle_max_archive, ==, 100);
	g_assert_cmpuint(l.bundle_max_members, ==, 50);
	g_assert_cmpuint(l.bundle_max_name, ==, 255);
	g_assert_cmpuint(l.bundle_max_depth, ==, 8);
}

static void test_partial_and_empty(void)
{
	ZvmLimits l, defaults;
	zvm_limits_init(&l);
	zvm_limits_init(&defaults);
	g_autoptr(GError) error = NULL;
	g_assert_true(load(&l, "# nothing here\n", &error));
	assert_limits_equal(&l, &defaults);
	g_assert_true(load(&l, "[limits]\nmax_memory = 4 GiB\netag = sha1\n", &error));
	g_assert_no_error(error);
	g_assert_cmpuint(l.max_memory, ==, 4 * GIB);
	g_assert_cmpint(l.etag_algorithm, ==, ZVM_ETAG_SHA1);
	g_assert_cmpuint(l.max_timeout, ==, 600);
	g_assert_true(load(&l, "[limits]\netag = sha256\n", &error));
	g_assert_cmpint(l.etag_algorithm, ==, ZVM_ETAG_SHA256);
}

static void test_unknown_keys(void)
{
	ZvmLimits l;
	zvm_limits_init(&l);
	g_autoptr(GError) error = NULL;
	g_assert_false(load(&l, "[limits]\nmax_timeout = 5\nmax_memroy = 1G\n", &error));
	g_assert_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND);
	g_assert_cmpstr(error->message, ==, "[limits] has no setting 'max_memroy'");
	g_assert_cmpuint(l.max_timeout, ==, 600);
	g_clear_error(&error);
	/* Keys of one group are not known in the other. */
	g_assert_false(load(&l, "[bundle]\nmax_memory = 1G\n", &error));
	g_assert_cmpstr(error->message, ==, "[bundle] has no setting 'max_memory'");
	g_clear_error(&error);
	g_assert_false(load(&l, "[bundle]\netag = md5\n", &error));
	g_assert_cmpstr(error->message, ==, "[bundle] has no setting 'etag'");
}

static void test_bad_values(void)
{
	assert_refused("[limits]\netag = crc32\n",
		       "[limits] etag must be md5, sha1 or sha256 (got 'crc32')");
	assert_refused("[limits]\netag = SHA256\n",
		       "[limits] etag must be md5, sha1 or sha256 (got 'SHA256')");
	assert_refused("[limits]\nmax_timeout = 5\nmax_memory = 1X\n",
		       "[limits] max_memory must be a size in bytes (a K, M, G or T suffix is "
		       "allowed) (got '1X')");
	assert_refused("[limits]\nmax_memory = 1K\n",
		       "[limits] max_memory must be at least 64 KiB (got '1K')");
	assert_refused("[limits]\nmax_memory = 8G\n",
		       "[limits] max_memory may not exceed 4 GiB, the wasm32 address space (got "
		       "'8G')");
	assert_refused("[limits]\nmax_memory = 4294967297\n",
		       "[limits] max_memory may not exceed 4 GiB, the wasm32 address space (got "
		       "'4294967297')");
	assert_refused("[limits]\nmax_get_size = -1\n",
		       "[limits] max_get_size must be a size in bytes (a K, M, G or T suffix is "
		       "allowed) (got '-1')");
	assert_refused("[limits]\nmax_get_size = 1 G B\n",
		       "[limits] max_get_size must be a size in bytes (a K, M, G or T suffix is "
		       "allowed) (got '1 G B')");
	assert_refused("[bundle]\nmax_bytes = 99999999999T\n",
		       "[bundle] max_bytes may not exceed 16.0 EiB (got '99999999999T')");
	assert_refused("[bundle]\nmax_bytes = 99999999999999999999\n",
		       "[bundle] max_bytes may not exceed 16.0 EiB (got '99999999999999999999')");
	assert_refused("[bundle]\nmax_archive_bytes = 0\n",
		       "[bundle] max_archive_bytes must be at least 1 (got '0')");
	assert_refused("[limits]\nmax_put_size = 9223372036854775808\n",
		       "[limits] max_put_size may not exceed 8.0 EiB (got '9223372036854775808')");
	assert_refused("[limits]\nmax_gets = 4G\n",
		       "[limits] max_gets must be a whole number (got '4G')");
	assert_refused("[limits]\nmax_gets = 99999999999999999999\n",
		       "[limits] max_gets may not exceed 9223372036854775807 (got "
		       "'99999999999999999999')");
	assert_refused("[limits]\nmax_timeout = 0\n",
		       "[limits] max_timeout must be at least 1 (got '0')");
	assert_refused("[limits]\nmax_timeout = 4294967296\n",
		       "[limits] max_timeout may not exceed 4294967295 (got '4294967296')");
	assert_refused("[limits]\nmax_channels = 10915\n",
		       "[limits] max_channels may not exceed 10914, ZeroVM's channel bound (got "
		       "'10915')");
	assert_refused("[limits]\ndefault_puts = 0\n",
		       "[limits] default_puts must be at least 1 (got '0')");
	assert_refused("[bundle]\nmax_members = \n",
		       "[bundle] max_members must be a whole number (got '')");
	assert_refused("[bundle]\nmax_depth = 0x10\n",
		       "[bundle] max_depth must be a whole number (got '0x10')");
	assert_refused("[limits]\nmax_put_size = 1M\n",
		       "[limits] default_put_size (1073741824) is over max_put_size (1048576)");
	assert_refused("[limits]\nmax_gets = 5\ndefault_gets = 6\n",
		       "[limits] default_gets (6) is over max_gets (5)");
}

static void test_format_size(void)
{
	static const struct {
		uint64_t bytes;
		const char *text;
	} cases[] = {
	    {0, "0 bytes"},
	    {1, "1 byte"},
	    {100, "100 bytes"},
	    {1023, "1023 bytes"},
	    {1024, "1 KiB"},
	    {1536, "1.5 KiB"},
	    {512 * KIB, "512 KiB"},
	    {3 * MIB, "3 MiB"},
	    {MIB - 1, "1.0 MiB"},
	    {MIB + 1, "1.0 MiB"},
	    {GIB, "1 GiB"},
	    {GIB + GIB / 2, "1.5 GiB"},
	    {GIB + GIB / 4, "1.3 GiB"},
	    {4 * GIB, "4 GiB"},
	    {8 * GIB, "8 GiB"},
	    {TIB, "1 TiB"},
	    {1024 * TIB, "1 PiB"},
	    {(uint64_t)1 << 60, "1 EiB"},
	    {G_MAXUINT64, "16.0 EiB"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = zvm_format_size(cases[i].bytes);
		g_assert_cmpstr(text, ==, cases[i].text);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/limits/defaults", test_defaults);
	g_test_add_func("/limits/load", test_load);
	g_test_add_func("/limits/partial-and-empty", test_partial_and_empty);
	g_test_add_func("/limits/unknown-keys", test_unknown_keys);
	g_test_add_func("/limits/bad-values", test_bad_values);
	g_test_add_func("/limits/format-size", test_format_size);
	return g_test_run();
}
