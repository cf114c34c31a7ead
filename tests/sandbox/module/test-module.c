/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the module checker (sandbox/module.c): what it takes, what it refuses and why. */
#include <string.h>

#include "module-test-util.h"
#include "module.h"

static GBytes *check(GBytes *module, const ZvmModuleBounds *bounds, ZvmModuleInfo *info,
		     GError **error)
{
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	/* An exact-size copy, so that a read past the end is caught by ASan. */
	g_autofree guint8 *copy = g_memdup2(data, length);
	return zvm_module_check(copy, length, bounds, info, error);
}

static void assert_refused(GBytes *module, const ZvmModuleBounds *bounds, ZvmModuleError code,
			   const char *message)
{
	g_autoptr(GError) error = NULL;
	ZvmModuleInfo info = {77, 77, 77, 77};
	g_autoptr(GBytes) sanitised = check(module, bounds, &info, &error);
	g_assert_null(sanitised);
	g_assert_error(error, ZVM_MODULE_ERROR, (gint)code);
	g_assert_true(g_str_has_prefix(error->message, "validation failed: "));
	if (message != NULL)
		g_assert_cmpstr(error->message, ==, message);
	/* Outputs are untouched on failure. */
	g_assert_cmpuint(info.initial_pages, ==, 77);
	g_assert_cmpuint(info.n_imports, ==, 77);
}

static void assert_file_refused(const char *name, ZvmModuleError code, const char *message)
{
	g_autofree char *file = g_strconcat(name, ".wasm", NULL);
	g_autoptr(GBytes) module = test_load_module(file);
	assert_refused(module, NULL, code, message);
}

static GBytes *assert_accepted(GBytes *module, const ZvmModuleBounds *bounds, ZvmModuleInfo *info)
{
	g_autoptr(GError) error = NULL;
	GBytes *sanitised = check(module, bounds, info, &error);
	g_assert_no_error(error);
	g_assert_nonnull(sanitised);
	return sanitised;
}

/* The module without its custom sections, by a walk independent of the checker's. */
static GBytes *strip_custom_sections(GBytes *module)
{
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	GByteArray *out = g_byte_array_new();
	g_byte_array_append(out, data, 8);
	for (gsize pos = 8; pos < length;) {
		gsize start = pos++;
		uint32_t size = 0;
		for (unsigned int shift = 0;; shift += 7) {
			guint8 byte = data[pos++];
			size |= (uint32_t)(byte & 0x7f) << shift;
			if ((byte & 0x80) == 0)
				break;
		}
		pos += size;
		if (data[start] != 0)
			g_byte_array_append(out, data + start, (guint)(pos - start));
	}
	return g_byte_array_free_to_bytes(out);
}

/* Reads the section header at @pos of @data: its id, and its payload's start and size. */
static gsize section_at(const guint8 *data, gsize pos, guint8 *id, gsize *payload, uint32_t *size)
{
	*id = data[pos++];
	*size = 0;
	for (unsigned int shift = 0;; shift += 7) {
		guint8 byte = data[pos++];
		*size |= (uint32_t)(byte & 0x7f) << shift;
		if ((byte & 0x80) == 0)
			break;
	}
	*payload = pos;
	return pos + *size;
}

/* The payload of section @id of @module, or NULL. */
static GBytes *section_payload(GBytes *module, guint8 id)
{
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	for (gsize pos = 8; pos < length;) {
		guint8 section_id;
		gsize payload;
		uint32_t size;
		pos = section_at(data, pos, &section_id, &payload, &size);
		if (section_id == id)
			return g_bytes_new(data + payload, size);
	}
	return NULL;
}

/* @module with section @id holding @payload put in order among its sections (which must
 * have ids in increasing order, no custom or data count section). */
static GBytes *with_section(GBytes *module, guint8 id, const GByteArray *payload)
{
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	GByteArray *out = wasm_builder_new();
	gboolean inserted = FALSE;
	for (gsize pos = 8; pos < length;) {
		guint8 section_id;
		gsize payload_start;
		uint32_t size;
		gsize end = section_at(data, pos, &section_id, &payload_start, &size);
		if (!inserted && section_id > id) {
			wasm_put_section(out, id, payload);
			inserted = TRUE;
		}
		g_byte_array_append(out, data + pos, (guint)(end - pos));
		pos = end;
	}
	if (!inserted)
		wasm_put_section(out, id, payload);
	return g_byte_array_free_to_bytes(out);
}

static void assert_payload(GBytes *module, guint8 id, const GByteArray *expected)
{
	g_autoptr(GBytes) payload = section_payload(module, id);
	g_assert_nonnull(payload);
	g_assert_cmpmem(g_bytes_get_data(payload, NULL), g_bytes_get_size(payload), expected->data,
			expected->len);
}

/* The checker's own export section: _start (function @start), then memory 0. */
static void assert_exports(GBytes *sanitised, uint32_t start)
{
	g_autoptr(GByteArray) expected = g_byte_array_new();
	wasm_put_u32(expected, 2);
	wasm_put_name(expected, "_start");
	wasm_put_byte(expected, 0);
	wasm_put_u32(expected, start);
	wasm_put_name(expected, "memory");
	wasm_put_byte(expected, 2);
	wasm_put_u32(expected, 0);
	assert_payload(sanitised, 7, expected);
}

/* The checker's own memory section: @initial pages, at most @maximum. */
static void assert_memory(GBytes *sanitised, uint32_t initial, uint32_t maximum)
{
	g_autoptr(GByteArray) expected = g_byte_array_new();
	wasm_put_u32(expected, 1);
	wasm_put_byte(expected, 1);
	wasm_put_u32(expected, initial);
	wasm_put_u32(expected, maximum);
	assert_payload(sanitised, 5, expected);
}

