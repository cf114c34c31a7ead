/* SPDX-License-Identifier: Apache-2.0 */
/* Operator limits: built-in defaults, the [limits] and [bundle] config groups, size wording. */
#include "zvm-limits.h"

#include <stddef.h>
#include <string.h>

#define KIB ((uint64_t)1 << 10)
#define MIB ((uint64_t)1 << 20)
#define GIB ((uint64_t)1 << 30)
#define TIB ((uint64_t)1 << 40)

/* The most a wasm32 module can address. */
#define WASM32_MAX_MEMORY (4 * GIB)
#define WASM_PAGE_SIZE (64 * KIB)
/* ZeroVM refused manifests with this many channels or more (MAX_CHANNELS_NUMBER). */
#define ZEROVM_CHANNELS_BOUND 10915

void zvm_limits_init(ZvmLimits *limits)
{
	*limits = (ZvmLimits){
	    .max_memory = GIB,
	    .max_timeout = 600,
	    .max_gets = 4294967296,
	    .max_get_size = 4294967296,
	    .max_puts = 4294967296,
	    .max_put_size = 4294967296,
	    .max_channels = 1024,
	    .max_nodes = 64,
	    .default_gets = 4294967296,
	    .default_get_size = 4294967296,
	    .default_puts = 4294967296,
	    .default_put_size = GIB,
	    .bundle_max_bytes = GIB,
	    .bundle_max_archive = GIB,
	    .bundle_max_members = 10000,
	    .bundle_max_name = 1024,
	    .bundle_max_depth = 32,
	    .etag_algorithm = ZVM_ETAG_SHA256,
	};
}

typedef enum {
	FIELD_U64,
	FIELD_U32,
	FIELD_I64,
} FieldType;

typedef struct {
	const char *group;
	const char *key;
	size_t offset;
	FieldType type;
	gboolean is_size; /* accepts K/M/G/T suffixes */
	uint64_t min, max;
	const char *why_max; /* said when a value is over @max, NULL for a plain range */
} LimitKey;

#define KEY(g, k, f, type, size, lo, hi, why)                         \
	{                                                             \
		g, k, offsetof(ZvmLimits, f), type, size, lo, hi, why \
	}
#define U64(g, k, f, size, lo, hi, why) KEY(g, k, f, FIELD_U64, size, lo, hi, why)
#define U32(g, k, f, size, lo, hi, why) KEY(g, k, f, FIELD_U32, size, lo, hi, why)
#define I64(g, k, f, size, lo, hi, why) KEY(g, k, f, FIELD_I64, size, lo, hi, why)

/*
 * Defaults must be at least 1: a zero default would give an omitted standard channel no
 * access at all, and every manifest that omits it would then be refused.
 */
static const LimitKey limit_keys[] = {
    U64("limits", "max_memory", max_memory, TRUE, WASM_PAGE_SIZE, WASM32_MAX_MEMORY,
	"the wasm32 address space"),
    U32("limits", "max_timeout", max_timeout, FALSE, 1, G_MAXUINT32, NULL),
    I64("limits", "max_gets", max_gets, FALSE, 0, G_MAXINT64, NULL),
    I64("limits", "max_get_size", max_get_size, TRUE, 0, G_MAXINT64, NULL),
    I64("limits", "max_puts", max_puts, FALSE, 0, G_MAXINT64, NULL),
    I64("limits", "max_put_size", max_put_size, TRUE, 0, G_MAXINT64, NULL),
    U32("limits", "max_channels", max_channels, FALSE, 1, ZEROVM_CHANNELS_BOUND - 1,
	"ZeroVM's channel bound"),
    U32("limits", "max_nodes", max_nodes, FALSE, 1, 4096, "the bound on one job's processes"),
    I64("limits", "default_gets", default_gets, FALSE, 1, G_MAXINT64, NULL),
    I64("limits", "default_get_size", default_get_size, TRUE, 1, G_MAXINT64, NULL),
    I64("limits", "default_puts", default_puts, FALSE, 1, G_MAXINT64, NULL),
    I64("limits", "default_put_size", default_put_size, TRUE, 1, G_MAXINT64, NULL),
    U64("bundle", "max_bytes", bundle_max_bytes, TRUE, 1, G_MAXUINT64, NULL),
    U64("bundle", "max_archive_bytes", bundle_max_archive, TRUE, 1, G_MAXUINT64, NULL),
    U32("bundle", "max_members", bundle_max_members, FALSE, 1, G_MAXUINT32, NULL),
    U32("bundle", "max_name_length", bundle_max_name, FALSE, 1, G_MAXUINT32, NULL),
    U32("bundle", "max_depth", bundle_max_depth, FALSE, 1, G_MAXUINT32, NULL),
};

