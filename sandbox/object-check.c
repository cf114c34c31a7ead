/* SPDX-License-Identifier: Apache-2.0 */
/* The check of a compiled module's shared object before root publishes it (object-check.h). */
#include "object-check.h"

#include <elf.h>
#include <inttypes.h>
#include <string.h>

#include "glue.h"

/* The quark name is one token; clang-format would space its dashes. */
/* clang-format off */
/* clang-format off */
G_DEFINE_QUARK(zvm-object-error-quark, zvm_object_error)
/* clang-format on */
/* clang-format on */

/* The relocations gcc and ld make for the module's code: each writes one word of the
 * object's own data. Anything else (IRELATIVE calls a resolver, COPY writes elsewhere) is
 * refused. An architecture without a list here has every object refused. */
#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
static const guint32 allowed_relocations[] = {
    R_X86_64_RELATIVE, R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT, R_X86_64_64,
    R_X86_64_DTPMOD64, R_X86_64_DTPOFF64, R_X86_64_TPOFF64,
};
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
static const guint32 allowed_relocations[] = {
    R_AARCH64_RELATIVE,	  R_AARCH64_GLOB_DAT,	R_AARCH64_JUMP_SLOT, R_AARCH64_ABS64,
    R_AARCH64_TLS_DTPMOD, R_AARCH64_TLS_DTPREL, R_AARCH64_TLS_TPREL,
};
#else
#define HOST_MACHINE EM_NONE
static const guint32 allowed_relocations[] = {0};
#endif

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define HOST_DATA ELFDATA2LSB
#else
#define HOST_DATA ELFDATA2MSB
#endif

/* The only libraries the module may need: wasm2c's C calls libc and libm; the WASI host and
 * the wasm2c runtime come from the runner itself. */
static const char *const allowed_needed[] = {"libc.so.6", "libm.so.6", NULL};

static const char *const glue_symbols[] = {ZVM_GLUE_INSTANCE_SIZE, ZVM_GLUE_INIT,
					   ZVM_GLUE_INSTANTIATE, ZVM_GLUE_MEMORY, ZVM_GLUE_START};

/* More than any module's object has; bounds the work on a forged one. */
#define MAX_PROGRAM_HEADERS 64
#define MAX_SYMBOLS (1u << 22)
/* The most memory the loader may map for the object's segments: wasm2c's code and data of
 * the largest module the checker takes are far below it. */
#define MAX_LOADED_BYTES (1ull << 32)

typedef struct {
	const guint8 *data;
	gsize size;
	Elf64_Phdr phdrs[MAX_PROGRAM_HEADERS];
	guint n_phdrs;
	/* From the dynamic section (virtual addresses, sizes) */
	guint64 strtab, strsz, symtab, syment, rela, relasz, relaent, jmprel, pltrelsz;
	guint64 hash, gnu_hash;
	gboolean has_strtab, has_symtab, has_rela, has_jmprel, has_hash, has_gnu_hash;
	guint64 n_symbols;
} Object;

static gboolean refuse(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean refuse(GError **error, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	g_autofree char *message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, ZVM_OBJECT_ERROR, ZVM_OBJECT_ERROR_REFUSED, message);
	return FALSE;
}

static gboolean in_file(const Object *object, guint64 offset, guint64 length)
{
	return offset <= object->size && length <= object->size - offset;
}

/* The file offset of @length bytes at @vaddr, if one loaded segment holds them in the file. */
static gboolean file_offset(const Object *object, guint64 vaddr, guint64 length, guint64 *offset)
{
	for (guint i = 0; i < object->n_phdrs; i++) {
		const Elf64_Phdr *p = &object->phdrs[i];
		if (p->p_type != PT_LOAD || vaddr < p->p_vaddr)
			continue;
		guint64 inside = vaddr - p->p_vaddr;
		if (inside <= p->p_filesz && length <= p->p_filesz - inside) {
			*offset = p->p_offset + inside;
			return in_file(object, *offset, length);
		}
	}
	return FALSE;
}

/* Whether @length bytes at @vaddr lie in one loaded segment with all of @flags. */
static gboolean in_segment(const Object *object, guint64 vaddr, guint64 length, guint32 flags)
{
	for (guint i = 0; i < object->n_phdrs; i++) {
		const Elf64_Phdr *p = &object->phdrs[i];
		if (p->p_type != PT_LOAD || (p->p_flags & flags) != flags || vaddr < p->p_vaddr)
			continue;
		guint64 inside = vaddr - p->p_vaddr;
		if (inside <= p->p_memsz && length <= p->p_memsz - inside)
			return TRUE;
	}
	return FALSE;
}

