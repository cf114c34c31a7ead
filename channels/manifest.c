/* SPDX-License-Identifier: Apache-2.0 */
/* The manifest parser: ZeroVM's 20130611 keywords and channel checks, with docs/spec.md §2's names.
 */
#include "manifest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "names.h"
#include "text.h"

/* ZeroVM's bounds on the manifest text (MANIFEST_SIZE_LIMIT, MANIFEST_LINES_LIMIT). */
#define MANIFEST_MAX_BYTES 0x80000
#define MANIFEST_MAX_LINES 0x2000
#define CHANNEL_TOKENS 8
/* sun_path of a unix socket, as ZeroVM bounded Job. */
#define JOB_PATH_MAX 108
#define WASM_PAGE_SIZE 65536
/* Longest piece of user text quoted in a message, in characters. */
#define SHOW_MAX 80

/* clang-format off */
G_DEFINE_QUARK(zvm-manifest-error-quark, zvm_manifest_error)
/* clang-format on */

static void channel_spec_free(ZvmChannelSpec *spec)
{
	if (spec == NULL)
		return;
	g_free(spec->uri);
	g_free(spec->alias);
	g_free(spec);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmChannelSpec, channel_spec_free)

void zvm_manifest_free(ZvmManifest *manifest)
{
	if (manifest == NULL)
		return;
	g_free(manifest->program);
	g_free(manifest->job);
	g_free(manifest->etag);
	g_free(manifest->name_server);
	g_clear_pointer(&manifest->channels, g_ptr_array_unref);
	g_free(manifest);
}

const ZvmChannelSpec *zvm_manifest_find_channel(const ZvmManifest *manifest, const char *alias)
{
	g_return_val_if_fail(manifest != NULL && alias != NULL, NULL);
	for (guint i = 0; i < manifest->channels->len; i++) {
		const ZvmChannelSpec *spec = manifest->channels->pdata[i];
		if (strcmp(spec->alias, alias) == 0)
			return spec;
	}
	return NULL;
}

typedef struct {
	const ZvmLimits *limits;
	ZvmManifest *manifest;
	guint line;
	guint *seen; /* per keyword, line of its first occurrence */
	guint channel_lines;
	guint name_server_line;
	GHashTable *aliases;	 /* alias -> ZvmChannelSpec*, borrowed */
	GHashTable *outputs;	 /* output name -> ZvmChannelSpec* writing it */
	GHashTable *output_dirs; /* directory above an output -> ZvmChannelSpec* */
	GPtrArray *shown;	 /* strings quoted in messages */
	gboolean node;		 /* a system map node: pipe: channels are allowed */
} Parser;

static void parser_clear(Parser *p)
{
	g_clear_pointer(&p->manifest, zvm_manifest_free);
	g_clear_pointer(&p->seen, g_free);
	g_clear_pointer(&p->aliases, g_hash_table_unref);
	g_clear_pointer(&p->outputs, g_hash_table_unref);
	g_clear_pointer(&p->output_dirs, g_hash_table_unref);
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

static gboolean fail(GError **error, ZvmManifestError code, guint line, const char *format, ...)
    G_GNUC_PRINTF(4, 5);

/* Always FALSE, so a check can `return fail(...)`. @line 0 is a whole-manifest error. */
static gboolean fail(GError **error, ZvmManifestError code, guint line, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	g_autofree char *reason = g_strdup_vprintf(format, args);
	va_end(args);
	if (line > 0)
		g_set_error(error, ZVM_MANIFEST_ERROR, code, "MANIFEST %u: %s", line, reason);
	else
		g_set_error(error, ZVM_MANIFEST_ERROR, code, "MANIFEST: %s", reason);
	return FALSE;
}

/* "8 GiB" when exact, else the bytes, so that a value just over a maximum is not shown as
 * equal to it. */
static const char *show_size(Parser *p, int64_t bytes)
{
	char *text = NULL;
	if (bytes >= 0) {
		text = zvm_format_size((uint64_t)bytes);
		if (strchr(text, '.'))
			g_clear_pointer(&text, g_free);
	}
	if (text == NULL)
		text = g_strdup_printf("%" G_GINT64_FORMAT " bytes", bytes);
	g_ptr_array_add(p->shown, text);
	return text;
}

/* ZeroVM's ToInt: decimal, 0x hex or leading-0 octal, the whole token and nothing else. */
static gboolean parse_number(Parser *p, const char *token, const char *what, int64_t *value,
			     GError **error)
{
	char *end = NULL;
	errno = 0;
	gint64 number = g_ascii_strtoll(token, &end, 0);
	if (*token == '\0' || end == token || *end != '\0' || errno == ERANGE)
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid numeric value '%s' for %s", show(p, token), what);
	*value = number;
	return TRUE;
}

/* Splits a compound value on ',' into stripped tokens. */
static char **split_tokens(const char *value, guint *count)
{
	char **tokens = g_strsplit(value, ",", -1);
	for (char **t = tokens; *t; t++)
		g_strstrip(*t);
	*count = g_strv_length(tokens);
	return tokens;
}

static gboolean parse_version(Parser *p, const char *value, GError **error)
{
	if (strcmp(value, ZVM_MANIFEST_VERSION) != 0)
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid manifest version '%s' (expected " ZVM_MANIFEST_VERSION ")",
			    show(p, value));
	return TRUE;
}

