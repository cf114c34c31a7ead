/* SPDX-License-Identifier: Apache-2.0 */
/* The module checker: sections, imports, exports and memory of a wasm module (module.h). */
#include "module.h"

#include <inttypes.h>
#include <string.h>

#include "../channels/zvm-limits.h"
#include "module-code.h"

/* The quark name is one token; clang-format would space its dashes. */
/* clang-format off */
/* clang-format off */
G_DEFINE_QUARK(zvm-module-error-quark, zvm_module_error)
/* clang-format on */
/* clang-format on */

#define WASI_MODULE "wasi_snapshot_preview1"
#define WASM_PAGE_BYTES 65536u
#define WASM_MAX_PAGES 65536u /* 4 GiB: the whole wasm32 address space */
/* wasm2c 1.0.32 keeps a memory's byte size in 32 bits, so 65536 pages would read as 0 bytes:
 * a memory is refused at more initial pages, and its maximum is lowered to this. */
#define MEMORY_MAX_PAGES 65535u
/* Entries of all tables at instantiation together (24 bytes each for a funcref table): the
 * runtime allocates them without checking the result, so they must always fit. */
#define TABLE_MAX_ENTRIES (1u << 20)

/* Longest name quoted in a message: enough to recognise it, not a flood. */
#define QUOTED_NAME_MAX 64

typedef struct {
	const char *name;
	const char *params; /* 'i' i32, 'I' i64 */
	const char *results;
} WasiCall;

static const WasiCall wasi_calls[] = {
#define ZVM_WASI_CALL(name, params, results) {#name, params, results},
#include "wasi-calls.def"
#undef ZVM_WASI_CALL
};

enum {
	SECTION_CUSTOM = 0,
	SECTION_TYPE = 1,
	SECTION_IMPORT = 2,
	SECTION_FUNCTION = 3,
	SECTION_TABLE = 4,
	SECTION_MEMORY = 5,
	SECTION_GLOBAL = 6,
	SECTION_EXPORT = 7,
	SECTION_START = 8,
	SECTION_ELEMENT = 9,
	SECTION_CODE = 10,
	SECTION_DATA = 11,
	SECTION_DATA_COUNT = 12,
	SECTION_TAG = 13,
};

/* Position of a section in the order the binary format requires, 0 for an unknown id. The
 * data count section comes between the element and code sections. */
static int section_rank(guint8 id)
{
	static const int ranks[] = {
	    [SECTION_TYPE] = 1,	       [SECTION_IMPORT] = 2, [SECTION_FUNCTION] = 3,
	    [SECTION_TABLE] = 4,       [SECTION_MEMORY] = 5, [SECTION_GLOBAL] = 6,
	    [SECTION_EXPORT] = 7,      [SECTION_START] = 8,  [SECTION_ELEMENT] = 9,
	    [SECTION_DATA_COUNT] = 10, [SECTION_CODE] = 11,  [SECTION_DATA] = 12,
	};
	return id < G_N_ELEMENTS(ranks) ? ranks[id] : 0;
}

typedef struct {
	ZvmModuleBounds bounds;
	GArray *types;		 /* ZvmWasmFuncType */
	GArray *function_types;	 /* uint32_t type index per function, imported ones first */
	GPtrArray *import_names; /* the WASI name of each imported function, static strings */
	uint32_t n_imports;
	uint64_t table_entries; /* initial entries, summed over the tables */
	uint32_t n_memories;
	uint32_t initial_pages;
	uint32_t max_pages;
	uint32_t start_index;
	gboolean has_start_export;
	gboolean has_memory_export;
	gboolean has_code;
	gboolean has_data_count;
	uint32_t data_count;
	uint32_t n_data;
} ModuleScan;

