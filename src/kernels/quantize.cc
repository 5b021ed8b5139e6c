// Dynamic symmetric int8 quantization of fp32 rows (activations per row, Linear weights per
// output channel): one abs-max pass, then scale, round half-to-even, saturate and narrow.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/int8_kernels.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/quantize.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {
namespace {

namespace hq = hwy::HWY_NAMESPACE;

using QDF = hq::ScalableTag<float>;
using QDI = hq::RebindToSigned<QDF>;

// round-half-even(x * inv) as int32. Two traps keep this from being one obvious line:
// Highway 1.0.3's SCALAR/EMU128 NearestInt adds 0.5 in float (so 0.49999997 rounds up), and
// a 1.5 * 2^23 add/sub trick lets g++ contract the multiply and add into an FMA on AVX2/AVX3
// (one int8 in ~40k then differs). So: NearestInt (cvtps2dq / f32x4.nearest, which round the
// already-rounded product) on real SIMD targets, the add/sub trick where there is no FMA.
HWY_INLINE hq::Vec<QDI> ScaleRound(QDF d, hq::Vec<QDF> x, hq::Vec<QDF> inv) {
#if HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
  const auto magic = hq::Set(d, 12582912.0f);  // exact for |y| < 2^22; here |y| <= 127
  return hq::ConvertTo(QDI(), hq::Sub(hq::Add(hq::Mul(x, inv), magic), magic));
#else
  return hq::NearestInt(hq::Mul(x, inv));
#endif
}

void QuantizeRow(size_t k, const float* HWY_RESTRICT x, int8_t* HWY_RESTRICT q, float* scale) {
  const QDF d;
  const hq::Rebind<int16_t, QDF> d16;
  const hq::Rebind<int8_t, QDF> d8;
  const size_t N = hq::Lanes(d);
  // Pass 1: abs-max. Max is order-independent, so every target finds the same value.
  auto vmax = hq::Zero(d);
  size_t p = 0;
  for (; p + N <= k; p += N) vmax = hq::Max(vmax, hq::Abs(hq::LoadU(d, x + p)));
  float amax = hq::GetLane(hq::MaxOfLanes(d, vmax));
  for (size_t t = p; t < k; ++t) amax = std::max(amax, std::fabs(x[t]));
  *scale = amax / 127.0f;
  const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
  // Pass 2: q = clamp(round(x * inv), -127, 127), narrowed i32 -> i16 -> i8 (saturating).
  const auto vinv = hq::Set(d, inv);
  const auto lo = hq::Set(QDI(), -127), hi = hq::Set(QDI(), 127);
  auto quant = [&](hq::Vec<QDF> v) {
    const auto r = hq::Min(hq::Max(ScaleRound(d, v, vinv), lo), hi);
    return hq::DemoteTo(d8, hq::DemoteTo(d16, r));
  };
  for (p = 0; p + N <= k; p += N) hq::StoreU(quant(hq::LoadU(d, x + p)), d8, q + p);
  if (p < k) {  // tail through zero-padded stack buffers: never touches memory past k
    HWY_ALIGN float buf[hq::MaxLanes(d)] = {};
    HWY_ALIGN int8_t out[hq::MaxLanes(d8)];
    std::memcpy(buf, x + p, (k - p) * sizeof(float));
    hq::Store(quant(hq::Load(d, buf)), d8, out);
    std::memcpy(q + p, out, k - p);
  }
}

// QuantizeRowsU7 for one row (rule in int8_kernels.h): a min/max pass, then the same
// round-then-offset steps as the scalar twin, so every target gives the same bytes.
void QuantizeRowU7(size_t k, const float* HWY_RESTRICT x, int8_t* HWY_RESTRICT u, float* scale,
                   int32_t* zero_point) {
  const QDF d;
  const QDI di;
  const hq::Rebind<int16_t, QDF> d16;
  const hq::Rebind<int8_t, QDF> d8;
  const size_t N = hq::Lanes(d);
  auto vmin = hq::Zero(d), vmax = hq::Zero(d);
  size_t p = 0;
  for (; p + N <= k; p += N) {
    const auto v = hq::LoadU(d, x + p);
    vmin = hq::Min(vmin, v);
    vmax = hq::Max(vmax, v);
  }
  float lo = hq::GetLane(hq::MinOfLanes(d, vmin)), hi = hq::GetLane(hq::MaxOfLanes(d, vmax));
  for (size_t t = p; t < k; ++t) {
    lo = std::min(lo, x[t]);
    hi = std::max(hi, x[t]);
  }
  const float range = hi - lo;
  const float inv = range > 0.0f ? 127.0f / range : 0.0f;
  *scale = range / 127.0f;
  const int32_t zero = static_cast<int32_t>(std::nearbyint(-lo * inv));
  *zero_point = zero;
  const auto vinv = hq::Set(d, inv);
  const auto vzero = hq::Set(di, zero);
  const auto lo_q = hq::Zero(di), hi_q = hq::Set(di, 127);
  auto quant = [&](hq::Vec<QDF> v) {
    const auto r = hq::Min(hq::Max(hq::Add(ScaleRound(d, v, vinv), vzero), lo_q), hi_q);
    return hq::DemoteTo(d8, hq::DemoteTo(d16, r));
  };
  for (p = 0; p + N <= k; p += N) hq::StoreU(quant(hq::LoadU(d, x + p)), d8, u + p);
  if (p < k) {  // tail through zero-padded stack buffers: never touches memory past k
    HWY_ALIGN float buf[hq::MaxLanes(d)] = {};
    HWY_ALIGN int8_t out[hq::MaxLanes(d8)];
    std::memcpy(buf, x + p, (k - p) * sizeof(float));
    hq::Store(quant(hq::Load(d, buf)), d8, out);
    std::memcpy(u + p, out, k - p);
  }
}

}  // namespace

void QuantizeRowsU7Impl(size_t m, size_t k, const float* x, size_t ldx, int8_t* u, size_t ldu,
                        float* row_scales, int32_t* zero_points) {
  for (size_t i = 0; i < m; ++i) {
    QuantizeRowU7(k, x + i * ldx, u + i * ldu, row_scales + i, zero_points + i);
  }
}

void QuantizeRowsInt8Impl(size_t m, size_t k, const float* x, size_t ldx, int8_t* q, size_t ldq,
                          float* row_scales) {
  for (size_t i = 0; i < m; ++i) QuantizeRow(k, x + i * ldx, q + i * ldq, row_scales + i);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {

HWY_EXPORT(QuantizeRowsInt8Impl);
HWY_EXPORT(QuantizeRowsU7Impl);

void QuantizeRowsU7(size_t m, size_t k, const float* x, size_t ldx, int8_t* u, size_t ldu,
                    float* row_scales, int32_t* zero_points) {
  HWY_DYNAMIC_DISPATCH(QuantizeRowsU7Impl)(m, k, x, ldx, u, ldu, row_scales, zero_points);
}

void QuantizeRowsInt8(size_t m, size_t k, const float* x, size_t ldx, int8_t* q, size_t ldq,
                      float* row_scales) {
  HWY_DYNAMIC_DISPATCH(QuantizeRowsInt8Impl)(m, k, x, ldx, q, ldq, row_scales);
}

PackedInt8 QuantizePackWeightsInt8(const float* w, size_t n, size_t k) {
  std::vector<int8_t> q(n * k);
  std::vector<float> scales(n);
  QuantizeRowsInt8(n, k, w, k, q.data(), k, scales.data());
  return PackInt8Weights(q.data(), scales.data(), n, k);
}

}  // namespace hb
#endif  // HWY_ONCE
