/* SPDX-License-Identifier: Apache-2.0 */
/* Etag digests over nettle (see etag.h). */
#include "etag.h"

#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

struct _ZvmEtag {
	ZvmEtagAlgorithm algorithm;
	union {
		struct md5_ctx md5;
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
	} ctx;
};

ZvmEtag *zvm_etag_new(ZvmEtagAlgorithm algorithm)
{
	ZvmEtag *etag = g_new0(ZvmEtag, 1);
	etag->algorithm = algorithm;
	switch (algorithm) {
	case ZVM_ETAG_MD5:
		md5_init(&etag->ctx.md5);
		break;
	case ZVM_ETAG_SHA1:
		sha1_init(&etag->ctx.sha1);
		break;
	case ZVM_ETAG_SHA256:
	default:
		etag->algorithm = ZVM_ETAG_SHA256;
		sha256_init(&etag->ctx.sha256);
		break;
	}
	return etag;
}

void zvm_etag_free(ZvmEtag *etag)
{
	g_free(etag);
}

void zvm_etag_update(ZvmEtag *etag, const void *data, size_t length)
{
	switch (etag->algorithm) {
	case ZVM_ETAG_MD5:
		md5_update(&etag->ctx.md5, length, data);
		break;
	case ZVM_ETAG_SHA1:
		sha1_update(&etag->ctx.sha1, length, data);
		break;
	case ZVM_ETAG_SHA256:
	default:
		sha256_update(&etag->ctx.sha256, length, data);
		break;
	}
}

char *zvm_etag_hex(const ZvmEtag *etag)
{
	/* nettle's digest resets its context: finish a copy, so the running one goes on. */
	ZvmEtag copy = *etag;
	guint8 digest[SHA256_DIGEST_SIZE];
	size_t size;
	switch (copy.algorithm) {
	case ZVM_ETAG_MD5:
		size = MD5_DIGEST_SIZE;
		md5_digest(&copy.ctx.md5, size, digest);
		break;
	case ZVM_ETAG_SHA1:
		size = SHA1_DIGEST_SIZE;
		sha1_digest(&copy.ctx.sha1, size, digest);
		break;
	case ZVM_ETAG_SHA256:
	default:
		size = SHA256_DIGEST_SIZE;
		sha256_digest(&copy.ctx.sha256, size, digest);
		break;
	}
	static const char hex[] = "0123456789abcdef";
	char *text = g_malloc(2 * size + 1);
	for (size_t i = 0; i < size; i++) {
		text[2 * i] = hex[digest[i] >> 4];
		text[2 * i + 1] = hex[digest[i] & 15];
	}
	text[2 * size] = '\0';
	return text;
}

char *zvm_etag_hex_of(ZvmEtagAlgorithm algorithm, const void *data, size_t length)
{
	g_autoptr(ZvmEtag) etag = zvm_etag_new(algorithm);
	zvm_etag_update(etag, data, length);
	return zvm_etag_hex(etag);
}