static gboolean parse_program(Parser *p, const char *value, GError **error)
{
	if (*value == '/')
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid program name (only names inside the bundle are allowed, "
			    "got '%s')",
			    show(p, value));
	const char *problem = zvm_name_problem(value);
	if (problem)
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid program name '%s' (%s)", show(p, value), problem);
	p->manifest->program = g_strdup(value);
	return TRUE;
}

static gboolean parse_memory(Parser *p, const char *value, GError **error)
{
	guint count;
	g_auto(GStrv) tokens = split_tokens(value, &count);
	if (count != 2)
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid memory tokens number (%u; expected <bytes>,<etag 0|1>)",
			    count);
	int64_t size, etag;
	if (!parse_number(p, tokens[0], "the memory size", &size, error))
		return FALSE;
	if (size < WASM_PAGE_SIZE)
		return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
			    "invalid memory size (%s is less than one 64 KiB wasm page)",
			    show_size(p, size));
	if ((uint64_t)size > p->limits->max_memory)
		return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
			    "invalid memory size (%s over the %s maximum)", show_size(p, size),
			    show_size(p, (int64_t)p->limits->max_memory));
	if (!parse_number(p, tokens[1], "the memory etag", &etag, error))
		return FALSE;
	if (etag != 0 && etag != 1)
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid memory etag token '%s' (must be 0 or 1)", show(p, tokens[1]));
	p->manifest->memory = (uint64_t)size;
	p->manifest->memory_etag = etag == 1;
	return TRUE;
}

static gboolean parse_timeout(Parser *p, const char *value, GError **error)
{
	int64_t seconds;
	if (!parse_number(p, value, "the timeout", &seconds, error))
		return FALSE;
	if (seconds < 1)
		return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
			    "invalid timeout (%" G_GINT64_FORMAT "; must be at least 1 s)",
			    seconds);
	if (seconds > p->limits->max_timeout)
		return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
			    "invalid timeout (%" G_GINT64_FORMAT " s over the %u s maximum)",
			    seconds, p->limits->max_timeout);
	p->manifest->timeout = (uint32_t)seconds;
	return TRUE;
}

static gboolean parse_node(Parser *p, const char *value, GError **error)
{
	int64_t node;
	if (!parse_number(p, value, "the node", &node, error))
		return FALSE;
	if (node < 1 || node > G_MAXINT32)
		return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
			    "invalid node (%" G_GINT64_FORMAT "; must be 1 to 2147483647)", node);
	p->manifest->node = node;
	return TRUE;
}

static gboolean parse_job(Parser *p, const char *value, GError **error)
{
	size_t length = strlen(value);
	if (length == 0 || length > JOB_PATH_MAX)
		return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
			    "invalid job socket path (%zu bytes; must be 1 to 108)", length);
	p->manifest->job = g_strdup(value);
	return TRUE;
}

static gboolean parse_etag(Parser *p, const char *value, GError **error)
{
	p->manifest->etag = g_strdup(value);
	return TRUE;
}

