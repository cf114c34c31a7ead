/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Everything that is not a file: arguments and environment, the virtual clocks, the seeded
 * PRNG, poll_oneoff's deterministic time jumps, proc_exit and the timeout bracket.
 */
#include "test-wasi.h"

#include <string.h>

static uint64_t clock_now(TestJob *job, uint32_t id)
{
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_clock_time_get(job->instance, id, 1, TEST_RESULT), ==, 0);
	return zvm_wasi_get_u64(test_mem(job, TEST_RESULT));
}

static void test_args_env(void)
{
	char *args[] = {(char *)"prog", (char *)"a b", (char *)"", NULL};
	char *env[] = {(char *)"A=1", (char *)"PATH=/bin", NULL};
	const TestChannel std[] = {
	    {"/dev/stdin", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/stdout", 0, ZVM_ACCESS_WRITE, 0, 0, 1, 1, NULL},
	    {"/dev/stderr", 0, ZVM_ACCESS_WRITE, 0, 0, 1, 1, NULL},
	};
	const TestJobOptions options = {.args = args, .env = env};
	g_autoptr(TestJob) job = test_job_new_full(std, 3, &options);
	Instance *in = job->instance;

	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_args_sizes_get(in, TEST_RESULT, TEST_RESULT + 4),
			 ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 3);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT + 4)), ==, 10);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_args_get(in, TEST_BUF, TEST_BUF2), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_BUF)), ==, TEST_BUF2);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_BUF + 4)), ==, TEST_BUF2 + 5);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_BUF + 8)), ==, TEST_BUF2 + 9);
	g_assert_cmpmem(test_mem(job, TEST_BUF2), 10, "prog\0a b\0\0", 10);

	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_environ_sizes_get(in, TEST_RESULT, TEST_RESULT + 4), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 2);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT + 4)), ==, 14);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_environ_get(in, TEST_BUF, TEST_BUF2), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_BUF + 4)), ==, TEST_BUF2 + 4);
	g_assert_cmpmem(test_mem(job, TEST_BUF2), 14, "A=1\0PATH=/bin\0", 14);

	/* Out of memory at either end. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_args_get(in, TEST_BUF, TEST_MEMORY_SIZE - 9), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_args_get(in, TEST_MEMORY_SIZE - 11, TEST_BUF2),
			 ==, ZVM_WASI_EFAULT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_environ_sizes_get(in, TEST_RESULT, TEST_MEMORY_SIZE - 3), ==,
	    ZVM_WASI_EFAULT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_args_get(in, TEST_MEMORY_SIZE - 12, TEST_MEMORY_SIZE - 10),
	    ==, 0);

	/* None at all. */
	g_autoptr(TestJob) bare = test_job_new(NULL, 0);
	memset(test_mem(bare, TEST_RESULT), 0xff, 8);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_args_sizes_get(bare->instance, TEST_RESULT, TEST_RESULT + 4),
	    ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(test_mem(bare, TEST_RESULT)), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_environ_get(bare->instance, TEST_BUF, TEST_BUF2),
			 ==, 0);
}

