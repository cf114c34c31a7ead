/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the system map (channels/sysmap.h): naming, wildcards through a fake glob,
 * pipes, the node texts round-tripped through our own parsers, and every refusal. */
#include <string.h>

#include "manifest.h"
#include "nvram.h"
#include "sysmap.h"

/* "data:texts/<star>.txt" matches three files, "data:one/<star>" one, "data:none/<star>"
 * none; anything else is an error, as a data root would refuse it. */
static GPtrArray *fake_glob(const char *pattern, gpointer user_data, GError **error)
{
	guint *calls = user_data;
	(*calls)++;
	GPtrArray *matches = g_ptr_array_new_with_free_func(g_free);
	if (strcmp(pattern, "data:texts/*.txt") == 0) {
		g_ptr_array_add(matches, g_strdup("data:texts/a.txt"));
		g_ptr_array_add(matches, g_strdup("data:texts/b.txt"));
		g_ptr_array_add(matches, g_strdup("data:texts/c.txt"));
	} else if (strcmp(pattern, "data:one/*") == 0) {
		g_ptr_array_add(matches, g_strdup("data:one/only"));
	} else if (strcmp(pattern, "data:none/*") != 0) {
		g_ptr_array_unref(matches);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no data root '%s'", pattern);
		return NULL;
	}
	return matches;
}

/* The data roots exported for fake_glob ("broken" makes it fail). */
static const char *const fake_roots[] = {"texts", "one", "none", "broken", NULL};

static ZvmSysmap *parse_with(const char *text, const ZvmLimits *limits, GError **error)
{
	static guint calls;
	ZvmLimits used;
	if (limits)
		used = *limits;
	else
		zvm_limits_init(&used);
	if (used.data_roots == NULL)
		used.data_roots = fake_roots;
	return zvm_sysmap_parse(text, strlen(text), &used, fake_glob, &calls, error);
}