static gboolean name_server_is_valid(const char *value)
{
	if (g_ascii_strncasecmp(value, "udp:", 4) != 0)
		return FALSE;
	const char *host = value + 4;
	const char *colon = strrchr(host, ':');
	if (colon == NULL || colon == host)
		return FALSE;
	g_autofree char *host_text = g_strndup(host, colon - host);
	guint64 number;
	if (strchr(host_text, '.')) {
		struct in_addr address;
		if (inet_pton(AF_INET, host_text, &address) != 1)
			return FALSE;
	} else if (!g_ascii_string_to_unsigned(host_text, 10, 0, G_MAXUINT32, &number, NULL)) {
		return FALSE;
	}
	return g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &number, NULL);
}

static gboolean parse_name_server(Parser *p, const char *value, GError **error)
{
	if (!name_server_is_valid(value))
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid name server '%s' (expected udp:<host>:<port>)",
			    show(p, value));
	p->manifest->name_server = g_strdup(value);
	p->name_server_line = p->line;
	return TRUE;
}

/* Finds the channel whose output clashes with @name: the same file, or one of the two a
 * directory of the other. */
static const ZvmChannelSpec *output_clash(Parser *p, const char *name)
{
	const ZvmChannelSpec *other = g_hash_table_lookup(p->outputs, name);
	if (other == NULL)
		other = g_hash_table_lookup(p->output_dirs, name);
	for (const char *slash = strchr(name, '/'); other == NULL && slash;
	     slash = strchr(slash + 1, '/')) {
		g_autofree char *directory = g_strndup(name, slash - name);
		other = g_hash_table_lookup(p->outputs, directory);
	}
	return other;
}

static void add_output(Parser *p, ZvmChannelSpec *spec)
{
	g_hash_table_insert(p->outputs, g_strdup(spec->uri), spec);
	for (const char *slash = strchr(spec->uri, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *directory = g_strndup(spec->uri, slash - spec->uri);
		if (g_hash_table_contains(p->output_dirs, directory))
			g_free(directory);
		else
			g_hash_table_insert(p->output_dirs, directory, spec);
	}
}

static gboolean check_output(Parser *p, ZvmChannelSpec *spec, GError **error)
{
	const char *uri = spec->uri;
	if (*uri == '/')
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: only names inside the job directory are allowed (got '%s')",
			    spec->alias, show(p, uri));
	const char *problem = zvm_name_problem(uri);
	if (problem)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: invalid output name '%s' (%s)", spec->alias, show(p, uri),
			    problem);
	if (zvm_output_name_is_reserved(uri))
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: output name '%s' is taken by the job directory (status, manifest, "
			    "report, accounting, wait and ctl are reserved)",
			    spec->alias, show(p, uri));
	const ZvmChannelSpec *other = output_clash(p, uri);
	if (other && strcmp(other->uri, uri) == 0)
		return fail(error, ZVM_MANIFEST_ERROR_DUPLICATE, p->line,
			    "%s and %s both write output '%s'", other->alias, spec->alias,
			    show(p, uri));
	if (other)
		return fail(error, ZVM_MANIFEST_ERROR_DUPLICATE, p->line,
			    "%s writes '%s' and %s writes '%s': one output cannot be a directory "
			    "of another",
			    other->alias, show(p, other->uri), spec->alias, show(p, uri));
	spec->kind = ZVM_URI_OUTPUT;
	add_output(p, spec);
	return TRUE;
}

static gboolean check_data_uri(Parser *p, ZvmChannelSpec *spec, GError **error)
{
	const char *rest = spec->uri + strlen("data:");
	const char *slash = strchr(rest, '/');
	if (spec->access & ZVM_ACCESS_WRITE)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: data: channels are read-only (set puts and put_size to 0)",
			    spec->alias);
	g_autofree char *root = slash ? g_strndup(rest, slash - rest) : NULL;
	if (root == NULL || zvm_name_problem(root) || zvm_name_problem(slash + 1))
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: invalid data URI '%s' (expected data:<root>/<path>, relative "
			    "names without empty, '.' or '..' components)",
			    spec->alias, show(p, spec->uri));
	if (strpbrk(slash + 1, "*?["))
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: '%s' has a wildcard; a manifest names one file (a system map "
			    "makes one node per matching file)",
			    spec->alias, show(p, spec->uri));
	const char *const *exported = p->limits->data_roots;
	if (exported == NULL || exported[0] == NULL)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: '%s' names data root '%s', but this gateway exports no data "
			    "roots",
			    spec->alias, show(p, spec->uri), show(p, root));
	if (!g_strv_contains(exported, root)) {
		g_autofree char *names = g_strjoinv(", ", (char **)exported);
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: '%s' names data root '%s', which is not exported (exported: %s)",
			    spec->alias, show(p, spec->uri), show(p, root), show(p, names));
	}
	spec->kind = ZVM_URI_DATA;
	return TRUE;
}

