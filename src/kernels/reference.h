// Scalar twins of the kernels in kernels.h: the executable specification the tests compare
// against. Plain loops, double accumulation, no SIMD; correctness over speed.
#ifndef HB_KERNELS_REFERENCE_H_
#define HB_KERNELS_REFERENCE_H_

#include <cstddef>

#include "kernels/kernels.h"

namespace hb {

// One activation in double (GELU via std::erf / std::tanh).
double RefActivation(Activation activation, double x);

void RefGemmF32TransB(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                      size_t ldb, float* c, size_t ldc, const GemmEpilogue& epilogue);
void RefGemmF32(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                size_t ldb, float* c, size_t ldc, const GemmEpilogue& epilogue);
void RefLayerNorm(size_t rows, size_t cols, const float* x, size_t ldx, float* y, size_t ldy,
                  const float* gamma, const float* beta, float eps);
void RefSoftmaxRows(size_t rows, size_t cols, float* x, size_t ldx);
void RefApplyActivation(Activation activation, float* x, size_t n);
void RefAddInPlace(float* x, const float* y, size_t n);
void RefScaleInPlace(float* x, float s, size_t n);
double RefSumOfSquares(const float* x, size_t n);

}  // namespace hb

#endif  // HB_KERNELS_REFERENCE_H_
