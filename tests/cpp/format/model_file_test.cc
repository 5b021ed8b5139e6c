// The hummingbert model file (format/model_file.h): fp32/fp16 round trips on every fixture
// checkpoint, int8 tensors and exit heads, determinism, alignment, hostile files (truncated,
// wrong format/version, missing or lying tensors, bad scales), fp16 conversion, and the int8 size
// ratio of a BERT-base-shaped model. Load-time quantization (hb_model) is in tests/cpp/api.
#include "format/model_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "checkpoint_fixture.h"
#include "format/bert_config.h"
#include "format/exit_heads.h"
#include "format/hf_checkpoint.h"
#include "format/safetensors_reader.h"
#include "kernels/int8_kernels.h"
#include "safetensors_builder.h"
#include "status_matchers.h"

namespace hb {
namespace {

using nlohmann::json;
using testing::Bytes;
using testing::Checkpoint;
using testing::IsError;
using testing::LoadCheckpoint;
using testing::ModelDir;
using testing::Slurp;

constexpr const char* kFixtures[] = {"bert_encoder",      "bert_encoder_odd",   "bert_seqcls",
                                     "bert_tokcls_cased", "distilbert_encoder", "distilbert_seqcls",
                                     "distilbert_tokcls"};

// The test's own int8 quantization (QuantizeModel lives in hb_model): the kernel rule.
void QuantizeForTest(BertWeights& w) {
  auto q = [](LinearWeights& l) {
    l.w_q.resize(l.w.size());
    l.w_scale.resize(static_cast<size_t>(l.out));
    QuantizeRowsInt8(l.out, l.in, l.w.data(), l.in, l.w_q.data(), l.in, l.w_scale.data());
    l.w.clear();
  };
  for (EncoderLayerWeights& l : w.layers) {
    for (LinearWeights* lin : {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out}) q(*lin);
  }
  const size_t v = w.config.vocab_size, h = w.config.hidden_size;
  w.word_embeddings_q.resize(v * h);
  w.word_embeddings_scale.resize(v);
  QuantizeRowsInt8(v, h, w.word_embeddings.data(), h, w.word_embeddings_q.data(), h,
                   w.word_embeddings_scale.data());
  w.word_embeddings.clear();
  for (float& x : w.position_embeddings) x = RoundToHalf(x);
  for (float& x : w.token_type_embeddings) x = RoundToHalf(x);
}

std::vector<float> Half(std::vector<float> v) {
  for (float& x : v) x = RoundToHalf(x);
  return v;
}

// Bitwise float vector equality (NaN-safe, -0 != +0).
::testing::AssertionResult SameBits(const std::vector<float>& a, const std::vector<float>& b,
                                    const std::string& what) {
  if (a.size() != b.size()) {
    return ::testing::AssertionFailure() << what << ": size " << a.size() << " vs " << b.size();
  }
  if (!a.empty() && std::memcmp(a.data(), b.data(), a.size() * 4) != 0) {
    return ::testing::AssertionFailure() << what << ": values differ";
  }
  return ::testing::AssertionSuccess();
}

void ExpectLinearEq(const LinearWeights& a, const LinearWeights& b, const std::string& what) {
  EXPECT_EQ(a.out, b.out) << what;
  EXPECT_EQ(a.in, b.in) << what;
  EXPECT_TRUE(SameBits(a.w, b.w, what + ".w"));
  EXPECT_EQ(a.w_q, b.w_q) << what;
  EXPECT_TRUE(SameBits(a.w_scale, b.w_scale, what + ".w_scale"));
  EXPECT_TRUE(SameBits(a.b, b.b, what + ".b"));
}

void ExpectWeightsEq(const BertWeights& a, const BertWeights& b) {
  const BertConfig &ca = a.config, &cb = b.config;
  EXPECT_EQ(ca.family, cb.family);
  EXPECT_EQ(ca.task, cb.task);
  EXPECT_EQ(ca.architecture, cb.architecture);
  EXPECT_EQ(ca.vocab_size, cb.vocab_size);
  EXPECT_EQ(ca.hidden_size, cb.hidden_size);
  EXPECT_EQ(ca.num_layers, cb.num_layers);
  EXPECT_EQ(ca.num_heads, cb.num_heads);
  EXPECT_EQ(ca.intermediate_size, cb.intermediate_size);
  EXPECT_EQ(ca.max_position_embeddings, cb.max_position_embeddings);
  EXPECT_EQ(ca.type_vocab_size, cb.type_vocab_size);
  EXPECT_EQ(ca.pad_token_id, cb.pad_token_id);
  EXPECT_EQ(ca.hidden_act, cb.hidden_act);
  EXPECT_EQ(ca.layer_norm_eps, cb.layer_norm_eps);
  EXPECT_EQ(ca.labels, cb.labels);
  EXPECT_TRUE(SameBits(a.word_embeddings, b.word_embeddings, "word_embeddings"));
  EXPECT_EQ(a.word_embeddings_q, b.word_embeddings_q);
  EXPECT_TRUE(SameBits(a.word_embeddings_scale, b.word_embeddings_scale, "word scale"));
  EXPECT_TRUE(SameBits(a.position_embeddings, b.position_embeddings, "position"));
  EXPECT_TRUE(SameBits(a.token_type_embeddings, b.token_type_embeddings, "token_type"));
  EXPECT_TRUE(SameBits(a.embedding_norm.gamma, b.embedding_norm.gamma, "emb norm"));
  EXPECT_TRUE(SameBits(a.embedding_norm.beta, b.embedding_norm.beta, "emb norm"));
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) {
    const std::string p = "layer " + std::to_string(i) + " ";
    ExpectLinearEq(a.layers[i].qkv, b.layers[i].qkv, p + "qkv");
    ExpectLinearEq(a.layers[i].attention_output, b.layers[i].attention_output, p + "attn_out");
    ExpectLinearEq(a.layers[i].ffn_in, b.layers[i].ffn_in, p + "ffn_in");
    ExpectLinearEq(a.layers[i].ffn_out, b.layers[i].ffn_out, p + "ffn_out");
    EXPECT_TRUE(SameBits(a.layers[i].attention_norm.gamma, b.layers[i].attention_norm.gamma, p));
    EXPECT_TRUE(SameBits(a.layers[i].attention_norm.beta, b.layers[i].attention_norm.beta, p));
    EXPECT_TRUE(SameBits(a.layers[i].ffn_norm.gamma, b.layers[i].ffn_norm.gamma, p));
    EXPECT_TRUE(SameBits(a.layers[i].ffn_norm.beta, b.layers[i].ffn_norm.beta, p));
  }
  auto optional_eq = [](const std::optional<LinearWeights>& x,
                        const std::optional<LinearWeights>& y, const std::string& name) {
    ASSERT_EQ(x.has_value(), y.has_value()) << name;
    if (x) ExpectLinearEq(*x, *y, name);
  };
  optional_eq(a.pooler, b.pooler, "pooler");
  optional_eq(a.pre_classifier, b.pre_classifier, "pre_classifier");
  optional_eq(a.classifier, b.classifier, "classifier");
  ASSERT_EQ(a.exit_heads.size(), b.exit_heads.size());
  for (size_t i = 0; i < a.exit_heads.size(); ++i) {
    EXPECT_EQ(a.exit_heads[i].layer, b.exit_heads[i].layer);
    ExpectLinearEq(a.exit_heads[i].pooler, b.exit_heads[i].pooler, "exit pooler");
    ExpectLinearEq(a.exit_heads[i].classifier, b.exit_heads[i].classifier, "exit classifier");
  }
  EXPECT_EQ(a.default_exit_rule.kind, b.default_exit_rule.kind);
  EXPECT_EQ(a.default_exit_rule.threshold, b.default_exit_rule.threshold);
  EXPECT_EQ(a.default_exit_rule.patience, b.default_exit_rule.patience);
}

TokenizerSettings OddSettings() {
  TokenizerSettings s;
  s.lowercase = false;
  s.strip_accents = true;
  s.tokenize_chinese_chars = false;
  s.unk_token = "<unk>";
  s.mask_token = "[MASK\xC3\xA9]";  // UTF-8 survives the metadata JSON
  s.model_max_length = 77;
  s.max_input_chars_per_word = 33;
  return s;
}

std::string WriteOrDie(const BertWeights& w, ModelDtype dtype, const std::string& vocab,
                       const TokenizerSettings& s = {}) {
  WriteOptions o;
  o.dtype = dtype;
  StatusOr<std::string> file = WriteModelFile(w, s, vocab, o);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return file.ok() ? *file : std::string();
}

StatusOr<ModelFileContents> Read(const std::string& file) {
  return ReadModelFile(Bytes(file), file.size());
}

// ------------------------------------------------------------------ round trips

TEST(ModelFileTest, Fp32RoundTripIsExactOnEveryFixture) {
  for (const char* name : kFixtures) {
    SCOPED_TRACE(name);
    Checkpoint c = LoadCheckpoint(name);
    const std::string file = WriteOrDie(c.weights, ModelDtype::kFp32, c.vocab, OddSettings());
    StatusOr<ModelFileContents> r = Read(file);
    HB_ASSERT_OK(r);
    ExpectWeightsEq(c.weights, r->weights);
    EXPECT_EQ(r->vocab_txt, c.vocab);
    EXPECT_EQ(r->dtype, "fp32");
    EXPECT_EQ(r->format_version, 1);
    const TokenizerSettings e = OddSettings();
    EXPECT_EQ(r->settings.lowercase, e.lowercase);
    EXPECT_EQ(r->settings.strip_accents, e.strip_accents);
    EXPECT_EQ(r->settings.tokenize_chinese_chars, e.tokenize_chinese_chars);
    EXPECT_EQ(r->settings.clean_text, e.clean_text);
    EXPECT_EQ(r->settings.unk_token, e.unk_token);
    EXPECT_EQ(r->settings.mask_token, e.mask_token);
    EXPECT_EQ(r->settings.model_max_length, e.model_max_length);
    EXPECT_EQ(r->settings.max_input_chars_per_word, e.max_input_chars_per_word);
    EXPECT_EQ(r->settings.continuing_subword_prefix, e.continuing_subword_prefix);
  }
}

TEST(ModelFileTest, Fp16RoundTripRoundsOnlyDenseWeightsAndEmbeddings) {
  for (const char* name : kFixtures) {
    SCOPED_TRACE(name);
    Checkpoint c = LoadCheckpoint(name);
    const std::string file = WriteOrDie(c.weights, ModelDtype::kFp16, c.vocab);
    StatusOr<ModelFileContents> r = Read(file);
    HB_ASSERT_OK(r);
    BertWeights expected = c.weights;  // what an F16 store does to each part
    expected.word_embeddings = Half(expected.word_embeddings);
    expected.position_embeddings = Half(expected.position_embeddings);
    expected.token_type_embeddings = Half(expected.token_type_embeddings);
    for (EncoderLayerWeights& l : expected.layers) {
      for (LinearWeights* lin : {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out}) {
        lin->w = Half(lin->w);
      }
    }
    ExpectWeightsEq(expected, r->weights);
    EXPECT_EQ(r->dtype, "fp16");
  }
}

TEST(ModelFileTest, Int8RoundTripIsExactOnEveryFixture) {
  for (const char* name : kFixtures) {
    SCOPED_TRACE(name);
    Checkpoint c = LoadCheckpoint(name);
    QuantizeForTest(c.weights);
    const std::string file = WriteOrDie(c.weights, ModelDtype::kInt8, c.vocab);
    StatusOr<ModelFileContents> r = Read(file);
    HB_ASSERT_OK(r);
    ExpectWeightsEq(c.weights, r->weights);
    EXPECT_EQ(r->dtype, "int8");
    EXPECT_TRUE(r->weights.layers[0].qkv.quantized());
    EXPECT_FALSE(r->weights.classifier && r->weights.classifier->quantized());
  }
}

TEST(ModelFileTest, DemoExitHeadsRoundTrip) {
  Checkpoint c = LoadCheckpoint("demo");
  ASSERT_EQ(c.weights.exit_heads.size(), 3u);
  EXPECT_EQ(c.weights.exit_heads[2].layer, 2);
  EXPECT_EQ(c.weights.default_exit_rule.kind, ExitRuleKind::kEntropy);
  EXPECT_FLOAT_EQ(c.weights.default_exit_rule.threshold, 0.36f);  // web-demo/model/exit_config.json
  for (ModelDtype dtype : {ModelDtype::kFp32, ModelDtype::kInt8}) {
    BertWeights w = c.weights;
    if (dtype == ModelDtype::kInt8) QuantizeForTest(w);
    StatusOr<ModelFileContents> r = Read(WriteOrDie(w, dtype, c.vocab));
    HB_ASSERT_OK(r);
    ExpectWeightsEq(w, r->weights);
  }
  // Patience and no rule survive too.
  for (ExitRule rule : {ExitRule{ExitRuleKind::kPatience, 0, 2}, ExitRule{}}) {
    BertWeights w = c.weights;
    w.default_exit_rule = rule;
    StatusOr<ModelFileContents> r = Read(WriteOrDie(w, ModelDtype::kFp32, c.vocab));
    HB_ASSERT_OK(r);
    EXPECT_EQ(r->weights.default_exit_rule.kind, rule.kind);
    EXPECT_EQ(r->weights.default_exit_rule.patience, rule.patience);
  }
}

TEST(ModelFileTest, WritingIsDeterministicAndAligned) {
  Checkpoint c = LoadCheckpoint("bert_encoder_odd");  // odd sizes: needs padding tensors
  QuantizeForTest(c.weights);
  const std::string a = WriteOrDie(c.weights, ModelDtype::kInt8, c.vocab);
  const std::string b = WriteOrDie(BertWeights(c.weights), ModelDtype::kInt8, c.vocab);
  ASSERT_EQ(a, b);
  StatusOr<SafetensorsReader> r = SafetensorsReader::Parse(Bytes(a), a.size());
  HB_ASSERT_OK(r);
  // Stock safetensors needs a contiguous data section that ends at the end of the file.
  std::vector<std::pair<size_t, size_t>> spans;
  for (const TensorView& t : r->tensors()) {
    const size_t begin = static_cast<size_t>(t.data - Bytes(a));
    if (t.name.rfind("_pad.", 0) != 0) EXPECT_EQ(begin % kModelFileAlignment, 0u) << t.name;
    spans.emplace_back(begin, begin + t.nbytes);
  }
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) EXPECT_EQ(spans[i].first, spans[i - 1].second);
  EXPECT_EQ(spans.back().second, a.size());
  EXPECT_NE(r->Find("_pad.0"), nullptr);
  EXPECT_TRUE(LooksLikeModelFile(Bytes(a), a.size()));
  const std::string hf = Slurp(ModelDir("bert_seqcls") + "model.safetensors");
  EXPECT_FALSE(LooksLikeModelFile(Bytes(hf), hf.size()));
  EXPECT_FALSE(LooksLikeModelFile(Bytes(a), 7));
  EXPECT_TRUE(LooksLikeModelFile(Bytes(a), 1000));  // truncated: ReadModelFile says so
  EXPECT_FALSE(LooksLikeModelFile(nullptr, 0));
}

