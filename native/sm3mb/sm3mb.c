// Multi-buffer SM3 (GB/T 32905-2016) for Node.js, through Node-API.
//
// Why: bid intake digests every uploaded byte with SM3, and OpenSSL's SM3 (one message at a time)
// runs at about 290 MB/s per core on the reference machine, which made it the largest CPU cost of
// an upload (src/platform/files/blob-write-pool.ts). SM3's compression function is a chain of
// 32-bit additions, rotations and boolean functions, so 16 independent messages can be compressed
// at once, one per 32-bit lane of a 512-bit vector (or two 256-bit, or four 128-bit ones). Uploads
// arrive 50 at a time, so a writer thread usually holds batches of many blobs: `update` takes them
// all and keeps 16 lanes fed, each lane moving on to the next job when its job's blocks are done.
//
// Variants: the lane code is one portable source (GCC vector extensions), compiled three times,
// for AVX-512, AVX2 and the x86-64 baseline (SSE2); the best the CPU supports is chosen at load
// time. On other architectures or compilers it is compiled once, for the build's own target.
// With fewer than a variant's min_lanes jobs left the lanes would mostly compress nothing, so the
// rest is finished one block at a time by the scalar code, which also completes partial blocks.
//
// Measured on the reference machine (AMD EPYC with AVX-512, 2 cores) by bench/sm3-lanes.ts, MB/s
// on one core with messages of 1 MB, for calls of 1 / 4 / 16 / 32 messages: OpenSSL 275 at any
// count; AVX-512 255 / 468 / 1,655 / 1,719; AVX2 248 / 281 / 523 / 522; SSE2 281 / 282 / 408 / 406.
// A busy lane is worth about 105 MB/s with AVX-512, 33 with AVX2 and 25 with SSE2 against 275 for
// the scalar code, so min_lanes (where the lanes start to win) is 3, 10 and 13. Without AVX-512 the
// gain is smaller (1.5–1.9× with every lane busy), but it is never a loss.
//
// The state of one message lives in a 112-byte Uint8Array owned by JavaScript (see sm3_ctx), so a
// blob's digest can be carried across calls and threads without native handles to free.
//
// API (all synchronous):
//   init() → Uint8Array(112)                 a fresh state
//   update(jobs, variant?)                    jobs: [state, ...parts][]; each job's parts are that
//                                             message's next bytes in order; no state twice in one call
//   digest(state) → Buffer(32)                the digest of everything so far (the state is unchanged)
//   variants() → string[]                     the lane variants this CPU runs, best first
//   lanes → 16

#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LANES 16
#define CTX_BYTES 112

typedef struct {
  uint32_t state[8];
  uint64_t total; /* bytes taken in so far, the tail's included */
  uint32_t tail_len;
  uint32_t reserved;
  uint8_t tail[64];
} sm3_ctx;

_Static_assert(sizeof(sm3_ctx) == CTX_BYTES, "sm3_ctx layout");

