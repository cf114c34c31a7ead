/* SPDX-License-Identifier: Apache-2.0 */
/* The module checker's bounded reader, constant expressions and instruction decoder. */
#include "module-code.h"

#include <inttypes.h>

#include "module.h"

gboolean zvm_wasm_malformed(const ZvmWasmReader *r, GError **error, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	g_autofree char *what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FORMAT,
		    "validation failed: malformed module: %s (at byte %" G_GSIZE_FORMAT ")", what,
		    r->pos);
	return FALSE;
}

gboolean zvm_wasm_unsupported(GError **error, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	g_autofree char *feature = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FEATURE,
		    "validation failed: the module uses %s, which zvmfs does not support", feature);
	return FALSE;
}

gboolean zvm_wasm_read_byte(ZvmWasmReader *r, guint8 *value, GError **error)
{
	if (r->pos >= r->end)
		return zvm_wasm_malformed(r, error, "unexpected end");
	*value = r->data[r->pos++];
	return TRUE;
}

gboolean zvm_wasm_read_u32(ZvmWasmReader *r, uint32_t *value, GError **error)
{
	uint32_t result = 0;
	for (unsigned int shift = 0;; shift += 7) {
		guint8 byte;
		if (!zvm_wasm_read_byte(r, &byte, error))
			return FALSE;
		/* The fifth byte holds bits 28..31: a continuation or a higher bit is not a u32,
		 * and wasm2c would read it differently than we do. */
		if (shift == 28 && (byte & 0xf0) != 0)
			return zvm_wasm_malformed(r, error,
						  "LEB128 integer too long or over 32 bits");
		result |= (uint32_t)(byte & 0x7f) << shift;
		if ((byte & 0x80) == 0)
			break;
	}
	*value = result;
	return TRUE;
}

gboolean zvm_wasm_read_signed(ZvmWasmReader *r, unsigned int bits, int64_t *value, GError **error)
{
	unsigned int max_bytes = (bits + 6) / 7;
	uint64_t result = 0;
	unsigned int shift = 0;
	for (unsigned int i = 0;; i++) {
		guint8 byte;
		if (!zvm_wasm_read_byte(r, &byte, error))
			return FALSE;
		if (i == max_bytes - 1) {
			/* The last byte may carry only the top bits of the value; the bits above
			 * them must repeat the sign bit. */
			unsigned int used = bits - 7 * i;
			guint8 unused = (guint8)((0x7f >> (used - 1)) << (used - 1)) & 0x7f;
			if ((byte & 0x80) != 0 ||
			    ((byte & unused) != 0 && (byte & unused) != unused))
				return zvm_wasm_malformed(
				    r, error, "LEB128 integer too long or over %u bits", bits);
		}
		result |= (uint64_t)(byte & 0x7f) << shift;
		shift += 7;
		if ((byte & 0x80) == 0) {
			if (shift < 64 && (byte & 0x40) != 0)
				result |= ~UINT64_C(0) << shift;
			break;
		}
	}
	*value = (int64_t)result;
	return TRUE;
}

gboolean zvm_wasm_skip(ZvmWasmReader *r, gsize n_bytes, GError **error)
{
	if (n_bytes > r->end - r->pos)
		return zvm_wasm_malformed(r, error, "%" G_GSIZE_FORMAT " bytes run past the end",
					  n_bytes);
	r->pos += n_bytes;
	return TRUE;
}

gboolean zvm_wasm_read_bytes(ZvmWasmReader *r, const guint8 **bytes, uint32_t *length,
			     GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_u32(r, &n, error))
		return FALSE;
	const guint8 *start = r->data + r->pos;
	if (!zvm_wasm_skip(r, n, error))
		return FALSE;
	*bytes = start;
	*length = n;
	return TRUE;
}

gboolean zvm_wasm_read_count(ZvmWasmReader *r, gsize min_entry_bytes, uint32_t *count,
			     GError **error)
{
	uint32_t n;
	if (!zvm_wasm_read_u32(r, &n, error))
		return FALSE;
	if ((guint64)n * min_entry_bytes > r->end - r->pos)
		return zvm_wasm_malformed(r, error, "a count of %" PRIu32 " runs past the end", n);
	*count = n;
	return TRUE;
}

