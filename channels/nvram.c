/* SPDX-License-Identifier: Apache-2.0 */
/* The /dev/nvram parser: ZRT's sections, records, limits and \xHH escapes. */
#include "nvram.h"

#include <stdarg.h>
#include <string.h>

#include "text.h"

/* ZRT's bounds (lib/nvram/nvram.h), with the section count the reference gives. */
#define NVRAM_MAX_BYTES 10240
#define NVRAM_MAX_SECTIONS 7
#define NVRAM_MAX_RECORDS 100
#define NVRAM_MAX_KEYS 5
#define NVRAM_MAX_KEY_LENGTH 20
/* Longest piece of user text quoted in a message, in characters. */
#define SHOW_MAX 80

/*
 * Where ZRT silently skipped a record it did not understand (an unknown section or key, a
 * bad value, a missing key, a second [time]), we refuse the whole file and say which line
 * is wrong. ZRT ran inside the job, where nobody could see its log; here the refusal
 * reaches the user, and a record skipped in silence (a mount that never happens, an
 * argument that is not passed) is far harder to find than a message naming the line.
 */

/* clang-format off */
G_DEFINE_QUARK(zvm-nvram-error-quark, zvm_nvram_error)
/* clang-format on */

static void fstab_entry_free(ZvmFstabEntry *entry)
{
	g_free(entry->channel);
	g_free(entry->mountpoint);
	g_free(entry);
}

static void mapping_entry_free(ZvmMappingEntry *entry)
{
	g_free(entry->channel);
	g_free(entry);
}

void zvm_nvram_free(ZvmNvram *nvram)
{
	if (nvram == NULL)
		return;
	g_strfreev(nvram->args);
	g_strfreev(nvram->env);
	g_clear_pointer(&nvram->fstab, g_ptr_array_unref);
	g_clear_pointer(&nvram->mapping, g_ptr_array_unref);
	g_free(nvram);
}

/* One record: up to NVRAM_MAX_KEYS pairs pointing into the line's copy; values are still
 * escaped, since [args] splits before it decodes. */
typedef struct {
	struct {
		const char *key;
		const char *value;
	} fields[NVRAM_MAX_KEYS];
	guint count;
} Record;

typedef struct Parser Parser;
typedef gboolean (*SectionParser)(Parser *p, const Record *record, GError **error);

typedef struct {
	const char *name;
	const char *keys[NVRAM_MAX_KEYS + 1]; /* the keys it knows, NULL-terminated */
	guint required;			      /* how many of the first @keys must be given */
	SectionParser parse;
} Section;

struct Parser {
	ZvmNvram *nvram;
	guint line;
	const Section *section;
	guint sections;
	guint *records; /* per section, records seen */
	guint args_line, time_line;
	GPtrArray *env;	       /* "NAME=value" */
	GHashTable *env_lines; /* NAME -> line, as GUINT_TO_POINTER */
	GPtrArray *shown;      /* strings quoted in messages */
};

