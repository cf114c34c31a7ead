/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The object check (sandbox/object-check.h) on shared objects gcc builds here: the glue's five
 * functions as translate.c compiles them are taken; the same with a constructor, with gcc's
 * start files, an IFUNC, a search path, another library, a missing function, or cut short,
 * are refused. A forged object is how a compromised compiler would run code in the runner.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "object-check.h"

#define GLUE                                                                  \
	"#include <stddef.h>\n"                                               \
	"size_t zvm_glue_instance_size(void) { return 8; }\n"                 \
	"void zvm_glue_init(void) { }\n"                                      \
	"void zvm_glue_instantiate(void *i, void *h) { (void)i; (void)h; }\n" \
	"void *zvm_glue_memory(void *i) { return i; }\n"                      \
	"void zvm_glue_start(void *i) { (void)i; }\n"

typedef struct {
	char *dir;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("zvm-object-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
	for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;) {
		g_autofree char *path = g_build_filename(f->dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(f->dir);
	g_free(f->dir);
}

/* Builds @source with gcc and the flags translate.c uses (plus @extra), returns the object. */
static GBytes *build(Fixture *f, const char *source, const char *const *extra)
{
	g_autofree char *c_path = g_build_filename(f->dir, "object.c", NULL);
	g_autofree char *so_path = g_build_filename(f->dir, "object.so", NULL);
	g_assert_true(g_file_set_contents(c_path, source, -1, NULL));
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const char *const base[] = {"cc", "-O2", "-fPIC", "-shared", "-w", "-o", so_path, c_path};
	for (gsize i = 0; i < G_N_ELEMENTS(base); i++)
		g_ptr_array_add(argv, (gpointer)base[i]);
	for (const char *const *arg = extra; arg != NULL && *arg != NULL; arg++)
		g_ptr_array_add(argv, (gpointer)*arg);
	g_ptr_array_add(argv, NULL);
	g_autofree char *output = NULL;
	int status = 0;
	g_autoptr(GError) error = NULL;
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
			  &output, &status, &error) ||
	    !g_spawn_check_wait_status(status, NULL)) {
		g_test_skip("cc cannot build a shared object here");
		return NULL;
	}
	gchar *data;
	gsize size;
	g_assert_true(g_file_get_contents(so_path, &data, &size, NULL));
	return g_bytes_new_take(data, size);
}

static const char *const translate_flags[] = {"-nostartfiles", NULL};

/* The message of the refusal, or NULL when the object was taken. */
static char *check(GBytes *object)
{
	gsize size;
	const guint8 *data = g_bytes_get_data(object, &size);
	g_autoptr(GError) error = NULL;
	if (zvm_object_check(data, size, &error))
		return NULL;
	g_assert_error(error, ZVM_OBJECT_ERROR, ZVM_OBJECT_ERROR_REFUSED);
	return g_strdup(error->message);
}

static void assert_refused(Fixture *f, const char *source, const char *const *extra,
			   const char *expected)
{
	g_autoptr(GBytes) object = build(f, source, extra);
	if (object == NULL)
		return;
	g_autofree char *message = check(object);
	g_assert_nonnull(message);
	g_test_message("refused: %s", message);
	if (strstr(message, expected) == NULL)
		g_error("refusal '%s' does not say '%s'", message, expected);
}

static void test_glue_taken(Fixture *f, gconstpointer data)
{
	const char *const with_libm[] = {"-nostartfiles", "-lm", NULL};
	g_autoptr(GBytes) object =
	    build(f,
		  GLUE "#include <math.h>\n"
		       "double g(double x) { return nearbyint(x) + fmod(x, 3); }\n"
		       "static int table[4] = {1, 2, 3, 4};\n"
		       "int *h(int i) { return &table[i & 3]; }\n",
		  with_libm);
	if (object == NULL)
		return;
	g_autofree char *message = check(object);
	g_assert_null(message);
}

static void test_constructor(Fixture *f, gconstpointer data)
{
	assert_refused(f,
		       GLUE "#include <unistd.h>\n"
			    "__attribute__((constructor)) static void evil(void) { setuid(0); }\n",
		       translate_flags, "constructors");
}

