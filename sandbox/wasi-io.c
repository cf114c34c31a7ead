/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The descriptor calls of the WASI host (fd_*): transfers on channels and image files, offsets,
 * descriptor state and stat, directory listings. The descriptor table itself is wasi-fs.c's.
 */
#include <errno.h>
#include <string.h>

#include "wasi-host-private.h"

/* The one place where a channel's -errno becomes the program's errno. */
static uint16_t errno_from_channel(ssize_t result)
{
	static const struct {
		int host;
		uint16_t wasi;
	} table[] = {
	    {EDQUOT, ZVM_WASI_EDQUOT}, {EINVAL, ZVM_WASI_EINVAL}, {EFAULT, ZVM_WASI_EFAULT},
	    {EIO, ZVM_WASI_EIO},       {ENOSPC, ZVM_WASI_ENOSPC}, {EFBIG, ZVM_WASI_EFBIG},
	    {EPIPE, ZVM_WASI_EPIPE},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
		if (table[i].host == (int)-result)
			return table[i].wasi;
	}
	return ZVM_WASI_EIO;
}

/* Transfers. */

typedef enum { TRANSFER_READ, TRANSFER_WRITE } TransferDirection;

/*
 * One transfer of up to @length bytes at *@position (used and advanced only where the node is
 * random in that direction), at most one channel call.
 * Returns: bytes moved, or a negated WASI errno.
 */
static int64_t transfer_one(ZvmWasiFd *entry, TransferDirection direction, uint8_t *buf,
			    uint32_t length, int64_t *position, gboolean append)
{
	ZvmWasiNode *node = entry->node;
	ssize_t n;

	if (node->kind == ZVM_WASI_NODE_FILE && direction == TRANSFER_WRITE) {
		uint64_t offset = append ? node->size : (uint64_t)*position;
		int64_t written = zvm_wasi_tree_write(node, buf, length, offset);

		if (written > 0)
			*position = (int64_t)offset + written;
		return written;
	}
	if (node->kind == ZVM_WASI_NODE_FILE) {
		if ((uint64_t)*position >= node->size)
			return 0;
		uint64_t count = MIN((uint64_t)length, node->size - (uint64_t)*position);
		memcpy(buf, node->data + *position, count);
		*position += (int64_t)count;
		return (int64_t)count;
	}

	ZvmChannel *channel = node->channel;
	if (direction == TRANSFER_READ) {
		if (zvm_channel_random_read(channel)) {
			n = zvm_channel_read(channel, buf, length, *position);
			if (n > 0)
				*position += n;
		} else {
			n = zvm_channel_read(channel, buf, length, 0);
		}
	} else {
		if (zvm_channel_random_write(channel)) {
			int64_t offset = append ? channel->size : *position;

			n = zvm_channel_write(channel, buf, length, offset);
			if (n > 0)
				*position = offset + n;
		} else {
			n = zvm_channel_write(channel, buf, length, 0);
		}
	}
	return n < 0 ? -(int64_t)errno_from_channel(n) : (int64_t)n;
}

/* The buffer iovec @i of @vec names, or NULL when it is outside linear memory. */
static uint8_t *iovec_buffer(ZvmWasiHost *host, const uint8_t *vec, uint32_t i, uint32_t *length)
{
	uint32_t buf = zvm_wasi_get_u32(vec + (uint64_t)i * ZVM_WASI_IOVEC_SIZE);

	*length = zvm_wasi_get_u32(vec + (uint64_t)i * ZVM_WASI_IOVEC_SIZE + 4);
	return zvm_wasi_guest(host, buf, *length);
}

/*
 * A scatter/gather transfer: each non-empty iovec is one transfer (ZeroVM counts calls), in
 * order, stopping at the first short one or error. An error after some bytes moved is not
 * reported (the next call meets it again), as POSIX readv/writev do.
 */