static void parser_clear(Parser *p)
{
	g_clear_pointer(&p->nvram, zvm_nvram_free);
	g_clear_pointer(&p->records, g_free);
	g_clear_pointer(&p->env, g_ptr_array_unref);
	g_clear_pointer(&p->env_lines, g_hash_table_unref);
	g_clear_pointer(&p->shown, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Parser, parser_clear)

/* User text for a message (zvm_text_quote), living as long as the parser. */
static const char *show(Parser *p, const char *text)
{
	char *quoted = zvm_text_quote(text, SHOW_MAX);

	g_ptr_array_add(p->shown, quoted);
	return quoted;
}

static gboolean fail(GError **error, ZvmNvramError code, guint line, const char *format, ...)
    G_GNUC_PRINTF(4, 5);

/* Always FALSE, so a check can `return fail(...)`. @line 0 is a whole-file error. */
static gboolean fail(GError **error, ZvmNvramError code, guint line, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	g_autofree char *reason = g_strdup_vprintf(format, args);
	va_end(args);
	if (line > 0)
		g_set_error(error, ZVM_NVRAM_ERROR, code, "nvram %u: %s", line, reason);
	else
		g_set_error(error, ZVM_NVRAM_ERROR, code, "nvram: %s", reason);
	return FALSE;
}

/* Decodes ZRT's \xHH escapes; every other backslash is an error, and so is \x00, which
 * would silently cut the string short. */
static char *unescape(Parser *p, const char *raw, GError **error)
{
	g_autoptr(GString) out = g_string_sized_new(strlen(raw));
	for (const char *c = raw; *c; c++) {
		if (*c != '\\') {
			g_string_append_c(out, *c);
			continue;
		}
		if (c[1] != 'x' || !g_ascii_isxdigit(c[2]) || !g_ascii_isxdigit(c[3])) {
			g_autofree char *escape = g_strndup(c, 4);
			fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			     "bad escape '%s' in '%s' (write \\xHH with two hex digits)",
			     show(p, escape), show(p, raw));
			return NULL;
		}
		int byte = g_ascii_xdigit_value(c[2]) * 16 + g_ascii_xdigit_value(c[3]);
		if (byte == 0) {
			fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			     "\\x00 is not allowed (in '%s')", show(p, raw));
			return NULL;
		}
		g_string_append_c(out, (char)byte);
		c += 3;
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static const char *record_value(const Record *record, const char *key)
{
	for (guint i = 0; i < record->count; i++) {
		if (strcmp(record->fields[i].key, key) == 0)
			return record->fields[i].value;
	}
	return NULL;
}

/* The decoded value of @key, NULL with @error set when it does not decode; a key that is
 * absent gives @fallback (copied), or NULL without an error when @fallback is NULL. */
static char *decoded_value(Parser *p, const Record *record, const char *key, const char *fallback,
			   GError **error)
{
	const char *raw = record_value(record, key);
	if (raw == NULL)
		return g_strdup(fallback);
	return unescape(p, raw, error);
}

/* Normalised components: none empty, "." or "..", no trailing '/'. */
static gboolean components_are_normal(const char *path)
{
	g_auto(GStrv) components = g_strsplit(path, "/", -1);
	for (char **c = components; *c; c++) {
		if (**c == '\0' || strcmp(*c, ".") == 0 || strcmp(*c, "..") == 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean is_channel_alias(const char *alias)
{
	return g_str_has_prefix(alias, "/dev/") && alias[5] != '\0' &&
	       components_are_normal(alias + 5);
}

static gboolean yes_no(const char *text, gboolean *value)
{
	if (strcmp(text, "yes") != 0 && strcmp(text, "no") != 0)
		return FALSE;
	*value = strcmp(text, "yes") == 0;
	return TRUE;
}

/* ZRT's parse_args: space- or tab-separated words; a '"' that opens a word runs to the next
 * '"' and makes one argument. Escapes are decoded per word, so \x20 is a space inside one. */
static gboolean parse_args(Parser *p, const Record *record, GError **error)
{
	if (p->args_line)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[args] given twice (first on line %u)", p->args_line);
	p->args_line = p->line;
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	const char *c = record_value(record, "args");
	for (;;) {
		c += strspn(c, " \t");
		if (*c == '\0')
			break;
		g_autofree char *word = NULL;
		if (*c == '"') {
			const char *close = strchr(c + 1, '"');
			if (close == NULL)
				return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
					    "[args] has a '\"' without its closing '\"'");
			word = g_strndup(c + 1, close - c - 1);
			c = close + 1;
			if (*c != '\0' && *c != ' ' && *c != '\t')
				return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
					    "[args] has text right after a closing '\"' (separate "
					    "arguments with a space)");
		} else {
			size_t length = strcspn(c, " \t");
			word = g_strndup(c, length);
			c += length;
		}
		char *arg = unescape(p, word, error);
		if (arg == NULL)
			return FALSE;
		g_ptr_array_add(argv, arg);
	}
	if (argv->len == 0)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[args] is empty (it needs at least the program name)");
	g_ptr_array_add(argv, NULL);
	p->nvram->args = (char **)g_ptr_array_free(g_steal_pointer(&argv), FALSE);
	return TRUE;
}

static gboolean parse_env(Parser *p, const Record *record, GError **error)
{
	g_autofree char *name = decoded_value(p, record, "name", NULL, error);
	if (name == NULL)
		return FALSE;
	g_autofree char *value = decoded_value(p, record, "value", NULL, error);
	if (value == NULL)
		return FALSE;
	if (*name == '\0' || strchr(name, '='))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[env] name must be non-empty and hold no '=' (got '%s')",
			    show(p, name));
	guint first = GPOINTER_TO_UINT(g_hash_table_lookup(p->env_lines, name));
	if (first)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[env] %s is set twice (first on line %u)", show(p, name), first);
	g_ptr_array_add(p->env, g_strconcat(name, "=", value, NULL));
	g_hash_table_insert(p->env_lines, g_steal_pointer(&name), GUINT_TO_POINTER(p->line));
	return TRUE;
}

static gboolean parse_time(Parser *p, const Record *record, GError **error)
{
	if (p->time_line)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[time] given twice (first on line %u)", p->time_line);
	p->time_line = p->line;
	g_autofree char *text = decoded_value(p, record, "seconds", NULL, error);
	if (text == NULL)
		return FALSE;
	gint64 seconds;
	if (!g_ascii_string_to_signed(text, 10, G_MININT64, G_MAXINT64, &seconds, NULL))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[time] seconds must be a whole number (got %s)", show(p, text));
	p->nvram->has_time = TRUE;
	p->nvram->time_seconds = seconds;
	return TRUE;
}

static gboolean parse_fstab(Parser *p, const Record *record, GError **error)
{
	g_autofree char *access = decoded_value(p, record, "access", "ro", error);
	/* Only a scratch tree may start empty, without an image channel. */
	const char *no_channel = access != NULL && strcmp(access, "rw") == 0 ? "" : NULL;
	g_autofree char *channel =
	    access ? decoded_value(p, record, "channel", no_channel, error) : NULL;
	g_autofree char *mountpoint =
	    access ? decoded_value(p, record, "mountpoint", NULL, error) : NULL;
	g_autofree char *removable =
	    mountpoint ? decoded_value(p, record, "removable", "no", error) : NULL;
	g_autofree char *fsname =
	    removable ? decoded_value(p, record, "fsname", "tar", error) : NULL;
	if (fsname == NULL)
		return FALSE;
	if (channel == NULL)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[fstab] record has no channel");
	if (strcmp(access, "ro") != 0 && strcmp(access, "wo") != 0 && strcmp(access, "rw") != 0)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[fstab] access must be ro, wo or rw (got %s)", show(p, access));
	/* Empty only where it may be left out (a scratch tree): an explicit `channel=` on an
	 * image or output mount is as wrong as any other non-alias. */
	if ((*channel != '\0' || no_channel == NULL) && !is_channel_alias(channel))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[fstab] channel must be a channel alias such as /dev/image.tar "
			    "(got %s)",
			    show(p, channel));
	if (mountpoint[0] != '/' ||
	    (mountpoint[1] != '\0' && !components_are_normal(mountpoint + 1)))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[fstab] mountpoint must be an absolute directory without empty, '.' "
			    "or '..' components (got %s)",
			    show(p, mountpoint));
	gboolean is_removable;
	if (!yes_no(removable, &is_removable))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[fstab] removable must be yes or no (got %s)", show(p, removable));
	if (strcmp(fsname, "tar") != 0)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[fstab] fsname must be tar (got %s)", show(p, fsname));
	ZvmFstabEntry *entry = g_new0(ZvmFstabEntry, 1);
	entry->channel = *channel != '\0' ? g_steal_pointer(&channel) : NULL;
	entry->mountpoint = g_steal_pointer(&mountpoint);
	entry->access = strcmp(access, "ro") == 0   ? ZVM_FSTAB_RO
			: strcmp(access, "wo") == 0 ? ZVM_FSTAB_WO
						    : ZVM_FSTAB_RW;
	entry->read_only = entry->access == ZVM_FSTAB_RO;
	entry->removable = is_removable;
	g_ptr_array_add(p->nvram->fstab, entry);
	return TRUE;
}

