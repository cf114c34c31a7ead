/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The WASI host object and the calls that need no file: arguments and environment, the
 * virtual clocks and poll_oneoff, entropy, proc_*, sched_yield and sock_*. The descriptor calls
 * are wasi-io.c's, the path calls wasi-path.c's, the file tree and descriptor table wasi-fs.c's.
 */
#include "wasi-host.h"

#include <string.h>

#include "wasi-host-private.h"

/* The step of the virtual clocks per clock_time_get, and their advertised resolution. */
#define CLOCK_STEP_NS 1000
#define NS_PER_SECOND INT64_C(1000000000)

/* Every call of wasi-calls.def is declared in wasi-imports.h (a missing one fails here). */
#define ZVM_WASI_CALL(name, params, results) +(sizeof(&Z_wasi_snapshot_preview1Z_##name) > 0)
_Static_assert(0
#include "wasi-calls.def"
		   == 46,
	       "wasi-imports.h declares every call of wasi-calls.def");
#undef ZVM_WASI_CALL

/* Arguments and environment: the pointer array, then the NUL-terminated strings. */

static uint16_t strings_sizes(ZvmWasiHost *host, char **strings, uint32_t count_ptr,
			      uint32_t size_ptr)
{
	uint8_t *count = zvm_wasi_guest(host, count_ptr, 4);
	uint8_t *size = zvm_wasi_guest(host, size_ptr, 4);
	uint64_t n = 0, bytes = 0;

	if (count == NULL || size == NULL)
		return ZVM_WASI_EFAULT;
	for (; strings != NULL && strings[n] != NULL; n++)
		bytes += strlen(strings[n]) + 1;
	if (bytes > UINT32_MAX || n > UINT32_MAX / 4)
		return ZVM_WASI_EOVERFLOW;
	zvm_wasi_put_u32(count, (uint32_t)n);
	zvm_wasi_put_u32(size, (uint32_t)bytes);
	return ZVM_WASI_SUCCESS;
}

static uint16_t strings_get(ZvmWasiHost *host, char **strings, uint32_t pointers, uint32_t buffer)
{
	uint64_t n = 0, bytes = 0;

	for (; strings != NULL && strings[n] != NULL; n++)
		bytes += strlen(strings[n]) + 1;
	uint8_t *array = zvm_wasi_guest(host, pointers, n * 4);
	uint8_t *text = zvm_wasi_guest(host, buffer, bytes);
	if (array == NULL || text == NULL)
		return ZVM_WASI_EFAULT;
	uint32_t offset = 0;
	for (uint64_t i = 0; i < n; i++) {
		size_t length = strlen(strings[i]) + 1;

		zvm_wasi_put_u32(array + i * 4, buffer + offset);
		memcpy(text + offset, strings[i], length);
		offset += (uint32_t)length;
	}
	return ZVM_WASI_SUCCESS;
}

/* Clocks: virtual, advanced by calls and by poll_oneoff, never read from the host. */

static int64_t *clock_of(ZvmWasiHost *host, uint32_t id)
{
	switch (id) {
	case ZVM_WASI_CLOCK_REALTIME:
		return &host->realtime_ns;
	case ZVM_WASI_CLOCK_MONOTONIC:
	case ZVM_WASI_CLOCK_PROCESS_CPUTIME:
	case ZVM_WASI_CLOCK_THREAD_CPUTIME:
		return &host->monotonic_ns;
	default:
		return NULL;
	}
}

static void clock_advance(int64_t *clock, uint64_t ns)
{
	*clock = ns > (uint64_t)(INT64_MAX - *clock) ? INT64_MAX : *clock + (int64_t)ns;
}

