/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the manifest parser: every refusal with its exact message, and the good cases. */
#include <string.h>

#include "manifest.h"

/* Lines 1-4; channel lines in the cases below start at line 5. */
#define HEAD "Version = 20130611\nProgram = prog.nexe\nMemory = 65536,0\nTimeout = 5\n"
#define GIB ((uint64_t)1 << 30)

static ZvmManifest *parse_with(const char *text, gsize length, const ZvmLimits *limits,
			       GError **error)
{
	ZvmLimits defaults;
	zvm_limits_init(&defaults);
	return zvm_manifest_parse(text, length, limits ? limits : &defaults, error);
}

static ZvmManifest *parse_ok(const char *text, const ZvmLimits *limits)
{
	g_autoptr(GError) error = NULL;
	ZvmManifest *manifest = parse_with(text, strlen(text), limits, &error);
	g_assert_no_error(error);
	g_assert_nonnull(manifest);
	return manifest;
}

static void assert_refused(const char *text, gsize length, const ZvmLimits *limits,
			   ZvmManifestError code, const char *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmManifest) manifest = parse_with(text, length, limits, &error);
	g_assert_null(manifest);
	g_assert_error(error, ZVM_MANIFEST_ERROR, (gint)code);
	g_assert_cmpstr(error->message, ==, message);
}

typedef struct {
	const char *path;
	const char *text;
	ZvmManifestError code;
	const char *message;
	void (*adjust)(ZvmLimits *limits);
} RefusalCase;

static void two_channels_at_most(ZvmLimits *limits)
{
	limits->max_channels = 2;
}

static void no_default_puts(ZvmLimits *limits)
{
	limits->default_puts = 0;
}

/* The names an engine with two data roots gives the parser. */
static const char *const two_roots[] = {"corpus", "logs", NULL};

static void export_two_roots(ZvmLimits *limits)
{
	limits->data_roots = two_roots;
}

#define SYNTAX ZVM_MANIFEST_ERROR_SYNTAX
#define MISSING ZVM_MANIFEST_ERROR_MISSING
#define DUPLICATE ZVM_MANIFEST_ERROR_DUPLICATE
#define LIMIT ZVM_MANIFEST_ERROR_LIMIT
#define CHANNEL ZVM_MANIFEST_ERROR_CHANNEL