/*
 * @sanitised is @module without custom sections, every other section the same but imports,
 * memory and exports, which the checker writes itself: the memory's maximum at most 65535
 * pages, the exports _start and memory only; and checking it again changes nothing.
 */
static void assert_rewritten(GBytes *module, GBytes *sanitised, const ZvmModuleInfo *info)
{
	g_autoptr(GBytes) stripped = strip_custom_sections(module);
	gsize length, sanitised_length;
	const guint8 *data = g_bytes_get_data(stripped, &length);
	const guint8 *out = g_bytes_get_data(sanitised, &sanitised_length);
	gsize pos = 8, out_pos = 8;
	while (pos < length) {
		guint8 id, out_id;
		gsize payload, out_payload;
		uint32_t size, out_size;
		gsize end = section_at(data, pos, &id, &payload, &size);
		g_assert_cmpuint(out_pos, <, sanitised_length);
		gsize out_end = section_at(out, out_pos, &out_id, &out_payload, &out_size);
		g_assert_cmpuint(out_id, ==, id);
		if (id != 2 && id != 5 && id != 7)
			g_assert_cmpmem(data + pos, end - pos, out + out_pos, out_end - out_pos);
		pos = end;
		out_pos = out_end;
	}
	g_assert_cmpuint(out_pos, ==, sanitised_length);
	assert_memory(sanitised, info->initial_pages, MIN(info->max_pages, 65535));
	ZvmModuleInfo again = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) twice = zvm_module_check(g_bytes_get_data(sanitised, NULL),
						   sanitised_length, NULL, &again, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(twice, sanitised));
	g_assert_cmpuint(again.initial_pages, ==, info->initial_pages);
	g_assert_cmpuint(again.max_pages, ==, MIN(info->max_pages, 65535));
	g_assert_cmpuint(again.n_functions, ==, info->n_functions);
	g_assert_cmpuint(again.n_imports, ==, info->n_imports);
}

static void test_hello(void)
{
	g_autoptr(GBytes) module = test_load_module("hello.wasm");
	ZvmModuleInfo info = {0};
	g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
	/* Built with -s: no custom sections; clang's import section is the checker's. */
	assert_rewritten(module, sanitised, &info);
	g_autoptr(GBytes) imports = section_payload(module, 2);
	g_autoptr(GBytes) written = section_payload(sanitised, 2);
	g_assert_true(g_bytes_equal(imports, written));
	g_assert_cmpuint(info.initial_pages, >=, 1);
	g_assert_cmpuint(info.max_pages, ==, UINT32_MAX);
	g_assert_cmpuint(info.n_imports, >=, 1);
	g_assert_cmpuint(info.n_functions, >=, 1);
}

static void test_custom_sections_removed(void)
{
	g_autoptr(GBytes) module = test_load_module("hello-debug.wasm");
	ZvmModuleInfo info = {0};
	g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
	g_assert_cmpuint(g_bytes_get_size(sanitised), <, g_bytes_get_size(module) / 2);
	assert_rewritten(module, sanitised, &info);
}

static void test_good_features(void)
{
	g_autoptr(GBytes) module = test_load_module("good-features.wasm");
	ZvmModuleInfo info = {0};
	g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
	g_assert_cmpuint(info.n_imports, ==, 3);
	g_assert_cmpuint(info.n_functions, ==, 5);
	g_assert_cmpuint(info.initial_pages, ==, 1);
	g_assert_cmpuint(info.max_pages, ==, 16);
	assert_rewritten(module, sanitised, &info);
	assert_exports(sanitised, 6);
	/* The imports as the checker writes them, from its own table of WASI names. */
	static const struct {
		const char *name;
		uint32_t type;
	} imports[] = {{"fd_write", 2}, {"clock_time_get", 3}, {"proc_exit", 4}};
	g_autoptr(GByteArray) expected = g_byte_array_new();
	wasm_put_u32(expected, G_N_ELEMENTS(imports));
	for (gsize i = 0; i < G_N_ELEMENTS(imports); i++) {
		wasm_put_name(expected, "wasi_snapshot_preview1");
		wasm_put_name(expected, imports[i].name);
		wasm_put_byte(expected, 0);
		wasm_put_u32(expected, imports[i].type);
	}
	assert_payload(sanitised, 2, expected);
}

/* Exports beyond _start and memory (Rust's __main_void, globals, tables, names with bytes
 * that mean something to C) are dropped: the rewritten module holds none of their names. */
static void test_export_extra(void)
{
	g_autoptr(GBytes) module = test_load_module("export-extra.wasm");
	ZvmModuleInfo info = {0};
	g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
	assert_rewritten(module, sanitised, &info);
	assert_exports(sanitised, 0);
	static const char *const dropped[] = {"*/",
					      "evil",
					      "#include",
					      "passwd",
					      "__main_void",
					      "__heap_base",
					      "__indirect_function_table"};
	gsize length;
	const guint8 *data = g_bytes_get_data(sanitised, &length);
	for (gsize i = 0; i < G_N_ELEMENTS(dropped); i++) {
		g_assert_nonnull(memmem(g_bytes_get_data(module, NULL), g_bytes_get_size(module),
					dropped[i], strlen(dropped[i])));
		if (memmem(data, length, dropped[i], strlen(dropped[i])) != NULL)
			g_error("'%s' is still in the rewritten module", dropped[i]);
	}
	/* No byte of the module's names is outside printable ASCII: the only names left are
	 * the checker's. */
	g_autoptr(GBytes) exports = section_payload(sanitised, 7);
	const guint8 *names = g_bytes_get_data(exports, &length);
	for (gsize i = 0; i < length; i++)
		g_assert_true(names[i] < 0x7f && names[i] != '\\' && names[i] != '"');
}