static void module_scan_clear(ModuleScan *scan)
{
	g_clear_pointer(&scan->types, g_array_unref);
	g_clear_pointer(&scan->function_types, g_array_unref);
	g_clear_pointer(&scan->import_names, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ModuleScan, module_scan_clear)

/* A name the module chose, fit to quote: printable ASCII stays, the rest becomes \xNN. */
static char *quote_name(const guint8 *name, uint32_t length)
{
	GString *quoted = g_string_new(NULL);
	for (uint32_t i = 0; i < length && i < QUOTED_NAME_MAX; i++) {
		if (name[i] >= 0x20 && name[i] < 0x7f && name[i] != '\\')
			g_string_append_c(quoted, (char)name[i]);
		else
			g_string_append_printf(quoted, "\\x%02x", name[i]);
	}
	if (length > QUOTED_NAME_MAX)
		g_string_append(quoted, "...");
	return g_string_free(quoted, FALSE);
}

static gboolean name_is(const guint8 *name, uint32_t length, const char *expected)
{
	return length == strlen(expected) && memcmp(name, expected, length) == 0;
}

static const char *value_type_name(guint8 type)
{
	switch (type) {
	case ZVM_WASM_I32:
		return "i32";
	case ZVM_WASM_I64:
		return "i64";
	case ZVM_WASM_F32:
		return "f32";
	case ZVM_WASM_F64:
		return "f64";
	default:
		return "?";
	}
}

static void append_types(GString *out, const guint8 *types, uint32_t n)
{
	if (n == 1 && out->len > 0) {
		g_string_append(out, value_type_name(types[0]));
		return;
	}
	g_string_append_c(out, '(');
	for (uint32_t i = 0; i < n; i++)
		g_string_append_printf(out, "%s%s", i > 0 ? ", " : "", value_type_name(types[i]));
	g_string_append_c(out, ')');
}

/* "(i32, i64) -> i32", "(i32) -> ()" */
static char *format_signature(const guint8 *params, uint32_t n_params, const guint8 *results,
			      uint32_t n_results)
{
	GString *out = g_string_new(NULL);
	append_types(out, params, n_params);
	g_string_append(out, " -> ");
	append_types(out, results, n_results);
	return g_string_free(out, FALSE);
}

/* The value types of a wasi-calls.def signature; @types holds at least strlen(@spec). */
static uint32_t wasi_types(const char *spec, guint8 *types)
{
	uint32_t n = 0;
	for (; spec[n] != '\0'; n++)
		types[n] = spec[n] == 'I' ? ZVM_WASM_I64 : ZVM_WASM_I32;
	return n;
}

static const char *kind_name(guint8 kind)
{
	static const char *const names[] = {"function", "table", "memory", "global", "tag"};
	return kind < G_N_ELEMENTS(names) ? names[kind] : "thing of unknown kind";
}

static gboolean read_type_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 3, &n, error))
		return FALSE;
	for (uint32_t i = 0; i < n; i++) {
		guint8 form;
		ZvmWasmFuncType type;
		if (!zvm_wasm_read_byte(r, &form, error))
			return FALSE;
		if (form != 0x60)
			return zvm_wasm_malformed(r, error,
						  "type %" PRIu32 " is not a function type", i);
		/* Every value type we take is one byte, so the vectors read as bytes. */
		if (!zvm_wasm_read_bytes(r, &type.params, &type.n_params, error) ||
		    !zvm_wasm_read_bytes(r, &type.results, &type.n_results, error))
			return FALSE;
		for (uint32_t k = 0; k < type.n_params; k++)
			if (!zvm_wasm_check_value_type(r, type.params[k], "function signatures",
						       error))
				return FALSE;
		for (uint32_t k = 0; k < type.n_results; k++)
			if (!zvm_wasm_check_value_type(r, type.results[k], "function signatures",
						       error))
				return FALSE;
		if (type.n_results > 1)
			return zvm_wasm_unsupported(error, "functions with several results "
							   "(multi-value)");
		g_array_append_val(scan->types, type);
	}
	return TRUE;
}

static gboolean read_type_index(ZvmWasmReader *r, const ModuleScan *scan, uint32_t *index,
				GError **error)
{
	if (!zvm_wasm_read_u32(r, index, error))
		return FALSE;
	if (*index >= scan->types->len)
		return zvm_wasm_malformed(r, error, "type %" PRIu32 " does not exist", *index);
	return TRUE;
}

