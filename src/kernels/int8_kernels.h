// The int8 kernel family: symmetric per-row/per-channel quantization and int8 x int8 GEMMs with
// exact int32 accumulation (bit-identical on every SIMD target, native and wasm), then the
// fp32 GemmEpilogue of kernels.h. Scalar twins live in kernels/int8_reference.h.
#ifndef HB_KERNELS_INT8_KERNELS_H_
#define HB_KERNELS_INT8_KERNELS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/kernels.h"

namespace hb {

// Packed layout (target-independent, so a weight packed once serves every dispatch target):
// columns are grouped into panels of kInt8Panel; inside a panel, k advances in pairs and each
// pair stores the 2 consecutive k values of each column next to each other:
//   data[(j / 8) * 8 * k_padded + (p / 2) * 16 + (j % 8) * 2 + p % 2] = q[j][p]
// One 16-byte row of a panel is exactly what wasm i32x4.dot_i16x8_s (x86 pmaddwd) consumes
// after sign extension. n is zero-padded to whole panels and k to kInt8KAlign.
//
// The quad layout (Int8Layout::kQuads) serves a kernel installed at run time (the wasm
// relaxed-SIMD module, see InstallInt8QuadKernel): k advances in quads, and each quad stores
// columns 0-3 (4 consecutive k each), then columns 4-7:
//   data[(j / 8) * 8 * k_padded + (p / 4) * 32 + (j % 8) * 4 + p % 4] = q[j][p]
// which is what i32x4.relaxed_dot_i8x16_i7x16_add_s (x86 pmaddubsw + pmaddwd) consumes.
constexpr size_t kInt8Panel = 8;
constexpr size_t kInt8KAlign = 8;

enum class Int8Layout : int { kPairs = 0, kQuads = 1 };

inline size_t Int8PaddedK(size_t k) { return (k + kInt8KAlign - 1) / kInt8KAlign * kInt8KAlign; }

// A Linear weight W [n x k] quantized symmetric per output channel and packed as above.
// Real value W[j][p] ~= scales[j] * q[j][p].
struct PackedInt8 {
  size_t n = 0, k = 0;
  size_t k_padded = 0;            // Int8PaddedK(k)
  std::vector<int8_t> data;       // panels, see above; size ceil(n / 8) * 8 * k_padded
  std::vector<float> scales;      // [n]
  std::vector<int32_t> col_sums;  // [n]: sum over p of q[j][p] (for asymmetric activations)
  Int8Layout layout = Int8Layout::kPairs;
};

// scale_j = max_p |W[j][p]| / 127 (0 for an all-zero row), q = round-half-even(W / scale_j)
// computed as W * (127 / max|W_j|), in [-127, 127]. Same rule as QuantizeRowsInt8.
PackedInt8 QuantizePackWeightsInt8(const float* w, size_t n, size_t k);
// Packs weights already quantized (e.g. read from a model file): q [n x k] row-major with
// leading dimension k, scales [n]. Any int8 value, -128 included, is accepted.
// kQuads weights run only in GemmU7Packed (fast with an installed quad kernel); the other
// GEMMs take kPairs.
PackedInt8 PackInt8Weights(const int8_t* q, const float* scales, size_t n, size_t k,
                           Int8Layout layout = Int8Layout::kPairs);

// Dynamic symmetric quantization of each row of x [m x k] (leading dimension ldx):
// row_scales[i] = max|x_i| / 127 and q[i * ldq + p] = round-half-even(x[i][p] * 127 / max|x_i|),
// in [-127, 127]; an all-zero row gives scale 0 and zeros. Writes exactly k values per row.
// Bit-identical on every target (max and one multiply per element are exact IEEE ops).
void QuantizeRowsInt8(size_t m, size_t k, const float* x, size_t ldx, int8_t* q, size_t ldq,
                      float* row_scales);

// acc[i * ldacc + j] = sum_p a_q[i * lda + p] * W_q[j][p] for i < m, j < w.n: the raw exact
// int32 products (no scales). |k| * 128 * 128 must fit in int32 (k < 131072).
void GemmInt8PackedAccumulate(size_t m, const int8_t* a_q, size_t lda, const PackedInt8& w,
                              int32_t* acc, size_t ldacc);

// C[m x n] = epilogue of the scaled int8 product:
//   c[i][j] = act(alpha * a_scales[i] * w.scales[j] * acc[i][j] + bias[j]) + residual[i][j]
// evaluated in float as (float(acc) * (a_scales[i] * (alpha * w.scales[j])) + bias[j]).
// A row's result does not depend on m or on the other rows (bitwise). C may alias the residual.
// The erf GELU here is a cheaper form (math-inl.h GeluErfFast, within 7e-7 absolute) than the
// fp32 kernels' (few ulp): its output is quantized to int8 by the next layer anyway.
void GemmInt8Packed(size_t m, const int8_t* a_q, size_t lda, const float* a_scales,
                    const PackedInt8& w, float* c, size_t ldc, const GemmEpilogue& epilogue);

// 7-bit asymmetric activations, for the relaxed-SIMD dot product whose second operand must be
// 0..127. Per row: lo = min(0, min x), hi = max(0, max x) (the range always holds 0, so zero
// is exact), scale = (hi - lo) / 127, inv = 127 / (hi - lo), zero_point = round(-lo * inv) and
// u = clamp(round(x * inv) + zero_point, 0, 127), rounding half to even; x ~= scale * (u -
// zero_point). An all-zero row gives scale 0, zero point 0 and zeros. Writes exactly k values
// per row (as int8, all in 0..127).
void QuantizeRowsU7(size_t m, size_t k, const float* x, size_t ldx, int8_t* u, size_t ldu,
                    float* row_scales, int32_t* zero_points);

// The int8 Linear with QuantizeRowsU7 activations:
//   c[i][j] = epilogue of a_scales[i] * w.scales[j] * (acc[i][j] - zero_points[i] * w.col_sums[j])
// with acc = sum_p u[i][p] * q[j][p], exact in int32 for k < 65536, then the same float steps
// as GemmInt8Packed. kPairs weights run the built-in kernel, kQuads the installed quad kernel:
// both give the same int32 sums, so the same bits. u must hold w.k_padded bytes per row
// (lda >= w.k_padded), zero past w.k.
void GemmU7Packed(size_t m, const int8_t* u, size_t lda, const float* a_scales,
                  const int32_t* zero_points, const PackedInt8& w, float* c, size_t ldc,
                  const GemmEpilogue& epilogue);

// A u7 x int8 accumulate kernel supplied at run time for kQuads weights (the wasm build's
// relaxed-SIMD module; every argument is a 32-bit wasm value there):
//   acc[i * ldacc + j] = sum_{p < k_padded} u[i * lda + p] * W[j][p], i < m, j < 8 * panel_count
// over panel_count panels of the quad layout starting at `panels`.
using Int8QuadKernelFn = void (*)(const int8_t* u, size_t lda, const int8_t* panels,
                                  size_t k_padded, int32_t* acc, size_t ldacc, size_t m,
                                  size_t panel_count);
// Installs fn for every later kQuads GEMM if it computes the right sums on a self-test (random
// shapes and values, the extremes 0/127 x -128/127 included): a runtime may accept an
// instruction and compute something else (Node 20's experimental relaxed SIMD does). Returns
// whether fn passed; a failing fn is never called again. Not thread-safe against running GEMMs:
// call once at start-up, before any model is loaded.
bool InstallInt8QuadKernel(Int8QuadKernelFn fn);
// The installed quad kernel, or null.
Int8QuadKernelFn InstalledInt8QuadKernel();

// C[m x n] = A[m x k] * B[n x k]^T with both sides int8 and per-row scales on both (attention
// Q K^T after QuantizeRowsInt8 of Q and K); B is packed per call into thread-local scratch.
// Same epilogue as GemmInt8Packed with b_scales in place of w.scales.
void GemmInt8TransB(size_t m, size_t n, size_t k, const int8_t* a_q, size_t lda,
                    const float* a_scales, const int8_t* b_q, size_t ldb, const float* b_scales,
                    float* c, size_t ldc, const GemmEpilogue& epilogue);

// Row softmax quantized for the int8 P V of attention: per row, p = clamp(round(127 *
// exp(x - max x)), 0, 127) and row_scales = 1 / sum(p), so softmax(x) ~= row_scales * p and
// each row's weights sum to exactly 1. exp is a polynomial with relative error < 1e-4 (far
// below the 7-bit step), so p may differ from the exact value by one step near a rounding
// boundary. -inf entries give 0; a row of only -inf gives zeros and scale 0. Writes exactly
// `cols` values of p per row.
void SoftmaxRowsInt8(size_t rows, size_t cols, const float* x, size_t ldx, int8_t* p, size_t ldp,
                     float* row_scales);

}  // namespace hb

#endif  // HB_KERNELS_INT8_KERNELS_H_