static const RefusalCase refusals[] = {
    {"/version/wrong", "Version = 20140509\nProgram = p\nMemory = 65536,0\nTimeout = 5\n", SYNTAX,
     "MANIFEST 1: invalid manifest version '20140509' (expected 20130611)"},
    {"/missing/version", "Program = p\nMemory = 65536,0\nTimeout = 5\n", MISSING,
     "MANIFEST: Version not specified"},
    {"/missing/program", "Version = 20130611\nMemory = 65536,0\nTimeout = 5\n", MISSING,
     "MANIFEST: Program not specified"},
    {"/missing/memory", "Version = 20130611\nProgram = p\nTimeout = 5\n", MISSING,
     "MANIFEST: Memory not specified"},
    {"/missing/timeout", "Version = 20130611\nProgram = p\nMemory = 65536,0\n", MISSING,
     "MANIFEST: Timeout not specified"},
    {"/missing/empty", "", MISSING, "MANIFEST: Version not specified"},
    {"/missing/value-with-equals",
     "Version = 20130611\nProgram = a=b\nMemory = 65536,0\n"
     "Timeout = 5\n",
     MISSING, "MANIFEST: Program not specified"},
    {"/duplicate/timeout", HEAD "Timeout = 6\n", DUPLICATE,
     "MANIFEST 5: duplicate Timeout keyword (first on line 4)"},
    {"/duplicate/version", HEAD "Version = 20130611\n", DUPLICATE,
     "MANIFEST 5: duplicate Version keyword (first on line 1)"},
    {"/duplicate/node", HEAD "Node = 1\nNode = 2\n", DUPLICATE,
     "MANIFEST 6: duplicate Node keyword (first on line 5)"},
    {"/number/junk", "Version = 20130611\nProgram = p\nMemory = 65536,0\nTimeout = 12abc\n", SYNTAX,
     "MANIFEST 4: invalid numeric value '12abc' for the timeout"},
    {"/number/empty", "Version = 20130611\nProgram = p\nMemory = 65536,0\nTimeout =\n", SYNTAX,
     "MANIFEST 4: invalid numeric value '' for the timeout"},
    {"/number/overflow", "Timeout = 99999999999999999999\n", SYNTAX,
     "MANIFEST 1: invalid numeric value '99999999999999999999' for the timeout"},
    {"/number/suffix", "Memory = 64K,0\n", SYNTAX,
     "MANIFEST 1: invalid numeric value '64K' for the memory size"},
    {"/number/bad-octal", "Timeout = 09\n", SYNTAX,
     "MANIFEST 1: invalid numeric value '09' for the timeout"},
    {"/number/channel-limit", HEAD "Channel = a,/dev/a,0,0,1x,1,0,0\n", SYNTAX,
     "MANIFEST 5: invalid numeric value '1x' for gets of /dev/a"},
    {"/memory/tokens-one", "Memory = 65536\n", SYNTAX,
     "MANIFEST 1: invalid memory tokens number (1; expected <bytes>,<etag 0|1>)"},
    {"/memory/tokens-three", "Memory = 65536,0,1\n", SYNTAX,
     "MANIFEST 1: invalid memory tokens number (3; expected <bytes>,<etag 0|1>)"},
    {"/memory/under-a-page", "Memory = 65535,0\n", LIMIT,
     "MANIFEST 1: invalid memory size (65535 bytes is less than one 64 KiB wasm page)"},
    {"/memory/negative", "Memory = -65536,0\n", LIMIT,
     "MANIFEST 1: invalid memory size (-65536 bytes is less than one 64 KiB wasm page)"},
    {"/memory/over-maximum",
     "Version = 20130611\nProgram = p\nTimeout = 5\nMemory = 8589934592,0\n", LIMIT,
     "MANIFEST 4: invalid memory size (8 GiB over the 1 GiB maximum)"},
    {"/memory/one-byte-over", "Memory = 1073741825,0\n", LIMIT,
     "MANIFEST 1: invalid memory size (1073741825 bytes over the 1 GiB maximum)"},
    {"/memory/etag-token", "Memory = 65536,2\n", SYNTAX,
     "MANIFEST 1: invalid memory etag token '2' (must be 0 or 1)"},
    {"/timeout/zero", "Timeout = 0\n", LIMIT,
     "MANIFEST 1: invalid timeout (0; must be at least 1 s)"},
    {"/timeout/over-maximum",
     "Version = 20130611\nProgram = p\nMemory = 65536,0\nNode = 1\nEtag = e\nJob = j\n"
     "Timeout = 3600\n",
     LIMIT, "MANIFEST 7: invalid timeout (3600 s over the 600 s maximum)"},
    {"/program/absolute", "Program = /bin/busybox.nexe\n", SYNTAX,
     "MANIFEST 1: invalid program name (only names inside the bundle are allowed, got "
     "'/bin/busybox.nexe')"},
    {"/program/dotdot", "Program = ../p.nexe\n", SYNTAX,
     "MANIFEST 1: invalid program name '../p.nexe' (it has a '..' component)"},
    {"/program/empty", "Program =\n", SYNTAX, "MANIFEST 1: invalid program name '' (it is empty)"},
    {"/node/zero", "Node = 0\n", LIMIT, "MANIFEST 1: invalid node (0; must be 1 to 2147483647)"},
    {"/node/too-big", "Node = 2147483648\n", LIMIT,
     "MANIFEST 1: invalid node (2147483648; must be 1 to 2147483647)"},
    {"/name-server/protocol", "NameServer = tcp:1.2.3.4:5\n", SYNTAX,
     "MANIFEST 1: invalid name server 'tcp:1.2.3.4:5' (expected udp:<host>:<port>)"},
    {"/name-server/address", "NameServer = udp:1.2.3:5\n", SYNTAX,
     "MANIFEST 1: invalid name server 'udp:1.2.3:5' (expected udp:<host>:<port>)"},
    {"/name-server/port", "NameServer = udp:10:70000\n", SYNTAX,
     "MANIFEST 1: invalid name server 'udp:10:70000' (expected udp:<host>:<port>)"},
    {"/name-server/needs-node", HEAD "NameServer = udp:127.0.0.1:54321\n", MISSING,
     "MANIFEST 5: invalid node (a NameServer needs a Node line)"},
    {"/job/empty", "Job =\n", LIMIT,
     "MANIFEST 1: invalid job socket path (0 bytes; must be 1 to 108)"},
    {"/channel/tokens", HEAD "Channel = a,/dev/a,0,0,1,1,0\n", SYNTAX,
     "MANIFEST 5: invalid channel tokens number (7; expected 8: uri, alias, type, etag, "
     "gets, get_size, puts, put_size)"},
    {"/channel/replicated", HEAD "Channel = a;b,/dev/a,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/a: replicated channels (several URIs joined by ';') are not "
     "supported"},
    {"/channel/type-4", HEAD "Channel = a,/dev/a,4,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/a has invalid type 4 (must be 0 to 3)"},
    {"/channel/type-negative", HEAD "Channel = a,/dev/a,-1,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/a has invalid type -1 (must be 0 to 3)"},
    {"/channel/etag", HEAD "Channel = a,/dev/a,0,2,1,1,0,0\n", SYNTAX,
     "MANIFEST 5: invalid channel numeric token (the etag of /dev/a must be 0 or 1, got "
     "'2')"},
    {"/channel/negative-limit", HEAD "Channel = a,/dev/a,0,0,1,1,0,-5\n", LIMIT,
     "MANIFEST 5: negative limits for /dev/a (put_size -5)"},
    {"/channel/gets-over-maximum",
     HEAD "Node = 1\nJob = j\nEtag = e\nFoo = bar\n"
	  "Channel = data.txt,/dev/input,0,0,10000000000,1,0,0\n",
     LIMIT, "MANIFEST 9: channel /dev/input: gets 10000000000 over the maximum 4294967296"},
    {"/channel/get-size-over-maximum", HEAD "Channel = a,/dev/a,0,0,1,4294967297,0,0\n", LIMIT,
     "MANIFEST 5: channel /dev/a: get_size 4294967297 over the maximum 4294967296"},
    {"/channel/puts-over-maximum", HEAD "Channel = o,/dev/o,0,0,0,0,0x100000001,1\n", LIMIT,
     "MANIFEST 5: channel /dev/o: puts 4294967297 over the maximum 4294967296"},
    {"/channel/put-size-over-maximum", HEAD "Channel = o,/dev/o,0,0,0,0,1,4294967297\n", LIMIT,
     "MANIFEST 5: channel /dev/o: put_size 4294967297 over the maximum 4294967296"},
    {"/channel/all-limits-zero", HEAD "Channel = a,/dev/a,0,0,0,0,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/a: invalid i/o type (all limits are 0)"},
    {"/channel/no-access", HEAD "Channel = a,/dev/a,0,0,5,0,0,7\n", CHANNEL,
     "MANIFEST 5: /dev/a: invalid i/o type (reading needs gets and get_size above 0, "
     "writing needs puts and put_size above 0)"},
    {"/channel/sequential-read-write", HEAD "Channel = a,/dev/a,0,0,1,1,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/a: sequential channels cannot have r/w access (type 0 with read "
     "and write limits; use type 1 or 3)"},
    {"/channel/type-2-read-write", HEAD "Channel = a,/dev/a,2,0,1,1,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/a: r/w access is not supported for type 2 (sequential read, "
     "random write); use type 3"},
    {"/channel/too-many",
     HEAD "Channel = a,/dev/a,0,0,1,1,0,0\n"
	  "Channel = b,/dev/b,0,0,1,1,0,0\nChannel = c,/dev/c,0,0,1,1,0,0\n",
     LIMIT, "MANIFEST 7: channels number reached maximum (2)", two_channels_at_most},
    {"/channel/empty-uri", HEAD "Channel = ,/dev/a,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/a: the URI is empty"},
    {"/alias/not-dev", HEAD "Channel = a,input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias 'input' (it must start with /dev/)"},
    {"/alias/bare-dev", HEAD "Channel = a,/dev/,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias '/dev/' (it names nothing after /dev/)"},
    {"/alias/empty-component", HEAD "Channel = a,/dev/a//b,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias '/dev/a//b' (it has an empty component)"},
    {"/alias/dot", HEAD "Channel = a,/dev/./a,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias '/dev/./a' (it has a '.' component)"},
    {"/alias/dotdot", HEAD "Channel = a,/dev/in/../x,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias '/dev/in/../x' (it has a '..' component)"},
    {"/alias/trailing-slash", HEAD "Channel = a,/dev/in/,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias '/dev/in/' (it ends with '/')"},
    {"/alias/space", HEAD "Channel = a,/dev/my input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias '/dev/my input' (it may hold only printable ASCII "
     "without spaces)"},
    {"/alias/non-ascii", HEAD "Channel = a,/dev/d\xc3\xa9,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: invalid channel alias '/dev/d\xc3\xa9' (it may hold only printable ASCII "
     "without spaces)"},
    {"/alias/duplicate", HEAD "Channel = a,/dev/a,0,0,1,1,0,0\nChannel = b,/dev/a,0,0,1,1,0,0\n",
     DUPLICATE, "MANIFEST 6: /dev/a is already allocated (line 5)"},
    {"/uri/zero-written", HEAD "Channel = /dev/zero,/dev/z,1,0,1,1,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/z: /dev/zero can only be read (set puts and put_size to 0)"},
    {"/uri/data-written", HEAD "Channel = data:r/x,/dev/d,0,0,0,0,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/d: data: channels are read-only (set puts and put_size to 0)"},
    {"/uri/data-no-path", HEAD "Channel = data:root,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: invalid data URI 'data:root' (expected data:<root>/<path>, "
     "relative names without empty, '.' or '..' components)"},
    {"/uri/data-no-root", HEAD "Channel = data:/etc/passwd,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: invalid data URI 'data:/etc/passwd' (expected data:<root>/<path>, "
     "relative names without empty, '.' or '..' components)"},
    {"/uri/data-dotdot", HEAD "Channel = data:r/../x,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: invalid data URI 'data:r/../x' (expected data:<root>/<path>, "
     "relative names without empty, '.' or '..' components)"},
    {"/uri/data-root-dotdot", HEAD "Channel = data:../x,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: invalid data URI 'data:../x' (expected data:<root>/<path>, "
     "relative names without empty, '.' or '..' components)"},
    {"/uri/data-no-roots", HEAD "Channel = data:logs/x.txt,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: 'data:logs/x.txt' names data root 'logs', but this gateway "
     "exports no data roots"},
    {"/uri/data-unknown-root", HEAD "Channel = data:log/x.txt,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: 'data:log/x.txt' names data root 'log', which is not exported "
     "(exported: corpus, logs)",
     export_two_roots},
    {"/uri/data-wildcard", HEAD "Channel = data:logs/*.txt,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: 'data:logs/*.txt' has a wildcard; a manifest names one file (a "
     "system map makes one node per matching file)",
     export_two_roots},
    {"/uri/data-question-mark", HEAD "Channel = data:logs/day?.txt,/dev/d,3,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: 'data:logs/day?.txt' has a wildcard; a manifest names one file (a "
     "system map makes one node per matching file)",
     export_two_roots},
    {"/uri/data-read-write", HEAD "Channel = data:logs/x.txt,/dev/d,3,0,1,1,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/d: data: channels are read-only (set puts and put_size to 0)",
     export_two_roots},
    {"/uri/data-empty-path", HEAD "Channel = data:logs/,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: invalid data URI 'data:logs/' (expected data:<root>/<path>, "
     "relative names without empty, '.' or '..' components)",
     export_two_roots},
    {"/uri/data-absolute-path", HEAD "Channel = data:logs//etc/passwd,/dev/d,0,0,1,1,0,0\n",
     CHANNEL,
     "MANIFEST 5: /dev/d: invalid data URI 'data:logs//etc/passwd' (expected "
     "data:<root>/<path>, relative names without empty, '.' or '..' components)",
     export_two_roots},
    {"/uri/data-empty-component", HEAD "Channel = data:logs/a//b,/dev/d,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/d: invalid data URI 'data:logs/a//b' (expected data:<root>/<path>, "
     "relative names without empty, '.' or '..' components)",
     export_two_roots},
    {"/uri/pipe", HEAD "Channel = pipe:2,/dev/p,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/p: pipe channels exist only between nodes of a system map"},
    {"/uri/network", HEAD "Channel = tcp:127.0.0.1:5555,/dev/in,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/in: network channels ('tcp:127.0.0.1:5555') are not supported"},
    {"/member/absolute", HEAD "Channel = /etc/passwd,/dev/input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/input: only names inside the bundle are allowed (got '/etc/passwd')"},
    {"/member/zvsh-stdin", HEAD "Channel = /dev/stdin,/dev/stdin,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/stdin: only names inside the bundle are allowed (got '/dev/stdin')"},
    {"/member/dotdot", HEAD "Channel = ../x,/dev/input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/input: invalid member name '../x' (it has a '..' component)"},
    {"/member/dot", HEAD "Channel = ./x,/dev/input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/input: invalid member name './x' (it has a '.' component)"},
    {"/member/empty-component", HEAD "Channel = a//b,/dev/input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/input: invalid member name 'a//b' (it has an empty component)"},
    {"/member/trailing-slash", HEAD "Channel = dir/,/dev/input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/input: invalid member name 'dir/' (it ends with '/')"},
    {"/member/control", HEAD "Channel = a\tb,/dev/input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/input: invalid member name 'a\\tb' (it contains a control "
     "character)"},
    {"/member/not-utf8", HEAD "Channel = a\xff,/dev/input,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/input: invalid member name 'a\\377' (it is not valid UTF-8)"},
    {"/output/absolute", HEAD "Channel = /tmp/out,/dev/out,0,0,0,0,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/out: only names inside the job directory are allowed (got "
     "'/tmp/out')"},
    {"/output/reserved", HEAD "Channel = status,/dev/out,0,0,0,0,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/out: output name 'status' is taken by the job directory (status, "
     "manifest, report, accounting, wait and ctl are reserved)"},
    {"/output/reserved-directory", HEAD "Channel = ctl/x,/dev/out,1,0,1,1,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/out: output name 'ctl/x' is taken by the job directory (status, "
     "manifest, report, accounting, wait and ctl are reserved)"},
    {"/output/dotdot", HEAD "Channel = out/../x,/dev/out,0,0,0,0,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/out: invalid output name 'out/../x' (it has a '..' component)"},
    {"/output/same-name",
     HEAD "Channel = r.txt,/dev/a,0,0,0,0,1,1\n"
	  "Channel = r.txt,/dev/b,3,0,1,1,1,1\n",
     DUPLICATE, "MANIFEST 6: /dev/a and /dev/b both write output 'r.txt'"},
    {"/output/directory-first",
     HEAD "Channel = out,/dev/a,0,0,0,0,1,1\n"
	  "Channel = out/x,/dev/b,0,0,0,0,1,1\n",
     DUPLICATE,
     "MANIFEST 6: /dev/a writes 'out' and /dev/b writes 'out/x': one output cannot be a "
     "directory of another"},
    {"/output/directory-second",
     HEAD "Channel = out/x/y,/dev/a,0,0,0,0,1,1\n"
	  "Channel = out,/dev/b,0,0,0,0,1,1\n",
     DUPLICATE,
     "MANIFEST 6: /dev/a writes 'out/x/y' and /dev/b writes 'out': one output cannot be a "
     "directory of another"},
    {"/standard/stdin-not-readable", HEAD "Channel = in,/dev/stdin,0,0,0,0,1,1\n", CHANNEL,
     "MANIFEST 5: /dev/stdin must be readable (set gets and get_size above 0)"},
    {"/standard/stdout-not-writable", HEAD "Channel = x,/dev/stdout,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/stdout must be writable (set puts and put_size above 0)"},
    {"/standard/stderr-not-writable", HEAD "Channel = /dev/zero,/dev/stderr,0,0,1,1,0,0\n", CHANNEL,
     "MANIFEST 5: /dev/stderr must be writable (set puts and put_size above 0)"},
    {"/standard/stdout-name-taken", HEAD "Channel = stdout,/dev/log,0,0,0,0,1,1\n", DUPLICATE,
     "MANIFEST 5: /dev/stdout is missing, so it would write 'stdout', but /dev/log writes "
     "'stdout'; declare /dev/stdout or choose another output name"},
    {"/standard/stderr-directory-taken", HEAD "Channel = stderr/x,/dev/log,0,0,0,0,1,1\n",
     DUPLICATE,
     "MANIFEST 5: /dev/stderr is missing, so it would write 'stderr', but /dev/log writes "
     "'stderr/x'; declare /dev/stderr or choose another output name"},
    {"/standard/unusable-defaults", HEAD, CHANNEL,
     "MANIFEST: /dev/stdout is missing and the operator's default limits make it unusable; "
     "declare it in the manifest",
     no_default_puts},
};