static void test_destructor(Fixture *f, gconstpointer data)
{
	assert_refused(f,
		       GLUE "#include <unistd.h>\n"
			    "__attribute__((destructor)) static void evil(void) { setuid(0); }\n",
		       translate_flags, "constructors");
}

static void test_start_files(Fixture *f, gconstpointer data)
{
	/* gcc's crti/crtbeginS bring _init, _fini and frame_dummy: refused too, which is why
	 * translate.c links with -nostartfiles. */
	assert_refused(f, GLUE, NULL, "constructors");
}

static void test_ifunc(Fixture *f, gconstpointer data)
{
	assert_refused(f,
		       GLUE "static int one(void) { return 1; }\n"
			    "static void *pick(void) { return (void *)one; }\n"
			    "int chosen(void) __attribute__((ifunc(\"pick\")));\n",
		       translate_flags, "IFUNC");
}

static void test_runpath(Fixture *f, gconstpointer data)
{
	const char *const flags[] = {"-nostartfiles", "-Wl,-rpath,/tmp/evil", NULL};
	assert_refused(f, GLUE, flags, "dynamic tag");
}

static void test_foreign_library(Fixture *f, gconstpointer data)
{
	const char *const flags[] = {"-nostartfiles", "-Wl,--no-as-needed", "-lpthread", "-lrt",
				     "-ldl",	      "-lresolv",	    NULL};
	assert_refused(f, GLUE, flags, "needs the library");
}

static void test_missing_glue(Fixture *f, gconstpointer data)
{
	assert_refused(f, "void zvm_glue_init(void) { }\n", translate_flags, "does not export");
}

static void test_glue_not_code(Fixture *f, gconstpointer data)
{
	assert_refused(f,
		       "#include <stddef.h>\n"
		       "size_t zvm_glue_instance_size(void) { return 8; }\n"
		       "int zvm_glue_init = 1;\n"
		       "void zvm_glue_instantiate(void *i, void *h) { (void)i; (void)h; }\n"
		       "void *zvm_glue_memory(void *i) { return i; }\n"
		       "void zvm_glue_start(void *i) { (void)i; }\n",
		       translate_flags, "is not code");
}

static void test_exec_stack(Fixture *f, gconstpointer data)
{
	const char *const flags[] = {"-nostartfiles", "-Wl,-z,execstack", NULL};
	assert_refused(f, GLUE, flags, "executable stack");
}

static void test_huge_segments(Fixture *f, gconstpointer data)
{
	/* The loader would map 4 GiB of zeroes before any limit of the runner applies. */
	const char *const flags[] = {"-nostartfiles", "-mcmodel=large", NULL};
	assert_refused(f, GLUE "char big[(1ull << 32) + 4096];\n", flags, "over 4 GiB");
}

static void test_damaged(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) object = build(f, GLUE, translate_flags);
	if (object == NULL)
		return;
	gsize size;
	const guint8 *bytes = g_bytes_get_data(object, &size);
	/* Every prefix the size of a header or more is refused or taken, never read past. */
	for (gsize cut = 0; cut < size; cut += cut < 256 ? 1 : 97) {
		g_autofree guint8 *copy = g_memdup2(bytes, cut);
		g_autoptr(GError) error = NULL;
		gboolean taken = zvm_object_check(copy, cut, &error);
		g_assert_true(taken || error != NULL);
	}
	g_autoptr(GError) error = NULL;
	g_assert_false(zvm_object_check((const guint8 *)"#!/bin/sh\n", 10, &error));
	g_assert_error(error, ZVM_OBJECT_ERROR, ZVM_OBJECT_ERROR_REFUSED);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, function) \
	g_test_add("/object-check/" path, Fixture, NULL, fixture_setup, function, fixture_teardown)
	ADD("glue-taken", test_glue_taken);
	ADD("constructor", test_constructor);
	ADD("destructor", test_destructor);
	ADD("start-files", test_start_files);
	ADD("ifunc", test_ifunc);
	ADD("runpath", test_runpath);
	ADD("foreign-library", test_foreign_library);
	ADD("missing-glue", test_missing_glue);
	ADD("glue-not-code", test_glue_not_code);
	ADD("exec-stack", test_exec_stack);
	ADD("huge-segments", test_huge_segments);
	ADD("damaged", test_damaged);
	return g_test_run();
}
