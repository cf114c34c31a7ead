/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the split of wasm2c's C into units (sandbox/translate-split.c): the shapes of
 * wasm2c 1.0.32's output, and units of a real translation that compile and link. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "translate-split.h"

#define HIDDEN "__attribute__((visibility(\"hidden\"))) "

/* The shapes wasm2c 1.0.32 writes, in its order, the module's names as it makes them. */
static const char shaped[] =
    "#include <string.h>\n"
    "#include \"module.h\"\n"
    "#define TRAP(x) (wasm_rt_trap(WASM_RT_TRAP_##x), 0)\n"
    "static inline void load_data(void* dest, const void* src, size_t n) {\n"
    "  memcpy(dest, src, n);\n"
    "}\n"
    "static float quiet_nanf(float x) {\n"
    "  return x;\n"
    "}\n"
    "static bool s_module_initialized = false;\n"
    "static u32 func_types[2];\n"
    "static void init_func_types(void) {\n"
    "  func_types[0] = wasm_rt_register_func_type(0, 0);\n"
    "}\n"
    "static void w2c_f0(Z_m_instance_t*);\n"
    "static u32 w2c_f1(Z_m_instance_t*, u32, u32);\n"
    "static void w2c_f2(Z_m_instance_t*, u32, u32, u32, u32, u32, u32, u32, u32, \n"
    "    u32);\n"
    "static void init_globals(Z_m_instance_t* instance) {\n"
    "  instance->w2c_g0 = 66560u;\n"
    "}\n"
    "static const u8 data_segment_data_w2c_d0[] = {\n"
    "  0x68, 0x69, 0x00, 0x22, \n"
    "  0x5c, 0x0a, \n"
    "};\n"
    "\n"
    "static const u8 data_segment_data_w2c_d1[] = {\n"
    "};\n"
    "\n"
    "static void init_memories(Z_m_instance_t* instance) {\n"
    "  LOAD_DATA(instance->w2c_memory, 1024u, data_segment_data_w2c_d0, 6);\n"
    "}\n"
    "static const wasm_elem_segment_expr_t elem_segment_exprs_w2c_e0[] = {\n"
    "  {0, (wasm_rt_function_ptr_t)&w2c_f0, 0},\n"
    "  {1, (wasm_rt_function_ptr_t)&w2c_f1, 0},\n"
    "};\n"
    "\n"
    "static void init_tables(Z_m_instance_t* instance) {\n"
    "  funcref_table_init(&instance->w2c_T0, elem_segment_exprs_w2c_e0, 2, 0u, 0, 2, "
    "instance, func_types);\n"
    "}\n"
    "\n"
    "static void w2c_f0(Z_m_instance_t* instance) {\n"
    "  FUNC_PROLOGUE;\n"
    "  FUNC_EPILOGUE;\n"
    "}\n"
    "\n"
    "static u32 w2c_f1(Z_m_instance_t* instance, u32 w2c_p0, u32 w2c_p1) {\n"
    "  FUNC_PROLOGUE;\n"
    "  w2c_p0 = CALL_INDIRECT(instance->w2c_T0, u32 (*)(void*), 0, w2c_p1, instance);\n"
    "  memory_init(&instance->w2c_memory, data_segment_data_w2c_d0, 6, 0, 0, 1);\n"
    "  FUNC_EPILOGUE;\n"
    "  return w2c_p0;\n"
    "}\n"
    "\n"
    "static void w2c_f2(Z_m_instance_t* instance, u32 w2c_p0, u32 w2c_p1, u32 w2c_p2, u32 "
    "w2c_p3, u32 w2c_p4, u32 w2c_p5, u32 w2c_p6, u32 w2c_p7, \n"
    "    u32 w2c_p8) {\n"
    "  w2c_f0(instance);\n"
    "}\n"
    "\n"
    "void Z_mZ__start(Z_m_instance_t* instance) {\n"
    "  w2c_f0(instance);\n"
    "}\n"
    "void Z_m_init_module(void) {\n"
    "  s_module_initialized = true;\n"
    "  init_func_types();\n"
    "}\n";