static void test_refusal(gconstpointer data)
{
	const RefusalCase *c = data;
	ZvmLimits limits;
	zvm_limits_init(&limits);
	if (c->adjust)
		c->adjust(&limits);
	assert_refused(c->text, strlen(c->text), &limits, c->code, c->message);
}

static void test_too_many_bytes(void)
{
	g_autofree char *text = g_strnfill(0x80001, ' ');
	assert_refused(text, 0x80001, NULL, ZVM_MANIFEST_ERROR_TOO_LARGE,
		       "MANIFEST: the manifest is 524289 bytes, over the 512 KiB maximum");
}

static void test_exactly_max_bytes(void)
{
	/* 512 KiB of banner padding after a good manifest is still a good manifest. */
	g_autoptr(GString) text = g_string_new(HEAD);
	while (text->len + 100 <= 0x80000)
		g_string_append_printf(text, "%098d=\n", 0);
	while (text->len < 0x80000)
		g_string_append_c(text, '\n');
	g_assert_cmpuint(text->len, ==, 0x80000);
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmManifest) manifest = parse_with(text->str, text->len, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(manifest->timeout, ==, 5);
}

static void test_too_many_lines(void)
{
	g_autofree char *lines = g_strnfill(8192, '\n');
	/* 8192 lines with a final newline: one line under the limit, refused for its content. */
	assert_refused(lines, 8192, NULL, ZVM_MANIFEST_ERROR_MISSING,
		       "MANIFEST: Version not specified");
	g_autofree char *more = g_strconcat(lines, "x", NULL);
	assert_refused(more, 8193, NULL, ZVM_MANIFEST_ERROR_TOO_LARGE,
		       "MANIFEST: the manifest has 8193 lines, over the 8192 maximum");
}

