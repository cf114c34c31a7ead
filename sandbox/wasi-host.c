/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The WASI preview 1 calls (wasi-calls.def) as wasm2c's code calls them: every guest pointer
 * checked against the linear memory, every transfer one zvm_channel_read/write, clocks and
 * entropy derived from the job alone. The file tree and the descriptor table are wasi-fs.c's.
 */
#include "wasi-host.h"

#include <errno.h>
#include <string.h>

#include "wasi-abi.h"
#include "wasi-fs.h"
#include "wasi-imports.h"

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

/* Entry and exit of every call but proc_exit: a timeout waits until the call is done. */
static ZvmWasiHost *host_enter(struct Z_wasi_snapshot_preview1_instance_t *instance)
{
	ZvmWasiHost *host = (ZvmWasiHost *)instance;

	zvm_host_enter(host);
	return host;
}

static uint32_t host_leave(ZvmWasiHost *host, uint32_t result)
{
	zvm_host_leave(host);
	return result;
}

/* @length bytes of linear memory at @ptr, or NULL when any of them is outside it. */
static uint8_t *guest(ZvmWasiHost *host, uint32_t ptr, uint64_t length)
{
	const wasm_rt_memory_t *memory = host->memory;

	if (memory == NULL || memory->data == NULL || (uint64_t)ptr + length > memory->size)
		return NULL;
	return memory->data + ptr;
}

/* The one place where a channel's -errno becomes the program's errno. */
static uint16_t errno_from_channel(ssize_t result)
{
	static const struct {
		int host;
		uint16_t wasi;
	} table[] = {
		{ EDQUOT, ZVM_WASI_EDQUOT }, { EINVAL, ZVM_WASI_EINVAL },
		{ EFAULT, ZVM_WASI_EFAULT }, { EIO, ZVM_WASI_EIO },
		{ ENOSPC, ZVM_WASI_ENOSPC }, { EFBIG, ZVM_WASI_EFBIG },
		{ EPIPE, ZVM_WASI_EPIPE },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
		if (table[i].host == (int)-result)
			return table[i].wasi;
	}
	return ZVM_WASI_EIO;
}

static ZvmWasiFd *fd_get(ZvmWasiHost *host, uint32_t fd)
{
	return zvm_wasi_files_get(host->files, fd);
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

/*
 * A scatter/gather transfer: each non-empty iovec is one transfer (ZeroVM counts calls), in
 * order, stopping at the first short one or error. An error after some bytes moved is not
 * reported (the next call meets it again), as POSIX readv/writev do.
 */
static uint16_t transfer_iovecs(ZvmWasiHost *host, ZvmWasiFd *entry,
				TransferDirection direction, uint32_t iovs, uint32_t iovs_len,
				int64_t *position, gboolean append, uint32_t result_ptr)
{
	uint8_t *vec = guest(host, iovs, (uint64_t)iovs_len * ZVM_WASI_IOVEC_SIZE);
	uint8_t *result = guest(host, result_ptr, 4);
	uint64_t requested = 0;

	if (vec == NULL || result == NULL)
		return ZVM_WASI_EFAULT;
	/* Every buffer is checked first, so a bad one costs no channel call. */
	for (uint32_t i = 0; i < iovs_len; i++) {
		uint32_t buf = zvm_wasi_get_u32(vec + i * ZVM_WASI_IOVEC_SIZE);
		uint32_t length = zvm_wasi_get_u32(vec + i * ZVM_WASI_IOVEC_SIZE + 4);

		if (guest(host, buf, length) == NULL)
			return ZVM_WASI_EFAULT;
		requested += length;
	}
	/* The count must fit the program's ssize_t. */
	if (requested > INT32_MAX)
		return ZVM_WASI_EINVAL;

	uint32_t total = 0;
	for (uint32_t i = 0; i < iovs_len; i++) {
		uint32_t buf = zvm_wasi_get_u32(vec + i * ZVM_WASI_IOVEC_SIZE);
		uint32_t length = zvm_wasi_get_u32(vec + i * ZVM_WASI_IOVEC_SIZE + 4);

		if (length == 0)
			continue;
		int64_t n = transfer_one(entry, direction, guest(host, buf, length), length,
					 position, append);
		if (n < 0) {
			if (total > 0)
				break;
			return (uint16_t)-n;
		}
		total += (uint32_t)n;
		if ((uint32_t)n < length)
			break;
	}
	zvm_wasi_put_u32(result, total);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_read(ZvmWasiHost *host, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			     uint32_t nread)
{
	ZvmWasiFd *entry = fd_get(host, fd);

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
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & ZVM_WASI_RIGHT_FD_WRITE))
		return ZVM_WASI_EBADF;
	return transfer_iovecs(host, entry, TRANSFER_WRITE, iovs, iovs_len, &entry->offset,
			       (entry->flags & ZVM_WASI_FDFLAG_APPEND) != 0, nwritten);
}

