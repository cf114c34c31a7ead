/* SPDX-License-Identifier: Apache-2.0 */
/* The system map: ZeroCloud's JSON job description, checked and expanded into nodes. */
#include "sysmap.h"

#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>

#include "manifest.h"
#include "sysmap-private.h"
#include "text.h"

#define GROUP_NAME_MAX 64
/* ZeroCloud's default zerovm_timeout was 10 s; ours leaves room for real work. */
#define DEFAULT_TIMEOUT 60

/* clang-format off */
G_DEFINE_QUARK(zvm-sysmap-error-quark, zvm_sysmap_error)
/* clang-format on */

/* The devices ZeroCloud knew, as channels (reference §6.1, CHANNEL_TYPE_MAP). */
static const DeviceKind device_kinds[] = {
    {"stdin", TRUE, 0}, {"stdout", FALSE, 0}, {"stderr", FALSE, 0},
    {"input", TRUE, 3}, {"output", FALSE, 3}, {"image", TRUE, 3},
};

static void device_free(Device *device)
{
	g_free(device->path);
	g_free(device);
}

static void group_free(Group *group)
{
	g_free(group->label);
	g_free(group->name);
	g_free(group->exec_path);
	g_free(group->exec_name);
	g_clear_pointer(&group->args, g_ptr_array_unref);
	g_clear_pointer(&group->env, g_ptr_array_unref);
	g_clear_pointer(&group->devices, g_ptr_array_unref);
	g_clear_pointer(&group->connect, g_ptr_array_unref);
	g_clear_pointer(&group->matches, g_ptr_array_unref);
	g_free(group);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Group, group_free)

static void node_free(ZvmSysmapNode *node)
{
	g_free(node->name);
	g_free(node->group);
	g_free(node->manifest);
	g_free(node->nvram);
	g_free(node);
}

void zvm_sysmap_free(ZvmSysmap *map)
{
	if (map == NULL)
		return;
	g_clear_pointer(&map->nodes, g_ptr_array_unref);
	g_free(map);
}

static gboolean fail(GError **error, ZvmSysmapError code, const Group *group, const char *format,
		     ...) G_GNUC_PRINTF(4, 5);

static gboolean fail(GError **error, ZvmSysmapError code, const Group *group, const char *format,
		     ...)
{
	va_list args;
	va_start(args, format);
	g_autofree char *reason = g_strdup_vprintf(format, args);
	va_end(args);
	if (group)
		g_set_error(error, ZVM_SYSMAP_ERROR, code, "system.map: %s: %s", group->label,
			    reason);
	else
		g_set_error(error, ZVM_SYSMAP_ERROR, code, "system.map: %s", reason);
	return FALSE;
}

/* JSON access */

static const char *string_member(JsonObject *object, const char *key, gboolean *wrong)
{
	JsonNode *node = json_object_get_member(object, key);
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return NULL;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		*wrong = TRUE;
		return NULL;
	}
	return json_node_get_string(node);
}

static gboolean int_member(JsonObject *object, const char *key, gint64 *value, gboolean *given)
{
	JsonNode *node = json_object_get_member(object, key);
	*given = node != NULL && !JSON_NODE_HOLDS_NULL(node);
	if (!*given)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64)
		return FALSE;
	*value = json_node_get_int(node);
	return TRUE;
}

static gboolean check_keys(JsonObject *object, const char *const *known, const char *what,
			   const Group *group, GError **error)
{
	g_autoptr(GList) members = json_object_get_members(object);
	for (GList *l = members; l; l = l->next) {
		if (!g_strv_contains(known, l->data)) {
			g_autofree char *shown = g_strescape(l->data, NULL);
			g_autofree char *list = g_strjoinv(", ", (char **)known);
			return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
				    "unknown key '%s' in %s (known: %s)", shown, what, list);
		}
	}
	return TRUE;
}

