/* SPDX-License-Identifier: Apache-2.0 */
/* Cutting wasm2c's one C file into translation units (translate-split.h). */
#include "translate-split.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-io.h"

/* The quark name is one token; clang-format would space its dashes. */
/* clang-format off */
/* clang-format off */
G_DEFINE_QUARK(zvm-split-error-quark, zvm_split_error)
/* clang-format on */
/* clang-format on */

#define HIDDEN "__attribute__((visibility(\"hidden\"))) "
/* A unit's text is written out in pieces of about this size. */
#define FLUSH_BYTES (1 << 20)
/* Bytes of a data segment per line of its string literal. */
#define LITERAL_BYTES_PER_LINE 32

typedef struct {
	int fd;
	GString *text;
	int errsv; /* first write error, 0 while none */
} Unit;

typedef struct {
	Unit *units;
	guint n_units;
} Writer;

static void unit_flush(Unit *unit)
{
	if (unit->errsv == 0 && unit->text->len > 0) {
		int r = zvm_write_all(unit->fd, unit->text->str, unit->text->len);
		if (r < 0)
			unit->errsv = -r;
	}
	g_string_truncate(unit->text, 0);
}

static void put(Writer *writer, guint k, const char *data, gsize length)
{
	Unit *unit = &writer->units[k];
	g_string_append_len(unit->text, data, (gssize)length);
	if (unit->text->len >= FLUSH_BYTES)
		unit_flush(unit);
}

static void put_all(Writer *writer, const char *data, gsize length)
{
	for (guint k = 0; k < writer->n_units; k++)
		put(writer, k, data, length);
}

static void put_string(Writer *writer, guint k, const char *string)
{
	put(writer, k, string, strlen(string));
}

/* A line of the text: [start, end), without its '\n'; next is where the following starts. */
typedef struct {
	const char *start;
	const char *end;
	const char *next;
} Line;

static gboolean line_at(const char *position, const char *text_end, Line *line)
{
	if (position >= text_end)
		return FALSE;
	const char *newline = memchr(position, '\n', (size_t)(text_end - position));
	line->start = position;
	line->end = newline != NULL ? newline : text_end;
	line->next = newline != NULL ? newline + 1 : text_end;
	return TRUE;
}

static gboolean line_starts(const Line *line, const char *prefix)
{
	size_t n = strlen(prefix);
	return (size_t)(line->end - line->start) >= n && memcmp(line->start, prefix, n) == 0;
}

static gboolean line_ends(const Line *line, const char *suffix)
{
	size_t n = strlen(suffix);
	return (size_t)(line->end - line->start) >= n && memcmp(line->end - n, suffix, n) == 0;
}

static gboolean line_is(const Line *line, const char *text)
{
	return (size_t)(line->end - line->start) == strlen(text) && line_starts(line, text);
}

