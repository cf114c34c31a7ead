/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the /dev/nvram parser: every section, escapes, quoting, limits and refusals. */
#include <string.h>

#include "nvram.h"

static ZvmNvram *parse_ok(const char *text)
{
	g_autoptr(GError) error = NULL;
	ZvmNvram *nvram = zvm_nvram_parse(text, strlen(text), &error);
	g_assert_no_error(error);
	g_assert_nonnull(nvram);
	return nvram;
}

static void assert_refused(const char *text, gsize length, ZvmNvramError code, const char *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmNvram) nvram = zvm_nvram_parse(text, length, &error);
	g_assert_null(nvram);
	g_assert_error(error, ZVM_NVRAM_ERROR, (gint)code);
	g_assert_cmpstr(error->message, ==, message);
}

static void assert_strv(char **actual, const char *const *expected)
{
	g_assert_nonnull(actual);
	g_assert_cmpuint(g_strv_length(actual), ==, g_strv_length((char **)expected));
	for (guint i = 0; expected[i]; i++)
		g_assert_cmpstr(actual[i], ==, expected[i]);
}

typedef struct {
	const char *path;
	const char *text;
	ZvmNvramError code;
	const char *message;
} RefusalCase;

#define SYNTAX ZVM_NVRAM_ERROR_SYNTAX
#define TOO_LARGE ZVM_NVRAM_ERROR_TOO_LARGE