static uint16_t wasi_fd_pread(ZvmWasiHost *host, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			      uint64_t offset, uint32_t nread)
{
	ZvmWasiFd *entry = fd_get(host, fd);

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
	return transfer_iovecs(host, entry, TRANSFER_READ, iovs, iovs_len, &position, FALSE,
			       nread);
}

static uint16_t wasi_fd_pwrite(ZvmWasiHost *host, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			       uint64_t offset, uint32_t nwritten)
{
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & ZVM_WASI_RIGHT_FD_WRITE) ||
	    entry->node->kind != ZVM_WASI_NODE_CHANNEL)
		return ZVM_WASI_EBADF;
	if (!zvm_channel_random_write(entry->node->channel))
		return ZVM_WASI_ESPIPE;
	if (offset > INT64_MAX)
		return ZVM_WASI_EINVAL;
	int64_t position = (int64_t)offset;
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
	ZvmWasiFd *entry = fd_get(host, fd);
	uint16_t error = seekable_entry(entry, ZVM_WASI_RIGHT_FD_SEEK);
	uint8_t *result = guest(host, newoffset, 8);
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
	ZvmWasiFd *entry = fd_get(host, fd);
	uint16_t error = seekable_entry(entry, ZVM_WASI_RIGHT_FD_TELL);
	uint8_t *result = guest(host, offset, 8);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (result == NULL)
		return ZVM_WASI_EFAULT;
	zvm_wasi_put_u64(result, (uint64_t)entry->offset);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_fdstat_get(ZvmWasiHost *host, uint32_t fd, uint32_t stat)
{
	ZvmWasiFd *entry = fd_get(host, fd);
	uint8_t *p = guest(host, stat, ZVM_WASI_FDSTAT_SIZE);

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
static uint16_t check_fdflags(uint32_t flags)
{
	if (flags & ~(uint32_t)ZVM_WASI_FDFLAGS_ALL)
		return ZVM_WASI_EINVAL;
	if (flags & ZVM_WASI_FDFLAG_NONBLOCK)
		return ZVM_WASI_ENOTSUP;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_fdstat_set_flags(ZvmWasiHost *host, uint32_t fd, uint32_t flags)
{
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_FDSTAT_SET_FLAGS))
		return ZVM_WASI_ENOTCAPABLE;
	uint16_t error = check_fdflags(flags);
	if (error != ZVM_WASI_SUCCESS)
		return error;
	entry->flags = (uint16_t)flags;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_fdstat_set_rights(ZvmWasiHost *host, uint32_t fd, uint64_t base,
					  uint64_t inheriting)
{
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if ((base & ~entry->rights_base) || (inheriting & ~entry->rights_inheriting))
		return ZVM_WASI_ENOTCAPABLE;
	entry->rights_base = base;
	entry->rights_inheriting = inheriting;
	return ZVM_WASI_SUCCESS;
}

static void put_filestat(uint8_t *p, uint64_t dev, const ZvmWasiNode *node)
{
	memset(p, 0, ZVM_WASI_FILESTAT_SIZE);
	zvm_wasi_put_u64(p, dev);
	zvm_wasi_put_u64(p + 8, node->ino);
	zvm_wasi_put_u8(p + 16, zvm_wasi_node_filetype(node));
	zvm_wasi_put_u64(p + 24, 1);
	zvm_wasi_put_u64(p + 32, (uint64_t)zvm_wasi_node_size(node));
}

static uint16_t wasi_fd_filestat_get(ZvmWasiHost *host, uint32_t fd, uint32_t stat)
{
	ZvmWasiFd *entry = fd_get(host, fd);
	uint8_t *p = guest(host, stat, ZVM_WASI_FILESTAT_SIZE);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (!(entry->rights_base & ZVM_WASI_RIGHT_FD_FILESTAT_GET))
		return ZVM_WASI_ENOTCAPABLE;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	put_filestat(p, entry->dev, entry->node);
	return ZVM_WASI_SUCCESS;
}

/* A channel's size is its limits' business and an image cannot change. */
static uint16_t wasi_fd_filestat_set_size(ZvmWasiHost *host, uint32_t fd, uint64_t size)
{
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EINVAL;
	return entry->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EPERM;
}

static uint16_t wasi_fd_filestat_set_times(ZvmWasiHost *host, uint32_t fd)
{
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL)
		return ZVM_WASI_EBADF;
	return entry->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EPERM;
}