// ------------------------------------------------------------------ hostile files

struct Parts {
  json header;
  std::string data;  // the data section, unchanged so offsets stay valid
};

Parts Split(const std::string& file) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(file[i]);
  return {json::parse(file.substr(8, n)), file.substr(8 + n)};
}

std::string Join(const Parts& p) { return testing::RawSafetensors(p.header.dump(), p.data); }

class HostileFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Checkpoint c = LoadCheckpoint("demo");
    QuantizeForTest(c.weights);
    file_ = WriteOrDie(c.weights, ModelDtype::kInt8, c.vocab);
  }
  // Rewrites one metadata JSON entry.
  std::string WithMeta(const std::string& key, const std::function<void(json&)>& edit) const {
    Parts p = Split(file_);
    json inner = json::parse(p.header["__metadata__"][key].get<std::string>());
    edit(inner);
    p.header["__metadata__"][key] = inner.dump();
    return Join(p);
  }
  std::string file_;
};

TEST_F(HostileFileTest, TruncatedAnywhere) {
  std::vector<size_t> cuts = {0, 1, 7, 8, 9, 100};
  for (size_t i = 1; i < 64; ++i) cuts.push_back(file_.size() * i / 64);
  cuts.push_back(file_.size() - 1);
  for (size_t cut : cuts) {
    SCOPED_TRACE(cut);
    // A copy of exactly `cut` bytes, so ASan sees any read past the end.
    const std::vector<uint8_t> bytes(file_.begin(), file_.begin() + static_cast<long>(cut));
    StatusOr<ModelFileContents> r = ReadModelFile(bytes.data(), bytes.size());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidModel) << r.status().ToString();
  }
  EXPECT_TRUE(
      IsError(Read(file_.substr(0, file_.size() / 2)), StatusCode::kInvalidModel, "truncated"));
}

