// Golden parity: every case of tests/fixtures/tokenizer/golden_*.json (generated with HF
// transformers' BertTokenizer on the golden machine) must give identical ids, tokens, type ids
// and code point offsets; byte and UTF-16 offsets must be the same spans re-measured.
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tokenizer/bert_tokenizer.h"
#include "tokenizer/utf8.h"
#include "tokenizer_test_util.h"

namespace hb {
namespace {

using nlohmann::json;

std::vector<std::string> GoldenFiles() {
  std::vector<std::string> files;
  const std::string dir = std::string(HB_FIXTURES_DIR) + "/tokenizer";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.rfind("golden_", 0) == 0 && name.size() > 5 &&
          name.compare(name.size() - 5, 5, ".json") == 0) {
        files.push_back(name);
      }
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Offsets of the same tokens in another unit, from code point offsets.
std::vector<std::pair<int32_t, int32_t>> Remeasure(
    const std::string& text, const std::vector<std::pair<int32_t, int32_t>>& cp_offsets,
    OffsetUnit unit) {
  std::u32string cps;
  EXPECT_TRUE(DecodeUtf8(text, &cps).ok());
  std::vector<int32_t> pos(cps.size() + 1, 0);
  for (size_t i = 0; i < cps.size(); ++i) {
    pos[i + 1] = pos[i] + (unit == OffsetUnit::kUtf16 ? Utf16Length(cps[i]) : Utf8Length(cps[i]));
  }
  std::vector<std::pair<int32_t, int32_t>> out;
  for (auto [b, e] : cp_offsets) out.emplace_back(pos[b], pos[e]);
  return out;
}

TEST(GoldenParityTest, AllCasesMatchTransformers) {
  const std::vector<std::string> files = GoldenFiles();
  if (files.empty()) GTEST_SKIP() << "no golden_*.json under " << HB_FIXTURES_DIR;
  int total_cases = 0;
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const json golden = json::parse(testing::ReadFileOrEmpty(testing::TokenizerFixture(file)));
    const std::string vocab =
        testing::ReadFileOrEmpty(testing::TokenizerFixture(golden["vocab"].get<std::string>()));
    ASSERT_FALSE(vocab.empty());
    TokenizerSettings settings;
    const json& s = golden["settings"];
    settings.lowercase = s["lowercase"].get<bool>();
    if (!s["strip_accents"].is_null()) settings.strip_accents = s["strip_accents"].get<bool>();
    settings.tokenize_chinese_chars = s["tokenize_chinese_chars"].get<bool>();
    if (golden.contains("model_max_length")) {
      settings.model_max_length = golden["model_max_length"].get<int>();
    }
    auto tokenizer = BertTokenizer::Create(vocab, settings);
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();

    int mismatches = 0;
    const json& cases = golden["cases"];
    for (size_t i = 0; i < cases.size(); ++i) {
      const json& c = cases[i];
      const std::string text = c["text"].get<std::string>();
      const bool pair = c.contains("pair");
      const std::string second = pair ? c["pair"].get<std::string>() : std::string();
      EncodeOptions options;
      if (c.contains("max_length")) options.max_length = c["max_length"].get<int>();

      auto enc = pair ? (*tokenizer)->EncodePair(text, second, options)
                      : (*tokenizer)->Encode(text, options);
      ASSERT_TRUE(enc.ok()) << enc.status().ToString();
      const auto ids = c["ids"].get<std::vector<int32_t>>();
      const auto tokens = c["tokens"].get<std::vector<std::string>>();
      const auto type_ids = c["type_ids"].get<std::vector<int32_t>>();
      bool ok = enc->ids == ids && enc->tokens == tokens && enc->type_ids == type_ids;
      std::vector<std::pair<int32_t, int32_t>> offsets;
      if (c.contains("offsets")) {
        for (const json& o : c["offsets"]) offsets.emplace_back(o[0].get<int>(), o[1].get<int>());
        ok = ok && enc->offsets == offsets;
      }
      if (!ok && ++mismatches <= 10) {
        std::string got, want;
        for (size_t k = 0; k < enc->tokens.size(); ++k) {
          got += enc->tokens[k] + "(" + std::to_string(enc->offsets[k].first) + "," +
                 std::to_string(enc->offsets[k].second) + ") ";
        }
        for (size_t k = 0; k < tokens.size(); ++k) {
          want += tokens[k];
          if (k < offsets.size()) {
            want += "(" + std::to_string(offsets[k].first) + "," +
                    std::to_string(offsets[k].second) + ")";
          }
          want += " ";
        }
        ADD_FAILURE() << "case " << i << " text=" << json(text).dump()
                      << (pair ? " pair=" + json(second).dump() : "") << "\n  got:  " << got
                      << "\n  want: " << want;
      }
      // The other units measure the same spans (pair offsets are in their own text).
      if (ok && !offsets.empty() && !pair) {
        for (OffsetUnit unit : {OffsetUnit::kUtf16, OffsetUnit::kByte}) {
          EncodeOptions o2 = options;
          o2.offset_unit = unit;
          auto enc2 = (*tokenizer)->Encode(text, o2);
          ASSERT_TRUE(enc2.ok());
          auto want2 = Remeasure(text, offsets, unit);
          for (size_t k = 0; k < want2.size(); ++k) {
            if (offsets[k] == std::make_pair(0, 0)) want2[k] = {0, 0};
          }
          EXPECT_EQ(enc2->offsets, want2) << "case " << i << " unit " << static_cast<int>(unit);
        }
      }
      ++total_cases;
    }
    EXPECT_EQ(mismatches, 0) << file << ": " << mismatches << " of " << cases.size();
    std::printf("%s: %zu cases, %d mismatches\n", file.c_str(), cases.size(), mismatches);
  }
  std::printf("golden parity: %d cases in %zu files\n", total_cases, files.size());
}

}  // namespace
}  // namespace hb