static void test_no_imports(void)
{
	g_autoptr(GBytes) module = test_load_module("no-imports.wasm");
	ZvmModuleInfo info = {0};
	g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
	g_assert_cmpuint(info.n_imports, ==, 0);
	g_assert_cmpuint(info.n_functions, ==, 1);
}

/* Every wasip1 program of the wasi-testsuite (third-party test data beside the repository,
 * or where ZVM_WASI_TESTSUITE says) is taken: Rust's, which export __main_void, C's and
 * AssemblyScript's. */
static void test_wasi_testsuite(void)
{
	const char *env = g_getenv("ZVM_WASI_TESTSUITE");
	g_autofree char *suite =
	    env != NULL
		? g_strdup(env)
		: g_build_filename(g_getenv("ZVM_SOURCE_DIR") ? g_getenv("ZVM_SOURCE_DIR") : ".",
				   "..", "shared", "wasi-testsuite", NULL);
	static const char *const languages[] = {"rust", "c", "assemblyscript"};
	guint taken = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(languages); i++) {
		g_autofree char *dir_path = g_build_filename(suite, languages[i], NULL);
		g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
		for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;) {
			if (!g_str_has_suffix(name, ".wasm"))
				continue;
			g_autofree char *path = g_build_filename(dir_path, name, NULL);
			g_autofree char *contents = NULL;
			gsize length;
			g_assert_true(g_file_get_contents(path, &contents, &length, NULL));
			g_autoptr(GBytes) module =
			    g_bytes_new_take(g_steal_pointer(&contents), length);
			g_test_message("%s/%s", languages[i], name);
			ZvmModuleInfo info = {0};
			g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
			assert_rewritten(module, sanitised, &info);
			taken++;
		}
	}
	if (taken == 0) {
		g_autofree char *reason =
		    g_strdup_printf("no .wasm under %s/{rust,c,assemblyscript}", suite);
		g_test_skip(reason);
		return;
	}
	g_test_message("%u wasi-testsuite programs taken", taken);
}

static void test_not_wasm(void)
{
	static const guint8 elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};
	static const guint8 version2[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GBytes) not_wasm = g_bytes_new_static(elf, sizeof(elf));
	g_autoptr(GBytes) wrong_version = g_bytes_new_static(version2, sizeof(version2));
	assert_refused(empty, NULL, ZVM_MODULE_ERROR_FORMAT,
		       "validation failed: the program is not a WebAssembly module");
	assert_refused(not_wasm, NULL, ZVM_MODULE_ERROR_FORMAT,
		       "validation failed: the program is not a WebAssembly module");
	assert_refused(wrong_version, NULL, ZVM_MODULE_ERROR_FORMAT,
		       "validation failed: WebAssembly binary version 2, zvmfs reads version 1");
}

/* Whether @n is where a section of @module ends. */
static gboolean is_section_end(GBytes *module, gsize n)
{
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	for (gsize pos = 8; pos < length;) {
		pos++;
		uint32_t size = 0;
		for (unsigned int shift = 0;; shift += 7) {
			guint8 byte = data[pos++];
			size |= (uint32_t)(byte & 0x7f) << shift;
			if ((byte & 0x80) == 0)
				break;
		}
		pos += size;
		if (pos == n)
			return TRUE;
	}
	return FALSE;
}

/* Every proper prefix of a valid module is refused cleanly, never read past its end; except
 * one that ends where a section ends and lacks only sections a module may do without (data,
 * custom), which is itself a valid module. */
static void test_truncated(gconstpointer name)
{
	g_autoptr(GBytes) module = test_load_module(name);
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	guint whole = 0;
	for (gsize n = 0; n < length; n++) {
		g_autoptr(GBytes) prefix = g_bytes_new(data, n);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) sanitised = check(prefix, NULL, NULL, &error);
		if (sanitised != NULL) {
			if (!is_section_end(module, n))
				g_error("prefix of %" G_GSIZE_FORMAT " bytes of %s accepted", n,
					(const char *)name);
			whole++;
			continue;
		}
		g_assert_true(error->domain == ZVM_MODULE_ERROR);
		g_assert_true(g_str_has_prefix(error->message, "validation failed: "));
	}
	g_test_message("%" G_GSIZE_FORMAT " prefixes, %u of them whole modules", length, whole);
}

/* Each byte changed to a few telling values: any verdict, but no crash or overread. */
static void test_mutated(void)
{
	static const guint8 values[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
	g_autoptr(GBytes) module = test_load_module("good-features.wasm");
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	guint accepted = 0;
	for (gsize i = 8; i < length; i++) {
		for (gsize v = 0; v < G_N_ELEMENTS(values); v++) {
			g_autofree guint8 *copy = g_memdup2(data, length);
			copy[i] = values[v];
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) sanitised =
			    zvm_module_check(copy, length, NULL, NULL, &error);
			g_assert_true((sanitised == NULL) != (error == NULL));
			accepted += sanitised != NULL;
		}
	}
	g_test_message("%u of %" G_GSIZE_FORMAT " mutations accepted", accepted,
		       (length - 8) * G_N_ELEMENTS(values));
}

typedef struct {
	const char *file; /* wat/<file>.wat, built to <file>.wasm */
	ZvmModuleError code;
	const char *message;
} FileCase;

