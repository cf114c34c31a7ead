/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Channel transfers with ZeroVM's limit arithmetic (reference §2.3, trap.c and channel.c of
 * ZeroVM v1.x) and running etags. The order of the checks is ZeroVM's and is observable by
 * programs, so it is kept exactly: see zvm_channel_read and zvm_channel_write.
 */
#include "channel.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

ZvmChannel *zvm_channel_new(const ZvmChannelSpec *spec, ZvmSourceKind source, int fd, int64_t size,
			    ZvmChannelCounters *counters, ZvmEtagAlgorithm algorithm)
{
	ZvmChannel *channel = g_new0(ZvmChannel, 1);
	channel->alias = g_strdup(spec->alias);
	channel->type = spec->type;
	channel->access = spec->access;
	memcpy(channel->limits, spec->limits, sizeof(channel->limits));
	channel->counters = counters ? counters : &channel->own_counters;
	channel->source = source;
	channel->fd = fd;
	channel->seekable = fd >= 0 && lseek(fd, 0, SEEK_CUR) >= 0;
	/* Sequential channels have no size (ZeroVM reports 0 for them). */
	channel->size =
	    (zvm_channel_random_read(channel) || zvm_channel_random_write(channel)) ? size : 0;
	if (spec->etag)
		channel->etag = zvm_etag_new(algorithm);
	return channel;
}

void zvm_channel_free(ZvmChannel *channel)
{
	if (channel == NULL)
		return;
	if (channel->fd >= 0)
		close(channel->fd);
	g_clear_pointer(&channel->etag, zvm_etag_free);
	g_free(channel->alias);
	g_free(channel);
}

/* The counters may live in memory a supervisor reads while the program runs (runner.h): one
 * writer (this thread) and relaxed atomic stores, so a reader never sees a torn value. As
 * cheap as a plain store on the 64-bit hosts we run on. */
static inline void counter_add(int64_t *counter, int64_t n)
{
	__atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

static ssize_t host_read(ZvmChannel *channel, void *buf, size_t size, int64_t offset)
{
	switch (channel->source) {
	case ZVM_SOURCE_NULL:
		return 0;
	case ZVM_SOURCE_ZERO:
		memset(buf, 0, size);
		return (ssize_t)size;
	case ZVM_SOURCE_FD:
		break;
	default:
		return -EIO;
	}
	for (;;) {
		ssize_t n = channel->seekable ? pread(channel->fd, buf, size, offset)
					      : read(channel->fd, buf, size);
		if (n >= 0)
			return n;
		if (errno != EINTR)
			return -EIO;
	}
}

static ssize_t host_write(ZvmChannel *channel, const void *buf, size_t size, int64_t offset)
{
	if (channel->source == ZVM_SOURCE_NULL)
		return (ssize_t)size;
	if (channel->source != ZVM_SOURCE_FD)
		return -EIO;
	size_t done = 0;
	while (done < size) {
		ssize_t n = channel->seekable
				? pwrite(channel->fd, (const char *)buf + done, size - done,
					 offset + (int64_t)done)
				: write(channel->fd, (const char *)buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int error = n < 0 ? errno : EIO;
			if (error != ENOSPC && error != EDQUOT && error != EFBIG && error != EPIPE)
				error = EIO;
			return -error;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

ssize_t zvm_channel_read(ZvmChannel *channel, void *buf, size_t size, int64_t offset)
{
	int64_t *used = channel->counters->used;

	if (!(channel->access & ZVM_ACCESS_READ))
		return -EINVAL;
	if (size > G_MAXSSIZE)
		size = G_MAXSSIZE;
	if (zvm_channel_random_read(channel)) {
		if (offset < 0)
			return -EINVAL;
		/* ZeroVM clamps to the channel size first: past the end is -EFAULT, at the end
		 * the size becomes 0 and the call is free. */
		int64_t left = channel->size - offset;
		if (left < 0)
			return -EFAULT;
		if ((int64_t)size > left)
			size = (size_t)left;
	} else {
		offset = channel->getpos;
	}
	if (size == 0)
		return 0;
	if (channel->eof)
		return 0;
	if (used[ZVM_LIMIT_GETS] >= channel->limits[ZVM_LIMIT_GETS])
		return -EDQUOT;
	int64_t quota = channel->limits[ZVM_LIMIT_GET_SIZE] - used[ZVM_LIMIT_GET_SIZE];
	if (quota < 1)
		return -EDQUOT;
	if ((int64_t)size > quota)
		size = (size_t)quota;

	ssize_t n = host_read(channel, buf, size, offset);
	if (n < 0)
		return n;
	/* The read counts even when it finds the end of the data. */
	counter_add(&used[ZVM_LIMIT_GETS], 1);
	counter_add(&used[ZVM_LIMIT_GET_SIZE], n);
	if (n == 0 && !zvm_channel_random_read(channel))
		channel->eof = TRUE;
	if (!zvm_channel_random_read(channel))
		channel->getpos += n;
	if (channel->etag && n > 0)
		zvm_etag_update(channel->etag, buf, (size_t)n);
	return n;
}

ssize_t zvm_channel_write(ZvmChannel *channel, const void *buf, size_t size, int64_t offset)
{
	int64_t *used = channel->counters->used;

	if (!(channel->access & ZVM_ACCESS_WRITE))
		return -EINVAL;
	if (size > G_MAXSSIZE)
		size = G_MAXSSIZE;
	if (!zvm_channel_random_write(channel))
		offset = channel->putpos;
	if (size == 0)
		return 0;
	if (offset < 0)
		return -EINVAL;
	if (used[ZVM_LIMIT_PUTS] >= channel->limits[ZVM_LIMIT_PUTS])
		return -EDQUOT;
	if (zvm_channel_random_write(channel) && !(channel->access & ZVM_ACCESS_READ) &&
	    offset >= channel->limits[ZVM_LIMIT_PUT_SIZE])
		return -EINVAL;
	int64_t quota = channel->limits[ZVM_LIMIT_PUT_SIZE] - used[ZVM_LIMIT_PUT_SIZE];
	if (quota < 1)
		return -EDQUOT;
	if ((int64_t)size > quota)
		size = (size_t)quota;

	ssize_t n = host_write(channel, buf, size, offset);
	if (n < 0) {
		if (channel->host_error == 0)
			channel->host_error = (int)-n;
		return n;
	}
	counter_add(&used[ZVM_LIMIT_PUTS], 1);
	counter_add(&used[ZVM_LIMIT_PUT_SIZE], n);
	channel->putpos = offset + n;
	channel->getpos = channel->putpos;
	/* ZeroVM: a random write may leave a hole behind the end, a sequential one appends. */
	if (zvm_channel_random_write(channel))
		channel->size = MAX(channel->size, channel->putpos);
	else
		channel->size = channel->putpos;
	if (channel->etag)
		zvm_etag_update(channel->etag, buf, (size_t)n);
	return n;
}

char *zvm_channel_etag(const ZvmChannel *channel)
{
	return channel->etag ? zvm_etag_hex(channel->etag) : NULL;
}

int zvm_channel_close(ZvmChannel *channel)
{
	if (channel->fd < 0)
		return 0;
	int r = close(channel->fd);
	channel->fd = -1;
	return r < 0 ? -errno : 0;
}