gboolean zvm_wasm_check_value_type(const ZvmWasmReader *r, guint8 type, const char *where,
				   GError **error)
{
	switch (type) {
	case ZVM_WASM_I32:
	case ZVM_WASM_I64:
	case ZVM_WASM_F32:
	case ZVM_WASM_F64:
		return TRUE;
	case ZVM_WASM_V128:
		return zvm_wasm_unsupported(error, "SIMD instructions (v128 values in %s)", where);
	case ZVM_WASM_FUNCREF:
	case ZVM_WASM_EXTERNREF:
		return zvm_wasm_unsupported(error, "reference-typed values in %s", where);
	default:
		return zvm_wasm_malformed(r, error, "unknown value type 0x%02x in %s", type, where);
	}
}

gboolean zvm_wasm_read_ref_type(ZvmWasmReader *r, GError **error)
{
	guint8 type;
	if (!zvm_wasm_read_byte(r, &type, error))
		return FALSE;
	if (type != ZVM_WASM_FUNCREF && type != ZVM_WASM_EXTERNREF)
		return zvm_wasm_malformed(r, error, "0x%02x is not a reference type", type);
	return TRUE;
}

gboolean zvm_wasm_read_const_expr(ZvmWasmReader *r, ZvmWasmConstExpr *expr, GError **error)
{
	guint8 opcode;
	int64_t ignored;
	if (!zvm_wasm_read_byte(r, &opcode, error))
		return FALSE;
	*expr = (ZvmWasmConstExpr){.opcode = opcode};
	gboolean ok;
	switch (opcode) {
	case 0x41:
		ok = zvm_wasm_read_signed(r, 32, &ignored, error);
		break;
	case 0x42:
		ok = zvm_wasm_read_signed(r, 64, &ignored, error);
		break;
	case 0x43:
		ok = zvm_wasm_skip(r, 4, error);
		break;
	case 0x44:
		ok = zvm_wasm_skip(r, 8, error);
		break;
	case ZVM_WASM_OP_GLOBAL_GET:
	case ZVM_WASM_OP_REF_FUNC:
		ok = zvm_wasm_read_u32(r, &expr->index, error);
		break;
	case ZVM_WASM_OP_REF_NULL:
		ok = zvm_wasm_read_ref_type(r, error);
		break;
	case 0xfd:
		return zvm_wasm_unsupported(error, "SIMD instructions");
	default:
		return zvm_wasm_malformed(r, error, "opcode 0x%02x in a constant expression",
					  opcode);
	}
	if (!ok || !zvm_wasm_read_byte(r, &opcode, error))
		return FALSE;
	if (opcode != 0x0b)
		return zvm_wasm_malformed(r, error,
					  "a constant expression has more than one "
					  "instruction");
	return TRUE;
}

gboolean zvm_wasm_refuse_import_reference(GError **error, const char *name, const char *where)
{
	g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FEATURE,
		    "validation failed: %s refers to the WASI import %s; zvmfs lets a module only "
		    "call imports directly (wasm2c 1.0.32 gives an import in a table the wrong "
		    "host state)",
		    where, name);
	return FALSE;
}

/* A block type: empty, one value type, or (since multi-value) a type index. wasm2c 1.0.32
 * translates multi-value, but clang does not emit it and we keep what reaches wasm2c to what
 * our toolchain produces: a type index is taken only for a type without parameters and with
 * at most one result, which is what a plain block type says. */
static gboolean read_block_type(ZvmWasmReader *r, const ZvmWasmCodeContext *context, GError **error)
{
	if (r->pos >= r->end)
		return zvm_wasm_malformed(r, error, "unexpected end");
	guint8 first = r->data[r->pos];
	if (first == 0x40) {
		r->pos++;
		return TRUE;
	}
	if (first == ZVM_WASM_I32 || first == ZVM_WASM_I64 || first == ZVM_WASM_F32 ||
	    first == ZVM_WASM_F64 || first == ZVM_WASM_V128 || first == ZVM_WASM_FUNCREF ||
	    first == ZVM_WASM_EXTERNREF) {
		r->pos++;
		return zvm_wasm_check_value_type(r, first, "block results", error);
	}
	int64_t index;
	if (!zvm_wasm_read_signed(r, 33, &index, error))
		return FALSE;
	if (index < 0 || index >= context->n_types)
		return zvm_wasm_malformed(r, error, "invalid block type %" PRId64, index);
	const ZvmWasmFuncType *type = &context->types[index];
	if (type->n_params > 0 || type->n_results > 1)
		return zvm_wasm_unsupported(error, "blocks with parameters or several results "
						   "(multi-value)");
	return TRUE;
}