#define UNSUPPORTED(feature) \
	"validation failed: the module uses " feature ", which zvmfs does not support"
#define IMPORT_REFERENCE(name)                                                                \
	"refers to the WASI import " name "; zvmfs lets a module only call imports directly " \
	"(wasm2c 1.0.32 gives an import in a table the wrong host state)"

static const FileCase file_cases[] = {
    {"import-env", ZVM_MODULE_ERROR_IMPORT,
     "validation failed: import env.foo is not a WASI call zvmfs serves"},
    {"import-signature", ZVM_MODULE_ERROR_IMPORT,
     "validation failed: the module imports wasi_snapshot_preview1.fd_write with signature "
     "(i32) -> i32, expected (i32, i32, i32, i32) -> i32"},
    {"import-injection", ZVM_MODULE_ERROR_IMPORT,
     "validation failed: import wasi_snapshot_preview1.*/ int x; /* is not a WASI call zvmfs "
     "serves"},
    {"import-unprintable", ZVM_MODULE_ERROR_IMPORT,
     "validation failed: import wasi_snapshot_preview1.fd\\x01\\x7f\\x5cx is not a WASI call "
     "zvmfs serves"},
    {"import-memory", ZVM_MODULE_ERROR_IMPORT,
     "validation failed: import env.memory is a memory, not a WASI call zvmfs serves"},
    {"import-global", ZVM_MODULE_ERROR_IMPORT,
     "validation failed: import wasi_snapshot_preview1.fd_write is a global, not a WASI call "
     "zvmfs serves"},
    {"import-table", ZVM_MODULE_ERROR_IMPORT,
     "validation failed: import env.table is a table, not a WASI call zvmfs serves"},
    {"export-no-start", ZVM_MODULE_ERROR_EXPORT,
     "validation failed: the module does not export _start"},
    {"export-no-start-at-all", ZVM_MODULE_ERROR_EXPORT,
     "validation failed: the module does not export _start"},
    {"export-no-memory", ZVM_MODULE_ERROR_EXPORT,
     "validation failed: the module does not export its memory as \"memory\""},
    {"no-memory", ZVM_MODULE_ERROR_EXPORT,
     "validation failed: the module does not export its memory as \"memory\""},
    {"export-start-params", ZVM_MODULE_ERROR_EXPORT,
     "validation failed: _start must be a function of type () -> (), not (i32) -> ()"},
    {"export-memory-global", ZVM_MODULE_ERROR_EXPORT,
     "validation failed: the module exports a global as memory, not its memory"},
    {"start-section", ZVM_MODULE_ERROR_FEATURE,
     "validation failed: the module has a start function; zvmfs runs _start"},
    {"simd", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("SIMD instructions")},
    {"simd-type", ZVM_MODULE_ERROR_FEATURE,
     UNSUPPORTED("SIMD instructions (v128 values in function signatures)")},
    {"atomics", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("atomic instructions (threads)")},
    {"exceptions", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("exception handling")},
    {"exception-tag", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("exception handling (a tag section)")},
    {"tail-call", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("tail calls")},
    {"two-memories", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("more than one memory")},
    {"shared-memory", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("a shared memory (threads)")},
    {"memory64", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("a 64-bit memory (memory64)")},
    {"multi-value", ZVM_MODULE_ERROR_FEATURE,
     UNSUPPORTED("functions with several results (multi-value)")},
    {"ref-local", ZVM_MODULE_ERROR_FEATURE, UNSUPPORTED("reference-typed values in locals")},
    {"elem-import", ZVM_MODULE_ERROR_FEATURE,
     "validation failed: element segment 0 " IMPORT_REFERENCE("fd_write")},
    {"elem-import-expr", ZVM_MODULE_ERROR_FEATURE,
     "validation failed: element segment 1 " IMPORT_REFERENCE("fd_write")},
    {"elem-import-declare", ZVM_MODULE_ERROR_FEATURE,
     "validation failed: element segment 0 " IMPORT_REFERENCE("proc_exit")},
    {"ref-func-import", ZVM_MODULE_ERROR_FEATURE,
     "validation failed: function 2 " IMPORT_REFERENCE("proc_exit")},
    {"table-huge", ZVM_MODULE_ERROR_LIMIT,
     "validation failed: the module's tables start with 4294967295 entries, over the limit "
     "of 1048576"},
};

static void test_file_refused(gconstpointer data)
{
	const FileCase *c = data;
	assert_file_refused(c->file, c->code, c->message);
}