static uint16_t wasi_clock_time_get(ZvmWasiHost *host, uint32_t id, uint32_t time)
{
	int64_t *clock = clock_of(host, id);
	uint8_t *p = zvm_wasi_guest(host, time, 8);

	if (clock == NULL)
		return ZVM_WASI_EINVAL;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	zvm_wasi_put_u64(p, (uint64_t)*clock);
	clock_advance(clock, CLOCK_STEP_NS);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_clock_res_get(ZvmWasiHost *host, uint32_t id, uint32_t resolution)
{
	uint8_t *p = zvm_wasi_guest(host, resolution, 8);

	if (clock_of(host, id) == NULL)
		return ZVM_WASI_EINVAL;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	zvm_wasi_put_u64(p, CLOCK_STEP_NS);
	return ZVM_WASI_SUCCESS;
}

/*
 * poll_oneoff without waiting. Descriptor subscriptions are ready at once (channels never
 * make a program wait for another party it could observe), as are subscriptions in error.
 * When nothing is ready, time jumps to the earliest clock deadline: both virtual clocks
 * advance by that much and every clock subscription due by then fires. So sleep() returns at
 * once, having moved the clocks by exactly its duration.
 */
static uint64_t poll_clock_delay(ZvmWasiHost *host, const uint8_t *sub)
{
	int64_t *clock = clock_of(host, zvm_wasi_get_u32(sub + 16));
	uint64_t timeout = zvm_wasi_get_u64(sub + 24);

	if (!(zvm_wasi_get_u16(sub + 40) & ZVM_WASI_SUBCLOCK_ABSTIME))
		return timeout;
	return timeout > (uint64_t)*clock ? timeout - (uint64_t)*clock : 0;
}

/* Fills @event for @sub if it fires (after @elapsed ns of jumped time). */
static gboolean poll_event(ZvmWasiHost *host, const uint8_t *sub, uint64_t elapsed,
			   uint8_t event[ZVM_WASI_EVENT_SIZE])
{
	uint8_t type = sub[8];
	uint16_t error = ZVM_WASI_SUCCESS;
	uint64_t nbytes = 0;

	switch (type) {
	case ZVM_WASI_EVENTTYPE_CLOCK:
		if (clock_of(host, zvm_wasi_get_u32(sub + 16)) == NULL)
			error = ZVM_WASI_EINVAL;
		else if (poll_clock_delay(host, sub) > elapsed)
			return FALSE;
		break;
	case ZVM_WASI_EVENTTYPE_FD_READ:
	case ZVM_WASI_EVENTTYPE_FD_WRITE: {
		ZvmWasiFd *entry = zvm_wasi_fd_get(host, zvm_wasi_get_u32(sub + 16));

		if (entry == NULL)
			error = ZVM_WASI_EBADF;
		else if (type == ZVM_WASI_EVENTTYPE_FD_READ && zvm_wasi_node_seekable(entry->node))
			nbytes = (uint64_t)MAX(0, zvm_wasi_node_size(entry->node) - entry->offset);
		break;
	}
	default:
		error = ZVM_WASI_EINVAL;
		break;
	}
	memset(event, 0, ZVM_WASI_EVENT_SIZE);
	memcpy(event, sub, 8);
	zvm_wasi_put_u16(event + 8, error);
	zvm_wasi_put_u8(event + 10, type);
	zvm_wasi_put_u64(event + 16, nbytes);
	return TRUE;
}

static uint16_t wasi_poll_oneoff(ZvmWasiHost *host, uint32_t in, uint32_t out,
				 uint32_t nsubscriptions, uint32_t nevents)
{
	const uint8_t *subs =
	    zvm_wasi_guest(host, in, (uint64_t)nsubscriptions * ZVM_WASI_SUBSCRIPTION_SIZE);
	uint8_t *events = zvm_wasi_guest(host, out, (uint64_t)nsubscriptions * ZVM_WASI_EVENT_SIZE);
	uint8_t *count = zvm_wasi_guest(host, nevents, 4);

	if (nsubscriptions == 0)
		return ZVM_WASI_EINVAL;
	if (subs == NULL || events == NULL || count == NULL)
		return ZVM_WASI_EFAULT;

	/* Ready now, or the earliest deadline. */
	gboolean ready = FALSE;
	uint64_t earliest = UINT64_MAX;
	for (uint32_t i = 0; i < nsubscriptions; i++) {
		const uint8_t *sub = subs + (uint64_t)i * ZVM_WASI_SUBSCRIPTION_SIZE;

		if (sub[8] == ZVM_WASI_EVENTTYPE_CLOCK &&
		    clock_of(host, zvm_wasi_get_u32(sub + 16)) != NULL)
			earliest = MIN(earliest, poll_clock_delay(host, sub));
		else
			ready = TRUE;
	}
	uint64_t elapsed = ready ? 0 : earliest;

	/* Each subscription is read before its event is written, and events are smaller, so
	 * @out may even overlap @in. */
	uint32_t n = 0;
	for (uint32_t i = 0; i < nsubscriptions; i++) {
		uint8_t event[ZVM_WASI_EVENT_SIZE];

		if (poll_event(host, subs + (uint64_t)i * ZVM_WASI_SUBSCRIPTION_SIZE, elapsed,
			       event))
			memcpy(events + (uint64_t)n++ * ZVM_WASI_EVENT_SIZE, event, sizeof(event));
	}
	clock_advance(&host->realtime_ns, elapsed);
	clock_advance(&host->monotonic_ns, elapsed);
	zvm_wasi_put_u32(count, n);
	return ZVM_WASI_SUCCESS;
}

/* Entropy: xoshiro256** (Blackman and Vigna), seeded from the job. Not cryptographic. */

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t prng_next(uint64_t s[4])
{
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint16_t wasi_random_get(ZvmWasiHost *host, uint32_t buf, uint32_t buf_len)
{
	uint8_t *p = zvm_wasi_guest(host, buf, buf_len);

	if (p == NULL)
		return ZVM_WASI_EFAULT;
	for (uint32_t done = 0; done < buf_len; done += 8) {
		uint8_t bytes[8];

		zvm_wasi_put_u64(bytes, prng_next(host->prng));
		memcpy(p + done, bytes, MIN(8u, buf_len - done));
	}
	return ZVM_WASI_SUCCESS;
}

/* Sockets: none exist, so every open descriptor is something else. */
static uint16_t no_socket(ZvmWasiHost *host, uint32_t fd)
{
	return zvm_wasi_fd_get(host, fd) == NULL ? ZVM_WASI_EBADF : ZVM_WASI_ENOTSOCK;
}

/* The host. */

ZvmWasiHost *zvm_wasi_host_new(ZvmChannel **channels, guint n_channels, char **args, char **env,
			       int64_t start_seconds, const guint8 seed[32],
			       const ZvmWasiMount *mounts, guint n_mounts)
{
	ZvmWasiHost *host = g_new0(ZvmWasiHost, 1);
	uint64_t mix = 0;

	host->channels = channels;
	host->n_channels = n_channels;
	host->args = args;
	host->env = env;
	/* WASI timestamps are unsigned: the clock cannot show a time before 1970. */
	if (start_seconds > 0)
		host->realtime_ns = start_seconds > INT64_MAX / NS_PER_SECOND
					? INT64_MAX
					: start_seconds * NS_PER_SECOND;
	for (int i = 0; i < 4; i++) {
		mix ^= zvm_wasi_get_u64(seed + 8 * i);
		host->prng[i] = splitmix64(&mix);
	}
	/* The one state xoshiro never leaves. */
	if ((host->prng[0] | host->prng[1] | host->prng[2] | host->prng[3]) == 0)
		host->prng[0] = 1;
	host->files = zvm_wasi_files_new(channels, n_channels, mounts, n_mounts, &host->memory);
	return host;
}

int zvm_wasi_host_save_outputs(ZvmWasiHost *host)
{
	GPtrArray *trees = zvm_wasi_files_trees(host->files);
	int result = 0;

	for (guint i = 0; i < trees->len; i++) {
		ZvmWasiTree *tree = trees->pdata[i];

		if (zvm_wasi_tree_kind(tree) != ZVM_WASI_TREE_OUTPUT)
			continue;
		int r = zvm_wasi_tree_save(tree);
		if (r < 0 && result == 0)
			result = r;
	}
	return result;
}

void zvm_wasi_host_free(ZvmWasiHost *host)
{
	if (host == NULL)
		return;
	zvm_wasi_files_free(host->files);
	g_free(host);
}

/* The imports, in wasi-calls.def order (the descriptor calls are wasi-io.c's, the path calls
 * wasi-path.c's). */

uint32_t Z_wasi_snapshot_preview1Z_args_get(ZvmWasiInstance *instance, uint32_t argv, uint32_t buf)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, strings_get(host, host->args, argv, buf));
}

