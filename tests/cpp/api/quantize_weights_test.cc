// QuantizeLinearInt8 / QuantizeEmbeddingsInt8 / QuantizeModel (quant/quantize_weights.h): the
// kernels' int8 rule exactly, heads left fp32, fp16 rounding, and errors that leave the weights
// untouched.
#include "quant/quantize_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/int8_kernels.h"

namespace hb {
namespace {

// Deterministic values with ties (x.5 after scaling), zeros and an all-zero row.
LinearWeights MakeLinear(int out, int in) {
  LinearWeights l;
  l.out = out;
  l.in = in;
  uint32_t state = 12345;
  for (int j = 0; j < out; ++j) {
    for (int p = 0; p < in; ++p) {
      state = state * 1664525u + 1013904223u;
      const float v = static_cast<float>(static_cast<int>(state >> 20) - 2048) / 256.0f;
      l.w.push_back(j == 2 ? 0.0f : v);
    }
    l.b.push_back(static_cast<float>(j));
  }
  return l;
}

TEST(QuantizeWeightsTest, LinearMatchesTheKernelPackingRule) {
  LinearWeights l = MakeLinear(13, 37);
  const std::vector<float> w = l.w;
  QuantizeLinearInt8(l);
  ASSERT_TRUE(l.quantized());
  EXPECT_TRUE(l.w.empty());
  // QuantizePackWeightsInt8 is what load-time int8 inference uses; packing our q and scales must
  // give the same packed bytes and scales.
  const PackedInt8 direct = QuantizePackWeightsInt8(w.data(), 13, 37);
  const PackedInt8 ours = PackInt8Weights(l.w_q.data(), l.w_scale.data(), 13, 37);
  EXPECT_EQ(direct.data, ours.data);
  EXPECT_EQ(direct.scales, ours.scales);
  EXPECT_EQ(direct.col_sums, ours.col_sums);
  EXPECT_EQ(l.w_scale[2], 0.0f);  // all-zero row
  for (int j = 0; j < 13; ++j) {
    float amax = 0;
    for (int p = 0; p < 37; ++p) amax = std::max(amax, std::fabs(w[j * 37 + p]));
    EXPECT_EQ(l.w_scale[j], amax / 127.0f);
    for (int p = 0; p < 37; ++p) {
      EXPECT_LE(std::abs(static_cast<int>(l.w_q[j * 37 + p])), 127);
      if (amax > 0) {
        EXPECT_LE(std::fabs(l.w_q[j * 37 + p] * l.w_scale[j] - w[j * 37 + p]),
                  0.5f * l.w_scale[j] * 1.0001f);
      }
    }
  }
  const std::vector<int8_t> q = l.w_q;
  QuantizeLinearInt8(l);  // idempotent
  EXPECT_EQ(l.w_q, q);
}

BertWeights MakeModel() {
  BertWeights w;
  BertConfig& c = w.config;
  c.task = TaskKind::kSequenceClassification;
  c.vocab_size = 11;
  c.hidden_size = 8;
  c.num_layers = 2;
  c.num_heads = 2;
  c.intermediate_size = 12;
  c.max_position_embeddings = 7;
  c.type_vocab_size = 2;
  c.labels = {"a", "b"};
  w.word_embeddings = MakeLinear(11, 8).w;
  w.position_embeddings = std::vector<float>(7 * 8, 0.1f);
  w.token_type_embeddings = std::vector<float>(2 * 8, 0.1f);
  for (int i = 0; i < 2; ++i) {
    EncoderLayerWeights l;
    l.qkv = MakeLinear(24, 8);
    l.attention_output = MakeLinear(8, 8);
    l.ffn_in = MakeLinear(12, 8);
    l.ffn_out = MakeLinear(8, 12);
    w.layers.push_back(l);
  }
  w.pooler = MakeLinear(8, 8);
  w.classifier = MakeLinear(2, 8);
  ExitHeadWeights head;
  head.layer = 0;
  head.pooler = MakeLinear(8, 8);
  head.classifier = MakeLinear(2, 8);
  w.exit_heads.push_back(head);
  return w;
}

TEST(QuantizeWeightsTest, Int8ModelQuantizesEncoderAndWordEmbeddingsOnly) {
  BertWeights w = MakeModel();
  const BertWeights original = w;
  ASSERT_TRUE(QuantizeModel(w, ModelDtype::kInt8).ok());
  for (const EncoderLayerWeights& l : w.layers) {
    for (const LinearWeights* lin : {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out}) {
      EXPECT_TRUE(lin->quantized());
    }
  }
  EXPECT_TRUE(w.word_embeddings.empty());
  EXPECT_EQ(w.word_embeddings_q.size(), 11u * 8);
  EXPECT_EQ(w.word_embeddings_scale.size(), 11u);
  // Per-row: each row's scale is its own max / 127.
  for (int r = 0; r < 11; ++r) {
    float amax = 0;
    for (int p = 0; p < 8; ++p)
      amax = std::max(amax, std::fabs(original.word_embeddings[r * 8 + p]));
    EXPECT_EQ(w.word_embeddings_scale[r], amax / 127.0f);
  }
  // Heads stay fp32, bit for bit.
  EXPECT_FALSE(w.pooler->quantized());
  EXPECT_EQ(w.pooler->w, original.pooler->w);
  EXPECT_EQ(w.classifier->w, original.classifier->w);
  EXPECT_EQ(w.exit_heads[0].pooler.w, original.exit_heads[0].pooler.w);
  EXPECT_FALSE(w.exit_heads[0].classifier.quantized());
  // Position embeddings are stored F16 in int8 files.
  EXPECT_EQ(w.position_embeddings[0], RoundToHalf(0.1f));
  EXPECT_NE(w.position_embeddings[0], 0.1f);
}

TEST(QuantizeWeightsTest, Fp16RoundsDenseAndEmbeddingsAndKeepsTheRest) {
  BertWeights w = MakeModel();
  const BertWeights original = w;
  ASSERT_TRUE(QuantizeModel(w, ModelDtype::kFp16).ok());
  for (size_t i = 0; i < w.layers[0].ffn_in.w.size(); ++i) {
    EXPECT_EQ(w.layers[0].ffn_in.w[i], RoundToHalf(original.layers[0].ffn_in.w[i]));
  }
  EXPECT_FALSE(w.layers[0].ffn_in.quantized());
  EXPECT_EQ(w.layers[0].ffn_in.b, original.layers[0].ffn_in.b);
  EXPECT_EQ(w.pooler->w, original.pooler->w);
  BertWeights same = original;
  ASSERT_TRUE(QuantizeModel(same, ModelDtype::kFp32).ok());
  EXPECT_EQ(same.layers[1].qkv.w, original.layers[1].qkv.w);
}

TEST(QuantizeWeightsTest, MismatchedSizesAreErrorsAndChangeNothing) {
  BertWeights w = MakeModel();
  w.layers[1].ffn_out.w.pop_back();
  Status s = QuantizeModel(w, ModelDtype::kInt8);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("layers.1.ffn_out"), std::string::npos) << s.message();
  EXPECT_FALSE(w.layers[0].qkv.quantized());
  EXPECT_FALSE(w.word_embeddings.empty());
  BertWeights e = MakeModel();
  e.word_embeddings.resize(5);
  s = QuantizeModel(e, ModelDtype::kInt8);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("word embeddings"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace hb
