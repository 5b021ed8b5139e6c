// Scalar reference kernels (see reference.h). Accumulate in double so they serve as the
// ground truth for the fp32 SIMD kernels.
#include "kernels/reference.h"

#include <cmath>

namespace hb {
namespace {

// Element (j, p) of B is b[j * sj + p * sp].
void RefGemm(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b, size_t sj,
             size_t sp, float* c, size_t ldc, const GemmEpilogue& ep) {
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (size_t p = 0; p < k; ++p) acc += double{a[i * lda + p]} * double{b[j * sj + p * sp]};
      double v = double{ep.alpha} * acc + (ep.bias ? double{ep.bias[j]} : 0.0);
      v = RefActivation(ep.activation, v);
      if (ep.residual) v += ep.residual[i * ep.ldr + j];
      c[i * ldc + j] = static_cast<float>(v);
    }
  }
}

}  // namespace

double RefActivation(Activation activation, double x) {
  switch (activation) {
    case Activation::kNone:
      return x;
    case Activation::kGeluErf:
      return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case Activation::kGeluTanh: {
      const double kC = std::sqrt(2.0 / 3.14159265358979323846);
      return 0.5 * x * (1.0 + std::tanh(kC * (x + 0.044715 * x * x * x)));
    }
    case Activation::kRelu:
      return x > 0.0 ? x : 0.0;
    case Activation::kTanh:
      return std::tanh(x);
  }
  return x;
}

void RefGemmF32TransB(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                      size_t ldb, float* c, size_t ldc, const GemmEpilogue& epilogue) {
  RefGemm(m, n, k, a, lda, b, ldb, 1, c, ldc, epilogue);
}

void RefGemmF32(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                size_t ldb, float* c, size_t ldc, const GemmEpilogue& epilogue) {
  RefGemm(m, n, k, a, lda, b, 1, ldb, c, ldc, epilogue);
}

void RefLayerNorm(size_t rows, size_t cols, const float* x, size_t ldx, float* y, size_t ldy,
                  const float* gamma, const float* beta, float eps) {
  if (cols == 0) return;
  for (size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * ldx;
    double mean = 0.0, var = 0.0;
    for (size_t i = 0; i < cols; ++i) mean += xr[i];
    mean /= static_cast<double>(cols);
    for (size_t i = 0; i < cols; ++i) var += (xr[i] - mean) * (xr[i] - mean);
    var /= static_cast<double>(cols);  // biased, as torch.nn.LayerNorm
    const double inv = 1.0 / std::sqrt(var + eps);
    for (size_t i = 0; i < cols; ++i) {
      y[r * ldy + i] = static_cast<float>((xr[i] - mean) * inv * gamma[i] + beta[i]);
    }
  }
}

void RefSoftmaxRows(size_t rows, size_t cols, float* x, size_t ldx) {
  for (size_t r = 0; r < rows; ++r) {
    float* xr = x + r * ldx;
    if (cols == 0) continue;
    double mx = xr[0];
    for (size_t i = 1; i < cols; ++i) mx = std::fmax(mx, double{xr[i]});
    double sum = 0.0;
    for (size_t i = 0; i < cols; ++i) sum += std::exp(xr[i] - mx);
    for (size_t i = 0; i < cols; ++i) xr[i] = static_cast<float>(std::exp(xr[i] - mx) / sum);
  }
}

void RefApplyActivation(Activation activation, float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] = static_cast<float>(RefActivation(activation, x[i]));
}

void RefAddInPlace(float* x, const float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] += y[i];
}

void RefScaleInPlace(float* x, float s, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] *= s;
}

double RefSumOfSquares(const float* x, size_t n) {
  double s = 0.0;
  for (size_t i = 0; i < n; ++i) s += double{x[i]} * x[i];
  return s;
}

}  // namespace hb
