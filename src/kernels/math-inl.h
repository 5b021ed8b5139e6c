// Per-target float helpers shared by the kernel families: exact (erf) GELU, tanh GELU,
// activations and a tail-safe loop over n floats. Included from each foreach_target .cc, so it
// uses the skeleton-inl.h toggle guard instead of a plain include guard.
#if defined(HB_KERNELS_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef HB_KERNELS_MATH_INL_H_
#undef HB_KERNELS_MATH_INL_H_
#else
#define HB_KERNELS_MATH_INL_H_
#endif

#include <cstring>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "kernels/kernels.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;

// erf(x) as x * P(x^2) / Q(x^2) (the rational minimax fit used by Eigen/XLA), clamped to
// [-4, 4], where erf already rounds to +-1 in float. A few float ulp over the whole range; no
// table, no branches, one division (f32x4.div on wasm).
template <class D, class V>
HWY_INLINE V Erf(D d, V x) {
  x = hn::Min(hn::Max(x, hn::Set(d, -4.0f)), hn::Set(d, 4.0f));
  const V x2 = hn::Mul(x, x);
  V p = hn::MulAdd(x2, hn::Set(d, -2.72614225801306e-10f), hn::Set(d, 2.77068142495902e-08f));
  p = hn::MulAdd(x2, p, hn::Set(d, -2.10102402082508e-06f));
  p = hn::MulAdd(x2, p, hn::Set(d, -5.69250639462346e-05f));
  p = hn::MulAdd(x2, p, hn::Set(d, -7.34990630326855e-04f));
  p = hn::MulAdd(x2, p, hn::Set(d, -2.95459980854025e-03f));
  p = hn::MulAdd(x2, p, hn::Set(d, -1.60960333262415e-02f));
  V q = hn::MulAdd(x2, hn::Set(d, -1.45660718464996e-05f), hn::Set(d, -2.13374055278905e-04f));
  q = hn::MulAdd(x2, q, hn::Set(d, -1.68282697438203e-03f));
  q = hn::MulAdd(x2, q, hn::Set(d, -7.37332916720468e-03f));
  q = hn::MulAdd(x2, q, hn::Set(d, -1.42647390514189e-02f));
  const V r = hn::Div(hn::Mul(x, p), q);
  // The fit may overshoot 1 by an ulp near the clamp.
  return hn::Min(hn::Max(r, hn::Set(d, -1.0f)), hn::Set(d, 1.0f));
}

// 0.5 x (1 + erf(x / sqrt 2)), evaluated like PyTorch's float kernel.
template <class D, class V>
HWY_INLINE V GeluErf(D d, V x) {
  const V e = Erf(d, hn::Mul(x, hn::Set(d, 0.70710678118654752440f)));
  return hn::Mul(hn::Mul(hn::Set(d, 0.5f), x), hn::Add(hn::Set(d, 1.0f), e));
}

// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
template <class D, class V>
HWY_INLINE V GeluTanh(D d, V x) {
  const V x3 = hn::Mul(hn::Mul(x, x), x);
  const V inner =
      hn::Mul(hn::Set(d, 0.79788456080286535588f), hn::MulAdd(hn::Set(d, 0.044715f), x3, x));
  const V t = hn::Tanh(d, inner);
  return hn::Mul(hn::Mul(hn::Set(d, 0.5f), x), hn::Add(hn::Set(d, 1.0f), t));
}

template <class D, class V>
HWY_INLINE V Activate(D d, V x, Activation act) {
  switch (act) {
    case Activation::kNone:
      return x;
    case Activation::kGeluErf:
      return GeluErf(d, x);
    case Activation::kGeluTanh:
      return GeluTanh(d, x);
    case Activation::kRelu:
      return hn::Max(x, hn::Zero(d));
    case Activation::kTanh:
      return hn::Tanh(d, x);
  }
  return x;
}

// Calls f(v) -> v over x[0, n) in whole vectors; the tail goes through a zero-padded stack
// buffer so no lane ever reads or writes past n (ASan-clean, no masked ops needed).
template <class F>
HWY_INLINE void TransformInPlace(float* HWY_RESTRICT x, size_t n, const F& f) {
  const DF d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(f(hn::LoadU(d, x + i)), d, x + i);
  if (i < n) {
    HWY_ALIGN float buf[hn::MaxLanes(d)] = {};
    std::memcpy(buf, x + i, (n - i) * sizeof(float));
    hn::Store(f(hn::Load(d, buf)), d, buf);
    std::memcpy(x + i, buf, (n - i) * sizeof(float));
  }
}

// Loads x[0, count) (count <= Lanes) padded with `pad`.
HWY_INLINE VF LoadPartial(DF d, const float* HWY_RESTRICT x, size_t count, float pad) {
  HWY_ALIGN float buf[hn::MaxLanes(d)];
  for (size_t i = 0; i < hn::Lanes(d); ++i) buf[i] = i < count ? x[i] : pad;
  return hn::Load(d, buf);
}

HWY_INLINE void StorePartial(DF d, VF v, float* HWY_RESTRICT x, size_t count) {
  HWY_ALIGN float buf[hn::MaxLanes(d)];
  hn::Store(v, d, buf);
  std::memcpy(x, buf, count * sizeof(float));
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#endif  // HB_KERNELS_MATH_INL_H_
