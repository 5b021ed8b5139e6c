// Parity with Hugging Face transformers: every model fixture (tests/fixtures/models, made by
// tools/make_goldens.py) is run through the public API and compared with the goldens computed
// by transformers in fp32, one text at a time: token ids identical, outputs within 1e-4.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/thread_pool.h"
#include "gtest/gtest.h"
#include "hummingbert.h"
#include "nlohmann/json.hpp"

namespace hb {
namespace {

constexpr float kTolerance = 1e-4f;

std::string FixturePath(const std::string& rel) { return std::string(HB_FIXTURES_DIR) + "/" + rel; }

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return nlohmann::json::parse(ss.str());
}

float MaxAbsDiff(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return INFINITY;
  float m = 0;
  for (size_t i = 0; i < got.size(); ++i) m = std::max(m, std::fabs(got[i] - want[i]));
  return m;
}

std::vector<float> Flatten(const nlohmann::json& j) {
  std::vector<float> out;
  if (j.is_array() && !j.empty() && j[0].is_array()) {
    for (const auto& row : j) {
      for (const auto& v : row) out.push_back(v.get<float>());
    }
  } else {
    for (const auto& v : j) out.push_back(v.get<float>());
  }
  return out;
}

class GoldenParityTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenParityTest, MatchesTransformers) {
  const std::string dir = FixturePath("models/" + GetParam());
  StatusOr<std::unique_ptr<Model>> model = Model::FromHuggingFaceDir(dir);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const nlohmann::json golden = ReadJson(dir + "/golden.json");
  EXPECT_EQ((*model)->info().architecture, golden["architecture"].get<std::string>());
  EXPECT_EQ((*model)->info().max_length, golden["max_length"].get<int>());

  const auto& cases = golden["cases"];
  std::vector<std::string> storage;
  storage.reserve(cases.size() * 2);
  std::vector<TextPair> inputs;
  for (const auto& c : cases) {
    storage.push_back(c["text"].get<std::string>());
    TextPair p{storage.back(), {}, false};
    if (c.contains("pair")) {
      storage.push_back(c["pair"].get<std::string>());
      p.second = storage.back();
      p.has_second = true;
    }
    inputs.push_back(p);
  }
  // The whole set as one batch of mixed lengths: results must still match one-text goldens.
  StatusOr<std::vector<Output>> outs = (*model)->Run(inputs);
  ASSERT_TRUE(outs.ok()) << outs.status().ToString();
  ASSERT_EQ(outs->size(), cases.size());

  int checked = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    const Output& o = (*outs)[i];
    SCOPED_TRACE("case " + std::to_string(i) + ": " + c["text"].get<std::string>().substr(0, 60));
    ASSERT_EQ(o.encoding.ids, c["ids"].get<std::vector<int32_t>>());
    ASSERT_EQ(o.encoding.type_ids, c["type_ids"].get<std::vector<int32_t>>());
    if (c.contains("logits")) {
      EXPECT_LE(MaxAbsDiff(o.logits, Flatten(c["logits"])), kTolerance);
      ++checked;
    }
    if (c.contains("probs")) {
      EXPECT_LE(MaxAbsDiff(o.probs, Flatten(c["probs"])), kTolerance);
      std::vector<float> want = Flatten(c["logits"]);
      EXPECT_EQ(o.label, std::max_element(want.begin(), want.end()) - want.begin());
    }
    if (c.contains("cls")) {
      EXPECT_LE(MaxAbsDiff(o.cls, Flatten(c["cls"])), kTolerance);
      EXPECT_LE(MaxAbsDiff(o.mean, Flatten(c["mean"])), kTolerance);
      ++checked;
    }
    if (c.contains("pooler")) {
      EXPECT_LE(MaxAbsDiff(o.pooler, Flatten(c["pooler"])), kTolerance);
    } else {
      EXPECT_TRUE(o.pooler.empty());
    }
    if (c.contains("tokens")) {
      EXPECT_EQ(o.encoding.tokens, c["tokens"].get<std::vector<std::string>>());
    }
  }
  EXPECT_EQ(checked, static_cast<int>(cases.size()));
}