/* Text that goes into a manifest line unquoted: readable, without the manifest's separators
 * (',' between tokens, '=' after the key, ';' between replicated URIs) or blanks. */
static gboolean is_plain_path(const char *path)
{
	return *path && zvm_text_is_readable(path) && !strpbrk(path, ",=; \t");
}

/* "scheme:" before any '/': a URI, not a bundle member. Only data: is ours to take from a
 * map; pipe: in particular is the expander's alone. */
static gboolean has_scheme(const char *path)
{
	size_t length = strcspn(path, ":/");
	return path[length] == ':';
}

static gboolean is_group_name(const char *name)
{
	size_t length = strlen(name);
	if (length == 0 || length > GROUP_NAME_MAX)
		return FALSE;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	return TRUE;
}

static gboolean has_wildcard(const char *path)
{
	return strpbrk(path, "*?[") != NULL;
}

/* What the manifest parser takes for a readable channel: a bundle member, or a data root's
 * file (data:<root>/<path>, whose path may hold a wildcard here). */
static gboolean readable_path_is_valid(const char *path)
{
	if (!g_str_has_prefix(path, "data:"))
		return zvm_member_name_is_valid(path);
	const char *rest = path + strlen("data:");
	const char *slash = strchr(rest, '/');
	return slash && slash > rest && zvm_member_name_is_valid(rest);
}

/* Groups */

/* ZRT's [args] words: blank-separated; a '"' that opens a word runs to the next '"'. Split
 * here, so that a map's mistake is the map's error, and each word is escaped whole. */
static gboolean split_args(Group *group, const char *text, GError **error)
{
	group->args = g_ptr_array_new_with_free_func(g_free);
	const char *c = text ? text : "";
	for (;;) {
		c += strspn(c, " \t");
		if (*c == '\0')
			return TRUE;
		if (*c == '"') {
			const char *close = strchr(c + 1, '"');
			if (close == NULL)
				return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
					    "exec args has a '\"' without its closing '\"'");
			g_ptr_array_add(group->args, g_strndup(c + 1, close - c - 1));
			c = close + 1;
			if (*c != '\0' && *c != ' ' && *c != '\t')
				return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
					    "exec args has text right after a closing '\"' "
					    "(separate arguments with a space)");
		} else {
			size_t length = strcspn(c, " \t");
			g_ptr_array_add(group->args, g_strndup(c, length));
			c += length;
		}
	}
}

static gboolean parse_exec(Group *group, JsonNode *node, GError **error)
{
	static const char *const known[] = {"path", "name", "args", "env", NULL};
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
			    "needs \"exec\": {\"path\": \"<program in the bundle>\"}");
	JsonObject *exec = json_node_get_object(node);
	if (!check_keys(exec, known, "exec", group, error))
		return FALSE;
	gboolean wrong = FALSE;
	const char *path = string_member(exec, "path", &wrong);
	const char *name = string_member(exec, "name", &wrong);
	const char *args = string_member(exec, "args", &wrong);
	if (wrong)
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
			    "exec path, name and args must be strings");
	if (path == NULL)
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "exec has no path (the program's name in the bundle)");
	if (!is_plain_path(path) || !zvm_member_name_is_valid(path) || has_scheme(path))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "exec path must name a member of the bundle (a relative name without "
			    "blanks, ',', '=', ';' or a URI scheme)");
	if (name && (!is_plain_path(name) || strchr(name, '"')))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "exec name must be one word of readable text");
	if (args && !zvm_text_is_readable(args))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "exec args must be readable text on one line");
	group->exec_path = g_strdup(path);
	group->exec_name = g_strdup(name);
	if (!split_args(group, args, error))
		return FALSE;
	group->env = g_ptr_array_new_with_free_func(g_free);
	JsonNode *env = json_object_get_member(exec, "env");
	if (env == NULL || JSON_NODE_HOLDS_NULL(env))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(env))
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
			    "exec env must be an object of strings");
	g_autoptr(GList) keys = json_object_get_members(json_node_get_object(env));
	keys = g_list_sort(keys, (GCompareFunc)strcmp);
	for (GList *l = keys; l; l = l->next) {
		const char *key = l->data;
		const char *value = string_member(json_node_get_object(env), key, &wrong);
		gboolean good_key = *key && !g_ascii_isdigit(*key);
		for (const char *p = key; *p; p++)
			good_key = good_key && (g_ascii_isalnum(*p) || *p == '_');
		if (!good_key || strlen(key) > 255)
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "exec env has an invalid variable name (letters, digits and "
				    "'_', not starting with a digit)");
		if (wrong || value == NULL || !zvm_text_is_readable(value))
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "exec env %s must be a string of readable text", key);
		g_ptr_array_add(group->env, g_strdup(key));
		g_ptr_array_add(group->env, g_strdup(value));
	}
	return TRUE;
}

