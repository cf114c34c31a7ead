/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One descriptor cleanup type for every layer: `g_auto(ZvmFd) fd = open(...)` closes the
 * descriptor at the end of its scope when it is not -1, keeping errno, so an error path can
 * still report why the call after the open failed.
 */
#pragma once

#include <errno.h>
#include <glib.h>
#include <unistd.h>

typedef int ZvmFd;

static inline void zvm_fd_close(ZvmFd fd)
{
	int saved = errno;
	close(fd);
	errno = saved;
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(ZvmFd, zvm_fd_close, -1)