static char *make_dir(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = g_dir_make_tmp("zvm-split-XXXXXX", &error);
	g_assert_no_error(error);
	return dir;
}

static void remove_dir(const char *dir)
{
	g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
	for (const char *name; handle != NULL && (name = g_dir_read_name(handle)) != NULL;) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_assert_cmpint(unlink(path), ==, 0);
	}
	g_assert_cmpint(rmdir(dir), ==, 0);
}

static char *read_unit(const char *dir, guint k)
{
	g_autofree char *path = g_strdup_printf("%s/unit-%u.c", dir, k);
	char *text = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, &error));
	g_assert_no_error(error);
	return text;
}

static guint count(const char *haystack, const char *needle)
{
	guint n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static guint split(const char *dir, const char *text, gsize unit_bytes, GError **error)
{
	int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	g_assert_cmpint(dir_fd, >=, 0);
	guint n = zvm_split_c(text, strlen(text), unit_bytes, dir_fd, error);
	close(dir_fd);
	return n;
}

/* Three functions in three units after the data's; what each unit holds. */
static void test_shapes(void)
{
	g_autofree char *dir = make_dir();
	g_autoptr(GError) error = NULL;
	g_assert_cmpuint(split(dir, shaped, 1, &error), ==, 4);
	g_assert_no_error(error);
	char *units[4];
	guint f0 = 0, f1 = 0, f2 = 0;
	for (guint k = 0; k < 4; k++) {
		units[k] = read_unit(dir, k);
		/* The prologue everywhere, with every declaration, made hidden globals. */
		g_assert_nonnull(strstr(units[k], "static inline void load_data("));
		g_assert_nonnull(strstr(units[k], "static float quiet_nanf("));
		g_assert_nonnull(strstr(units[k], HIDDEN "void w2c_f0(Z_m_instance_t*);\n"));
		g_assert_nonnull(strstr(units[k],
					HIDDEN "void w2c_f2(Z_m_instance_t*, u32, u32, "
					       "u32, u32, u32, u32, u32, u32, \n    u32);\n"));
		g_assert_null(strstr(units[k], "static void w2c_"));
		g_assert_null(strstr(units[k], "static u32 w2c_"));
		g_assert_null(strstr(units[k], "static u32 func_types"));
		f0 += count(units[k], HIDDEN "void w2c_f0(Z_m_instance_t* instance) {");
		f1 += count(units[k], HIDDEN "u32 w2c_f1(Z_m_instance_t* instance, u32 w2c_p0");
		f2 += count(units[k], "    u32 w2c_p8) {");
	}
	/* Each function defined once, hidden, whole. */
	g_assert_cmpuint(f0, ==, 1);
	g_assert_cmpuint(f1, ==, 1);
	g_assert_cmpuint(f2, ==, 1);
	/* In file order, one in each unit after the data's. */
	g_assert_null(strstr(units[0], "FUNC_PROLOGUE"));
	g_assert_nonnull(strstr(units[1], HIDDEN "void w2c_f0(Z_m_instance_t* instance) {"));
	g_assert_nonnull(strstr(units[2], HIDDEN "u32 w2c_f1(Z_m_instance_t* instance, u32"));
	g_assert_nonnull(strstr(units[3], "    u32 w2c_p8) {\n  w2c_f0(instance);\n}"));
	/* Unit 0: the one definition of the shared data, the data as a sized literal, the
	 * init functions and the exports. */
	g_assert_nonnull(strstr(units[0], HIDDEN "u32 func_types[2];"));
	g_assert_nonnull(strstr(units[0], HIDDEN "const u8 data_segment_data_w2c_d0[6] = \n"
						 "\"\\x68\\x69\\x00\\x22\\x5c\\x0a\";"));
	g_assert_nonnull(strstr(units[0], HIDDEN "const u8 data_segment_data_w2c_d1[] = {\n};"));
	g_assert_nonnull(strstr(units[0], HIDDEN "const wasm_elem_segment_expr_t "
						 "elem_segment_exprs_w2c_e0[] = {\n"
						 "  {0, (wasm_rt_function_ptr_t)&w2c_f0, 0},"));
	g_assert_nonnull(strstr(units[0], "static void init_memories("));
	g_assert_nonnull(strstr(units[0], "static void init_tables("));
	g_assert_nonnull(strstr(units[0], "void Z_mZ__start("));
	g_assert_nonnull(strstr(units[0], "void Z_m_init_module(void) {"));
	/* The others: extern declarations, no data, no instantiation. */
	for (guint k = 1; k < 4; k++) {
		g_assert_nonnull(strstr(units[k], "extern " HIDDEN "u32 func_types[2];"));
		g_assert_nonnull(
		    strstr(units[k], "extern " HIDDEN "const u8 data_segment_data_w2c_d0[];"));
		g_assert_nonnull(strstr(units[k], "extern " HIDDEN "const wasm_elem_segment_expr_t "
						  "elem_segment_exprs_w2c_e0[];"));
		g_assert_null(strstr(units[k], "0x68"));
		g_assert_null(strstr(units[k], "init_memories"));
		g_assert_null(strstr(units[k], "init_func_types"));
		g_assert_null(strstr(units[k], "Z_mZ__start"));
	}
	for (guint k = 0; k < 4; k++)
		g_free(units[k]);
	remove_dir(dir);
}

/* A unit size above the code: the data's unit and one with all the code. */
static void test_one_code_unit(void)
{
	g_autofree char *dir = make_dir();
	g_autoptr(GError) error = NULL;
	g_assert_cmpuint(split(dir, shaped, 1 << 20, &error), ==, 2);
	g_autofree char *data = read_unit(dir, 0);
	g_assert_nonnull(strstr(data, "data_segment_data_w2c_d0[6] = "));
	g_autofree char *code = read_unit(dir, 1);
	g_assert_cmpuint(count(code, ") {\n  FUNC_PROLOGUE;"), ==, 2);
	g_assert_nonnull(strstr(code, "    u32 w2c_p8) {"));
	g_autofree char *third = g_build_filename(dir, "unit-2.c", NULL);
	g_assert_false(g_file_test(third, G_FILE_TEST_EXISTS));
	remove_dir(dir);
}

/* Text that is not wasm2c's is refused, and nothing is left behind. */
static void test_not_wasm2c(void)
{
	g_autofree char *dir = make_dir();
	g_autoptr(GError) error = NULL;
	g_assert_cmpuint(split(dir, "int main(void) { return 0; }\n", 1, &error), ==, 0);
	g_assert_error(error, ZVM_SPLIT_ERROR, ZVM_SPLIT_ERROR_SHAPE);
	g_clear_error(&error);
	/* A definition without its end. */
	g_assert_cmpuint(
	    split(dir, "static void w2c_f0(Z_m_instance_t* instance) {\n  x;\n", 1, &error), ==, 0);
	g_assert_error(error, ZVM_SPLIT_ERROR, ZVM_SPLIT_ERROR_SHAPE);
	remove_dir(dir);
}

/* A unit that exists already (planted by the compiler's user) is not written through. */
static void test_existing_unit(void)
{
	g_autofree char *dir = make_dir();
	g_autofree char *planted = g_build_filename(dir, "unit-1.c", NULL);
	g_assert_true(g_file_set_contents(planted, "planted", -1, NULL));
	g_autoptr(GError) error = NULL;
	g_assert_cmpuint(split(dir, shaped, 1, &error), ==, 0);
	g_assert_error(error, ZVM_SPLIT_ERROR, ZVM_SPLIT_ERROR_WRITE);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(planted, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "planted");
	remove_dir(dir);
}

static gboolean run(const char *dir, const char *const *argv, char **out)
{
	int status = 0;
	g_autoptr(GError) error = NULL;
	gboolean spawned = g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
					out, NULL, &status, &error);
	g_assert_no_error(error);
	return spawned && g_spawn_check_wait_status(status, NULL);
}