TEST_F(HostileFileTest, WrongFormatAndVersion) {
  auto with = [&](const std::string& key, const json& value) {
    Parts p = Split(file_);
    if (value.is_null()) {
      p.header["__metadata__"].erase(key);
    } else {
      p.header["__metadata__"][key] = value;
    }
    return Join(p);
  };
  EXPECT_TRUE(IsError(Read(with("format", "pt")), StatusCode::kInvalidModel,
                      "not a hummingbert model file: metadata format is 'pt'"));
  EXPECT_TRUE(
      IsError(Read(with("format", nullptr)), StatusCode::kInvalidModel, "has no 'format' entry"));
  EXPECT_TRUE(IsError(Read(with("format_version", "99")), StatusCode::kUnsupported,
                      "format_version 99 is newer than this hummingbert supports (2)"));
  EXPECT_TRUE(IsError(Read(with("format_version", "1.5")), StatusCode::kInvalidModel,
                      "format_version '1.5' is not a positive integer"));
  EXPECT_TRUE(IsError(Read(with("format_version", nullptr)), StatusCode::kInvalidModel,
                      "no 'format_version'"));
  EXPECT_TRUE(IsError(Read(with("dtype", "int4")), StatusCode::kInvalidModel,
                      "'dtype' must be one of [fp32, fp16, int8], got 'int4'"));
  EXPECT_TRUE(
      IsError(Read(with("config", "{not json")), StatusCode::kInvalidModel, "metadata 'config'"));
  // Unknown metadata keys are a compatible addition: ignored.
  HB_ASSERT_OK(Read(with("sparse_attention", "{\"window\": 64}")));
  const std::string hf = Slurp(ModelDir("bert_seqcls") + "model.safetensors");
  EXPECT_TRUE(IsError(Read(hf), StatusCode::kInvalidModel, "not a hummingbert model file"));
}