static void test_clocks(void)
{
	const TestChannel std[] = {
	    {"/dev/stdin", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/stdout", 0, ZVM_ACCESS_WRITE, 0, 0, 1, 1, NULL},
	    {"/dev/stderr", 0, ZVM_ACCESS_WRITE, 0, 0, 1, 1, NULL},
	};
	TestJobOptions options = {.start_seconds = 1700000000};
	g_autoptr(TestJob) job = test_job_new_full(std, 3, &options);
	Instance *in = job->instance;

	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_REALTIME), ==,
			 UINT64_C(1700000000000000000));
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_REALTIME), ==,
			 UINT64_C(1700000000000001000));
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, 0);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, 1000);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_PROCESS_CPUTIME), ==, 2000);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_THREAD_CPUTIME), ==, 3000);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_REALTIME), ==,
			 UINT64_C(1700000000000002000));
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_clock_time_get(in, 4, 0, TEST_RESULT), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_clock_time_get(in, 0xffffffff, 0, TEST_RESULT),
			 ==, ZVM_WASI_EINVAL);
	for (uint32_t id = 0; id < 4; id++) {
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_clock_res_get(in, id, TEST_RESULT), ==,
				 0);
		g_assert_cmpuint(zvm_wasi_get_u64(test_mem(job, TEST_RESULT)), ==, 1000);
	}
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_clock_res_get(in, 4, TEST_RESULT), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_clock_res_get(in, 0, TEST_MEMORY_SIZE - 7), ==,
			 ZVM_WASI_EFAULT);
	/* A failed call does not move the clock. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_clock_time_get(in, 1, 0, TEST_MEMORY_SIZE), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, 4000);

	/* Before 1970 is 1970; past 2262 stays at the end of time. */
	options.start_seconds = -5;
	g_autoptr(TestJob) early = test_job_new_full(std, 3, &options);
	g_assert_cmpuint(clock_now(early, ZVM_WASI_CLOCK_REALTIME), ==, 0);
	options.start_seconds = INT64_MAX / 1000000000 + 1;
	g_autoptr(TestJob) late = test_job_new_full(std, 3, &options);
	g_assert_cmpuint(clock_now(late, ZVM_WASI_CLOCK_REALTIME), ==, INT64_MAX);
	g_assert_cmpuint(clock_now(late, ZVM_WASI_CLOCK_REALTIME), ==, INT64_MAX);
}

static TestJob *seeded_job(const guint8 seed[32])
{
	const TestChannel std[] = {
	    {"/dev/stdin", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/stdout", 0, ZVM_ACCESS_WRITE, 0, 0, 1, 1, NULL},
	    {"/dev/stderr", 0, ZVM_ACCESS_WRITE, 0, 0, 1, 1, NULL},
	};
	const TestJobOptions options = {.seed = seed};

	return test_job_new_full(std, 3, &options);
}

static void test_random(void)
{
	guint8 seed[32], other_seed[32];

	for (int i = 0; i < 32; i++) {
		seed[i] = (guint8)i;
		other_seed[i] = (guint8)i;
	}
	other_seed[31] ^= 1;
	g_autoptr(TestJob) a = seeded_job(seed);
	g_autoptr(TestJob) b = seeded_job(seed);
	g_autoptr(TestJob) c = seeded_job(other_seed);

	/* The algorithm is part of the job's determinism: pinned (splitmix64 seeding, then
	 * xoshiro256**, 8 little-endian bytes per step). */
	static const guint8 expected[20] = {0x4b, 0xf8, 0x14, 0x3d, 0xa8, 0x66, 0x12,
					    0x50, 0x30, 0xc2, 0xcc, 0x08, 0x2a, 0x79,
					    0xc4, 0x57, 0x28, 0x50, 0xea, 0x34};
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(a->instance, TEST_BUF, 20), ==, 0);
	g_assert_cmpmem(test_mem(a, TEST_BUF), 20, expected, 20);

	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(b->instance, TEST_BUF, 20), ==, 0);
	for (int i = 0; i < 10; i++) {
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(a->instance, TEST_BUF, 1001),
				 ==, 0);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(b->instance, TEST_BUF, 1001),
				 ==, 0);
		g_assert_cmpmem(test_mem(a, TEST_BUF), 1001, test_mem(b, TEST_BUF), 1001);
	}
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(c->instance, TEST_BUF, 20), ==, 0);
	g_assert_true(memcmp(test_mem(c, TEST_BUF), expected, 20) != 0);

	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(a->instance, TEST_BUF, 0), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(a->instance, TEST_MEMORY_SIZE, 0), ==,
			 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(a->instance, TEST_MEMORY_SIZE - 1, 2),
			 ==, ZVM_WASI_EFAULT);
	/* An all-zero seed still gives a working generator. */
	static const guint8 zero[32];
	g_autoptr(TestJob) z = seeded_job(zero);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(z->instance, TEST_BUF, 64), ==, 0);
	g_assert_true(memcmp(test_mem(z, TEST_BUF), test_mem(z, TEST_BUF) + 32, 32) != 0);
}