/* Finds the WASI call @module.@name in wasi-calls.def and checks @type against it. */
static const WasiCall *check_wasi_import(const guint8 *module, uint32_t module_length,
					 const guint8 *name, uint32_t name_length,
					 const ZvmWasmFuncType *type, GError **error)
{
	const WasiCall *call = NULL;
	if (name_is(module, module_length, WASI_MODULE))
		for (gsize i = 0; i < G_N_ELEMENTS(wasi_calls) && call == NULL; i++)
			if (name_is(name, name_length, wasi_calls[i].name))
				call = &wasi_calls[i];
	if (call == NULL) {
		g_autofree char *quoted_module = quote_name(module, module_length);
		g_autofree char *quoted_name = quote_name(name, name_length);
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_IMPORT,
			    "validation failed: import %s.%s is not a WASI call zvmfs serves",
			    quoted_module, quoted_name);
		return NULL;
	}
	guint8 params[16], results[16];
	G_STATIC_ASSERT(sizeof(params) >= sizeof("iiiiiIIii"));
	uint32_t n_params = wasi_types(call->params, params);
	uint32_t n_results = wasi_types(call->results, results);
	if (type->n_params == n_params && type->n_results == n_results &&
	    memcmp(type->params, params, n_params) == 0 &&
	    memcmp(type->results, results, n_results) == 0)
		return call;
	g_autofree char *got =
	    format_signature(type->params, type->n_params, type->results, type->n_results);
	g_autofree char *expected = format_signature(params, n_params, results, n_results);
	g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_IMPORT,
		    "validation failed: the module imports " WASI_MODULE ".%s with signature %s, "
		    "expected %s",
		    call->name, got, expected);
	return NULL;
}

static gboolean read_import_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 4, &n, error))
		return FALSE;
	for (uint32_t i = 0; i < n; i++) {
		const guint8 *module, *name;
		uint32_t module_length, name_length, type_index;
		guint8 kind;
		if (!zvm_wasm_read_bytes(r, &module, &module_length, error) ||
		    !zvm_wasm_read_bytes(r, &name, &name_length, error) ||
		    !zvm_wasm_read_byte(r, &kind, error))
			return FALSE;
		if (kind != 0) {
			g_autofree char *quoted_module = quote_name(module, module_length);
			g_autofree char *quoted_name = quote_name(name, name_length);
			g_set_error(
			    error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_IMPORT,
			    "validation failed: import %s.%s is a %s, not a WASI call zvmfs "
			    "serves",
			    quoted_module, quoted_name, kind_name(kind));
			return FALSE;
		}
		if (!read_type_index(r, scan, &type_index, error))
			return FALSE;
		const WasiCall *call = check_wasi_import(
		    module, module_length, name, name_length,
		    &g_array_index(scan->types, ZvmWasmFuncType, type_index), error);
		if (call == NULL)
			return FALSE;
		g_ptr_array_add(scan->import_names, (gpointer)call->name);
		g_array_append_val(scan->function_types, type_index);
		scan->n_imports++;
	}
	return TRUE;
}

static gboolean read_function_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 1, &n, error))
		return FALSE;
	if (n > scan->bounds.max_functions) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_LIMIT,
			    "validation failed: the module defines %" PRIu32
			    " functions, over the limit of %" PRIu32,
			    n, scan->bounds.max_functions);
		return FALSE;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t type_index;
		if (!read_type_index(r, scan, &type_index, error))
			return FALSE;
		g_array_append_val(scan->function_types, type_index);
	}
	return TRUE;
}

/* Limits of a table or memory: flag bit 0 says a maximum follows; bit 1 (shared) and bit 2
 * (64-bit) are proposals wasm2c 1.0.32 does not translate safely. */
static gboolean read_limits(ZvmWasmReader *r, const char *what, uint32_t *initial,
			    uint32_t *maximum, GError **error)
{
	guint8 flags;
	if (!zvm_wasm_read_byte(r, &flags, error))
		return FALSE;
	if (flags & 0x02)
		return zvm_wasm_unsupported(error, "a shared %s (threads)", what);
	if (flags & 0x04)
		return zvm_wasm_unsupported(error, "a 64-bit %s (memory64)", what);
	if (flags > 1)
		return zvm_wasm_malformed(r, error, "%s limits with flags 0x%02x", what, flags);
	*maximum = UINT32_MAX;
	if (!zvm_wasm_read_u32(r, initial, error) ||
	    ((flags & 1) && !zvm_wasm_read_u32(r, maximum, error)))
		return FALSE;
	if (*initial > *maximum)
		return zvm_wasm_malformed(r, error, "%s maximum below its initial size", what);
	return TRUE;
}

