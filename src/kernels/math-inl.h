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
#include "kernels/gelu_constants.h"
#include "kernels/kernels.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;

// A GeluErf constant as a vector load from its table (see gelu_constants.h for why).
template <class D>
HWY_INLINE hn::Vec<D> GeluConstant(D d, GeluErfConstant c) {
  return hn::LoadU(d, g_gelu_erf_constants[c]);
}

// erf(x) for |x| <= 4 as x * P(x^2) / Q(x^2): the rational minimax fit used by Eigen/XLA
// (coefficients in gelu_constants.cc).
template <class D, class V>
HWY_INLINE V ErfSmall(D d, V x) {
  const V x2 = hn::Mul(x, x);
  V p = hn::MulAdd(x2, GeluConstant(d, kErfP0), GeluConstant(d, kErfP1));
  p = hn::MulAdd(x2, p, GeluConstant(d, kErfP2));
  p = hn::MulAdd(x2, p, GeluConstant(d, kErfP3));
  p = hn::MulAdd(x2, p, GeluConstant(d, kErfP4));
  p = hn::MulAdd(x2, p, GeluConstant(d, kErfP5));
  p = hn::MulAdd(x2, p, GeluConstant(d, kErfP6));
  V q = hn::MulAdd(x2, GeluConstant(d, kErfQ0), GeluConstant(d, kErfQ1));
  q = hn::MulAdd(x2, q, GeluConstant(d, kErfQ2));
  q = hn::MulAdd(x2, q, GeluConstant(d, kErfQ3));
  q = hn::MulAdd(x2, q, GeluConstant(d, kErfQ4));
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
  const V z = hn::Mul(x, GeluConstant(d, kGeluInvSqrt2));
  const V four = GeluConstant(d, kGeluFour);
  const V minus_four = GeluConstant(d, kGeluMinusFour);
  const V erf = ErfSmall(d, hn::Min(hn::Max(z, minus_four), four));
  V one_plus_erf = hn::Add(GeluConstant(d, kGeluOne), erf);
  one_plus_erf = hn::IfThenElse(hn::Ge(z, four), GeluConstant(d, kGeluTwo), one_plus_erf);
  one_plus_erf = hn::IfThenZeroElse(hn::Le(z, minus_four), one_plus_erf);
  return hn::Mul(hn::Mul(GeluConstant(d, kGeluHalf), x), one_plus_erf);
}

// GeluErf for the int8 epilogue, whose output is quantized to 8 bits next: erf by Abramowitz
// & Stegun 7.1.28, 1 - erf(|z|) = (1 + a1 |z| + ... + a6 |z|^6)^-16, so 1 + erf(z) is that
// reciprocal for z < 0 (no cancellation) and 2 minus it otherwise. GELU within 7e-7 absolute
// everywhere (relative 2e-4 in the far negative tail), in about two thirds of GeluErf's
// operations. Huge |z|: the power overflows to inf and its reciprocal is exactly 0.
template <class D, class V>
HWY_INLINE V GeluErfFast(D d, V x) {
  const V z = hn::Mul(x, GeluConstant(d, kGeluInvSqrt2));
  const V az = hn::Abs(z);
  V p = hn::MulAdd(GeluConstant(d, kErfAs6), az, GeluConstant(d, kErfAs5));
  p = hn::MulAdd(p, az, GeluConstant(d, kErfAs4));
  p = hn::MulAdd(p, az, GeluConstant(d, kErfAs3));
  p = hn::MulAdd(p, az, GeluConstant(d, kErfAs2));
  p = hn::MulAdd(p, az, GeluConstant(d, kErfAs1));
  p = hn::MulAdd(p, az, GeluConstant(d, kGeluOne));
  p = hn::Mul(p, p);  // ^2
  p = hn::Mul(p, p);  // ^4
  p = hn::Mul(p, p);  // ^8
  p = hn::Mul(p, p);  // ^16
  const V r = hn::Div(GeluConstant(d, kGeluOne), p);
  const V one_plus_erf =
      hn::IfThenElse(hn::Lt(z, hn::Zero(d)), r, hn::Sub(GeluConstant(d, kGeluTwo), r));
  return hn::Mul(hn::Mul(GeluConstant(d, kGeluHalf), x), one_plus_erf);
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