const DeviceKind *zvm_sysmap_device_kind(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(device_kinds); i++)
		if (strcmp(device_kinds[i].name, name) == 0)
			return &device_kinds[i];
	return NULL;
}

static gboolean parse_device(Group *group, JsonNode *node, const ZvmLimits *limits, GError **error)
{
	static const char *const known[] = {"name", "device", "path",	  "content_type",
					    "meta", "mode",   "min_size", NULL};
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
			    "each device must be an object {\"name\": ..., \"path\": ...}");
	JsonObject *object = json_node_get_object(node);
	if (!check_keys(object, known, "a device", group, error))
		return FALSE;
	gboolean wrong = FALSE;
	const char *name = string_member(object, "name", &wrong);
	if (name == NULL)
		name = string_member(object, "device", &wrong);
	const char *path = string_member(object, "path", &wrong);
	if (wrong || name == NULL)
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
			    "a device needs a \"name\" string, and its \"path\" must be a string");
	const DeviceKind *kind = zvm_sysmap_device_kind(name);
	if (kind == NULL) {
		g_autofree char *shown = g_strescape(name, NULL);
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "unknown device '%s' (known: stdin, stdout, stderr, input, output, "
			    "image)",
			    shown);
	}
	for (guint i = 0; i < group->devices->len; i++)
		if (((Device *)group->devices->pdata[i])->kind == kind)
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "device %s is given twice", name);
	if (kind->readable && path == NULL)
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "device %s needs a path (a bundle member or data:<root>/<path>)", name);
	if (path && !is_plain_path(path))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "device %s: the path must be readable text without blanks, ',', '=' "
			    "or ';'",
			    name);
	if (path && has_scheme(path) && !g_str_has_prefix(path, "data:"))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "device %s: '%s' is a URI; only bundle members and data:<root>/<path> "
			    "are supported (ZeroCloud's swift:, file: and zvm: are not)",
			    name, path);
	if (path && kind->readable && !readable_path_is_valid(path))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "device %s: '%s' is neither a member of the bundle nor "
			    "data:<root>/<path> (relative names without empty, '.' or '..' "
			    "components)",
			    name, path);
	if (path && g_str_has_prefix(path, "data:")) {
		const char *root = path + strlen("data:");
		g_autofree char *name_of_root = g_strndup(root, strcspn(root, "/"));
		if (limits->data_roots == NULL ||
		    !g_strv_contains(limits->data_roots, name_of_root))
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "device %s: data root '%s' is not exported by this gateway",
				    name, name_of_root);
	}
	Device *device = g_new0(Device, 1);
	device->kind = kind;
	device->path = g_strdup(path);
	g_ptr_array_add(group->devices, device);
	if (path && has_wildcard(path)) {
		if (!kind->readable || !g_str_has_prefix(path, "data:"))
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "device %s: wildcards are only for readable data: paths", name);
		if (group->wildcard)
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "only one device may have a wildcard (%s and %s do)",
				    group->wildcard->kind->name, name);
		group->wildcard = device;
	}
	if (path && !kind->readable) {
		g_autofree char *output = g_strdup_printf("%s/%s", group->name, path);
		size_t first = strcspn(path, "/");
		/* The engine writes each node's report and accounting beside its outputs. */
		gboolean engine_file = (first == 6 && strncmp(path, "report", 6) == 0) ||
				       (first == 10 && strncmp(path, "accounting", 10) == 0);
		if (!zvm_output_name_is_valid(output) || has_scheme(path) || engine_file)
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "device %s: invalid output name '%s' (a relative path in the "
				    "node's directory, not report or accounting)",
				    name, path);
	}
	return TRUE;
}