static const uint32_t IV[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

/* T_j (0x79cc4519 for j < 16, 0x7a879d8a after) rotated left by j mod 32, as the round uses it. */
static const uint32_t TJ[64] = {
    0x79cc4519, 0xf3988a32, 0xe7311465, 0xce6228cb, 0x9cc45197, 0x3988a32f, 0x7311465e, 0xe6228cbc,
    0xcc451979, 0x988a32f3, 0x311465e7, 0x6228cbce, 0xc451979c, 0x88a32f39, 0x11465e73, 0x228cbce6,
    0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce,
    0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5,
    0x7a879d8a, 0xf50f3b14, 0xea1e7629, 0xd43cec53, 0xa879d8a7, 0x50f3b14f, 0xa1e7629e, 0x43cec53d,
    0x879d8a7a, 0x0f3b14f5, 0x1e7629ea, 0x3cec53d4, 0x79d8a7a8, 0xf3b14f50, 0xe7629ea1, 0xcec53d43,
    0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce,
    0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5,
};

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static inline uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* One round. FF/GG: the boolean functions of the round's half. */
#define ROUND(j, FF, GG)                                        \
  do {                                                          \
    __typeof__(A) a12 = ROTL(A, 12);                                        \
    __typeof__(A) ss1 = a12 + E + TJ[j];                                    \
    ss1 = ROTL(ss1, 7);                                         \
    __typeof__(A) ss2 = ss1 ^ a12;                                          \
    __typeof__(A) tt1 = FF(A, B, C) + D + ss2 + (W[j] ^ W[(j) + 4]);        \
    __typeof__(A) tt2 = GG(E, F, G) + H + ss1 + W[j];                       \
    D = C;                                                      \
    C = ROTL(B, 9);                                             \
    B = A;                                                      \
    A = tt1;                                                    \
    H = G;                                                      \
    G = ROTL(F, 19);                                            \
    F = E;                                                      \
    E = tt2 ^ ROTL(tt2, 9) ^ ROTL(tt2, 17);                     \
  } while (0)

#define F0(x, y, z) ((x) ^ (y) ^ (z))
#define FF1(x, y, z) (((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define GG1(x, y, z) (((x) & (y)) | (~(x) & (z)))

/* The compression of one block of words W[0..15] into V[0..7]; T is the word type (a scalar or a vector of lanes). */
#define COMPRESS_BODY(T, V, W)                                                     \
  do {                                                                             \
    for (int j = 16; j < 68; j++) {                                                \
      T x = W[j - 16] ^ W[j - 9] ^ ROTL(W[j - 3], 15);                             \
      W[j] = x ^ ROTL(x, 15) ^ ROTL(x, 23) ^ ROTL(W[j - 13], 7) ^ W[j - 6];        \
    }                                                                              \
    T A = V[0], B = V[1], C = V[2], D = V[3], E = V[4], F = V[5], G = V[6], H = V[7]; \
    _Pragma("GCC unroll 16") for (int j = 0; j < 16; j++) ROUND(j, F0, F0);        \
    _Pragma("GCC unroll 48") for (int j = 16; j < 64; j++) ROUND(j, FF1, GG1);     \
    V[0] ^= A; V[1] ^= B; V[2] ^= C; V[3] ^= D;                                    \
    V[4] ^= E; V[5] ^= F; V[6] ^= G; V[7] ^= H;                                    \
  } while (0)

/* Not auto-vectorised: GCC's vectorised message expansion made this half as fast (150 MB/s against 300). */
__attribute__((optimize("no-tree-vectorize"))) static void compress1(uint32_t V[8], const uint8_t *block) {
  uint32_t W[68];
  for (int j = 0; j < 16; j++) W[j] = load_be32(block + 4 * j);
  COMPRESS_BODY(uint32_t, V, W);
}

typedef uint32_t v16 __attribute__((vector_size(64)));

/* S[r]: state word r of every lane; M[j]: message word j of every lane (already big-endian decoded). */
#define DEFINE_COMPRESS16(name, attr)                       \
  attr static void name(v16 *S, const v16 *M) {             \
    v16 W[68];                                              \
    for (int j = 0; j < 16; j++) W[j] = M[j];               \
    COMPRESS_BODY(v16, S, W);                               \
  }

typedef void (*compress16_fn)(v16 *S, const v16 *M);

#if defined(__x86_64__) && defined(__GNUC__)
DEFINE_COMPRESS16(compress16_avx512, __attribute__((target("avx512f"))))
DEFINE_COMPRESS16(compress16_avx2, __attribute__((target("avx2"))))
DEFINE_COMPRESS16(compress16_sse2, )
static const struct { const char *name; compress16_fn fn; const char *feature; int min_lanes; } VARIANTS[] = {
    {"avx512", compress16_avx512, "avx512f", 3},
    {"avx2", compress16_avx2, "avx2", 10},
    {"sse2", compress16_sse2, NULL, 13},
};
static int supported(const char *feature) {
  if (!feature) return 1;
  __builtin_cpu_init();
  if (strcmp(feature, "avx512f") == 0) return __builtin_cpu_supports("avx512f");
  if (strcmp(feature, "avx2") == 0) return __builtin_cpu_supports("avx2");
  return 0;
}
#else
DEFINE_COMPRESS16(compress16_generic, )
static const struct { const char *name; compress16_fn fn; const char *feature; int min_lanes; } VARIANTS[] = {{"generic", compress16_generic, NULL, 13}};
static int supported(const char *feature) { return feature == NULL; }
#endif

#define NVARIANTS ((int)(sizeof(VARIANTS) / sizeof(VARIANTS[0])))

/* One message's bytes for this call. */
typedef struct {
  sm3_ctx *ctx;
  const uint8_t **parts;
  size_t *lens;
  uint32_t nparts;
  uint32_t part;  /* the part the next byte comes from */
  size_t offset;  /* within that part */
  size_t left;    /* bytes of this call not yet consumed */
} job;

/* Takes up to n bytes from the job into dst; returns how many. */
static size_t job_take(job *jb, uint8_t *dst, size_t n) {
  size_t got = 0;
  while (got < n && jb->part < jb->nparts) {
    size_t avail = jb->lens[jb->part] - jb->offset;
    if (avail == 0) {
      jb->part++;
      jb->offset = 0;
      continue;
    }
    size_t k = avail < n - got ? avail : n - got;
    memcpy(dst + got, jb->parts[jb->part] + jb->offset, k);
    jb->offset += k;
    got += k;
  }
  jb->left -= got;
  return got;
}

/* The job's next whole block: a pointer into its part, or `scratch` when the block spans two parts; NULL when fewer than 64 bytes are left. */
static const uint8_t *job_block(job *jb, uint8_t *scratch) {
  if (jb->left < 64) return NULL;
  while (jb->lens[jb->part] == jb->offset) {
    jb->part++;
    jb->offset = 0;
  }
  if (jb->lens[jb->part] - jb->offset >= 64) {
    const uint8_t *p = jb->parts[jb->part] + jb->offset;
    jb->offset += 64;
    jb->left -= 64;
    return p;
  }
  job_take(jb, scratch, 64);
  return scratch;
}

/* Before the lanes: tops up a partial block left by the previous call and compresses it when full. */
static void job_begin(job *jb) {
  sm3_ctx *c = jb->ctx;
  c->total += jb->left;
  if (c->tail_len == 0) return;
  c->tail_len += (uint32_t)job_take(jb, c->tail + c->tail_len, 64 - c->tail_len);
  if (c->tail_len == 64) {
    compress1(c->state, c->tail);
    c->tail_len = 0;
  }
}

/* After the lanes: what is left (< 64 bytes) waits in the tail for the next call or the digest. */
static void job_end(job *jb) {
  sm3_ctx *c = jb->ctx;
  c->tail_len += (uint32_t)job_take(jb, c->tail + c->tail_len, jb->left);
}

static void job_scalar(job *jb, const uint8_t *block) {
  uint8_t scratch[64];
  for (; block; block = job_block(jb, scratch)) compress1(jb->ctx->state, block);
  job_end(jb);
}

static void run_jobs(job *jobs, size_t njobs, compress16_fn compress16, int min_lanes) {
  v16 S[8];
  v16 M[16];
  job *lane[LANES] = {0};
  const uint8_t *blocks[LANES];
  uint8_t scratch[LANES][64];
  size_t next = 0;

  for (size_t i = 0; i < njobs; i++) job_begin(&jobs[i]);
  for (;;) {
    int busy = 0;
    for (int l = 0; l < LANES; l++) {
      blocks[l] = NULL;
      for (;;) {
        if (lane[l]) {
          blocks[l] = job_block(lane[l], scratch[l]);
          if (blocks[l]) break;
          for (int r = 0; r < 8; r++) lane[l]->ctx->state[r] = S[r][l];
          job_end(lane[l]);
          lane[l] = NULL;
        }
        if (next == njobs) break;
        lane[l] = &jobs[next++];
        for (int r = 0; r < 8; r++) S[r][l] = lane[l]->ctx->state[r];
      }
      if (blocks[l]) busy++;
    }
    if (busy == 0) break;
    if (busy < min_lanes && next == njobs) {
      for (int l = 0; l < LANES; l++) {
        if (!lane[l]) continue;
        for (int r = 0; r < 8; r++) lane[l]->ctx->state[r] = S[r][l];
        job_scalar(lane[l], blocks[l]);
      }
      break;
    }
    for (int l = 0; l < LANES; l++) {
      if (blocks[l]) {
        for (int j = 0; j < 16; j++) M[j][l] = load_be32(blocks[l] + 4 * j);
      } else {
        for (int j = 0; j < 16; j++) M[j][l] = 0;
      }
    }
    compress16(S, M);
  }
}

/* ---- Node-API ---- */

#define CHECK(call)                                          \
  do {                                                       \
    if ((call) != napi_ok) {                                 \
      napi_throw_error(env, NULL, "sm3mb: " #call " failed"); \
      goto fail;                                             \
    }                                                        \
  } while (0)

static int bytes_of(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  bool is_typed = false;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  size_t length;
  void *ptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, NULL, NULL) != napi_ok || type != napi_uint8_array) return 0;
  *data = ptr;
  *len = length;
  return 1;
}

