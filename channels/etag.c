/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Etag digests (see etag.h). SHA-256 is FIPS 180-4, written here: whole 64-byte blocks are
 * compressed straight from the caller's buffer and only a tail shorter than a block is kept,
 * by one of two compression functions, chosen per etag when it is made: the x86-64 SHA
 * extensions (SHA-NI: about 1.4 GB/s a core on a Xeon, where GChecksum does about 200 MB/s)
 * when the CPU has them, else portable C. The choice reads CPUID only, so the seccomp-fenced runner
 * allows it. MD5 and SHA-1 are GChecksum's. An etag with a worker (etag-worker.c) hashes there.
 */
#include "etag.h"
#include "etag-private.h"
#include "etag-worker.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

#define SHA256_BLOCK 64
#define SHA256_DIGEST 32

/* Compresses @n_blocks 64-byte blocks at @blocks into @state. */
typedef void (*Sha256Compress)(uint32_t state[8], const guint8 *blocks, size_t n_blocks);

typedef struct {
	uint32_t state[8];
	uint64_t length;	   /* bytes so far */
	guint8 tail[SHA256_BLOCK]; /* the last length % 64 bytes, not yet compressed */
	Sha256Compress compress;
} Sha256;

struct _ZvmEtag {
	ZvmEtagAlgorithm algorithm;
	GChecksum *checksum; /* MD5, SHA-1 */
	Sha256 sha256;
	ZvmEtagWorker *worker; /* NULL: updates hash on the caller's thread */
};

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
static const uint32_t sha256_h0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* --- Portable C ------------------------------------------------------------------------- */

static inline uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const guint8 *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void sha256_compress_portable(uint32_t state[8], const guint8 *blocks, size_t n_blocks)
{
	for (; n_blocks > 0; n_blocks--, blocks += SHA256_BLOCK) {
		/* The message schedule, sixteen words at a time: w[t % 16] is W_t. */
		uint32_t w[16];
		for (int t = 0; t < 16; t++)
			w[t] = load_be32(blocks + 4 * t);
		uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
		uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
		/* Unrolled, the eight variables' shuffle at the end of a round is only renaming. */
#pragma GCC unroll 64
		for (int t = 0; t < 64; t++) {
			if (t >= 16) {
				uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
				uint32_t s0 = ror32(w15, 7) ^ ror32(w15, 18) ^ (w15 >> 3);
				uint32_t s1 = ror32(w2, 17) ^ ror32(w2, 19) ^ (w2 >> 10);
				w[t & 15] += s0 + w[(t - 7) & 15] + s1;
			}
			uint32_t sum1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
			uint32_t ch = g ^ (e & (f ^ g));
			uint32_t t1 = h + sum1 + ch + sha256_k[t] + w[t & 15];
			uint32_t sum0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
			uint32_t maj = (a & b) ^ (c & (a ^ b));
			uint32_t t2 = sum0 + maj;
			h = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + t2;
		}
		state[0] += a;
		state[1] += b;
		state[2] += c;
		state[3] += d;
		state[4] += e;
		state[5] += f;
		state[6] += g;
		state[7] += h;
	}
}

/* --- x86-64 SHA extensions -------------------------------------------------------------- */

#if defined(__x86_64__)
#define SHA_NI __attribute__((target("sha,sse4.1")))

/*
 * The state is kept as the instructions want it: abef holds A, B, E, F and cdgh C, D, G, H,
 * each from the high lane down (A in lane 3). sha256rnds2 does two rounds, taking W+K of the
 * two rounds from the low two lanes of its third operand; sha256msg1 and sha256msg2 compute
 * the next four schedule words: msg1(W[t-16..t-13], W[t-12..t-9]) adds sigma0, the caller
 * adds W[t-7..t-4], msg2 adds sigma1 of the words before.
 */