static void test_nul_byte(void)
{
	static const char text[] = HEAD "Job = a\0b\n";
	assert_refused(text, sizeof(text) - 1, NULL, ZVM_MANIFEST_ERROR_SYNTAX,
		       "MANIFEST 5: the line holds a NUL byte");
}

static void test_long_names(void)
{
	g_autofree char *alias_tail = g_strnfill(251, 'a');
	g_autofree char *alias = g_strconcat("/dev/", alias_tail, NULL); /* 256 bytes */
	g_autofree char *text = g_strdup_printf(HEAD "Channel = a,%s,0,0,1,1,0,0\n", alias);
	g_autofree char *shown = g_strndup(alias, 77);
	g_autofree char *message = g_strdup_printf(
	    "MANIFEST 5: invalid channel alias '%s...' (it is longer than 255 bytes)", shown);
	assert_refused(text, strlen(text), NULL, ZVM_MANIFEST_ERROR_CHANNEL, message);

	g_autofree char *alias_ok = g_strndup(alias, 255);
	g_autofree char *member = g_strnfill(1025, 'm');
	g_free(text);
	text = g_strdup_printf(HEAD "Channel = %s,%s,0,0,1,1,0,0\n", member, alias_ok);
	g_autofree char *member_shown = g_strndup(member, 77);
	g_autofree char *alias_message = g_strdup_printf(
	    "MANIFEST 5: %s: invalid member name '%s...' (it is longer than 1024 bytes)", alias_ok,
	    member_shown);
	assert_refused(text, strlen(text), NULL, ZVM_MANIFEST_ERROR_CHANNEL, alias_message);

	member[1024] = '\0';
	g_free(text);
	text = g_strdup_printf(HEAD "Channel = %s,%s,0,0,1,1,0,0\n", member, alias_ok);
	g_autoptr(ZvmManifest) manifest = parse_ok(text, NULL);
	g_assert_cmpstr(zvm_manifest_find_channel(manifest, alias_ok)->uri, ==, member);

	g_autofree char *job = g_strnfill(109, 'j');
	g_free(text);
	text = g_strdup_printf(HEAD "Job = %s\n", job);
	assert_refused(text, strlen(text), NULL, ZVM_MANIFEST_ERROR_LIMIT,
		       "MANIFEST 5: invalid job socket path (109 bytes; must be 1 to 108)");
	job[108] = '\0';
	g_free(text);
	text = g_strdup_printf(HEAD "Job = %s\n", job);
	g_autoptr(ZvmManifest) with_job = parse_ok(text, NULL);
	g_assert_cmpstr(with_job->job, ==, job);
}

