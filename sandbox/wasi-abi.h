/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The WASI preview 1 ABI as the host sees it: errno values, rights, flags, file types and the
 * byte layout of the structures in linear memory (wasi-libc's <wasi/api.h> describes the same
 * things but only compiles for wasm32). Private to the WASI host and its tests.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <string.h>

/* Errno values (preview 1 numbering, not the host's). */
enum {
	ZVM_WASI_SUCCESS = 0,
	ZVM_WASI_EACCES = 2,
	ZVM_WASI_EBADF = 8,
	ZVM_WASI_EBUSY = 10,
	ZVM_WASI_EDQUOT = 19,
	ZVM_WASI_EEXIST = 20,
	ZVM_WASI_EFAULT = 21,
	ZVM_WASI_EFBIG = 22,
	ZVM_WASI_EINVAL = 28,
	ZVM_WASI_EIO = 29,
	ZVM_WASI_EISDIR = 31,
	ZVM_WASI_ELOOP = 32,
	ZVM_WASI_EMFILE = 33,
	ZVM_WASI_ENAMETOOLONG = 37,
	ZVM_WASI_ENOENT = 44,
	ZVM_WASI_ENOSPC = 51,
	ZVM_WASI_ENOSYS = 52,
	ZVM_WASI_ENOTDIR = 54,
	ZVM_WASI_ENOTEMPTY = 55,
	ZVM_WASI_ENOTSOCK = 57,
	ZVM_WASI_ENOTSUP = 58,
	ZVM_WASI_EOVERFLOW = 61,
	ZVM_WASI_EPERM = 63,
	ZVM_WASI_EPIPE = 64,
	ZVM_WASI_EROFS = 69,
	ZVM_WASI_ESPIPE = 70,
	ZVM_WASI_EXDEV = 75,
	ZVM_WASI_ENOTCAPABLE = 76,
};

/* Rights. */
#define ZVM_WASI_RIGHT_FD_DATASYNC (UINT64_C(1) << 0)
#define ZVM_WASI_RIGHT_FD_READ (UINT64_C(1) << 1)
#define ZVM_WASI_RIGHT_FD_SEEK (UINT64_C(1) << 2)
#define ZVM_WASI_RIGHT_FD_FDSTAT_SET_FLAGS (UINT64_C(1) << 3)
#define ZVM_WASI_RIGHT_FD_SYNC (UINT64_C(1) << 4)
#define ZVM_WASI_RIGHT_FD_TELL (UINT64_C(1) << 5)
#define ZVM_WASI_RIGHT_FD_WRITE (UINT64_C(1) << 6)
#define ZVM_WASI_RIGHT_FD_ADVISE (UINT64_C(1) << 7)
#define ZVM_WASI_RIGHT_FD_ALLOCATE (UINT64_C(1) << 8)
#define ZVM_WASI_RIGHT_PATH_CREATE_DIRECTORY (UINT64_C(1) << 9)
#define ZVM_WASI_RIGHT_PATH_CREATE_FILE (UINT64_C(1) << 10)
#define ZVM_WASI_RIGHT_PATH_LINK_SOURCE (UINT64_C(1) << 11)
#define ZVM_WASI_RIGHT_PATH_LINK_TARGET (UINT64_C(1) << 12)
#define ZVM_WASI_RIGHT_PATH_OPEN (UINT64_C(1) << 13)
#define ZVM_WASI_RIGHT_FD_READDIR (UINT64_C(1) << 14)
#define ZVM_WASI_RIGHT_PATH_READLINK (UINT64_C(1) << 15)
#define ZVM_WASI_RIGHT_PATH_RENAME_SOURCE (UINT64_C(1) << 16)
#define ZVM_WASI_RIGHT_PATH_RENAME_TARGET (UINT64_C(1) << 17)
#define ZVM_WASI_RIGHT_PATH_FILESTAT_GET (UINT64_C(1) << 18)
#define ZVM_WASI_RIGHT_PATH_FILESTAT_SET_SIZE (UINT64_C(1) << 19)
#define ZVM_WASI_RIGHT_PATH_FILESTAT_SET_TIMES (UINT64_C(1) << 20)
#define ZVM_WASI_RIGHT_FD_FILESTAT_GET (UINT64_C(1) << 21)
#define ZVM_WASI_RIGHT_FD_FILESTAT_SET_SIZE (UINT64_C(1) << 22)
#define ZVM_WASI_RIGHT_FD_FILESTAT_SET_TIMES (UINT64_C(1) << 23)
#define ZVM_WASI_RIGHT_PATH_SYMLINK (UINT64_C(1) << 24)
#define ZVM_WASI_RIGHT_PATH_REMOVE_DIRECTORY (UINT64_C(1) << 25)
#define ZVM_WASI_RIGHT_PATH_UNLINK_FILE (UINT64_C(1) << 26)
#define ZVM_WASI_RIGHT_POLL_FD_READWRITE (UINT64_C(1) << 27)

