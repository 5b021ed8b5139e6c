// Per code point parity with tokenizers' BertNormalizer and BertPreTokenizer
// (tests/fixtures/tokenizer/codepoints_golden.json, made by tools/parity_sweep.py on the golden
// machine): "a" + c + "b" normalized in three settings and split into words must come out as
// tokenizers has it. The fixture holds every code point whose control / punctuation / accent
// category differs between Unicode 8.0 (the Rust crate's tables) and 15.0, and a sample of others.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tokenizer/normalizer.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/utf8.h"
#include "tokenizer_test_util.h"

namespace hb {
namespace {

std::string Utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) AppendUtf8(c, &out);
  return out;
}

TEST(CodepointGoldenTest, NormalizerAndPreTokenizerMatchTokenizers) {
  const std::string text =
      testing::ReadFileOrEmpty(testing::TokenizerFixture("codepoints_golden.json"));
  ASSERT_FALSE(text.empty());
  const nlohmann::json golden = nlohmann::json::parse(text);
  std::vector<BertNormalizer> normalizers;
  for (const nlohmann::json& s : golden["settings"]) {
    NormalizerOptions o;
    o.clean_text = s["clean_text"].get<bool>();
    o.handle_chinese_chars = s["handle_chinese_chars"].get<bool>();
    o.lowercase = s["lowercase"].get<bool>();
    o.strip_accents = s["strip_accents"].is_null() ? o.lowercase : s["strip_accents"].get<bool>();
    normalizers.emplace_back(o);
  }
  ASSERT_EQ(normalizers.size(), 3u);
  NormalizedText out, scratch;
  int mismatches = 0;
  const nlohmann::json& rows = golden["rows"];
  ASSERT_GT(rows.size(), 1000u);
  for (const nlohmann::json& row : rows) {
    const char32_t c = row[0].get<char32_t>();
    const std::u32string input = std::u32string(U"a") + c + U"b";
    std::u32string cased;
    for (size_t k = 0; k < 3; ++k) {
      out.clear();
      normalizers[k].Normalize(input.data(), 0, input.size(), &out, &scratch);
      if (k == 1) cased = out.chars;
      if (Utf8(out.chars) != row[1 + k].get<std::string>() && ++mismatches <= 10) {
        ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(c) << " setting " << k;
      }
    }
    std::vector<WordSpan> words;
    SplitWords(cased, &words);
    std::vector<std::string> got;
    for (const WordSpan& w : words) got.push_back(Utf8(cased.substr(w.begin, w.end - w.begin)));
    if (got != row[4].get<std::vector<std::string>>() && ++mismatches <= 10) {
      ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(c) << " words";
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace hb