static gboolean read_at(const Object *object, guint64 vaddr, void *out, gsize length)
{
	guint64 offset;
	if (!file_offset(object, vaddr, length, &offset))
		return FALSE;
	memcpy(out, object->data + offset, length);
	return TRUE;
}

/* The NUL-terminated string at @index of the dynamic string table, or NULL. */
static const char *dynamic_string(const Object *object, guint64 index)
{
	guint64 offset;
	if (index >= object->strsz || !file_offset(object, object->strtab, object->strsz, &offset))
		return NULL;
	const char *start = (const char *)object->data + offset + index;
	return memchr(start, '\0', object->strsz - index) != NULL ? start : NULL;
}

static gboolean check_header(Object *object, GError **error)
{
	Elf64_Ehdr header;
	if (object->size < sizeof(header))
		return refuse(error, "not an ELF file");
	memcpy(&header, object->data, sizeof(header));
	if (memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
		return refuse(error, "not an ELF file");
	if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != HOST_DATA ||
	    header.e_ident[EI_VERSION] != EV_CURRENT || header.e_version != EV_CURRENT)
		return refuse(error, "not a 64-bit ELF file of this host's byte order");
	if (header.e_type != ET_DYN)
		return refuse(error, "not a shared object (ELF type %u)", header.e_type);
	if (HOST_MACHINE == EM_NONE || header.e_machine != HOST_MACHINE)
		return refuse(error, "not for this host's machine (ELF machine %u)",
			      header.e_machine);
	if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0 ||
	    header.e_phnum > MAX_PROGRAM_HEADERS ||
	    !in_file(object, header.e_phoff, (guint64)header.e_phnum * sizeof(Elf64_Phdr)))
		return refuse(error, "bad program headers");
	object->n_phdrs = header.e_phnum;
	memcpy(object->phdrs, object->data + header.e_phoff, object->n_phdrs * sizeof(Elf64_Phdr));
	return TRUE;
}

/* Segments: only the kinds ld makes for a shared object, none both writable and executable,
 * no executable stack (glibc would make every thread's stack executable to load it). */
static gboolean check_segments(const Object *object, const Elf64_Phdr **dynamic, GError **error)
{
	*dynamic = NULL;
	guint64 loaded = 0;
	for (guint i = 0; i < object->n_phdrs; i++) {
		const Elf64_Phdr *p = &object->phdrs[i];
		switch (p->p_type) {
		case PT_LOAD:
			if (p->p_memsz > MAX_LOADED_BYTES - loaded)
				return refuse(error, "its segments are over 4 GiB");
			loaded += p->p_memsz;
			if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
				return refuse(error, "a segment is writable and executable");
			if (p->p_filesz > p->p_memsz || !in_file(object, p->p_offset, p->p_filesz))
				return refuse(error, "a segment lies outside the file");
			break;
		case PT_DYNAMIC:
			if (*dynamic != NULL)
				return refuse(error, "two dynamic sections");
			*dynamic = p;
			break;
		case PT_GNU_STACK:
			if (p->p_flags & PF_X)
				return refuse(error, "it asks for an executable stack");
			break;
		case PT_NOTE:
		case PT_GNU_RELRO:
		case PT_GNU_EH_FRAME:
		case PT_GNU_PROPERTY:
		case PT_TLS:
			break;
		default:
			return refuse(error, "a program header of type 0x%x", p->p_type);
		}
	}
	if (*dynamic == NULL)
		return refuse(error, "no dynamic section");
	return TRUE;
}

/* The dynamic section: a list of what may be there, nothing else (constructors, destructors,
 * search paths, filters, audit libraries, text relocations, RELR all fall outside it). */