/* The memory argument of load or store @opcode (0x28..0x3e). wasm2c 1.0.32 adds the 32-bit
 * operand and offset in 64 bits and relies on its 8 GiB guard reservation, so an access
 * whose offset and size pass 4 GiB can end up to 7 bytes beyond the reservation, in whatever
 * mapping follows. Today it faults as a whole, as it starts in the guard and gcc makes one
 * instruction of it; rather than rest on that, it is refused: it always traps in
 * WebAssembly (a memory is at most 4 GiB), so no working program has one. */
static gboolean read_memarg(ZvmWasmReader *r, guint8 opcode, GError **error)
{
	/* Bytes accessed by each load and store, 0x28 (i32.load) to 0x3e (i64.store32). */
	static const guint8 access_bytes[] = {4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2,
					      4, 4, 4, 8, 4, 8, 1, 2, 1, 2, 4};
	G_STATIC_ASSERT(G_N_ELEMENTS(access_bytes) == 0x3e - 0x28 + 1);
	uint32_t align, offset;
	if (!zvm_wasm_read_u32(r, &align, error) || !zvm_wasm_read_u32(r, &offset, error))
		return FALSE;
	guint8 size = access_bytes[opcode - 0x28];
	if ((uint64_t)offset + size > (UINT64_C(1) << 32)) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_FEATURE,
			    "validation failed: a %u-byte memory access with offset %" PRIu32
			    " reaches past 4 GiB, so it could only trap; zvmfs refuses it "
			    "(wasm2c 1.0.32 would access beyond its guard region)",
			    size, offset);
		return FALSE;
	}
	return TRUE;
}

/* The reserved memory index byte of memory.size, memory.grow and the bulk memory
 * instructions; anything but 0 is multi-memory. */
static gboolean read_memory_zero(ZvmWasmReader *r, GError **error)
{
	guint8 zero;
	if (!zvm_wasm_read_byte(r, &zero, error))
		return FALSE;
	if (zero != 0)
		return zvm_wasm_unsupported(error, "more than one memory");
	return TRUE;
}

static gboolean read_u32s(ZvmWasmReader *r, unsigned int n, GError **error)
{
	uint32_t ignored;
	for (unsigned int i = 0; i < n; i++)
		if (!zvm_wasm_read_u32(r, &ignored, error))
			return FALSE;
	return TRUE;
}

/* The 0xFC prefix: saturating truncation (0..7) and bulk memory and table (8..17). */
static gboolean read_prefixed_fc(ZvmWasmReader *r, GError **error)
{
	uint32_t sub;
	if (!zvm_wasm_read_u32(r, &sub, error))
		return FALSE;
	switch (sub) {
	case 0 ... 7:
		return TRUE;
	case 8: /* memory.init data, memory */
		return read_u32s(r, 1, error) && read_memory_zero(r, error);
	case 9:	 /* data.drop */
	case 13: /* elem.drop */
	case 15: /* table.grow */
	case 16: /* table.size */
	case 17: /* table.fill */
		return read_u32s(r, 1, error);
	case 10: /* memory.copy */
		return read_memory_zero(r, error) && read_memory_zero(r, error);
	case 11: /* memory.fill */
		return read_memory_zero(r, error);
	case 12: /* table.init */
	case 14: /* table.copy */
		return read_u32s(r, 2, error);
	default:
		return zvm_wasm_malformed(r, error, "unknown opcode 0xfc %" PRIu32, sub);
	}
}

/* ref.func in the body of @function: only of a function the module defines. */
static gboolean read_ref_func(ZvmWasmReader *r, const ZvmWasmCodeContext *context,
			      uint32_t function, GError **error)
{
	uint32_t index;
	if (!zvm_wasm_read_u32(r, &index, error))
		return FALSE;
	if (index >= context->n_imports)
		return TRUE;
	g_autofree char *where = g_strdup_printf("function %" PRIu32, function);
	return zvm_wasm_refuse_import_reference(error, context->import_names[index], where);
}

