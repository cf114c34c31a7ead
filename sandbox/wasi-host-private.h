/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the three parts of the WASI host share, and nothing else includes: wasi-host.c (the
 * host, arguments, clocks, poll_oneoff, entropy, the calls that need no file), wasi-io.c (the
 * fd_* calls) and wasi-path.c (the path_* calls). Each part defines the wasm2c imports
 * (wasi-imports.h) of its own calls.
 *
 * Errors are the ones a POSIX program compares against: EBADF for a descriptor that is not open
 * or lacks the read or write right, ESPIPE for positioning a sequential channel, EISDIR and
 * ENOTDIR; ENOTCAPABLE for a path that would leave its directory descriptor and for any other
 * right a program narrowed away; EACCES for creating or changing anything under /dev, EROFS
 * in an image; ENOSPC when writable trees and linear memory would pass Memory, EDQUOT past an
 * output tree's channel limits; EFAULT for any guest pointer or length outside linear memory.
 */
#pragma once

#include <stdint.h>

#include "wasi-abi.h"
#include "wasi-fs.h"
#include "wasi-host.h"
#include "wasi-imports.h"

typedef struct Z_wasi_snapshot_preview1_instance_t ZvmWasiInstance;

/* Entry and exit of every call but proc_exit: a timeout waits until the call is done. */
static inline ZvmWasiHost *zvm_wasi_call_enter(ZvmWasiInstance *instance)
{
	ZvmWasiHost *host = (ZvmWasiHost *)instance;

	zvm_host_enter(host);
	return host;
}

static inline uint32_t zvm_wasi_call_leave(ZvmWasiHost *host, uint32_t result)
{
	zvm_host_leave(host);
	return result;
}

/* @length bytes of linear memory at @ptr, or NULL when any of them is outside it. */
static inline uint8_t *zvm_wasi_guest(ZvmWasiHost *host, uint32_t ptr, uint64_t length)
{
	const wasm_rt_memory_t *memory = host->memory;

	if (memory == NULL || memory->data == NULL || (uint64_t)ptr + length > memory->size)
		return NULL;
	return memory->data + ptr;
}

static inline ZvmWasiFd *zvm_wasi_fd_get(ZvmWasiHost *host, uint32_t fd)
{
	return zvm_wasi_files_get(host->files, fd);
}

/* Defined in wasi-io.c, used by path_open and path_filestat_get too. */

/* SUCCESS for @flags a descriptor may take, else EINVAL or ENOTSUP. */
uint16_t zvm_wasi_check_fdflags(uint32_t flags);

/* Sets a writable node's times as fd_filestat_set_times does ("now" is the program's clock). */
uint16_t zvm_wasi_set_times(ZvmWasiHost *host, ZvmWasiNode *node, uint64_t atim, uint64_t mtim,
			    uint32_t flags);

/* Fills the filestat at @p (ZVM_WASI_FILESTAT_SIZE bytes, bounds-checked) for @node. */
void zvm_wasi_put_filestat(uint8_t *p, uint64_t dev, const ZvmWasiNode *node);