static void assert_channel(const ZvmChannelSpec *spec, const char *uri, ZvmUriKind kind,
			   ZvmAccess access, int type, gboolean etag, int64_t gets,
			   int64_t get_size, int64_t puts, int64_t put_size, guint line)
{
	g_assert_nonnull(spec);
	g_assert_cmpstr(spec->uri, ==, uri);
	g_assert_cmpint(spec->kind, ==, kind);
	g_assert_cmpint(spec->access, ==, access);
	g_assert_cmpint(spec->type, ==, type);
	g_assert_cmpint(spec->etag, ==, etag);
	g_assert_cmpint(spec->limits[ZVM_LIMIT_GETS], ==, gets);
	g_assert_cmpint(spec->limits[ZVM_LIMIT_GET_SIZE], ==, get_size);
	g_assert_cmpint(spec->limits[ZVM_LIMIT_PUTS], ==, puts);
	g_assert_cmpint(spec->limits[ZVM_LIMIT_PUT_SIZE], ==, put_size);
	g_assert_cmpuint(spec->line, ==, line);
}

static void test_zvsh_example(void)
{
	/* zvsh's manifest (reference §1.3) with bundle names for its host paths. */
	static const char text[] =
	    "Node = 1\n"
	    "Version = 20130611\n"
	    "Timeout = 50\n"
	    "Memory = 4294967296,0\n"
	    "Program = busybox.nexe\n"
	    "Channel = /dev/null,/dev/stdin,0,0,4294967296,4294967296,0,0\n"
	    "Channel = stdout.1,/dev/stdout,0,0,0,0,4294967296,4294967296\n"
	    "Channel = stderr.1,/dev/stderr,0,0,0,0,4294967296,4294967296\n"
	    "Channel = README,/dev/1.README,3,0,4294967296,4294967296,4294967296,4294967296\n"
	    "Channel = nvram.1,/dev/nvram,3,0,4294967296,4294967296,4294967296,4294967296\n";
	ZvmLimits limits;
	zvm_limits_init(&limits);
	limits.max_memory = 4 * GIB;
	g_autoptr(ZvmManifest) m = parse_ok(text, &limits);
	g_assert_cmpint(m->node, ==, 1);
	g_assert_cmpuint(m->timeout, ==, 50);
	g_assert_cmpuint(m->memory, ==, 4 * GIB);
	g_assert_false(m->memory_etag);
	g_assert_cmpstr(m->program, ==, "busybox.nexe");
	g_assert_null(m->job);
	g_assert_null(m->etag);
	g_assert_null(m->name_server);
	g_assert_cmpuint(m->channels->len, ==, 5);
	const int64_t four_g = 4294967296;
	assert_channel(m->channels->pdata[0], "/dev/null", ZVM_URI_NULL, ZVM_ACCESS_READ, 0, FALSE,
		       four_g, four_g, 0, 0, 6);
	assert_channel(m->channels->pdata[1], "stdout.1", ZVM_URI_OUTPUT, ZVM_ACCESS_WRITE, 0,
		       FALSE, 0, 0, four_g, four_g, 7);
	assert_channel(m->channels->pdata[2], "stderr.1", ZVM_URI_OUTPUT, ZVM_ACCESS_WRITE, 0,
		       FALSE, 0, 0, four_g, four_g, 8);
	assert_channel(m->channels->pdata[3], "README", ZVM_URI_OUTPUT, ZVM_ACCESS_READ_WRITE, 3,
		       FALSE, four_g, four_g, four_g, four_g, 9);
	assert_channel(zvm_manifest_find_channel(m, "/dev/nvram"), "nvram.1", ZVM_URI_OUTPUT,
		       ZVM_ACCESS_READ_WRITE, 3, FALSE, four_g, four_g, four_g, four_g, 10);

	/* The same manifest under the default 1 GiB maximum is refused for its memory. */
	assert_refused(text, strlen(text), NULL, ZVM_MANIFEST_ERROR_LIMIT,
		       "MANIFEST 4: invalid memory size (4 GiB over the 1 GiB maximum)");
}