static gboolean read_table_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 3, &n, error))
		return FALSE;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t initial, maximum;
		if (!zvm_wasm_read_ref_type(r, error) ||
		    !read_limits(r, "table", &initial, &maximum, error))
			return FALSE;
		scan->table_entries += initial;
		if (scan->table_entries > TABLE_MAX_ENTRIES) {
			g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_LIMIT,
				    "validation failed: the module's tables start with %" PRIu64
				    " entries, over the limit of %u",
				    scan->table_entries, TABLE_MAX_ENTRIES);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean read_memory_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 2, &n, error))
		return FALSE;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t initial, maximum;
		if (++scan->n_memories > 1)
			return zvm_wasm_unsupported(error, "more than one memory");
		if (!read_limits(r, "memory", &initial, &maximum, error))
			return FALSE;
		if (initial > WASM_MAX_PAGES || (maximum != UINT32_MAX && maximum > WASM_MAX_PAGES))
			return zvm_wasm_malformed(r, error, "memory over 65536 pages of 64 KiB");
		uint64_t initial_bytes = (uint64_t)initial * WASM_PAGE_BYTES;
		if (initial_bytes > scan->bounds.max_memory_bytes) {
			g_autofree char *asked = zvm_format_size(initial_bytes);
			g_autofree char *bound = zvm_format_size(scan->bounds.max_memory_bytes);
			g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_LIMIT,
				    "validation failed: the module asks for %s of initial memory, "
				    "over the manifest's Memory of %s",
				    asked, bound);
			return FALSE;
		}
		if (initial > MEMORY_MAX_PAGES) {
			g_set_error(
			    error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_LIMIT,
			    "validation failed: the module asks for 4 GiB of initial memory; "
			    "zvmfs takes at most %u pages of 64 KiB",
			    MEMORY_MAX_PAGES);
			return FALSE;
		}
		scan->initial_pages = initial;
		scan->max_pages = maximum;
	}
	return TRUE;
}

static gboolean read_global_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 3, &n, error))
		return FALSE;
	for (uint32_t i = 0; i < n; i++) {
		guint8 type, mutability;
		if (!zvm_wasm_read_byte(r, &type, error) ||
		    !zvm_wasm_check_value_type(r, type, "globals", error) ||
		    !zvm_wasm_read_byte(r, &mutability, error))
			return FALSE;
		if (mutability > 1)
			return zvm_wasm_malformed(r, error, "global mutability 0x%02x", mutability);
		ZvmWasmConstExpr init;
		if (!zvm_wasm_read_const_expr(r, &init, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean read_start_export(ZvmWasmReader *r, ModuleScan *scan, guint8 kind, uint32_t index,
				  GError **error)
{
	if (kind != 0) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_EXPORT,
			    "validation failed: the module exports _start as a %s, not a function",
			    kind_name(kind));
		return FALSE;
	}
	if (index >= scan->function_types->len)
		return zvm_wasm_malformed(
		    r, error, "_start is function %" PRIu32 ", which does not exist", index);
	const ZvmWasmFuncType *type = &g_array_index(
	    scan->types, ZvmWasmFuncType, g_array_index(scan->function_types, uint32_t, index));
	if (type->n_params > 0 || type->n_results > 0) {
		g_autofree char *signature =
		    format_signature(type->params, type->n_params, type->results, type->n_results);
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_EXPORT,
			    "validation failed: _start must be a function of type () -> (), "
			    "not %s",
			    signature);
		return FALSE;
	}
	scan->has_start_export = TRUE;
	scan->start_index = index;
	return TRUE;
}

/* Every export but _start and memory is read and dropped: the rewritten module exports only
 * those two, under names the checker writes (write_export_section). */
