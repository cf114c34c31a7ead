/* SPDX-License-Identifier: Apache-2.0 */
/* Whole transfers on descriptors, retried on EINTR and short counts. */
#pragma once

#include <glib.h>

/* Writes all @length bytes of @data to @fd. Returns: 0, or -errno. */
int zvm_write_all(int fd, const void *data, gsize length);

/* Copies @from, from its position to its end, to @to. Returns: 0, or -errno. */
int zvm_copy_fd(int from, int to);