static ZvmSysmap *parse_ok(const char *text)
{
	g_autoptr(GError) error = NULL;
	ZvmSysmap *map = parse_with(text, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(map);
	return map;
}

static char *node_names(const ZvmSysmap *map)
{
	GString *names = g_string_new(NULL);
	for (guint i = 0; i < map->nodes->len; i++) {
		const ZvmSysmapNode *node = map->nodes->pdata[i];
		g_string_append_printf(names, "%s%s", i ? " " : "", node->name);
		g_assert_cmpuint(node->id, ==, i + 1);
	}
	return g_string_free(names, FALSE);
}

/* Every node's texts parse with our own parsers. */
static void check_round_trip(const ZvmSysmap *map)
{
	ZvmLimits limits;
	zvm_limits_init(&limits);
	limits.data_roots = fake_roots;
	for (guint i = 0; i < map->nodes->len; i++) {
		const ZvmSysmapNode *node = map->nodes->pdata[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(ZvmManifest) manifest = zvm_manifest_parse_node(
		    node->manifest, strlen(node->manifest), &limits, &error);
		g_assert_no_error(error);
		g_assert_cmpint(manifest->node, ==, node->id);
		g_autoptr(ZvmNvram) nvram =
		    zvm_nvram_parse(node->nvram, strlen(node->nvram), &error);
		g_assert_no_error(error);
		g_assert_nonnull(nvram->args);
	}
}

static const ZvmSysmapNode *find_node(const ZvmSysmap *map, const char *name)
{
	for (guint i = 0; i < map->nodes->len; i++)
		if (strcmp(((ZvmSysmapNode *)map->nodes->pdata[i])->name, name) == 0)
			return map->nodes->pdata[i];
	g_assert_not_reached();
}

static ZvmManifest *node_manifest(const ZvmSysmap *map, const char *name)
{
	ZvmLimits limits;
	zvm_limits_init(&limits);
	limits.data_roots = fake_roots;
	const ZvmSysmapNode *node = find_node(map, name);
	g_autoptr(GError) error = NULL;
	ZvmManifest *manifest =
	    zvm_manifest_parse_node(node->manifest, strlen(node->manifest), &limits, &error);
	g_assert_no_error(error);
	return manifest;
}

#define MAPREDUCE                                                                            \
	"[{\"name\": \"mapper\", \"exec\": {\"path\": \"mapper.nexe\"}, \"count\": 2,"       \
	"  \"devices\": [{\"name\": \"stdin\", \"path\": \"texts/a.txt\"}],"                 \
	"  \"connect\": [\"reducer\"]},"                                                     \
	" {\"name\": \"reducer\", \"exec\": {\"path\": \"reducer.nexe\", \"args\": \"-v\"}," \
	"  \"count\": 3, \"connect\": [\"collector\"]},"                                     \
	" {\"name\": \"collector\", \"exec\": {\"path\": \"collector.nexe\"},"               \
	"  \"devices\": [{\"name\": \"stdout\"}, {\"name\": \"output\", \"path\": "          \
	"\"out/all.csv\"}]}]"

static void test_expand(void)
{
	g_autoptr(ZvmSysmap) map = parse_ok(MAPREDUCE);
	g_autofree char *names = node_names(map);
	g_assert_cmpstr(names, ==, "mapper-1 mapper-2 reducer-1 reducer-2 reducer-3 collector");
	check_round_trip(map);

	/* The writer sees /dev/out/<reader>, the reader /dev/in/<writer>, one pipe each. */
	g_autoptr(ZvmManifest) mapper = node_manifest(map, "mapper-2");
	g_assert_cmpstr(mapper->program, ==, "mapper.nexe");
	const ZvmChannelSpec *out = zvm_manifest_find_channel(mapper, "/dev/out/reducer-3");
	g_assert_nonnull(out);
	g_assert_cmpint(out->kind, ==, ZVM_URI_PIPE);
	g_assert_cmpint(out->access, ==, ZVM_ACCESS_WRITE);
	g_assert_cmpstr(out->uri, ==, "pipe:mapper-2->reducer-3");
	g_assert_null(zvm_manifest_find_channel(mapper, "/dev/out/collector"));
	const ZvmChannelSpec *in = zvm_manifest_find_channel(mapper, "/dev/stdin");
	g_assert_cmpstr(in->uri, ==, "texts/a.txt");
	g_assert_cmpint(in->kind, ==, ZVM_URI_MEMBER);
	const ZvmChannelSpec *so = zvm_manifest_find_channel(mapper, "/dev/stdout");
	g_assert_cmpstr(so->uri, ==, "mapper-2/stdout");
	g_assert_true(so->etag);

	g_autoptr(ZvmManifest) reducer = node_manifest(map, "reducer-1");
	const ZvmChannelSpec *from = zvm_manifest_find_channel(reducer, "/dev/in/mapper-2");
	g_assert_nonnull(from);
	g_assert_cmpint(from->access, ==, ZVM_ACCESS_READ);
	g_assert_cmpstr(from->uri, ==, "pipe:mapper-2->reducer-1");
	g_assert_nonnull(zvm_manifest_find_channel(reducer, "/dev/out/collector"));
	g_assert_cmpstr(zvm_manifest_find_channel(reducer, "/dev/stdin")->uri, ==, "/dev/null");
	const char *nvram_text = find_node(map, "reducer-1")->nvram;
	g_autoptr(ZvmNvram) nvram = zvm_nvram_parse(nvram_text, strlen(nvram_text), NULL);
	g_assert_cmpstr(nvram->args[0], ==, "reducer-1");
	g_assert_cmpstr(nvram->args[1], ==, "-v");
	g_assert_null(nvram->args[2]);

	g_autoptr(ZvmManifest) collector = node_manifest(map, "collector");
	g_assert_cmpstr(zvm_manifest_find_channel(collector, "/dev/output")->uri, ==,
			"collector/out/all.csv");
	g_assert_nonnull(zvm_manifest_find_channel(collector, "/dev/in/reducer-3"));

	/* A user's own manifest may not name a pipe. */
	ZvmLimits limits;
	zvm_limits_init(&limits);
	const char *text = find_node(map, "mapper-1")->manifest;
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmManifest) plain = zvm_manifest_parse(text, strlen(text), &limits, &error);
	g_assert_null(plain);
	g_assert_error(error, ZVM_MANIFEST_ERROR, ZVM_MANIFEST_ERROR_CHANNEL);
	g_assert_nonnull(strstr(error->message, "pipe channels exist only between nodes"));
}

static void test_self_connect(void)
{
	g_autoptr(ZvmSysmap) map =
	    parse_ok("[{\"name\": \"peer\", \"exec\": {\"path\": \"p.nexe\"}, \"count\": 3,"
		     " \"connect\": [\"peer\"]}]");
	check_round_trip(map);
	g_autoptr(ZvmManifest) manifest = node_manifest(map, "peer-2");
	g_assert_nonnull(zvm_manifest_find_channel(manifest, "/dev/out/peer-1"));
	g_assert_nonnull(zvm_manifest_find_channel(manifest, "/dev/out/peer-3"));
	g_assert_nonnull(zvm_manifest_find_channel(manifest, "/dev/in/peer-1"));
	g_assert_null(zvm_manifest_find_channel(manifest, "/dev/out/peer-2"));
	g_assert_null(zvm_manifest_find_channel(manifest, "/dev/in/peer-2"));
}

static void test_wildcard(void)
{
	g_autoptr(ZvmSysmap) map =
	    parse_ok("[{\"name\": \"mapper\", \"exec\": {\"path\": \"m.nexe\"},"
		     "  \"devices\": [{\"name\": \"stdin\", \"path\": \"data:texts/*.txt\"}],"
		     "  \"connect\": [\"sum\"]},"
		     " {\"name\": \"sum\", \"exec\": {\"path\": \"s.nexe\"}}]");
	g_autofree char *names = node_names(map);
	g_assert_cmpstr(names, ==, "mapper-1 mapper-2 mapper-3 sum");
	check_round_trip(map);
	g_autoptr(ZvmManifest) second = node_manifest(map, "mapper-2");
	const ZvmChannelSpec *in = zvm_manifest_find_channel(second, "/dev/stdin");
	g_assert_cmpstr(in->uri, ==, "data:texts/b.txt");
	g_assert_cmpint(in->kind, ==, ZVM_URI_DATA);

	/* One match: one node, of the group's own name. */
	g_autoptr(ZvmSysmap) one =
	    parse_ok("[{\"name\": \"mapper\", \"exec\": {\"path\": \"m.nexe\"},"
		     "  \"devices\": [{\"name\": \"input\", \"path\": \"data:one/*\"}]}]");
	g_autofree char *one_names = node_names(one);
	g_assert_cmpstr(one_names, ==, "mapper");
}

static void test_env_and_args(void)
{
	g_autoptr(ZvmSysmap) map =
	    parse_ok("[{\"name\": \"job\", \"exec\": {\"path\": \"j.nexe\", \"name\": \"python\","
		     "  \"args\": \"-c \\\"print(1, 2)\\\" x=y,z\","
		     "  \"env\": {\"LANG\": \"C\", \"LIST\": \"a,b=c [d]\\\\e\"}},"
		     "  \"memory\": 1048576, \"timeout\": 7}]");
	check_round_trip(map);
	const ZvmSysmapNode *node = find_node(map, "job");
	g_autoptr(ZvmNvram) nvram = zvm_nvram_parse(node->nvram, strlen(node->nvram), NULL);
	g_assert_nonnull(nvram);
	g_assert_cmpstr(nvram->args[0], ==, "python");
	g_assert_cmpstr(nvram->args[1], ==, "-c");
	g_assert_cmpstr(nvram->args[2], ==, "print(1, 2)");
	g_assert_cmpstr(nvram->args[3], ==, "x=y,z");
	g_assert_null(nvram->args[4]);
	g_assert_cmpstr(nvram->env[0], ==, "LANG=C");
	g_assert_cmpstr(nvram->env[1], ==, "LIST=a,b=c [d]\\e");
	g_autoptr(ZvmManifest) manifest = node_manifest(map, "job");
	g_assert_cmpuint(manifest->memory, ==, 1048576);
	g_assert_cmpuint(manifest->timeout, ==, 7);
}

typedef struct {
	const char *text;
	ZvmSysmapError code;
	const char *message;
} Refusal;

#define EXEC "\"exec\": {\"path\": \"p.nexe\"}"

static const Refusal refusals[] = {
    {"{", ZVM_SYSMAP_ERROR_SYNTAX, "system.map: not valid JSON: "},
    {"{}", ZVM_SYSMAP_ERROR_SYNTAX, "system.map: the map must be a JSON list of node groups"},
    {"[]", ZVM_SYSMAP_ERROR_INVALID, "system.map: the map has no groups"},
    {"[1]", ZVM_SYSMAP_ERROR_SYNTAX, "system.map: group 1: must be an object"},
    {"[{" EXEC "}]", ZVM_SYSMAP_ERROR_INVALID, "system.map: group 1: needs a \"name\" string"},
    {"[{\"name\": \"a-b\", " EXEC "}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 1: invalid name 'a-b' (letters, digits and '_', at most 64)"},
    {"[{\"name\": \"status\", " EXEC "}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'status': the name is taken by the job directory"},
    {"[{\"name\": \"a\", " EXEC "}, {\"name\": \"a\", " EXEC "}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': the name is used by an earlier group too"},
    {"[{\"name\": \"a\"}]", ZVM_SYSMAP_ERROR_SYNTAX,
     "system.map: group 'a': needs \"exec\": {\"path\": \"<program in the bundle>\"}"},
    {"[{\"name\": \"a\", \"exec\": {}}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': exec has no path (the program's name in the bundle)"},
    {"[{\"name\": \"a\", \"exec\": {\"path\": \"swift://x/y/z\"}}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': exec path must name a member of the bundle"},
    {"[{\"name\": \"a\", " EXEC ", \"cuont\": 2}]", ZVM_SYSMAP_ERROR_SYNTAX,
     "system.map: group 'a': unknown key 'cuont' in a group (known: "},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"tape\", \"path\": \"x\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': unknown device 'tape'"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdin\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': device stdin needs a path"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdout\"}, "
     "{\"name\": \"stdout\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': device stdout is given twice"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"output\", "
     "\"path\": \"../x\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': device output: invalid output name"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"output\", "
     "\"path\": \"report\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': device output: invalid output name"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdin\", "
     "\"path\": \"in,put\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': device stdin: the path must be"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"output\", "
     "\"path\": \"out/*.txt\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': device output: wildcards are only for readable data: paths"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdin\", "
     "\"path\": \"texts/*.txt\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': device stdin: wildcards are only for readable data: paths"},
    {"[{\"name\": \"a\", " EXEC ", \"count\": 2, \"devices\": [{\"name\": \"stdin\", "
     "\"path\": \"data:texts/*.txt\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': has both a count and a wildcard"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdin\", "
     "\"path\": \"data:none/*\"}]}]",
     ZVM_SYSMAP_ERROR_GLOB, "system.map: group 'a': device stdin: 'data:none/*' matches no file"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdin\", "
     "\"path\": \"data:broken/*\"}]}]",
     ZVM_SYSMAP_ERROR_GLOB, "system.map: group 'a': device stdin: no data root 'data:broken/*'"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"output\", "
     "\"path\": \"stdout\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': devices output and stdout write clashing outputs 'stdout' and "
     "'stdout'"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdout\", "
     "\"path\": \"out\"}, {\"name\": \"output\", \"path\": \"out/x\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': devices stdout and output write clashing outputs 'out' and "
     "'out/x'"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdin\", "
     "\"path\": \"data:gone/*\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': device stdin: data root 'gone' is not exported by this gateway"},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"stdin\", "
     "\"path\": \"pipe:b->a\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': device stdin: 'pipe:b->a' is a URI; "},
    {"[{\"name\": \"a\", " EXEC ", \"devices\": [{\"name\": \"input\", "
     "\"path\": \"../etc/passwd\"}]}]",
     ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': device input: '../etc/passwd' is neither a member"},
    {"[{\"name\": \"a\", \"exec\": {\"path\": \"p.nexe\", \"args\": \"\\\"x\"}}]",
     ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': exec args has a '\"' without its closing '\"'"},
    {"[{\"name\": \"a\", " EXEC ", \"count\": 0}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': count must be at least 1"},
    {"[{\"name\": \"a\", " EXEC ", \"count\": \"2\"}]", ZVM_SYSMAP_ERROR_SYNTAX,
     "system.map: group 'a': count must be an integer"},
    {"[{\"name\": \"a\", " EXEC ", \"count\": 65}]", ZVM_SYSMAP_ERROR_LIMIT,
     "system.map: group 'a': count 65 is over the maximum of 64 nodes"},
    {"[{\"name\": \"a\", " EXEC ", \"count\": 40}, {\"name\": \"b\", " EXEC ", \"count\": 40}]",
     ZVM_SYSMAP_ERROR_LIMIT,
     "system.map: group 'b': the map expands to more than the maximum of 64 nodes"},
    {"[{\"name\": \"a\", " EXEC ", \"memory\": 8589934592}]", ZVM_SYSMAP_ERROR_LIMIT,
     "system.map: group 'a': memory 8589934592 is over the 1 GiB maximum"},
    {"[{\"name\": \"a\", " EXEC ", \"timeout\": 601}]", ZVM_SYSMAP_ERROR_LIMIT,
     "system.map: group 'a': timeout 601 s is over the 600 s maximum"},
    {"[{\"name\": \"a\", " EXEC ", \"replicate\": 3}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': replicate must be 1"},
    {"[{\"name\": \"a\", " EXEC ", \"connect\": [\"b\"]}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': connects to 'b', which is no group of the map"},
    {"[{\"name\": \"a\", " EXEC ", \"connect\": [\"a\"]}]", ZVM_SYSMAP_ERROR_INVALID,
     "system.map: group 'a': connects to itself, which only a group of several nodes may"},
    {"[{\"name\": \"a\", " EXEC ", \"count\": 2, \"connect\": [\"a\", \"a\"]}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': connects to 'a' twice"},
    {"[{\"name\": \"a\", \"exec\": {\"path\": \"p.nexe\", \"env\": {\"1X\": \"v\"}}}]",
     ZVM_SYSMAP_ERROR_INVALID, "system.map: group 'a': exec env has an invalid variable name"},
};