SHA_NI static void sha256_compress_shani(uint32_t state[8], const guint8 *blocks, size_t n_blocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]); /* lanes A B C D */
	__m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]); /* lanes E F G H */
	__m128i badc = _mm_shuffle_epi32(dcba, 0xb1);		    /* B A D C */
	hgfe = _mm_shuffle_epi32(hgfe, 0x1b);			    /* H G F E */
	__m128i abef = _mm_alignr_epi8(badc, hgfe, 8);		    /* F E B A */
	__m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);	    /* H G D C */

	for (; n_blocks > 0; n_blocks--, blocks += SHA256_BLOCK) {
		const __m128i abef_in = abef, cdgh_in = cdgh;
		/* m[i % 4] holds W[4i..4i+3] of the four-round group i. */
		__m128i m[4];
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			if (i < 4)
				m[i] = _mm_shuffle_epi8(
				    _mm_loadu_si128((const __m128i *)(blocks + 16 * i)), bswap);
			__m128i wk = _mm_add_epi32(
			    m[i & 3], _mm_load_si128((const __m128i *)&sha256_k[4 * i]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			/* W[4i+4..4i+7], from msg1's partial sum made two groups ago. */
			if (i >= 3 && i < 15) {
				__m128i w7 = _mm_alignr_epi8(m[i & 3], m[(i - 1) & 3], 4);
				m[(i + 1) & 3] = _mm_sha256msg2_epu32(
				    _mm_add_epi32(m[(i + 1) & 3], w7), m[i & 3]);
			}
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
			/* The sigma0 part of W[4i+12..4i+15]. */
			if (i >= 1 && i < 13)
				m[(i - 1) & 3] = _mm_sha256msg1_epu32(m[(i - 1) & 3], m[i & 3]);
		}
		abef = _mm_add_epi32(abef, abef_in);
		cdgh = _mm_add_epi32(cdgh, cdgh_in);
	}

	__m128i abfe = _mm_shuffle_epi32(abef, 0x1b); /* A B E F */
	__m128i cdhg = _mm_shuffle_epi32(cdgh, 0xb1); /* G H C D */
	_mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abfe, cdhg, 0xf0));
	_mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(cdhg, abfe, 8));
}

static gboolean cpu_has_sha_ni(void)
{
#if defined(__clang__)
	/* clang (14) has no "sha" for __builtin_cpu_supports: CPUID leaf 1 ECX bits 9 and 19
	 * (SSSE3, SSE4.1) and leaf 7 EBX bit 29 (SHA). */
	unsigned int eax, ebx, ecx, edx;
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 9)) || !(ecx & (1u << 19)))
		return FALSE;
	return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & (1u << 29));
#else
	__builtin_cpu_init();
	return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
#endif
}
#else
static gboolean cpu_has_sha_ni(void)
{
	return FALSE;
}
#endif

/* --- The choice ------------------------------------------------------------------------- */

static gint force_portable; /* zvm_etag_force_portable (tests) */

gboolean zvm_etag_sha_ni_available(void)
{
	static gsize known; /* 0 until asked once; then 1 without, 2 with */
	if (g_once_init_enter(&known))
		g_once_init_leave(&known, cpu_has_sha_ni() ? 2 : 1);
	return known == 2;
}

void zvm_etag_force_portable(gboolean portable)
{
	g_atomic_int_set(&force_portable, portable ? 1 : 0);
}

static Sha256Compress sha256_compress_choice(void)
{
#if defined(__x86_64__)
	if (!g_atomic_int_get(&force_portable) && zvm_etag_sha_ni_available())
		return sha256_compress_shani;
#endif
	return sha256_compress_portable;
}

/* --- SHA-256 ---------------------------------------------------------------------------- */

static void sha256_init(Sha256 *sha)
{
	memcpy(sha->state, sha256_h0, sizeof sha->state);
	sha->length = 0;
	sha->compress = sha256_compress_choice();
}

static void sha256_update(Sha256 *sha, const guint8 *data, size_t length)
{
	size_t held = sha->length % SHA256_BLOCK;
	sha->length += length;
	if (held > 0) {
		size_t take = MIN(SHA256_BLOCK - held, length);
		memcpy(sha->tail + held, data, take);
		data += take;
		length -= take;
		if (held + take < SHA256_BLOCK)
			return;
		sha->compress(sha->state, sha->tail, 1);
	}
	size_t n_blocks = length / SHA256_BLOCK;
	if (n_blocks > 0) {
		sha->compress(sha->state, data, n_blocks);
		data += n_blocks * SHA256_BLOCK;
		length -= n_blocks * SHA256_BLOCK;
	}
	if (length > 0)
		memcpy(sha->tail, data, length);
}