static const char *line_find(const Line *line, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = line->start; p + n <= line->end; p++)
		if (memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

/* The identifier just before the first '(' of @line starts with @prefix: the line names a
 * function of that kind. */
static gboolean function_named(const Line *line, const char *prefix)
{
	const char *paren = memchr(line->start, '(', (size_t)(line->end - line->start));
	if (paren == NULL)
		return FALSE;
	const char *name = paren;
	while (name > line->start && (g_ascii_isalnum(name[-1]) || name[-1] == '_'))
		name--;
	return (size_t)(paren - name) >= strlen(prefix) &&
	       memcmp(name, prefix, strlen(prefix)) == 0;
}

/* Lines of a declaration or definition's head, at most: wasm2c wraps a long parameter list. */
#define MAX_HEAD_LINES 256

typedef enum { NOT_MODULE_FUNCTION, MODULE_DECLARATION, MODULE_DEFINITION } HeadKind;

/* "static <type> w2c_<name>(<params>) {" or "...(<types>);", on one or more lines: a
 * function of the module, defined or declared. @head_end is set past its last line. */
static HeadKind module_function_head(const Line *line, const char *text_end, const char **head_end)
{
	if (!line_starts(line, "static ") || line_starts(line, "static inline ") ||
	    !function_named(line, "w2c_"))
		return NOT_MODULE_FUNCTION;
	Line current = *line;
	for (int n = 0; n < MAX_HEAD_LINES; n++) {
		*head_end = current.next;
		if (line_ends(&current, ") {"))
			return MODULE_DEFINITION;
		if (line_ends(&current, ");"))
			return MODULE_DECLARATION;
		if (!line_at(current.next, text_end, &current))
			break;
	}
	return NOT_MODULE_FUNCTION;
}

static gboolean is_module_function(const Line *line, const char *text_end)
{
	const char *head_end;
	return module_function_head(line, text_end, &head_end) == MODULE_DEFINITION;
}

/* Where the item that starts at @line ends: after the first line that is @last exactly, or
 * NULL when there is none. */
static const char *item_end(const Line *line, const char *text_end, const char *last)
{
	Line current = *line;
	do {
		if (line_is(&current, last))
			return current.next;
	} while (line_at(current.next, text_end, &current));
	return NULL;
}

/* The bytes of a data segment's body ("  0x66, 0x69, \n ... "), or NULL when it holds
 * anything else. */
static GByteArray *parse_bytes(const char *start, const char *end)
{
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	for (const char *p = start; p < end;) {
		if (*p == ' ' || *p == '\n' || *p == ',') {
			p++;
			continue;
		}
		if (end - p < 4 || p[0] != '0' || p[1] != 'x' || !g_ascii_isxdigit(p[2]) ||
		    !g_ascii_isxdigit(p[3]) || (end - p > 4 && g_ascii_isxdigit(p[4])))
			return NULL;
		guint8 byte =
		    (guint8)(g_ascii_xdigit_value(p[2]) << 4 | g_ascii_xdigit_value(p[3]));
		g_byte_array_append(bytes, &byte, 1);
		p += 4;
	}
	return g_steal_pointer(&bytes);
}

/*
 * "static const <type> <name>[] = {" through "};": in unit 0 a hidden global (a data
 * segment of bytes as one string literal: gcc builds a tree node per `0x..` of the list, and
 * the literal costs it a tenth of the time and memory), elsewhere its extern declaration.
 */
static void put_array(Writer *writer, const Line *first, const char *end)
{
	const char *open = line_find(first, "[] = {");
	const char *declarator = first->start + strlen("static ");
	g_autoptr(GByteArray) bytes = NULL;
	if (line_starts(first, "static const u8 ") && first->next < end)
		bytes = parse_bytes(first->next, end - strlen("};\n"));
	if (bytes != NULL && bytes->len > 0) {
		GString *literal = g_string_sized_new(bytes->len * 4 + bytes->len / 8 + 128);
		g_string_append_printf(literal, HIDDEN "%.*s[%u] = \n\"", (int)(open - declarator),
				       declarator, bytes->len);
		for (guint i = 0; i < bytes->len; i++) {
			g_string_append_printf(literal, "\\x%02x", bytes->data[i]);
			if ((i + 1) % LITERAL_BYTES_PER_LINE == 0 && i + 1 < bytes->len)
				g_string_append(literal, "\"\n\"");
		}
		g_string_append(literal, "\";\n");
		put(writer, 0, literal->str, literal->len);
		g_string_free(literal, TRUE);
	} else {
		put_string(writer, 0, HIDDEN);
		put(writer, 0, declarator, (gsize)(end - declarator));
	}
	g_autofree char *extern_declaration =
	    g_strdup_printf("extern " HIDDEN "%.*s[];\n", (int)(open - declarator), declarator);
	for (guint k = 1; k < writer->n_units; k++)
		put_string(writer, k, extern_declaration);
}

/* Everything before the first function definition: the prologue. */
static void put_prologue(Writer *writer, const char *text, const char *text_end)
{
	Line line;
	for (const char *p = text; line_at(p, text_end, &line);) {
		const char *head_end;
		if (module_function_head(&line, text_end, &head_end) == MODULE_DECLARATION) {
			put_all(writer, HIDDEN, strlen(HIDDEN));
			put_all(writer, line.start + strlen("static "),
				(gsize)(head_end - line.start) - strlen("static "));
			p = head_end;
			continue;
		} else if (line_starts(&line, "static const ") && line_find(&line, "[] = {")) {
			const char *end =
			    line_ends(&line, "};") ? line.next : item_end(&line, text_end, "};");
			end = end != NULL ? end : text_end;
			put_array(writer, &line, end);
			p = end;
			continue;
		} else if (line_starts(&line, "static ") && !line_starts(&line, "static inline ") &&
			   line_ends(&line, ";") &&
			   !memchr(line.start, '(', (size_t)(line.end - line.start)) &&
			   !memchr(line.start, '=', (size_t)(line.end - line.start))) {
			/* A variable the functions share (func_types): one definition. */
			gsize rest = (gsize)(line.next - line.start) - strlen("static ");
			put_string(writer, 0, HIDDEN);
			put(writer, 0, line.start + strlen("static "), rest);
			for (guint k = 1; k < writer->n_units; k++) {
				put_string(writer, k, "extern " HIDDEN);
				put(writer, k, line.start + strlen("static "), rest);
			}
		} else if (line_starts(&line, "static ") && line_ends(&line, "{") &&
			   function_named(&line, "init_")) {
			/* Instantiation's helpers, called from unit 0 only. */
			const char *end = item_end(&line, text_end, "}");
			end = end != NULL ? end : text_end;
			put(writer, 0, line.start, (gsize)(end - line.start));
			p = end;
			continue;
		} else {
			put_all(writer, line.start, (gsize)(line.next - line.start));
		}
		p = line.next;
	}
}

/* The bytes of all module function definitions from @start on. */
static gsize function_bytes(const char *start, const char *text_end)
{
	gsize total = 0;
	Line line;
	for (const char *p = start; line_at(p, text_end, &line);) {
		if (!is_module_function(&line, text_end)) {
			p = line.next;
			continue;
		}
		const char *end = item_end(&line, text_end, "}");
		if (end == NULL)
			return total;
		total += (gsize)(end - line.start);
		p = end;
	}
	return total;
}

/* The functions, spread in file order, and what lies between and after them (unit 0). */
static gboolean put_functions(Writer *writer, const char *start, const char *text_end, gsize total,
			      GError **error)
{
	guint code_units = writer->n_units - 1;
	gsize share = total / code_units + 1;
	gsize placed = 0;
	Line line;
	for (const char *p = start; line_at(p, text_end, &line);) {
		if (!is_module_function(&line, text_end)) {
			put(writer, 0, line.start, (gsize)(line.next - line.start));
			p = line.next;
			continue;
		}
		const char *end = item_end(&line, text_end, "}");
		if (end == NULL) {
			g_set_error(error, ZVM_SPLIT_ERROR, ZVM_SPLIT_ERROR_SHAPE,
				    "cannot split the translation: a function has no end");
			return FALSE;
		}
		/* By the function's middle: a big function does not leave the next unit empty. */
		gsize size = (gsize)(end - line.start);
		guint k = 1 + (guint)MIN((placed + size / 2) / share, code_units - 1);
		put_string(writer, k, HIDDEN);
		put(writer, k, line.start + strlen("static "),
		    (gsize)(end - line.start) - strlen("static "));
		placed += size;
		p = end;
	}
	return TRUE;
}

static guint count_functions(const char *start, const char *text_end, guint enough)
{
	guint n = 0;
	Line line;
	for (const char *p = start; n < enough && line_at(p, text_end, &line); p = line.next)
		n += is_module_function(&line, text_end);
	return n;
}

guint zvm_split_c(const char *text, gsize length, gsize unit_bytes, int dir_fd, GError **error)
{
	g_return_val_if_fail(text != NULL && unit_bytes > 0, 0);
	const char *text_end = text + length;
	const char *first_function = NULL;
	Line line;
	for (const char *p = text; first_function == NULL && line_at(p, text_end, &line);
	     p = line.next)
		if (is_module_function(&line, text_end))
			first_function = line.start;
	if (first_function == NULL || memchr(text, '\0', length) != NULL) {
		g_set_error(error, ZVM_SPLIT_ERROR, ZVM_SPLIT_ERROR_SHAPE,
			    "cannot split the translation: it is not wasm2c's C");
		return 0;
	}
	gsize total = function_bytes(first_function, text_end);
	guint wanted = (guint)MIN((total + unit_bytes - 1) / unit_bytes, ZVM_SPLIT_MAX_UNITS);
	/* Unit 0 has the data and no function: its literals cost gcc memory too (ruby's 24 MB
	 * of data about 450 MB), which is then not added to that of a share of the code. */
	guint n_units = 1 + MAX(1, count_functions(first_function, text_end, MAX(wanted, 1)));

	Writer writer = {g_new0(Unit, n_units), n_units};
	int errsv = 0;
	guint failed_unit = 0;
	for (guint k = 0; k < n_units; k++) {
		g_autofree char *name = g_strdup_printf("unit-%u.c", k);
		writer.units[k].text = g_string_sized_new(FLUSH_BYTES + 4096);
		writer.units[k].fd = openat(
		    dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (writer.units[k].fd < 0 && errsv == 0) {
			errsv = errno;
			failed_unit = k;
		}
	}
	gboolean shaped = TRUE;
	if (errsv == 0) {
		put_prologue(&writer, text, first_function);
		shaped = put_functions(&writer, first_function, text_end, total, error);
	}
	for (guint k = 0; k < n_units; k++) {
		if (writer.units[k].fd >= 0) {
			unit_flush(&writer.units[k]);
			if (close(writer.units[k].fd) < 0 && writer.units[k].errsv == 0)
				writer.units[k].errsv = errno;
		}
		if (errsv == 0 && writer.units[k].errsv != 0) {
			errsv = writer.units[k].errsv;
			failed_unit = k;
		}
		g_string_free(writer.units[k].text, TRUE);
	}
	g_free(writer.units);
	if (!shaped)
		return 0;
	if (errsv != 0) {
		g_set_error(error, ZVM_SPLIT_ERROR, ZVM_SPLIT_ERROR_WRITE,
			    "cannot write unit-%u.c: %s", failed_unit, g_strerror(errsv));
		return 0;
	}
	return n_units;
}

/* ---- Compiling the units ------------------------------------------------------------- */

/* The C file the unprivileged translator wrote: a regular file, through no link, not a fifo
 * planted to block us, of bounded size. */
static char *read_c_file(int dir_fd, gsize max_bytes, gsize *length, GError **error)
{
	int fd = openat(dir_fd, "module.c", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int errsv = 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		errsv = errno;
	else if (!S_ISREG(st.st_mode) || (guint64)st.st_size > max_bytes)
		errsv = EFBIG;
	char *text = NULL;
	if (errsv == 0) {
		text = g_malloc((gsize)st.st_size + 1);
		gsize got = 0;
		while (got < (gsize)st.st_size) {
			ssize_t n = read(fd, text + got, (gsize)st.st_size - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				errsv = n < 0 ? errno : EIO;
				break;
			}
			got += (gsize)n;
		}
		text[got] = '\0';
		*length = got;
	}
	if (fd >= 0)
		close(fd);
	if (errsv != 0) {
		g_free(text);
		g_set_error(error, ZVM_SPLIT_ERROR, ZVM_SPLIT_ERROR_SHAPE,
			    "cannot read the translation module.c: %s", g_strerror(errsv));
		return NULL;
	}
	return text;
}

typedef struct {
	const ZvmSplitCompile *how;
	guint n_units;
	GMutex lock;
	guint next; /* the next unit to start */
	guint done;
	GError *error; /* the first failure */
} Compiles;

static char **unit_argv(const ZvmSplitCompile *how, guint k)
{
	GPtrArray *argv = g_ptr_array_new();
	g_ptr_array_add(argv, g_strdup(how->cc));
	for (const char *const *flag = how->cc_flags; *flag != NULL; flag++)
		g_ptr_array_add(argv, g_strdup(*flag));
	g_ptr_array_add(argv, g_strdup("-c"));
	g_ptr_array_add(argv, g_strdup_printf("unit-%u.c", k));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup_printf("unit-%u.o", k));
	g_ptr_array_add(argv, NULL);
	return (char **)g_ptr_array_free(argv, FALSE);
}

static gpointer compile_worker(gpointer data)
{
	Compiles *compiles = data;
	for (;;) {
		g_mutex_lock(&compiles->lock);
		gboolean stop = compiles->error != NULL || compiles->next >= compiles->n_units;
		guint k = compiles->next++;
		g_mutex_unlock(&compiles->lock);
		if (stop)
			return NULL;
		g_auto(GStrv) argv = unit_argv(compiles->how, k);
		GError *local = NULL;
		gboolean ok =
		    compiles->how->run((const char *const *)argv, compiles->how->run_data, &local);
		g_mutex_lock(&compiles->lock);
		if (!ok && compiles->error == NULL)
			compiles->error = local;
		else if (!ok)
			g_error_free(local);
		else if (compiles->how->progress != NULL)
			compiles->how->progress(++compiles->done, compiles->n_units,
						compiles->how->progress_data);
		g_mutex_unlock(&compiles->lock);
	}
}

guint zvm_split_compile(const ZvmSplitCompile *how, int dir_fd, gsize max_bytes, GError **error)
{
	guint n_units = MIN(*how->units, ZVM_SPLIT_MAX_UNITS + 1);
	if (n_units == 0) {
		gsize length = 0;
		g_autofree char *text = read_c_file(dir_fd, max_bytes, &length, error);
		if (text == NULL)
			return 0;
		n_units = zvm_split_c(text, length, MAX(how->unit_bytes, 1), dir_fd, error);
		if (n_units == 0)
			return 0;
		*how->units = n_units;
	}

	Compiles compiles = {.how = how, .n_units = n_units};
	g_mutex_init(&compiles.lock);
	if (how->progress != NULL)
		how->progress(0, n_units, how->progress_data);
	guint n_threads = CLAMP(how->jobs, 1, n_units);
	GThread **threads = g_new0(GThread *, n_threads);
	for (guint i = 0; i < n_threads; i++)
		threads[i] = g_thread_new("zvm-compile", compile_worker, &compiles);
	for (guint i = 0; i < n_threads; i++)
		g_thread_join(threads[i]);
	g_free(threads);
	g_mutex_clear(&compiles.lock);
	if (compiles.error != NULL) {
		g_propagate_error(error, compiles.error);
		return 0;
	}

	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(how->cc));
	for (const char *const *flag = how->cc_flags; *flag != NULL; flag++)
		g_ptr_array_add(argv, g_strdup(*flag));
	/* -nostartfiles as the whole-module compile (translate.c): no _init, _fini nor init/fini
	 * arrays, which the object check refuses. */
	static const char *const link_head[] = {"-nostartfiles", "-shared", "-o", "module.so"};
	for (gsize i = 0; i < G_N_ELEMENTS(link_head); i++)
		g_ptr_array_add(argv, g_strdup(link_head[i]));
	for (guint k = 0; k < n_units; k++)
		g_ptr_array_add(argv, g_strdup_printf("unit-%u.o", k));
	g_ptr_array_add(argv, g_strdup("glue.c"));
	g_ptr_array_add(argv, g_strdup("-lm"));
	g_ptr_array_add(argv, NULL);
	return how->run((const char *const *)argv->pdata, how->run_data, error) ? n_units : 0;
}