static void test_refusals(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(refusals); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ZvmSysmap) map = parse_with(refusals[i].text, NULL, &error);
		g_assert_null(map);
		g_assert_error(error, ZVM_SYSMAP_ERROR, (gint)refusals[i].code);
		if (!g_str_has_prefix(error->message, refusals[i].message))
			g_error("case %zu: got '%s', expected '%s...'", i, error->message,
				refusals[i].message);
	}
}

static void test_bounds(void)
{
	/* No glob function: a wildcard is refused with a reason. */
	ZvmLimits limits;
	zvm_limits_init(&limits);
	limits.data_roots = fake_roots;
	const char *wild = "[{\"name\": \"m\", " EXEC ", \"devices\": [{\"name\": \"stdin\", "
			   "\"path\": \"data:texts/*.txt\"}]}]";
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmSysmap) map =
	    zvm_sysmap_parse(wild, strlen(wild), &limits, NULL, NULL, &error);
	g_assert_null(map);
	g_assert_error(error, ZVM_SYSMAP_ERROR, ZVM_SYSMAP_ERROR_GLOB);
	g_assert_nonnull(strstr(error->message, "needs data roots"));
	g_clear_error(&error);

	/* max_nodes from the operator's limits. */
	limits.max_nodes = 3;
	g_autoptr(ZvmSysmap) fits = parse_with(wild, &limits, &error);
	g_assert_no_error(error);
	limits.max_nodes = 2;
	g_autoptr(ZvmSysmap) over = parse_with(wild, &limits, &error);
	g_assert_error(error, ZVM_SYSMAP_ERROR, ZVM_SYSMAP_ERROR_LIMIT);
	g_assert_cmpstr(error->message, ==,
			"system.map: group 'm': device stdin: 'data:texts/*.txt' matches 3 "
			"files, over the maximum of 2 nodes");
	g_clear_error(&error);

	/* Too many pipes for a node's channel maximum. */
	zvm_limits_init(&limits);
	limits.max_channels = 8;
	const char *dense = "[{\"name\": \"p\", " EXEC ", \"count\": 4, \"connect\": [\"p\"]}]";
	g_autoptr(ZvmSysmap) crowded = parse_with(dense, &limits, &error);
	g_assert_error(error, ZVM_SYSMAP_ERROR, ZVM_SYSMAP_ERROR_LIMIT);
	g_clear_error(&error);

	/* The text itself: 64 KiB at most, UTF-8 without NUL. */
	g_autofree char *big = g_strnfill(ZVM_SYSMAP_MAX_BYTES + 1, ' ');
	g_autoptr(ZvmSysmap) huge = parse_with(big, NULL, &error);
	g_assert_error(error, ZVM_SYSMAP_ERROR, ZVM_SYSMAP_ERROR_LIMIT);
	g_clear_error(&error);
	g_autoptr(ZvmSysmap) binary = zvm_sysmap_parse("[\xff]", 3, &limits, NULL, NULL, &error);
	g_assert_error(error, ZVM_SYSMAP_ERROR, ZVM_SYSMAP_ERROR_SYNTAX);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sysmap/expand", test_expand);
	g_test_add_func("/sysmap/self-connect", test_self_connect);
	g_test_add_func("/sysmap/wildcard", test_wildcard);
	g_test_add_func("/sysmap/env-and-args", test_env_and_args);
	g_test_add_func("/sysmap/refusals", test_refusals);
	g_test_add_func("/sysmap/bounds", test_bounds);
	return g_test_run();
}