static uint16_t transfer_iovecs(ZvmWasiHost *host, ZvmWasiFd *entry, TransferDirection direction,
				uint32_t iovs, uint32_t iovs_len, int64_t *position,
				gboolean append, uint32_t result_ptr)
{
	const uint8_t *vec = zvm_wasi_guest(host, iovs, (uint64_t)iovs_len * ZVM_WASI_IOVEC_SIZE);
	uint8_t *result = zvm_wasi_guest(host, result_ptr, 4);
	uint64_t requested = 0, total = 0;
	uint32_t length;

	if (vec == NULL || result == NULL)
		return ZVM_WASI_EFAULT;
	/* Every buffer is checked first, so a bad one costs no channel call. */
	for (uint32_t i = 0; i < iovs_len; i++) {
		if (iovec_buffer(host, vec, i, &length) == NULL)
			return ZVM_WASI_EFAULT;
		requested += length;
	}
	/* The count must fit the program's ssize_t. */
	if (requested > INT32_MAX)
		return ZVM_WASI_EINVAL;

	for (uint32_t i = 0; i < iovs_len; i++) {
		/* Read again: a read into the iovec array itself may have changed it. */
		uint8_t *buf = iovec_buffer(host, vec, i, &length);
		int64_t n;

		if (buf == NULL || total + length > INT32_MAX)
			n = -(int64_t)ZVM_WASI_EFAULT;
		else if (length == 0)
			continue;
		else
			n = transfer_one(entry, direction, buf, length, position, append);
		if (n < 0) {
			if (total > 0)
				break;
			return (uint16_t)-n;
		}
		total += (uint64_t)n;
		if ((uint64_t)n < length)
			break;
	}
	zvm_wasi_put_u32(result, (uint32_t)total);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_read(ZvmWasiHost *host, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			     uint32_t nread)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EISDIR;
	if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_READ))
		return ZVM_WASI_EBADF;
	return transfer_iovecs(host, entry, TRANSFER_READ, iovs, iovs_len, &entry->offset, FALSE,
			       nread);
}

static uint16_t wasi_fd_write(ZvmWasiHost *host, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			      uint32_t nwritten)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & ZVM_WASI_RIGHT_FD_WRITE))
		return ZVM_WASI_EBADF;
	uint16_t error =
	    transfer_iovecs(host, entry, TRANSFER_WRITE, iovs, iovs_len, &entry->offset,
			    (entry->flags & ZVM_WASI_FDFLAG_APPEND) != 0, nwritten);
	if (entry->node->tree != NULL)
		entry->node->mtim = (uint64_t)host->realtime_ns;
	return error;
}

static uint16_t wasi_fd_pread(ZvmWasiHost *host, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			      uint64_t offset, uint32_t nread)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EISDIR;
	if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_READ))
		return ZVM_WASI_EBADF;
	if (entry->node->kind == ZVM_WASI_NODE_CHANNEL &&
	    !zvm_channel_random_read(entry->node->channel))
		return ZVM_WASI_ESPIPE;
	if (offset > INT64_MAX)
		return ZVM_WASI_EINVAL;
	int64_t position = (int64_t)offset;
	return transfer_iovecs(host, entry, TRANSFER_READ, iovs, iovs_len, &position, FALSE, nread);
}

static uint16_t wasi_fd_pwrite(ZvmWasiHost *host, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			       uint64_t offset, uint32_t nwritten)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & ZVM_WASI_RIGHT_FD_WRITE))
		return ZVM_WASI_EBADF;
	if (entry->node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EISDIR;
	if (entry->node->kind == ZVM_WASI_NODE_CHANNEL &&
	    !zvm_channel_random_write(entry->node->channel))
		return ZVM_WASI_ESPIPE;
	if (offset > INT64_MAX)
		return ZVM_WASI_EINVAL;
	int64_t position = (int64_t)offset;
	if (entry->node->tree != NULL)
		entry->node->mtim = (uint64_t)host->realtime_ns;
	return transfer_iovecs(host, entry, TRANSFER_WRITE, iovs, iovs_len, &position, FALSE,
			       nwritten);
}

/* Descriptor state. */

