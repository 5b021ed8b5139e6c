// ParseTokenizerSettings over HF model-folder JSON: precedence, token objects, the 1e30
// sentinel, Sequence normalizers, and malformed files reported as kInvalidModel by name.
#include <gtest/gtest.h>

#include <string>

#include "tokenizer/bert_tokenizer.h"
#include "tokenizer_test_util.h"

namespace hb {
namespace {

TEST(TokenizerSettingsTest, DefaultsWhenAbsent) {
  auto s = ParseTokenizerSettings("", "", "");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->lowercase);
  EXPECT_FALSE(s->strip_accents.has_value());
  EXPECT_EQ(s->model_max_length, 512);
  EXPECT_EQ(s->unk_token, "[UNK]");
}

TEST(TokenizerSettingsTest, TokenizerConfig) {
  auto s = ParseTokenizerSettings(
      R"({"do_lower_case": false, "strip_accents": true, "tokenize_chinese_chars": false,
          "model_max_length": 1000000000000000019884624838656,
          "unk_token": {"content": "<unk>", "lstrip": false}, "mask_token": "<mask>"})",
      "", R"({"unk_token": "[U]"})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE(s->lowercase);
  EXPECT_EQ(s->strip_accents, std::optional<bool>(true));
  EXPECT_FALSE(s->tokenize_chinese_chars);
  EXPECT_EQ(s->model_max_length, 512);  // HF's "no limit" sentinel is ignored
  EXPECT_EQ(s->unk_token, "[U]");       // special_tokens_map wins
  EXPECT_EQ(s->mask_token, "<mask>");
  s = ParseTokenizerSettings(R"({"model_max_length": 128, "strip_accents": null})", "", "");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->model_max_length, 128);
  EXPECT_FALSE(s->strip_accents.has_value());
}

TEST(TokenizerSettingsTest, TokenizerJsonWins) {
  const char* tj = R"({"normalizer": {"type": "Sequence", "normalizers": [
      {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": false,
       "strip_accents": false, "lowercase": true}]},
      "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                "max_input_chars_per_word": 50, "vocab": {}}})";
  auto s = ParseTokenizerSettings(R"({"do_lower_case": false})", tj, "");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->lowercase);
  EXPECT_EQ(s->strip_accents, std::optional<bool>(false));
  EXPECT_FALSE(s->tokenize_chinese_chars);
  EXPECT_EQ(s->max_input_chars_per_word, 50);
}

TEST(TokenizerSettingsTest, FixtureModels) {
  for (const char* model : {"bert_encoder", "bert_tokcls_cased", "distilbert_encoder"}) {
    const std::string dir = std::string(HB_FIXTURES_DIR) + "/models/" + model + "/";
    const std::string config = testing::ReadFileOrEmpty(dir + "tokenizer_config.json");
    const std::string tj = testing::ReadFileOrEmpty(dir + "tokenizer.json");
    if (config.empty() && tj.empty()) continue;
    auto s = ParseTokenizerSettings(config, tj,
                                    testing::ReadFileOrEmpty(dir + "special_tokens_map.json"));
    EXPECT_TRUE(s.ok()) << model << ": " << s.status().ToString();
  }
}

TEST(TokenizerSettingsTest, Errors) {
  auto s = ParseTokenizerSettings("{not json", "", "");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.status().message().find("tokenizer_config.json"), std::string::npos);
  s = ParseTokenizerSettings("", "[1, 2]", "");
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.status().message().find("tokenizer.json"), std::string::npos);
  s = ParseTokenizerSettings("", "", R"({"unk_token": 5})");
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.status().message().find("special_tokens_map.json"), std::string::npos);
  s = ParseTokenizerSettings(R"({"do_lower_case": "yes"})", "", "");
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidModel);
  s = ParseTokenizerSettings("", R"({"model": {"type": "BPE"}})", "");
  EXPECT_EQ(s.status().code(), StatusCode::kUnsupported);
  s = ParseTokenizerSettings("", R"({"normalizer": {"type": "NFKC"}})", "");
  EXPECT_EQ(s.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace hb