TEST_F(HostileFileTest, ConfigThatLiesAboutShapes) {
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c["hidden_size"] = 128; })),
                      StatusCode::kInvalidModel,
                      "tensor 'embeddings.word.weight' has shape [8000, 256] but the config "
                      "needs [8000, 128]"));
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c["num_layers"] = 5; })),
                      StatusCode::kInvalidModel, "missing tensor 'layers.4.qkv.weight'"));
  EXPECT_TRUE(IsError(Read(WithMeta("config",
                                    [](json& c) {
                                      c["labels"] = {"a", "b", "c"};
                                    })),
                      StatusCode::kInvalidModel, "'classifier.weight' has shape [2, 256]"));
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c["hidden_size"] = -4; })),
                      StatusCode::kInvalidModel, "'hidden_size' must be an integer in [1, "));
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c.erase("num_heads"); })),
                      StatusCode::kInvalidModel, "metadata 'config' has no 'num_heads'"));
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c["hidden_act"] = "swish"; })),
                      StatusCode::kUnsupported, "hidden_act 'swish' is not supported"));
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c["has_pooler"] = false; })),
                      StatusCode::kInvalidModel, "has_pooler is false"));
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c["problem_type"] = "ranking"; })),
                      StatusCode::kInvalidModel,
                      "metadata 'config' 'problem_type' must be one of regression, "
                      "single_label_classification, multi_label_classification, got \"ranking\""));
  EXPECT_TRUE(IsError(Read(WithMeta("config", [](json& c) { c["problem_type"] = nullptr; })),
                      StatusCode::kInvalidModel, "'problem_type' must be one of"));
  {
    StatusOr<ModelFileContents> ok =
        Read(WithMeta("config", [](json& c) { c["problem_type"] = "multi_label_classification"; }));
    ASSERT_TRUE(ok.ok()) << ok.status().ToString();
    EXPECT_EQ(ok->weights.config.problem_type, "multi_label_classification");
  }
  EXPECT_TRUE(IsError(Read(WithMeta("exit",
                                    [](json& e) {
                                      e["layers"] = {0, 9};
                                    })),
                      StatusCode::kInvalidModel, "exit layer 9 is out of range"));
  EXPECT_TRUE(IsError(Read(WithMeta("tokenizer", [](json& t) { t["lowercase"] = "yes"; })),
                      StatusCode::kInvalidModel, "'lowercase' must be true or false"));
}

