// Scalar twins of the int8 kernels in int8_kernels.h: the executable specification the tests
// compare against. Plain loops over unpacked row-major matrices; no SIMD.
#ifndef HB_KERNELS_INT8_REFERENCE_H_
#define HB_KERNELS_INT8_REFERENCE_H_

#include <cstddef>
#include <cstdint>

#include "kernels/kernels.h"

namespace hb {

// Same rule as QuantizeRowsInt8 (bit-exact twin).
void RefQuantizeRowsInt8(size_t m, size_t k, const float* x, size_t ldx, int8_t* q, size_t ldq,
                         float* row_scales);

// Same rule as QuantizeRowsU7 (bit-exact twin).
void RefQuantizeRowsU7(size_t m, size_t k, const float* x, size_t ldx, int8_t* u, size_t ldu,
                       float* row_scales, int32_t* zero_points);

// The quad-kernel contract of Int8QuadKernelFn, in plain loops over the quad layout.
void RefInt8QuadKernel(const int8_t* u, size_t lda, const int8_t* panels, size_t k_padded,
                       int32_t* acc, size_t ldacc, size_t m, size_t panel_count);

// acc[i][j] = sum_p a[i][p] * b[j][p] in int32 (exact), b is [n x k] with leading dim ldb.
void RefGemmInt8Accumulate(size_t m, size_t n, size_t k, const int8_t* a, size_t lda,
                           const int8_t* b, size_t ldb, int32_t* acc, size_t ldacc);

// The fp32 result of GemmInt8Packed / GemmInt8TransB: the scale and bias steps in float in the
// documented order, the activation in double (RefActivation), then the residual.
void RefGemmInt8(size_t m, size_t n, size_t k, const int8_t* a, size_t lda, const float* a_scales,
                 const int8_t* b, size_t ldb, const float* b_scales, float* c, size_t ldc,
                 const GemmEpilogue& epilogue);

// SoftmaxRowsInt8 in double: e = exp(x - max), p = round(e * 127), scale = 1 / sum(p).
void RefSoftmaxRowsInt8(size_t rows, size_t cols, const float* x, size_t ldx, int8_t* p, size_t ldp,
                        float* row_scales);

}  // namespace hb

#endif  // HB_KERNELS_INT8_REFERENCE_H_