static void test_zerovm_examples(void)
{
	/* Values as ZeroVM's docs and functional tests write them: spaces after commas,
	 * a /dev/null stdin with limits of 1, 32-byte quotas, memory etag on. */
	static const char text[] =
	    "Version = 20130611\n"
	    "Program = seqro.nexe\n"
	    "Memory = 33554432, 1\n"
	    "Timeout = 1\n"
	    "Channel = /dev/null, /dev/stdin, 0, 0, 1, 1, 0, 0\n"
	    "Channel = seqro.data, /dev/seqro, 0, 1, 32, 32, 0, 0\n"
	    "Channel = stdout.data, /dev/stdout, 0, 0, 0, 0, 0x1000, 0x1000\n";
	g_autoptr(ZvmManifest) m = parse_ok(text, NULL);
	g_assert_cmpuint(m->memory, ==, 33554432);
	g_assert_true(m->memory_etag);
	g_assert_cmpuint(m->timeout, ==, 1);
	assert_channel(zvm_manifest_find_channel(m, "/dev/seqro"), "seqro.data", ZVM_URI_MEMBER,
		       ZVM_ACCESS_READ, 0, TRUE, 32, 32, 0, 0, 6);
	assert_channel(zvm_manifest_find_channel(m, "/dev/stdout"), "stdout.data", ZVM_URI_OUTPUT,
		       ZVM_ACCESS_WRITE, 0, FALSE, 0, 0, 4096, 4096, 7);
	g_assert_cmpuint(m->channels->len, ==, 4);
	assert_channel(m->channels->pdata[3], "stderr", ZVM_URI_OUTPUT, ZVM_ACCESS_WRITE, 0, FALSE,
		       0, 0, 4294967296, GIB, 0);
}

static void test_numbers(void)
{
	static const char text[] = "Version = 20130611\n"
				   "Program = p\n"
				   "Memory = 0200000,0x1\n"
				   "Timeout = 010\n"
				   "Node = 0x7fffffff\n"
				   "Channel = in,/dev/in,0x3,00,0x10,020,0,0\n";
	g_autoptr(ZvmManifest) m = parse_ok(text, NULL);
	g_assert_cmpuint(m->memory, ==, 65536);
	g_assert_true(m->memory_etag);
	g_assert_cmpuint(m->timeout, ==, 8);
	g_assert_cmpint(m->node, ==, G_MAXINT32);
	assert_channel(zvm_manifest_find_channel(m, "/dev/in"), "in", ZVM_URI_MEMBER,
		       ZVM_ACCESS_READ, 3, FALSE, 16, 16, 0, 0, 6);
}

static void test_crlf(void)
{
	static const char text[] = "Version = 20130611\r\n"
				   "Program = p.nexe\r\n"
				   "Memory = 65536,1\r\n"
				   "Timeout = 5\r\n"
				   "Channel = in.txt,/dev/stdin,0,0,1,1,0,0\r\n";
	g_autoptr(ZvmManifest) m = parse_ok(text, NULL);
	g_assert_cmpstr(m->program, ==, "p.nexe");
	g_assert_true(m->memory_etag);
	assert_channel(zvm_manifest_find_channel(m, "/dev/stdin"), "in.txt", ZVM_URI_MEMBER,
		       ZVM_ACCESS_READ, 0, FALSE, 1, 1, 0, 0, 5);
}

static void test_ignored_lines(void)
{
	/* Banners, lines without '=', unknown and commented-out keys, keys in the wrong case,
	 * and lines whose value holds '=' count for nothing, even with values that would be
	 * refused if they were read. */
	static const char text[] = "=====================================\n"
				   "== channels test ==\n"
				   "just some text\n"
				   "\n"
				   "Version = 20130611\n"
				   "Frobnicate = 12\n"
				   "#Timeout = 9999\n"
				   "timeout = 9999\n"
				   "Program = p\n"
				   "Memory = 65536,0\n"
				   "Timeout = 7\n"
				   "Timeout = 8=8\n"
				   "Channel = a=b,/dev/x,0,0,1,1,0,0\n"
				   "=\n";
	g_autoptr(ZvmManifest) m = parse_ok(text, NULL);
	g_assert_cmpuint(m->timeout, ==, 7);
	g_assert_null(zvm_manifest_find_channel(m, "/dev/x"));
	g_assert_cmpuint(m->channels->len, ==, 3);
}