TEST_F(HostileFileTest, TensorsThatLie) {
  auto edit = [&](const std::function<void(Parts&)>& f) {
    Parts p = Split(file_);
    f(p);
    return Join(p);
  };
  EXPECT_TRUE(IsError(Read(edit([](Parts& p) { p.header.erase("layers.2.ffn_in.scale"); })),
                      StatusCode::kInvalidModel, "missing tensor 'layers.2.ffn_in.scale'"));
  EXPECT_TRUE(IsError(Read(edit([](Parts& p) { p.header.erase("tokenizer.vocab"); })),
                      StatusCode::kInvalidModel, "missing tensor 'tokenizer.vocab'"));
  // Same byte count, transposed shape: only the config check can catch it.
  EXPECT_TRUE(IsError(Read(edit([](Parts& p) {
                        p.header["layers.0.ffn_in.weight"]["shape"] = {256, 768};
                      })),
                      StatusCode::kInvalidModel,
                      "tensor 'layers.0.ffn_in.weight' has shape [256, 768] but the config "
                      "needs [768, 256]"));
  // A shape whose byte count disagrees with its offsets: the container check.
  EXPECT_TRUE(IsError(Read(edit([](Parts& p) { p.header["layers.0.qkv.bias"]["shape"] = {769}; })),
                      StatusCode::kInvalidModel, "'layers.0.qkv.bias' has shape [769]"));
  EXPECT_TRUE(IsError(Read(edit([](Parts& p) {
                        p.header["pooler.weight"]["dtype"] = "I32";
                        p.header["pooler.weight"]["shape"] = {256, 256};
                      })),
                      StatusCode::kInvalidModel, "'pooler.weight' has dtype I32"));
  EXPECT_TRUE(IsError(Read(edit([](Parts& p) { p.header["tokenizer.vocab"]["dtype"] = "I8"; })),
                      StatusCode::kInvalidModel, "'tokenizer.vocab' must be non-empty U8"));
  for (float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(), -1.0f}) {
    const std::string file = edit([&](Parts& p) {
      const size_t begin = p.header["layers.1.qkv.scale"]["data_offsets"][0].get<size_t>();
      std::memcpy(&p.data[begin + 4 * 5], &bad, 4);
    });
    EXPECT_TRUE(
        IsError(Read(file), StatusCode::kInvalidModel, "tensor 'layers.1.qkv.scale'[5] is"));
  }
}

