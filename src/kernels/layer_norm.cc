// LayerNorm over rows: two passes in fp32 (mean, then the biased variance of x - mean), which
// avoids the E[x^2] - mean^2 cancellation; four vector accumulators hide add latency.
#include <cmath>

#include "kernels/kernels.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/layer_norm.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {

// Sum over x[0, n) of f(v) with a fixed order: 4 interleaved vector accumulators, the tail
// padded with `pad`, then (a0 + a1) + (a2 + a3) and one SumOfLanes.
template <class F>
HWY_INLINE float SumOf(const float* HWY_RESTRICT x, size_t n, float pad, const F& f) {
  const DF d;
  const size_t N = hn::Lanes(d);
  VF a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d), a3 = hn::Zero(d);
  size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    a0 = hn::Add(a0, f(hn::LoadU(d, x + i)));
    a1 = hn::Add(a1, f(hn::LoadU(d, x + i + N)));
    a2 = hn::Add(a2, f(hn::LoadU(d, x + i + 2 * N)));
    a3 = hn::Add(a3, f(hn::LoadU(d, x + i + 3 * N)));
  }
  for (; i + N <= n; i += N) a0 = hn::Add(a0, f(hn::LoadU(d, x + i)));
  if (i < n) a1 = hn::Add(a1, f(LoadPartial(d, x + i, n - i, pad)));
  return hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(a0, a1), hn::Add(a2, a3))));
}

void LayerNormImpl(size_t rows, size_t cols, const float* x, size_t ldx, float* y, size_t ldy,
                   const float* gamma, const float* beta, float eps) {
  if (cols == 0) return;
  const DF d;
  const size_t N = hn::Lanes(d);
  for (size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * ldx;
    float* yr = y + r * ldy;
    const float mean = SumOf(xr, cols, 0.0f, [](VF v) { return v; }) / static_cast<float>(cols);
    const VF vmean = hn::Set(d, mean);
    // Tail lanes are padded with the mean, so they add exactly 0.
    const float var = SumOf(xr, cols, mean,
                            [vmean](VF v) {
                              const VF t = hn::Sub(v, vmean);
                              return hn::Mul(t, t);
                            }) /
                      static_cast<float>(cols);
    const VF inv = hn::Set(d, 1.0f / std::sqrt(var + eps));
    size_t i = 0;
    for (; i + N <= cols; i += N) {
      const VF t = hn::Mul(hn::Sub(hn::LoadU(d, xr + i), vmean), inv);
      hn::StoreU(hn::MulAdd(t, hn::LoadU(d, gamma + i), hn::LoadU(d, beta + i)), d, yr + i);
    }
    if (i < cols) {
      const size_t c = cols - i;
      const VF t = hn::Mul(hn::Sub(LoadPartial(d, xr + i, c, 0.0f), vmean), inv);
      const VF out =
          hn::MulAdd(t, LoadPartial(d, gamma + i, c, 0.0f), LoadPartial(d, beta + i, c, 0.0f));
      StorePartial(d, out, yr + i, c);
    }
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {

HWY_EXPORT(LayerNormImpl);

void LayerNorm(size_t rows, size_t cols, const float* x, size_t ldx, float* y, size_t ldy,
               const float* gamma, const float* beta, float eps) {
  HWY_DYNAMIC_DISPATCH(LayerNormImpl)(rows, cols, x, ldx, y, ldy, gamma, beta, eps);
}

}  // namespace hb
#endif  // HWY_ONCE
