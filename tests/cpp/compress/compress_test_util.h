// Helpers for the compression tests: the fixture models, one forward pass through the engine,
// and an independent scalar reference forward (double precision, straight from the math) that
// understands per-layer shapes, shared layers, low-rank Linears and factorized embeddings.
#ifndef HB_TESTS_COMPRESS_TEST_UTIL_H_
#define HB_TESTS_COMPRESS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "format/huggingface_files.h"
#include "kernels/reference.h"
#include "model/bert_encoder.h"
#include "model/checkpoint_loader.h"

namespace hb::testing {

inline std::string FixtureDir(const std::string& name) {
  return std::string(HB_FIXTURES_DIR) + "/models/" + name;
}

struct Fixture {
  HuggingFaceFolder folder;
  LoadedCheckpoint loaded;
};

inline Fixture LoadFixture(const std::string& name) {
  Fixture f;
  StatusOr<HuggingFaceFolder> folder = ReadHuggingFaceFolder(FixtureDir(name));
  EXPECT_TRUE(folder.ok()) << folder.status().ToString();
  f.folder = std::move(folder).value();
  StatusOr<LoadedCheckpoint> loaded = LoadHuggingFaceCheckpoint(f.folder.View());
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  f.loaded = std::move(loaded).value();
  return f;
}

// Token ids of a test sequence (in range for any fixture vocabulary).
inline std::vector<int32_t> TestIds(size_t n, int salt = 0) {
  std::vector<int32_t> ids = {2};
  for (size_t i = 1; i + 1 < n; ++i) ids.push_back(static_cast<int32_t>(5 + (i * 37 + salt) % 900));
  ids.push_back(3);
  return ids;
}

inline PackedBatch OneSequence(const std::vector<int32_t>& ids) {
  PackedBatch b;
  Encoding e;
  e.ids = ids;
  e.type_ids.assign(ids.size(), 0);
  b.Add(e);
  return b;
}

// The engine's last hidden state [tokens x hidden] for `ids`.
inline std::vector<float> EngineHidden(const BertWeights& w, const std::vector<int32_t>& ids) {
  StatusOr<std::unique_ptr<BertEncoder>> enc = BertEncoder::Create(w);
  EXPECT_TRUE(enc.ok()) << enc.status().ToString();
  if (!enc.ok()) return {};
  StatusOr<ForwardResult> r = (*enc)->Forward(OneSequence(ids), ForwardOptions{});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->hidden : std::vector<float>{};
}

using Matrix = std::vector<double>;  // row-major

// y [n x out] = x [n x in] W^T (+ b), W dense or low-rank.
inline Matrix RefLinear(const LinearWeights& l, const Matrix& x, size_t n) {
  const size_t in = static_cast<size_t>(l.in);
  Matrix input = x;
  size_t k = in;
  if (l.low_rank()) {
    input = RefLinear(l.down[0], x, n);
    k = static_cast<size_t>(l.down[0].out);
  }
  const size_t out = static_cast<size_t>(l.out);
  Matrix y(n * out, 0.0);
  for (size_t t = 0; t < n; ++t) {
    for (size_t j = 0; j < out; ++j) {
      double acc = l.b.empty() ? 0.0 : l.b[j];
      for (size_t p = 0; p < k; ++p) acc += input[t * k + p] * l.w[j * k + p];
      y[t * out + j] = acc;
    }
  }
  return y;
}

inline void RefNorm(Matrix& x, size_t n, size_t h, const LayerNormWeights& ln, double eps) {
  for (size_t t = 0; t < n; ++t) {
    double mean = 0, var = 0;
    for (size_t j = 0; j < h; ++j) mean += x[t * h + j];
    mean /= static_cast<double>(h);
    for (size_t j = 0; j < h; ++j) var += (x[t * h + j] - mean) * (x[t * h + j] - mean);
    var /= static_cast<double>(h);
    for (size_t j = 0; j < h; ++j) {
      x[t * h + j] = (x[t * h + j] - mean) / std::sqrt(var + eps) * ln.gamma[j] + ln.beta[j];
    }
  }
}

// The last hidden state of fp32 weights, computed from the definitions.
inline std::vector<float> ReferenceHidden(const BertWeights& w, const std::vector<int32_t>& ids) {
  const BertConfig& c = w.config;
  const size_t n = ids.size(), h = static_cast<size_t>(c.hidden_size);
  const size_t e = static_cast<size_t>(c.embedding_size > 0 ? c.embedding_size : c.hidden_size);
  Matrix words(n * e);
  for (size_t t = 0; t < n; ++t) {
    for (size_t j = 0; j < e; ++j) words[t * e + j] = w.word_embeddings[ids[t] * e + j];
  }
  Matrix x = w.word_projection ? RefLinear(*w.word_projection, words, n) : words;
  for (size_t t = 0; t < n; ++t) {
    for (size_t j = 0; j < h; ++j) {
      if (!w.token_type_embeddings.empty()) x[t * h + j] += w.token_type_embeddings[j];
      x[t * h + j] += w.position_embeddings[t * h + j];
    }
  }
  RefNorm(x, n, h, w.embedding_norm, c.layer_norm_eps);
  for (int li = 0; li < c.num_layers; ++li) {
    const EncoderLayerWeights& l = w.layers[static_cast<size_t>(c.LayerSource(li))];
    const size_t heads = static_cast<size_t>(c.LayerHeads(li)),
                 d = static_cast<size_t>(c.head_size()), a = heads * d;
    const Matrix qkv = RefLinear(l.qkv, x, n);
    Matrix ctx(n * a, 0.0);
    for (size_t k = 0; k < heads; ++k) {
      for (size_t i = 0; i < n; ++i) {
        std::vector<double> s(n);
        double mx = -1e300, sum = 0;
        for (size_t j = 0; j < n; ++j) {
          double dot = 0;
          for (size_t p = 0; p < d; ++p)
            dot += qkv[i * 3 * a + k * d + p] * qkv[j * 3 * a + a + k * d + p];
          s[j] = dot / std::sqrt(static_cast<double>(d));
          mx = std::max(mx, s[j]);
        }
        for (double& v : s) sum += (v = std::exp(v - mx));
        for (size_t j = 0; j < n; ++j) {
          for (size_t p = 0; p < d; ++p)
            ctx[i * a + k * d + p] += s[j] / sum * qkv[j * 3 * a + 2 * a + k * d + p];
        }
      }
    }
    Matrix attn = RefLinear(l.attention_output, ctx, n);
    for (size_t i = 0; i < n * h; ++i) attn[i] += x[i];
    RefNorm(attn, n, h, l.attention_norm, c.layer_norm_eps);
    Matrix inner = RefLinear(l.ffn_in, attn, n);
    for (double& v : inner) v = RefActivation(c.hidden_act, v);
    x = RefLinear(l.ffn_out, inner, n);
    for (size_t i = 0; i < n * h; ++i) x[i] += attn[i];
    RefNorm(x, n, h, l.ffn_norm, c.layer_norm_eps);
  }
  return std::vector<float>(x.begin(), x.end());
}

inline double MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return 1e30;
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(static_cast<double>(a[i]) - b[i]));
  return m;
}

}  // namespace hb::testing

#endif  // HB_TESTS_COMPRESS_TEST_UTIL_H_
