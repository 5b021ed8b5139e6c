// int8 x int8 -> int32 GEMM over weights packed as k-pair-interleaved panels of 8 columns
// (int8_kernels.h). The inner op is ReorderWidenMulAccumulate on int16: wasm
// i32x4.dot_i16x8_s, x86 pmaddwd. Activations are widened once per call into int16 pairs, so
// each row's pair is one 32-bit broadcast load on x86 and, already splat across a vector
// (kAReps), one plain vector load in wasm.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/int8_kernels.h"
#include "kernels/int8_reference.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/int8_gemm.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {
namespace {

namespace hi = hwy::HWY_NAMESPACE;

// At most one panel (8 int32 lanes) per vector: AVX3 runs 256-bit vectors here, because a
// 512-bit vector would span two k-pairs and need a two-pair broadcast of A.
using I32 = hi::CappedTag<int32_t, kInt8Panel>;
using F32 = hi::Rebind<float, I32>;
using V32 = hi::Vec<I32>;
#if HWY_TARGET != HWY_SCALAR  // one-lane vectors cannot hold an int16 pair
using I16 = hi::Repartition<int16_t, I32>;
using I8 = hi::Rebind<int8_t, I16>;  // half-width int8 load that PromoteTo widens to I16
using V16 = hi::Vec<I16>;
#endif

constexpr size_t kLanes = hi::MaxLanes(I32());
constexpr size_t kNV = (kInt8Panel + kLanes - 1) / kLanes;  // vectors per panel row
// Register tile kMR rows x 8 columns. 128-bit (wasm, SSE4): 8 accumulators + 2 B + 1 A +
// 1 product = 12 of V8's ~15 usable xmm (TOOLCHAIN section 12: 4x8 reaches ~90% of the
// dot_i16x8 peak; larger tiles or an unrolled k loop spill). 256-bit: 8 accumulators + 3.
#if HWY_TARGET == HWY_SCALAR
constexpr size_t kMR = 4;
#elif HWY_ARCH_X86 && (HWY_TARGET <= HWY_AVX2)
constexpr size_t kMR = 8;
#else
constexpr size_t kMR = 4;
#endif
// Copies of each A pair in the widened block. wasm: 4, every pair already splat across a
// vector, so the k loop loads A with v128.load (a plain `vmovdqu` in V8) instead of
// v128.load32_splat (`vbroadcastss xmm, m32`). On AMD Zen 3 the broadcast form also takes a
// vector-pipe slot that the tile's dot/add stream needs: 79-84% of the dot peak with it,
// 84-87% without (bench/int8_bench.cc, quiet rounds). Elsewhere 1 (x86 broadcasts stay in the load
// port).
#if HWY_TARGET == HWY_WASM
constexpr size_t kAReps = 4;
#else
constexpr size_t kAReps = 1;
#endif
// int32 per k-pair in a widened block of kMR rows.
constexpr size_t kAStep = kMR * kAReps;
// Widened A per chunk of rows (the panels stream once per chunk; a row block's share stays
// in L1/L2 while they pass). Scaled with kAReps so a chunk holds as many rows everywhere.
constexpr size_t kAChunkBytes = 256 * 1024 * kAReps;

template <typename T>
std::vector<T>& Int8Scratch(size_t size) {
  static thread_local std::vector<T> scratch;
  if (scratch.size() < size) scratch.resize(size);
  return scratch;
}

// (lo, high) as two int16 in one int32, lo in the low half: little-endian lane order, so the
// pair lines up with the (p, p + 1) bytes of a panel row after sign extension.
HWY_INLINE int32_t PairOf(int8_t lo, int8_t high) {
  const uint32_t u = static_cast<uint16_t>(int16_t{lo}) |
                     (static_cast<uint32_t>(static_cast<uint16_t>(int16_t{high})) << 16);
  return static_cast<int32_t>(u);
}

// One row's pairs [q, kh) of a block, scalar: zero past k (and for rows past the matrix).
// Out of line: one copy instead of kMR inlined ones (wasm size).
HWY_NOINLINE void WidenRowTail(const int8_t* HWY_RESTRICT src, size_t k, size_t q, size_t kh,
                               int32_t* HWY_RESTRICT dst) {
  const auto put = [dst](size_t at, int32_t pair) {
    for (size_t c = 0; c < kAReps; ++c) dst[at * kAStep + c] = pair;
  };
  if (src != nullptr) {
    for (; 2 * q + 1 < k; ++q) put(q, PairOf(src[2 * q], src[2 * q + 1]));
    if (2 * q < k) {
      put(q, PairOf(src[2 * q], 0));
      ++q;
    }
  }
  for (; q < kh; ++q) put(q, 0);
}

// Widens `rows` rows of A into blocks of kMR rows, pair-major inside a block, each pair
// repeated kAReps times:
//   a2[(r / kMR) * kh * kAStep + q * kAStep + (r % kMR) * kAReps + c] = (a[r][2q], a[r][2q+1])
// as two int16, zero past k and in the rows that fill the last block. One pointer then walks
// a block. 128-bit targets (kMR 4): 4 pairs of 4 rows at a time, sign-extended, then
// transposed 4 x 4 (kAReps 1) or splat (kAReps 4) in registers; this pass runs over every
// GEMM's A (and attention's n x n probabilities).
void WidenPairs(size_t rows, size_t k, size_t kh, const int8_t* HWY_RESTRICT a, size_t lda,
                int32_t* HWY_RESTRICT a2) {
  const size_t blocks = (rows + kMR - 1) / kMR;
  for (size_t b = 0; b < blocks; ++b) {
    int32_t* HWY_RESTRICT block = a2 + b * kh * kAStep;
    size_t q0 = 0;
#if HWY_TARGET != HWY_SCALAR
    if constexpr (kMR == 4 && kLanes == 4 && kAReps == 4) {
      if (b * kMR + kMR <= rows) {
        const I32 d32;
        const I16 d16;
        const I8 d8;
        const int8_t* r0 = a + b * kMR * lda;
        for (; 2 * q0 + 8 <= k; q0 += 4) {
          for (size_t r = 0; r < kMR; ++r) {
            // Pairs q0..q0+3 of row r, one per int32 lane, each splat to its own vector.
            const V32 v =
                hi::BitCast(d32, hi::PromoteTo(d16, hi::LoadU(d8, r0 + r * lda + 2 * q0)));
            int32_t* dst = block + q0 * kAStep + r * kAReps;
            hi::StoreU(hi::Broadcast<0>(v), d32, dst);
            hi::StoreU(hi::Broadcast<1>(v), d32, dst + kAStep);
            hi::StoreU(hi::Broadcast<2>(v), d32, dst + 2 * kAStep);
            hi::StoreU(hi::Broadcast<3>(v), d32, dst + 3 * kAStep);
          }
        }
      }
    } else if constexpr (kMR == 4 && kLanes == 4) {
      if (b * kMR + kMR <= rows) {
        const I32 d32;
        const I16 d16;
        const I8 d8;
        const hi::Repartition<int64_t, I32> d64;
        const int8_t* r0 = a + b * kMR * lda;
        for (; 2 * q0 + 8 <= k; q0 += 4) {
          // v_r = pairs q0..q0+3 of row r, one per int32 lane.
          const V32 v0 = hi::BitCast(d32, hi::PromoteTo(d16, hi::LoadU(d8, r0 + 2 * q0)));
          const V32 v1 = hi::BitCast(d32, hi::PromoteTo(d16, hi::LoadU(d8, r0 + lda + 2 * q0)));
          const V32 v2 = hi::BitCast(d32, hi::PromoteTo(d16, hi::LoadU(d8, r0 + 2 * lda + 2 * q0)));
          const V32 v3 = hi::BitCast(d32, hi::PromoteTo(d16, hi::LoadU(d8, r0 + 3 * lda + 2 * q0)));
          const auto t0 = hi::BitCast(d64, hi::InterleaveLower(d32, v0, v1));
          const auto t1 = hi::BitCast(d64, hi::InterleaveLower(d32, v2, v3));
          const auto t2 = hi::BitCast(d64, hi::InterleaveUpper(d32, v0, v1));
          const auto t3 = hi::BitCast(d64, hi::InterleaveUpper(d32, v2, v3));
          int32_t* dst = block + q0 * kMR;
          hi::StoreU(hi::BitCast(d32, hi::InterleaveLower(d64, t0, t1)), d32, dst);
          hi::StoreU(hi::BitCast(d32, hi::InterleaveUpper(d64, t0, t1)), d32, dst + 4);
          hi::StoreU(hi::BitCast(d32, hi::InterleaveLower(d64, t2, t3)), d32, dst + 8);
          hi::StoreU(hi::BitCast(d32, hi::InterleaveUpper(d64, t2, t3)), d32, dst + 12);
        }
      }
    }
#endif
    for (size_t r = 0; r < kMR; ++r) {
      const size_t row = b * kMR + r;
      WidenRowTail(row < rows ? a + row * lda : nullptr, k, q0, kh, block + r * kAReps);
    }
  }
}

// The micro-kernel writes each finished tile (rows i0 + r, r < rows, columns j0 + c, c < 8)
// straight to where store.Direct(i0, j0, &ld) points (row stride ld) or, where that is null,
// hands it to store.Tile as int32 t[r * kInt8Panel + c]. Int8GemmCore walks the output in
// blocks of Store::kColumnBlock columns of one row chunk and calls
// store.Flush(rows, i0, jb, cols) after each block. Tile is out of line (wasm size; it only
// serves a matrix's last, partial panel).
struct StoreInt32 {
  static constexpr size_t kColumnBlock = ~size_t{0};
  int32_t* acc;
  size_t ld, n;
  static constexpr bool kAlwaysDirect = false;  // the matrix's last panel may be partial
  int32_t* Direct(size_t i0, size_t j0, size_t* row_stride) const {
    *row_stride = ld;
    return j0 + kInt8Panel <= n ? acc + i0 * ld + j0 : nullptr;
  }
  HWY_NOINLINE void Tile(size_t rows, size_t i0, size_t j0, const int32_t* t) const {
    const size_t cols = std::min(kInt8Panel, n - j0);
    for (size_t r = 0; r < rows; ++r) {
      int32_t* out = acc + (i0 + r) * ld + j0;
      for (size_t c = 0; c < cols; ++c) out[c] = t[r * kInt8Panel + c];
    }
  }
  void Flush(size_t, size_t, size_t, size_t) const {}
};

// c = act(float(acc) * (a_scale[i] * ws[j]) + bias[j]) + residual, over whole rows of int32
// sums (ws = alpha * w_scale padded to whole panels; u7 sums have their zero points taken out
// first, see SubtractZeroPoints). Row-wise rather than per 4 x 8 tile: per tile, the call and
// loop set-up cost more than the arithmetic. Per element and independent of the blocking, so
// batching never changes bits. The activation is a template argument, chosen once per call:
// with a runtime switch per vector, V8 kept the GELU constants live across loops and reloaded
// them.
struct RowEpilogue {
  const float* a_scales;
  const float* ws;
  float* c;
  size_t ldc, n;
  const GemmEpilogue* ep;