/* What a writable device writes in the node's directory: its path, else its name; stdout
 * and stderr are written even without a device (docs/pipelines.md). */
static const char *output_of(const Device *device)
{
	return device->path ? device->path : device->kind->name;
}

/* Two writable devices of a group may not write one file, nor one inside the other's path
 * (the manifest parser refuses both, so the map is refused first, naming the devices). */
static gboolean check_output_clashes(Group *group, GError **error)
{
	g_autoptr(GPtrArray) writers = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	for (guint i = 0; i < group->devices->len; i++) {
		const Device *device = group->devices->pdata[i];
		if (!device->kind->readable) {
			g_ptr_array_add(writers, g_strdup(output_of(device)));
			g_ptr_array_add(names, (gpointer)device->kind->name);
		}
	}
	static const char *const standard[] = {"stdout", "stderr"};
	for (guint s = 0; s < G_N_ELEMENTS(standard); s++) {
		if (!g_ptr_array_find_with_equal_func(names, standard[s], g_str_equal, NULL)) {
			g_ptr_array_add(writers, g_strdup(standard[s]));
			g_ptr_array_add(names, (gpointer)standard[s]);
		}
	}
	for (guint i = 0; i < writers->len; i++) {
		for (guint j = i + 1; j < writers->len; j++) {
			const char *a = writers->pdata[i], *b = writers->pdata[j];
			size_t la = strlen(a), lb = strlen(b);
			gboolean clash = strcmp(a, b) == 0 ||
					 (la < lb && strncmp(a, b, la) == 0 && b[la] == '/') ||
					 (lb < la && strncmp(a, b, lb) == 0 && a[lb] == '/');
			if (clash)
				return fail(
				    error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "devices %s and %s write clashing outputs '%s' and '%s'",
				    (const char *)names->pdata[i], (const char *)names->pdata[j], a,
				    b);
		}
	}
	return TRUE;
}

static gboolean parse_connect(Group *group, JsonNode *node, GError **error)
{
	group->connect = g_ptr_array_new_with_free_func(g_free);
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node))
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
			    "connect must be a list of group names");
	JsonArray *array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		if (!JSON_NODE_HOLDS_VALUE(element) ||
		    json_node_get_value_type(element) != G_TYPE_STRING)
			return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group,
				    "connect must be a list of group names");
		const char *name = json_node_get_string(element);
		for (guint j = 0; j < group->connect->len; j++)
			if (strcmp(group->connect->pdata[j], name) == 0)
				return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
					    "connects to '%s' twice", name);
		g_ptr_array_add(group->connect, g_strdup(name));
	}
	return TRUE;
}

