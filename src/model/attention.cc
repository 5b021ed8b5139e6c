// Dense attention per (sequence, head): S = Q K^T / sqrt(d), softmax, ctx = S V. Q, K and V are
// read in place from the fused QKV buffer through leading dimensions; nothing is transposed.
#include "model/attention.h"

#include <cmath>

#include "kernels/int8_kernels.h"
#include "kernels/kernels.h"

namespace hb {

namespace {

// One head in int8: Q and K quantized per row, S = Q K^T in int32, softmax straight to 7-bit
// probabilities (SoftmaxRowsInt8), V quantized per column (over V^T's rows), ctx = P V in
// int32. Each step is O(n d) or an int8 GEMM, which runs ~2x the f32 GEMM's MACs per cycle.
void Int8Head(size_t len, size_t d, size_t ld_qkv, size_t h, const float* q, float scale,
              float* out, std::vector<float>& scores) {
  static thread_local std::vector<int8_t> qq, kq, pq, vq;
  static thread_local std::vector<float> qs, ks, ps, vs, vt;
  qq.resize(len * d);
  kq.resize(len * d);
  pq.resize(len * len);
  vq.resize(d * len);
  qs.resize(len);
  ks.resize(len);
  ps.resize(len);
  vs.resize(d);
  vt.resize(d * len);
  const float* k = q + h;
  const float* v = q + 2 * h;
  QuantizeRowsInt8(len, d, q, ld_qkv, qq.data(), d, qs.data());
  QuantizeRowsInt8(len, d, k, ld_qkv, kq.data(), d, ks.data());
  GemmEpilogue scaled;
  scaled.alpha = scale;
  GemmInt8TransB(len, len, d, qq.data(), d, qs.data(), kq.data(), d, ks.data(), scores.data(), len,
                 scaled);
  SoftmaxRowsInt8(len, len, scores.data(), len, pq.data(), len, ps.data());
  for (size_t i = 0; i < len; ++i) {
    const float* vi = v + i * ld_qkv;
    for (size_t c = 0; c < d; ++c) vt[c * len + i] = vi[c];
  }
  QuantizeRowsInt8(d, len, vt.data(), len, vq.data(), len, vs.data());
  GemmInt8TransB(len, d, len, pq.data(), len, ps.data(), vq.data(), len, vs.data(), out, h,
                 GemmEpilogue{});
}

}  // namespace

void DenseSelfAttention(const PackedBatch& batch, int hidden, int heads, const float* qkv,
                        float* ctx, ThreadPool* pool, bool int8) {
  const size_t h = static_cast<size_t>(hidden);
  const size_t nh = static_cast<size_t>(heads);
  const size_t d = h / nh;
  const size_t ld_qkv = 3 * h;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  auto one_head = [&](size_t task) {
    const size_t s = task / nh, head = task % nh;
    const size_t start = batch.starts[s];
    const size_t len = batch.length(s);
    if (len == 0) return;
    static thread_local std::vector<float> scores;
    if (scores.size() < len * len) scores.resize(len * len);
    const float* q = qkv + start * ld_qkv + head * d;
    if (int8) return Int8Head(len, d, ld_qkv, h, q, scale, ctx + start * h + head * d, scores);
    const float* k = q + h;
    const float* v = q + 2 * h;
    GemmEpilogue scaled;
    scaled.alpha = scale;
    GemmF32TransB(len, len, d, q, ld_qkv, k, ld_qkv, scores.data(), len, scaled);
    SoftmaxRows(len, len, scores.data(), len);
    GemmF32(len, d, len, scores.data(), len, v, ld_qkv, ctx + start * h + head * d, h,
            GemmEpilogue{});
  };
  ParallelFor(pool, batch.num_sequences() * nh, one_head);
}

}  // namespace hb