// ------------------------------------------------------------------ writer errors

TEST(ModelFileWriterTest, RejectsWeightsThatDoNotMatchTheDtypeOrConfig) {
  Checkpoint c = LoadCheckpoint("bert_seqcls");
  WriteOptions int8;
  int8.dtype = ModelDtype::kInt8;
  EXPECT_TRUE(IsError(WriteModelFile(c.weights, {}, c.vocab, int8), StatusCode::kInvalidArgument,
                      "dtype int8 needs quantized encoder weights but 'layers.0.qkv' is fp32"));
  BertWeights q = c.weights;
  QuantizeForTest(q);
  EXPECT_TRUE(IsError(WriteModelFile(q, {}, c.vocab, {ModelDtype::kFp16, "x"}),
                      StatusCode::kInvalidArgument, "is int8 but the file dtype is fp16"));
  BertWeights short_bias = c.weights;
  short_bias.layers[1].ffn_out.b.pop_back();
  EXPECT_TRUE(IsError(WriteModelFile(short_bias, {}, c.vocab, {ModelDtype::kFp32, "x"}),
                      StatusCode::kInvalidArgument, "tensor 'layers.1.ffn_out.bias' holds"));
  BertWeights no_classifier = c.weights;
  no_classifier.classifier.reset();
  EXPECT_TRUE(IsError(WriteModelFile(no_classifier, {}, c.vocab, {ModelDtype::kFp32, "x"}),
                      StatusCode::kInvalidArgument, "needs a classifier"));
  EXPECT_TRUE(IsError(WriteModelFile(c.weights, {}, "", {ModelDtype::kFp32, "x"}),
                      StatusCode::kInvalidArgument, "vocabulary"));
  EXPECT_TRUE(IsError(ParseModelDtype("bf16"), StatusCode::kInvalidArgument,
                      "must be one of [int8, fp16, fp32]"));
}

// ------------------------------------------------------------------ exit heads loading