static void put_clock_sub(TestJob *job, uint32_t index, uint64_t userdata, uint32_t id,
			  uint64_t timeout, uint16_t flags)
{
	uint8_t *p = test_mem(job, TEST_BUF + index * ZVM_WASI_SUBSCRIPTION_SIZE);

	memset(p, 0xee, ZVM_WASI_SUBSCRIPTION_SIZE);
	zvm_wasi_put_u64(p, userdata);
	p[8] = ZVM_WASI_EVENTTYPE_CLOCK;
	zvm_wasi_put_u32(p + 16, id);
	zvm_wasi_put_u64(p + 24, timeout);
	zvm_wasi_put_u64(p + 32, 0);
	zvm_wasi_put_u16(p + 40, flags);
}

static void put_fd_sub(TestJob *job, uint32_t index, uint64_t userdata, uint8_t type, uint32_t fd)
{
	uint8_t *p = test_mem(job, TEST_BUF + index * ZVM_WASI_SUBSCRIPTION_SIZE);

	memset(p, 0xee, ZVM_WASI_SUBSCRIPTION_SIZE);
	zvm_wasi_put_u64(p, userdata);
	p[8] = type;
	zvm_wasi_put_u32(p + 16, fd);
}

/* Polls @n subscriptions at TEST_BUF into TEST_BUF2; returns the number of events. */
static uint32_t poll_subscriptions(TestJob *job, uint32_t n)
{
	memset(test_mem(job, TEST_BUF2), 0xcc, (size_t)n * ZVM_WASI_EVENT_SIZE);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_poll_oneoff(job->instance, TEST_BUF, TEST_BUF2,
							       n, TEST_RESULT),
			 ==, 0);
	return zvm_wasi_get_u32(test_mem(job, TEST_RESULT));
}

static void assert_event(TestJob *job, uint32_t index, uint64_t userdata, uint16_t error,
			 uint8_t type, uint64_t nbytes)
{
	const uint8_t *e = test_mem(job, TEST_BUF2 + index * ZVM_WASI_EVENT_SIZE);
	static const uint8_t zeros[8];

	g_assert_cmpuint(zvm_wasi_get_u64(e), ==, userdata);
	g_assert_cmpuint(zvm_wasi_get_u16(e + 8), ==, error);
	g_assert_cmpuint(e[10], ==, type);
	g_assert_cmpmem(e + 11, 5, zeros, 5);
	g_assert_cmpuint(zvm_wasi_get_u64(e + 16), ==, nbytes);
	g_assert_cmpuint(zvm_wasi_get_u16(e + 24), ==, 0);
	g_assert_cmpmem(e + 26, 6, zeros, 6);
}

