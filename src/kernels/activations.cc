// In-place activations (GELU erf/tanh, ReLU, tanh) over a flat array; the same per-vector
// functions serve the GEMM epilogue (math-inl.h), so fused and unfused results agree.
#include "kernels/kernels.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/activations.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {

template <Activation kAct>
HWY_NOINLINE void Apply(float* x, size_t n) {
  const DF d;
  TransformInPlace(x, n, [d](VF v) { return Activate(d, v, kAct); });
}

void ApplyActivationImpl(Activation act, float* x, size_t n) {
  switch (act) {
    case Activation::kNone:
      return;
    case Activation::kGeluErf:
      return Apply<Activation::kGeluErf>(x, n);
    case Activation::kGeluTanh:
      return Apply<Activation::kGeluTanh>(x, n);
    case Activation::kRelu:
      return Apply<Activation::kRelu>(x, n);
    case Activation::kTanh:
      return Apply<Activation::kTanh>(x, n);
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {

HWY_EXPORT(ApplyActivationImpl);

void ApplyActivation(Activation activation, float* x, size_t n) {
  HWY_DYNAMIC_DISPATCH(ApplyActivationImpl)(activation, x, n);
}

}  // namespace hb
#endif  // HWY_ONCE