static gboolean parse_mapping(Parser *p, const Record *record, GError **error)
{
	static const struct {
		const char *name;
		ZvmMappingMode mode;
	} modes[] = {
	    {"pipe", ZVM_MAPPING_PIPE},
	    {"char", ZVM_MAPPING_CHAR},
	    {"file", ZVM_MAPPING_FILE},
	};
	g_autofree char *channel = decoded_value(p, record, "channel", NULL, error);
	g_autofree char *mode = channel ? decoded_value(p, record, "mode", NULL, error) : NULL;
	if (mode == NULL)
		return FALSE;
	if (!is_channel_alias(channel))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[mapping] channel must be a channel alias such as /dev/input (got %s)",
			    show(p, channel));
	for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
		if (strcmp(mode, modes[i].name) != 0)
			continue;
		ZvmMappingEntry *entry = g_new0(ZvmMappingEntry, 1);
		entry->channel = g_steal_pointer(&channel);
		entry->mode = modes[i].mode;
		g_ptr_array_add(p->nvram->mapping, entry);
		return TRUE;
	}
	return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
		    "[mapping] mode must be pipe, char or file (got %s)", show(p, mode));
}

/* ZRT's log verbosity: the engine has no /dev/debug log, so the value is only checked. */
static gboolean parse_debug(Parser *p, const Record *record, GError **error)
{
	g_autofree char *text = decoded_value(p, record, "verbosity", NULL, error);
	guint64 verbosity;
	if (text == NULL)
		return FALSE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, 4, &verbosity, NULL))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[debug] verbosity must be 0 to 4 (got %s)", show(p, text));
	return TRUE;
}