static const RefusalCase refusals[] = {
    {"/record-outside-section", "args = a\n", SYNTAX, "nvram 1: a record before any [section]"},
    {"/unknown-section", "# config\n[network]\n", SYNTAX,
     "nvram 2: unknown section [network] (known: args, env, time, fstab, mapping, debug, "
     "precache)"},
    {"/section-case", "[ENV]\n", SYNTAX,
     "nvram 1: unknown section [ENV] (known: args, env, time, fstab, mapping, debug, "
     "precache)"},
    {"/header-unclosed", "[env\n", SYNTAX, "nvram 1: section header '[env' has no closing ']'"},
    {"/header-trailing-text", "[env] name=A\n", SYNTAX,
     "nvram 1: unexpected text after section header [env]"},
    {"/unknown-key", "[env]\nname=A, val=1\n", SYNTAX,
     "nvram 2: [env] has no key 'val' (known: name, value)"},
    {"/duplicate-key", "[env]\nname=A, value=1, name=B\n", SYNTAX,
     "nvram 2: [env] key 'name' given twice in one record"},
    {"/missing-key", "[env]\nname=A\n", SYNTAX, "nvram 2: [env] record has no value"},
    {"/missing-mountpoint", "[fstab]\nchannel=/dev/image, access=ro\n", SYNTAX,
     "nvram 2: [fstab] record has no mountpoint"},
    {"/no-equals", "[args]\nargs\n", SYNTAX, "nvram 2: expected key=value, got 'args'"},
    {"/comma-in-value", "[env]\nname=PATH, value=/bin,/usr/bin\n", SYNTAX,
     "nvram 2: expected key=value, got '/usr/bin' (a ',' inside a value is written \\x2c)"},
    {"/value-without-key", "[time]\n = 5\n", SYNTAX, "nvram 2: a value without a key ('=5')"},
    {"/escape-unknown", "[args]\nargs = a\\qb\n", SYNTAX,
     "nvram 2: bad escape '\\qb' in 'a\\qb' (write \\xHH with two hex digits)"},
    {"/escape-one-digit", "[args]\nargs = a\\x4\n", SYNTAX,
     "nvram 2: bad escape '\\x4' in 'a\\x4' (write \\xHH with two hex digits)"},
    {"/escape-trailing-backslash", "[env]\nname=A, value=b\\\n", SYNTAX,
     "nvram 2: bad escape '\\' in 'b\\' (write \\xHH with two hex digits)"},
    {"/escape-nul", "[env]\nname=A, value=b\\x00c\n", SYNTAX,
     "nvram 2: \\x00 is not allowed (in 'b\\x00c')"},
    {"/args-unterminated-quote", "[args]\nargs = prog \"a b\n", SYNTAX,
     "nvram 2: [args] has a '\"' without its closing '\"'"},
    {"/args-text-after-quote", "[args]\nargs = prog \"a b\"c\n", SYNTAX,
     "nvram 2: [args] has text right after a closing '\"' (separate arguments with a "
     "space)"},
    {"/args-empty", "[args]\nargs =\n", SYNTAX,
     "nvram 2: [args] is empty (it needs at least the program name)"},
    {"/args-twice", "[args]\nargs = a\n[env]\n[args]\nargs = b\n", SYNTAX,
     "nvram 5: [args] given twice (first on line 2)"},
    {"/env-empty-name", "[env]\nname=, value=1\n", SYNTAX,
     "nvram 2: [env] name must be non-empty and hold no '=' (got '')"},
    {"/env-name-with-equals", "[env]\nname=A\\x3dB, value=1\n", SYNTAX,
     "nvram 2: [env] name must be non-empty and hold no '=' (got 'A=B')"},
    {"/env-twice", "[env]\nname=HOME, value=/\n\nname=HOME, value=/root\n", SYNTAX,
     "nvram 4: [env] HOME is set twice (first on line 2)"},
    {"/time-not-a-number", "[time]\nseconds=yesterday\n", SYNTAX,
     "nvram 2: [time] seconds must be a whole number (got yesterday)"},
    {"/time-overflow", "[time]\nseconds=9223372036854775808\n", SYNTAX,
     "nvram 2: [time] seconds must be a whole number (got 9223372036854775808)"},
    {"/time-twice", "[time]\nseconds=1\nseconds=2\n", SYNTAX,
     "nvram 3: [time] given twice (first on line 2)"},
    {"/fstab-access",
     "[fstab]\n# python\nchannel=/dev/py.tar, mountpoint=/lib, access=rx, "
     "removable=no\n",
     SYNTAX, "nvram 3: [fstab] access must be ro, wo or rw (got rx)"},
    {"/fstab-missing-channel", "[fstab]\nmountpoint=/lib, access=wo\n", SYNTAX,
     "nvram 2: [fstab] record has no channel"},
    {"/fstab-missing-channel-ro", "[fstab]\nmountpoint=/lib\n", SYNTAX,
     "nvram 2: [fstab] record has no channel"},
    /* Found by fuzz-nvram: an explicitly empty channel passed as a channel-less image. */
    {"/fstab-empty-channel-ro", "[fstab]\nmountpoint=/usr, channel=\n", SYNTAX,
     "nvram 2: [fstab] channel must be a channel alias such as /dev/image.tar (got )"},
    {"/fstab-empty-channel-wo", "[fstab]\nmountpoint=/out, channel=, access=wo\n", SYNTAX,
     "nvram 2: [fstab] channel must be a channel alias such as /dev/image.tar (got )"},
    {"/fstab-removable", "[fstab]\nchannel=/dev/py.tar, mountpoint=/lib, removable=maybe\n", SYNTAX,
     "nvram 2: [fstab] removable must be yes or no (got maybe)"},
    {"/fstab-fsname", "[fstab]\nchannel=/dev/py.tar, mountpoint=/lib, fsname=squashfs\n", SYNTAX,
     "nvram 2: [fstab] fsname must be tar (got squashfs)"},
    {"/fstab-relative-mountpoint", "[fstab]\nchannel=/dev/py.tar, mountpoint=lib\n", SYNTAX,
     "nvram 2: [fstab] mountpoint must be an absolute directory without empty, '.' or '..' "
     "components (got lib)"},
    {"/fstab-dotdot-mountpoint", "[fstab]\nchannel=/dev/py.tar, mountpoint=/lib/../etc\n", SYNTAX,
     "nvram 2: [fstab] mountpoint must be an absolute directory without empty, '.' or '..' "
     "components (got /lib/../etc)"},
    {"/fstab-trailing-slash", "[fstab]\nchannel=/dev/py.tar, mountpoint=/lib/\n", SYNTAX,
     "nvram 2: [fstab] mountpoint must be an absolute directory without empty, '.' or '..' "
     "components (got /lib/)"},
    {"/fstab-channel", "[fstab]\nchannel=py.tar, mountpoint=/lib\n", SYNTAX,
     "nvram 2: [fstab] channel must be a channel alias such as /dev/image.tar (got py.tar)"},
    {"/mapping-mode", "[mapping]\nchannel=/dev/stdin, mode=block\n", SYNTAX,
     "nvram 2: [mapping] mode must be pipe, char or file (got block)"},
    {"/mapping-channel", "[mapping]\nchannel=/dev/, mode=char\n", SYNTAX,
     "nvram 2: [mapping] channel must be a channel alias such as /dev/input (got /dev/)"},
    {"/debug-verbosity", "[debug]\nverbosity=5\n", SYNTAX,
     "nvram 2: [debug] verbosity must be 0 to 4 (got 5)"},
    {"/precache-value", "[precache]\nprecache=1\n", SYNTAX,
     "nvram 2: [precache] precache must be yes or no (got 1)"},
    {"/control-shown-escaped", "[time]\nseconds=\\x01\n", SYNTAX,
     "nvram 2: [time] seconds must be a whole number (got \\001)"},
    {"/too-many-sections", "[env]\n[env]\n[env]\n[env]\n[env]\n[env]\n[env]\n[env]\n", TOO_LARGE,
     "nvram 8: more than 7 sections"},
    {"/too-many-keys",
     "[fstab]\nchannel=/dev/a, mountpoint=/a, access=ro, removable=no, "
     "fsname=tar, extra=1\n",
     TOO_LARGE, "nvram 2: a record has more than 5 keys"},
    {"/key-too-long", "[env]\nname=A, value=1, abcdefghijklmnopqrstu=1\n", TOO_LARGE,
     "nvram 2: key 'abcdefghijklmnopqrstu' is longer than 20 bytes"},
};