/* pipe:<writer>-><reader>, written by the system map's expander (channels/sysmap.h): one
 * direction of a sequential byte stream between two nodes of the job. */
static gboolean check_pipe_uri(Parser *p, ZvmChannelSpec *spec, GError **error)
{
	const char *rest = spec->uri + strlen("pipe:");
	const char *arrow = strstr(rest, "->");
	if (arrow == NULL || arrow == rest || arrow[2] == '\0' || strstr(arrow + 2, "->") ||
	    strchr(rest, '/'))
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: invalid pipe URI '%s' (expected pipe:<writer>-><reader>)",
			    spec->alias, show(p, spec->uri));
	if (spec->type != 0 || spec->access == ZVM_ACCESS_READ_WRITE)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: a pipe is sequential (type 0) and one-way (read or write limits, "
			    "not both)",
			    spec->alias);
	spec->kind = ZVM_URI_PIPE;
	return TRUE;
}

/* ZeroVM's network protocols: a URI that names one came from a ZeroVM cluster setup, and
 * deserves a better answer than "no such member". */
static gboolean is_network_uri(const char *uri)
{
	static const char *const protocols[] = {"tcp", "udp", "ipc", "inproc", "pgm", "epgm"};
	size_t length = strcspn(uri, ":");
	if (uri[length] != ':')
		return FALSE;
	for (size_t i = 0; i < G_N_ELEMENTS(protocols); i++) {
		if (strlen(protocols[i]) == length &&
		    g_ascii_strncasecmp(uri, protocols[i], length) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean classify_uri(Parser *p, ZvmChannelSpec *spec, GError **error)
{
	const char *uri = spec->uri;
	if (*uri == '\0')
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line, "%s: the URI is empty",
			    spec->alias);
	if (strcmp(uri, "/dev/null") == 0) {
		spec->kind = ZVM_URI_NULL;
		return TRUE;
	}
	if (strcmp(uri, "/dev/zero") == 0) {
		if (spec->access & ZVM_ACCESS_WRITE)
			return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
				    "%s: /dev/zero can only be read (set puts and put_size to 0)",
				    spec->alias);
		spec->kind = ZVM_URI_ZERO;
		return TRUE;
	}
	if (g_str_has_prefix(uri, "data:"))
		return check_data_uri(p, spec, error);
	if (g_str_has_prefix(uri, "pipe:") && p->node)
		return check_pipe_uri(p, spec, error);
	if (g_str_has_prefix(uri, "pipe:"))
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: pipe channels exist only between nodes of a system map",
			    spec->alias);
	if (is_network_uri(uri))
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: network channels ('%s') are not supported", spec->alias,
			    show(p, uri));
	if (spec->access != ZVM_ACCESS_READ)
		return check_output(p, spec, error);
	if (*uri == '/')
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: only names inside the bundle are allowed (got '%s')", spec->alias,
			    show(p, uri));
	const char *problem = zvm_name_problem(uri);
	if (problem)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: invalid member name '%s' (%s)", spec->alias, show(p, uri),
			    problem);
	spec->kind = ZVM_URI_MEMBER;
	return TRUE;
}

static ZvmAccess access_from_limits(const int64_t *limits)
{
	ZvmAccess access = ZVM_ACCESS_NONE;
	if (limits[ZVM_LIMIT_GETS] && limits[ZVM_LIMIT_GET_SIZE])
		access |= ZVM_ACCESS_READ;
	if (limits[ZVM_LIMIT_PUTS] && limits[ZVM_LIMIT_PUT_SIZE])
		access |= ZVM_ACCESS_WRITE;
	return access;
}

