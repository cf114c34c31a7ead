/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A runner that lies (issue #12): the parent's reader of the shared region
 * (zvm_runner_read_results, sandbox/runner.h) over regions forged as a runner that escaped
 * wasm could write them: changed sizes in the header, a bad magic, outcomes, codes and
 * counters out of range, strings without their end, etags that are not the plan's. Each
 * must end as ZVM_RUN_BROKE_PROTOCOL with a reason and nothing of the region used; run under
 * AddressSanitizer, a read or write past the region fails the test too.
 */
#include <string.h>
#include <wasm-rt.h>

#include "../../sandbox/runner.h"

#define N_CHANNELS 3
#define ETAGS_CAPACITY 600

typedef struct {
	ZvmChannelSpec specs[N_CHANNELS];
	ZvmRunChannel channels[N_CHANNELS];
	ZvmRunPlan plan;
	size_t size;
	ZvmRunShared *shared; /* size bytes, as the parent maps it */
	char digest[65];      /* a SHA-256 digest in hex */
} Forge;

/* An honest region: the program exited 7, wrote 5 bytes in 1 write to stdout, etags on
 * stdout and /dev/memory. */
static void forge_setup(Forge *f, gconstpointer data)
{
	static const char *const aliases[N_CHANNELS] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
	for (int i = 0; i < N_CHANNELS; i++) {
		f->specs[i].alias = (char *)aliases[i];
		f->specs[i].etag = i == 1;
		for (int l = 0; l < ZVM_LIMIT_COUNT; l++)
			f->specs[i].limits[l] = 1000;
		f->channels[i] = (ZvmRunChannel){.spec = &f->specs[i], .fd = -1};
	}
	f->plan = (ZvmRunPlan){.channels = f->channels,
			       .n_channels = N_CHANNELS,
			       .memory_etag = TRUE,
			       .etag_algorithm = ZVM_ETAG_SHA256};
	f->size = zvm_run_shared_size(N_CHANNELS, ETAGS_CAPACITY);
	f->shared = g_malloc0(f->size);
	f->shared->magic = ZVM_RUN_SHARED_MAGIC;
	f->shared->n_channels = N_CHANNELS;
	f->shared->etags_capacity = ETAGS_CAPACITY;
	f->shared->outcome = ZVM_RUN_EXITED;
	f->shared->user_rc = 7;
	zvm_run_shared_counters(f->shared)[1].used[ZVM_LIMIT_PUTS] = 1;
	zvm_run_shared_counters(f->shared)[1].used[ZVM_LIMIT_PUT_SIZE] = 5;
	memset(f->digest, 'a', 64);
	f->digest[64] = '\0';
	g_snprintf(zvm_run_shared_etags(f->shared), ETAGS_CAPACITY, "/dev/stdout %s /dev/memory %s",
		   f->digest, f->digest);
	(void)data;
}

static void forge_teardown(Forge *f, gconstpointer data)
{
	g_free(f->shared);
	(void)data;
}

/* The etag line of @f at its honest place (the header's n_channels may be forged). */
static char *forge_etags(Forge *f)
{
	return (char *)(zvm_run_shared_counters(f->shared) + N_CHANNELS);
}

static void read_region(Forge *f, ZvmRunResult *result)
{
	zvm_runner_read_results(f->shared, f->size, &f->plan, ETAGS_CAPACITY, result);
}

/* Reads @f, which must be refused with a reason containing @why. */
static void assert_broken(Forge *f, const char *why)
{
	g_auto(ZvmRunResult) result = {0};
	read_region(f, &result);
	g_assert_cmpint(result.outcome, ==, ZVM_RUN_BROKE_PROTOCOL);
	g_assert_nonnull(result.message);
	g_assert_true(g_str_has_prefix(result.message, "runner broke the protocol: "));
	g_assert_nonnull(strstr(result.message, why));
	g_assert_null(result.etags);
	for (int i = 0; i < N_CHANNELS; i++)
		for (int l = 0; l < ZVM_LIMIT_COUNT; l++)
			g_assert_cmpint(result.counters[i].used[l], ==, 0);
}

static void test_honest(Forge *f, gconstpointer data)
{
	g_auto(ZvmRunResult) result = {0};
	read_region(f, &result);
	g_assert_cmpint(result.outcome, ==, ZVM_RUN_EXITED);
	g_assert_cmpint(result.user_rc, ==, 7);
	g_assert_cmpint(result.counters[1].used[ZVM_LIMIT_PUT_SIZE], ==, 5);
	g_assert_null(result.message);
	g_autofree char *etags =
	    g_strdup_printf("/dev/stdout %s /dev/memory %s", f->digest, f->digest);
	g_assert_cmpstr(result.etags, ==, etags);
	(void)data;
}

static void test_unfinished(Forge *f, gconstpointer data)
{
	/* A runner killed before it reported: no magic, its counters still count. */
	f->shared->magic = 0;
	g_auto(ZvmRunResult) result = {0};
	result.message = g_strdup("set by the caller");
	read_region(f, &result);
	g_assert_cmpint(result.outcome, ==, ZVM_RUN_UNFINISHED);
	g_assert_cmpstr(result.message, ==, "set by the caller");
	g_assert_cmpint(result.counters[1].used[ZVM_LIMIT_PUTS], ==, 1);
	g_assert_null(result.etags);
	(void)data;
}

static void test_channels_grown(Forge *f, gconstpointer data)
{
	/* The gateway crash of the issue: with this n_channels the etag line was sought 64 GiB
	 * past the region and written to. */
	f->shared->n_channels = 0x7fffffff;
	assert_broken(f, "channel count");
	f->shared->n_channels = N_CHANNELS + 1;
	assert_broken(f, "channel count");
	(void)data;
}

static void test_etags_capacity_changed(Forge *f, gconstpointer data)
{
	f->shared->etags_capacity = 0xffffffff;
	assert_broken(f, "etag capacity");
	f->shared->etags_capacity = 0;
	assert_broken(f, "etag capacity");
	/* Even with no report at all. */
	f->shared->magic = 0;
	assert_broken(f, "etag capacity");
	(void)data;
}

static void test_bad_magic(Forge *f, gconstpointer data)
{
	f->shared->magic = 0xdeadbeef;
	assert_broken(f, "magic");
	(void)data;
}

static void test_outcome_out_of_range(Forge *f, gconstpointer data)
{
	const int32_t lies[] = {-1, ZVM_RUN_UNFINISHED, ZVM_RUN_BROKE_PROTOCOL,
				99, G_MININT32,		G_MAXINT32};
	for (gsize i = 0; i < G_N_ELEMENTS(lies); i++) {
		f->shared->outcome = lies[i];
		assert_broken(f, "outcome");
	}
	(void)data;
}

static void test_codes_out_of_range(Forge *f, gconstpointer data)
{
	f->shared->outcome = ZVM_RUN_TRAPPED;
	f->shared->trap_code = 1000;
	assert_broken(f, "trap code");
	f->shared->trap_code = WASM_RT_TRAP_NONE;
	assert_broken(f, "trap code");
	f->shared->trap_code = WASM_RT_TRAP_DIV_BY_ZERO;
	f->shared->host_errno = -5;
	assert_broken(f, "errno");
	f->shared->host_errno = 0;
	f->shared->syscall_nr = G_MAXINT32;
	assert_broken(f, "system call");
	f->shared->syscall_nr = 0;
	g_auto(ZvmRunResult) result = {0};
	read_region(f, &result);
	g_assert_cmpint(result.outcome, ==, ZVM_RUN_TRAPPED);
	(void)data;
}

static void test_message_unterminated(Forge *f, gconstpointer data)
{
	memset(f->shared->message, 'A', sizeof(f->shared->message));
	assert_broken(f, "not terminated");
	(void)data;
}

static void test_message_not_text(Forge *f, gconstpointer data)
{
	g_strlcpy(f->shared->message, "ok\n0\nforged report line", sizeof(f->shared->message));
	assert_broken(f, "control characters");
	g_strlcpy(f->shared->message, "\xff\xfe", sizeof(f->shared->message));
	assert_broken(f, "UTF-8");
	(void)data;
}

static void test_counters_out_of_range(Forge *f, gconstpointer data)
{
	ZvmChannelCounters *counters = zvm_run_shared_counters(f->shared);
	counters[0].used[ZVM_LIMIT_GETS] = -1;
	assert_broken(f, "counter");
	counters[0].used[ZVM_LIMIT_GETS] = 1001;
	assert_broken(f, "counter");
	counters[0].used[ZVM_LIMIT_GETS] = G_MAXINT64;
	assert_broken(f, "counter");
	/* Also from a runner that never reported. */
	f->shared->magic = 0;
	assert_broken(f, "counter");
	(void)data;
}

static void test_etags_unterminated(Forge *f, gconstpointer data)
{
	memset(forge_etags(f), 'e', ETAGS_CAPACITY);
	assert_broken(f, "not terminated");
	(void)data;
}

static void test_etags_not_the_plans(Forge *f, gconstpointer data)
{
	const char *d = f->digest;
	char *lines[] = {
	    /* a channel without an etag */
	    g_strdup_printf("/dev/stdin %s", d),
	    /* twice */
	    g_strdup_printf("/dev/stdout %s /dev/stdout %s", d, d),
	    /* after /dev/memory */
	    g_strdup_printf("/dev/memory %s /dev/stdout %s", d, d),
	    /* no digest */
	    g_strdup("/dev/stdout"),
	    /* a report line of its own */
	    g_strdup_printf("/dev/stdout %s\n/dev/memory %s", d, d),
	};
	for (gsize i = 0; i < G_N_ELEMENTS(lines); i++) {
		g_strlcpy(forge_etags(f), lines[i], ETAGS_CAPACITY);
		assert_broken(f, "etag");
		g_free(lines[i]);
	}
	g_snprintf(forge_etags(f), ETAGS_CAPACITY, "/dev/stdout %.10s", f->digest);
	assert_broken(f, "length");
	f->digest[3] = 'G';
	g_snprintf(forge_etags(f), ETAGS_CAPACITY, "/dev/stdout %s", f->digest);
	assert_broken(f, "hex");
	/* Nothing is well formed too: a runner that died in its setup wrote none. */
	forge_etags(f)[0] = '\0';
	g_auto(ZvmRunResult) result = {0};
	read_region(f, &result);
	g_assert_cmpint(result.outcome, ==, ZVM_RUN_EXITED);
	g_assert_null(result.etags);
	(void)data;
}

static void test_channel_called_memory(Forge *f, gconstpointer data)
{
	/* An honest line where a channel is called /dev/memory too, and has an etag. */
	f->specs[2].alias = (char *)"/dev/memory";
	f->specs[2].etag = TRUE;
	g_autofree char *line = g_strdup_printf("/dev/stdout %s /dev/memory %s /dev/memory %s",
						f->digest, f->digest, f->digest);
	g_strlcpy(forge_etags(f), line, ETAGS_CAPACITY);
	g_auto(ZvmRunResult) result = {0};
	read_region(f, &result);
	g_assert_cmpint(result.outcome, ==, ZVM_RUN_EXITED);
	g_assert_cmpstr(result.etags, ==, line);
	/* A third one is one too many. */
	g_autofree char *more = g_strdup_printf("%s /dev/memory %s", line, f->digest);
	g_strlcpy(forge_etags(f), more, ETAGS_CAPACITY);
	assert_broken(f, "etag");
	(void)data;
}

static void test_wrong_size(Forge *f, gconstpointer data)
{
	/* A caller's mistake, not the runner's: still no read past what it mapped. */
	g_auto(ZvmRunResult) result = {0};
	zvm_runner_read_results(f->shared, f->size - 1, &f->plan, ETAGS_CAPACITY, &result);
	g_assert_cmpint(result.outcome, ==, ZVM_RUN_BROKE_PROTOCOL);
	(void)data;
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	struct {
		const char *name;
		void (*test)(Forge *, gconstpointer);
	} tests[] = {
	    {"/runner-protocol/honest", test_honest},
	    {"/runner-protocol/unfinished", test_unfinished},
	    {"/runner-protocol/channels-grown", test_channels_grown},
	    {"/runner-protocol/etags-capacity-changed", test_etags_capacity_changed},
	    {"/runner-protocol/bad-magic", test_bad_magic},
	    {"/runner-protocol/outcome-out-of-range", test_outcome_out_of_range},
	    {"/runner-protocol/codes-out-of-range", test_codes_out_of_range},
	    {"/runner-protocol/message-unterminated", test_message_unterminated},
	    {"/runner-protocol/message-not-text", test_message_not_text},
	    {"/runner-protocol/counters-out-of-range", test_counters_out_of_range},
	    {"/runner-protocol/etags-unterminated", test_etags_unterminated},
	    {"/runner-protocol/etags-not-the-plans", test_etags_not_the_plans},
	    {"/runner-protocol/channel-called-memory", test_channel_called_memory},
	    {"/runner-protocol/wrong-size", test_wrong_size},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(tests); i++)
		g_test_add(tests[i].name, Forge, NULL, forge_setup, tests[i].test, forge_teardown);
	return g_test_run();
}