static gboolean read_export_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 3, &n, error))
		return FALSE;
	for (uint32_t i = 0; i < n; i++) {
		const guint8 *name;
		uint32_t length, index;
		guint8 kind;
		if (!zvm_wasm_read_bytes(r, &name, &length, error) ||
		    !zvm_wasm_read_byte(r, &kind, error) || !zvm_wasm_read_u32(r, &index, error))
			return FALSE;
		gboolean is_start = name_is(name, length, "_start");
		gboolean is_memory = name_is(name, length, "memory");
		if (!is_start && !is_memory)
			continue;
		if ((is_start && scan->has_start_export) ||
		    (is_memory && scan->has_memory_export)) {
			g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_EXPORT,
				    "validation failed: the module exports %s twice",
				    is_start ? "_start" : "memory");
			return FALSE;
		}
		if (is_start && !read_start_export(r, scan, kind, index, error))
			return FALSE;
		if (is_memory) {
			if (kind != 2) {
				g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_EXPORT,
					    "validation failed: the module exports a %s as memory, "
					    "not its memory",
					    kind_name(kind));
				return FALSE;
			}
			if (index >= scan->n_memories)
				return zvm_wasm_malformed(
				    r, error, "memory %" PRIu32 " does not exist", index);
			scan->has_memory_export = TRUE;
		}
	}
	return TRUE;
}

/* A function index of element segment @segment: a function the module defines. */
static gboolean check_element_function(const ModuleScan *scan, uint32_t segment, uint32_t index,
				       GError **error)
{
	if (index >= scan->n_imports)
		return TRUE;
	g_autofree char *where = g_strdup_printf("element segment %" PRIu32, segment);
	return zvm_wasm_refuse_import_reference(error, g_ptr_array_index(scan->import_names, index),
						where);
}

static gboolean read_element_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 2, &n, error))
		return FALSE;
	for (uint32_t i = 0; i < n; i++) {
		/* Bit 0: passive or declarative; bit 1: an explicit table (when active) or
		 * declarative (when not); bit 2: expressions instead of function indexes. */
		uint32_t flags, table, count, item;
		if (!zvm_wasm_read_u32(r, &flags, error))
			return FALSE;
		if (flags > 7)
			return zvm_wasm_malformed(r, error, "element segment flags %" PRIu32,
						  flags);
		gboolean active = (flags & 1) == 0;
		gboolean expressions = (flags & 4) != 0;
		if ((flags & 3) == 2 && !zvm_wasm_read_u32(r, &table, error))
			return FALSE;
		ZvmWasmConstExpr expr;
		if (active && !zvm_wasm_read_const_expr(r, &expr, error))
			return FALSE;
		if (flags != 0 && flags != 4) {
			guint8 element_kind;
			if (expressions && !zvm_wasm_read_ref_type(r, error))
				return FALSE;
			if (!expressions && !zvm_wasm_read_byte(r, &element_kind, error))
				return FALSE;
			if (!expressions && element_kind != 0)
				return zvm_wasm_malformed(r, error, "element kind 0x%02x",
							  element_kind);
		}
		if (!zvm_wasm_read_count(r, 1, &count, error))
			return FALSE;
		for (uint32_t k = 0; k < count; k++) {
			if (!expressions) {
				if (!zvm_wasm_read_u32(r, &item, error) ||
				    !check_element_function(scan, i, item, error))
					return FALSE;
				continue;
			}
			if (!zvm_wasm_read_const_expr(r, &expr, error))
				return FALSE;
			if (expr.opcode == ZVM_WASM_OP_REF_FUNC &&
			    !check_element_function(scan, i, expr.index, error))
				return FALSE;
			if (expr.opcode != ZVM_WASM_OP_REF_FUNC &&
			    expr.opcode != ZVM_WASM_OP_REF_NULL)
				return zvm_wasm_malformed(r, error,
							  "element segment %" PRIu32
							  " holds opcode 0x%02x, not a reference",
							  i, expr.opcode);
		}
	}
	return TRUE;
}