/* The digest of a copy of @running (which goes on): 0x80, zeros to 56 mod 64, the length in
 * bits as 64 bits big-endian. */
static void sha256_digest(const Sha256 *running, guint8 digest[SHA256_DIGEST])
{
	Sha256 sha = *running;
	size_t held = sha.length % SHA256_BLOCK;
	uint64_t bits = sha.length * 8;
	guint8 pad[2 * SHA256_BLOCK] = {0x80};
	size_t pad_length = (held < 56 ? 56 : 120) - held;
	for (int i = 0; i < 8; i++)
		pad[pad_length + i] = (guint8)(bits >> (56 - 8 * i));
	sha256_update(&sha, pad, pad_length + 8);
	for (int i = 0; i < 8; i++) {
		digest[4 * i] = (guint8)(sha.state[i] >> 24);
		digest[4 * i + 1] = (guint8)(sha.state[i] >> 16);
		digest[4 * i + 2] = (guint8)(sha.state[i] >> 8);
		digest[4 * i + 3] = (guint8)sha.state[i];
	}
}

/* --- Etags ------------------------------------------------------------------------------ */

ZvmEtag *zvm_etag_new(ZvmEtagAlgorithm algorithm)
{
	ZvmEtag *etag = g_new0(ZvmEtag, 1);
	switch (algorithm) {
	case ZVM_ETAG_MD5:
	case ZVM_ETAG_SHA1:
		etag->algorithm = algorithm;
		etag->checksum = g_checksum_new((GChecksumType)algorithm);
		break;
	case ZVM_ETAG_SHA256:
	default:
		etag->algorithm = ZVM_ETAG_SHA256;
		sha256_init(&etag->sha256);
		break;
	}
	return etag;
}

void zvm_etag_free(ZvmEtag *etag)
{
	if (etag == NULL)
		return;
	g_clear_pointer(&etag->worker, zvm_etag_worker_stop);
	g_clear_pointer(&etag->checksum, g_checksum_free);
	g_free(etag);
}

/* Hashes on this thread: the worker's sink, or the caller's when there is no worker. */
static void etag_hash(gpointer target, const guint8 *data, size_t length)
{
	ZvmEtag *etag = target;
	if (etag->checksum == NULL) {
		sha256_update(&etag->sha256, data, length);
		return;
	}
	/* GChecksum takes a gssize: feed it in pieces that fit. */
	const guint8 *bytes = data;
	while (length > 0) {
		size_t n = MIN(length, (size_t)G_MAXSSIZE);
		g_checksum_update(etag->checksum, bytes, (gssize)n);
		bytes += n;
		length -= n;
	}
}

gboolean zvm_etag_start_worker(ZvmEtag *etag, GError **error)
{
	if (etag->worker == NULL)
		etag->worker = zvm_etag_worker_start(etag_hash, etag, error);
	return etag->worker != NULL;
}

void zvm_etag_update(ZvmEtag *etag, const void *data, size_t length)
{
	if (etag->worker != NULL)
		zvm_etag_worker_push(etag->worker, data, length);
	else
		etag_hash(etag, data, length);
}

char *zvm_etag_hex(ZvmEtag *etag)
{
	if (etag->worker != NULL)
		zvm_etag_worker_drain(etag->worker);
	if (etag->checksum != NULL) {
		/* GChecksum closes itself when asked for its digest: ask a copy. */
		g_autoptr(GChecksum) copy = g_checksum_copy(etag->checksum);
		return g_strdup(g_checksum_get_string(copy));
	}
	guint8 digest[SHA256_DIGEST];
	sha256_digest(&etag->sha256, digest);
	static const char hex[] = "0123456789abcdef";
	char *text = g_malloc(2 * SHA256_DIGEST + 1);
	for (size_t i = 0; i < SHA256_DIGEST; i++) {
		text[2 * i] = hex[digest[i] >> 4];
		text[2 * i + 1] = hex[digest[i] & 15];
	}
	text[2 * SHA256_DIGEST] = '\0';
	return text;
}

char *zvm_etag_hex_of(ZvmEtagAlgorithm algorithm, const void *data, size_t length)
{
	g_autoptr(ZvmEtag) etag = zvm_etag_new(algorithm);
	zvm_etag_update(etag, data, length);
	return zvm_etag_hex(etag);
}