static void test_standard_defaults(void)
{
	ZvmLimits limits;
	zvm_limits_init(&limits);
	limits.default_gets = 11;
	limits.default_get_size = 12;
	limits.default_puts = 13;
	limits.default_put_size = 14;
	g_autoptr(ZvmManifest) m =
	    parse_ok(HEAD "Channel = data.csv,/dev/input,0,0,1,1,0,0\n", &limits);
	g_assert_cmpuint(m->channels->len, ==, 4);
	g_assert_cmpstr(((ZvmChannelSpec *)m->channels->pdata[0])->alias, ==, "/dev/input");
	const ZvmChannelSpec *in = m->channels->pdata[1];
	const ZvmChannelSpec *out = m->channels->pdata[2];
	const ZvmChannelSpec *err = m->channels->pdata[3];
	g_assert_cmpstr(in->alias, ==, "/dev/stdin");
	g_assert_cmpstr(out->alias, ==, "/dev/stdout");
	g_assert_cmpstr(err->alias, ==, "/dev/stderr");
	assert_channel(in, "/dev/null", ZVM_URI_NULL, ZVM_ACCESS_READ, 0, FALSE, 11, 12, 0, 0, 0);
	assert_channel(out, "stdout", ZVM_URI_OUTPUT, ZVM_ACCESS_WRITE, 0, FALSE, 0, 0, 13, 14, 0);
	assert_channel(err, "stderr", ZVM_URI_OUTPUT, ZVM_ACCESS_WRITE, 0, FALSE, 0, 0, 13, 14, 0);

	/* A member named like a default output is read, not written: no clash. */
	g_autoptr(ZvmManifest) reads_stdout =
	    parse_ok(HEAD "Channel = stdout,/dev/old,0,0,1,1,0,0\n", NULL);
	g_assert_cmpuint(reads_stdout->channels->len, ==, 4);
}

static void test_access_and_kinds(void)
{
	static const char text[] =
	    HEAD "Channel = in.txt,/dev/ro,3,0,1,1,0,0\n"	/* 5 */
		 "Channel = out.txt,/dev/wo,3,1,0,0,1,1\n"	/* 6 */
		 "Channel = log.txt,/dev/append,1,0,1,1,1,1\n"	/* 7 */
		 "Channel = db,/dev/rw,3,0,1,1,1,1\n"		/* 8 */
		 "Channel = half.txt,/dev/half,0,0,1,1,5,0\n"	/* 9: no put_size, read-only */
		 "Channel = /dev/null,/dev/sink,3,0,1,1,1,1\n"	/* 10 */
		 "Channel = /dev/zero,/dev/zeros,3,0,1,1,0,0\n" /* 11 */
		 "Channel = data:corpus/en/wiki.txt,/dev/in/wiki,1,0,1,1,0,0\n" /* 12 */
		 "Channel = out/a,/dev/out/a,0,0,0,0,1,1\n"			/* 13 */
		 "Channel = out/b,/dev/out/b,0,0,0,0,1,1\n"			/* 14 */
		 "Channel = outer,/dev/outer,0,0,0,0,1,1\n"			/* 15 */
		 "Channel = stdout,/dev/nvram,0,0,1,1,0,0\n"			/* 16 */
		 "Channel = dir/f\xc3\xa9.txt,/dev/utf8,0,0,1,1,0,0\n"		/* 17 */
		 "Channel = data:logs/2026/day.txt,/dev/in/day,0,0,1,1,0,0\n";	/* 18 */
	ZvmLimits limits;
	zvm_limits_init(&limits);
	export_two_roots(&limits);
	g_autoptr(ZvmManifest) m = parse_ok(text, &limits);
	assert_channel(zvm_manifest_find_channel(m, "/dev/ro"), "in.txt", ZVM_URI_MEMBER,
		       ZVM_ACCESS_READ, 3, FALSE, 1, 1, 0, 0, 5);
	assert_channel(zvm_manifest_find_channel(m, "/dev/wo"), "out.txt", ZVM_URI_OUTPUT,
		       ZVM_ACCESS_WRITE, 3, TRUE, 0, 0, 1, 1, 6);
	assert_channel(zvm_manifest_find_channel(m, "/dev/append"), "log.txt", ZVM_URI_OUTPUT,
		       ZVM_ACCESS_READ_WRITE, 1, FALSE, 1, 1, 1, 1, 7);
	assert_channel(zvm_manifest_find_channel(m, "/dev/rw"), "db", ZVM_URI_OUTPUT,
		       ZVM_ACCESS_READ_WRITE, 3, FALSE, 1, 1, 1, 1, 8);
	assert_channel(zvm_manifest_find_channel(m, "/dev/half"), "half.txt", ZVM_URI_MEMBER,
		       ZVM_ACCESS_READ, 0, FALSE, 1, 1, 5, 0, 9);
	assert_channel(zvm_manifest_find_channel(m, "/dev/sink"), "/dev/null", ZVM_URI_NULL,
		       ZVM_ACCESS_READ_WRITE, 3, FALSE, 1, 1, 1, 1, 10);
	assert_channel(zvm_manifest_find_channel(m, "/dev/zeros"), "/dev/zero", ZVM_URI_ZERO,
		       ZVM_ACCESS_READ, 3, FALSE, 1, 1, 0, 0, 11);
	assert_channel(zvm_manifest_find_channel(m, "/dev/in/wiki"), "data:corpus/en/wiki.txt",
		       ZVM_URI_DATA, ZVM_ACCESS_READ, 1, FALSE, 1, 1, 0, 0, 12);
	assert_channel(zvm_manifest_find_channel(m, "/dev/in/day"), "data:logs/2026/day.txt",
		       ZVM_URI_DATA, ZVM_ACCESS_READ, 0, FALSE, 1, 1, 0, 0, 18);
	g_assert_cmpint(zvm_manifest_find_channel(m, "/dev/out/b")->kind, ==, ZVM_URI_OUTPUT);
	g_assert_cmpint(zvm_manifest_find_channel(m, "/dev/outer")->kind, ==, ZVM_URI_OUTPUT);
	g_assert_cmpint(zvm_manifest_find_channel(m, "/dev/nvram")->kind, ==, ZVM_URI_MEMBER);
	g_assert_cmpint(zvm_manifest_find_channel(m, "/dev/utf8")->kind, ==, ZVM_URI_MEMBER);
	g_assert_null(zvm_manifest_find_channel(m, "/dev/missing"));
	g_assert_cmpuint(m->channels->len, ==, 14 + 3);
}

