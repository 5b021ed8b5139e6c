// fp32 layers split their output columns over threads; int8 layers split rows, since each row's
// dynamic activation quantization (per row) and int8 GEMM are independent.
#include "model/linear.h"

#include <algorithm>

#include "model/parallel_gemm.h"

namespace hb {

PackedLinear PackLinear(const LinearWeights& linear, bool u7) {
  PackedLinear p;
  const size_t n = static_cast<size_t>(linear.out), k = static_cast<size_t>(linear.inner());
  if (linear.low_rank()) p.down.push_back(PackLinear(linear.down[0], u7));
  if (linear.quantized()) {
    p.u7 = u7;
    const Int8Layout layout =
        u7 && InstalledInt8QuadKernel() != nullptr ? Int8Layout::kQuads : Int8Layout::kPairs;
    p.w8 = PackInt8Weights(linear.w_q.data(), linear.w_scale.data(), n, k, layout);
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
  // u7 rows are padded with zeros to k_padded (GemmU7Packed's contract).
  const size_t ldq = linear.u7 ? linear.w8.k_padded : k;
  static thread_local std::vector<int8_t> q;
  static thread_local std::vector<float> scales;
  static thread_local std::vector<int32_t> zero_points;
  if (q.size() < m * ldq) q.resize(m * ldq);
  if (scales.size() < m) scales.resize(m);
  if (linear.u7 && zero_points.size() < m) zero_points.resize(m);
  int8_t* qa = q.data();
  float* sa = scales.data();
  int32_t* za = zero_points.data();
  // Each task quantizes its own rows first: the quantization (a few % of a GEMM) runs in
  // parallel too instead of before the split.
  auto gemm = [&](size_t i0, size_t rows, const GemmEpilogue& e) {
    int8_t* qi = qa + i0 * ldq;
    if (linear.u7) {
      QuantizeRowsU7(rows, k, x + i0 * ldx, ldx, qi, ldq, sa + i0, za + i0);
      for (size_t i = 0; i < rows; ++i) std::fill(qi + i * ldq + k, qi + (i + 1) * ldq, 0);
      GemmU7Packed(rows, qi, ldq, sa + i0, za + i0, linear.w8, c + i0 * ldc, ldc, e);
    } else {
      QuantizeRowsInt8(rows, k, x + i0 * ldx, ldx, qi, ldq, sa + i0);
      GemmInt8Packed(rows, qi, ldq, sa + i0, linear.w8, c + i0 * ldc, ldc, e);
    }
  };
  const size_t threads = pool ? static_cast<size_t>(pool->num_threads()) : 1;
  constexpr size_t kMinRowsPerTask = 8;
  const size_t tasks = std::min(threads, std::max<size_t>(1, m / kMinRowsPerTask));
  if (tasks <= 1) {
    gemm(0, m, ep);
    return;
  }
  const size_t rows = (m + tasks - 1) / tasks;
  pool->ParallelFor(tasks, [&](size_t t) {
    const size_t i0 = t * rows, i1 = std::min(m, i0 + rows);
    if (i0 >= i1) return;
    GemmEpilogue e = ep;
    if (e.residual) e.residual += i0 * e.ldr;
    gemm(i0, i1 - i0, e);
  });
}

}  // namespace

void ApplyLinear(ThreadPool* pool, const PackedLinear& linear, size_t m, const float* x, size_t ldx,
                 float* c, size_t ldc, GemmEpilogue ep) {
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
