// fp32 layers split their output columns over threads; int8 layers quantize the activations
// per row (dynamic, symmetric) and split rows, since each row's int8 GEMM is independent.
#include "model/linear.h"

#include <algorithm>

#include "model/parallel_gemm.h"

namespace hb {

PackedLinear PackLinear(const LinearWeights& linear) {
  PackedLinear p;
  const size_t n = static_cast<size_t>(linear.out), k = static_cast<size_t>(linear.inner());
  if (linear.low_rank()) p.down.push_back(PackLinear(linear.down[0]));
  if (linear.quantized()) {
    p.w8 = PackInt8Weights(linear.w_q.data(), linear.w_scale.data(), n, k);
  } else {
    p.w = PackWeightsF32(linear.w.data(), n, k);
  }
  p.b = linear.b;
  return p;
}

namespace {

// One GEMM: the dense part of `linear` (its down projection, if any, is the caller's).
void ApplyDense(ThreadPool* pool, const PackedLinear& linear, size_t m, const float* x, size_t ldx,
                float* c, size_t ldc, GemmEpilogue ep) {
  ep.bias = linear.b.empty() ? nullptr : linear.b.data();
  if (!linear.int8()) {
    ParallelGemmF32Packed(pool, m, x, ldx, linear.w, c, ldc, ep);
    return;
  }
  const size_t k = linear.w8.k;
  static thread_local std::vector<int8_t> q;
  static thread_local std::vector<float> scales;
  if (q.size() < m * k) q.resize(m * k);
  if (scales.size() < m) scales.resize(m);
  QuantizeRowsInt8(m, k, x, ldx, q.data(), k, scales.data());
  const size_t threads = pool ? static_cast<size_t>(pool->num_threads()) : 1;
  constexpr size_t kMinRowsPerTask = 8;
  const size_t tasks = std::min(threads, std::max<size_t>(1, m / kMinRowsPerTask));
  if (tasks <= 1) {
    GemmInt8Packed(m, q.data(), k, scales.data(), linear.w8, c, ldc, ep);
    return;
  }
  const int8_t* qa = q.data();
  const float* sa = scales.data();
  const size_t rows = (m + tasks - 1) / tasks;
  pool->ParallelFor(tasks, [&](size_t t) {
    const size_t i0 = t * rows, i1 = std::min(m, i0 + rows);
    if (i0 >= i1) return;
    GemmEpilogue e = ep;
    if (e.residual) e.residual += i0 * e.ldr;
    GemmInt8Packed(i1 - i0, qa + i0 * k, k, sa + i0, linear.w8, c + i0 * ldc, ldc, e);
  });
}

}  // namespace

void ApplyLinear(ThreadPool* pool, const PackedLinear& linear, size_t m, const float* x,
                 size_t ldx, float* c, size_t ldc, GemmEpilogue ep) {
  if (linear.down.empty()) {
    ApplyDense(pool, linear, m, x, ldx, c, ldc, ep);
    return;
  }
  const PackedLinear& down = linear.down[0];
  const size_t rank = static_cast<size_t>(down.out());
  static thread_local std::vector<float> mid;
  if (mid.size() < m * rank) mid.resize(m * rank);
  ApplyDense(pool, down, m, x, ldx, mid.data(), rank, GemmEpilogue{});
  ApplyDense(pool, linear, m, mid.data(), rank, c, ldc, ep);
}

}  // namespace hb