  // Output rows [i0, i0 + rows) x columns [j0, j0 + cols) from acc (row r at acc + r * ldacc;
  // ldacc >= cols rounded up to a whole vector).
  HWY_NOINLINE void Apply(size_t rows, size_t i0, size_t j0, size_t cols, const int32_t* acc,
                          size_t ldacc) const {
    switch (ep->activation) {
      case Activation::kNone:
        return Rows<Activation::kNone>(rows, i0, j0, cols, acc, ldacc);
      case Activation::kGeluErf:
        return Rows<Activation::kGeluErf>(rows, i0, j0, cols, acc, ldacc);
      case Activation::kGeluTanh:
        return Rows<Activation::kGeluTanh>(rows, i0, j0, cols, acc, ldacc);
      case Activation::kRelu:
        return Rows<Activation::kRelu>(rows, i0, j0, cols, acc, ldacc);
      case Activation::kTanh:
        return TanhRows(rows, i0, j0, cols, acc, ldacc);
    }
  }

  // tanh only ever follows the pooler, which stays fp32: no template instance of its own (it
  // would add ~2 KB of wasm). act(x + bias) + residual as three passes over the output rows.
  HWY_NOINLINE void TanhRows(size_t rows, size_t i0, size_t j0, size_t cols, const int32_t* acc,
                             size_t ldacc) const {
    GemmEpilogue plain = *ep;
    plain.activation = Activation::kNone;
    plain.residual = nullptr;
    RowEpilogue pass = *this;
    pass.ep = &plain;
    pass.Rows<Activation::kNone>(rows, i0, j0, cols, acc, ldacc);
    for (size_t r = 0; r < rows; ++r) {
      float* out = c + (i0 + r) * ldc + j0;
      ApplyActivation(Activation::kTanh, out, cols);
      if (ep->residual) AddInPlace(out, ep->residual + (i0 + r) * ep->ldr + j0, cols);
    }
  }