/* A long name with a byte that is not UTF-8 is quoted escaped and cut short. */
static void test_import_long_name(void)
{
	g_autoptr(GByteArray) module = wasm_builder_new();
	g_autoptr(GByteArray) types = g_byte_array_new();
	wasm_put_u32(types, 1);
	wasm_put_byte(types, 0x60);
	wasm_put_u32(types, 0);
	wasm_put_u32(types, 0);
	wasm_put_section(module, 1, types);
	g_autoptr(GByteArray) imports = g_byte_array_new();
	wasm_put_u32(imports, 1);
	wasm_put_name(imports, "env");
	wasm_put_u32(imports, 101);
	wasm_put_byte(imports, 0xff);
	for (int i = 0; i < 100; i++)
		wasm_put_byte(imports, 'a');
	wasm_put_byte(imports, 0);
	wasm_put_u32(imports, 0);
	wasm_put_section(module, 2, imports);
	g_autoptr(GBytes) bytes = g_bytes_new(module->data, module->len);
	g_autofree char *expected =
	    g_strdup_printf("validation failed: import env.\\xff%.63s... is not a WASI call "
			    "zvmfs serves",
			    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_refused(bytes, NULL, ZVM_MODULE_ERROR_IMPORT, expected);
}

/* @base with its section @id replaced by one holding @payload. */
static GBytes *with_section_replaced(GBytes *base, guint8 id, const GByteArray *payload)
{
	gsize length;
	const guint8 *data = g_bytes_get_data(base, &length);
	GByteArray *module = wasm_builder_new();
	for (gsize pos = 8; pos < length;) {
		guint8 section_id;
		gsize payload_start;
		uint32_t size;
		gsize end = section_at(data, pos, &section_id, &payload_start, &size);
		if (section_id == id)
			wasm_put_section(module, id, payload);
		else
			g_byte_array_append(module, data + pos, (guint)(end - pos));
		pos = end;
	}
	return g_byte_array_free_to_bytes(module);
}

/* no-imports.wasm with its export section (id 7) replaced by @exports. */
static GBytes *with_exports(const GByteArray *exports)
{
	g_autoptr(GBytes) base = test_load_module("no-imports.wasm");
	return with_section_replaced(base, 7, exports);
}

static void test_export_twice(void)
{
	g_autoptr(GByteArray) exports = g_byte_array_new();
	wasm_put_u32(exports, 3);
	wasm_put_name(exports, "memory");
	wasm_put_byte(exports, 2);
	wasm_put_u32(exports, 0);
	for (int i = 0; i < 2; i++) {
		wasm_put_name(exports, "_start");
		wasm_put_byte(exports, 0);
		wasm_put_u32(exports, 0);
	}
	g_autoptr(GBytes) module = with_exports(exports);
	assert_refused(module, NULL, ZVM_MODULE_ERROR_EXPORT,
		       "validation failed: the module exports _start twice");
}

static void test_memory_bound(void)
{
	g_autoptr(GBytes) module = test_load_module("no-imports.wasm");
	ZvmModuleBounds bounds = {.max_memory_bytes = 65535};
	assert_refused(module, &bounds, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module asks for 64 KiB of initial memory, over "
		       "the manifest's Memory of 64.0 KiB");
	bounds.max_memory_bytes = 65536;
	ZvmModuleInfo info;
	g_autoptr(GBytes) sanitised = assert_accepted(module, &bounds, &info);

	const guint8 body[] = {0x01};
	g_autoptr(GBytes) big = wasm_simple_module(NULL, body, sizeof(body), 16);
	bounds.max_memory_bytes = 512 * 1024;
	assert_refused(big, &bounds, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module asks for 1 MiB of initial memory, over the "
		       "manifest's Memory of 512 KiB");
	g_autoptr(GBytes) huge = wasm_simple_module(NULL, body, sizeof(body), 65537);
	assert_refused(huge, NULL, ZVM_MODULE_ERROR_FORMAT, NULL);
	/* 4 GiB is a wasm32 memory, but wasm2c 1.0.32's 32-bit byte size would read it as 0. */
	g_autoptr(GBytes) whole = wasm_simple_module(NULL, body, sizeof(body), 65536);
	assert_refused(whole, NULL, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module asks for 4 GiB of initial memory; zvmfs "
		       "takes at most 65535 pages of 64 KiB");
	/* Below a Memory of 4 GiB, the manifest's bound is what the user reads. */
	bounds.max_memory_bytes = 64u << 20;
	assert_refused(whole, &bounds, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module asks for 4 GiB of initial memory, over the "
		       "manifest's Memory of 64 MiB");
	g_autoptr(GBytes) most = wasm_simple_module(NULL, body, sizeof(body), 65535);
	g_autoptr(GBytes) most_sanitised = assert_accepted(most, NULL, &info);
	assert_memory(most_sanitised, 65535, 65535);
}

/* The memory's maximum in the rewritten module: the module's, lowered to 65535 pages, so
 * that memory.grow can never reach the 4 GiB wasm2c 1.0.32 cannot represent. */
static void test_memory_maximum(void)
{
	static const struct {
		uint32_t initial, flags, maximum, written;
	} cases[] = {
	    {1, 0, 0, 65535},	  {1, 1, 16, 16}, {2, 1, 65535, 65535},
	    {2, 1, 65536, 65535}, {0, 1, 0, 0},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) base = test_load_module("no-imports.wasm");
		g_autoptr(GByteArray) memory = g_byte_array_new();
		wasm_put_u32(memory, 1);
		wasm_put_byte(memory, (guint8)cases[i].flags);
		wasm_put_u32(memory, cases[i].initial);
		if (cases[i].flags)
			wasm_put_u32(memory, cases[i].maximum);
		g_autoptr(GBytes) module = with_section_replaced(base, 5, memory);
		ZvmModuleInfo info;
		g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
		g_assert_cmpuint(info.max_pages, ==,
				 cases[i].flags ? cases[i].maximum : UINT32_MAX);
		assert_memory(sanitised, cases[i].initial, cases[i].written);
		assert_rewritten(module, sanitised, &info);
	}
}

/* A module of one function, `_start`, one memory, and tables of @n_tables funcref tables of
 * @initial entries each. */
static GBytes *module_with_tables(uint32_t n_tables, uint32_t initial)
{
	const guint8 body[] = {0x01};
	g_autoptr(GBytes) base = wasm_simple_module(NULL, body, sizeof(body), 1);
	g_autoptr(GByteArray) tables = g_byte_array_new();
	wasm_put_u32(tables, n_tables);
	for (uint32_t i = 0; i < n_tables; i++) {
		wasm_put_byte(tables, 0x70);
		wasm_put_byte(tables, 0);
		wasm_put_u32(tables, initial);
	}
	return with_section(base, 4, tables);
}