static void test_refusal(gconstpointer data)
{
	const RefusalCase *c = data;
	assert_refused(c->text, strlen(c->text), c->code, c->message);
}

static void test_every_section(void)
{
	static const char text[] =
	    "# written by hand\n"
	    "[args]\n"
	    "args = python -c \"print(1\\x2c 2)\" a\\x20b \\x22q\\x22 x#y\n"
	    "[env]\n"
	    "name=HOME, value=/home/user\n"
	    "  name = PATH , value = /bin\\x2c/usr/bin   \n"
	    "name=EMPTY, value=\n"
	    "name=EQ, value=a=b\n"
	    "[time]\n"
	    "seconds=1234567890\n"
	    "[fstab]\n"
	    "channel=/dev/python.tar, mountpoint=/lib/python, access=ro, removable=no\n"
	    "channel=/dev/out.tar, mountpoint=/, access=wo, removable=yes, fsname=tar\n"
	    "mountpoint=/tmp, access=rw\n"
	    "channel=/dev/seed.tar, mountpoint=/work, access=rw\n"
	    "[mapping]\n"
	    "channel=/dev/stdin, mode=char\n"
	    "channel=/dev/in/data, mode=file\n"
	    "channel=/dev/stdout, mode=pipe\n"
	    "[debug]\n"
	    "verbosity=4\n"
	    "[precache]\n"
	    "precache=yes\n";
	g_autoptr(ZvmNvram) nvram = parse_ok(text);
	static const char *const args[] = {"python", "-c",  "print(1, 2)", "a b",
					   "\"q\"",  "x#y", NULL};
	assert_strv(nvram->args, args);
	static const char *const env[] = {"HOME=/home/user", "PATH=/bin,/usr/bin",
					  "EMPTY=", "EQ=a=b", NULL};
	assert_strv(nvram->env, env);
	g_assert_true(nvram->has_time);
	g_assert_cmpint(nvram->time_seconds, ==, 1234567890);

	g_assert_cmpuint(nvram->fstab->len, ==, 4);
	const ZvmFstabEntry *python = nvram->fstab->pdata[0];
	g_assert_cmpstr(python->channel, ==, "/dev/python.tar");
	g_assert_cmpstr(python->mountpoint, ==, "/lib/python");
	g_assert_true(python->read_only);
	g_assert_false(python->removable);
	const ZvmFstabEntry *out = nvram->fstab->pdata[1];
	g_assert_cmpstr(out->channel, ==, "/dev/out.tar");
	g_assert_cmpstr(out->mountpoint, ==, "/");
	g_assert_false(out->read_only);
	g_assert_cmpint(out->access, ==, ZVM_FSTAB_WO);
	g_assert_true(out->removable);
	g_assert_cmpint(python->access, ==, ZVM_FSTAB_RO);
	const ZvmFstabEntry *tmp = nvram->fstab->pdata[2], *work = nvram->fstab->pdata[3];
	g_assert_null(tmp->channel);
	g_assert_cmpstr(tmp->mountpoint, ==, "/tmp");
	g_assert_cmpint(tmp->access, ==, ZVM_FSTAB_RW);
	g_assert_cmpstr(work->channel, ==, "/dev/seed.tar");
	g_assert_cmpint(work->access, ==, ZVM_FSTAB_RW);

	g_assert_cmpuint(nvram->mapping->len, ==, 3);
	const ZvmMappingEntry *m0 = nvram->mapping->pdata[0], *m1 = nvram->mapping->pdata[1],
			      *m2 = nvram->mapping->pdata[2];
	g_assert_cmpstr(m0->channel, ==, "/dev/stdin");
	g_assert_cmpint(m0->mode, ==, ZVM_MAPPING_CHAR);
	g_assert_cmpstr(m1->channel, ==, "/dev/in/data");
	g_assert_cmpint(m1->mode, ==, ZVM_MAPPING_FILE);
	g_assert_cmpint(m2->mode, ==, ZVM_MAPPING_PIPE);
}

