/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A channel at run time: one host source or sink with ZeroVM's limit arithmetic
 * (reference §2.3) and its running etag (§4). The sandbox's WASI host calls
 * zvm_channel_read/write for every transfer the program makes; nothing else touches the bytes.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

#include "etag.h"
#include "manifest.h"
#include "zvm-limits.h"

/* The four counters of one channel, in manifest limit order. Kept in memory the caller
 * provides, so that a supervising process can read them even if the runner dies. */
typedef struct {
	int64_t used[ZVM_LIMIT_COUNT];
} ZvmChannelCounters;

typedef enum {
	ZVM_SOURCE_FD,	 /* a host descriptor: regular file or pipe */
	ZVM_SOURCE_NULL, /* reads give EOF, writes are swallowed */
	ZVM_SOURCE_ZERO, /* reads give zeros */
} ZvmSourceKind;

typedef struct {
	char *alias;
	int type;
	ZvmAccess access;
	int64_t limits[ZVM_LIMIT_COUNT];
	ZvmChannelCounters *counters; /* never NULL */
	ZvmSourceKind source;
	int fd;		   /* ZVM_SOURCE_FD only; the channel owns it */
	gboolean seekable; /* the host fd supports pread/pwrite */
	int64_t size;	   /* bytes, for random channels; 0 for sequential ones */
	int64_t getpos, putpos;
	gboolean eof;
	ZvmEtag *etag;	/* NULL when the channel's etag is off */
	int host_error; /* first errno the host gave on a write, 0 if none */
	ZvmChannelCounters own_counters;
} ZvmChannel;

/*
 * Makes a channel for @spec over @fd (ownership passes to the channel; -1 for NULL/ZERO
 * sources). @counters may be NULL, then the channel keeps its own. @size is the host file's
 * size for a readable regular file, else 0.
 */
ZvmChannel *zvm_channel_new(const ZvmChannelSpec *spec, ZvmSourceKind source, int fd, int64_t size,
			    ZvmChannelCounters *counters, ZvmEtagAlgorithm algorithm);
void zvm_channel_free(ZvmChannel *channel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmChannel, zvm_channel_free)

static inline gboolean zvm_channel_random_read(const ZvmChannel *c)
{
	return (c->type & 1) != 0;
}

static inline gboolean zvm_channel_random_write(const ZvmChannel *c)
{
	return (c->type & 2) != 0;
}

/*
 * Reads up to @size bytes at @offset (ignored for sequential reads) into @buf, with ZeroVM's
 * checks in ZeroVM's order: a 0-byte read is free; a read at EOF uses up one `gets`; a read
 * past the `gets` limit, or with no `get_size` left, is -EDQUOT; otherwise the size is cut to
 * the quota that is left.
 * Returns: bytes read (0 at end of file), or a negative errno: -EDQUOT, -EINVAL (no read
 * access, negative offset), -EFAULT (random read past the end), -EIO (host error).
 */
ssize_t zvm_channel_read(ZvmChannel *channel, void *buf, size_t size, int64_t offset);

/* The same for writes; -ENOSPC or -EFBIG when the host refuses the bytes. */
ssize_t zvm_channel_write(ZvmChannel *channel, const void *buf, size_t size, int64_t offset);

/* Hex digest of everything read and written so far, in call order, or NULL when the etag is
 * off. The running digest is not disturbed, so this may be called more than once. */
char *zvm_channel_etag(const ZvmChannel *channel);

/* Closes the host descriptor. Outputs are never preallocated (unlike ZeroVM, whose
 * preallocation to put_size hurt disk quotas), so there is nothing to trim. */
int zvm_channel_close(ZvmChannel *channel);