/* The tables' initial entries, summed, are bounded (issue #12 item 5: the runtime does not
 * check its allocation of them). */
static void test_table_bound(void)
{
	ZvmModuleInfo info;
	g_autoptr(GBytes) at_bound = module_with_tables(1, 1u << 20);
	g_autoptr(GBytes) sanitised = assert_accepted(at_bound, NULL, &info);
	g_autoptr(GBytes) over = module_with_tables(1, (1u << 20) + 1);
	assert_refused(over, NULL, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module's tables start with 1048577 entries, over "
		       "the limit of 1048576");
	g_autoptr(GBytes) halves = module_with_tables(2, 1u << 19);
	g_autoptr(GBytes) halves_sanitised = assert_accepted(halves, NULL, &info);
	g_autoptr(GBytes) many = module_with_tables(3, 1u << 19);
	assert_refused(many, NULL, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module's tables start with 1572864 entries, over "
		       "the limit of 1048576");
	/* Many tables of the largest size: the sum cannot wrap. */
	g_autoptr(GBytes) wrap = module_with_tables(3, UINT32_MAX);
	assert_refused(wrap, NULL, ZVM_MODULE_ERROR_LIMIT, NULL);
}

/* An element segment of expressions holds references only: ref.func (of a defined function)
 * or ref.null. */
static void test_element_expressions(void)
{
	static const struct {
		guint8 expr[4];
		gsize length;
		gboolean accepted;
	} cases[] = {
	    {{0xd2, 0x00, 0x0b}, 3, TRUE},
	    {{0xd0, 0x70, 0x0b}, 3, TRUE},
	    {{0x41, 0x00, 0x0b}, 3, FALSE},
	    {{0x23, 0x00, 0x0b}, 3, FALSE},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) base = module_with_tables(1, 1);
		g_autoptr(GByteArray) elements = g_byte_array_new();
		wasm_put_u32(elements, 1);
		wasm_put_u32(elements, 5); /* passive, expressions */
		wasm_put_byte(elements, 0x70);
		wasm_put_u32(elements, 1);
		g_byte_array_append(elements, cases[i].expr, (guint)cases[i].length);
		g_autoptr(GBytes) module = with_section(base, 9, elements);
		ZvmModuleInfo info;
		if (cases[i].accepted) {
			g_autoptr(GBytes) sanitised = assert_accepted(module, NULL, &info);
			continue;
		}
		g_autofree char *expected = g_strdup_printf(
		    "element segment 0 holds opcode 0x%02x, not a reference", cases[i].expr[0]);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) refused = check(module, NULL, NULL, &error);
		g_assert_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FORMAT);
		g_assert_nonnull(strstr(error->message, expected));
	}
}

