// LoadBertWeights on synthetic tiny BERT and DistilBERT checkpoints: name mapping (with and
// without prefixes, legacy LayerNorm names), Q/K/V fusion order, heads per architecture, and
// missing, mis-shaped and mistyped tensors.
#include "format/hf_checkpoint.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "format/bert_config.h"
#include "safetensors_builder.h"
#include "status_matchers.h"

namespace hb {
namespace {

using nlohmann::json;
using testing::Bytes;
using testing::IsError;
using testing::SafetensorsBuilder;

constexpr int kVocab = 11, kHidden = 8, kHeads = 2, kInter = 12, kPositions = 7, kTypes = 2,
              kLayers = 2, kLabels = 3;

struct Options {
  bool prefix = true;        // "bert." / "distilbert." on the base model's tensors
  bool legacy_norm = false;  // LayerNorm gamma/beta instead of weight/bias
  bool pooler = true;        // BERT: write pooler.dense.*
};

// A synthetic checkpoint: tensor k (in insertion order) holds 1000 (k + 1) + i at index i, so
// every loaded value tells which tensor and which element it came from.
struct TinyCheckpoint {
  BertConfig config;
  SafetensorsBuilder builder;
  std::map<std::string, float> base;  // full tensor name -> value of its element 0
  std::string prefix;