TEST_P(GoldenParityTest, BatchEqualsOneByOneExactly) {
  const std::string dir = FixturePath("models/" + GetParam());
  StatusOr<std::unique_ptr<Model>> model = Model::FromHuggingFaceDir(dir);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const nlohmann::json golden = ReadJson(dir + "/golden.json");
  std::vector<std::string> texts;
  for (size_t i = 0; i < golden["cases"].size() && texts.size() < 24; i += 7) {
    texts.push_back(golden["cases"][i]["text"].get<std::string>());
  }
  RunOptions options;
  options.embeddings = true;
  StatusOr<std::vector<Output>> batch = (*model)->Run(texts, options);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  for (size_t i = 0; i < texts.size(); ++i) {
    StatusOr<std::vector<Output>> single =
        (*model)->Run(std::vector<std::string>{texts[i]}, options);
    ASSERT_TRUE(single.ok());
    const Output& a = (*batch)[i];
    const Output& b = (*single)[0];
    EXPECT_EQ(a.encoding.ids, b.encoding.ids);
    EXPECT_EQ(a.logits, b.logits) << "text " << i;  // bitwise: packing adds no padding effects
    EXPECT_EQ(a.cls, b.cls) << "text " << i;
    EXPECT_EQ(a.mean, b.mean) << "text " << i;
    EXPECT_EQ(a.pooler, b.pooler) << "text " << i;
  }
}

TEST_P(GoldenParityTest, ThreadsGiveIdenticalResults) {
  const std::string dir = FixturePath("models/" + GetParam());
  LoadOptions three;
  three.num_threads = 3;
  StatusOr<std::unique_ptr<Model>> one = Model::FromHuggingFaceDir(dir);
  StatusOr<std::unique_ptr<Model>> many = Model::FromHuggingFaceDir(dir, three);
  ASSERT_TRUE(one.ok() && many.ok());
  // The single-threaded wasm build runs everything on the calling thread.
  EXPECT_EQ((*many)->info().num_threads, ThreadPool::ThreadsAvailable() ? 3 : 1);
  const nlohmann::json golden = ReadJson(dir + "/golden.json");
  std::vector<std::string> texts;
  for (size_t i = 0; i < golden["cases"].size(); i += 5) {
    texts.push_back(golden["cases"][i]["text"].get<std::string>());
  }
  RunOptions options;
  options.embeddings = true;
  StatusOr<std::vector<Output>> a = (*one)->Run(texts, options);
  StatusOr<std::vector<Output>> b = (*many)->Run(texts, options);
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ((*a)[i].logits, (*b)[i].logits) << i;
    EXPECT_EQ((*a)[i].cls, (*b)[i].cls) << i;
    EXPECT_EQ((*a)[i].mean, (*b)[i].mean) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(AllModels, GoldenParityTest,
                         ::testing::Values("bert_encoder", "bert_seqcls", "bert_tokcls_cased",
                                           "bert_encoder_odd", "distilbert_encoder",
                                           "distilbert_seqcls", "distilbert_tokcls",
                                           "bert_truecaser", "bert_seqcls_regression",
                                           "distilbert_seqcls_one_label",
                                           "distilbert_seqcls_multilabel"));

TEST(EmbeddingOptions, NormalizeGivesUnitVectors) {
  StatusOr<std::unique_ptr<Model>> model =
      Model::FromHuggingFaceDir(FixturePath("models/bert_encoder"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  RunOptions options;
  options.normalize = true;
  StatusOr<std::vector<Output>> outs =
      (*model)->Run(std::vector<std::string>{"a short text", "another one"}, options);
  ASSERT_TRUE(outs.ok());
  for (const Output& o : *outs) {
    for (const std::vector<float>* v : {&o.cls, &o.mean, &o.pooler}) {
      double ss = 0;
      for (float x : *v) ss += double(x) * x;
      EXPECT_NEAR(ss, 1.0, 1e-5);
    }
  }
}

TEST(EmbeddingOptions, ClassifierCanAlsoEmbed) {
  StatusOr<std::unique_ptr<Model>> model =
      Model::FromHuggingFaceDir(FixturePath("models/distilbert_seqcls"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  RunOptions options;
  StatusOr<std::vector<Output>> plain = (*model)->Run(std::vector<std::string>{"text"}, options);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE((*plain)[0].cls.empty());
  options.embeddings = true;
  StatusOr<std::vector<Output>> with = (*model)->Run(std::vector<std::string>{"text"}, options);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ((*with)[0].cls.size(), static_cast<size_t>((*model)->info().hidden_size));
  EXPECT_EQ((*with)[0].logits, (*plain)[0].logits);
}

}  // namespace
}  // namespace hb
