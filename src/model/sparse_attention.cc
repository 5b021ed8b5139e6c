// Banded attention per (sequence, head) on the existing GEMM kernels:
//  1. Non-global query rows go in blocks of kSparseQueryBlock. A block's scores are one GEMM
//     against the contiguous key range its band can reach, plus GEMMs against the global keys
//     outside that range; keys in the range but outside a row's band (and not global) are set
//     to -inf before the row softmax, so each key is counted once. Then P V the same way,
//     accumulating through the GEMM residual.
//  2. Global query rows: full rows (g x n scores), overwriting whatever step 1 wrote there.
#include "model/sparse_attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/kernels.h"

namespace hb {

void SparseSelfAttention(const PackedBatch& batch, int hidden, int heads,
                         const AttentionPattern& pattern, const float* qkv, float* ctx,
                         ThreadPool* pool) {
  const size_t h = static_cast<size_t>(hidden);
  const size_t nh = static_cast<size_t>(heads);
  const size_t d = h / nh;
  const size_t ld_qkv = 3 * h;
  const size_t half = static_cast<size_t>(std::max(pattern.half_window(), 0));
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const float kNegInf = -std::numeric_limits<float>::infinity();

  auto one_head = [&](size_t task) {
    const size_t s = task / nh, head = task % nh;
    const size_t start = batch.starts[s];
    const size_t len = batch.length(s);
    if (len == 0) return;
    // Copy this head's Q, K, V into contiguous [len x d] buffers (O(n d), against O(n w d)
    // work): the blocks then read dense rows instead of 64 floats every 3 hidden, which for
    // long inputs otherwise costs a TLB miss per key row (time per token grew 2.5x from 512
    // to 8192 tokens before this copy).
    static thread_local std::vector<float> qh, kh, vh;
    qh.resize(len * d);
    kh.resize(len * d);
    vh.resize(len * d);
    {
      const float* src = qkv + start * ld_qkv + head * d;
      for (size_t i = 0; i < len; ++i, src += ld_qkv) {
        std::memcpy(qh.data() + i * d, src, d * sizeof(float));
        std::memcpy(kh.data() + i * d, src + h, d * sizeof(float));
        std::memcpy(vh.data() + i * d, src + 2 * h, d * sizeof(float));
      }
    }
    const float* q = qh.data();
    const float* k = kh.data();
    const float* v = vh.data();
    const size_t ld = d;
    float* out = ctx + start * h + head * d;

    const std::vector<int> globals = pattern.GlobalsFor(static_cast<int>(len));
    const size_t g = globals.size();
    // Per-thread scratch, grown on demand: O(B (B + w + g) + g n + n) floats.
    static thread_local std::vector<float> kg, vg, scores, qg, outg;
    static thread_local std::vector<unsigned char> is_global;
    kg.resize(g * d);
    vg.resize(g * d);
    is_global.assign(len, 0);
    for (size_t i = 0; i < g; ++i) {
      const size_t p = static_cast<size_t>(globals[i]);
      is_global[p] = 1;
      std::memcpy(kg.data() + i * d, k + p * ld, d * sizeof(float));
      std::memcpy(vg.data() + i * d, v + p * ld, d * sizeof(float));
    }
    GemmEpilogue scaled;
    scaled.alpha = scale;

    // 1. Band blocks.
    for (size_t r0 = 0; r0 < len; r0 += kSparseQueryBlock) {
      const size_t r1 = std::min(len, r0 + kSparseQueryBlock);
      const size_t rows = r1 - r0;
      const size_t kb = r0 > half ? r0 - half : 0;
      const size_t ke = std::min(len, r1 + half);
      const size_t wb = ke - kb;
      // Globals outside [kb, ke): a prefix [0, a) and a suffix [b, g) of the sorted list.
      const size_t a = static_cast<size_t>(
          std::lower_bound(globals.begin(), globals.end(), static_cast<int>(kb)) - globals.begin());
      const size_t b = static_cast<size_t>(
          std::lower_bound(globals.begin(), globals.end(), static_cast<int>(ke)) - globals.begin());
      const size_t ga = a, gb = g - b;
      const size_t width = wb + ga + gb;
      if (scores.size() < rows * width) scores.resize(rows * width);
      float* sc = scores.data();
      GemmF32TransB(rows, wb, d, q + r0 * ld, ld, k + kb * ld, ld, sc, width, scaled);
      if (ga) GemmF32TransB(rows, ga, d, q + r0 * ld, ld, kg.data(), d, sc + wb, width, scaled);
      if (gb) {
        GemmF32TransB(rows, gb, d, q + r0 * ld, ld, kg.data() + b * d, d, sc + wb + ga, width,
                      scaled);
      }
      // Keys in range but outside row i's band [i - half, i + half], unless global.
      for (size_t i = r0; i < r1; ++i) {
        float* row = sc + (i - r0) * width;
        const size_t lo = i > half ? i - half : 0;
        const size_t hi = std::min(len, i + half + 1);
        for (size_t j = kb; j < lo; ++j) {
          if (!is_global[j]) row[j - kb] = kNegInf;
        }
        for (size_t j = hi; j < ke; ++j) {
          if (!is_global[j]) row[j - kb] = kNegInf;
        }
      }
      SoftmaxRows(rows, width, sc, width);
      float* o = out + r0 * h;
      GemmF32(rows, d, wb, sc, width, v + kb * ld, ld, o, h, GemmEpilogue{});
      GemmEpilogue acc;
      acc.residual = o;
      acc.ldr = h;
      if (ga) GemmF32(rows, d, ga, sc + wb, width, vg.data(), d, o, h, acc);
      if (gb) GemmF32(rows, d, gb, sc + wb + ga, width, vg.data() + b * d, d, o, h, acc);
    }

    // 2. Global rows: dense rows over the whole sequence.
    if (g) {
      qg.resize(g * d);
      outg.resize(g * d);
      if (scores.size() < g * len) scores.resize(g * len);
      for (size_t i = 0; i < g; ++i) {
        std::memcpy(qg.data() + i * d, q + static_cast<size_t>(globals[i]) * ld, d * sizeof(float));
      }
      GemmF32TransB(g, len, d, qg.data(), d, k, ld, scores.data(), len, scaled);
      SoftmaxRows(g, len, scores.data(), len);
      GemmF32(g, d, len, scores.data(), len, v, ld, outg.data(), d, GemmEpilogue{});
      for (size_t i = 0; i < g; ++i) {
        std::memcpy(out + static_cast<size_t>(globals[i]) * h, outg.data() + i * d,
                    d * sizeof(float));
      }
    }
  };
  ParallelFor(pool, batch.num_sequences() * nh, one_head);
}

}  // namespace hb
