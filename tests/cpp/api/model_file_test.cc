// Conversion end to end (hummingbert_convert.h): convert -> ReadModelFile equals direct
// quantization of the HF folder, bit for bit, for every fixture and the demo model with its exit
// heads; converted bytes match golden hashes, so native and wasm (this same test under Node)
// produce byte-identical files; and conversion errors.
#include "format/model_file.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "format/bert_config.h"
#include "format/exit_heads.h"
#include "format/hf_checkpoint.h"
#include "format/safetensors_reader.h"
#include "hummingbert_convert.h"
#include "quant/quantize_weights.h"

namespace hb {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Dir(const std::string& name) {
  if (name == "demo") return std::string(HB_FIXTURES_DIR) + "/../../web-demo/model/";
  return std::string(HB_FIXTURES_DIR) + "/models/" + name + "/";
}

const uint8_t* Bytes(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// FNV-1a 64: a stable fingerprint of the file bytes, the same on every platform.
uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// The direct path: HF folder -> fp32 weights (+ exit heads) -> QuantizeModel.
BertWeights DirectWeights(const std::string& name, ModelDtype dtype) {
  const std::string d = Dir(name);
  StatusOr<BertConfig> config = ParseBertConfig(Slurp(d + "config.json"));
  EXPECT_TRUE(config.ok());
  const std::string st = Slurp(d + "model.safetensors");
  StatusOr<SafetensorsReader> r = SafetensorsReader::Parse(Bytes(st), st.size());
  EXPECT_TRUE(r.ok());
  StatusOr<BertWeights> w = LoadBertWeights(*config, *r);
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  BertWeights weights = std::move(w).value();
  const std::string heads = Slurp(d + "exit_heads.safetensors");
  if (!heads.empty()) {
    StatusOr<SafetensorsReader> hr = SafetensorsReader::Parse(Bytes(heads), heads.size());
    EXPECT_TRUE(hr.ok());
    EXPECT_TRUE(LoadExitHeads(Slurp(d + "exit_config.json"), *hr, &weights).ok());
  }
  EXPECT_TRUE(QuantizeModel(weights, dtype).ok());
  return weights;
}

bool SameFloats(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), 4 * a.size()) == 0);
}

void ExpectSameLinear(const LinearWeights& a, const LinearWeights& b, const std::string& what) {
  EXPECT_TRUE(SameFloats(a.w, b.w)) << what;
  EXPECT_EQ(a.w_q, b.w_q) << what;
  EXPECT_TRUE(SameFloats(a.w_scale, b.w_scale)) << what;
  EXPECT_TRUE(SameFloats(a.b, b.b)) << what;
}

void ExpectSame(const BertWeights& a, const BertWeights& b) {
  EXPECT_TRUE(SameFloats(a.word_embeddings, b.word_embeddings));
  EXPECT_EQ(a.word_embeddings_q, b.word_embeddings_q);
  EXPECT_TRUE(SameFloats(a.word_embeddings_scale, b.word_embeddings_scale));
  EXPECT_TRUE(SameFloats(a.position_embeddings, b.position_embeddings));
  EXPECT_TRUE(SameFloats(a.token_type_embeddings, b.token_type_embeddings));
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) {
    ExpectSameLinear(a.layers[i].qkv, b.layers[i].qkv, "qkv");
    ExpectSameLinear(a.layers[i].attention_output, b.layers[i].attention_output, "attn_out");
    ExpectSameLinear(a.layers[i].ffn_in, b.layers[i].ffn_in, "ffn_in");
    ExpectSameLinear(a.layers[i].ffn_out, b.layers[i].ffn_out, "ffn_out");
    EXPECT_TRUE(SameFloats(a.layers[i].ffn_norm.gamma, b.layers[i].ffn_norm.gamma));
  }
  ASSERT_EQ(a.classifier.has_value(), b.classifier.has_value());
  if (a.classifier) ExpectSameLinear(*a.classifier, *b.classifier, "classifier");
  ASSERT_EQ(a.pooler.has_value(), b.pooler.has_value());
  if (a.pooler) ExpectSameLinear(*a.pooler, *b.pooler, "pooler");
  ASSERT_EQ(a.exit_heads.size(), b.exit_heads.size());
  for (size_t i = 0; i < a.exit_heads.size(); ++i) {
    ExpectSameLinear(a.exit_heads[i].classifier, b.exit_heads[i].classifier, "exit classifier");
  }
  EXPECT_EQ(a.default_exit_rule.kind, b.default_exit_rule.kind);
}