static sm3_ctx *ctx_of(napi_env env, napi_value v) {
  uint8_t *data;
  size_t len;
  if (!bytes_of(env, v, &data, &len) || len != CTX_BYTES || ((uintptr_t)data & 7) != 0) return NULL;
  return (sm3_ctx *)data;
}

static napi_value js_init(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value ab, out;
  void *data;
  CHECK(napi_create_arraybuffer(env, CTX_BYTES, &data, &ab));
  sm3_ctx *c = data;
  memset(c, 0, sizeof *c);
  memcpy(c->state, IV, sizeof IV);
  CHECK(napi_create_typedarray(env, napi_uint8_array, CTX_BYTES, ab, 0, &out));
  return out;
fail:
  return NULL;
}

static napi_value js_digest(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  sm3_ctx *c = argc == 1 ? ctx_of(env, argv[0]) : NULL;
  if (!c) {
    napi_throw_type_error(env, NULL, "sm3mb.digest: expected a state from init()");
    return NULL;
  }
  uint32_t V[8];
  uint8_t block[64];
  memcpy(V, c->state, sizeof V);
  memset(block, 0, sizeof block);
  memcpy(block, c->tail, c->tail_len);
  block[c->tail_len] = 0x80;
  if (c->tail_len >= 56) {
    compress1(V, block);
    memset(block, 0, sizeof block);
  }
  uint64_t bits = c->total * 8;
  store_be32(block + 56, (uint32_t)(bits >> 32));
  store_be32(block + 60, (uint32_t)bits);
  compress1(V, block);
  void *data;
  CHECK(napi_create_buffer(env, 32, &data, &out));
  for (int i = 0; i < 8; i++) store_be32((uint8_t *)data + 4 * i, V[i]);
  return out;
fail:
  return NULL;
}

