// A Linear layer ready for the kernels: fp32 weights packed for GemmF32Packed, or int8 weights
// packed for GemmInt8Packed (activations then quantized per row on the fly). One entry point
// runs either, split over a thread pool; results are identical for any thread count.
#ifndef HB_MODEL_LINEAR_H_
#define HB_MODEL_LINEAR_H_

#include <vector>

#include "base/thread_pool.h"
#include "kernels/int8_kernels.h"
#include "kernels/kernels.h"
#include "model/bert_weights.h"

namespace hb {

struct PackedLinear {
  PackedF32 w;    // fp32 path (w.n > 0)
  PackedInt8 w8;  // int8 path (w8.n > 0)
  std::vector<float> b;
  // Low-rank: x first goes through down[0] ([rank x in], no bias), then through w / w8.
  std::vector<PackedLinear> down;
  // int8 path with 7-bit asymmetric activations (QuantizeRowsU7 + GemmU7Packed) instead of
  // symmetric int8 ones: what the relaxed-SIMD quad kernel consumes.
  bool u7 = false;
  bool int8() const { return w8.n > 0; }
  int out() const { return static_cast<int>(int8() ? w8.n : w.n); }
  int in() const { return down.empty() ? static_cast<int>(int8() ? w8.k : w.k) : down[0].in(); }
};

// Packs fp32 or int8 LinearWeights (the latter without re-quantizing), low-rank ones as two.
// u7: int8 weights run with 7-bit activations, in the quad layout when a quad kernel is
// installed (InstalledInt8QuadKernel), else in the pair layout with the built-in kernel.
PackedLinear PackLinear(const LinearWeights& linear, bool u7 = false);

// c[m x out] = act(x W^T + b) + residual (epilogue.bias is set from the layer; pass activation,
// residual and alpha in `epilogue`). x is [m x in] with leading dimension ldx. pool may be null.
// A low-rank layer runs two GEMMs (x -> [m x rank] -> c), the epilogue on the second.
void ApplyLinear(ThreadPool* pool, const PackedLinear& linear, size_t m, const float* x, size_t ldx,
                 float* c, size_t ldc, GemmEpilogue epilogue);

}  // namespace hb

#endif  // HB_MODEL_LINEAR_H_