typedef enum {
	VALUE_OK,
	VALUE_MALFORMED,
	VALUE_TOO_BIG,
} ValueParse;

/* Parses "1073741824", "1G", "1 GiB", "512K". Only binary units: a memory size in decimal
 * units would rarely be a whole number of wasm pages. */
static ValueParse parse_size(const char *text, uint64_t *value)
{
	static const struct {
		const char *suffix;
		uint64_t factor;
	} units[] = {
	    {"", 1},	{"K", KIB},   {"KiB", KIB}, {"M", MIB},	  {"MiB", MIB},
	    {"G", GIB}, {"GiB", GIB}, {"T", TIB},   {"TiB", TIB},
	};
	const char *p = text;
	while (g_ascii_isdigit(*p))
		p++;
	if (p == text)
		return VALUE_MALFORMED;
	g_autofree char *digits = g_strndup(text, p - text);
	guint64 number;
	gboolean fits = g_ascii_string_to_unsigned(digits, 10, 0, G_MAXUINT64, &number, NULL);
	while (*p == ' ')
		p++;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (strcmp(p, units[i].suffix) != 0)
			continue;
		if (!fits || number > G_MAXUINT64 / units[i].factor)
			return VALUE_TOO_BIG;
		*value = number * units[i].factor;
		return VALUE_OK;
	}
	return VALUE_MALFORMED;
}

gboolean zvm_size_parse(const char *text, uint64_t *bytes)
{
	uint64_t value;
	if (parse_size(text, &value) != VALUE_OK)
		return FALSE;
	*bytes = value;
	return TRUE;
}

static ValueParse parse_count(const char *text, uint64_t *value)
{
	guint64 number;
	g_autoptr(GError) error = NULL;
	if (g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &number, &error)) {
		*value = number;
		return VALUE_OK;
	}
	return g_error_matches(error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS)
		   ? VALUE_TOO_BIG
		   : VALUE_MALFORMED;
}

static void store(ZvmLimits *limits, const LimitKey *key, uint64_t value)
{
	void *field = (char *)limits + key->offset;
	switch (key->type) {
	case FIELD_U64:
		*(uint64_t *)field = value;
		break;
	case FIELD_U32:
		*(uint32_t *)field = (uint32_t)value;
		break;
	case FIELD_I64:
		*(int64_t *)field = (int64_t)value;
		break;
	default:
		g_assert_not_reached();
	}
}

static char *describe_bound(const LimitKey *key, uint64_t bound)
{
	if (key->is_size && bound >= KIB)
		return zvm_format_size(bound);
	return g_strdup_printf("%" G_GUINT64_FORMAT, bound);
}

static gboolean load_key(ZvmLimits *limits, GKeyFile *keyfile, const LimitKey *key, GError **error)
{
	g_autofree char *text = g_key_file_get_string(keyfile, key->group, key->key, NULL);
	if (text == NULL)
		return TRUE;
	g_strstrip(text);
	uint64_t value = 0;
	ValueParse parsed = key->is_size ? parse_size(text, &value) : parse_count(text, &value);
	if (parsed == VALUE_MALFORMED) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[%s] %s must be %s (got '%s')", key->group, key->key,
			    key->is_size ? "a size in bytes (a K, M, G or T suffix is allowed)"
					 : "a whole number",
			    text);
		return FALSE;
	}
	if (parsed == VALUE_TOO_BIG || value > key->max) {
		g_autofree char *max = describe_bound(key, key->max);
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[%s] %s may not exceed %s%s%s (got '%s')", key->group, key->key, max,
			    key->why_max ? ", " : "", key->why_max ? key->why_max : "", text);
		return FALSE;
	}
	if (value < key->min) {
		g_autofree char *min = describe_bound(key, key->min);
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[%s] %s must be at least %s (got '%s')", key->group, key->key, min,
			    text);
		return FALSE;
	}
	store(limits, key, value);
	return TRUE;
}