static int best_variant(void) {
  for (int i = 0; i < NVARIANTS; i++)
    if (supported(VARIANTS[i].feature)) return i;
  return NVARIANTS - 1;
}

static napi_value js_variants(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value arr, s;
  uint32_t n = 0;
  CHECK(napi_create_array(env, &arr));
  for (int i = 0; i < NVARIANTS; i++) {
    if (!supported(VARIANTS[i].feature)) continue;
    CHECK(napi_create_string_utf8(env, VARIANTS[i].name, NAPI_AUTO_LENGTH, &s));
    CHECK(napi_set_element(env, arr, n++, s));
  }
  return arr;
fail:
  return NULL;
}

static napi_value js_update(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  job *jobs = NULL;
  const uint8_t **parts = NULL;
  size_t *lens = NULL;
  uint32_t njobs = 0, total_parts = 0;
  bool is_array = false;
  int variant = best_variant();

  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, NULL, "sm3mb.update: expected an array of [state, ...parts] jobs");
    return NULL;
  }
  if (argc >= 2) {
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[1], &t));
    if (t != napi_undefined) {
      char name[32];
      size_t n;
      if (t != napi_string || napi_get_value_string_utf8(env, argv[1], name, sizeof name, &n) != napi_ok) {
        napi_throw_type_error(env, NULL, "sm3mb.update: variant must be a string");
        return NULL;
      }
      variant = -1;
      for (int i = 0; i < NVARIANTS; i++)
        if (strcmp(name, VARIANTS[i].name) == 0 && supported(VARIANTS[i].feature)) variant = i;
      if (variant < 0) {
        napi_throw_range_error(env, NULL, "sm3mb.update: variant not available on this CPU");
        return NULL;
      }
    }
  }
  CHECK(napi_get_array_length(env, argv[0], &njobs));
  for (uint32_t i = 0; i < njobs; i++) {
    napi_value jv;
    uint32_t n = 0;
    CHECK(napi_get_element(env, argv[0], i, &jv));
    if (napi_get_array_length(env, jv, &n) != napi_ok || n < 1) {
      napi_throw_type_error(env, NULL, "sm3mb.update: a job is [state, ...parts]");
      return NULL;
    }
    total_parts += n - 1;
  }
  jobs = calloc(njobs ? njobs : 1, sizeof *jobs);
  parts = calloc(total_parts ? total_parts : 1, sizeof *parts);
  lens = calloc(total_parts ? total_parts : 1, sizeof *lens);
  if (!jobs || !parts || !lens) {
    napi_throw_error(env, NULL, "sm3mb.update: out of memory");
    goto fail;
  }
  uint32_t at = 0;
  for (uint32_t i = 0; i < njobs; i++) {
    napi_value jv, v;
    uint32_t n;
    CHECK(napi_get_element(env, argv[0], i, &jv));
    CHECK(napi_get_array_length(env, jv, &n));
    CHECK(napi_get_element(env, jv, 0, &v));
    job *jb = &jobs[i];
    jb->ctx = ctx_of(env, v);
    if (!jb->ctx) {
      napi_throw_type_error(env, NULL, "sm3mb.update: a job's first element must be a state from init()");
      goto fail;
    }
    for (uint32_t k = 0; k < i; k++) {
      if (jobs[k].ctx == jb->ctx) {
        napi_throw_error(env, NULL, "sm3mb.update: one state in two jobs of one call");
        goto fail;
      }
    }
    jb->parts = parts + at;
    jb->lens = lens + at;
    jb->nparts = n - 1;
    for (uint32_t k = 1; k < n; k++) {
      uint8_t *d;
      size_t len;
      CHECK(napi_get_element(env, jv, k, &v));
      if (!bytes_of(env, v, &d, &len)) {
        napi_throw_type_error(env, NULL, "sm3mb.update: parts must be Uint8Arrays");
        goto fail;
      }
      parts[at] = d;
      lens[at] = len;
      jb->left += len;
      at++;
    }
  }
  run_jobs(jobs, njobs, VARIANTS[variant].fn, VARIANTS[variant].min_lanes);
  free(jobs);
  free(parts);
  free(lens);
  return NULL;
fail:
  free(jobs);
  free(parts);
  free(lens);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"init", NULL, js_init, NULL, NULL, NULL, napi_enumerable, NULL},
      {"update", NULL, js_update, NULL, NULL, NULL, napi_enumerable, NULL},
      {"digest", NULL, js_digest, NULL, NULL, NULL, napi_enumerable, NULL},
      {"variants", NULL, js_variants, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value lanes;
  if (napi_create_uint32(env, LANES, &lanes) != napi_ok) return NULL;
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "lanes", lanes) != napi_ok) return NULL;
  return exports;
}