static uint16_t wasi_fd_advise(ZvmWasiHost *host, uint32_t fd, uint32_t advice)
{
	ZvmWasiFd *entry = fd_get(host, fd);
	uint16_t error = seekable_entry(entry, ZVM_WASI_RIGHT_FD_ADVISE);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	return advice > ZVM_WASI_ADVICE_LAST ? ZVM_WASI_EINVAL : ZVM_WASI_SUCCESS;
}

/* Space is the limits' business: nothing can be reserved ahead. */
static uint16_t wasi_fd_allocate(ZvmWasiHost *host, uint32_t fd)
{
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & ZVM_WASI_RIGHT_FD_WRITE))
		return ZVM_WASI_EBADF;
	return ZVM_WASI_ENOTSUP;
}

/* Channel writes go straight to the host: there is nothing to flush. */
static uint16_t wasi_fd_sync(ZvmWasiHost *host, uint32_t fd, uint64_t right)
{
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL || !(entry->rights_base & right))
		return ZVM_WASI_EBADF;
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_prestat_get(ZvmWasiHost *host, uint32_t fd, uint32_t prestat)
{
	ZvmWasiFd *entry = fd_get(host, fd);
	uint8_t *p = guest(host, prestat, ZVM_WASI_PRESTAT_SIZE);

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
	ZvmWasiFd *entry = fd_get(host, fd);

	if (entry == NULL || entry->preopen == NULL)
		return ZVM_WASI_EBADF;
	size_t length = strlen(entry->preopen);
	if (path_len < length)
		return ZVM_WASI_ENAMETOOLONG;
	uint8_t *p = guest(host, path, length);
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	memcpy(p, entry->preopen, length);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_fd_readdir(ZvmWasiHost *host, uint32_t fd, uint32_t buf, uint32_t buf_len,
				uint64_t cookie, uint32_t bufused)
{
	ZvmWasiFd *entry = fd_get(host, fd);
	uint8_t *p = guest(host, buf, buf_len);
	uint8_t *result = guest(host, bufused, 4);

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

/* Paths. */

/*
 * Resolves @path below the directory descriptor @dirfd (which needs @right).
 * Returns: what zvm_wasi_resolve returns, or EBADF, ENOTDIR, ENOTCAPABLE, EFAULT.
 */
static uint16_t path_lookup(ZvmWasiHost *host, uint32_t dirfd, uint64_t right, uint32_t path,
			    uint32_t path_len, ZvmWasiFd **dir, ZvmWasiLookup *lookup)
{
	ZvmWasiFd *entry = fd_get(host, dirfd);
	const uint8_t *p = guest(host, path, path_len);

	lookup->node = NULL;
	lookup->parent = NULL;
	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	if (right != 0 && !(entry->rights_base & right))
		return ZVM_WASI_ENOTCAPABLE;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	*dir = entry;
	return zvm_wasi_resolve(entry->node, (const char *)p, path_len, lookup);
}

/* Nothing in either tree can be created, removed or renamed: /dev is a directory the program
 * may not write, and images are read-only file systems. */
static uint16_t path_change_refused(const ZvmWasiFd *dir)
{
	return dir->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EACCES;
}

/* For a name a call would create: EEXIST if it is there, the refusal if only it is missing. */
static uint16_t path_create_refused(uint16_t error, const ZvmWasiFd *dir,
				    const ZvmWasiLookup *lookup)
{
	if (error == ZVM_WASI_SUCCESS)
		return ZVM_WASI_EEXIST;
	if (error == ZVM_WASI_ENOENT && lookup->parent != NULL)
		return path_change_refused(dir);
	return error;
}

static uint16_t wasi_path_open(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
			       uint32_t path_len, uint32_t oflags, uint64_t base,
			       uint64_t inheriting, uint32_t fdflags, uint32_t opened)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, ZVM_WASI_RIGHT_PATH_OPEN, path, path_len, &dir,
				     &lookup);
	uint8_t *result = guest(host, opened, 4);

	if (dir == NULL)
		return error;
	if (result == NULL)
		return ZVM_WASI_EFAULT;
	if (oflags & ~(uint32_t)ZVM_WASI_OFLAGS_ALL)
		return ZVM_WASI_EINVAL;
	uint16_t flags_error = check_fdflags(fdflags);
	if (flags_error != ZVM_WASI_SUCCESS)
		return flags_error;
	if (error == ZVM_WASI_ENOENT && lookup.parent != NULL && (oflags & ZVM_WASI_OFLAG_CREAT))
		return path_change_refused(dir);
	if (error != ZVM_WASI_SUCCESS)
		return error;

	ZvmWasiNode *node = lookup.node;
	gboolean wants_write = (base & ZVM_WASI_RIGHT_FD_WRITE) != 0;
	gboolean changes = (oflags & (ZVM_WASI_OFLAG_CREAT | ZVM_WASI_OFLAG_TRUNC)) != 0;
	if ((oflags & ZVM_WASI_OFLAG_CREAT) && (oflags & ZVM_WASI_OFLAG_EXCL))
		return ZVM_WASI_EEXIST;
	if ((oflags & ZVM_WASI_OFLAG_DIRECTORY) && node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	switch (node->kind) {
	case ZVM_WASI_NODE_DIRECTORY:
		if (wants_write || changes)
			return ZVM_WASI_EISDIR;
		break;
	case ZVM_WASI_NODE_FILE:
		if (wants_write || changes)
			return ZVM_WASI_EROFS;
		break;
	case ZVM_WASI_NODE_CHANNEL:
		/* fopen(..., "w") asks O_CREAT|O_TRUNC: a writable channel takes it (a channel
		 * is never truncated; ZeroVM's outputs start empty anyway). */
		if ((base & ZVM_WASI_RIGHT_FD_READ) && !(node->channel->access & ZVM_ACCESS_READ))
			return ZVM_WASI_EACCES;
		if ((wants_write || (oflags & ZVM_WASI_OFLAG_TRUNC)) &&
		    !(node->channel->access & ZVM_ACCESS_WRITE))
			return ZVM_WASI_EACCES;
		break;
	default:
		return ZVM_WASI_EIO;
	}

	ZvmWasiFd entry = {
		.node = node,
		.dev = dir->dev,
		.read_only = dir->read_only,
		.rights_base = base & zvm_wasi_node_rights(node) & dir->rights_inheriting,
		.rights_inheriting =
			inheriting & zvm_wasi_node_inheriting(node) & dir->rights_inheriting,
		.flags = (uint16_t)fdflags,
	};
	uint32_t fd;
	error = zvm_wasi_files_add(host->files, &entry, &fd);
	if (error != ZVM_WASI_SUCCESS)
		return error;
	zvm_wasi_put_u32(result, fd);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_path_filestat_get(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
				       uint32_t path_len, uint32_t stat)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint8_t *p = guest(host, stat, ZVM_WASI_FILESTAT_SIZE);
	uint16_t error = path_lookup(host, dirfd, ZVM_WASI_RIGHT_PATH_FILESTAT_GET, path,
				     path_len, &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	put_filestat(p, dir->dev, lookup.node);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_path_create_directory(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
					   uint32_t path_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, path, path_len, &dir, &lookup);

	return dir == NULL ? error : path_create_refused(error, dir, &lookup);
}

static uint16_t wasi_path_remove_directory(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
					   uint32_t path_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, path, path_len, &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (lookup.node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	/* rmdir(".") and rmdir on a preopen's own root */
	if (lookup.node == dir->node)
		return ZVM_WASI_EINVAL;
	return path_change_refused(dir);
}

static uint16_t wasi_path_unlink_file(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
				      uint32_t path_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, path, path_len, &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (lookup.node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EISDIR;
	return path_change_refused(dir);
}

static uint16_t wasi_path_rename(ZvmWasiHost *host, uint32_t old_fd, uint32_t old_path,
				 uint32_t old_len, uint32_t new_fd, uint32_t new_path,
				 uint32_t new_len)
{
	ZvmWasiFd *old_dir = NULL, *new_dir = NULL;
	ZvmWasiLookup old_lookup, new_lookup;
	uint16_t error = path_lookup(host, old_fd, 0, old_path, old_len, &old_dir, &old_lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	error = path_lookup(host, new_fd, 0, new_path, new_len, &new_dir, &new_lookup);
	if (error != ZVM_WASI_SUCCESS && !(error == ZVM_WASI_ENOENT && new_lookup.parent != NULL))
		return error;
	if (old_dir->dev != new_dir->dev)
		return ZVM_WASI_EXDEV;
	return path_change_refused(old_dir);
}

static uint16_t wasi_path_link(ZvmWasiHost *host, uint32_t old_fd, uint32_t old_path,
			       uint32_t old_len, uint32_t new_fd, uint32_t new_path,
			       uint32_t new_len)
{
	ZvmWasiFd *old_dir = NULL, *new_dir = NULL;
	ZvmWasiLookup old_lookup, new_lookup;
	uint16_t error = path_lookup(host, old_fd, 0, old_path, old_len, &old_dir, &old_lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (old_lookup.node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EPERM;
	error = path_lookup(host, new_fd, 0, new_path, new_len, &new_dir, &new_lookup);
	if (new_dir == NULL)
		return error;
	if (error == ZVM_WASI_ENOENT && new_lookup.parent != NULL && old_dir->dev != new_dir->dev)
		return ZVM_WASI_EXDEV;
	return path_create_refused(error, new_dir, &new_lookup);
}

static uint16_t wasi_path_symlink(ZvmWasiHost *host, uint32_t old_path, uint32_t old_len,
				  uint32_t dirfd, uint32_t new_path, uint32_t new_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;

	if (guest(host, old_path, old_len) == NULL)
		return ZVM_WASI_EFAULT;
	uint16_t error = path_lookup(host, dirfd, 0, new_path, new_len, &dir, &lookup);
	return dir == NULL ? error : path_create_refused(error, dir, &lookup);
}

/* No symbolic links exist: every name that is there is something else. */
static uint16_t wasi_path_readlink(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
				   uint32_t path_len, uint32_t buf, uint32_t buf_len,
				   uint32_t bufused)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, path, path_len, &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (guest(host, buf, buf_len) == NULL || guest(host, bufused, 4) == NULL)
		return ZVM_WASI_EFAULT;
	return ZVM_WASI_EINVAL;
}

static uint16_t wasi_path_filestat_set_times(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
					     uint32_t path_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, path, path_len, &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	return dir->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EPERM;
}

/* Arguments and environment: the pointer array, then the NUL-terminated strings. */

static uint16_t strings_sizes(ZvmWasiHost *host, char **strings, uint32_t count_ptr,
			      uint32_t size_ptr)
{
	uint8_t *count = guest(host, count_ptr, 4);
	uint8_t *size = guest(host, size_ptr, 4);
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

static uint16_t strings_get(ZvmWasiHost *host, char **strings, uint32_t pointers,
			    uint32_t buffer)
{
	uint64_t n = 0, bytes = 0;

	for (; strings != NULL && strings[n] != NULL; n++)
		bytes += strlen(strings[n]) + 1;
	uint8_t *array = guest(host, pointers, n * 4);
	uint8_t *text = guest(host, buffer, bytes);
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
	uint8_t *p = guest(host, time, 8);

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
	uint8_t *p = guest(host, resolution, 8);

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
		ZvmWasiFd *entry = fd_get(host, zvm_wasi_get_u32(sub + 16));

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
	const uint8_t *subs = guest(host, in, (uint64_t)nsubscriptions * ZVM_WASI_SUBSCRIPTION_SIZE);
	uint8_t *events = guest(host, out, (uint64_t)nsubscriptions * ZVM_WASI_EVENT_SIZE);
	uint8_t *count = guest(host, nevents, 4);

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
	uint8_t *p = guest(host, buf, buf_len);

	if (p == NULL)
		return ZVM_WASI_EFAULT;
	for (uint32_t done = 0; done < buf_len; done += 8) {
		uint8_t bytes[8];

		zvm_wasi_put_u64(bytes, prng_next(host->prng));
		memcpy(p + done, bytes, MIN(8u, buf_len - done));
	}
	return ZVM_WASI_SUCCESS;
}

/* Sockets: none exist. */
static uint16_t no_socket(ZvmWasiHost *host, uint32_t fd)
{
	return fd_get(host, fd) == NULL ? ZVM_WASI_EBADF : ZVM_WASI_ENOTSUP;
}

/* The host. */

ZvmWasiHost *zvm_wasi_host_new(ZvmChannel **channels, guint n_channels, char **args,
			       char **env, int64_t start_seconds, const guint8 seed[32],
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
	host->files = zvm_wasi_files_new(channels, n_channels, mounts, n_mounts);
	return host;
}

void zvm_wasi_host_free(ZvmWasiHost *host)
{
	if (host == NULL)
		return;
	zvm_wasi_files_free(host->files);
	g_free(host);
}

/* The imports, in wasi-calls.def order. */

typedef struct Z_wasi_snapshot_preview1_instance_t Instance;

uint32_t Z_wasi_snapshot_preview1Z_args_get(Instance *instance, uint32_t argv, uint32_t buf)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, strings_get(host, host->args, argv, buf));
}

uint32_t Z_wasi_snapshot_preview1Z_args_sizes_get(Instance *instance, uint32_t argc,
						  uint32_t size)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, strings_sizes(host, host->args, argc, size));
}

uint32_t Z_wasi_snapshot_preview1Z_environ_get(Instance *instance, uint32_t environ,
					       uint32_t buf)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, strings_get(host, host->env, environ, buf));
}

uint32_t Z_wasi_snapshot_preview1Z_environ_sizes_get(Instance *instance, uint32_t count,
						     uint32_t size)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, strings_sizes(host, host->env, count, size));
}