static void test_zvsh_nvram(void)
{
	/* The shape zvsh wrote: escaped commas and spaces, one image at the root. */
	static const char text[] = "[args]\n"
				   "args = busybox sh -c echo\\x20hello\\x2c\\x20world\n"
				   "[fstab]\n"
				   "channel=/dev/1.python.tar,mountpoint=/,access=ro,removable=no\n"
				   "[mapping]\n"
				   "channel=/dev/stdin,mode=char\n"
				   "channel=/dev/stdout,mode=char\n"
				   "channel=/dev/stderr,mode=char\n";
	g_autoptr(ZvmNvram) nvram = parse_ok(text);
	static const char *const args[] = {"busybox", "sh", "-c", "echo hello, world", NULL};
	assert_strv(nvram->args, args);
	g_assert_null(nvram->env);
	g_assert_false(nvram->has_time);
	g_assert_cmpuint(nvram->fstab->len, ==, 1);
	g_assert_cmpuint(nvram->mapping->len, ==, 3);
}

static void test_escapes(void)
{
	g_autoptr(ZvmNvram) nvram =
	    parse_ok("[env]\nname=MULTI, value=a\\x0ab\\x2Cc\\x5cd\\x22\\xc3\\xa9\n");
	static const char *const env[] = {"MULTI=a\nb,c\\d\"\xc3\xa9", NULL};
	assert_strv(nvram->env, env);
	/* Spaces around a value go, escaped ones stay. */
	g_autoptr(ZvmNvram) spaced = parse_ok("[env]\nname=S, value=  \\x20x\\x20  \n");
	static const char *const spaced_env[] = {"S= x ", NULL};
	assert_strv(spaced->env, spaced_env);
}

static void test_quoting(void)
{
	g_autoptr(ZvmNvram) nvram =
	    parse_ok("[args]\nargs = \"\" \"one arg\"\t\"tab\\x09in\" mid\"dle \"\\x22\"\n");
	static const char *const args[] = {"", "one arg", "tab\tin", "mid\"dle", "\"", NULL};
	assert_strv(nvram->args, args);
}

static void test_comments_and_blanks(void)
{
	static const char text[] = "\n"
				   "   # indented comment\n"
				   "[env] # the environment\n"
				   "\n"
				   "name=A, value=1 # not a comment: part of the value\n"
				   "name=B, value=2, # a comment where a key would be\n"
				   ",,\n"
				   "\t\n";
	g_autoptr(ZvmNvram) nvram = parse_ok(text);
	static const char *const env[] = {"A=1 # not a comment: part of the value", "B=2", NULL};
	assert_strv(nvram->env, env);
}

static void test_crlf(void)
{
	g_autoptr(ZvmNvram) nvram = parse_ok("[args]\r\nargs = prog x\r\n[time]\r\nseconds=-5\r\n");
	static const char *const args[] = {"prog", "x", NULL};
	assert_strv(nvram->args, args);
	g_assert_cmpint(nvram->time_seconds, ==, -5);
}

static void test_fstab_defaults(void)
{
	g_autoptr(ZvmNvram) nvram = parse_ok("[fstab]\nmountpoint=/usr, channel=/dev/usr.tar\n");
	g_assert_cmpuint(nvram->fstab->len, ==, 1);
	const ZvmFstabEntry *entry = nvram->fstab->pdata[0];
	g_assert_cmpstr(entry->mountpoint, ==, "/usr");
	g_assert_true(entry->read_only);
	g_assert_false(entry->removable);
}