static gboolean read_code_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_count(r, 2, &n, error))
		return FALSE;
	uint32_t n_defined = scan->function_types->len - scan->n_imports;
	if (n != n_defined)
		return zvm_wasm_malformed(r, error,
					  "%" PRIu32 " function bodies for %" PRIu32 " functions",
					  n, n_defined);
	ZvmWasmCodeContext context = {
	    .types = (const ZvmWasmFuncType *)(void *)scan->types->data,
	    .n_types = scan->types->len,
	    .max_locals = scan->bounds.max_locals,
	    .import_names = (const char *const *)scan->import_names->pdata,
	    .n_imports = scan->n_imports,
	};
	for (uint32_t i = 0; i < n; i++) {
		uint32_t size;
		if (!zvm_wasm_read_u32(r, &size, error))
			return FALSE;
		ZvmWasmReader body = {r->data, r->pos, r->pos + size};
		if (!zvm_wasm_skip(r, size, error))
			return FALSE;
		uint32_t index = scan->n_imports + i;
		uint32_t type_index = g_array_index(scan->function_types, uint32_t, index);
		if (!zvm_wasm_read_function_body(&body, &context, &context.types[type_index], index,
						 error))
			return FALSE;
	}
	scan->has_code = TRUE;
	return TRUE;
}

static gboolean read_data_section(ZvmWasmReader *r, ModuleScan *scan, GError **error)
{
	if (!zvm_wasm_read_count(r, 2, &scan->n_data, error))
		return FALSE;
	if (scan->has_data_count && scan->data_count != scan->n_data)
		return zvm_wasm_malformed(r, error,
					  "%" PRIu32 " data segments, the data count "
					  "section says %" PRIu32,
					  scan->n_data, scan->data_count);
	for (uint32_t i = 0; i < scan->n_data; i++) {
		uint32_t flags, memory, length;
		const guint8 *bytes;
		if (!zvm_wasm_read_u32(r, &flags, error))
			return FALSE;
		if (flags > 2)
			return zvm_wasm_malformed(r, error, "data segment flags %" PRIu32, flags);
		if (flags == 2) {
			if (!zvm_wasm_read_u32(r, &memory, error))
				return FALSE;
			if (memory != 0)
				return zvm_wasm_unsupported(error, "more than one memory");
		}
		ZvmWasmConstExpr offset;
		if (flags != 1 && !zvm_wasm_read_const_expr(r, &offset, error))
			return FALSE;
		if (!zvm_wasm_read_bytes(r, &bytes, &length, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean read_section(ZvmWasmReader *r, guint8 id, ModuleScan *scan, GError **error)
{
	const guint8 *name;
	uint32_t length;
	switch (id) {
	case SECTION_CUSTOM:
		/* Dropped from the output; only its name must fit. */
		if (!zvm_wasm_read_bytes(r, &name, &length, error))
			return FALSE;
		r->pos = r->end;
		return TRUE;
	case SECTION_TYPE:
		return read_type_section(r, scan, error);
	case SECTION_IMPORT:
		return read_import_section(r, scan, error);
	case SECTION_FUNCTION:
		return read_function_section(r, scan, error);
	case SECTION_TABLE:
		return read_table_section(r, scan, error);
	case SECTION_MEMORY:
		return read_memory_section(r, scan, error);
	case SECTION_GLOBAL:
		return read_global_section(r, scan, error);
	case SECTION_EXPORT:
		return read_export_section(r, scan, error);
	case SECTION_START:
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FEATURE,
			    "validation failed: the module has a start function; zvmfs runs "
			    "_start");
		return FALSE;
	case SECTION_ELEMENT:
		return read_element_section(r, scan, error);
	case SECTION_DATA_COUNT:
		scan->has_data_count = TRUE;
		return zvm_wasm_read_u32(r, &scan->data_count, error);
	case SECTION_CODE:
		return read_code_section(r, scan, error);
	case SECTION_DATA:
		return read_data_section(r, scan, error);
	default:
		return zvm_wasm_malformed(r, error, "unknown section id %u", id);
	}
}

/* What the sections must add up to, once all are read. */
static gboolean check_complete(const ZvmWasmReader *r, const ModuleScan *scan, GError **error)
{
	uint32_t n_defined = scan->function_types->len - scan->n_imports;
	if (n_defined > 0 && !scan->has_code)
		return zvm_wasm_malformed(r, error, "%" PRIu32 " functions without a code section",
					  n_defined);
	if (scan->has_data_count && scan->data_count != scan->n_data)
		return zvm_wasm_malformed(r, error,
					  "the data count section says %" PRIu32
					  " segments, the module has %" PRIu32,
					  scan->data_count, scan->n_data);
	if (!scan->has_start_export) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_EXPORT,
			    "validation failed: the module does not export _start");
		return FALSE;
	}
	if (!scan->has_memory_export) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_EXPORT,
			    "validation failed: the module does not export its memory as "
			    "\"memory\"");
		return FALSE;
	}
	return TRUE;
}