/* A real translation (a module with data, active and passive segments, tables and
 * call_indirect, beside the test) cut in units that compile, link, and export nothing of
 * the module's own. */
static void test_real_translation(gconstpointer data)
{
	const char *wasm = data;
	if (!g_file_test(wasm, G_FILE_TEST_EXISTS)) {
		g_test_skip("the test module is not built");
		return;
	}
	g_autofree char *dir = make_dir();
	g_autofree char *module = g_build_filename(dir, "module.wasm", NULL);
	g_autofree char *wasm_bytes = NULL;
	gsize length;
	g_assert_true(g_file_get_contents(wasm, &wasm_bytes, &length, NULL));
	g_assert_true(g_file_set_contents(module, wasm_bytes, (gssize)length, NULL));
	const char *wasm2c[] = {"wasm2c", "--no-debug-names", "-n", "zvm", "module.wasm",
				"-o",	  "module.c",	      NULL};
	g_assert_true(run(dir, wasm2c, NULL));
	g_autofree char *c_path = g_build_filename(dir, "module.c", NULL);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(c_path, &text, NULL, NULL));
	g_autoptr(GError) error = NULL;
	guint n = split(dir, text, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(n, >=, 3);
	g_autoptr(GPtrArray) link = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(link, g_strdup("cc"));
	const char *const link_flags[] = {"-shared", "-o", "module.so"};
	for (gsize i = 0; i < G_N_ELEMENTS(link_flags); i++)
		g_ptr_array_add(link, g_strdup(link_flags[i]));
	for (guint k = 0; k < n; k++) {
		g_autofree char *source = g_strdup_printf("unit-%u.c", k);
		g_autofree char *object = g_strdup_printf("unit-%u.o", k);
		const char *cc[] = {"cc", "-O1",  "-fPIC", "-w",   "-I", ZVM_WASM_RT_INCLUDE,
				    "-c", source, "-o",	   object, NULL};
		g_assert_true(run(dir, cc, NULL));
		g_ptr_array_add(link, g_strdup(object));
	}
	g_ptr_array_add(link, NULL);
	g_assert_true(run(dir, (const char *const *)link->pdata, NULL));
	const char *nm[] = {"nm", "-D", "--defined-only", "module.so", NULL};
	g_autofree char *symbols = NULL;
	g_assert_true(run(dir, nm, &symbols));
	g_assert_nonnull(strstr(symbols, "Z_zvm_instantiate"));
	g_assert_null(strstr(symbols, " w2c_"));
	g_assert_null(strstr(symbols, "func_types"));
	g_assert_null(strstr(symbols, "data_segment"));
	/* Every unit's calls into another found their function. */
	const char *undefined[] = {"nm", "--undefined-only", "module.so", NULL};
	g_autofree char *missing = NULL;
	g_assert_true(run(dir, undefined, &missing));
	g_assert_null(strstr(missing, "w2c_"));
	g_assert_null(strstr(missing, "func_types"));
	g_assert_null(strstr(missing, "_segment_"));
	const char *rm[] = {"rm", "-rf", dir, NULL};
	g_assert_true(run(NULL, rm, NULL));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/split/shapes", test_shapes);
	g_test_add_func("/split/one-code-unit", test_one_code_unit);
	g_test_add_func("/split/not-wasm2c", test_not_wasm2c);
	g_test_add_func("/split/existing-unit", test_existing_unit);
	g_test_add_data_func("/split/real-tables", ZVM_TEST_TABLES_WASM, test_real_translation);
	g_test_add_data_func("/split/real-c-program", ZVM_TEST_HELLO_WASM, test_real_translation);
	return g_test_run();
}