/* Directories have no offset: listings go by cookie. */
static uint16_t seekable_entry(ZvmWasiFd *entry, uint64_t right)
{
	if (entry == NULL || entry->node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EBADF;
	if (!zvm_wasi_node_seekable(entry->node))
		return ZVM_WASI_ESPIPE;
	if (!(entry->rights_base & right))
		return ZVM_WASI_ENOTCAPABLE;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_seek(ZvmWasiHost *host, uint32_t fd, uint64_t offset, uint32_t whence,
			     uint32_t newoffset)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);
	uint16_t error = seekable_entry(entry, ZVM_WASI_RIGHT_FD_SEEK);
	uint8_t *result = zvm_wasi_guest(host, newoffset, 8);
	int64_t base, target;

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (result == NULL)
		return ZVM_WASI_EFAULT;
	switch (whence) {
	case ZVM_WASI_WHENCE_SET:
		base = 0;
		break;
	case ZVM_WASI_WHENCE_CUR:
		base = entry->offset;
		break;
	case ZVM_WASI_WHENCE_END:
		base = zvm_wasi_node_size(entry->node);
		break;
	default:
		return ZVM_WASI_EINVAL;
	}
	if (__builtin_add_overflow(base, (int64_t)offset, &target) || target < 0)
		return ZVM_WASI_EINVAL;
	entry->offset = target;
	zvm_wasi_put_u64(result, (uint64_t)target);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_tell(ZvmWasiHost *host, uint32_t fd, uint32_t offset)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);
	uint16_t error = seekable_entry(entry, ZVM_WASI_RIGHT_FD_TELL);
	uint8_t *result = zvm_wasi_guest(host, offset, 8);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (result == NULL)
		return ZVM_WASI_EFAULT;
	zvm_wasi_put_u64(result, (uint64_t)entry->offset);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_fdstat_get(ZvmWasiHost *host, uint32_t fd, uint32_t stat)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);
	uint8_t *p = zvm_wasi_guest(host, stat, ZVM_WASI_FDSTAT_SIZE);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	memset(p, 0, ZVM_WASI_FDSTAT_SIZE);
	zvm_wasi_put_u8(p, zvm_wasi_node_filetype(entry->node));
	zvm_wasi_put_u16(p + 2, entry->flags);
	zvm_wasi_put_u64(p + 8, entry->rights_base);
	zvm_wasi_put_u64(p + 16, entry->rights_inheriting);
	return ZVM_WASI_SUCCESS;
}

/*
 * APPEND is kept (a random-write channel then writes at its end); the sync flags are no-ops
 * that are true anyway (nothing is buffered in the host); NONBLOCK is refused, since a read
 * on a pipe channel does block.
 */
uint16_t zvm_wasi_check_fdflags(uint32_t flags)
{
	if (flags & ~(uint32_t)ZVM_WASI_FDFLAGS_ALL)
		return ZVM_WASI_EINVAL;
	if (flags & ZVM_WASI_FDFLAG_NONBLOCK)
		return ZVM_WASI_ENOTSUP;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_fdstat_set_flags(ZvmWasiHost *host, uint32_t fd, uint32_t flags)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_FDSTAT_SET_FLAGS))
		return ZVM_WASI_ENOTCAPABLE;
	uint16_t error = zvm_wasi_check_fdflags(flags);
	if (error != ZVM_WASI_SUCCESS)
		return error;
	entry->flags = (uint16_t)flags;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_fdstat_set_rights(ZvmWasiHost *host, uint32_t fd, uint64_t base,
					  uint64_t inheriting)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if ((base & ~entry->rights_base) || (inheriting & ~entry->rights_inheriting))
		return ZVM_WASI_ENOTCAPABLE;
	entry->rights_base = base;
	entry->rights_inheriting = inheriting;
	return ZVM_WASI_SUCCESS;
}

void zvm_wasi_put_filestat(uint8_t *p, uint64_t dev, const ZvmWasiNode *node)
{
	memset(p, 0, ZVM_WASI_FILESTAT_SIZE);
	zvm_wasi_put_u64(p, dev);
	zvm_wasi_put_u64(p + 8, node->ino);
	zvm_wasi_put_u8(p + 16, zvm_wasi_node_filetype(node));
	zvm_wasi_put_u64(p + 24, node->tree != NULL ? node->nlink : 1);
	zvm_wasi_put_u64(p + 32, (uint64_t)zvm_wasi_node_size(node));
	zvm_wasi_put_u64(p + 40, node->atim);
	zvm_wasi_put_u64(p + 48, node->mtim);
	zvm_wasi_put_u64(p + 56, node->mtim);
}

static uint16_t wasi_fd_filestat_get(ZvmWasiHost *host, uint32_t fd, uint32_t stat)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);
	uint8_t *p = zvm_wasi_guest(host, stat, ZVM_WASI_FILESTAT_SIZE);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_FILESTAT_GET))
		return ZVM_WASI_ENOTCAPABLE;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	zvm_wasi_put_filestat(p, entry->dev, entry->node);
	return ZVM_WASI_SUCCESS;
}

