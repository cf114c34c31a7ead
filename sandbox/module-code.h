/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the module checker (module.c, module-code.c): a bounded reader over the module's
 * bytes and the decoder of constant expressions and function bodies. Every read is checked
 * against the end of the enclosing section or body, so no length or LEB128 in the module can
 * move the reader outside it.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

typedef struct {
	const guint8 *data; /* the whole module: offsets in messages count from here */
	gsize pos;
	gsize end; /* of the section or body being read */
} ZvmWasmReader;

/* Value type codes of the binary format. */
enum {
	ZVM_WASM_I32 = 0x7f,
	ZVM_WASM_I64 = 0x7e,
	ZVM_WASM_F32 = 0x7d,
	ZVM_WASM_F64 = 0x7c,
	ZVM_WASM_V128 = 0x7b,
	ZVM_WASM_FUNCREF = 0x70,
	ZVM_WASM_EXTERNREF = 0x6f,
};

/* A function type; the value types point into the module (one byte each once checked). */
typedef struct {
	uint32_t n_params;
	uint32_t n_results;
	const guint8 *params;
	const guint8 *results;
} ZvmWasmFuncType;

/* What decoding a function body needs from the sections before the code section. */
typedef struct {
	const ZvmWasmFuncType *types;
	uint32_t n_types;
	uint32_t max_locals; /* parameters plus declared locals, per function */
	/* The imported functions, first in the function index space: their WASI names. */
	const char *const *import_names;
	uint32_t n_imports;
} ZvmWasmCodeContext;

/* A constant expression's one instruction: its opcode and, for global.get and ref.func, the
 * index it names. */
typedef struct {
	guint8 opcode;
	uint32_t index;
} ZvmWasmConstExpr;

enum {
	ZVM_WASM_OP_GLOBAL_GET = 0x23,
	ZVM_WASM_OP_REF_NULL = 0xd0,
	ZVM_WASM_OP_REF_FUNC = 0xd2,
};

/* Sets a ZVM_MODULE_ERROR_FORMAT error naming the reader's offset; returns FALSE. */
gboolean zvm_wasm_malformed(const ZvmWasmReader *r, GError **error, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

/* Sets "the module uses <feature>, which zvmfs does not support"; returns FALSE. */
gboolean zvm_wasm_unsupported(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);

gboolean zvm_wasm_read_byte(ZvmWasmReader *r, guint8 *value, GError **error);
gboolean zvm_wasm_read_u32(ZvmWasmReader *r, uint32_t *value, GError **error);
/* A signed LEB128 of @bits (32, 33 or 64) bits, at most ceil(bits / 7) bytes. */
gboolean zvm_wasm_read_signed(ZvmWasmReader *r, unsigned int bits, int64_t *value, GError **error);
gboolean zvm_wasm_skip(ZvmWasmReader *r, gsize n_bytes, GError **error);
/* A byte vector (names, data); @bytes points into the module. */
gboolean zvm_wasm_read_bytes(ZvmWasmReader *r, const guint8 **bytes, uint32_t *length,
			     GError **error);
/* A vector length whose entries take at least @min_entry_bytes each: a count the rest of the
 * section cannot hold is refused before anything is sized by it. */
gboolean zvm_wasm_read_count(ZvmWasmReader *r, gsize min_entry_bytes, uint32_t *count,
			     GError **error);

/* A value type of a signature, local or global: i32, i64, f32 or f64. */
gboolean zvm_wasm_check_value_type(const ZvmWasmReader *r, guint8 type, const char *where,
				   GError **error);
/* funcref or externref, for tables, element segments and ref.null. */
gboolean zvm_wasm_read_ref_type(ZvmWasmReader *r, GError **error);

/* A constant expression (one constant, global.get, ref.null or ref.func, then end). */
gboolean zvm_wasm_read_const_expr(ZvmWasmReader *r, ZvmWasmConstExpr *expr, GError **error);

/*
 * Refuses a reference to imported function @name found @where ("element segment 2",
 * "function 7"). wasm2c 1.0.32 gives an import placed in a table by an element segment the
 * address of a field of the module's own instance where the import's host state belongs, so
 * a call_indirect would hand the host the module's instance as its state. A ref.func of an
 * import in code is translated right, but is refused too, so that the rule stays one: an
 * import is never a function reference, only called directly. Returns FALSE.
 */
gboolean zvm_wasm_refuse_import_reference(GError **error, const char *name, const char *where);

/* The body of function @index (in the function index space) of type @type; @r covers
 * exactly the body. */
gboolean zvm_wasm_read_function_body(ZvmWasmReader *r, const ZvmWasmCodeContext *context,
				     const ZvmWasmFuncType *type, uint32_t index, GError **error);