TEST(ConvertTest, ConvertedFileEqualsDirectQuantization) {
  for (const char* name : {"bert_encoder", "bert_encoder_odd", "bert_seqcls", "bert_tokcls_cased",
                           "distilbert_encoder", "distilbert_seqcls", "distilbert_tokcls", "demo",
                           "bert_seqcls_regression", "distilbert_seqcls_multilabel"}) {
    for (const char* dtype : {"int8", "fp16", "fp32"}) {
      SCOPED_TRACE(std::string(name) + " " + dtype);
      ConvertOptions o;
      o.dtype = dtype;
      ConvertSummary summary;
      StatusOr<std::string> file = ConvertHuggingFaceDir(Dir(name), o, &summary);
      ASSERT_TRUE(file.ok()) << file.status().ToString();
      EXPECT_EQ(summary.output_bytes, file->size());
      EXPECT_GT(summary.input_bytes, 0u);
      StatusOr<ModelFileContents> read = ReadModelFile(Bytes(*file), file->size());
      ASSERT_TRUE(read.ok()) << read.status().ToString();
      EXPECT_EQ(read->dtype, dtype);
      EXPECT_EQ(read->vocab_txt, Slurp(Dir(name) + "vocab.txt"));
      const BertWeights direct = DirectWeights(name, *ParseModelDtype(dtype));
      ExpectSame(direct, read->weights);
      EXPECT_EQ(read->weights.config.problem_type, direct.config.problem_type);
    }
  }
}

// problem_type travels in the file (it decides the scores), and only when config.json has one.
TEST(ConvertTest, KeepsProblemType) {
  for (const auto& [name, want] : std::vector<std::pair<std::string, std::string>>{
           {"bert_seqcls_regression", "regression"},
           {"distilbert_seqcls_multilabel", "multi_label_classification"},
           {"bert_seqcls", ""}}) {
    ConvertOptions o;
    o.dtype = "int8";
    StatusOr<std::string> file = ConvertHuggingFaceDir(Dir(name), o, nullptr);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    StatusOr<ModelFileContents> read = ReadModelFile(Bytes(*file), file->size());
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(read->weights.config.problem_type, want) << name;
    EXPECT_EQ(file->find("problem_type") != std::string::npos, !want.empty()) << name;
  }
}

// Golden fingerprints of converted files. The same test runs natively and compiled to wasm under
// Node, so passing on both proves `hummingbert convert` and `npx hummingbert convert` write
// byte-identical files. A deliberate format change updates these (and the format docs).
TEST(ConvertTest, ConvertedBytesMatchGoldenFingerprints) {
  struct Case {
    const char* model;
    const char* dtype;
    uint64_t size;
    uint64_t fnv;
  };
  const Case cases[] = {
      {"bert_seqcls", "int8", 305266, 0x881456bb29d65cd6ull},
      {"distilbert_tokcls", "fp16", 210994, 0x3b5cfa4c9455ae35ull},
      {"demo", "int8", 5972378, 0x6a6beafec5073cb3ull},
  };
  for (const Case& c : cases) {
    ConvertOptions o;
    o.dtype = c.dtype;
    StatusOr<std::string> file = ConvertHuggingFaceDir(Dir(c.model), o);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_EQ(file->size(), c.size) << c.model << " " << c.dtype;
    EXPECT_EQ(Fnv1a(*file), c.fnv)
        << c.model << " " << c.dtype << " 0x" << std::hex << Fnv1a(*file);
    // And twice in one process.
    EXPECT_EQ(*ConvertHuggingFaceDir(Dir(c.model), o), *file);
  }
}

TEST(ConvertTest, Errors) {
  ConvertOptions bad;
  bad.dtype = "int4";
  StatusOr<std::string> r = ConvertHuggingFaceDir(Dir("bert_seqcls"), bad);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("must be one of [int8, fp16, fp32]"), std::string::npos);

  r = ConvertHuggingFaceDir(Dir("no_such_model"), {});
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("does not exist"), std::string::npos);

  const std::string d = Dir("demo");
  const std::string config = Slurp(d + "config.json"), weights = Slurp(d + "model.safetensors"),
                    vocab = Slurp(d + "vocab.txt"), exit = Slurp(d + "exit_config.json");
  HuggingFaceFiles files;
  files.config_json = config;
  files.safetensors = weights;
  files.vocab_txt = vocab;
  ExitHeadFiles only_config;
  only_config.exit_config_json = exit;
  r = ConvertHuggingFaceFiles(files, {}, only_config);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(r.status().message().find("only exit_config.json was given"), std::string::npos);

  const std::string truncated = weights.substr(0, weights.size() / 3);
  files.safetensors = truncated;
  r = ConvertHuggingFaceFiles(files, {});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidModel);
  EXPECT_EQ(r.status().message().rfind("model.safetensors: ", 0), 0u) << r.status().message();
}

}  // namespace
}  // namespace hb
