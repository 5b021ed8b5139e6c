// Sparse attention and long inputs through the public API on the golden fixture models: a
// window covering the text equals dense attention, narrow windows batch like one-by-one, the
// pattern survives a model file, and chunking answers for inputs past max_length.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hummingbert.h"
#include "hummingbert_convert.h"
#include "nlohmann/json.hpp"

namespace hb {
namespace {

std::string ModelDir(const std::string& name) {
  return std::string(HB_FIXTURES_DIR) + "/models/" + name;
}

std::vector<std::string> GoldenTexts(const std::string& name) {
  std::ifstream f(ModelDir(name) + "/golden.json", std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::vector<std::string> texts;
  const nlohmann::json golden = nlohmann::json::parse(ss.str());
  for (const auto& c : golden["cases"]) {
    if (c.contains("text") && !c.contains("text_pair")) texts.push_back(c["text"]);
  }
  return texts;
}

float MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  float m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

std::string LongText(int words) {
  // Each word is one token in the fixtures' vocabularies, so `words` words are words + 2 tokens.
  const char* pool[] = {"the", "movie", "was", "great", "and", "i", "loved", "it", "bad",
                        "film", "this", "were", "fine"};
  std::string s;
  for (int i = 0; i < words; ++i) s += std::string(i ? " " : "") + pool[(i * 7) % 13];
  return s;
}

class SparseApiTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SparseApiTest, WideWindowEqualsDense) {
  auto model = Model::FromHuggingFaceDir(ModelDir(GetParam()));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->info().attention, "dense");
  std::vector<std::string> texts = GoldenTexts(GetParam());
  ASSERT_FALSE(texts.empty());
  RunOptions dense;
  dense.embeddings = true;
  RunOptions sparse = dense;
  sparse.attention.mode = AttentionMode::kSlidingWindow;
  sparse.attention.window = 2 * (*model)->info().max_position_embeddings;
  sparse.attention.global_positions = {2, 5};
  auto a = (*model)->Run(texts, dense);
  auto b = (*model)->Run(texts, sparse);
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_LT(MaxAbsDiff((*a)[i].logits, (*b)[i].logits), 1e-5f) << texts[i];
    EXPECT_LT(MaxAbsDiff((*a)[i].mean, (*b)[i].mean), 1e-5f) << texts[i];
    EXPECT_LT(MaxAbsDiff((*a)[i].cls, (*b)[i].cls), 1e-5f) << texts[i];
    if ((*a)[i].encoding.truncated) {  // long golden texts: the strategy says so
      EXPECT_EQ((*a)[i].attention.rfind("truncated(", 0), 0u);
      EXPECT_EQ((*b)[i].attention, (*a)[i].attention);
      continue;
    }
    EXPECT_EQ((*a)[i].attention, "dense");
    const size_t len = (*b)[i].encoding.size();
    const int globals = 1 + (len > 2) + (len > 5);
    EXPECT_EQ((*b)[i].attention, "sliding_window(" + std::to_string(sparse.attention.window) +
                                     ")+global(" + std::to_string(globals) + ")");
  }
}