uint32_t Z_wasi_snapshot_preview1Z_args_sizes_get(ZvmWasiInstance *instance, uint32_t argc,
						  uint32_t size)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, strings_sizes(host, host->args, argc, size));
}

uint32_t Z_wasi_snapshot_preview1Z_environ_get(ZvmWasiInstance *instance, uint32_t pointers,
					       uint32_t buf)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, strings_get(host, host->env, pointers, buf));
}

uint32_t Z_wasi_snapshot_preview1Z_environ_sizes_get(ZvmWasiInstance *instance, uint32_t count,
						     uint32_t size)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, strings_sizes(host, host->env, count, size));
}

uint32_t Z_wasi_snapshot_preview1Z_clock_res_get(ZvmWasiInstance *instance, uint32_t id,
						 uint32_t resolution)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_clock_res_get(host, id, resolution));
}

uint32_t Z_wasi_snapshot_preview1Z_clock_time_get(ZvmWasiInstance *instance, uint32_t id,
						  uint64_t precision, uint32_t time)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_clock_time_get(host, id, time));
}

uint32_t Z_wasi_snapshot_preview1Z_poll_oneoff(ZvmWasiInstance *instance, uint32_t in, uint32_t out,
					       uint32_t nsubscriptions, uint32_t nevents)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_poll_oneoff(host, in, out, nsubscriptions, nevents));
}