static gboolean parse_limits(Group *group, JsonObject *object, const ZvmLimits *limits,
			     GError **error)
{
	gboolean given;
	gint64 value = 0;
	if (!int_member(object, "count", &value, &given))
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group, "count must be an integer");
	group->count = given ? value : 1;
	if (group->count < 1)
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group, "count must be at least 1");
	if (group->count > limits->max_nodes)
		return fail(error, ZVM_SYSMAP_ERROR_LIMIT, group,
			    "count %" G_GINT64_FORMAT " is over the maximum of %u nodes",
			    group->count, limits->max_nodes);
	if (!int_member(object, "replicate", &value, &given) || (given && value != 1))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "replicate must be 1 (replicated nodes are not supported)");
	if (!int_member(object, "memory", &value, &given) || (given && value < 65536))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "memory must be a number of bytes, at least 65536");
	group->memory = given ? (uint64_t)value : limits->max_memory;
	if (group->memory > limits->max_memory) {
		g_autofree char *max = zvm_format_size(limits->max_memory);
		return fail(error, ZVM_SYSMAP_ERROR_LIMIT, group,
			    "memory %" G_GINT64_FORMAT " is over the %s maximum", value, max);
	}
	if (!int_member(object, "timeout", &value, &given) || (given && value < 1))
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
			    "timeout must be a number of seconds, at least 1");
	group->timeout =
	    given ? (uint32_t)MIN(value, G_MAXUINT32) : MIN(limits->max_timeout, DEFAULT_TIMEOUT);
	if (given && value > limits->max_timeout)
		return fail(error, ZVM_SYSMAP_ERROR_LIMIT, group,
			    "timeout %" G_GINT64_FORMAT " s is over the %u s maximum", value,
			    limits->max_timeout);
	return TRUE;
}

static Group *parse_group(JsonNode *node, guint index, const ZvmLimits *limits, GError **error)
{
	static const char *const known[] = {"name",	"exec",	   "devices",	"file_list",
					    "count",	"connect", "replicate", "attach",
					    "location", "memory",  "timeout",	NULL};
	g_autoptr(Group) group = g_new0(Group, 1);
	group->label = g_strdup_printf("group %u", index + 1);
	group->devices = g_ptr_array_new_with_free_func((GDestroyNotify)device_free);
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group, "must be an object");
		return NULL;
	}
	JsonObject *object = json_node_get_object(node);
	gboolean wrong = FALSE;
	const char *name = string_member(object, "name", &wrong);
	if (name == NULL || wrong) {
		fail(error, ZVM_SYSMAP_ERROR_INVALID, group, "needs a \"name\" string");
		return NULL;
	}
	if (!is_group_name(name)) {
		g_autofree char *shown = g_strescape(name, NULL);
		fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
		     "invalid name '%s' (letters, digits and '_', at most %d)", shown,
		     GROUP_NAME_MAX);
		return NULL;
	}
	g_free(group->label);
	group->label = g_strdup_printf("group '%s'", name);
	group->name = g_strdup(name);
	g_autofree char *probe = g_strdup_printf("%s/stdout", name);
	if (!zvm_output_name_is_valid(probe)) {
		fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
		     "the name is taken by the job directory (status, manifest, report, "
		     "accounting, wait and ctl are reserved)");
		return NULL;
	}
	if (!check_keys(object, known, "a group", group, error) ||
	    !parse_exec(group, json_object_get_member(object, "exec"), error) ||
	    !parse_connect(group, json_object_get_member(object, "connect"), error) ||
	    !parse_limits(group, object, limits, error))
		return NULL;
	JsonNode *devices = json_object_get_member(object, "devices");
	if (devices == NULL)
		devices = json_object_get_member(object, "file_list");
	if (devices && !JSON_NODE_HOLDS_NULL(devices)) {
		if (!JSON_NODE_HOLDS_ARRAY(devices)) {
			fail(error, ZVM_SYSMAP_ERROR_SYNTAX, group, "devices must be a list");
			return NULL;
		}
		JsonArray *array = json_node_get_array(devices);
		for (guint i = 0; i < json_array_get_length(array); i++)
			if (!parse_device(group, json_array_get_element(array, i), limits, error))
				return NULL;
	}
	if (!check_output_clashes(group, error))
		return NULL;
	if (group->wildcard && group->count != 1) {
		fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
		     "has both a count and a wildcard (the wildcard gives one node per file)");
		return NULL;
	}
	return g_steal_pointer(&group);
}