/* ZRT's zfork() before main: a program here starts once, so the value is only checked. */
static gboolean parse_precache(Parser *p, const Record *record, GError **error)
{
	g_autofree char *text = decoded_value(p, record, "precache", NULL, error);
	gboolean precache;
	if (text == NULL)
		return FALSE;
	if (!yes_no(text, &precache))
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "[precache] precache must be yes or no (got %s)", show(p, text));
	return TRUE;
}

static const Section sections[] = {
    {"args", {"args", NULL}, 1, parse_args},
    {"env", {"name", "value", NULL}, 2, parse_env},
    {"time", {"seconds", NULL}, 1, parse_time},
    {"fstab", {"mountpoint", "channel", "access", "removable", "fsname", NULL}, 1, parse_fstab},
    {"mapping", {"channel", "mode", NULL}, 2, parse_mapping},
    {"debug", {"verbosity", NULL}, 1, parse_debug},
    {"precache", {"precache", NULL}, 1, parse_precache},
};

static gboolean check_keys(Parser *p, const Record *record, GError **error)
{
	const Section *section = p->section;
	for (guint i = 0; i < record->count; i++) {
		const char *key = record->fields[i].key;
		if (!g_strv_contains(section->keys, key)) {
			g_autofree char *known = g_strjoinv(", ", (char **)section->keys);
			return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
				    "[%s] has no key '%s' (known: %s)", section->name, show(p, key),
				    known);
		}
		for (guint j = 0; j < i; j++) {
			if (strcmp(record->fields[j].key, key) == 0)
				return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
					    "[%s] key '%s' given twice in one record",
					    section->name, key);
		}
	}
	for (guint i = 0; i < section->required; i++) {
		if (record_value(record, section->keys[i]) == NULL)
			return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line, "[%s] record has no %s",
				    section->name, section->keys[i]);
	}
	return TRUE;
}

static gboolean parse_header(Parser *p, char *text, GError **error)
{
	char *close = strchr(text, ']');
	if (close == NULL)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "section header '%s' has no closing ']'", show(p, g_strstrip(text)));
	const char *rest = close + 1 + strspn(close + 1, " \t\r");
	*close = '\0';
	const char *name = g_strstrip(text + 1);
	if (*rest != '\0' && *rest != '#')
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "unexpected text after section header [%s]", show(p, name));
	if (++p->sections > NVRAM_MAX_SECTIONS)
		return fail(error, ZVM_NVRAM_ERROR_TOO_LARGE, p->line, "more than %d sections",
			    NVRAM_MAX_SECTIONS);
	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++) {
		if (strcmp(name, sections[i].name) == 0) {
			p->section = &sections[i];
			return TRUE;
		}
	}
	return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
		    "unknown section [%s] (known: args, env, time, fstab, mapping, debug, "
		    "precache)",
		    show(p, name));
}

/* Splits a record line into key=value fields at ','. A '#' where a key is expected starts a
 * comment; inside a value it is an ordinary character, as it often is in arguments. */
