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

// erf(x) for |x| <= 4 as x * P(x^2) / Q(x^2): the rational minimax fit used by Eigen/XLA.
template <class D, class V>
HWY_INLINE V ErfSmall(D d, V x) {
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
  return hn::Div(hn::Mul(x, p), q);
}

// erfc(z) for z >= 0 with ~1.2e-7 relative error everywhere (the Chebyshev fit
// t exp(-z^2 + P(t)), t = 1 / (1 + z/2), of Numerical Recipes' erfcc). Relative accuracy in
// the tail is what the GELU of negative inputs needs: 1 + erf(z) there is erfc(|z|), and
// forming it as 1 + erf would cancel away most of its bits.
template <class D, class V>
HWY_INLINE V ErfcNonNeg(D d, V z) {
  const V t = hn::Div(hn::Set(d, 1.0f), hn::MulAdd(hn::Set(d, 0.5f), z, hn::Set(d, 1.0f)));
  V p = hn::MulAdd(t, hn::Set(d, 0.17087277f), hn::Set(d, -0.82215223f));
  p = hn::MulAdd(t, p, hn::Set(d, 1.48851587f));
  p = hn::MulAdd(t, p, hn::Set(d, -1.13520398f));
  p = hn::MulAdd(t, p, hn::Set(d, 0.27886807f));
  p = hn::MulAdd(t, p, hn::Set(d, -0.18628806f));
  p = hn::MulAdd(t, p, hn::Set(d, 0.09678418f));
  p = hn::MulAdd(t, p, hn::Set(d, 0.37409196f));
  p = hn::MulAdd(t, p, hn::Set(d, 1.00002368f));
  p = hn::MulAdd(t, p, hn::Set(d, -1.26551223f));
  // exp(-z^2 + p); Exp returns 0 below -104, so huge z gives exactly 0.
  return hn::Mul(t, hn::Exp(d, hn::NegMulAdd(z, z, p)));
}

// erf(x): the rational fit below |x| = 1, 1 - erfc(|x|) (with x's sign) above, where erf is
// within 0.16 of +-1 and the subtraction is exact to an ulp.
template <class D, class V>
HWY_INLINE V Erf(D d, V x) {
  const V ax = hn::Abs(x);
  const V small = ErfSmall(d, hn::Min(hn::Max(x, hn::Set(d, -1.0f)), hn::Set(d, 1.0f)));
  const V big = hn::CopySignToAbs(hn::Sub(hn::Set(d, 1.0f), ErfcNonNeg(d, ax)), x);
  return hn::IfThenElse(hn::Lt(ax, hn::Set(d, 1.0f)), small, big);
}

// 0.5 x (1 + erf(x / sqrt 2)) with erf as one rational function of z = x / sqrt 2 clamped to
// [-4, 4] (ErfSmall's Eigen/XLA fit holds there to a few ulp; erf is +-1 in float beyond), so
// no exp and one division: the exp-based erfc form cost 15% of an int8 MiniLM forward in wasm.
// 1 + erf(z) loses relative accuracy for very negative x, but its absolute error stays ~1e-7,
// i.e. GELU within 1e-6 absolute everywhere; past |z| = 4 it is exactly 0 or 2 (GELU(x) = 0 or
// x, also for huge |x|).
template <class D, class V>
HWY_INLINE V GeluErf(D d, V x) {
  const V z = hn::Mul(x, hn::Set(d, 0.70710678118654752440f));
  const V four = hn::Set(d, 4.0f);
  const V erf = ErfSmall(d, hn::Min(hn::Max(z, hn::Neg(four)), four));
  V one_plus_erf = hn::Add(hn::Set(d, 1.0f), erf);
  one_plus_erf = hn::IfThenElse(hn::Ge(z, four), hn::Set(d, 2.0f), one_plus_erf);
  one_plus_erf = hn::IfThenZeroElse(hn::Le(z, hn::Neg(four)), one_plus_erf);
  return hn::Mul(hn::Mul(hn::Set(d, 0.5f), x), one_plus_erf);
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
