// InputLimits (hummingbert.h): text bytes, batch size and total tokens are checked before any
// work, fail with kResourceExhausted naming the limit and how to raise it, and can be set per
// model (LoadOptions) and per call (RunOptions / TokenizeOptions).
#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hummingbert.h"

namespace hb {
namespace {

std::string Fixture(const std::string& rel) { return std::string(HB_FIXTURES_DIR) + "/" + rel; }

std::unique_ptr<Model> LoadModel(const LoadOptions& options = {}) {
  auto m = Model::FromHuggingFaceDir(Fixture("models/distilbert_seqcls"), options);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : nullptr;
}

void ExpectLimit(const Status& s, const std::string& limit, const std::string& fragment) {
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_NE(s.message().find(limit), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("raise it"), std::string::npos) << s.message();
}

TEST(InputLimits, DefaultsAreReported) {
  auto m = LoadModel();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->info().limits.max_text_bytes, kDefaultMaxTextBytes);
  EXPECT_EQ(m->info().limits.max_batch_size, kDefaultMaxBatchSize);
  EXPECT_EQ(m->info().limits.max_total_tokens, kDefaultMaxTotalTokens);
  LoadOptions lo;
  lo.limits.max_batch_size = 7;
  auto m2 = LoadModel(lo);
  ASSERT_NE(m2, nullptr);
  EXPECT_EQ(m2->info().limits.max_batch_size, 7u);
  EXPECT_EQ(m2->info().limits.max_text_bytes, kDefaultMaxTextBytes);
}

TEST(InputLimits, HugeTextFailsFastBeforeTokenizing) {
  auto m = LoadModel();
  ASSERT_NE(m, nullptr);
#ifdef __EMSCRIPTEN__
  const size_t mib = 16;  // the wasm test heap is small; the check is the same
#else
  const size_t mib = 100;
#endif
  const std::string huge(mib << 20, 'a');
  const std::string size = std::to_string(mib << 20) + " bytes";
  const auto t0 = std::chrono::steady_clock::now();
  for (LongInput li : {LongInput::kTruncate, LongInput::kChunk}) {
    RunOptions o;
    o.long_input = li;
    ExpectLimit(m->Run(std::vector<TextPair>{{"ok", {}, false}, {huge, {}, false}}, o).status(),
                "max_text_bytes = 1048576", "text 1 is " + size);
  }
  ExpectLimit(m->Tokenize(huge).status(), "max_text_bytes", "the text is " + size);
  // A pair counts both texts.
  const std::string half(600'000, 'a');
  ExpectLimit(m->TokenizePair(half, half).status(), "max_text_bytes", "1200000 bytes");
  ExpectLimit(m->Run(std::vector<TextPair>{{half, half, true}}).status(), "max_text_bytes",
              "text 0");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(secs, 2.0);  // no tokenizing of 100 MiB (sanitizer builds are slow, so generous)
}

TEST(InputLimits, TextLimitPerModelAndPerCall) {
  LoadOptions lo;
  lo.limits.max_text_bytes = 10;
  auto m = LoadModel(lo);
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->Run(std::vector<std::string>{"0123456789"}).ok());
  ExpectLimit(m->Run(std::vector<std::string>{"0123456789a"}).status(), "max_text_bytes = 10",
              "text 0 is 11 bytes");
  RunOptions o;
  o.limits.max_text_bytes = 11;
  EXPECT_TRUE(m->Run(std::vector<std::string>{"0123456789a"}, o).ok());
  TokenizeOptions t;
  ExpectLimit(m->Tokenize("0123456789a", t).status(), "max_text_bytes = 10", "11 bytes");
  t.max_text_bytes = 100;
  EXPECT_TRUE(m->Tokenize("0123456789a", t).ok());
}

TEST(InputLimits, BatchSize) {
  auto m = LoadModel();
  ASSERT_NE(m, nullptr);
  std::vector<std::string> texts(kDefaultMaxBatchSize + 1, "a");
  ExpectLimit(m->Run(texts).status(), "max_batch_size = 4096", "a batch of 4097 inputs");
  RunOptions o;
  o.limits.max_batch_size = 3;
  texts.resize(3);
  EXPECT_TRUE(m->Run(texts, o).ok());
  texts.resize(4);
  ExpectLimit(m->Run(texts, o).status(), "max_batch_size = 3", "4 inputs");
}

TEST(InputLimits, TotalTokens) {
  auto m = LoadModel();
  ASSERT_NE(m, nullptr);
  RunOptions o;
  o.limits.max_total_tokens = 10;
  // "a b c" is [CLS] a b c [SEP] = 5 tokens: two fit, three do not.
  EXPECT_TRUE(m->Run(std::vector<std::string>{"a b c", "a b c"}, o).ok());
  ExpectLimit(m->Run(std::vector<std::string>{"a b c", "a b c", "a"}, o).status(),
              "max_total_tokens = 10", "reached at text 2");
  // Truncated inputs count their truncated length.
  o.max_length = 4;
  EXPECT_TRUE(m->Run(std::vector<std::string>{"a b c d e f g", "a b c d e f"}, o).ok());
}

TEST(InputLimits, ChunkedWindowsCountAndFailFast) {
  auto m = LoadModel();
  ASSERT_NE(m, nullptr);
  // ~1M tokens in windows of 3 tokens (1 content token, stride 1): 3M tokens, over the default
  // total; refused before the windows are built.
  std::string text;
  for (int i = 0; i < 500'000; ++i) text += "a ";
  RunOptions o;
  o.long_input = LongInput::kChunk;
  o.max_length = 3;
  const auto t0 = std::chrono::steady_clock::now();
  ExpectLimit(m->Run(std::vector<std::string>{text}, o).status(), "max_total_tokens = 1048576",
              "chunked windows included");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(secs, 20.0);
  // Within the limit, chunking works.
  o.max_length = 8;
  o.limits.max_total_tokens = 1000;
  auto r = m->Run(std::vector<std::string>{"a b c d e f g h i j k l m n o p"}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  o.limits.max_total_tokens = 20;
  ExpectLimit(m->Run(std::vector<std::string>{"a b c d e f g h i j k l m n o p"}, o).status(),
              "max_total_tokens = 20", "text 0");
}

TEST(InputLimits, StandaloneTokenizer) {
  auto t = Tokenizer::FromVocab("[PAD]\n[UNK]\n[CLS]\n[SEP]\na\n", {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const std::string big(kDefaultMaxTextBytes + 1, 'a');
  ExpectLimit((*t)->Tokenize(big).status(), "max_text_bytes = 1048576", "1048577 bytes");
  TokenizeOptions o;
  o.max_text_bytes = 2 * kDefaultMaxTextBytes;
  EXPECT_TRUE((*t)->Tokenize(big, o).ok());
  ExpectLimit((*t)->TokenizePair(big, "a").status(), "max_text_bytes", "1048578 bytes");
}

}  // namespace
}  // namespace hb