static gboolean split_record(Parser *p, char *text, Record *record, GError **error)
{
	char *cursor = text;
	for (;;) {
		char *stop = cursor + strcspn(cursor, "=,#");
		char delimiter = *stop;
		*stop = '\0';
		const char *key = g_strstrip(cursor);
		if (delimiter != '=') {
			if (*key != '\0')
				return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
					    "expected key=value, got '%s'%s", show(p, key),
					    record->count
						? " (a ',' inside a value is written \\x2c)"
						: "");
			if (delimiter != ',')
				return TRUE;
			cursor = stop + 1;
			continue;
		}
		char *value = stop + 1;
		char *end = value + strcspn(value, ",");
		delimiter = *end;
		*end = '\0';
		if (*key == '\0')
			return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
				    "a value without a key ('=%s')", show(p, g_strstrip(value)));
		if (strlen(key) > NVRAM_MAX_KEY_LENGTH)
			return fail(error, ZVM_NVRAM_ERROR_TOO_LARGE, p->line,
				    "key '%s' is longer than %d bytes", show(p, key),
				    NVRAM_MAX_KEY_LENGTH);
		if (record->count == NVRAM_MAX_KEYS)
			return fail(error, ZVM_NVRAM_ERROR_TOO_LARGE, p->line,
				    "a record has more than %d keys", NVRAM_MAX_KEYS);
		record->fields[record->count].key = key;
		record->fields[record->count].value = g_strstrip(value);
		record->count++;
		if (delimiter == '\0')
			return TRUE;
		cursor = end + 1;
	}
}

static gboolean parse_line(Parser *p, char *text, GError **error)
{
	char *start = text + strspn(text, " \t\r");
	if (*start == '\0' || *start == '#')
		return TRUE;
	if (*start == '[')
		return parse_header(p, start, error);
	if (p->section == NULL)
		return fail(error, ZVM_NVRAM_ERROR_SYNTAX, p->line,
			    "a record before any [section]");
	Record record = {0};
	if (!split_record(p, start, &record, error))
		return FALSE;
	if (record.count == 0)
		return TRUE;
	guint *records = &p->records[p->section - sections];
	if (++*records > NVRAM_MAX_RECORDS)
		return fail(error, ZVM_NVRAM_ERROR_TOO_LARGE, p->line,
			    "[%s] has more than %d records", p->section->name, NVRAM_MAX_RECORDS);
	return check_keys(p, &record, error) && p->section->parse(p, &record, error);
}

ZvmNvram *zvm_nvram_parse(const char *text, gsize length, GError **error)
{
	g_return_val_if_fail(text != NULL || length == 0, NULL);
	if (length > NVRAM_MAX_BYTES) {
		fail(error, ZVM_NVRAM_ERROR_TOO_LARGE, 0,
		     "the file is %" G_GSIZE_FORMAT " bytes, over the %d-byte maximum", length,
		     NVRAM_MAX_BYTES);
		return NULL;
	}
	g_auto(Parser) p = {
	    .nvram = g_new0(ZvmNvram, 1),
	    .records = g_new0(guint, G_N_ELEMENTS(sections)),
	    .env = g_ptr_array_new_with_free_func(g_free),
	    .env_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	    .shown = g_ptr_array_new_with_free_func(g_free),
	};
	p.nvram->fstab = g_ptr_array_new_with_free_func((GDestroyNotify)fstab_entry_free);
	p.nvram->mapping = g_ptr_array_new_with_free_func((GDestroyNotify)mapping_entry_free);

	const char *start = text, *end = text + length;
	while (start < end) {
		const char *newline = memchr(start, '\n', end - start);
		const char *line_end = newline ? newline : end;
		p.line++;
		if (memchr(start, '\0', line_end - start)) {
			fail(error, ZVM_NVRAM_ERROR_SYNTAX, p.line, "the line holds a NUL byte");
			return NULL;
		}
		g_autofree char *line = g_strndup(start, line_end - start);
		if (!parse_line(&p, line, error))
			return NULL;
		start = newline ? newline + 1 : end;
	}
	if (p.env->len > 0) {
		g_ptr_array_add(p.env, NULL);
		p.nvram->env = (char **)g_ptr_array_free(g_steal_pointer(&p.env), FALSE);
	}
	return g_steal_pointer(&p.nvram);
}