static void test_poll(void)
{
	const TestChannel extra[] = {
	    {"/dev/data", 1, ZVM_ACCESS_READ, 10, 10, 0, 0, "0123456789"},
	};
	const uint64_t second = 1000000000;
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	Instance *in = job->instance;
	uint32_t data;

	/* sleep(5): returns at once, five seconds later on both clocks. */
	uint64_t mono = clock_now(job, ZVM_WASI_CLOCK_MONOTONIC);
	uint64_t real = clock_now(job, ZVM_WASI_CLOCK_REALTIME);
	put_clock_sub(job, 0, 77, ZVM_WASI_CLOCK_MONOTONIC, 5 * second, 0);
	g_assert_cmpuint(poll_subscriptions(job, 1), ==, 1);
	assert_event(job, 0, 77, 0, ZVM_WASI_EVENTTYPE_CLOCK, 0);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, mono + 1000 + 5 * second);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_REALTIME), ==, real + 1000 + 5 * second);

	/* Until an absolute time: exactly that time. */
	real = clock_now(job, ZVM_WASI_CLOCK_REALTIME);
	put_clock_sub(job, 0, 1, ZVM_WASI_CLOCK_REALTIME, real + 3 * second,
		      ZVM_WASI_SUBCLOCK_ABSTIME);
	g_assert_cmpuint(poll_subscriptions(job, 1), ==, 1);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_REALTIME), ==, real + 3 * second);
	/* A time already past fires without moving the clock. */
	mono = clock_now(job, ZVM_WASI_CLOCK_MONOTONIC);
	put_clock_sub(job, 0, 2, ZVM_WASI_CLOCK_MONOTONIC, 5, ZVM_WASI_SUBCLOCK_ABSTIME);
	g_assert_cmpuint(poll_subscriptions(job, 1), ==, 1);
	assert_event(job, 0, 2, 0, ZVM_WASI_EVENTTYPE_CLOCK, 0);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, mono + 1000);

	/* The earliest of several deadlines wins; the others stay pending. */
	mono = clock_now(job, ZVM_WASI_CLOCK_MONOTONIC);
	put_clock_sub(job, 0, 30, ZVM_WASI_CLOCK_MONOTONIC, 3 * second, 0);
	put_clock_sub(job, 1, 10, ZVM_WASI_CLOCK_MONOTONIC, 1 * second, 0);
	put_clock_sub(job, 2, 11, ZVM_WASI_CLOCK_PROCESS_CPUTIME, 1 * second, 0);
	g_assert_cmpuint(poll_subscriptions(job, 3), ==, 2);
	assert_event(job, 0, 10, 0, ZVM_WASI_EVENTTYPE_CLOCK, 0);
	assert_event(job, 1, 11, 0, ZVM_WASI_EVENTTYPE_CLOCK, 0);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, mono + 1000 + second);

	/* A descriptor is ready at once: time does not move, except for 0 timeouts. */
	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDONLY, 0, &data), ==, 0);
	g_assert_cmpuint(test_seek(job, data, 4, ZVM_WASI_WHENCE_SET, NULL), ==, 0);
	mono = clock_now(job, ZVM_WASI_CLOCK_MONOTONIC);
	put_clock_sub(job, 0, 1, ZVM_WASI_CLOCK_MONOTONIC, 10 * second, 0);
	put_fd_sub(job, 1, 2, ZVM_WASI_EVENTTYPE_FD_READ, 0);
	put_fd_sub(job, 2, 3, ZVM_WASI_EVENTTYPE_FD_READ, data);
	put_fd_sub(job, 3, 4, ZVM_WASI_EVENTTYPE_FD_WRITE, 1);
	put_clock_sub(job, 4, 5, ZVM_WASI_CLOCK_REALTIME, 0, 0);
	g_assert_cmpuint(poll_subscriptions(job, 5), ==, 4);
	assert_event(job, 0, 2, 0, ZVM_WASI_EVENTTYPE_FD_READ, 0);
	assert_event(job, 1, 3, 0, ZVM_WASI_EVENTTYPE_FD_READ, 6);
	assert_event(job, 2, 4, 0, ZVM_WASI_EVENTTYPE_FD_WRITE, 0);
	assert_event(job, 3, 5, 0, ZVM_WASI_EVENTTYPE_CLOCK, 0);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, mono + 1000);

	/* Subscriptions in error are events too. */
	put_fd_sub(job, 0, 1, ZVM_WASI_EVENTTYPE_FD_READ, 77);
	put_clock_sub(job, 1, 2, 9, second, 0);
	put_fd_sub(job, 2, 3, 5, 0);
	put_clock_sub(job, 3, 4, ZVM_WASI_CLOCK_MONOTONIC, second, 0);
	g_assert_cmpuint(poll_subscriptions(job, 4), ==, 3);
	assert_event(job, 0, 1, ZVM_WASI_EBADF, ZVM_WASI_EVENTTYPE_FD_READ, 0);
	assert_event(job, 1, 2, ZVM_WASI_EINVAL, ZVM_WASI_EVENTTYPE_CLOCK, 0);
	assert_event(job, 2, 3, ZVM_WASI_EINVAL, 5, 0);

	/* In place: events over the subscriptions they answer. */
	put_clock_sub(job, 0, 1, ZVM_WASI_CLOCK_MONOTONIC, 0, 0);
	put_fd_sub(job, 1, 2, ZVM_WASI_EVENTTYPE_FD_WRITE, 1);
	put_clock_sub(job, 2, 3, ZVM_WASI_CLOCK_MONOTONIC, 0, 0);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_poll_oneoff(in, TEST_BUF, TEST_BUF, 3, TEST_RESULT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 3);
	g_assert_cmpuint(zvm_wasi_get_u64(test_mem(job, TEST_BUF + 64)), ==, 3);

	/* Bad calls. */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_poll_oneoff(in, TEST_BUF, TEST_BUF2, 0, TEST_RESULT), ==,
	    ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_poll_oneoff(in, TEST_MEMORY_SIZE - 47, TEST_BUF2,
							       1, TEST_RESULT),
			 ==, ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_poll_oneoff(in, TEST_BUF, TEST_MEMORY_SIZE - 31,
							       1, TEST_RESULT),
			 ==, ZVM_WASI_EFAULT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_poll_oneoff(in, TEST_BUF, TEST_BUF2, 1, TEST_MEMORY_SIZE - 3),
	    ==, ZVM_WASI_EFAULT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_poll_oneoff(in, TEST_BUF, TEST_BUF2, 0xffffffff, TEST_RESULT),
	    ==, ZVM_WASI_EFAULT);

	/* Forever is the end of time, not an overflow. */
	put_clock_sub(job, 0, 1, ZVM_WASI_CLOCK_MONOTONIC, UINT64_MAX, 0);
	g_assert_cmpuint(poll_subscriptions(job, 1), ==, 1);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_MONOTONIC), ==, INT64_MAX);
	g_assert_cmpuint(clock_now(job, ZVM_WASI_CLOCK_REALTIME), ==, INT64_MAX);
}