uint32_t Z_wasi_snapshot_preview1Z_clock_res_get(Instance *instance, uint32_t id,
						 uint32_t resolution)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_clock_res_get(host, id, resolution));
}

uint32_t Z_wasi_snapshot_preview1Z_clock_time_get(Instance *instance, uint32_t id,
						  uint64_t precision, uint32_t time)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_clock_time_get(host, id, time));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_advise(Instance *instance, uint32_t fd, uint64_t offset,
					     uint64_t len, uint32_t advice)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_advise(host, fd, advice));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_allocate(Instance *instance, uint32_t fd, uint64_t offset,
					       uint64_t len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_allocate(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_close(Instance *instance, uint32_t fd)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, zvm_wasi_files_close(host->files, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_datasync(Instance *instance, uint32_t fd)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_sync(host, fd, ZVM_WASI_RIGHT_FD_DATASYNC));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_get(Instance *instance, uint32_t fd, uint32_t stat)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_fdstat_get(host, fd, stat));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(Instance *instance, uint32_t fd,
						       uint32_t flags)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_fdstat_set_flags(host, fd, flags));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(Instance *instance, uint32_t fd,
							uint64_t base, uint64_t inheriting)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_fdstat_set_rights(host, fd, base, inheriting));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_get(Instance *instance, uint32_t fd,
						   uint32_t stat)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_filestat_get(host, fd, stat));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_set_size(Instance *instance, uint32_t fd,
							uint64_t size)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_filestat_set_size(host, fd, size));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_set_times(Instance *instance, uint32_t fd,
							 uint64_t atim, uint64_t mtim,
							 uint32_t fstflags)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_filestat_set_times(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_pread(Instance *instance, uint32_t fd, uint32_t iovs,
					    uint32_t iovs_len, uint64_t offset, uint32_t nread)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_pread(host, fd, iovs, iovs_len, offset, nread));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_get(Instance *instance, uint32_t fd,
						  uint32_t prestat)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_prestat_get(host, fd, prestat));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(Instance *instance, uint32_t fd,
						       uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_prestat_dir_name(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_pwrite(Instance *instance, uint32_t fd, uint32_t iovs,
					     uint32_t iovs_len, uint64_t offset,
					     uint32_t nwritten)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_pwrite(host, fd, iovs, iovs_len, offset, nwritten));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_read(Instance *instance, uint32_t fd, uint32_t iovs,
					   uint32_t iovs_len, uint32_t nread)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_read(host, fd, iovs, iovs_len, nread));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_readdir(Instance *instance, uint32_t fd, uint32_t buf,
					      uint32_t buf_len, uint64_t cookie,
					      uint32_t bufused)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_readdir(host, fd, buf, buf_len, cookie, bufused));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_renumber(Instance *instance, uint32_t fd, uint32_t to)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, zvm_wasi_files_renumber(host->files, fd, to));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_seek(Instance *instance, uint32_t fd, uint64_t offset,
					   uint32_t whence, uint32_t newoffset)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_seek(host, fd, offset, whence, newoffset));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_sync(Instance *instance, uint32_t fd)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_sync(host, fd, ZVM_WASI_RIGHT_FD_SYNC));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_tell(Instance *instance, uint32_t fd, uint32_t offset)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_tell(host, fd, offset));
}