  template <Activation kAct>
  HWY_NOINLINE void Rows(size_t rows, size_t i0, size_t j0, size_t cols, const int32_t* acc,
                         size_t ldacc) const {
    const I32 di;
    const F32 d;
    const float* bias = ep->bias ? ep->bias + j0 : nullptr;
    for (size_t r = 0; r < rows; ++r) {
      const size_t i = i0 + r;
      const auto sa = hi::Set(d, a_scales[i]);
      const int32_t* in = acc + r * ldacc;
      const float* w = ws + j0;
      const float* res = ep->residual ? ep->residual + i * ep->ldr + j0 : nullptr;
      float* out = c + i * ldc + j0;
      size_t j = 0;
      for (; j + kLanes <= cols; j += kLanes) {  // whole vectors: direct loads
        auto x = hi::Mul(hi::ConvertTo(d, hi::LoadU(di, in + j)), hi::Mul(sa, hi::LoadU(d, w + j)));
        if (bias) x = hi::Add(x, hi::LoadU(d, bias + j));
        x = kAct == Activation::kGeluErf ? GeluErfFast(d, x) : Activate(d, x, kAct);
        if (res) x = hi::Add(x, hi::LoadU(d, res + j));
        hi::StoreU(x, d, out + j);
      }
      if (j == cols) continue;
      // Last lanes (cols not a whole number of vectors) through zero-padded stack buffers, so
      // nothing is read or written past the row. in and w are padded to whole panels.
      const size_t count = cols - j;
      HWY_ALIGN float buf[kLanes] = {};
      auto x = hi::Mul(hi::ConvertTo(d, hi::LoadU(di, in + j)), hi::Mul(sa, hi::LoadU(d, w + j)));
      if (bias) {
        for (size_t e = 0; e < count; ++e) buf[e] = bias[j + e];
        x = hi::Add(x, hi::Load(d, buf));
      }
      x = kAct == Activation::kGeluErf ? GeluErfFast(d, x) : Activate(d, x, kAct);
      if (res) {
        for (size_t e = 0; e < count; ++e) buf[e] = res[j + e];
        x = hi::Add(x, hi::Load(d, buf));
      }
      hi::Store(x, d, buf);
      for (size_t e = 0; e < count; ++e) out[j + e] = buf[e];
    }
  }
};

// acc[i][j] -= zero_points[i] * col_sums[j] (exact in int32) over rows x n sums whose rows
// are padded to whole vectors: the u7 correction as its own pass, so the epilogue above needs
// no second set of template instances for it.
void SubtractZeroPoints(size_t m, size_t n, int32_t* acc, size_t ldacc, const int32_t* zero_points,
                        const int32_t* col_sums) {
  const I32 di;
  for (size_t i = 0; i < m; ++i) {
    const V32 z = hi::Set(di, zero_points[i]);
    int32_t* row = acc + i * ldacc;
    size_t j = 0;
    for (; j + kLanes <= n; j += kLanes) {
      hi::StoreU(hi::Sub(hi::LoadU(di, row + j), hi::Mul(z, hi::LoadU(di, col_sums + j))), di,
                 row + j);
    }
    for (; j < n; ++j) row[j] -= zero_points[i] * col_sums[j];
  }
}

// Collects the int32 tiles of one row chunk x kColumnBlock columns in `block`, then runs the
// row-wise epilogue over them: the sums of a block stay in L1/L2 between the two.
struct StoreF32 {
  static constexpr size_t kColumnBlock = 256;  // 32 panels
  const RowEpilogue* epilogue;
  int32_t* block;                              // chunk rows x kColumnBlock
  static constexpr bool kAlwaysDirect = true;  // the block holds whole panels
  // Block row: i0 - the chunk's first row (Begin); block column: j0 - the block's first
  // column, a multiple of kColumnBlock.
  int32_t* Direct(size_t i0, size_t j0, size_t* row_stride) const {
    *row_stride = kColumnBlock;
    return block + (i0 - row0_) * kColumnBlock + (j0 % kColumnBlock);
  }
  void Begin(size_t row0) const { row0_ = row0; }
  void Flush(size_t rows, size_t i0, size_t jb, size_t cols) const {
    epilogue->Apply(rows, i0, jb, cols, block, kColumnBlock);
  }
  mutable size_t row0_ = 0;
};

// Rows [i0, i0 + rows) x one panel, rows <= kMR. pa walks the widened A block (kAStep int32
// per k-pair; rows past `rows` are zero), pb the panel (16 bytes per k-pair). No k remainder:
// both are zero-padded to kh pairs.
template <class Store>
HWY_INLINE void Int8MicroKernel(size_t rows, size_t kh, const int32_t* HWY_RESTRICT pa,
                                const int8_t* HWY_RESTRICT pb, size_t i0, size_t j0,
                                const Store& store) {
  constexpr size_t MR = kMR;
  HWY_ALIGN int32_t tile[MR * kInt8Panel];
  size_t ld;
  int32_t* out = store.Direct(i0, j0, &ld);
  const bool bounce = out == nullptr;
  if (bounce) {
    out = tile;
    ld = kInt8Panel;
  }
#if HWY_TARGET == HWY_SCALAR
  // One-lane vectors cannot hold an int16 pair: plain integer code, same sums.
  int32_t acc[MR][kInt8Panel] = {};
  for (size_t q = 0; q < kh; ++q, pa += kAStep, pb += 2 * kInt8Panel) {
    for (size_t r = 0; r < MR; ++r) {
      const uint32_t u = static_cast<uint32_t>(pa[r * kAReps]);
      const int32_t a0 = static_cast<int16_t>(u & 0xFFFFu), a1 = static_cast<int16_t>(u >> 16);
      for (size_t c = 0; c < kInt8Panel; ++c) acc[r][c] += a0 * pb[2 * c] + a1 * pb[2 * c + 1];
    }
  }
  for (size_t r = 0; r < MR; ++r) {
    if (r >= rows) break;
    for (size_t c = 0; c < kInt8Panel; ++c) out[r * ld + c] = acc[r][c];
  }
#elif HWY_TARGET == HWY_WASM
  // Same sums as the generic loop below, in the fewest vector-pipe ops and instructions per
  // dot V8 lets us have (it hoists every load of an iteration and has ~15 xmm registers, so
  // 4 x 8 is the largest tile: 8 accumulators + 4 A + 2 B + 1 product): A rows come pre-splat
  // (kAReps), i16x8.load8x8_s is one `vpmovsxbw xmm, m64` (Highway's PromoteTo(LoadU) is two),
  // and A and B advance by pointer, 26 instructions per 8 dots.
  static_assert(kAReps == 4 && 2 * kInt8Panel == 16 && kNV == 2,
                "the wasm loop assumes splat A and 16 bytes of B per k-pair");
  const auto* a8 = reinterpret_cast<const uint8_t*>(pa);
  const auto* b8 = reinterpret_cast<const uint8_t*>(pb);
  v128_t acc[MR][2];
  for (size_t r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = wasm_i32x4_splat(0);
  // The A pointer is the loop condition: a separate counter got spilled around V8's stack
  // check at the top of each unrolled group.
  for (const uint8_t* const a_end = a8 + kh * kAStep * 4; a8 != a_end; a8 += kAStep * 4, b8 += 16) {
    const v128_t b0 = wasm_i16x8_load8x8(b8), b1 = wasm_i16x8_load8x8(b8 + 8);
    for (size_t r = 0; r < MR; ++r) {
      const v128_t a = wasm_v128_load(a8 + 16 * r);  // (a[2q], a[2q+1]) in every i32
      acc[r][0] = wasm_i32x4_add(acc[r][0], wasm_i32x4_dot_i16x8(a, b0));
      acc[r][1] = wasm_i32x4_add(acc[r][1], wasm_i32x4_dot_i16x8(a, b1));
    }
  }
  for (size_t r = 0; r < MR; ++r) {  // constant trip count: acc stays in registers
    if (r >= rows) break;
    wasm_v128_store(out + r * ld, acc[r][0]);
    wasm_v128_store(out + r * ld + 4, acc[r][1]);
  }
#else
  const I32 d32;
  const I16 d16;
  const I8 d8;
  V32 acc0[MR][kNV], acc1[MR][kNV];  // acc1 stays zero (dead) on x86 and wasm
  for (size_t r = 0; r < MR; ++r) {
    for (size_t v = 0; v < kNV; ++v) acc0[r][v] = acc1[r][v] = hi::Zero(d32);
  }
  for (size_t q = 0; q < kh; ++q, pa += kAStep, pb += 2 * kInt8Panel) {
    V16 b[kNV];
    for (size_t v = 0; v < kNV; ++v) b[v] = hi::PromoteTo(d16, hi::LoadU(d8, pb + v * 2 * kLanes));
    for (size_t r = 0; r < MR; ++r) {
      const V16 a =
          hi::BitCast(d16, hi::Set(d32, pa[r * kAReps]));  // (a[2q], a[2q+1]) in every i32
      for (size_t v = 0; v < kNV; ++v) {
        acc0[r][v] = hi::ReorderWidenMulAccumulate(d32, a, b[v], acc0[r][v], acc1[r][v]);
      }
    }
  }
  for (size_t r = 0; r < MR; ++r) {  // constant trip count: acc0 stays in registers
    if (r >= rows) break;
    for (size_t v = 0; v < kNV; ++v) {
      hi::StoreU(hi::RearrangeToOddPlusEven(acc0[r][v], acc1[r][v]), d32,
                 out + r * ld + v * kLanes);
    }
  }
#endif
  if constexpr (!Store::kAlwaysDirect) {
    if (bounce) store.Tile(rows, i0, j0, tile);
  }
}

template <class Store>
void StoreBegin(const Store&, size_t) {}
void StoreBegin(const StoreF32& store, size_t row0) { store.Begin(row0); }

// Rows per chunk of A: whole blocks whose widened pairs fit kAChunkBytes.
size_t AChunkRows(size_t kp) {
  return std::max(kMR, kAChunkBytes / (kp * 2 * kAReps + 1) / kMR * kMR);
}

template <class Store>
void Int8GemmCore(size_t m, size_t n, size_t k, size_t kp, const int8_t* a, size_t lda,
                  const int8_t* panels, const Store& store) {
  if (m == 0 || n == 0) return;
  const size_t kh = kp / 2;
  const size_t mc = AChunkRows(kp);
  const size_t chunk = std::min(mc, (m + kMR - 1) / kMR * kMR);
  std::vector<int32_t>& a2 = Int8Scratch<int32_t>(chunk * kh * kAReps);
  for (size_t i0 = 0; i0 < m; i0 += mc) {
    const size_t rows = std::min(mc, m - i0);
    WidenPairs(rows, k, kh, a + i0 * lda, lda, a2.data());
    for (size_t jb = 0; jb < n; jb += std::min(n - jb, Store::kColumnBlock)) {
      const size_t jend = jb + std::min(n - jb, Store::kColumnBlock);
      StoreBegin(store, i0);
      // The last block may hold fewer than kMR rows: WidenPairs zero-filled the rest, and
      // only `rows - r` are stored.
      const auto run_tile = [&](size_t r, size_t j0) {
        Int8MicroKernel(std::min(kMR, rows - r), kh, a2.data() + r * kh * kAReps, panels + j0 * kp,
                        i0 + r, j0, store);
      };
      if constexpr (kAReps > 1) {
        // Row-block-outer: a block's splat A (4x the bytes of a panel) stays in L1/L2 while
        // the block's panels stream past it.
        for (size_t r = 0; r < rows; r += kMR) {
          for (size_t j0 = jb; j0 < jend; j0 += kInt8Panel) run_tile(r, j0);
        }
      } else {
        // Panel-outer: one panel (8 * kp bytes) stays in L1 while the chunk's row blocks pass.
        for (size_t j0 = jb; j0 < jend; j0 += kInt8Panel) {
          for (size_t r = 0; r < rows; r += kMR) run_tile(r, j0);
        }
      }
      store.Flush(rows, i0, jb, jend - jb);
    }
  }
}

}  // namespace

void GemmInt8AccImpl(size_t m, const int8_t* a, size_t lda, const int8_t* panels, size_t n,
                     size_t k, size_t kp, int32_t* acc, size_t ldacc) {
  Int8GemmCore(m, n, k, kp, a, lda, panels, StoreInt32{acc, ldacc, n});
}

// The u7 epilogue over int32 sums already computed (by the built-in or an installed kernel):
// zero_points[i] * col_sums[j] subtracted in place, then the same row-wise epilogue.
void Int8ZeroPointEpilogueImpl(size_t m, size_t n, int32_t* acc, size_t ldacc,
                               const int32_t* zero_points, const int32_t* col_sums,
                               const float* a_scales, const float* b_scales, float* c, size_t ldc,
                               const GemmEpilogue& ep) {
  if (m == 0 || n == 0) return;
  const size_t np = (n + kInt8Panel - 1) / kInt8Panel * kInt8Panel;
  std::vector<float>& ws = Int8Scratch<float>(np);
  for (size_t j = 0; j < np; ++j) ws[j] = j < n ? ep.alpha * b_scales[j] : 0.0f;
  SubtractZeroPoints(m, n, acc, ldacc, zero_points, col_sums);
  const RowEpilogue epilogue{a_scales, ws.data(), c, ldc, n, &ep};
  epilogue.Apply(m, 0, 0, n, acc, ldacc);
}

void GemmInt8F32Impl(size_t m, const int8_t* a, size_t lda, const float* a_scales,
                     const int8_t* panels, size_t n, size_t k, size_t kp, const float* b_scales,
                     float* c, size_t ldc, const GemmEpilogue& ep) {
  if (m == 0 || n == 0) return;
  const size_t np = (n + kInt8Panel - 1) / kInt8Panel * kInt8Panel;
  std::vector<float>& ws = Int8Scratch<float>(np);
  for (size_t j = 0; j < np; ++j) ws[j] = j < n ? ep.alpha * b_scales[j] : 0.0f;
  const RowEpilogue epilogue{a_scales, ws.data(), c, ldc, n, &ep};
  const size_t chunk = std::min(AChunkRows(kp), (m + kMR - 1) / kMR * kMR);
  static thread_local std::vector<int32_t> block;
  if (block.size() < chunk * StoreF32::kColumnBlock) block.resize(chunk * StoreF32::kColumnBlock);
  Int8GemmCore(m, n, k, kp, a, lda, panels, StoreF32{&epilogue, block.data()});
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {
namespace {

// q [n x k] (leading dimension ldq) into panels of kInt8Panel columns where k advances in
// groups of `group` (2: the pair layout, 4: the quad layout of int8_kernels.h), zero-padded.
void PackGroupedInt8(const int8_t* q, size_t ldq, size_t n, size_t k, size_t kp, size_t group,
                     int8_t* out) {
  const size_t np = (n + kInt8Panel - 1) / kInt8Panel * kInt8Panel;
  std::memset(out, 0, np * kp);
  for (size_t j = 0; j < n; ++j) {
    int8_t* dst = out + (j / kInt8Panel) * kInt8Panel * kp + (j % kInt8Panel) * group;
    const int8_t* src = q + j * ldq;
    for (size_t p = 0; p < k; ++p) dst[(p / group) * group * kInt8Panel + p % group] = src[p];
  }
}

void PackPanelsInt8(const int8_t* q, size_t ldq, size_t n, size_t k, size_t kp, int8_t* out) {
  PackGroupedInt8(q, ldq, n, k, kp, 2, out);
}

}  // namespace

HWY_EXPORT(GemmInt8AccImpl);
HWY_EXPORT(GemmInt8F32Impl);
HWY_EXPORT(Int8ZeroPointEpilogueImpl);

PackedInt8 PackInt8Weights(const int8_t* q, const float* scales, size_t n, size_t k,
                           Int8Layout layout) {
  PackedInt8 w;
  w.n = n;
  w.k = k;
  w.k_padded = Int8PaddedK(k);
  w.layout = layout;
  w.data.resize((n + kInt8Panel - 1) / kInt8Panel * kInt8Panel * w.k_padded);
  if (!w.data.empty()) {
    PackGroupedInt8(q, k, n, k, w.k_padded, layout == Int8Layout::kQuads ? 4 : 2, w.data.data());
  }
  w.scales.assign(scales, scales + n);
  w.col_sums.assign(n, 0);
  for (size_t j = 0; j < n; ++j) {
    for (size_t p = 0; p < k; ++p) w.col_sums[j] += q[j * k + p];
  }
  return w;
}

void GemmInt8PackedAccumulate(size_t m, const int8_t* a_q, size_t lda, const PackedInt8& w,
                              int32_t* acc, size_t ldacc) {
  HWY_DYNAMIC_DISPATCH(GemmInt8AccImpl)
  (m, a_q, lda, w.data.data(), w.n, w.k, w.k_padded, acc, ldacc);
}

void GemmInt8Packed(size_t m, const int8_t* a_q, size_t lda, const float* a_scales,
                    const PackedInt8& w, float* c, size_t ldc, const GemmEpilogue& epilogue) {
  HWY_DYNAMIC_DISPATCH(GemmInt8F32Impl)
  (m, a_q, lda, a_scales, w.data.data(), w.n, w.k, w.k_padded, w.scales.data(), c, ldc, epilogue);
}

void GemmU7Packed(size_t m, const int8_t* u, size_t lda, const float* a_scales,
                  const int32_t* zero_points, const PackedInt8& w, float* c, size_t ldc,
                  const GemmEpilogue& epilogue) {
  if (m == 0 || w.n == 0) return;
  const size_t panels = (w.n + kInt8Panel - 1) / kInt8Panel;
  const size_t ldacc = panels * kInt8Panel;
  static thread_local std::vector<int32_t> acc;
  if (acc.size() < m * ldacc) acc.resize(m * ldacc);
  if (w.layout == Int8Layout::kQuads) {
    // kQuads weights are packed only once a kernel is installed; the scalar twin keeps any
    // other use correct.
    const Int8QuadKernelFn installed = InstalledInt8QuadKernel();
    const Int8QuadKernelFn kernel = installed ? installed : &RefInt8QuadKernel;
    kernel(u, lda, w.data.data(), w.k_padded, acc.data(), ldacc, m, panels);
  } else {
    HWY_DYNAMIC_DISPATCH(GemmInt8AccImpl)
    (m, u, lda, w.data.data(), w.n, w.k, w.k_padded, acc.data(), ldacc);
  }
  HWY_DYNAMIC_DISPATCH(Int8ZeroPointEpilogueImpl)
  (m, w.n, acc.data(), ldacc, zero_points, w.col_sums.data(), a_scales, w.scales.data(), c, ldc,
   epilogue);
}

void GemmInt8TransB(size_t m, size_t n, size_t k, const int8_t* a_q, size_t lda,
                    const float* a_scales, const int8_t* b_q, size_t ldb, const float* b_scales,
                    float* c, size_t ldc, const GemmEpilogue& epilogue) {
  if (m == 0 || n == 0) return;
  const size_t kp = Int8PaddedK(k);
  static thread_local std::vector<int8_t> panels;
  panels.resize((n + kInt8Panel - 1) / kInt8Panel * kInt8Panel * kp);
  PackPanelsInt8(b_q, ldb, n, k, kp, panels.data());
  HWY_DYNAMIC_DISPATCH(GemmInt8F32Impl)
  (m, a_q, lda, a_scales, panels.data(), n, k, kp, b_scales, c, ldc, epilogue);
}

}  // namespace hb
#endif  // HWY_ONCE
