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
constexpr size_t kInt8Panel = 8;
constexpr size_t kInt8KAlign = 8;

inline size_t Int8PaddedK(size_t k) { return (k + kInt8KAlign - 1) / kInt8KAlign * kInt8KAlign; }

// A Linear weight W [n x k] quantized symmetric per output channel and packed as above.
// Real value W[j][p] ~= scales[j] * q[j][p].
struct PackedInt8 {
  size_t n = 0, k = 0;
  size_t k_padded = 0;            // Int8PaddedK(k)
  std::vector<int8_t> data;       // panels, see above; size ceil(n / 8) * 8 * k_padded
  std::vector<float> scales;      // [n]
  std::vector<int32_t> col_sums;  // [n]: sum over p of q[j][p] (for asymmetric activations)
};

// scale_j = max_p |W[j][p]| / 127 (0 for an all-zero row), q = round-half-even(W / scale_j)
// computed as W * (127 / max|W_j|), in [-127, 127]. Same rule as QuantizeRowsInt8.
PackedInt8 QuantizePackWeightsInt8(const float* w, size_t n, size_t k);
// Packs weights already quantized (e.g. read from a model file): q [n x k] row-major with
// leading dimension k, scales [n]. Any int8 value, -128 included, is accepted.
PackedInt8 PackInt8Weights(const int8_t* q, const float* scales, size_t n, size_t k);

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
void GemmInt8Packed(size_t m, const int8_t* a_q, size_t lda, const float* a_scales,
                    const PackedInt8& w, float* c, size_t ldc, const GemmEpilogue& epilogue);

// C[m x n] = A[m x k] * B[n x k]^T with both sides int8 and per-row scales on both (attention
// Q K^T after QuantizeRowsInt8 of Q and K); B is packed per call into thread-local scratch.
// Same epilogue as GemmInt8Packed with b_scales in place of w.scales.
void GemmInt8TransB(size_t m, size_t n, size_t k, const int8_t* a_q, size_t lda,
                    const float* a_scales, const int8_t* b_q, size_t ldb, const float* b_scales,
                    float* c, size_t ldc, const GemmEpilogue& epilogue);

}  // namespace hb

#endif  // HB_KERNELS_INT8_KERNELS_H_
