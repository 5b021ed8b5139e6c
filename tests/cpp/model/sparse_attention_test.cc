// Sliding-window + global attention against (1) the dense kernel when the band covers every
// sequence and (2) a masked dense reference written from the Longformer definition, over odd
// shapes, packed batches of different lengths and a thread pool.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "model/attention.h"
#include "model/extend_positions.h"
#include "model/sparse_attention.h"

namespace hb {
namespace {

PackedBatch BatchOf(const std::vector<size_t>& lengths) {
  PackedBatch b;
  for (size_t len : lengths) {
    Encoding e;
    e.ids.assign(len, 1);
    b.Add(e);
  }
  return b;
}

std::vector<float> RandomQkv(size_t tokens, size_t hidden, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.5f);
  std::vector<float> qkv(tokens * 3 * hidden);
  for (float& x : qkv) x = dist(rng);
  return qkv;
}

// From the definition: key j is visible to query i iff |i - j| <= w/2, or j global, or i
// global; softmax over the visible keys (each once), in double.
std::vector<float> MaskedDenseReference(const PackedBatch& batch, size_t hidden, size_t heads,
                                        const AttentionPattern& p, const std::vector<float>& qkv) {
  const size_t d = hidden / heads, ld = 3 * hidden;
  std::vector<float> ctx(batch.num_tokens() * hidden, 0.0f);
  const long half = p.half_window();
  for (size_t s = 0; s < batch.num_sequences(); ++s) {
    const size_t start = batch.starts[s], len = batch.length(s);
    std::vector<bool> global(len, false);
    if (p.global_first_token && len > 0) global[0] = true;
    for (int g : p.global_positions) {
      if (g >= 0 && static_cast<size_t>(g) < len) global[g] = true;
    }
    for (size_t hd = 0; hd < heads; ++hd) {
      for (size_t i = 0; i < len; ++i) {
        std::vector<double> sc(len, -INFINITY);
        double mx = -INFINITY;
        for (size_t j = 0; j < len; ++j) {
          const long dist = std::labs(static_cast<long>(i) - static_cast<long>(j));
          if (p.dense() || dist <= half || global[i] || global[j]) {
            double dot = 0;
            for (size_t c = 0; c < d; ++c) {
              dot += static_cast<double>(qkv[(start + i) * ld + hd * d + c]) *
                     qkv[(start + j) * ld + hidden + hd * d + c];
            }
            sc[j] = dot / std::sqrt(static_cast<double>(d));
            mx = std::max(mx, sc[j]);
          }
        }
        double z = 0;
        for (size_t j = 0; j < len; ++j) z += std::isinf(sc[j]) ? 0.0 : std::exp(sc[j] - mx);
        for (size_t c = 0; c < d; ++c) {
          double acc = 0;
          for (size_t j = 0; j < len; ++j) {
            if (std::isinf(sc[j])) continue;
            acc += std::exp(sc[j] - mx) / z * qkv[(start + j) * ld + 2 * hidden + hd * d + c];
          }
          ctx[(start + i) * hidden + hd * d + c] = static_cast<float>(acc);
        }
      }
    }
  }
  return ctx;
}

float MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

std::vector<float> RunSparse(const PackedBatch& b, size_t hidden, size_t heads,
                             const AttentionPattern& p, const std::vector<float>& qkv,
                             ThreadPool* pool = nullptr) {
  std::vector<float> ctx(b.num_tokens() * hidden, -7.0f);
  SparseSelfAttention(b, static_cast<int>(hidden), static_cast<int>(heads), p, qkv.data(),
                      ctx.data(), pool);
  return ctx;
}

AttentionPattern Window(int w, std::vector<int> globals = {}, bool cls = true) {
  AttentionPattern p;
  p.kind = AttentionKind::kSlidingWindow;
  p.window = w;
  p.global_first_token = cls;
  p.global_positions = std::move(globals);
  return p;
}

TEST(SparseAttentionTest, WideWindowEqualsDense) {
  for (size_t hidden_heads : {0, 1, 2}) {
    const size_t hidden = hidden_heads == 0 ? 48 : hidden_heads == 1 ? 36 : 64;
    const size_t heads = hidden_heads == 0 ? 3 : hidden_heads == 1 ? 3 : 4;
    for (size_t len : {1, 2, 7, 33, 64, 65, 130, 200}) {
      PackedBatch b = BatchOf({len});
      std::vector<float> qkv = RandomQkv(len, hidden, static_cast<uint32_t>(len * 31 + hidden));
      std::vector<float> dense(len * hidden);
      DenseSelfAttention(b, static_cast<int>(hidden), static_cast<int>(heads), qkv.data(),
                         dense.data(), nullptr);
      for (bool cls : {true, false}) {
        const int w = static_cast<int>(2 * len + 2);
        std::vector<float> sparse = RunSparse(b, hidden, heads, Window(w, {3, 5}, cls), qkv);
        EXPECT_LT(MaxAbsDiff(dense, sparse), 1e-5f) << "len " << len << " hidden " << hidden;
      }
    }
  }
}

TEST(SparseAttentionTest, NarrowWindowEqualsMaskedDenseReference) {
  const size_t hidden = 40, heads = 5;  // head dim 8
  struct Case {
    size_t len;
    int window;
    std::vector<int> globals;
    bool cls;
  };
  const std::vector<Case> cases = {
      {1, 2, {}, true},        {5, 2, {}, false},       {17, 4, {16}, true},
      {70, 8, {9, 69}, true},  {129, 16, {64, 65}, false}, {200, 30, {}, true},
      {300, 64, {0, 150, 299, 1000}, true}, {257, 256, {}, true}, {96, 3, {50}, true}};
  for (const Case& c : cases) {
    PackedBatch b = BatchOf({c.len});
    std::vector<float> qkv = RandomQkv(c.len, hidden, static_cast<uint32_t>(c.len + c.window));
    const AttentionPattern p = Window(c.window, c.globals, c.cls);
    std::vector<float> ref = MaskedDenseReference(b, hidden, heads, p, qkv);
    std::vector<float> got = RunSparse(b, hidden, heads, p, qkv);
    EXPECT_LT(MaxAbsDiff(ref, got), 1e-5f) << "len " << c.len << " window " << c.window;
  }
}

TEST(SparseAttentionTest, PackedBatchEqualsOneByOneAndThreads) {
  const size_t hidden = 64, heads = 4;
  const std::vector<size_t> lengths = {3, 150, 1, 77, 260, 64};
  const AttentionPattern p = Window(32, {10, 100});
  PackedBatch all = BatchOf(lengths);
  std::vector<float> qkv = RandomQkv(all.num_tokens(), hidden, 7);
  std::vector<float> packed = RunSparse(all, hidden, heads, p, qkv);
  ThreadPool pool(2);
  EXPECT_EQ(packed, RunSparse(all, hidden, heads, p, qkv, &pool));
  EXPECT_LT(MaxAbsDiff(packed, MaskedDenseReference(all, hidden, heads, p, qkv)), 1e-5f);
  for (size_t s = 0; s < lengths.size(); ++s) {
    PackedBatch one = BatchOf({lengths[s]});
    const size_t b = all.starts[s] * 3 * hidden, e = all.starts[s + 1] * 3 * hidden;
    std::vector<float> qkv1(qkv.begin() + static_cast<long>(b), qkv.begin() + static_cast<long>(e));
    std::vector<float> got = RunSparse(one, hidden, heads, p, qkv1);
    std::vector<float> want(packed.begin() + static_cast<long>(all.starts[s] * hidden),
                            packed.begin() + static_cast<long>(all.starts[s + 1] * hidden));
    EXPECT_EQ(got, want) << "sequence " << s;  // bit-identical: nothing crosses sequences
  }
}

TEST(AttentionPatternTest, GlobalsAndDescribe) {
  AttentionPattern p = Window(256, {9, 5, 9, 400});
  EXPECT_EQ(p.GlobalsFor(10), (std::vector<int>{0, 5, 9}));
  EXPECT_EQ(p.GlobalsFor(0), std::vector<int>{});
  EXPECT_EQ(p.Describe(), "sliding_window(256)+global(cls,5,9,400)");
  EXPECT_EQ(AttentionPattern{}.Describe(), "dense");
  EXPECT_EQ(Window(64, {}, false).Describe(), "sliding_window(64)");
}

TEST(ExtendPositionsTest, RepeatsTheTable) {
  BertWeights w;
  w.config.hidden_size = 2;
  w.config.max_position_embeddings = 3;
  w.position_embeddings = {0, 1, 2, 3, 4, 5};
  ASSERT_TRUE(ExtendPositions(w, 7).ok());
  EXPECT_EQ(w.config.max_position_embeddings, 7);
  EXPECT_EQ(w.position_embeddings,
            (std::vector<float>{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0, 1}));
  EXPECT_FALSE(ExtendPositions(w, 6).ok());
  EXPECT_TRUE(ExtendPositions(w, 7).ok());
  w.position_embeddings.pop_back();
  EXPECT_FALSE(ExtendPositions(w, 8).ok());
}

}  // namespace
}  // namespace hb