TEST(ExitHeadsTest, ValidatesConfigAndTensors) {
  Checkpoint c = LoadCheckpoint("bert_seqcls");
  const std::string heads = Slurp(ModelDir("demo") + "exit_heads.safetensors");
  StatusOr<SafetensorsReader> r = SafetensorsReader::Parse(Bytes(heads), heads.size());
  HB_ASSERT_OK(r);
  BertWeights w = c.weights;  // hidden 32 (fixture) against 256-wide heads
  auto load = [&](const std::string& j) { return LoadExitHeads(j, *r, &w); };
  const std::string rule = R"("default_rule": {"type": "entropy", "threshold": 0.3})";
  EXPECT_TRUE(IsError(load(R"({"layers": [0], )" + rule + "}"), StatusCode::kInvalidModel,
                      "exit_heads.0.pooler.weight' has shape [256, 256] but the model needs"));
  EXPECT_TRUE(
      IsError(load(R"({"layers": [1, 0]})"), StatusCode::kInvalidModel, "strictly increasing"));
  EXPECT_TRUE(IsError(load(R"({"layers": [7]})"), StatusCode::kInvalidModel,
                      "exit layer 7 is out of range"));
  EXPECT_TRUE(IsError(load(R"({"layers": []})"), StatusCode::kInvalidModel, "non-empty array"));
  EXPECT_TRUE(IsError(load(R"({"layers": [0], "default_rule": {"type": "margin"}})"),
                      StatusCode::kUnsupported, "must be one of [entropy, max_prob, patience]"));
  EXPECT_TRUE(IsError(load(R"({"layers": [0], "default_rule": {"type": "max_prob",
                      "threshold": 1.5}})"),
                      StatusCode::kInvalidModel, "max_prob threshold must be in (0, 1]"));
  EXPECT_TRUE(IsError(load(R"({"layers": [0], "default_rule": {"type": "patience", "k": 0}})"),
                      StatusCode::kInvalidModel, "needs an integer 'k' in [1, "));
  EXPECT_TRUE(IsError(load(R"({"layers": [0], "num_hidden_layers": 12})"),
                      StatusCode::kInvalidModel, "num_hidden_layers is 12"));
  EXPECT_TRUE(IsError(load("[1, 2"), StatusCode::kInvalidModel, "exit_config.json"));
  // Right model, but a missing tensor.
  Checkpoint demo = LoadCheckpoint("demo");
  EXPECT_TRUE(IsError(LoadExitHeads(R"({"layers": [0, 3]})", *r, &demo.weights),
                      StatusCode::kInvalidModel, "missing tensor 'exit_heads.3.pooler.weight'"));
  Checkpoint encoder = LoadCheckpoint("bert_encoder");
  EXPECT_TRUE(IsError(LoadExitHeads(R"({"layers": [0]})", *r, &encoder.weights),
                      StatusCode::kInvalidArgument, "need a sequence classifier"));
}

// ------------------------------------------------------------------ fp16 conversion