static void test_empty(void)
{
	g_autoptr(ZvmNvram) nvram = parse_ok("");
	g_assert_null(nvram->args);
	g_assert_null(nvram->env);
	g_assert_false(nvram->has_time);
	g_assert_cmpuint(nvram->fstab->len, ==, 0);
	g_assert_cmpuint(nvram->mapping->len, ==, 0);
	g_autoptr(ZvmNvram) headers = parse_ok("[env]\n[debug]\n[precache]\nprecache=no\n");
	g_assert_null(headers->env);
}

static void test_size_limit(void)
{
	/* Exactly 10240 bytes: a header and comment padding. */
	g_autoptr(GString) text = g_string_new("[env]\nname=A, value=1\n");
	while (text->len < 10240)
		g_string_append_c(text, text->len % 64 == 63 ? '\n' : '#');
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmNvram) nvram = zvm_nvram_parse(text->str, text->len, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(nvram->env[0], ==, "A=1");
	g_string_append_c(text, '\n');
	assert_refused(text->str, text->len, ZVM_NVRAM_ERROR_TOO_LARGE,
		       "nvram: the file is 10241 bytes, over the 10240-byte maximum");
}

static void test_section_limit(void)
{
	g_autoptr(ZvmNvram) nvram =
	    parse_ok("[env]\n[env]\n[env]\n[env]\n[env]\n[env]\nname=A, value=1\n[env]\n");
	g_assert_cmpstr(nvram->env[0], ==, "A=1");
}

static void test_record_limit(void)
{
	g_autoptr(GString) text = g_string_new("[env]\n");
	for (int i = 0; i < 100; i++)
		g_string_append_printf(text, "name=V%d,value=%d\n", i, i);
	g_autoptr(ZvmNvram) nvram = parse_ok(text->str);
	g_assert_cmpuint(g_strv_length(nvram->env), ==, 100);
	g_assert_cmpstr(nvram->env[99], ==, "V99=99");
	/* A second [env] header counts towards the same section. */
	g_string_append(text, "[env]\nname=W,value=1\n");
	assert_refused(text->str, text->len, ZVM_NVRAM_ERROR_TOO_LARGE,
		       "nvram 103: [env] has more than 100 records");
}

static void test_key_limits(void)
{
	g_autoptr(ZvmNvram) nvram = parse_ok("[fstab]\nchannel=/dev/a, mountpoint=/a, access=ro, "
					     "removable=no, fsname=tar\n");
	g_assert_cmpuint(nvram->fstab->len, ==, 1);
	/* 20 bytes is still a key, and it is refused for being unknown, not for its length. */
	const char *twenty = "[env]\nabcdefghijklmnopqrst=1\n";
	assert_refused(twenty, strlen(twenty), ZVM_NVRAM_ERROR_SYNTAX,
		       "nvram 2: [env] has no key 'abcdefghijklmnopqrst' (known: name, value)");
}

static void test_nul_byte(void)
{
	static const char text[] = "[env]\nname=A\0, value=1\n";
	assert_refused(text, sizeof(text) - 1, ZVM_NVRAM_ERROR_SYNTAX,
		       "nvram 2: the line holds a NUL byte");
}

static void test_error_quark(void)
{
	g_assert_cmpstr(g_quark_to_string(ZVM_NVRAM_ERROR), ==, "zvm-nvram-error-quark");
	zvm_nvram_free(NULL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(refusals); i++) {
		g_autofree char *path = g_strconcat("/nvram/refused", refusals[i].path, NULL);
		g_test_add_data_func(path, &refusals[i], test_refusal);
	}
	g_test_add_func("/nvram/every-section", test_every_section);
	g_test_add_func("/nvram/zvsh", test_zvsh_nvram);
	g_test_add_func("/nvram/escapes", test_escapes);
	g_test_add_func("/nvram/quoting", test_quoting);
	g_test_add_func("/nvram/comments-and-blanks", test_comments_and_blanks);
	g_test_add_func("/nvram/crlf", test_crlf);
	g_test_add_func("/nvram/fstab-defaults", test_fstab_defaults);
	g_test_add_func("/nvram/empty", test_empty);
	g_test_add_func("/nvram/limit/size", test_size_limit);
	g_test_add_func("/nvram/limit/sections", test_section_limit);
	g_test_add_func("/nvram/limit/records", test_record_limit);
	g_test_add_func("/nvram/limit/keys", test_key_limits);
	g_test_add_func("/nvram/refused/nul-byte", test_nul_byte);
	g_test_add_func("/nvram/error-quark", test_error_quark);
	return g_test_run();
}