/* Leaves for good: no host state is in flight, so no enter/leave bracket. */
void Z_wasi_snapshot_preview1Z_proc_exit(ZvmWasiInstance *instance, uint32_t code)
{
	zvm_runner_exit((int)code);
}

uint32_t Z_wasi_snapshot_preview1Z_proc_raise(ZvmWasiInstance *instance, uint32_t sig)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, ZVM_WASI_ENOSYS);
}

uint32_t Z_wasi_snapshot_preview1Z_random_get(ZvmWasiInstance *instance, uint32_t buf,
					      uint32_t buf_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_random_get(host, buf, buf_len));
}

uint32_t Z_wasi_snapshot_preview1Z_sched_yield(ZvmWasiInstance *instance)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, ZVM_WASI_SUCCESS);
}

uint32_t Z_wasi_snapshot_preview1Z_sock_accept(ZvmWasiInstance *instance, uint32_t fd,
					       uint32_t flags, uint32_t result)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, no_socket(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_sock_recv(ZvmWasiInstance *instance, uint32_t fd,
					     uint32_t ri_data, uint32_t ri_data_len,
					     uint32_t ri_flags, uint32_t ro_datalen,
					     uint32_t ro_flags)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, no_socket(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_sock_send(ZvmWasiInstance *instance, uint32_t fd,
					     uint32_t si_data, uint32_t si_data_len,
					     uint32_t si_flags, uint32_t so_datalen)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, no_socket(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_sock_shutdown(ZvmWasiInstance *instance, uint32_t fd,
						 uint32_t how)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, no_socket(host, fd));
}