TEST_P(SparseApiTest, NarrowWindowBatchEqualsOneByOne) {
  auto model = Model::FromHuggingFaceDir(ModelDir(GetParam()));
  ASSERT_TRUE(model.ok());
  std::vector<std::string> texts = GoldenTexts(GetParam());
  texts.push_back(LongText(90));
  RunOptions o;
  o.embeddings = true;
  o.attention.mode = AttentionMode::kSlidingWindow;
  o.attention.window = 4;
  auto batch = (*model)->Run(texts, o);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  RunOptions dense;
  dense.embeddings = true;
  auto dense_long = (*model)->Run({texts.back()}, dense);
  ASSERT_TRUE(dense_long.ok());
  // A window of 4 on a 90-word text really changes the result.
  EXPECT_GT(MaxAbsDiff(batch->back().mean, (*dense_long)[0].mean), 1e-3f);
  for (size_t i = 0; i < texts.size(); ++i) {
    auto one = (*model)->Run({texts[i]}, o);
    ASSERT_TRUE(one.ok());
    EXPECT_LT(MaxAbsDiff((*one)[0].logits, (*batch)[i].logits), 1e-6f);
    EXPECT_LT(MaxAbsDiff((*one)[0].mean, (*batch)[i].mean), 1e-6f);
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SparseApiTest,
                         ::testing::Values("bert_seqcls", "bert_tokcls_cased", "bert_encoder",
                                           "distilbert_seqcls", "distilbert_tokcls",
                                           "distilbert_encoder", "bert_encoder_odd"));

TEST(SparseApiModelFileTest, PatternAndPositionsPersist) {
  ConvertOptions co;
  co.dtype = "fp32";
  co.max_positions = 300;
  co.attention_window = 8;
  auto file = ConvertHuggingFaceDir(ModelDir("bert_seqcls"), co);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto converted = Model::FromModelFile(*file);
  ASSERT_TRUE(converted.ok()) << converted.status().ToString();
  const ModelInfo& info = (*converted)->info();
  EXPECT_EQ(info.attention, "sliding_window(8)+global(cls)");
  EXPECT_EQ(info.max_position_embeddings, 300);
  EXPECT_EQ(info.max_length, 300);

  // The stored pattern is the default; the same override on the HF folder gives the same result.
  auto hf = Model::FromHuggingFaceDir(ModelDir("bert_seqcls"));
  ASSERT_TRUE(hf.ok());
  const std::vector<std::string> texts = {"I loved it", LongText(40)};
  auto got = (*converted)->Run(texts, {});
  RunOptions o;
  o.attention.mode = AttentionMode::kSlidingWindow;
  o.attention.window = 8;
  auto want = (*hf)->Run(texts, o);
  ASSERT_TRUE(got.ok() && want.ok());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_LT(MaxAbsDiff((*got)[i].logits, (*want)[i].logits), 1e-5f);
    EXPECT_EQ((*got)[i].attention, (*want)[i].attention);
  }
  EXPECT_EQ((*got)[1].attention, "sliding_window(8)+global(1)");
  // Positions past the original 128 now exist: a 250-token text runs untruncated.
  auto long_run = (*converted)->Run({LongText(248)}, {});
  ASSERT_TRUE(long_run.ok()) << long_run.status().ToString();
  EXPECT_EQ((*long_run)[0].encoding.size(), 250u);
  // Per-call override back to dense.
  RunOptions dense;
  dense.attention.mode = AttentionMode::kDense;
  auto d = (*converted)->Run({"I loved it"}, dense);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)[0].attention, "dense");
  // Files without the key stay dense (old readers ignore it: unknown metadata keys are skipped).
  ConvertOptions plain;
  plain.dtype = "fp32";
  auto plain_file = ConvertHuggingFaceDir(ModelDir("bert_seqcls"), plain);
  ASSERT_TRUE(plain_file.ok());
  EXPECT_EQ((*Model::FromModelFile(*plain_file))->info().attention, "dense");
}