/* Expansion */

static gboolean expand_wildcard(Group *group, const ZvmLimits *limits, ZvmDataGlobFunc glob,
				gpointer glob_data, GError **error)
{
	if (glob == NULL)
		return fail(error, ZVM_SYSMAP_ERROR_GLOB, group,
			    "device %s: the wildcard '%s' needs data roots, and this gateway "
			    "exports none",
			    group->wildcard->kind->name, group->wildcard->path);
	g_autoptr(GError) local = NULL;
	group->matches = glob(group->wildcard->path, glob_data, &local);
	if (group->matches == NULL)
		return fail(error, ZVM_SYSMAP_ERROR_GLOB, group, "device %s: %s",
			    group->wildcard->kind->name, local->message);
	if (group->matches->len == 0)
		return fail(error, ZVM_SYSMAP_ERROR_GLOB, group, "device %s: '%s' matches no file",
			    group->wildcard->kind->name, group->wildcard->path);
	if (group->matches->len > limits->max_nodes)
		return fail(error, ZVM_SYSMAP_ERROR_LIMIT, group,
			    "device %s: '%s' matches %u files, over the maximum of %u nodes",
			    group->wildcard->kind->name, group->wildcard->path, group->matches->len,
			    limits->max_nodes);
	for (guint i = 0; i < group->matches->len; i++)
		if (!is_plain_path(group->matches->pdata[i]))
			return fail(error, ZVM_SYSMAP_ERROR_GLOB, group,
				    "device %s: a matching file's name has commas, blanks, '=' or "
				    "control characters",
				    group->wildcard->kind->name);
	return TRUE;
}

static Group *find_group(GPtrArray *groups, const char *name)
{
	for (guint i = 0; i < groups->len; i++)
		if (strcmp(((Group *)groups->pdata[i])->name, name) == 0)
			return groups->pdata[i];
	return NULL;
}

static gboolean wire_pipes(GPtrArray *groups, GPtrArray *nodes, GArray *pipes,
			   const ZvmLimits *limits, GError **error)
{
	g_autofree guint *channels = g_new0(guint, nodes->len);
	for (guint g = 0; g < groups->len; g++) {
		Group *group = groups->pdata[g];
		for (guint c = 0; c < group->connect->len; c++) {
			const char *name = group->connect->pdata[c];
			Group *target = find_group(groups, name);
			if (target == NULL) {
				g_autofree char *shown = g_strescape(name, NULL);
				return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
					    "connects to '%s', which is no group of the map",
					    shown);
			}
			if (target == group && group->n_nodes == 1)
				return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
					    "connects to itself, which only a group of several "
					    "nodes may");
			for (guint a = 0; a < group->n_nodes; a++) {
				for (guint b = 0; b < target->n_nodes; b++) {
					Pipe pipe = {group->first_node + a, target->first_node + b};
					if (pipe.writer == pipe.reader)
						continue;
					channels[pipe.writer]++;
					channels[pipe.reader]++;
					if (channels[pipe.writer] + 6 > limits->max_channels ||
					    channels[pipe.reader] + 6 > limits->max_channels)
						return fail(error, ZVM_SYSMAP_ERROR_LIMIT, group,
							    "connect gives a node more than the "
							    "maximum of %u channels",
							    limits->max_channels);
					g_array_append_val(pipes, pipe);
				}
			}
		}
	}
	return TRUE;
}