static gboolean parse_limits(Parser *p, ZvmChannelSpec *spec, char **tokens, GError **error)
{
	static const char *const names[ZVM_LIMIT_COUNT] = {"gets", "get_size", "puts", "put_size"};
	const int64_t maxima[ZVM_LIMIT_COUNT] = {
	    p->limits->max_gets,
	    p->limits->max_get_size,
	    p->limits->max_puts,
	    p->limits->max_put_size,
	};
	gboolean all_zero = TRUE;
	for (int i = 0; i < ZVM_LIMIT_COUNT; i++) {
		g_autofree char *what = g_strdup_printf("%s of %s", names[i], spec->alias);
		int64_t value;
		if (!parse_number(p, tokens[i], what, &value, error))
			return FALSE;
		if (value < 0)
			return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
				    "negative limits for %s (%s %" G_GINT64_FORMAT ")", spec->alias,
				    names[i], value);
		if (value > maxima[i])
			return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
				    "channel %s: %s %" G_GINT64_FORMAT
				    " over the maximum %" G_GINT64_FORMAT,
				    spec->alias, names[i], value, maxima[i]);
		spec->limits[i] = value;
		all_zero = all_zero && value == 0;
	}
	if (all_zero)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: invalid i/o type (all limits are 0)", spec->alias);
	spec->access = access_from_limits(spec->limits);
	if (spec->access == ZVM_ACCESS_NONE)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: invalid i/o type (reading needs gets and get_size above 0, "
			    "writing needs puts and put_size above 0)",
			    spec->alias);
	return TRUE;
}

static gboolean check_type(Parser *p, ZvmChannelSpec *spec, GError **error)
{
	if (spec->access != ZVM_ACCESS_READ_WRITE)
		return TRUE;
	if (spec->type == 0)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: sequential channels cannot have r/w access (type 0 with read and "
			    "write limits; use type 1 or 3)",
			    spec->alias);
	if (spec->type == 2)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: r/w access is not supported for type 2 (sequential read, random "
			    "write); use type 3",
			    spec->alias);
	return TRUE;
}

static gboolean parse_channel(Parser *p, const char *value, GError **error)
{
	if (++p->channel_lines > p->limits->max_channels)
		return fail(error, ZVM_MANIFEST_ERROR_LIMIT, p->line,
			    "channels number reached maximum (%u)", p->limits->max_channels);
	guint count;
	g_auto(GStrv) tokens = split_tokens(value, &count);
	if (count != CHANNEL_TOKENS)
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid channel tokens number (%u; expected 8: uri, alias, type, "
			    "etag, gets, get_size, puts, put_size)",
			    count);
	const char *alias = tokens[1];
	const char *problem = zvm_alias_problem(alias);
	if (problem)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "invalid channel alias '%s' (%s)", show(p, alias), problem);
	const ZvmChannelSpec *first = g_hash_table_lookup(p->aliases, alias);
	if (first)
		return fail(error, ZVM_MANIFEST_ERROR_DUPLICATE, p->line,
			    "%s is already allocated (line %u)", alias, first->line);
	if (strchr(tokens[0], ';'))
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s: replicated channels (several URIs joined by ';') are not "
			    "supported",
			    alias);

	g_autoptr(ZvmChannelSpec) spec = g_new0(ZvmChannelSpec, 1);
	spec->alias = g_strdup(alias);
	spec->uri = g_strdup(tokens[0]);
	spec->line = p->line;
	int64_t type, etag;
	g_autofree char *type_what = g_strdup_printf("the type of %s", alias);
	if (!parse_number(p, tokens[2], type_what, &type, error))
		return FALSE;
	if (type < 0 || type > 3)
		return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, p->line,
			    "%s has invalid type %" G_GINT64_FORMAT " (must be 0 to 3)", alias,
			    type);
	spec->type = (int)type;
	g_autofree char *etag_what = g_strdup_printf("the etag of %s", alias);
	if (!parse_number(p, tokens[3], etag_what, &etag, error))
		return FALSE;
	if (etag != 0 && etag != 1)
		return fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p->line,
			    "invalid channel numeric token (the etag of %s must be 0 or 1, got "
			    "'%s')",
			    alias, show(p, tokens[3]));
	spec->etag = etag == 1;
	if (!parse_limits(p, spec, tokens + 4, error) || !check_type(p, spec, error) ||
	    !classify_uri(p, spec, error))
		return FALSE;
	g_hash_table_insert(p->aliases, spec->alias, spec);
	g_ptr_array_add(p->manifest->channels, g_steal_pointer(&spec));
	return TRUE;
}