/* A channel's size is its limits' business and an image cannot change; a writable tree's
 * file can. */
static uint16_t wasi_fd_filestat_set_size(ZvmWasiHost *host, uint32_t fd, uint64_t size)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EINVAL;
	if (entry->node->tree != NULL) {
		if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_FILESTAT_SET_SIZE))
			return ZVM_WASI_EBADF;
		entry->node->mtim = (uint64_t)host->realtime_ns;
		return zvm_wasi_tree_set_size(entry->node, size);
	}
	return entry->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EPERM;
}

uint16_t zvm_wasi_set_times(ZvmWasiHost *host, ZvmWasiNode *node, uint64_t atim, uint64_t mtim,
			    uint32_t flags)
{
	if (flags & ~(uint32_t)ZVM_WASI_FSTFLAGS_ALL)
		return ZVM_WASI_EINVAL;
	if (((flags & ZVM_WASI_FSTFLAG_ATIM) && (flags & ZVM_WASI_FSTFLAG_ATIM_NOW)) ||
	    ((flags & ZVM_WASI_FSTFLAG_MTIM) && (flags & ZVM_WASI_FSTFLAG_MTIM_NOW)))
		return ZVM_WASI_EINVAL;
	if (flags & ZVM_WASI_FSTFLAG_ATIM)
		node->atim = atim;
	if (flags & ZVM_WASI_FSTFLAG_ATIM_NOW)
		node->atim = (uint64_t)host->realtime_ns;
	if (flags & ZVM_WASI_FSTFLAG_MTIM)
		node->mtim = mtim;
	if (flags & ZVM_WASI_FSTFLAG_MTIM_NOW)
		node->mtim = (uint64_t)host->realtime_ns;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_filestat_set_times(ZvmWasiHost *host, uint32_t fd, uint64_t atim,
					   uint64_t mtim, uint32_t flags)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->tree != NULL)
		return zvm_wasi_set_times(host, entry->node, atim, mtim, flags);
	return entry->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EPERM;
}

static uint16_t wasi_fd_advise(ZvmWasiHost *host, uint32_t fd, uint32_t advice)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);
	uint16_t error = seekable_entry(entry, ZVM_WASI_RIGHT_FD_ADVISE);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	return advice > ZVM_WASI_ADVICE_LAST ? ZVM_WASI_EINVAL : ZVM_WASI_SUCCESS;
}

/* Space is the limits' business: nothing can be reserved ahead, but a writable tree's file
 * grows to the end asked for. */
static uint16_t wasi_fd_allocate(ZvmWasiHost *host, uint32_t fd, uint64_t offset, uint64_t len)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & ZVM_WASI_RIGHT_FD_WRITE))
		return ZVM_WASI_EBADF;
	if (entry->node->tree == NULL || entry->node->kind != ZVM_WASI_NODE_FILE)
		return ZVM_WASI_ENOTSUP;
	if (len == 0 || offset + len < offset)
		return ZVM_WASI_EINVAL;
	if (offset + len <= entry->node->size)
		return ZVM_WASI_SUCCESS;
	return zvm_wasi_tree_set_size(entry->node, offset + len);
}

/* Channel writes go straight to the host: there is nothing to flush. */
static uint16_t wasi_fd_sync(ZvmWasiHost *host, uint32_t fd, uint64_t right)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & right))
		return ZVM_WASI_EBADF;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_prestat_get(ZvmWasiHost *host, uint32_t fd, uint32_t prestat)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);
	uint8_t *p = zvm_wasi_guest(host, prestat, ZVM_WASI_PRESTAT_SIZE);

	if (entry == NULL || entry->preopen == NULL)
		return ZVM_WASI_EBADF;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	memset(p, 0, ZVM_WASI_PRESTAT_SIZE);
	zvm_wasi_put_u8(p, ZVM_WASI_PREOPENTYPE_DIR);
	zvm_wasi_put_u32(p + 4, (uint32_t)strlen(entry->preopen));
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_prestat_dir_name(ZvmWasiHost *host, uint32_t fd, uint32_t path,
					 uint32_t path_len)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);

	if (entry == NULL || entry->preopen == NULL)
		return ZVM_WASI_EBADF;
	size_t length = strlen(entry->preopen);
	if (path_len < length)
		return ZVM_WASI_ENAMETOOLONG;
	uint8_t *p = zvm_wasi_guest(host, path, length);
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	memcpy(p, entry->preopen, length);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_readdir(ZvmWasiHost *host, uint32_t fd, uint32_t buf, uint32_t buf_len,
				uint64_t cookie, uint32_t bufused)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, fd);
	uint8_t *p = zvm_wasi_guest(host, buf, buf_len);
	uint8_t *result = zvm_wasi_guest(host, bufused, 4);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_READDIR))
		return ZVM_WASI_ENOTCAPABLE;
	if (p == NULL || result == NULL)
		return ZVM_WASI_EFAULT;
	zvm_wasi_put_u32(result, zvm_wasi_node_readdir(entry->node, cookie, p, buf_len));
	return ZVM_WASI_SUCCESS;
}

