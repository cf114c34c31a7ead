/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running digests for etags (channels, /dev/memory): MD5, SHA-1 or SHA-256. SHA-256, the
 * default and the one that streams gigabytes, is our own (etag.c, FIPS 180-4): the CPU's SHA
 * extensions on x86-64 where there are some (chosen once, at run time), portable C elsewhere;
 * glib's GChecksum was several times slower and made etag-on streaming hash-bound. MD5 and
 * SHA-1 are rarely asked for and stay on GChecksum. Digests are lowercase hex, as GChecksum's
 * were, so reports do not change.
 */
#pragma once

#include <glib.h>

#include "zvm-limits.h"

typedef struct _ZvmEtag ZvmEtag;

ZvmEtag *zvm_etag_new(ZvmEtagAlgorithm algorithm);
void zvm_etag_free(ZvmEtag *etag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmEtag, zvm_etag_free)

void zvm_etag_update(ZvmEtag *etag, const void *data, size_t length);

/* Hex digest of everything so far; the running digest goes on (free with g_free). */
char *zvm_etag_hex(const ZvmEtag *etag);

/* The hex digest of @length bytes at @data, in one call. */
char *zvm_etag_hex_of(ZvmEtagAlgorithm algorithm, const void *data, size_t length);