typedef gboolean (*KeywordParser)(Parser *p, const char *value, GError **error);

/* ZeroVM's KEYWORDS table, in the order missing obligatory keys are reported. */
static const struct {
	const char *name;
	gboolean obligatory;
	gboolean once;
	KeywordParser parse;
} keywords[] = {
    {"Version", TRUE, TRUE, parse_version},   {"Program", TRUE, TRUE, parse_program},
    {"Memory", TRUE, TRUE, parse_memory},     {"Timeout", TRUE, TRUE, parse_timeout},
    {"Channel", FALSE, FALSE, parse_channel}, {"NameServer", FALSE, TRUE, parse_name_server},
    {"Node", FALSE, TRUE, parse_node},	      {"Job", FALSE, TRUE, parse_job},
    {"Etag", FALSE, TRUE, parse_etag},
};

static gboolean parse_line(Parser *p, const char *start, size_t length, GError **error)
{
	const char *equals = memchr(start, '=', length);
	/* ZeroVM counts a line only when it splits into exactly two tokens. */
	if (equals == NULL || memchr(equals + 1, '=', length - (equals + 1 - start)))
		return TRUE;
	g_autofree char *key = g_strstrip(g_strndup(start, equals - start));
	g_autofree char *value = g_strstrip(g_strndup(equals + 1, length - (equals + 1 - start)));
	for (size_t i = 0; i < G_N_ELEMENTS(keywords); i++) {
		if (strcmp(key, keywords[i].name) != 0)
			continue;
		if (keywords[i].once && p->seen[i])
			return fail(error, ZVM_MANIFEST_ERROR_DUPLICATE, p->line,
				    "duplicate %s keyword (first on line %u)", key, p->seen[i]);
		if (p->seen[i] == 0)
			p->seen[i] = p->line;
		return keywords[i].parse(p, value, error);
	}
	return TRUE;
}

static gboolean check_text_size(const char *text, gsize length, GError **error)
{
	if (length > MANIFEST_MAX_BYTES)
		return fail(error, ZVM_MANIFEST_ERROR_TOO_LARGE, 0,
			    "the manifest is %" G_GSIZE_FORMAT " bytes, over the 512 KiB maximum",
			    length);
	gsize lines = 0;
	for (const char *p = text, *end = text + length; p < end; lines++) {
		const char *newline = memchr(p, '\n', end - p);
		p = newline ? newline + 1 : end;
	}
	if (lines > MANIFEST_MAX_LINES)
		return fail(error, ZVM_MANIFEST_ERROR_TOO_LARGE, 0,
			    "the manifest has %" G_GSIZE_FORMAT " lines, over the 8192 maximum",
			    lines);
	return TRUE;
}

static gboolean check_obligatory(Parser *p, GError **error)
{
	for (size_t i = 0; i < G_N_ELEMENTS(keywords); i++) {
		if (keywords[i].obligatory && p->seen[i] == 0)
			return fail(error, ZVM_MANIFEST_ERROR_MISSING, 0, "%s not specified",
				    keywords[i].name);
	}
	if (p->manifest->name_server && p->manifest->node == 0)
		return fail(error, ZVM_MANIFEST_ERROR_MISSING, p->name_server_line,
			    "invalid node (a NameServer needs a Node line)");
	return TRUE;
}

/* docs/spec.md §2: an omitted /dev/stdin reads /dev/null, an omitted /dev/stdout or /dev/stderr
 * writes the file of that name in the job directory, with the operator's defaults. */