uint32_t Z_wasi_snapshot_preview1Z_fd_write(Instance *instance, uint32_t fd, uint32_t iovs,
					    uint32_t iovs_len, uint32_t nwritten)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_fd_write(host, fd, iovs, iovs_len, nwritten));
}

uint32_t Z_wasi_snapshot_preview1Z_path_create_directory(Instance *instance, uint32_t fd,
							 uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_create_directory(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_filestat_get(Instance *instance, uint32_t fd,
						     uint32_t flags, uint32_t path,
						     uint32_t path_len, uint32_t stat)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_filestat_get(host, fd, path, path_len, stat));
}

uint32_t Z_wasi_snapshot_preview1Z_path_filestat_set_times(Instance *instance, uint32_t fd,
							   uint32_t flags, uint32_t path,
							   uint32_t path_len, uint64_t atim,
							   uint64_t mtim, uint32_t fstflags)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_filestat_set_times(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_link(Instance *instance, uint32_t old_fd,
					     uint32_t old_flags, uint32_t old_path,
					     uint32_t old_len, uint32_t new_fd, uint32_t new_path,
					     uint32_t new_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_link(host, old_fd, old_path, old_len, new_fd, new_path,
					       new_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_open(Instance *instance, uint32_t fd,
					     uint32_t dirflags, uint32_t path, uint32_t path_len,
					     uint32_t oflags, uint64_t base, uint64_t inheriting,
					     uint32_t fdflags, uint32_t opened)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_open(host, fd, path, path_len, oflags, base, inheriting,
					       fdflags, opened));
}

uint32_t Z_wasi_snapshot_preview1Z_path_readlink(Instance *instance, uint32_t fd, uint32_t path,
						 uint32_t path_len, uint32_t buf,
						 uint32_t buf_len, uint32_t bufused)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host,
			  wasi_path_readlink(host, fd, path, path_len, buf, buf_len, bufused));
}