static void test_function_bound(void)
{
	g_autoptr(GBytes) module = test_load_module("three-functions.wasm");
	ZvmModuleBounds bounds = {.max_functions = 2};
	assert_refused(module, &bounds, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module defines 3 functions, over the limit of 2");
	bounds.max_functions = 3;
	ZvmModuleInfo info;
	g_autoptr(GBytes) sanitised = assert_accepted(module, &bounds, &info);

	/* The default bound, 100000, with zero bounds. */
	g_autoptr(GByteArray) many = wasm_builder_new();
	g_autoptr(GByteArray) types = g_byte_array_new();
	wasm_put_u32(types, 1);
	wasm_put_byte(types, 0x60);
	wasm_put_u32(types, 0);
	wasm_put_u32(types, 0);
	wasm_put_section(many, 1, types);
	g_autoptr(GByteArray) functions = g_byte_array_new();
	wasm_put_u32(functions, 100001);
	for (int i = 0; i < 100001; i++)
		wasm_put_u32(functions, 0);
	wasm_put_section(many, 3, functions);
	g_autoptr(GBytes) bytes = g_bytes_new(many->data, many->len);
	ZvmModuleBounds zero = {0};
	assert_refused(bytes, &zero, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: the module defines 100001 functions, over the limit "
		       "of 100000");
}

static GByteArray *locals_of(uint32_t n_declarations, const uint32_t *counts)
{
	GByteArray *locals = g_byte_array_new();
	wasm_put_u32(locals, n_declarations);
	for (uint32_t i = 0; i < n_declarations; i++) {
		wasm_put_u32(locals, counts[i]);
		wasm_put_byte(locals, 0x7f);
	}
	return locals;
}

static void test_locals_bound(void)
{
	g_autoptr(GBytes) module = test_load_module("many-locals.wasm");
	ZvmModuleBounds bounds = {.max_locals = 10};
	assert_refused(module, &bounds, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: function 0 has 11 locals, over the limit of 10");
	bounds.max_locals = 11;
	ZvmModuleInfo info;
	g_autoptr(GBytes) sanitised = assert_accepted(module, &bounds, &info);

	/* Counts that overflow 32 bits when summed. */
	const uint32_t huge[] = {UINT32_MAX, UINT32_MAX, 2};
	g_autoptr(GByteArray) overflow = locals_of(3, huge);
	g_autoptr(GBytes) overflowing = wasm_simple_module(overflow, NULL, 0, 1);
	assert_refused(overflowing, NULL, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: function 0 has 8589934592 locals, over the limit of "
		       "50000");

	const uint32_t at_default[] = {50000}, over_default[] = {50001};
	g_autoptr(GByteArray) fits = locals_of(1, at_default);
	g_autoptr(GByteArray) over = locals_of(1, over_default);
	g_autoptr(GBytes) fitting = wasm_simple_module(fits, NULL, 0, 1);
	g_autoptr(GBytes) too_many = wasm_simple_module(over, NULL, 0, 1);
	ZvmModuleBounds zero = {0};
	g_autoptr(GBytes) ok = assert_accepted(fitting, &zero, &info);
	assert_refused(too_many, &zero, ZVM_MODULE_ERROR_LIMIT,
		       "validation failed: function 0 has 50001 locals, over the limit of 50000");
}

static void test_size_bound(void)
{
	g_autoptr(GBytes) module = test_load_module("no-imports.wasm");
	gsize size = g_bytes_get_size(module);
	ZvmModuleBounds bounds = {.max_module_bytes = size - 1};
	g_autofree char *expected = g_strdup_printf(
	    "validation failed: the module is %" G_GSIZE_FORMAT " bytes, over the limit of "
	    "%" G_GSIZE_FORMAT " bytes",
	    size, size - 1);
	assert_refused(module, &bounds, ZVM_MODULE_ERROR_LIMIT, expected);
	bounds.max_module_bytes = size;
	ZvmModuleInfo info;
	g_autoptr(GBytes) sanitised = assert_accepted(module, &bounds, &info);

	g_autoptr(GBytes) hello = test_load_module("hello.wasm");
	bounds.max_module_bytes = 1024;
	assert_refused(hello, &bounds, ZVM_MODULE_ERROR_LIMIT, NULL);
}

/* no-imports.wasm with @extra appended. */
static GBytes *with_tail(const guint8 *extra, gsize length)
{
	g_autoptr(GBytes) base = test_load_module("no-imports.wasm");
	GByteArray *module = g_byte_array_new();
	g_byte_array_append(module, g_bytes_get_data(base, NULL), (guint)g_bytes_get_size(base));
	g_byte_array_append(module, extra, (guint)length);
	return g_byte_array_free_to_bytes(module);
}

static void test_sections(void)
{
	static const guint8 memory_again[] = {5, 3, 1, 0, 1};
	static const guint8 unknown[] = {14, 1, 0};
	static const guint8 past_end[] = {11, 0x7f, 0};
	static const guint8 custom_ok[] = {0, 4, 3, 'a', 'b', 'c'};
	static const guint8 custom_bad_name[] = {0, 2, 3, 'a'};
	static const guint8 leftover[] = {11, 2, 0, 0};
	g_autoptr(GBytes) a = with_tail(memory_again, sizeof(memory_again));
	g_autoptr(GBytes) b = with_tail(unknown, sizeof(unknown));
	g_autoptr(GBytes) c = with_tail(past_end, sizeof(past_end));
	g_autoptr(GBytes) d = with_tail(custom_ok, sizeof(custom_ok));
	g_autoptr(GBytes) e = with_tail(custom_bad_name, sizeof(custom_bad_name));
	g_autoptr(GBytes) f = with_tail(leftover, sizeof(leftover));
	assert_refused(a, NULL, ZVM_MODULE_ERROR_FORMAT, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) refused = check(a, NULL, NULL, &error);
	g_assert_nonnull(strstr(error->message, "section 5 repeated or out of order"));
	assert_refused(b, NULL, ZVM_MODULE_ERROR_FORMAT, NULL);
	assert_refused(c, NULL, ZVM_MODULE_ERROR_FORMAT, NULL);
	assert_refused(e, NULL, ZVM_MODULE_ERROR_FORMAT, NULL);
	assert_refused(f, NULL, ZVM_MODULE_ERROR_FORMAT, NULL);
	ZvmModuleInfo info;
	g_autoptr(GBytes) sanitised = assert_accepted(d, NULL, &info);
	g_autoptr(GBytes) base = test_load_module("no-imports.wasm");
	g_autoptr(GBytes) base_sanitised = assert_accepted(base, NULL, &info);
	g_assert_true(g_bytes_equal(sanitised, base_sanitised));
}

typedef struct {
	const char *name;
	guint8 body[16];
	gsize length;
	gboolean accepted;
	const char *message_part;
} BodyCase;

static void test_code(void)
{
	static const BodyCase cases[] = {
	    {"u32 in 5 bytes", {0x0c, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, TRUE, NULL},
	    {"u32 in 6 bytes",
	     {0x0c, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
	     7,
	     FALSE,
	     "LEB128 integer too long"},
	    {"u32 over 32 bits", {0x0c, 0x80, 0x80, 0x80, 0x80, 0x10}, 6, FALSE, "over 32 bits"},
	    {"s32 -1 in 5 bytes", {0x41, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x1a}, 7, TRUE, NULL},
	    {"s32 2^31", {0x41, 0x80, 0x80, 0x80, 0x80, 0x08, 0x1a}, 7, FALSE, "over 32 bits"},
	    {"s64 minimum",
	     {0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, 0x1a},
	     12,
	     TRUE,
	     NULL},
	    {"s64 bad last byte",
	     {0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x1a},
	     12,
	     FALSE,
	     "over 64 bits"},
	    {"call_ref", {0x14, 0x00}, 2, FALSE, "unknown opcode 0x14"},
	    {"0xd3", {0xd3}, 1, FALSE, "unknown opcode 0xd3"},
	    {"0xfc 18", {0xfc, 0x12, 0x00}, 3, FALSE, "unknown opcode 0xfc 18"},
	    {"gc prefix", {0xfb, 0x00}, 2, FALSE, "unknown opcode 0xfb"},
	    {"block without end", {0x02, 0x40}, 2, FALSE, "ends inside a block"},
	    {"bytes after end", {0x0b, 0x01}, 2, FALSE, "has bytes after its end"},
	    {"memory.size of memory 1", {0x3f, 0x01, 0x1a}, 3, FALSE, "more than one memory"},
	    {"block of type 0", {0x02, 0x00, 0x0b}, 3, TRUE, NULL},
	    {"block of type 5", {0x02, 0x05, 0x0b}, 3, FALSE, "invalid block type 5"},
	    {"block of v128", {0x02, 0x7b, 0x0b}, 3, FALSE, "SIMD"},
	    {"typed select",
	     {0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1c, 0x01, 0x7f, 0x1a},
	     10,
	     TRUE,
	     NULL},
	    {"typed select of v128", {0x1c, 0x01, 0x7b}, 3, FALSE, "SIMD"},
	    {"br_table past the end", {0x0e, 0xff, 0xff, 0x03}, 4, FALSE, NULL},
	    {"f64.const cut", {0x44, 0x00, 0x00}, 3, FALSE, NULL},
	    /* A load or store whose offset and size pass 4 GiB (it could only trap). */
	    {"i64.load at offset 2^32 - 8",
	     {0x41, 0x00, 0x29, 0x03, 0xf8, 0xff, 0xff, 0xff, 0x0f, 0x1a},
	     10,
	     TRUE,
	     NULL},
	    {"i64.load at offset 2^32 - 7",
	     {0x41, 0x00, 0x29, 0x03, 0xf9, 0xff, 0xff, 0xff, 0x0f, 0x1a},
	     10,
	     FALSE,
	     "a 8-byte memory access with offset 4294967289 reaches past 4 GiB"},
	    {"i32.load8_u at offset 2^32 - 1",
	     {0x41, 0x00, 0x2d, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x1a},
	     10,
	     TRUE,
	     NULL},
	    {"i32.store16 at offset 2^32 - 1",
	     {0x41, 0x00, 0x41, 0x00, 0x3b, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f},
	     11,
	     FALSE,
	     "a 2-byte memory access"},
	    {"i64.store32 at offset 2^32 - 3",
	     {0x41, 0x00, 0x42, 0x00, 0x3e, 0x02, 0xfd, 0xff, 0xff, 0xff, 0x0f},
	     11,
	     FALSE,
	     "a 4-byte memory access"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("body case: %s", cases[i].name);
		g_autoptr(GBytes) module =
		    wasm_simple_module(NULL, cases[i].body, cases[i].length, 1);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) sanitised = check(module, NULL, NULL, &error);
		if (cases[i].accepted) {
			g_assert_no_error(error);
			continue;
		}
		g_assert_null(sanitised);
		g_assert_true(error->domain == ZVM_MODULE_ERROR);
		if (cases[i].message_part != NULL &&
		    strstr(error->message, cases[i].message_part) == NULL)
			g_error("%s: '%s' lacks '%s'", cases[i].name, error->message,
				cases[i].message_part);
	}
}

static void test_const_expr(void)
{
	/* A data segment at "i32.const 0 i32.const 0 i32.add": extended constants. */
	static const guint8 data[] = {11, 9, 1, 0, 0x41, 0, 0x41, 0, 0x6a, 0x0b, 0};
	static const guint8 good[] = {11, 7, 1, 0, 0x41, 0, 0x0b, 1, 'x'};
	g_autoptr(GBytes) extended = with_tail(data, sizeof(data));
	g_autoptr(GBytes) plain = with_tail(good, sizeof(good));
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) refused = check(extended, NULL, NULL, &error);
	g_assert_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FORMAT);
	g_assert_nonnull(strstr(error->message, "more than one instruction"));
	ZvmModuleInfo info;
	g_autoptr(GBytes) sanitised = assert_accepted(plain, NULL, &info);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/module/accept/hello", test_hello);
	g_test_add_func("/module/accept/custom-sections-removed", test_custom_sections_removed);
	g_test_add_func("/module/accept/good-features", test_good_features);
	g_test_add_func("/module/accept/no-imports", test_no_imports);
	g_test_add_func("/module/accept/export-extra", test_export_extra);
	g_test_add_func("/module/accept/wasi-testsuite", test_wasi_testsuite);
	g_test_add_func("/module/refuse/not-wasm", test_not_wasm);
	g_test_add_data_func("/module/refuse/truncated/hello", "hello.wasm", test_truncated);
	g_test_add_data_func("/module/refuse/truncated/hello-debug", "hello-debug.wasm",
			     test_truncated);
	g_test_add_data_func("/module/refuse/truncated/good-features", "good-features.wasm",
			     test_truncated);
	g_test_add_func("/module/refuse/mutated", test_mutated);
	for (gsize i = 0; i < G_N_ELEMENTS(file_cases); i++) {
		g_autofree char *path = g_strconcat("/module/refuse/", file_cases[i].file, NULL);
		g_test_add_data_func(path, &file_cases[i], test_file_refused);
	}
	g_test_add_func("/module/refuse/import-long-name", test_import_long_name);
	g_test_add_func("/module/refuse/export-twice", test_export_twice);
	g_test_add_func("/module/bound/memory", test_memory_bound);
	g_test_add_func("/module/bound/memory-maximum", test_memory_maximum);
	g_test_add_func("/module/bound/tables", test_table_bound);
	g_test_add_func("/module/format/element-expressions", test_element_expressions);
	g_test_add_func("/module/bound/functions", test_function_bound);
	g_test_add_func("/module/bound/locals", test_locals_bound);
	g_test_add_func("/module/bound/size", test_size_bound);
	g_test_add_func("/module/format/sections", test_sections);
	g_test_add_func("/module/format/code", test_code);
	g_test_add_func("/module/format/const-expr", test_const_expr);
	return g_test_run();
}