static gboolean check_known_keys(GKeyFile *keyfile, const char *group, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, group, NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		gboolean known = strcmp(group, "limits") == 0 && strcmp(*k, "etag") == 0;
		for (size_t i = 0; !known && i < G_N_ELEMENTS(limit_keys); i++)
			known = strcmp(limit_keys[i].group, group) == 0 &&
				strcmp(limit_keys[i].key, *k) == 0;
		if (!known) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				    "[%s] has no setting '%s'", group, *k);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean load_etag(ZvmLimits *limits, GKeyFile *keyfile, GError **error)
{
	static const struct {
		const char *name;
		ZvmEtagAlgorithm algorithm;
	} names[] = {
	    {"md5", ZVM_ETAG_MD5},
	    {"sha1", ZVM_ETAG_SHA1},
	    {"sha256", ZVM_ETAG_SHA256},
	};
	g_autofree char *text = g_key_file_get_string(keyfile, "limits", "etag", NULL);
	if (text == NULL)
		return TRUE;
	g_strstrip(text);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		if (strcmp(text, names[i].name) == 0) {
			limits->etag_algorithm = names[i].algorithm;
			return TRUE;
		}
	}
	g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		    "[limits] etag must be md5, sha1 or sha256 (got '%s')", text);
	return FALSE;
}

/* A default above its maximum would hand omitted standard channels more than any manifest
 * may ask for. */
static gboolean check_defaults(const ZvmLimits *limits, GError **error)
{
	static const struct {
		const char *name;
		size_t value, max;
	} pairs[] = {
	    {"gets", offsetof(ZvmLimits, default_gets), offsetof(ZvmLimits, max_gets)},
	    {"get_size", offsetof(ZvmLimits, default_get_size), offsetof(ZvmLimits, max_get_size)},
	    {"puts", offsetof(ZvmLimits, default_puts), offsetof(ZvmLimits, max_puts)},
	    {"put_size", offsetof(ZvmLimits, default_put_size), offsetof(ZvmLimits, max_put_size)},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++) {
		int64_t value = *(const int64_t *)((const char *)limits + pairs[i].value);
		int64_t max = *(const int64_t *)((const char *)limits + pairs[i].max);
		if (value > max) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "[limits] default_%s (%" G_GINT64_FORMAT
				    ") is over max_%s (%" G_GINT64_FORMAT ")",
				    pairs[i].name, value, pairs[i].name, max);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean zvm_limits_load(ZvmLimits *limits, GKeyFile *keyfile, GError **error)
{
	ZvmLimits loaded = *limits;
	if (!check_known_keys(keyfile, "limits", error) ||
	    !check_known_keys(keyfile, "bundle", error))
		return FALSE;
	for (size_t i = 0; i < G_N_ELEMENTS(limit_keys); i++) {
		if (!load_key(&loaded, keyfile, &limit_keys[i], error))
			return FALSE;
	}
	if (!load_etag(&loaded, keyfile, error) || !check_defaults(&loaded, error))
		return FALSE;
	*limits = loaded;
	return TRUE;
}

char *zvm_format_size(uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (bytes < KIB)
		return g_strdup_printf("%" G_GUINT64_FORMAT " byte%s", bytes,
				       bytes == 1 ? "" : "s");
	size_t unit = 0;
	while (unit + 1 < G_N_ELEMENTS(units) && bytes >= KIB << (10 * (unit + 1)))
		unit++;
	uint64_t factor = KIB << (10 * unit);
	if (bytes % factor == 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT " %s", bytes / factor, units[unit]);
	/* Tenths, rounded half up, in integers: a double cannot hold every uint64. The
	 * remainder is below 2^60, so ten times it still fits. */
	uint64_t tenths = (bytes / factor) * 10 + ((bytes % factor) * 10 + factor / 2) / factor;
	if (tenths >= 10240 && unit + 1 < G_N_ELEMENTS(units)) {
		/* 1023.96 KiB rounds to 1024.0 KiB, which a person reads as 1.0 MiB. */
		tenths = 10;
		unit++;
	}
	return g_strdup_printf("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT " %s", tenths / 10,
			       tenths % 10, units[unit]);
}
