// Element-wise helpers: x += y, x *= s, and a sum of squares with a fixed per-target order
// (4 interleaved vector accumulators, zero-padded tail, fixed final combine).
#include "kernels/kernels.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/elementwise.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {

void AddInPlaceImpl(float* x, const float* y, size_t n) {
  const DF d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    hn::StoreU(hn::Add(hn::LoadU(d, x + i), hn::LoadU(d, y + i)), d, x + i);
  }
  for (; i < n; ++i) x[i] += y[i];  // same single rounding as the vector lanes
}

void ScaleInPlaceImpl(float* x, float s, size_t n) {
  const DF d;
  const VF vs = hn::Set(d, s);
  TransformInPlace(x, n, [vs](VF v) { return hn::Mul(v, vs); });
}

float SumOfSquaresImpl(const float* HWY_RESTRICT x, size_t n) {
  const DF d;
  const size_t N = hn::Lanes(d);
  VF a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d), a3 = hn::Zero(d);
  size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    const VF v0 = hn::LoadU(d, x + i), v1 = hn::LoadU(d, x + i + N);
    const VF v2 = hn::LoadU(d, x + i + 2 * N), v3 = hn::LoadU(d, x + i + 3 * N);
    a0 = hn::MulAdd(v0, v0, a0);
    a1 = hn::MulAdd(v1, v1, a1);
    a2 = hn::MulAdd(v2, v2, a2);
    a3 = hn::MulAdd(v3, v3, a3);
  }
  for (; i + N <= n; i += N) {
    const VF v = hn::LoadU(d, x + i);
    a0 = hn::MulAdd(v, v, a0);
  }
  if (i < n) {
    const VF v = LoadPartial(d, x + i, n - i, 0.0f);
    a1 = hn::MulAdd(v, v, a1);
  }
  return hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(a0, a1), hn::Add(a2, a3))));
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {

HWY_EXPORT(AddInPlaceImpl);
HWY_EXPORT(ScaleInPlaceImpl);
HWY_EXPORT(SumOfSquaresImpl);

void AddInPlace(float* x, const float* y, size_t n) {
  HWY_DYNAMIC_DISPATCH(AddInPlaceImpl)(x, y, n);
}
void ScaleInPlace(float* x, float s, size_t n) { HWY_DYNAMIC_DISPATCH(ScaleInPlaceImpl)(x, s, n); }
float SumOfSquares(const float* x, size_t n) {
  return HWY_DYNAMIC_DISPATCH(SumOfSquaresImpl)(x, n);
}

}  // namespace hb
#endif  // HWY_ONCE