  void Add(const std::string& name, std::vector<int64_t> shape) {
    const float b = 1000.0f * static_cast<float>(base.size() + 1);
    base[name] = b;
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    std::vector<float> values(static_cast<size_t>(n));
    for (size_t i = 0; i < values.size(); ++i) values[i] = b + static_cast<float>(i);
    builder.AddF32(name, shape, values);
  }
  void AddLinear(const std::string& name, int out, int in) {
    Add(name + ".weight", {out, in});
    Add(name + ".bias", {out});
  }
  void AddNorm(const std::string& name, bool legacy) {
    Add(name + (legacy ? ".gamma" : ".weight"), {kHidden});
    Add(name + (legacy ? ".beta" : ".bias"), {kHidden});
  }
  float Base(const std::string& name) const { return base.at(name); }
  std::string file() const { return builder.Build(); }
};

BertConfig TinyConfig(const std::string& architecture) {
  json j;
  const bool distil = architecture.rfind("DistilBert", 0) == 0;
  if (distil) {
    j = {{"model_type", "distilbert"},
         {"vocab_size", kVocab},
         {"dim", kHidden},
         {"n_layers", kLayers},
         {"n_heads", kHeads},
         {"hidden_dim", kInter},
         {"max_position_embeddings", kPositions},
         {"activation", "gelu"}};
  } else {
    j = {{"model_type", "bert"},
         {"vocab_size", kVocab},
         {"hidden_size", kHidden},
         {"num_hidden_layers", kLayers},
         {"num_attention_heads", kHeads},
         {"intermediate_size", kInter},
         {"max_position_embeddings", kPositions},
         {"type_vocab_size", kTypes}};
  }
  j["architectures"] = {architecture};
  j["num_labels"] = kLabels;
  auto config = ParseBertConfig(j.dump());
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : BertConfig{};
}

TinyCheckpoint MakeBert(const std::string& architecture, const Options& o = {}) {
  TinyCheckpoint t;
  t.config = TinyConfig(architecture);
  t.prefix = o.prefix ? "bert." : "";
  const std::string p = t.prefix;
  t.Add(p + "embeddings.word_embeddings.weight", {kVocab, kHidden});
  t.Add(p + "embeddings.position_embeddings.weight", {kPositions, kHidden});
  t.Add(p + "embeddings.token_type_embeddings.weight", {kTypes, kHidden});
  t.AddNorm(p + "embeddings.LayerNorm", o.legacy_norm);
  for (int i = 0; i < kLayers; ++i) {
    const std::string l = p + "encoder.layer." + std::to_string(i) + ".";
    t.AddLinear(l + "attention.self.query", kHidden, kHidden);
    t.AddLinear(l + "attention.self.key", kHidden, kHidden);
    t.AddLinear(l + "attention.self.value", kHidden, kHidden);
    t.AddLinear(l + "attention.output.dense", kHidden, kHidden);
    t.AddNorm(l + "attention.output.LayerNorm", o.legacy_norm);
    t.AddLinear(l + "intermediate.dense", kInter, kHidden);
    t.AddLinear(l + "output.dense", kHidden, kInter);
    t.AddNorm(l + "output.LayerNorm", o.legacy_norm);
  }
  if (o.pooler) t.AddLinear(p + "pooler.dense", kHidden, kHidden);
  if (t.config.task != TaskKind::kEncoder) t.AddLinear("classifier", kLabels, kHidden);
  return t;
}

TinyCheckpoint MakeDistilBert(const std::string& architecture, const Options& o = {}) {
  TinyCheckpoint t;
  t.config = TinyConfig(architecture);
  t.prefix = o.prefix ? "distilbert." : "";
  const std::string p = t.prefix;
  t.Add(p + "embeddings.word_embeddings.weight", {kVocab, kHidden});
  t.Add(p + "embeddings.position_embeddings.weight", {kPositions, kHidden});
  t.AddNorm(p + "embeddings.LayerNorm", o.legacy_norm);
  for (int i = 0; i < kLayers; ++i) {
    const std::string l = p + "transformer.layer." + std::to_string(i) + ".";
    t.AddLinear(l + "attention.q_lin", kHidden, kHidden);
    t.AddLinear(l + "attention.k_lin", kHidden, kHidden);
    t.AddLinear(l + "attention.v_lin", kHidden, kHidden);
    t.AddLinear(l + "attention.out_lin", kHidden, kHidden);
    t.AddNorm(l + "sa_layer_norm", o.legacy_norm);
    t.AddLinear(l + "ffn.lin1", kInter, kHidden);
    t.AddLinear(l + "ffn.lin2", kHidden, kInter);
    t.AddNorm(l + "output_layer_norm", o.legacy_norm);
  }
  if (t.config.task == TaskKind::kSequenceClassification) {
    t.AddLinear("pre_classifier", kHidden, kHidden);
  }
  if (t.config.task != TaskKind::kEncoder) t.AddLinear("classifier", kLabels, kHidden);
  return t;
}

StatusOr<BertWeights> Load(const BertConfig& config, const std::string& file) {
  auto reader = SafetensorsReader::Parse(Bytes(file), file.size());
  if (!reader.ok()) return reader.status();
  return LoadBertWeights(config, *reader);
}

// v[i] == base + i for i in [0, n).
::testing::AssertionResult HoldsPattern(const std::vector<float>& v, size_t offset, size_t n,
                                        float base) {
  if (v.size() < offset + n) return ::testing::AssertionFailure() << "size " << v.size();
  for (size_t i = 0; i < n; ++i) {
    if (v[offset + i] != base + static_cast<float>(i)) {
      return ::testing::AssertionFailure() << "element " << offset + i << " is " << v[offset + i]
                                           << ", expected " << base + static_cast<float>(i);
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsLinear(const LinearWeights& w, int out, int in, float w_base,
                                    float b_base) {
  if (w.out != out || w.in != in) {
    return ::testing::AssertionFailure() << "dims " << w.out << "x" << w.in;
  }
  if (w.w.size() != static_cast<size_t>(out) * in || w.b.size() != static_cast<size_t>(out)) {
    return ::testing::AssertionFailure() << "sizes " << w.w.size() << ", " << w.b.size();
  }
  auto r = HoldsPattern(w.w, 0, w.w.size(), w_base);
  return r ? HoldsPattern(w.b, 0, w.b.size(), b_base) : r;
}

TEST(HfCheckpointTest, LoadsBertModelAndFusesQkvInOrder) {
  const TinyCheckpoint t = MakeBert("BertModel");
  auto w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  EXPECT_EQ(w->config.architecture, "BertModel");
  EXPECT_TRUE(HoldsPattern(w->word_embeddings, 0, kVocab * kHidden,
                           t.Base("bert.embeddings.word_embeddings.weight")));
  EXPECT_TRUE(HoldsPattern(w->position_embeddings, 0, kPositions * kHidden,
                           t.Base("bert.embeddings.position_embeddings.weight")));
  EXPECT_TRUE(HoldsPattern(w->token_type_embeddings, 0, kTypes * kHidden,
                           t.Base("bert.embeddings.token_type_embeddings.weight")));
  EXPECT_TRUE(HoldsPattern(w->embedding_norm.gamma, 0, kHidden,
                           t.Base("bert.embeddings.LayerNorm.weight")));
  EXPECT_TRUE(
      HoldsPattern(w->embedding_norm.beta, 0, kHidden, t.Base("bert.embeddings.LayerNorm.bias")));
  ASSERT_EQ(w->layers.size(), static_cast<size_t>(kLayers));
  for (int i = 0; i < kLayers; ++i) {
    SCOPED_TRACE("layer " + std::to_string(i));
    const std::string l = "bert.encoder.layer." + std::to_string(i) + ".";
    const EncoderLayerWeights& layer = w->layers[i];
    ASSERT_EQ(layer.qkv.out, 3 * kHidden);
    ASSERT_EQ(layer.qkv.in, kHidden);
    const size_t hh = kHidden * kHidden;
    // Rows Q, then K, then V; biases likewise.
    EXPECT_TRUE(HoldsPattern(layer.qkv.w, 0, hh, t.Base(l + "attention.self.query.weight")));
    EXPECT_TRUE(HoldsPattern(layer.qkv.w, hh, hh, t.Base(l + "attention.self.key.weight")));
    EXPECT_TRUE(HoldsPattern(layer.qkv.w, 2 * hh, hh, t.Base(l + "attention.self.value.weight")));
    EXPECT_EQ(layer.qkv.w.size(), 3 * hh);
    EXPECT_TRUE(HoldsPattern(layer.qkv.b, 0, kHidden, t.Base(l + "attention.self.query.bias")));
    EXPECT_TRUE(HoldsPattern(layer.qkv.b, kHidden, kHidden, t.Base(l + "attention.self.key.bias")));
    EXPECT_TRUE(
        HoldsPattern(layer.qkv.b, 2 * kHidden, kHidden, t.Base(l + "attention.self.value.bias")));
    EXPECT_EQ(layer.qkv.b.size(), 3u * kHidden);
    EXPECT_TRUE(IsLinear(layer.attention_output, kHidden, kHidden,
                         t.Base(l + "attention.output.dense.weight"),
                         t.Base(l + "attention.output.dense.bias")));
    EXPECT_TRUE(HoldsPattern(layer.attention_norm.gamma, 0, kHidden,
                             t.Base(l + "attention.output.LayerNorm.weight")));
    EXPECT_TRUE(HoldsPattern(layer.attention_norm.beta, 0, kHidden,
                             t.Base(l + "attention.output.LayerNorm.bias")));
    EXPECT_TRUE(IsLinear(layer.ffn_in, kInter, kHidden, t.Base(l + "intermediate.dense.weight"),
                         t.Base(l + "intermediate.dense.bias")));
    EXPECT_TRUE(IsLinear(layer.ffn_out, kHidden, kInter, t.Base(l + "output.dense.weight"),
                         t.Base(l + "output.dense.bias")));
    EXPECT_TRUE(
        HoldsPattern(layer.ffn_norm.gamma, 0, kHidden, t.Base(l + "output.LayerNorm.weight")));
    EXPECT_TRUE(HoldsPattern(layer.ffn_norm.beta, 0, kHidden, t.Base(l + "output.LayerNorm.bias")));
  }
  ASSERT_TRUE(w->pooler.has_value());
  EXPECT_TRUE(IsLinear(*w->pooler, kHidden, kHidden, t.Base("bert.pooler.dense.weight"),
                       t.Base("bert.pooler.dense.bias")));
  EXPECT_FALSE(w->classifier.has_value());
  EXPECT_FALSE(w->pre_classifier.has_value());
}

TEST(HfCheckpointTest, PoolerIsOptionalForBertModel) {
  Options o;
  o.pooler = false;
  const TinyCheckpoint t = MakeBert("BertModel", o);
  auto w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  EXPECT_FALSE(w->pooler.has_value());
  // A pooler weight without its bias is an error, not "no pooler".
  TinyCheckpoint half = MakeBert("BertModel");
  half.builder.Remove("bert.pooler.dense.bias");
  EXPECT_TRUE(IsError(Load(half.config, half.file()), StatusCode::kInvalidModel,
                      "missing tensor 'pooler.dense.bias'"));
}

TEST(HfCheckpointTest, LoadsBertClassifiers) {
  TinyCheckpoint t = MakeBert("BertForSequenceClassification");
  auto w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  ASSERT_TRUE(w->pooler.has_value());
  ASSERT_TRUE(w->classifier.has_value());
  EXPECT_TRUE(IsLinear(*w->classifier, kLabels, kHidden, t.Base("classifier.weight"),
                       t.Base("classifier.bias")));
  EXPECT_FALSE(w->pre_classifier.has_value());

  // Token classification has no pooler; one in the file is ignored.
  t = MakeBert("BertForTokenClassification");
  w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  EXPECT_FALSE(w->pooler.has_value());
  ASSERT_TRUE(w->classifier.has_value());
  EXPECT_TRUE(IsLinear(*w->classifier, kLabels, kHidden, t.Base("classifier.weight"),
                       t.Base("classifier.bias")));
  Options o;
  o.pooler = false;
  t = MakeBert("BertForTokenClassification", o);
  HB_ASSERT_OK(Load(t.config, t.file()));

  t = MakeBert("BertForSequenceClassification", o);
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kInvalidModel,
                      "missing tensor 'pooler.dense.weight'"));
}

TEST(HfCheckpointTest, LoadsDistilBertArchitectures) {
  TinyCheckpoint t = MakeDistilBert("DistilBertModel");
  auto w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  EXPECT_TRUE(w->token_type_embeddings.empty());
  EXPECT_TRUE(HoldsPattern(w->word_embeddings, 0, kVocab * kHidden,
                           t.Base("distilbert.embeddings.word_embeddings.weight")));
  EXPECT_TRUE(HoldsPattern(w->embedding_norm.beta, 0, kHidden,
                           t.Base("distilbert.embeddings.LayerNorm.bias")));
  ASSERT_EQ(w->layers.size(), static_cast<size_t>(kLayers));
  const std::string l = "distilbert.transformer.layer.1.";
  const EncoderLayerWeights& layer = w->layers[1];
  const size_t hh = kHidden * kHidden;
  EXPECT_TRUE(HoldsPattern(layer.qkv.w, 0, hh, t.Base(l + "attention.q_lin.weight")));
  EXPECT_TRUE(HoldsPattern(layer.qkv.w, hh, hh, t.Base(l + "attention.k_lin.weight")));
  EXPECT_TRUE(HoldsPattern(layer.qkv.w, 2 * hh, hh, t.Base(l + "attention.v_lin.weight")));
  EXPECT_TRUE(HoldsPattern(layer.qkv.b, 0, kHidden, t.Base(l + "attention.q_lin.bias")));
  EXPECT_TRUE(HoldsPattern(layer.qkv.b, kHidden, kHidden, t.Base(l + "attention.k_lin.bias")));
  EXPECT_TRUE(HoldsPattern(layer.qkv.b, 2 * kHidden, kHidden, t.Base(l + "attention.v_lin.bias")));
  EXPECT_TRUE(IsLinear(layer.attention_output, kHidden, kHidden,
                       t.Base(l + "attention.out_lin.weight"),
                       t.Base(l + "attention.out_lin.bias")));
  EXPECT_TRUE(
      HoldsPattern(layer.attention_norm.gamma, 0, kHidden, t.Base(l + "sa_layer_norm.weight")));
  EXPECT_TRUE(IsLinear(layer.ffn_in, kInter, kHidden, t.Base(l + "ffn.lin1.weight"),
                       t.Base(l + "ffn.lin1.bias")));
  EXPECT_TRUE(IsLinear(layer.ffn_out, kHidden, kInter, t.Base(l + "ffn.lin2.weight"),
                       t.Base(l + "ffn.lin2.bias")));
  EXPECT_TRUE(HoldsPattern(layer.ffn_norm.beta, 0, kHidden, t.Base(l + "output_layer_norm.bias")));
  EXPECT_FALSE(w->pooler.has_value());
  EXPECT_FALSE(w->classifier.has_value());

  t = MakeDistilBert("DistilBertForSequenceClassification");
  w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  ASSERT_TRUE(w->pre_classifier.has_value());
  EXPECT_TRUE(IsLinear(*w->pre_classifier, kHidden, kHidden, t.Base("pre_classifier.weight"),
                       t.Base("pre_classifier.bias")));
  ASSERT_TRUE(w->classifier.has_value());
  EXPECT_TRUE(IsLinear(*w->classifier, kLabels, kHidden, t.Base("classifier.weight"),
                       t.Base("classifier.bias")));

  t = MakeDistilBert("DistilBertForTokenClassification");
  w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  EXPECT_FALSE(w->pre_classifier.has_value());
  ASSERT_TRUE(w->classifier.has_value());
}

TEST(HfCheckpointTest, AcceptsNamesWithoutPrefixAndLegacyNorms) {
  Options o;
  o.prefix = false;
  o.legacy_norm = true;
  for (const char* arch : {"BertModel", "BertForSequenceClassification"}) {
    SCOPED_TRACE(arch);
    const TinyCheckpoint t = MakeBert(arch, o);
    auto w = Load(t.config, t.file());
    HB_ASSERT_OK(w);
    EXPECT_TRUE(HoldsPattern(w->word_embeddings, 0, kVocab * kHidden,
                             t.Base("embeddings.word_embeddings.weight")));
    EXPECT_TRUE(
        HoldsPattern(w->embedding_norm.gamma, 0, kHidden, t.Base("embeddings.LayerNorm.gamma")));
    EXPECT_TRUE(HoldsPattern(w->layers[0].ffn_norm.beta, 0, kHidden,
                             t.Base("encoder.layer.0.output.LayerNorm.beta")));
  }
  const TinyCheckpoint d = MakeDistilBert("DistilBertForSequenceClassification", o);
  auto w = Load(d.config, d.file());
  HB_ASSERT_OK(w);
  EXPECT_TRUE(HoldsPattern(w->layers[1].attention_norm.gamma, 0, kHidden,
                           d.Base("transformer.layer.1.sa_layer_norm.gamma")));
}

TEST(HfCheckpointTest, ConvertsHalfPrecisionTensors) {
  TinyCheckpoint t = MakeBert("BertModel");
  // Values i / 4 are exact in both F16 and BF16.
  std::vector<uint16_t> f16(kVocab * kHidden), bf16(kPositions * kHidden);
  for (size_t i = 0; i < f16.size(); ++i) f16[i] = testing::ExactHalf(i / 4.0f);
  for (size_t i = 0; i < bf16.size(); ++i) {
    const float f = i / 4.0f;
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    bf16[i] = static_cast<uint16_t>(bits >> 16);
  }
  t.builder.Remove("bert.embeddings.word_embeddings.weight")
      .Add16("bert.embeddings.word_embeddings.weight", "F16", {kVocab, kHidden}, f16)
      .Remove("bert.embeddings.position_embeddings.weight")
      .Add16("bert.embeddings.position_embeddings.weight", "BF16", {kPositions, kHidden}, bf16);
  auto w = Load(t.config, t.file());
  HB_ASSERT_OK(w);
  for (size_t i = 0; i < f16.size(); ++i) ASSERT_EQ(w->word_embeddings[i], i / 4.0f) << i;
  for (size_t i = 0; i < bf16.size(); ++i) ASSERT_EQ(w->position_embeddings[i], i / 4.0f) << i;
}

TEST(HfCheckpointTest, IgnoresExtraTensors) {
  TinyCheckpoint t = MakeBert("BertForSequenceClassification");
  t.Add("cls.predictions.bias", {kVocab});
  t.Add("bert.embeddings.position_ids", {1, kPositions});
  t.builder.AddI32("unused.int_tensor", {2}, {1, 2});
  HB_ASSERT_OK(Load(t.config, t.file()));
}

// Removing any one required tensor gives "missing tensor '<name without prefix>'".
TEST(HfCheckpointTest, ReportsEveryMissingTensor) {
  const std::vector<TinyCheckpoint> models = {MakeBert("BertModel"),
                                              MakeBert("BertForSequenceClassification"),
                                              MakeBert("BertForTokenClassification"),
                                              MakeDistilBert("DistilBertModel"),
                                              MakeDistilBert("DistilBertForSequenceClassification"),
                                              MakeDistilBert("DistilBertForTokenClassification")};
  int checked = 0;
  for (const TinyCheckpoint& model : models) {
    for (const std::string& name : model.builder.Names()) {
      // Pooler tensors are optional except for sequence classification, but a BertModel
      // pooler weight without its bias is an error.
      const TaskKind task = model.config.task;
      const bool optional = name.find("pooler.") != std::string::npos &&
                            task != TaskKind::kSequenceClassification &&
                            !(task == TaskKind::kEncoder && name == "bert.pooler.dense.bias");
      SCOPED_TRACE(model.config.architecture + " without " + name);
      TinyCheckpoint t = model;
      t.builder.Remove(name);
      auto w = Load(t.config, t.file());
      if (optional) {
        HB_ASSERT_OK(w);
        continue;
      }
      const std::string short_name =
          name.rfind(model.prefix, 0) == 0 ? name.substr(model.prefix.size()) : name;
      EXPECT_TRUE(IsError(w, StatusCode::kInvalidModel, "missing tensor '" + short_name + "'"));
      ++checked;
    }
  }
  EXPECT_GT(checked, 150);
}

TEST(HfCheckpointTest, MissingTensorMessageNamesBothLookups) {
  TinyCheckpoint t = MakeBert("BertModel");
  t.builder.Remove("bert.encoder.layer.1.attention.self.query.weight");
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kInvalidModel,
                      "missing tensor 'encoder.layer.1.attention.self.query.weight' (looked for "
                      "'bert.encoder.layer.1.attention.self.query.weight' and "
                      "'encoder.layer.1.attention.self.query.weight')"));
}

TEST(HfCheckpointTest, RejectsWrongShapes) {
  TinyCheckpoint t = MakeBert("BertModel");
  t.builder.Remove("bert.encoder.layer.0.attention.self.key.weight")
      .AddF32("bert.encoder.layer.0.attention.self.key.weight", {kHidden, kHidden + 1},
              std::vector<float>(kHidden * (kHidden + 1)));
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kInvalidModel,
                      "tensor 'bert.encoder.layer.0.attention.self.key.weight' has shape [8, 9] "
                      "but the config needs [8, 8]"));

  // Same number of elements, different shape: still wrong.
  t = MakeBert("BertModel");
  t.builder.Remove("bert.encoder.layer.1.intermediate.dense.weight")
      .AddF32("bert.encoder.layer.1.intermediate.dense.weight", {kHidden, kInter},
              std::vector<float>(kHidden * kInter));
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kInvalidModel,
                      "has shape [8, 12] but the config needs [12, 8]"));

  // A checkpoint for a different vocabulary than config.json says.
  t = MakeBert("BertModel");
  t.builder.Remove("bert.embeddings.word_embeddings.weight")
      .AddF32("bert.embeddings.word_embeddings.weight", {kVocab + 1, kHidden},
              std::vector<float>((kVocab + 1) * kHidden));
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kInvalidModel,
                      "has shape [12, 8] but the config needs [11, 8]"));

  // Classifier trained for 2 labels, config says 3.
  t = MakeBert("BertForSequenceClassification");
  t.builder.Remove("classifier.weight")
      .AddF32("classifier.weight", {2, kHidden}, std::vector<float>(2 * kHidden));
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kInvalidModel,
                      "tensor 'classifier.weight' has shape [2, 8] but the config needs [3, 8] "
                      "(num_labels = 3 from config.json)"));

  // A bias stored as [1, H].
  t = MakeDistilBert("DistilBertModel");
  t.builder.Remove("distilbert.transformer.layer.0.ffn.lin2.bias")
      .AddF32("distilbert.transformer.layer.0.ffn.lin2.bias", {1, kHidden},
              std::vector<float>(kHidden));
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kInvalidModel,
                      "has shape [1, 8] but the config needs [8]"));

  // A BERT config with a DistilBERT checkpoint.
  const TinyCheckpoint d = MakeDistilBert("DistilBertModel");
  EXPECT_TRUE(IsError(Load(TinyConfig("BertModel"), d.file()), StatusCode::kInvalidModel,
                      "missing tensor 'embeddings.word_embeddings.weight'"));
  EXPECT_TRUE(IsError(Load(TinyConfig("BertModel"), d.file()), StatusCode::kInvalidModel,
                      "the checkpoint has 'distilbert.' tensors, so config.json may belong to a "
                      "different model"));
  const TinyCheckpoint b = MakeBert("BertModel");
  EXPECT_TRUE(IsError(Load(TinyConfig("DistilBertModel"), b.file()), StatusCode::kInvalidModel,
                      "the checkpoint has 'bert.' tensors"));
}