static gboolean check_dynamic(Object *object, const Elf64_Phdr *dynamic, GError **error)
{
	if (!in_file(object, dynamic->p_offset, dynamic->p_filesz))
		return refuse(error, "the dynamic section lies outside the file");
	gsize count = dynamic->p_filesz / sizeof(Elf64_Dyn);
	g_autoptr(GArray) needed = g_array_new(FALSE, FALSE, sizeof(guint64));
	gboolean ended = FALSE;
	for (gsize i = 0; i < count && !ended; i++) {
		Elf64_Dyn entry;
		memcpy(&entry, object->data + dynamic->p_offset + i * sizeof(entry), sizeof(entry));
		guint64 value = entry.d_un.d_val;
		switch (entry.d_tag) {
		case DT_NULL:
			ended = TRUE;
			break;
		case DT_NEEDED:
			g_array_append_val(needed, value);
			break;
		case DT_STRTAB:
			object->strtab = value, object->has_strtab = TRUE;
			break;
		case DT_STRSZ:
			object->strsz = value;
			break;
		case DT_SYMTAB:
			object->symtab = value, object->has_symtab = TRUE;
			break;
		case DT_SYMENT:
			object->syment = value;
			break;
		case DT_RELA:
			object->rela = value, object->has_rela = TRUE;
			break;
		case DT_RELASZ:
			object->relasz = value;
			break;
		case DT_RELAENT:
			object->relaent = value;
			break;
		case DT_JMPREL:
			object->jmprel = value, object->has_jmprel = TRUE;
			break;
		case DT_PLTRELSZ:
			object->pltrelsz = value;
			break;
		case DT_PLTREL:
			if (value != DT_RELA)
				return refuse(error, "PLT relocations are not RELA");
			break;
		case DT_HASH:
			object->hash = value, object->has_hash = TRUE;
			break;
		case DT_GNU_HASH:
			object->gnu_hash = value, object->has_gnu_hash = TRUE;
			break;
		case DT_FLAGS:
			if (value & DF_TEXTREL)
				return refuse(error, "it has text relocations");
			break;
		case DT_PLTGOT:
		case DT_SONAME:
		case DT_BIND_NOW:
		case DT_FLAGS_1:
		case DT_RELACOUNT:
		case DT_VERSYM:
		case DT_VERDEF:
		case DT_VERDEFNUM:
		case DT_VERNEED:
		case DT_VERNEEDNUM:
			break;
		case DT_INIT:
		case DT_FINI:
		case DT_INIT_ARRAY:
		case DT_INIT_ARRAYSZ:
		case DT_FINI_ARRAY:
		case DT_FINI_ARRAYSZ:
		case DT_PREINIT_ARRAY:
		case DT_PREINIT_ARRAYSZ:
			return refuse(
			    error, "it has constructors or destructors (dynamic tag %" PRId64 ")",
			    (gint64)entry.d_tag);
		default:
			return refuse(error, "dynamic tag 0x%" PRIx64 " is not allowed",
				      (guint64)entry.d_tag);
		}
	}
	if (!ended)
		return refuse(error, "the dynamic section has no end");
	if (!object->has_strtab || !object->has_symtab || object->syment != sizeof(Elf64_Sym) ||
	    (!object->has_hash && !object->has_gnu_hash))
		return refuse(error, "no symbol table");
	for (guint i = 0; i < needed->len; i++) {
		const char *name = dynamic_string(object, g_array_index(needed, guint64, i));
		if (name == NULL || !g_strv_contains(allowed_needed, name))
			return refuse(error, "it needs the library '%s'",
				      name != NULL ? name : "(unreadable)");
	}
	return TRUE;
}

/* How many symbols ld.so may look at: DT_HASH's chain count, or the highest index the GNU
 * hash table reaches; the larger if both. */
static gboolean count_symbols(Object *object, GError **error)
{
	guint64 count = 0;
	if (object->has_hash) {
		guint32 words[2];
		if (!read_at(object, object->hash, words, sizeof(words)))
			return refuse(error, "bad hash table");
		count = words[1];
	}
	if (object->has_gnu_hash) {
		guint32 header[4]; /* nbuckets, symoffset, bloom words, bloom shift */
		if (!read_at(object, object->gnu_hash, header, sizeof(header)) || header[0] == 0 ||
		    header[0] > MAX_SYMBOLS || header[2] > MAX_SYMBOLS)
			return refuse(error, "bad GNU hash table");
		guint64 buckets = object->gnu_hash + 16 + (guint64)header[2] * 8;
		guint64 chains = buckets + (guint64)header[0] * 4;
		guint32 highest = 0;
		for (guint32 b = 0; b < header[0]; b++) {
			guint32 bucket;
			if (!read_at(object, buckets + (guint64)b * 4, &bucket, 4))
				return refuse(error, "bad GNU hash table");
			highest = MAX(highest, bucket);
		}
		/* The symbols below symoffset are not hashed (the undefined ones) but exist. */
		guint64 gnu_count = MAX((guint64)header[1], (guint64)highest + 1);
		if (highest >= header[1]) {
			/* Walk the last chain to its end bit. */
			for (guint64 i = highest;; i++) {
				guint32 chain;
				if (i - header[1] > MAX_SYMBOLS ||
				    !read_at(object, chains + (i - header[1]) * 4, &chain, 4))
					return refuse(error, "bad GNU hash table");
				if (chain & 1) {
					gnu_count = i + 1;
					break;
				}
			}
		}
		count = MAX(count, gnu_count);
	}
	if (count > MAX_SYMBOLS)
		return refuse(error, "too many symbols");
	object->n_symbols = count;
	return TRUE;
}

