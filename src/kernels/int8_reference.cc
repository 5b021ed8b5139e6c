// Scalar int8 reference kernels (see int8_reference.h).
#include "kernels/int8_reference.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/reference.h"

namespace hb {

void RefQuantizeRowsInt8(size_t m, size_t k, const float* x, size_t ldx, int8_t* q, size_t ldq,
                         float* row_scales) {
  for (size_t i = 0; i < m; ++i) {
    const float* xi = x + i * ldx;
    float amax = 0.0f;
    for (size_t p = 0; p < k; ++p) amax = std::max(amax, std::fabs(xi[p]));
    const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
    row_scales[i] = amax / 127.0f;
    for (size_t p = 0; p < k; ++p) {
      float r = std::nearbyint(xi[p] * inv);  // default rounding mode: half to even
      r = std::min(127.0f, std::max(-127.0f, r));
      q[i * ldq + p] = static_cast<int8_t>(r);
    }
  }
}

void RefQuantizeRowsU7(size_t m, size_t k, const float* x, size_t ldx, int8_t* u, size_t ldu,
                       float* row_scales, int32_t* zero_points) {
  for (size_t i = 0; i < m; ++i) {
    const float* xi = x + i * ldx;
    float lo = 0.0f, hi = 0.0f;
    for (size_t p = 0; p < k; ++p) {
      lo = std::min(lo, xi[p]);
      hi = std::max(hi, xi[p]);
    }
    const float range = hi - lo;
    const float inv = range > 0.0f ? 127.0f / range : 0.0f;
    row_scales[i] = range / 127.0f;
    const float zero = std::nearbyint(-lo * inv);
    zero_points[i] = static_cast<int32_t>(zero);
    for (size_t p = 0; p < k; ++p) {
      float r = std::nearbyint(xi[p] * inv) + zero;
      r = std::min(127.0f, std::max(0.0f, r));
      u[i * ldu + p] = static_cast<int8_t>(r);
    }
  }
}

void RefInt8QuadKernel(const int8_t* u, size_t lda, const int8_t* panels, size_t k_padded,
                       int32_t* acc, size_t ldacc, size_t m, size_t panel_count) {
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < panel_count * 8; ++j) {
      const int8_t* panel = panels + (j / 8) * 8 * k_padded;
      int32_t s = 0;
      for (size_t p = 0; p < k_padded; ++p) {
        s += int32_t{u[i * lda + p]} * int32_t{panel[(p / 4) * 32 + (j % 8) * 4 + p % 4]};
      }
      acc[i * ldacc + j] = s;
    }
  }
}

void RefGemmInt8Accumulate(size_t m, size_t n, size_t k, const int8_t* a, size_t lda,
                           const int8_t* b, size_t ldb, int32_t* acc, size_t ldacc) {
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      int32_t s = 0;
      for (size_t p = 0; p < k; ++p) s += int32_t{a[i * lda + p]} * int32_t{b[j * ldb + p]};
      acc[i * ldacc + j] = s;
    }
  }
}

void RefGemmInt8(size_t m, size_t n, size_t k, const int8_t* a, size_t lda, const float* a_scales,
                 const int8_t* b, size_t ldb, const float* b_scales, float* c, size_t ldc,
                 const GemmEpilogue& ep) {
  std::vector<int32_t> acc(m * n);
  RefGemmInt8Accumulate(m, n, k, a, lda, b, ldb, acc.data(), n);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const float s = a_scales[i] * (ep.alpha * b_scales[j]);
      float v = static_cast<float>(acc[i * n + j]) * s;
      if (ep.bias) v += ep.bias[j];
      double y = RefActivation(ep.activation, double{v});
      if (ep.residual) y += double{ep.residual[i * ep.ldr + j]};
      c[i * ldc + j] = static_cast<float>(y);
    }
  }
}

void RefSoftmaxRowsInt8(size_t rows, size_t cols, const float* x, size_t ldx, int8_t* p, size_t ldp,
                        float* row_scales) {
  for (size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * ldx;
    double m = -INFINITY;
    for (size_t i = 0; i < cols; ++i) m = std::max(m, static_cast<double>(xr[i]));
    int64_t total = 0;
    for (size_t i = 0; i < cols; ++i) {
      const double e = std::exp(static_cast<double>(xr[i]) - m);
      const int q = static_cast<int>(std::min(127.0, std::max(0.0, std::nearbyint(e * 127.0))));
      p[r * ldp + i] = static_cast<int8_t>(q);
      total += q;
    }
    row_scales[r] = total > 0 ? 1.0f / static_cast<float>(total) : 0.0f;
  }
}

}  // namespace hb
