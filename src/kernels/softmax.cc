// Row softmax: max pass, exp(x - max) pass (contrib Exp, 1 ulp) that stores and sums, then a
// multiply by 1/sum. Subtracting the max keeps every exponent <= 0, so nothing overflows.
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/int8_kernels.h"
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

// 2^y for y <= 0: 2^floor(y) through the exponent bits times a cubic for 2^frac(y) (relative
// error < 7.5e-5, fitted on [0, 1)). Enough for probabilities rounded to 7 bits, at about half
// the operations of hn::Exp. y is clamped at -30, where 127 * 2^y rounds to 0 anyway, so the
// exponent never leaves the normal range.
HWY_INLINE VF Exp2NonPositive(DF d, VF y) {
  const hn::RebindToSigned<DF> di;
  y = hn::Max(y, hn::Set(d, -30.0f));
  const VF n = hn::Floor(y);
  const VF f = hn::Sub(y, n);
  VF poly = hn::MulAdd(hn::Set(d, 0.0780235081911087f), f, hn::Set(d, 0.22606782615184784f));
  poly = hn::MulAdd(poly, f, hn::Set(d, 0.695833683013916f));
  poly = hn::MulAdd(poly, f, hn::Set(d, 0.9999251365661621f));
  const auto bits = hn::Add(hn::BitCast(di, poly), hn::ShiftLeft<23>(hn::ConvertTo(di, n)));
  return hn::BitCast(d, bits);
}

// Softmax straight to int8 probabilities: p = round(127 * exp(x - max)) in 0..127 (max e is
// 1), scale = 1 / sum(p). Normalizing by the sum of the rounded values makes each row's weights
// sum to exactly 1, and one pass replaces SoftmaxRows' exp, divide and QuantizeRowsInt8 passes.
void SoftmaxRowsInt8Impl(size_t rows, size_t cols, const float* x, size_t ldx, int8_t* p,
                         size_t ldp, float* row_scales) {
  const DF d;
  const hn::RebindToSigned<DF> di;
  const hn::Rebind<int16_t, DF> d16;
  const hn::Rebind<int8_t, DF> d8;
  const size_t N = hn::Lanes(d);
  const float kNegInf = -std::numeric_limits<float>::infinity();
  const VF k127 = hn::Set(d, 127.0f);
  const VF log2e = hn::Set(d, 1.44269504088896341f);
  const auto zero = hn::Zero(di), top = hn::Set(di, 127);
  for (size_t r = 0; r < rows; ++r) {
    const float* HWY_RESTRICT xr = x + r * ldx;
    int8_t* HWY_RESTRICT pr = p + r * ldp;
    if (cols == 0) {
      row_scales[r] = 0.0f;
      continue;
    }
    VF vmax = hn::Set(d, kNegInf);
    size_t i = 0;
    for (; i + N <= cols; i += N) vmax = hn::Max(vmax, hn::LoadU(d, xr + i));
    if (i < cols) vmax = hn::Max(vmax, LoadPartial(d, xr + i, cols - i, kNegInf));
    const VF m = hn::MaxOfLanes(d, vmax);
    if (hn::GetLane(m) == kNegInf) {  // nothing to attend to: all weights 0
      for (i = 0; i < cols; ++i) pr[i] = 0;
      row_scales[r] = 0.0f;
      continue;
    }
    const VF mlog = hn::Mul(m, log2e);
    auto sum = hn::Zero(di);
    auto quant = [&](VF v) {  // -inf lanes: y = -inf, clamped to -30, p = 0
      const VF e = Exp2NonPositive(d, hn::MulSub(v, log2e, mlog));
      const auto q = hn::Min(hn::Max(hn::NearestInt(hn::Mul(e, k127)), zero), top);
      sum = hn::Add(sum, q);
      return hn::DemoteTo(d8, hn::DemoteTo(d16, q));
    };
    for (i = 0; i + N <= cols; i += N) hn::StoreU(quant(hn::LoadU(d, xr + i)), d8, pr + i);
    if (i < cols) {
      HWY_ALIGN int8_t buf[hn::MaxLanes(d8)];
      hn::Store(quant(LoadPartial(d, xr + i, cols - i, kNegInf)), d8, buf);
      for (size_t t = 0; t < cols - i; ++t) pr[i + t] = buf[t];
    }
    const int32_t total = hn::GetLane(hn::SumOfLanes(di, sum));
    row_scales[r] = total > 0 ? 1.0f / static_cast<float>(total) : 0.0f;
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {

HWY_EXPORT(SoftmaxRowsImpl);
HWY_EXPORT(SoftmaxRowsInt8Impl);

void SoftmaxRows(size_t rows, size_t cols, float* x, size_t ldx) {
  HWY_DYNAMIC_DISPATCH(SoftmaxRowsImpl)(rows, cols, x, ldx);
}

void SoftmaxRowsInt8(size_t rows, size_t cols, const float* x, size_t ldx, int8_t* p, size_t ldp,
                     float* row_scales) {
  HWY_DYNAMIC_DISPATCH(SoftmaxRowsInt8Impl)(rows, cols, x, ldx, p, ldp, row_scales);
}

}  // namespace hb
#endif  // HWY_ONCE