/* The imports, in wasi-calls.def order. */

uint32_t Z_wasi_snapshot_preview1Z_fd_advise(ZvmWasiInstance *instance, uint32_t fd,
					     uint64_t offset, uint64_t len, uint32_t advice)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_advise(host, fd, advice));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_allocate(ZvmWasiInstance *instance, uint32_t fd,
					       uint64_t offset, uint64_t len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_allocate(host, fd, offset, len));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_close(ZvmWasiInstance *instance, uint32_t fd)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, zvm_wasi_files_close(host->files, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_datasync(ZvmWasiInstance *instance, uint32_t fd)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_sync(host, fd, ZVM_WASI_RIGHT_FD_DATASYNC));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_get(ZvmWasiInstance *instance, uint32_t fd,
						 uint32_t stat)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_fdstat_get(host, fd, stat));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(ZvmWasiInstance *instance, uint32_t fd,
						       uint32_t flags)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_fdstat_set_flags(host, fd, flags));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(ZvmWasiInstance *instance, uint32_t fd,
							uint64_t base, uint64_t inheriting)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_fdstat_set_rights(host, fd, base, inheriting));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_get(ZvmWasiInstance *instance, uint32_t fd,
						   uint32_t stat)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_filestat_get(host, fd, stat));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_set_size(ZvmWasiInstance *instance, uint32_t fd,
							uint64_t size)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_filestat_set_size(host, fd, size));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_set_times(ZvmWasiInstance *instance, uint32_t fd,
							 uint64_t atim, uint64_t mtim,
							 uint32_t fstflags)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host,
				   wasi_fd_filestat_set_times(host, fd, atim, mtim, fstflags));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_pread(ZvmWasiInstance *instance, uint32_t fd, uint32_t iovs,
					    uint32_t iovs_len, uint64_t offset, uint32_t nread)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_pread(host, fd, iovs, iovs_len, offset, nread));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_get(ZvmWasiInstance *instance, uint32_t fd,
						  uint32_t prestat)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_prestat_get(host, fd, prestat));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(ZvmWasiInstance *instance, uint32_t fd,
						       uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_prestat_dir_name(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_pwrite(ZvmWasiInstance *instance, uint32_t fd, uint32_t iovs,
					     uint32_t iovs_len, uint64_t offset, uint32_t nwritten)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host,
				   wasi_fd_pwrite(host, fd, iovs, iovs_len, offset, nwritten));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_read(ZvmWasiInstance *instance, uint32_t fd, uint32_t iovs,
					   uint32_t iovs_len, uint32_t nread)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_read(host, fd, iovs, iovs_len, nread));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_readdir(ZvmWasiInstance *instance, uint32_t fd, uint32_t buf,
					      uint32_t buf_len, uint64_t cookie, uint32_t bufused)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_readdir(host, fd, buf, buf_len, cookie, bufused));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_renumber(ZvmWasiInstance *instance, uint32_t fd, uint32_t to)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, zvm_wasi_files_renumber(host->files, fd, to));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_seek(ZvmWasiInstance *instance, uint32_t fd, uint64_t offset,
					   uint32_t whence, uint32_t newoffset)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_seek(host, fd, offset, whence, newoffset));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_sync(ZvmWasiInstance *instance, uint32_t fd)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_sync(host, fd, ZVM_WASI_RIGHT_FD_SYNC));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_tell(ZvmWasiInstance *instance, uint32_t fd, uint32_t offset)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_tell(host, fd, offset));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_write(ZvmWasiInstance *instance, uint32_t fd, uint32_t iovs,
					    uint32_t iovs_len, uint32_t nwritten)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_fd_write(host, fd, iovs, iovs_len, nwritten));
}
