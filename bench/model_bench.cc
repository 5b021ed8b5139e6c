// End-to-end encoder speed on BERT shapes with random weights: fp32 vs int8 and 1 vs 2 threads,
// batch 1 x {16, 128} and 8 x 128 tokens. A plain main, natively and under node:
//   hb_model_bench [shape=demo|minilm|bert-base|all] [seconds_per_case]
// Wall-clock medians after warm-up (V8 tiers up; thread wake-ups need warm caches).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/thread_pool.h"
#include "format/model_file.h"
#include "model/bert_encoder.h"
#include "quant/quantize_weights.h"

namespace hb {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Shape {
  const char* name;
  int hidden, layers, heads, ffn;
};

uint32_t g_seed = 12345;
float Rand(float scale) {
  g_seed = g_seed * 1664525u + 1013904223u;
  return (static_cast<float>(g_seed >> 8) * (1.0f / 16777216.0f) - 0.5f) * 2 * scale;
}
std::vector<float> RandVec(size_t n, float scale) {
  std::vector<float> v(n);
  for (float& x : v) x = Rand(scale);
  return v;
}
LinearWeights RandLinear(int out, int in) {
  LinearWeights l;
  l.out = out;
  l.in = in;
  l.w = RandVec(static_cast<size_t>(out) * in, 1.0f / std::sqrt(static_cast<float>(in)));
  l.b = RandVec(static_cast<size_t>(out), 0.1f);
  return l;
}
LayerNormWeights RandNorm(int h) {
  LayerNormWeights n;
  n.gamma.assign(static_cast<size_t>(h), 1.0f);
  n.beta = RandVec(static_cast<size_t>(h), 0.1f);
  return n;
}

BertWeights RandomModel(const Shape& s) {
  BertWeights w;
  BertConfig& c = w.config;
  c.family = ModelFamily::kBert;
  c.task = TaskKind::kSequenceClassification;
  c.architecture = "BertForSequenceClassification";
  c.vocab_size = 8000;
  c.hidden_size = s.hidden;
  c.num_layers = s.layers;
  c.num_heads = s.heads;
  c.intermediate_size = s.ffn;
  c.max_position_embeddings = 512;
  c.type_vocab_size = 2;
  c.labels = {"negative", "positive"};
  const size_t h = static_cast<size_t>(s.hidden);
  w.word_embeddings = RandVec(8000 * h, 0.5f);
  w.position_embeddings = RandVec(512 * h, 0.5f);
  w.token_type_embeddings = RandVec(2 * h, 0.5f);
  w.embedding_norm = RandNorm(s.hidden);
  for (int l = 0; l < s.layers; ++l) {
    EncoderLayerWeights e;
    e.qkv = RandLinear(3 * s.hidden, s.hidden);
    e.attention_output = RandLinear(s.hidden, s.hidden);
    e.attention_norm = RandNorm(s.hidden);
    e.ffn_in = RandLinear(s.ffn, s.hidden);
    e.ffn_out = RandLinear(s.hidden, s.ffn);
    e.ffn_norm = RandNorm(s.hidden);
    w.layers.push_back(std::move(e));
  }
  w.pooler = RandLinear(s.hidden, s.hidden);
  w.classifier = RandLinear(2, s.hidden);
  return w;
}

PackedBatch MakeBatch(int batch, int tokens) {
  PackedBatch b;
  for (int s = 0; s < batch; ++s) {
    for (int t = 0; t < tokens; ++t) {
      b.ids.push_back(t == 0 ? 2 : 100 + (s * 31 + t * 7) % 7000);
      b.type_ids.push_back(0);
      b.positions.push_back(t);
    }
    b.starts.push_back(b.ids.size());
  }
  return b;
}

double MedianMs(const BertEncoder& enc, const PackedBatch& batch, ThreadPool* pool, double budget) {
  ForwardOptions fo;
  for (int i = 0; i < 2; ++i) (void)enc.Forward(batch, fo, pool);
  std::vector<double> times;
  const double end = Now() + budget;
  do {
    const double t0 = Now();
    (void)enc.Forward(batch, fo, pool);
    times.push_back((Now() - t0) * 1e3);
  } while (Now() < end || times.size() < 3);
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace
}  // namespace hb

int main(int argc, char** argv) {
  using namespace hb;
  const std::string which = argc > 1 ? argv[1] : "all";
  const double budget = argc > 2 ? std::atof(argv[2]) : 1.0;
  const Shape shapes[] = {
      {"demo", 256, 4, 4, 768}, {"minilm", 384, 6, 12, 1536}, {"bert-base", 768, 12, 12, 3072}};
  ThreadPool two(2);
  const bool threads = two.num_threads() == 2;
  std::printf("shape      batch x tokens | fp32 1T ms | int8 1T ms | int8 speed-up |%s\n",
              threads ? " fp32 2T ms | int8 2T ms | 2T/1T fp32 | 2T/1T int8" : " (no threads)");
  for (const Shape& s : shapes) {
    if (which != "all" && which != s.name) continue;
    auto fp32 = BertEncoder::Create(RandomModel(s));
    BertWeights q = RandomModel(s);
    if (!QuantizeModel(q, ModelDtype::kInt8).ok()) return 1;
    auto int8 = BertEncoder::Create(std::move(q));
    if (!fp32.ok() || !int8.ok()) return 1;
    for (auto [b, t] : {std::pair{1, 16}, std::pair{1, 128}, std::pair{8, 128}}) {
      const PackedBatch batch = MakeBatch(b, t);
      const double f1 = MedianMs(**fp32, batch, nullptr, budget);
      const double i1 = MedianMs(**int8, batch, nullptr, budget);
      std::printf("%-10s %5d x %-6d | %10.2f | %10.2f | %12.2fx |", s.name, b, t, f1, i1, f1 / i1);
      if (threads) {
        const double f2 = MedianMs(**fp32, batch, &two, budget);
        const double i2 = MedianMs(**int8, batch, &two, budget);
        std::printf(" %10.2f | %10.2f | %9.2fx | %9.2fx", f2, i2, f1 / f2, i1 / i2);
      }
      std::printf("\n");
      std::fflush(stdout);
    }
  }
  return 0;
}