TEST(SparseApiLongInputTest, ChunkAndTruncate) {
  auto model = Model::FromHuggingFaceDir(ModelDir("bert_seqcls"));
  ASSERT_TRUE(model.ok());
  const std::string text = LongText(60);  // 62 tokens with [CLS] and [SEP]
  RunOptions o;
  o.max_length = 16;
  o.embeddings = true;
  auto truncated = (*model)->Run({text}, o);
  ASSERT_TRUE(truncated.ok());
  EXPECT_EQ((*truncated)[0].attention, "truncated(16 of 62)");
  EXPECT_EQ((*truncated)[0].encoding.size(), 16u);

  o.long_input = LongInput::kChunk;
  auto chunked = (*model)->Run({text, "I loved it"}, o);
  ASSERT_TRUE(chunked.ok()) << chunked.status().ToString();
  const Output& c = (*chunked)[0];
  // 60 content tokens, windows of 14 with stride 7: starts 0,7,...,42 and the last at 46.
  EXPECT_EQ(c.attention, "chunked(8x16)");
  EXPECT_EQ(c.encoding.size(), 62u);
  ASSERT_EQ(c.probs.size(), 3u);
  EXPECT_NEAR(c.probs[0] + c.probs[1] + c.probs[2], 1.0f, 1e-5f);
  EXPECT_EQ(c.label, static_cast<int>(std::max_element(c.logits.begin(), c.logits.end()) -
                                      c.logits.begin()));
  EXPECT_EQ(c.cls.size(), 48u);
  // The logits are the mean of the windows' logits: each window is one text of its own.
  auto tokens = (*model)->Tokenize(text, TokenizeOptions{128});
  ASSERT_TRUE(tokens.ok());
  std::vector<float> mean(3, 0.0f);
  for (size_t st : {0, 7, 14, 21, 28, 35, 42, 46}) {
    std::string window;
    for (size_t t = 1 + st; t < 1 + st + 14; ++t) {
      window += (window.empty() ? "" : " ") + tokens->tokens[t];
    }
    auto w = (*model)->Run({window}, {});
    ASSERT_TRUE(w.ok());
    ASSERT_EQ((*w)[0].encoding.size(), 16u) << window;
    for (int j = 0; j < 3; ++j) mean[j] += (*w)[0].logits[j] / 8;
  }
  EXPECT_LT(MaxAbsDiff(c.logits, mean), 1e-5f);
  // A text that fits is not chunked.
  auto plain = (*model)->Run({"I loved it"}, {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ((*chunked)[1].attention, "dense");
  EXPECT_LT(MaxAbsDiff((*chunked)[1].logits, (*plain)[0].logits), 1e-6f);
}

TEST(SparseApiLongInputTest, ChunkTokenClassifierCoversEveryToken) {
  auto model = Model::FromHuggingFaceDir(ModelDir("bert_tokcls_cased"));
  ASSERT_TRUE(model.ok());
  const size_t labels = (*model)->info().labels.size();
  const std::string text = LongText(50);
  RunOptions o;
  o.max_length = 20;
  o.long_input = LongInput::kChunk;
  auto chunked = (*model)->Run({text}, o);
  ASSERT_TRUE(chunked.ok());
  const Output& c = (*chunked)[0];
  EXPECT_EQ(c.attention.rfind("chunked(", 0), 0u) << c.attention;
  ASSERT_EQ(c.logits.size(), c.encoding.size() * labels);
  // Token 5 is most central in the first window (content 0..17): its row equals that window's.
  auto full = (*model)->Run({text}, {});
  ASSERT_TRUE(full.ok());
  RunOptions cut;
  cut.max_length = 20;
  auto first = (*model)->Run({text}, cut);
  ASSERT_TRUE(first.ok());
  for (size_t j = 0; j < labels; ++j) {
    EXPECT_NEAR(c.logits[5 * labels + j], (*first)[0].logits[5 * labels + j], 1e-5f);
  }
  // And the result is close to running the whole text at once, away from window edges.
  float diff = 0;
  for (size_t j = 0; j < labels; ++j) {
    diff = std::max(diff, std::fabs(c.logits[5 * labels + j] - (*full)[0].logits[5 * labels + j]));
  }
  EXPECT_LT(diff, 5.0f);
}

TEST(SparseApiLongInputTest, InvalidOptions) {
  auto model = Model::FromHuggingFaceDir(ModelDir("bert_seqcls"));
  ASSERT_TRUE(model.ok());
  RunOptions o;
  o.attention.mode = AttentionMode::kSlidingWindow;
  o.attention.window = 1;
  EXPECT_EQ((*model)->Run({"x"}, o).status().code(), StatusCode::kInvalidArgument);
  o.attention.window = 8;
  o.attention.global_positions = {-1};
  EXPECT_EQ((*model)->Run({"x"}, o).status().code(), StatusCode::kInvalidArgument);
  RunOptions l;
  l.long_input = static_cast<LongInput>(7);
  EXPECT_EQ((*model)->Run({"x"}, l).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hb