/* proc_exit leaves through the runner; a timeout during a call waits for its end. */
static void test_exit_and_timeout(void)
{
	g_autoptr(TestJob) job = test_job_new(NULL, 0);
	uint32_t n;

	switch (setjmp(test_runner_jump)) {
	case 0:
		Z_wasi_snapshot_preview1Z_proc_exit(job->instance, 42);
		g_assert_not_reached();
	case TEST_JUMP_EXIT:
		g_assert_cmpint(test_runner_exit_code, ==, 42);
		break;
	default:
		g_assert_not_reached();
	}

	switch (setjmp(test_runner_jump)) {
	case 0:
		job->host->timeout_pending = 1;
		test_write(job, 1, "late", 4, &n);
		g_assert_not_reached();
	case TEST_JUMP_TIMEOUT:
		break;
	default:
		g_assert_not_reached();
	}
	/* The write that was in progress finished whole; the bracket is closed. */
	g_autofree char *out = test_job_contents(job, 1, NULL);
	g_assert_cmpstr(out, ==, "late");
	g_assert_cmpint(job->host->in_host_call, ==, 0);
	job->host->timeout_pending = 0;
	g_assert_cmpuint(test_write(job, 1, "!", 1, &n), ==, 0);
	g_assert_cmpint(job->host->in_host_call, ==, 0);
}

void test_misc_register(void)
{
	g_test_add_func("/wasi/misc/args-env", test_args_env);
	g_test_add_func("/wasi/misc/clocks", test_clocks);
	g_test_add_func("/wasi/misc/random", test_random);
	g_test_add_func("/wasi/misc/poll", test_poll);
	g_test_add_func("/wasi/misc/exit-and-timeout", test_exit_and_timeout);
}