/* ---- The rewritten sections ---------------------------------------------------------- */

static void put_u32(GByteArray *out, uint32_t value)
{
	do {
		guint8 byte = value & 0x7f;
		value >>= 7;
		if (value != 0)
			byte |= 0x80;
		g_byte_array_append(out, &byte, 1);
	} while (value != 0);
}

static void put_name(GByteArray *out, const char *name)
{
	put_u32(out, (uint32_t)strlen(name));
	g_byte_array_append(out, (const guint8 *)name, (guint)strlen(name));
}

static void put_section(GByteArray *out, guint8 id, const GByteArray *payload)
{
	g_byte_array_append(out, &id, 1);
	put_u32(out, payload->len);
	g_byte_array_append(out, payload->data, payload->len);
}

/* The imports, every name taken from wasi-calls.def: no byte of the module's own names. */
static void write_import_section(GByteArray *out, const ModuleScan *scan)
{
	static const guint8 function_kind = 0;
	g_autoptr(GByteArray) payload = g_byte_array_new();
	put_u32(payload, scan->n_imports);
	for (uint32_t i = 0; i < scan->n_imports; i++) {
		put_name(payload, WASI_MODULE);
		put_name(payload, g_ptr_array_index(scan->import_names, i));
		g_byte_array_append(payload, &function_kind, 1);
		put_u32(payload, g_array_index(scan->function_types, uint32_t, i));
	}
	put_section(out, SECTION_IMPORT, payload);
}

/* The memory, its maximum lowered to MEMORY_MAX_PAGES. */
static void write_memory_section(GByteArray *out, const ModuleScan *scan)
{
	g_autoptr(GByteArray) payload = g_byte_array_new();
	put_u32(payload, scan->n_memories);
	if (scan->n_memories == 1) {
		static const guint8 has_maximum = 1;
		g_byte_array_append(payload, &has_maximum, 1);
		put_u32(payload, scan->initial_pages);
		put_u32(payload, MIN(scan->max_pages, MEMORY_MAX_PAGES));
	}
	put_section(out, SECTION_MEMORY, payload);
}

/* _start and memory, under the checker's own spelling of their names. */
static void write_export_section(GByteArray *out, const ModuleScan *scan)
{
	static const guint8 function_kind = 0, memory_kind = 2;
	g_autoptr(GByteArray) payload = g_byte_array_new();
	put_u32(payload, (uint32_t)scan->has_start_export + (uint32_t)scan->has_memory_export);
	if (scan->has_start_export) {
		put_name(payload, "_start");
		g_byte_array_append(payload, &function_kind, 1);
		put_u32(payload, scan->start_index);
	}
	if (scan->has_memory_export) {
		put_name(payload, "memory");
		g_byte_array_append(payload, &memory_kind, 1);
		put_u32(payload, 0);
	}
	put_section(out, SECTION_EXPORT, payload);
}

/* Section @id, read from @data at @start to @end, into the rewritten module: custom sections
 * are dropped, imports, memory and exports written anew, the rest copied. */
static void write_section(GByteArray *out, guint8 id, const guint8 *data, gsize start, gsize end,
			  const ModuleScan *scan)
{
	switch (id) {
	case SECTION_CUSTOM:
		return;
	case SECTION_IMPORT:
		write_import_section(out, scan);
		return;
	case SECTION_MEMORY:
		write_memory_section(out, scan);
		return;
	case SECTION_EXPORT:
		write_export_section(out, scan);
		return;
	default:
		g_byte_array_append(out, data + start, (guint)(end - start));
	}
}