static gboolean add_standard_channels(Parser *p, GError **error)
{
	const int64_t read_limits[ZVM_LIMIT_COUNT] = {p->limits->default_gets,
						      p->limits->default_get_size, 0, 0};
	const int64_t write_limits[ZVM_LIMIT_COUNT] = {0, 0, p->limits->default_puts,
						       p->limits->default_put_size};
	const struct {
		const char *alias;
		const char *uri;
		ZvmUriKind kind;
		ZvmAccess needs;
		const int64_t *limits;
	} standard[] = {
	    {"/dev/stdin", "/dev/null", ZVM_URI_NULL, ZVM_ACCESS_READ, read_limits},
	    {"/dev/stdout", "stdout", ZVM_URI_OUTPUT, ZVM_ACCESS_WRITE, write_limits},
	    {"/dev/stderr", "stderr", ZVM_URI_OUTPUT, ZVM_ACCESS_WRITE, write_limits},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(standard); i++) {
		gboolean reads = standard[i].needs == ZVM_ACCESS_READ;
		const ZvmChannelSpec *given = g_hash_table_lookup(p->aliases, standard[i].alias);
		if (given && !(given->access & standard[i].needs))
			return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, given->line,
				    "%s must be %s (set %s above 0)", standard[i].alias,
				    reads ? "readable" : "writable",
				    reads ? "gets and get_size" : "puts and put_size");
		if (given)
			continue;
		g_autoptr(ZvmChannelSpec) spec = g_new0(ZvmChannelSpec, 1);
		spec->alias = g_strdup(standard[i].alias);
		spec->uri = g_strdup(standard[i].uri);
		spec->kind = standard[i].kind;
		memcpy(spec->limits, standard[i].limits, sizeof(spec->limits));
		spec->access = access_from_limits(spec->limits);
		if (!(spec->access & standard[i].needs))
			return fail(error, ZVM_MANIFEST_ERROR_CHANNEL, 0,
				    "%s is missing and the operator's default limits make it "
				    "unusable; declare it in the manifest",
				    standard[i].alias);
		const ZvmChannelSpec *other =
		    spec->kind == ZVM_URI_OUTPUT ? output_clash(p, spec->uri) : NULL;
		if (other)
			return fail(error, ZVM_MANIFEST_ERROR_DUPLICATE, other->line,
				    "%s is missing, so it would write '%s', but %s writes '%s'; "
				    "declare %s or choose another output name",
				    spec->alias, spec->uri, other->alias, show(p, other->uri),
				    spec->alias);
		if (spec->kind == ZVM_URI_OUTPUT)
			add_output(p, spec);
		g_ptr_array_add(p->manifest->channels, g_steal_pointer(&spec));
	}
	return TRUE;
}

static ZvmManifest *manifest_parse(const char *text, gsize length, const ZvmLimits *limits,
				   gboolean node, GError **error)
{
	g_return_val_if_fail(text != NULL || length == 0, NULL);
	g_return_val_if_fail(limits != NULL, NULL);
	if (!check_text_size(text, length, error))
		return NULL;

	g_auto(Parser) p = {
	    .limits = limits,
	    .manifest = g_new0(ZvmManifest, 1),
	    .seen = g_new0(guint, G_N_ELEMENTS(keywords)),
	    .aliases = g_hash_table_new(g_str_hash, g_str_equal),
	    .outputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	    .output_dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	    .shown = g_ptr_array_new_with_free_func(g_free),
	    .node = node,
	};
	p.manifest->channels = g_ptr_array_new_with_free_func((GDestroyNotify)channel_spec_free);

	const char *start = text, *end = text + length;
	while (start < end) {
		const char *newline = memchr(start, '\n', end - start);
		const char *line_end = newline ? newline : end;
		p.line++;
		if (memchr(start, '\0', line_end - start)) {
			fail(error, ZVM_MANIFEST_ERROR_SYNTAX, p.line, "the line holds a NUL byte");
			return NULL;
		}
		if (!parse_line(&p, start, line_end - start, error))
			return NULL;
		start = newline ? newline + 1 : end;
	}
	if (!check_obligatory(&p, error) || !add_standard_channels(&p, error))
		return NULL;
	return g_steal_pointer(&p.manifest);
}

ZvmManifest *zvm_manifest_parse(const char *text, gsize length, const ZvmLimits *limits,
				GError **error)
{
	return manifest_parse(text, length, limits, FALSE, error);
}

ZvmManifest *zvm_manifest_parse_node(const char *text, gsize length, const ZvmLimits *limits,
				     GError **error)
{
	return manifest_parse(text, length, limits, TRUE, error);
}
