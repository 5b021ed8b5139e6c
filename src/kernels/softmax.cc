// Row softmax: max pass, exp(x - max) pass (contrib Exp, 1 ulp) that stores and sums, then a
// multiply by 1/sum. Subtracting the max keeps every exponent <= 0, so nothing overflows.
#include <cmath>
#include <limits>

#include "kernels/kernels.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/softmax.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {

void SoftmaxRowsImpl(size_t rows, size_t cols, float* x, size_t ldx) {
  if (cols == 0) return;
  const DF d;
  const size_t N = hn::Lanes(d);
  const float kNegInf = -std::numeric_limits<float>::infinity();
  for (size_t r = 0; r < rows; ++r) {
    float* HWY_RESTRICT xr = x + r * ldx;
    VF vmax = hn::Set(d, kNegInf);
    size_t i = 0;
    for (; i + N <= cols; i += N) vmax = hn::Max(vmax, hn::LoadU(d, xr + i));
    if (i < cols) vmax = hn::Max(vmax, LoadPartial(d, xr + i, cols - i, kNegInf));
    const VF m = hn::MaxOfLanes(d, vmax);
    VF sum0 = hn::Zero(d), sum1 = hn::Zero(d);
    i = 0;
    for (; i + N <= cols; i += N) {
      const VF e = hn::Exp(d, hn::Sub(hn::LoadU(d, xr + i), m));
      hn::StoreU(e, d, xr + i);
      sum0 = hn::Add(sum0, e);
    }
    if (i < cols) {  // padded lanes are -inf, whose Exp is 0
      const VF e = hn::Exp(d, hn::Sub(LoadPartial(d, xr + i, cols - i, kNegInf), m));
      StorePartial(d, e, xr + i, cols - i);
      sum1 = e;
    }
    const float sum = hn::GetLane(hn::SumOfLanes(d, hn::Add(sum0, sum1)));
    const VF inv = hn::Set(d, 1.0f / sum);
    TransformInPlace(xr, cols, [inv](VF v) { return hn::Mul(v, inv); });
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {

HWY_EXPORT(SoftmaxRowsImpl);

void SoftmaxRows(size_t rows, size_t cols, float* x, size_t ldx) {
  HWY_DYNAMIC_DISPATCH(SoftmaxRowsImpl)(rows, cols, x, ldx);
}

}  // namespace hb
#endif  // HWY_ONCE