/* File types. */
enum {
	ZVM_WASI_FILETYPE_UNKNOWN = 0,
	ZVM_WASI_FILETYPE_BLOCK_DEVICE = 1,
	ZVM_WASI_FILETYPE_CHARACTER_DEVICE = 2,
	ZVM_WASI_FILETYPE_DIRECTORY = 3,
	ZVM_WASI_FILETYPE_REGULAR_FILE = 4,
	ZVM_WASI_FILETYPE_SYMBOLIC_LINK = 7,
};
#define ZVM_WASI_LOOKUP_SYMLINK_FOLLOW 0x1

/* fdflags, oflags, lookupflags. */
#define ZVM_WASI_FDFLAG_APPEND 0x01
#define ZVM_WASI_FDFLAG_DSYNC 0x02
#define ZVM_WASI_FDFLAG_NONBLOCK 0x04
#define ZVM_WASI_FDFLAG_RSYNC 0x08
#define ZVM_WASI_FDFLAG_SYNC 0x10
#define ZVM_WASI_FDFLAGS_ALL 0x1f

#define ZVM_WASI_OFLAG_CREAT 0x1
#define ZVM_WASI_OFLAG_DIRECTORY 0x2
#define ZVM_WASI_OFLAG_EXCL 0x4
#define ZVM_WASI_OFLAG_TRUNC 0x8
#define ZVM_WASI_OFLAGS_ALL 0xf

/* fstflags of the set_times calls. */
#define ZVM_WASI_FSTFLAG_ATIM 0x1
#define ZVM_WASI_FSTFLAG_ATIM_NOW 0x2
#define ZVM_WASI_FSTFLAG_MTIM 0x4
#define ZVM_WASI_FSTFLAG_MTIM_NOW 0x8
#define ZVM_WASI_FSTFLAGS_ALL 0xf

enum { ZVM_WASI_WHENCE_SET = 0, ZVM_WASI_WHENCE_CUR = 1, ZVM_WASI_WHENCE_END = 2 };

enum {
	ZVM_WASI_CLOCK_REALTIME = 0,
	ZVM_WASI_CLOCK_MONOTONIC = 1,
	ZVM_WASI_CLOCK_PROCESS_CPUTIME = 2,
	ZVM_WASI_CLOCK_THREAD_CPUTIME = 3,
};

enum {
	ZVM_WASI_EVENTTYPE_CLOCK = 0,
	ZVM_WASI_EVENTTYPE_FD_READ = 1,
	ZVM_WASI_EVENTTYPE_FD_WRITE = 2,
};
#define ZVM_WASI_SUBCLOCK_ABSTIME 0x1

enum { ZVM_WASI_PREOPENTYPE_DIR = 0 };
enum { ZVM_WASI_ADVICE_LAST = 5 };

/* Sizes and offsets of the structures in linear memory. */
enum {
	ZVM_WASI_IOVEC_SIZE = 8,	 /* buf u32 @0, buf_len u32 @4 */
	ZVM_WASI_FDSTAT_SIZE = 24,	 /* filetype u8 @0, flags u16 @2, base @8, inheriting @16 */
	ZVM_WASI_FILESTAT_SIZE = 64,	 /* dev @0 ino @8 filetype u8 @16 nlink @24 size @32
					    atim @40 mtim @48 ctim @56 */
	ZVM_WASI_PRESTAT_SIZE = 8,	 /* tag u8 @0, name_len u32 @4 */
	ZVM_WASI_DIRENT_SIZE = 24,	 /* next @0 ino @8 namlen u32 @16 type u8 @20 */
	ZVM_WASI_SUBSCRIPTION_SIZE = 48, /* userdata @0 tag u8 @8; clock: id u32 @16 timeout @24
					    precision @32 flags u16 @40; fd: fd u32 @16 */
	ZVM_WASI_EVENT_SIZE = 32,	 /* userdata @0 error u16 @8 type u8 @10 nbytes @16
					    flags u16 @24 */
};

/* Little-endian stores and loads at any alignment (linear memory is little-endian). */
static inline void zvm_wasi_put_u8(uint8_t *p, uint8_t v)
{
	*p = v;
}

static inline void zvm_wasi_put_u16(uint8_t *p, uint16_t v)
{
	v = GUINT16_TO_LE(v);
	memcpy(p, &v, sizeof(v));
}

static inline void zvm_wasi_put_u32(uint8_t *p, uint32_t v)
{
	v = GUINT32_TO_LE(v);
	memcpy(p, &v, sizeof(v));
}

static inline void zvm_wasi_put_u64(uint8_t *p, uint64_t v)
{
	v = GUINT64_TO_LE(v);
	memcpy(p, &v, sizeof(v));
}

static inline uint16_t zvm_wasi_get_u16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return GUINT16_FROM_LE(v);
}

static inline uint32_t zvm_wasi_get_u32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return GUINT32_FROM_LE(v);
}

static inline uint64_t zvm_wasi_get_u64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return GUINT64_FROM_LE(v);
}