static void test_optional_keys(void)
{
	static const char text[] = HEAD "Node = 3\n"
					"NameServer = udp:10.0.0.1:54321\n"
					"Job = /tmp/zvm.sock\n"
					"Etag = 0123abcd\n";
	g_autoptr(ZvmManifest) m = parse_ok(text, NULL);
	g_assert_cmpint(m->node, ==, 3);
	g_assert_cmpstr(m->name_server, ==, "udp:10.0.0.1:54321");
	g_assert_cmpstr(m->job, ==, "/tmp/zvm.sock");
	g_assert_cmpstr(m->etag, ==, "0123abcd");
	g_autoptr(ZvmManifest) by_id = parse_ok(HEAD "NameServer = UDP:7:1\nNode = 2\n", NULL);
	g_assert_cmpstr(by_id->name_server, ==, "UDP:7:1");
	g_assert_cmpint(by_id->node, ==, 2);
}

static void test_bounds_accepted(void)
{
	ZvmLimits limits;
	zvm_limits_init(&limits);
	limits.max_channels = 3;
	g_autoptr(ZvmManifest) m = parse_ok("Version = 20130611\nProgram = p\n"
					    "Memory = 1073741824,0\nTimeout = 600\n"
					    "Channel = a,/dev/a,0,0,4294967296,4294967296,0,0\n"
					    "Channel = b,/dev/b,0,0,1,1,0,0\n"
					    "Channel = c,/dev/c,0,0,0,0,4294967296,4294967296\n",
					    &limits);
	g_assert_cmpuint(m->memory, ==, GIB);
	g_assert_cmpuint(m->timeout, ==, 600);
	g_assert_cmpuint(m->channels->len, ==, 6);
}

static void test_output_names(void)
{
	static const char *const valid[] = {"stdout",
					    "stderr",
					    "out/result.csv",
					    "a",
					    "statusx",
					    "my status",
					    "r\xc3\xa9sultat.txt",
					    "x/status",
					    "..a",
					    "a..",
					    ".hidden"};
	static const char *const invalid[] = {
	    "",	      "/abs", "a/",    "a//b",	 "./a",	     "a/.",    "../a",
	    "a/../b", "..",   ".",     "status", "manifest", "report", "accounting",
	    "wait",   "ctl",  "ctl/x", "a\nb",	 "\xff",     "a\x7f"};
	for (size_t i = 0; i < G_N_ELEMENTS(valid) + G_N_ELEMENTS(invalid); i++) {
		gboolean expected = i < G_N_ELEMENTS(valid);
		const char *name = expected ? valid[i] : invalid[i - G_N_ELEMENTS(valid)];
		if (zvm_output_name_is_valid(name) != expected) {
			g_autofree char *shown = g_strescape(name, NULL);
			g_test_fail_printf("'%s' should be %s", shown,
					   expected ? "valid" : "invalid");
		}
	}
	g_autofree char *longest = g_strnfill(1024, 'x');
	g_assert_true(zvm_output_name_is_valid(longest));
	g_autofree char *too_long = g_strnfill(1025, 'x');
	g_assert_false(zvm_output_name_is_valid(too_long));
	g_assert_false(zvm_output_name_is_valid(NULL));
}

static void test_error_quark(void)
{
	g_assert_cmpstr(g_quark_to_string(ZVM_MANIFEST_ERROR), ==, "zvm-manifest-error-quark");
	zvm_manifest_free(NULL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(refusals); i++) {
		g_autofree char *path = g_strconcat("/manifest/refused", refusals[i].path, NULL);
		g_test_add_data_func(path, &refusals[i], test_refusal);
	}
	g_test_add_func("/manifest/refused/too-many-bytes", test_too_many_bytes);
	g_test_add_func("/manifest/refused/too-many-lines", test_too_many_lines);
	g_test_add_func("/manifest/refused/nul-byte", test_nul_byte);
	g_test_add_func("/manifest/refused/long-names", test_long_names);
	g_test_add_func("/manifest/exactly-max-bytes", test_exactly_max_bytes);
	g_test_add_func("/manifest/zvsh-example", test_zvsh_example);
	g_test_add_func("/manifest/zerovm-examples", test_zerovm_examples);
	g_test_add_func("/manifest/numbers", test_numbers);
	g_test_add_func("/manifest/crlf", test_crlf);
	g_test_add_func("/manifest/ignored-lines", test_ignored_lines);
	g_test_add_func("/manifest/standard-defaults", test_standard_defaults);
	g_test_add_func("/manifest/access-and-kinds", test_access_and_kinds);
	g_test_add_func("/manifest/optional-keys", test_optional_keys);
	g_test_add_func("/manifest/bounds-accepted", test_bounds_accepted);
	g_test_add_func("/manifest/output-names", test_output_names);
	g_test_add_func("/manifest/error-quark", test_error_quark);
	return g_test_run();
}