TEST(HalfTest, EveryHalfRoundTripsAndRoundingIsNearestEven) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = HalfBitsToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(HalfBitsToFloat(FloatToHalfBits(f))));
      continue;
    }
    ASSERT_EQ(FloatToHalfBits(f), h) << h;
    // Midpoints to the next half up (same sign) round to the even one of the two.
    if ((h & 0x7FFF) < 0x7BFF) {
      const float next = HalfBitsToFloat(static_cast<uint16_t>(h + 1));
      const double mid = (static_cast<double>(f) + next) / 2;  // exact in double
      const float mid_f = static_cast<float>(mid);
      if (static_cast<double>(mid_f) == mid) {
        const uint16_t even = (h & 1) ? static_cast<uint16_t>(h + 1) : static_cast<uint16_t>(h);
        ASSERT_EQ(FloatToHalfBits(mid_f), even) << h;
        ASSERT_EQ(FloatToHalfBits(std::nextafter(mid_f, f)), h) << h;
        ASSERT_EQ(FloatToHalfBits(std::nextafter(mid_f, next)), h + 1) << h;
      }
    }
  }
  EXPECT_EQ(FloatToHalfBits(65504.0f), 0x7BFF);
  EXPECT_EQ(FloatToHalfBits(65519.99f), 0x7BFF);
  EXPECT_EQ(FloatToHalfBits(65520.0f), 0x7C00);  // the tie rounds to even: infinity
  EXPECT_EQ(FloatToHalfBits(-1e9f), 0xFC00);
  EXPECT_EQ(FloatToHalfBits(std::ldexp(1.0f, -25)), 0x0000);  // tie between 0 and 2^-24
  EXPECT_EQ(FloatToHalfBits(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
  EXPECT_EQ(FloatToHalfBits(1e-30f), 0x0000);
}

// ------------------------------------------------------------------ size

// A BERT-shaped int8/fp32 model with `vocab` words and `layers` layers (values irrelevant).
BertWeights SyntheticBert(int vocab, int layers, bool int8) {
  BertWeights w;
  BertConfig& c = w.config;
  c.architecture = "BertForSequenceClassification";
  c.task = TaskKind::kSequenceClassification;
  c.vocab_size = vocab;
  c.hidden_size = 768;
  c.num_layers = layers;
  c.num_heads = 12;
  c.intermediate_size = 3072;
  c.max_position_embeddings = 512;
  c.type_vocab_size = 2;
  c.labels = {"negative", "positive"};
  const int h = 768;
  auto linear = [&](int out, int in, bool q) {
    LinearWeights l;
    l.out = out;
    l.in = in;
    if (q) {
      l.w_q.assign(static_cast<size_t>(out) * in, 1);
      l.w_scale.assign(out, 0.01f);
    } else {
      l.w.assign(static_cast<size_t>(out) * in, 0.5f);
    }
    l.b.assign(out, 0.0f);
    return l;
  };
  if (int8) {
    w.word_embeddings_q.assign(static_cast<size_t>(vocab) * h, 1);
    w.word_embeddings_scale.assign(vocab, 0.01f);
  } else {
    w.word_embeddings.assign(static_cast<size_t>(vocab) * h, 0.5f);
  }
  w.position_embeddings.assign(512 * h, 0.5f);
  w.token_type_embeddings.assign(2 * h, 0.5f);
  w.embedding_norm = {std::vector<float>(h, 1.0f), std::vector<float>(h, 0.0f)};
  for (int i = 0; i < layers; ++i) {
    EncoderLayerWeights l;
    l.qkv = linear(3 * h, h, int8);
    l.attention_output = linear(h, h, int8);
    l.attention_norm = w.embedding_norm;
    l.ffn_in = linear(3072, h, int8);
    l.ffn_out = linear(h, 3072, int8);
    l.ffn_norm = w.embedding_norm;
    w.layers.push_back(std::move(l));
  }
  w.pooler = linear(h, h, false);
  w.classifier = linear(2, h, false);
  return w;
}

TEST(ModelFileSizeTest, Int8IsUnder27PercentOfFp32ForBertBase) {
  // Building BERT-base itself would take ~0.5 GB; the file size is affine in the vocabulary size
  // and in the number of layers (up to < 64 bytes of padding per tensor and a few header
  // digits), so three small models give the coefficients, extrapolated to vocab 30522, 12 layers.
  const std::string vocab = "[PAD]\n[UNK]\n";
  auto size = [&](int v, int layers, ModelDtype dtype) {
    const std::string f =
        WriteOrDie(SyntheticBert(v, layers, dtype == ModelDtype::kInt8), dtype, vocab);
    return static_cast<double>(f.size());
  };
  auto extrapolate = [&](ModelDtype dtype) {
    const double base = size(64, 1, dtype);
    const double per_word = (size(128, 1, dtype) - base) / 64;
    const double per_layer = size(64, 2, dtype) - base;
    return base + per_word * (30522 - 64) + per_layer * 11;
  };
  const double int8_size = extrapolate(ModelDtype::kInt8);
  const double fp16_size = extrapolate(ModelDtype::kFp16);
  const double fp32_size = extrapolate(ModelDtype::kFp32);
  // The HF fp32 BertForSequenceClassification safetensors: 4 bytes per parameter (+ a header of
  // a few KB, ignored, which only lowers the ratio). Our fp32 file is the same tensors.
  const double params = 30522.0 * 768 + 512 * 768 + 2 * 768 + 2 * 768 +
                        12 * (4 * 768.0 * 768 + 4 * 768 + 2 * 768.0 * 3072 + 3072 + 768 + 4 * 768) +
                        768.0 * 768 + 768 + 2 * 768 + 2;
  EXPECT_NEAR(fp32_size, 4 * params, 100000);
  const double ratio = int8_size / (4 * params);
  std::printf(
      "BERT-base shape: int8 file %.1f MB, fp16 %.1f MB, fp32 %.1f MB (HF fp32 %.1f MB): "
      "int8 is %.2f%%\n",
      int8_size / 1e6, fp16_size / 1e6, fp32_size / 1e6, 4 * params / 1e6, 100 * ratio);
  EXPECT_LE(ratio, 0.27);
}

}  // namespace
}  // namespace hb