static gboolean read_symbol(const Object *object, guint64 index, Elf64_Sym *symbol)
{
	return index < object->n_symbols &&
	       read_at(object, object->symtab + index * sizeof(Elf64_Sym), symbol, sizeof(*symbol));
}

/* Every symbol: none is an IFUNC (its resolver would run at load), and the glue's functions
 * are defined as code of the object itself. */
static gboolean check_symbols(const Object *object, GError **error)
{
	gboolean found[G_N_ELEMENTS(glue_symbols)] = {FALSE};
	for (guint64 i = 0; i < object->n_symbols; i++) {
		Elf64_Sym symbol;
		if (!read_symbol(object, i, &symbol))
			return refuse(error, "symbol %" G_GUINT64_FORMAT " is unreadable", i);
		if (ELF64_ST_TYPE(symbol.st_info) == STT_GNU_IFUNC)
			return refuse(error, "it defines an IFUNC");
		if (symbol.st_shndx == SHN_UNDEF)
			continue;
		const char *name = dynamic_string(object, symbol.st_name);
		for (gsize g = 0; name != NULL && g < G_N_ELEMENTS(glue_symbols); g++) {
			if (strcmp(name, glue_symbols[g]) != 0)
				continue;
			if (ELF64_ST_TYPE(symbol.st_info) != STT_FUNC ||
			    symbol.st_shndx == SHN_ABS ||
			    !in_segment(object, symbol.st_value, 1, PF_X))
				return refuse(error, "%s is not code of the object", name);
			found[g] = TRUE;
		}
	}
	for (gsize g = 0; g < G_N_ELEMENTS(glue_symbols); g++)
		if (!found[g])
			return refuse(error, "it does not export %s", glue_symbols[g]);
	return TRUE;
}

static gboolean allowed_relocation(guint32 type)
{
	for (gsize i = 0; i < G_N_ELEMENTS(allowed_relocations); i++)
		if (allowed_relocations[i] == type && type != 0)
			return TRUE;
	return FALSE;
}

/* Each relocation of a table: an allowed kind, writing one word inside a writable segment
 * (ld.so does not bound r_offset: out of the object it writes anywhere), naming a symbol
 * that exists. */
static gboolean check_relocations(const Object *object, gboolean present, guint64 table,
				  guint64 size, GError **error)
{
	if (!present)
		return TRUE;
	if ((object->relaent != 0 && object->relaent != sizeof(Elf64_Rela)) ||
	    size % sizeof(Elf64_Rela) != 0)
		return refuse(error, "bad relocation table");
	guint64 offset;
	if (!file_offset(object, table, size, &offset))
		return refuse(error, "the relocation table lies outside the file");
	for (guint64 i = 0; i < size / sizeof(Elf64_Rela); i++) {
		Elf64_Rela rela;
		memcpy(&rela, object->data + offset + i * sizeof(rela), sizeof(rela));
		guint32 type = (guint32)ELF64_R_TYPE(rela.r_info);
		guint64 symbol = ELF64_R_SYM(rela.r_info);
		if (!allowed_relocation(type))
			return refuse(error, "relocation type %u is not allowed", type);
		if (!in_segment(object, rela.r_offset, 8, PF_W))
			return refuse(error, "a relocation writes outside the object's data");
		if (symbol >= object->n_symbols)
			return refuse(error,
				      "a relocation names symbol %" G_GUINT64_FORMAT
				      ", which does not exist",
				      symbol);
	}
	return TRUE;
}

gboolean zvm_object_check(const guint8 *data, gsize size, GError **error)
{
	g_return_val_if_fail(data != NULL || size == 0, FALSE);
	g_autofree Object *object = g_new0(Object, 1);
	object->data = data;
	object->size = size;
	const Elf64_Phdr *dynamic;
	return check_header(object, error) && check_segments(object, &dynamic, error) &&
	       check_dynamic(object, dynamic, error) && count_symbols(object, error) &&
	       check_symbols(object, error) &&
	       check_relocations(object, object->has_rela, object->rela, object->relasz, error) &&
	       check_relocations(object, object->has_jmprel, object->jmprel, object->pltrelsz,
				 error);
}