/* One instruction of @function after its opcode byte; @depth counts the open blocks. */
static gboolean read_instruction(ZvmWasmReader *r, const ZvmWasmCodeContext *context,
				 uint32_t function, guint8 opcode, uint64_t *depth, GError **error)
{
	int64_t ignored;
	switch (opcode) {
	case 0x00:	    /* unreachable */
	case 0x01:	    /* nop */
	case 0x05:	    /* else */
	case 0x0f:	    /* return */
	case 0x1a:	    /* drop */
	case 0x1b:	    /* select */
	case 0x45 ... 0xc4: /* numeric, including sign extension (0xc0..0xc4) */
	case 0xd1:	    /* ref.is_null */
		return TRUE;
	case 0x02: /* block */
	case 0x03: /* loop */
	case 0x04: /* if */
		(*depth)++;
		return read_block_type(r, context, error);
	case 0x0b:
		(*depth)--;
		return TRUE;
	case 0x0c:	    /* br */
	case 0x0d:	    /* br_if */
	case 0x10:	    /* call */
	case 0x20 ... 0x24: /* local.get/set/tee, global.get/set */
	case 0x25:	    /* table.get */
	case 0x26:	    /* table.set */
		return read_u32s(r, 1, error);
	case ZVM_WASM_OP_REF_FUNC:
		return read_ref_func(r, context, function, error);
	case 0x0e: { /* br_table: the targets, then the default */
		uint32_t n_targets;
		if (!zvm_wasm_read_count(r, 1, &n_targets, error))
			return FALSE;
		for (uint32_t i = 0; i < n_targets; i++)
			if (!read_u32s(r, 1, error))
				return FALSE;
		return read_u32s(r, 1, error);
	}
	case 0x11: /* call_indirect type, table */
		return read_u32s(r, 2, error);
	case 0x1c: { /* select with types */
		uint32_t n_types;
		if (!zvm_wasm_read_count(r, 1, &n_types, error))
			return FALSE;
		for (uint32_t i = 0; i < n_types; i++) {
			guint8 type;
			if (!zvm_wasm_read_byte(r, &type, error) ||
			    !zvm_wasm_check_value_type(r, type, "select", error))
				return FALSE;
		}
		return TRUE;
	}
	case 0x28 ... 0x3e: /* loads and stores */
		return read_memarg(r, opcode, error);
	case 0x3f: /* memory.size */
	case 0x40: /* memory.grow */
		return read_memory_zero(r, error);
	case 0x41:
		return zvm_wasm_read_signed(r, 32, &ignored, error);
	case 0x42:
		return zvm_wasm_read_signed(r, 64, &ignored, error);
	case 0x43:
		return zvm_wasm_skip(r, 4, error);
	case 0x44:
		return zvm_wasm_skip(r, 8, error);
	case 0xd0: /* ref.null */
		return zvm_wasm_read_ref_type(r, error);
	case 0xfc:
		return read_prefixed_fc(r, error);
	case 0x06 ... 0x0a: /* try, catch, throw, rethrow, throw_ref */
	case 0x18:	    /* delegate */
	case 0x19:	    /* catch_all */
		return zvm_wasm_unsupported(error, "exception handling");
	case 0x12: /* return_call */
	case 0x13: /* return_call_indirect */
		return zvm_wasm_unsupported(error, "tail calls");
	case 0xfd:
		return zvm_wasm_unsupported(error, "SIMD instructions");
	case 0xfe:
		return zvm_wasm_unsupported(error, "atomic instructions (threads)");
	default:
		r->pos--;
		return zvm_wasm_malformed(r, error, "unknown opcode 0x%02x", opcode);
	}
}

gboolean zvm_wasm_read_function_body(ZvmWasmReader *r, const ZvmWasmCodeContext *context,
				     const ZvmWasmFuncType *type, uint32_t index, GError **error)
{
	uint32_t n_declarations;
	if (!zvm_wasm_read_count(r, 2, &n_declarations, error))
		return FALSE;
	/* At most 2^31 declarations of at most 2^32 - 1 locals each: the sum fits 64 bits. */
	uint64_t n_locals = type->n_params;
	for (uint32_t i = 0; i < n_declarations; i++) {
		uint32_t count;
		guint8 value_type;
		if (!zvm_wasm_read_u32(r, &count, error) ||
		    !zvm_wasm_read_byte(r, &value_type, error) ||
		    !zvm_wasm_check_value_type(r, value_type, "locals", error))
			return FALSE;
		n_locals += count;
	}
	if (n_locals > context->max_locals) {
		g_set_error(error, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_LIMIT,
			    "validation failed: function %" PRIu32 " has %" PRIu64
			    " locals, over the limit of %" PRIu32,
			    index, n_locals, context->max_locals);
		return FALSE;
	}

	/* The body is one expression: its final end closes the function, at depth 0. */
	uint64_t depth = 1;
	while (depth > 0) {
		guint8 opcode;
		if (r->pos >= r->end)
			return zvm_wasm_malformed(
			    r, error, "the body of function %" PRIu32 " ends inside a block",
			    index);
		opcode = r->data[r->pos++];
		if (!read_instruction(r, context, index, opcode, &depth, error))
			return FALSE;
	}
	if (r->pos != r->end)
		return zvm_wasm_malformed(r, error, "function %" PRIu32 " has bytes after its end",
					  index);
	return TRUE;
}