static gboolean check_header(const guint8 *data, gsize length, const ZvmModuleBounds *bounds,
			     GError **error)
{
	if (length > bounds->max_module_bytes) {
		g_autofree char *size = zvm_format_size(length);
		g_autofree char *bound = zvm_format_size(bounds->max_module_bytes);
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_LIMIT,
			    "validation failed: the module is %s, over the limit of %s", size,
			    bound);
		return FALSE;
	}
	if (length < 8 || memcmp(data, "\0asm", 4) != 0) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FORMAT,
			    "validation failed: the program is not a WebAssembly module");
		return FALSE;
	}
	uint32_t version = (uint32_t)data[4] | (uint32_t)data[5] << 8 | (uint32_t)data[6] << 16 |
			   (uint32_t)data[7] << 24;
	if (version != 1) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FORMAT,
			    "validation failed: WebAssembly binary version %" PRIu32
			    ", zvmfs reads version 1",
			    version);
		return FALSE;
	}
	return TRUE;
}

GBytes *zvm_module_check(const guint8 *data, gsize length, const ZvmModuleBounds *bounds,
			 ZvmModuleInfo *info, GError **error)
{
	g_return_val_if_fail(data != NULL || length == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	g_auto(ModuleScan) scan = {
	    .bounds =
		{
		    .max_module_bytes = 64u << 20,
		    .max_functions = 100000,
		    .max_locals = 50000,
		    .max_memory_bytes = (uint64_t)WASM_MAX_PAGES * WASM_PAGE_BYTES,
		},
	    .types = g_array_new(FALSE, FALSE, sizeof(ZvmWasmFuncType)),
	    .function_types = g_array_new(FALSE, FALSE, sizeof(uint32_t)),
	    .import_names = g_ptr_array_new(),
	};
	/* The sanitised copy is a GByteArray, whose length is a guint; its rewritten memory
	 * section may be a few bytes longer than the module's. */
	if (bounds != NULL && bounds->max_module_bytes > 0)
		scan.bounds.max_module_bytes = MIN(bounds->max_module_bytes, G_MAXUINT - 64);
	if (bounds != NULL && bounds->max_functions > 0)
		scan.bounds.max_functions = bounds->max_functions;
	if (bounds != NULL && bounds->max_locals > 0)
		scan.bounds.max_locals = bounds->max_locals;
	if (bounds != NULL && bounds->max_memory_bytes > 0)
		scan.bounds.max_memory_bytes = bounds->max_memory_bytes;

	if (!check_header(data, length, &scan.bounds, error))
		return NULL;

	g_autoptr(GByteArray) sanitised = g_byte_array_sized_new((guint)length);
	g_byte_array_append(sanitised, data, 8);
	ZvmWasmReader r = {data, 8, length};
	int last_rank = 0;
	while (r.pos < r.end) {
		gsize start = r.pos;
		guint8 id;
		uint32_t size;
		if (!zvm_wasm_read_byte(&r, &id, error) || !zvm_wasm_read_u32(&r, &size, error))
			return NULL;
		if (size > r.end - r.pos) {
			zvm_wasm_malformed(&r, error,
					   "section %u of %" PRIu32 " bytes runs past the end", id,
					   size);
			return NULL;
		}
		ZvmWasmReader section = {data, r.pos, r.pos + size};
		if (id == SECTION_TAG) {
			zvm_wasm_unsupported(error, "exception handling (a tag section)");
			return NULL;
		}
		if (id != SECTION_CUSTOM) {
			int rank = section_rank(id);
			if (rank == 0) {
				zvm_wasm_malformed(&r, error, "unknown section id %u", id);
				return NULL;
			}
			if (rank <= last_rank) {
				zvm_wasm_malformed(&r, error, "section %u repeated or out of order",
						   id);
				return NULL;
			}
			last_rank = rank;
		}
		if (!read_section(&section, id, &scan, error))
			return NULL;
		if (section.pos != section.end) {
			zvm_wasm_malformed(&section, error,
					   "section %u has %" G_GSIZE_FORMAT
					   " bytes after its contents",
					   id, section.end - section.pos);
			return NULL;
		}
		write_section(sanitised, id, data, start, section.end, &scan);
		r.pos = section.end;
	}
	if (!check_complete(&r, &scan, error))
		return NULL;

	if (info != NULL)
		*info = (ZvmModuleInfo){
		    .initial_pages = scan.initial_pages,
		    .max_pages = scan.max_pages,
		    .n_functions = scan.function_types->len - scan.n_imports,
		    .n_imports = scan.n_imports,
		};
	return g_byte_array_free_to_bytes(g_steal_pointer(&sanitised));
}