uint32_t Z_wasi_snapshot_preview1Z_path_remove_directory(Instance *instance, uint32_t fd,
							 uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_remove_directory(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_rename(Instance *instance, uint32_t fd,
					       uint32_t old_path, uint32_t old_len,
					       uint32_t new_fd, uint32_t new_path,
					       uint32_t new_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_rename(host, fd, old_path, old_len, new_fd, new_path,
						 new_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_symlink(Instance *instance, uint32_t old_path,
						uint32_t old_len, uint32_t fd, uint32_t new_path,
						uint32_t new_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_symlink(host, old_path, old_len, fd, new_path,
						  new_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_unlink_file(Instance *instance, uint32_t fd,
						    uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_path_unlink_file(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_poll_oneoff(Instance *instance, uint32_t in, uint32_t out,
					       uint32_t nsubscriptions, uint32_t nevents)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_poll_oneoff(host, in, out, nsubscriptions, nevents));
}

/* Leaves for good: no host state is in flight, so no enter/leave bracket. */
void Z_wasi_snapshot_preview1Z_proc_exit(Instance *instance, uint32_t code)
{
	zvm_runner_exit((int)code);
}

uint32_t Z_wasi_snapshot_preview1Z_proc_raise(Instance *instance, uint32_t sig)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, ZVM_WASI_ENOSYS);
}

uint32_t Z_wasi_snapshot_preview1Z_random_get(Instance *instance, uint32_t buf,
					      uint32_t buf_len)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, wasi_random_get(host, buf, buf_len));
}

uint32_t Z_wasi_snapshot_preview1Z_sched_yield(Instance *instance)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, ZVM_WASI_SUCCESS);
}

uint32_t Z_wasi_snapshot_preview1Z_sock_accept(Instance *instance, uint32_t fd, uint32_t flags,
					       uint32_t result)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, no_socket(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_sock_recv(Instance *instance, uint32_t fd, uint32_t ri_data,
					     uint32_t ri_data_len, uint32_t ri_flags,
					     uint32_t ro_datalen, uint32_t ro_flags)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, no_socket(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_sock_send(Instance *instance, uint32_t fd, uint32_t si_data,
					     uint32_t si_data_len, uint32_t si_flags,
					     uint32_t so_datalen)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, no_socket(host, fd));
}

uint32_t Z_wasi_snapshot_preview1Z_sock_shutdown(Instance *instance, uint32_t fd, uint32_t how)
{
	ZvmWasiHost *host = host_enter(instance);

	return host_leave(host, no_socket(host, fd));
}