TEST(HfCheckpointTest, RejectsNonFloatDTypes) {
  TinyCheckpoint t = MakeBert("BertModel");
  t.builder.Remove("bert.embeddings.LayerNorm.bias")
      .AddI32("bert.embeddings.LayerNorm.bias", {kHidden}, std::vector<int32_t>(kHidden));
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kUnsupported,
                      "tensor 'bert.embeddings.LayerNorm.bias' has dtype I32; weights must be "
                      "F32, F16 or BF16"));
  t = MakeBert("BertModel");
  t.builder.Remove("bert.pooler.dense.weight")
      .AddRaw("bert.pooler.dense.weight", "F64", {kHidden, kHidden},
              std::string(8 * kHidden * kHidden, '\0'));
  EXPECT_TRUE(IsError(Load(t.config, t.file()), StatusCode::kUnsupported, "has dtype F64"));
}

TEST(HfCheckpointTest, RejectsInconsistentHandMadeConfigs) {
  const TinyCheckpoint t = MakeBert("BertForSequenceClassification");
  BertConfig config = t.config;
  config.labels.clear();
  EXPECT_TRUE(IsError(Load(config, t.file()), StatusCode::kInvalidArgument, "has no labels"));
  config = t.config;
  config.hidden_size = 0;
  EXPECT_TRUE(IsError(Load(config, t.file()), StatusCode::kInvalidArgument,
                      "non-positive or oversized dimension"));
}

}  // namespace
}  // namespace hb