static gboolean parse_groups(JsonNode *root, const ZvmLimits *limits, GPtrArray *groups,
			     GError **error)
{
	if (root == NULL || !JSON_NODE_HOLDS_ARRAY(root))
		return fail(error, ZVM_SYSMAP_ERROR_SYNTAX, NULL,
			    "the map must be a JSON list of node groups");
	JsonArray *array = json_node_get_array(root);
	guint length = json_array_get_length(array);
	if (length == 0)
		return fail(error, ZVM_SYSMAP_ERROR_INVALID, NULL, "the map has no groups");
	if (length > limits->max_nodes)
		return fail(error, ZVM_SYSMAP_ERROR_LIMIT, NULL,
			    "%u groups are over the maximum of %u nodes", length,
			    limits->max_nodes);
	for (guint i = 0; i < length; i++) {
		Group *group = parse_group(json_array_get_element(array, i), i, limits, error);
		if (group == NULL)
			return FALSE;
		g_ptr_array_add(groups, group);
		if (find_group(groups, group->name) != group)
			return fail(error, ZVM_SYSMAP_ERROR_INVALID, group,
				    "the name is used by an earlier group too");
	}
	return TRUE;
}

ZvmSysmap *zvm_sysmap_parse(const char *text, gsize length, const ZvmLimits *limits,
			    ZvmDataGlobFunc glob, gpointer glob_data, GError **error)
{
	g_return_val_if_fail(text != NULL || length == 0, NULL);
	if (length > ZVM_SYSMAP_MAX_BYTES) {
		fail(error, ZVM_SYSMAP_ERROR_LIMIT, NULL,
		     "the map is %" G_GSIZE_FORMAT " bytes, over the 64 KiB maximum", length);
		return NULL;
	}
	if (!g_utf8_validate(text, (gssize)length, NULL) || memchr(text, '\0', length)) {
		fail(error, ZVM_SYSMAP_ERROR_SYNTAX, NULL, "the map is not UTF-8 text");
		return NULL;
	}
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) local = NULL;
	if (!json_parser_load_from_data(parser, text, (gssize)length, &local)) {
		fail(error, ZVM_SYSMAP_ERROR_SYNTAX, NULL, "not valid JSON: %s", local->message);
		return NULL;
	}
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func((GDestroyNotify)group_free);
	if (!parse_groups(json_parser_get_root(parser), limits, groups, error))
		return NULL;

	g_autoptr(ZvmSysmap) map = g_new0(ZvmSysmap, 1);
	map->nodes = g_ptr_array_new_with_free_func((GDestroyNotify)node_free);
	for (guint g = 0; g < groups->len; g++) {
		Group *group = groups->pdata[g];
		if (group->wildcard && !expand_wildcard(group, limits, glob, glob_data, error))
			return NULL;
		group->first_node = map->nodes->len;
		group->n_nodes = group->wildcard ? group->matches->len : (guint)group->count;
		if (map->nodes->len + group->n_nodes > limits->max_nodes) {
			fail(error, ZVM_SYSMAP_ERROR_LIMIT, group,
			     "the map expands to more than the maximum of %u nodes",
			     limits->max_nodes);
			return NULL;
		}
		for (guint i = 0; i < group->n_nodes; i++) {
			ZvmSysmapNode *node = g_new0(ZvmSysmapNode, 1);
			node->group = g_strdup(group->name);
			node->name = group->n_nodes > 1
					 ? g_strdup_printf("%s-%u", group->name, i + 1)
					 : g_strdup(group->name);
			node->id = map->nodes->len + 1;
			g_ptr_array_add(map->nodes, node);
		}
	}
	g_autoptr(GArray) pipes = g_array_new(FALSE, FALSE, sizeof(Pipe));
	if (!wire_pipes(groups, map->nodes, pipes, limits, error))
		return NULL;
	for (guint g = 0; g < groups->len; g++) {
		const Group *group = groups->pdata[g];
		for (guint i = 0; i < group->n_nodes; i++) {
			ZvmSysmapNode *node = map->nodes->pdata[group->first_node + i];
			node->manifest = zvm_sysmap_node_manifest(group, i, node, map->nodes, pipes,
								  group->first_node + i, limits);
			node->nvram = zvm_sysmap_node_nvram(group, node);
		}
	}
	return g_steal_pointer(&map);
}
