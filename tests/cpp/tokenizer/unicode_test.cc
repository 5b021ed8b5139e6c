// Generated Unicode tables: spot checks, and our NFD against the Unicode conformance file
// NormalizationTest.txt (column 3 = NFD of column 1), read through bzcat when available.
#include "tokenizer/unicode.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "tokenizer/normalizer.h"

namespace hb {
namespace {

TEST(UnicodeTest, Version) { EXPECT_STREQ(UnicodeVersion(), "15.0.0"); }

TEST(UnicodeTest, GeneralCategory) {
  EXPECT_EQ(GetGeneralCategory('A'), GeneralCategory::kLu);
  EXPECT_EQ(GetGeneralCategory(0), GeneralCategory::kCc);
  EXPECT_EQ(GetGeneralCategory(0x301), GeneralCategory::kMn);
  EXPECT_EQ(GetGeneralCategory(0x4E00), GeneralCategory::kLo);  // inside a First/Last range
  EXPECT_EQ(GetGeneralCategory(0x9FCC), GeneralCategory::kLo);
  EXPECT_EQ(GetGeneralCategory(0xE123), GeneralCategory::kCo);
  EXPECT_EQ(GetGeneralCategory(0x200B), GeneralCategory::kCf);
  EXPECT_EQ(GetGeneralCategory(0x2014), GeneralCategory::kPd);
  EXPECT_EQ(GetGeneralCategory(0x0378), GeneralCategory::kCn);
  EXPECT_EQ(GetGeneralCategory(0x10FFFF), GeneralCategory::kCn);
  EXPECT_EQ(GetGeneralCategory(0x3000), GeneralCategory::kZs);
  EXPECT_TRUE(IsPunctuationCategory(GetGeneralCategory(0x00BF)));  // ¿
}

// The categories are Unicode 8.0's, as in the Rust crate behind tokenizers' BERT normalizer and
// pre-tokenizer: later code points are Cn (neither control, punctuation nor accent there), and
// the few whose category changed since keep the 8.0 one.
TEST(UnicodeTest, GeneralCategoryIsUnicode8) {
  EXPECT_EQ(GetGeneralCategory(0x061D), GeneralCategory::kCn);   // Po, new in 14.0
  EXPECT_EQ(GetGeneralCategory(0x08E2), GeneralCategory::kCn);   // Cf, new in 9.0
  EXPECT_EQ(GetGeneralCategory(0x07FD), GeneralCategory::kCn);   // Mn, new in 11.0
  EXPECT_EQ(GetGeneralCategory(0x9FFF), GeneralCategory::kCn);   // Lo, new in 14.0
  EXPECT_EQ(GetGeneralCategory(0x08E3), GeneralCategory::kMn);   // 8.0
  EXPECT_EQ(GetGeneralCategory(0x1734), GeneralCategory::kMn);   // Mc since 14.0
  EXPECT_EQ(GetGeneralCategory(0x111C9), GeneralCategory::kPo);  // Mn since 11.0
  EXPECT_EQ(GetGeneralCategory(0x1885), GeneralCategory::kLo);   // Mn since 9.0
  EXPECT_EQ(GetGeneralCategory(0x166D), GeneralCategory::kPo);   // So since 12.0
}

TEST(UnicodeTest, LowercaseIsFullAndContextFree) {
  char32_t out[kMaxLowercase];
  ASSERT_EQ(ToLowercase(0x130, out), 2);  // İ -> i + combining dot above
  EXPECT_EQ(out[0], U'i');
  EXPECT_EQ(out[1], 0x307u);
  ASSERT_EQ(ToLowercase(0x3A3, out), 1);  // Σ -> σ, never ς
  EXPECT_EQ(out[0], 0x3C3u);
  ToLowercase(0x100, out);
  EXPECT_EQ(out[0], 0x101u);
  ToLowercase(0x101, out);
  EXPECT_EQ(out[0], 0x101u);
  ToLowercase(0x212A, out);  // KELVIN SIGN -> k
  EXPECT_EQ(out[0], U'k');
  ToLowercase(0x10400, out);  // Deseret
  EXPECT_EQ(out[0], 0x10428u);
  ToLowercase(0x1E9E, out);  // ẞ -> ß
  EXPECT_EQ(out[0], 0xDFu);
  ToLowercase(0xDF, out);  // ß has no lower-case change
  EXPECT_EQ(out[0], 0xDFu);
}

TEST(UnicodeTest, WhiteSpace) {
  for (char32_t c : {0x9, 0xA, 0xB, 0xC, 0xD, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028,
                     0x2029, 0x202F, 0x205F, 0x3000}) {
    EXPECT_TRUE(IsWhiteSpace(c)) << std::hex << c;
  }
  for (char32_t c : {0x200B, 0x180E, 0xFEFF, 0x41}) EXPECT_FALSE(IsWhiteSpace(c)) << std::hex << c;
}

std::u32string ParseColumn(const std::string& col) {
  std::u32string s;
  std::istringstream in(col);
  std::string hex;
  while (in >> hex) s.push_back(static_cast<char32_t>(std::stoul(hex, nullptr, 16)));
  return s;
}

TEST(UnicodeTest, NfdConformance) {
  const std::string cmd =
      std::string("bzcat ") + HB_UNICODE_DATA_DIR + "/NormalizationTest.txt.bz2 2>/dev/null";
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) GTEST_SKIP() << "cannot run bzcat (no shell in this environment)";
  int lines = 0, failures = 0;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, f)) {
    std::string line(buf);
    if (line.empty() || line[0] == '#' || line[0] == '@') continue;
    std::vector<std::string> cols;
    size_t start = 0;
    for (int k = 0; k < 3; ++k) {
      const size_t semi = line.find(';', start);
      if (semi == std::string::npos) break;
      cols.push_back(line.substr(start, semi - start));
      start = semi + 1;
    }
    if (cols.size() < 3) continue;
    ++lines;
    if (ToNfd(ParseColumn(cols[0])) != ParseColumn(cols[2]) && ++failures <= 5) {
      ADD_FAILURE() << "NFD mismatch for " << cols[0];
    }
  }
  pclose(f);
  if (lines == 0) GTEST_SKIP() << "NormalizationTest.txt.bz2 unreadable";
  EXPECT_EQ(failures, 0);
  EXPECT_GT(lines, 15000);
}

}  // namespace
}  // namespace hb
