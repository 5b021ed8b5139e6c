// UTF-8 decoding edge cases: every malformed form is rejected with its byte offset.
#include "tokenizer/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace hb {
namespace {

std::u32string Decode(const std::string& s) {
  std::u32string out;
  Status st = DecodeUtf8(s, &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

void ExpectInvalid(const std::string& s, size_t offset, const std::string& fragment) {
  std::u32string out;
  Status st = DecodeUtf8(s, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("byte offset " + std::to_string(offset)), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find(fragment), std::string::npos) << st.message();
}

TEST(Utf8Test, DecodesBoundaries) {
  EXPECT_EQ(Decode(""), U"");
  EXPECT_EQ(Decode(std::string("\0", 1)), std::u32string(1, 0));
  EXPECT_EQ(Decode("\x7F\xC2\x80\xDF\xBF"), (std::u32string{0x7F, 0x80, 0x7FF}));
  EXPECT_EQ(Decode("\xE0\xA0\x80\xEF\xBF\xBF"), (std::u32string{0x800, 0xFFFF}));
  EXPECT_EQ(Decode("\xED\x9F\xBF\xEE\x80\x80"), (std::u32string{0xD7FF, 0xE000}));
  EXPECT_EQ(Decode("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"), (std::u32string{0x10000, 0x10FFFF}));
  EXPECT_EQ(Decode("h\xC3\xA9llo \xF0\x9F\x98\x80"), U"h\u00E9llo \U0001F600");
}

TEST(Utf8Test, RejectsMalformed) {
  ExpectInvalid("ab\x80", 2, "continuation");
  ExpectInvalid("\xC0\x80", 0, "overlong");
  ExpectInvalid("x\xC1\xBF", 1, "overlong");
  ExpectInvalid("\xE0\x80\x80", 0, "overlong");
  ExpectInvalid("\xF0\x80\x80\x80", 0, "overlong");
  ExpectInvalid("\xED\xA0\x80", 0, "surrogate");
  ExpectInvalid("\xED\xBF\xBF", 0, "surrogate");
  ExpectInvalid("\xF4\x90\x80\x80", 0, "past U+10FFFF");
  ExpectInvalid("\xF5\x80\x80\x80", 0, "past U+10FFFF");
  ExpectInvalid("\xFF", 0, "lead byte");
  ExpectInvalid("abc\xE2\x82", 3, "truncated");
  ExpectInvalid(
      "\xE2\x82"
      "a",
      0, "truncated");
  ExpectInvalid("\xC3", 0, "truncated");
  ExpectInvalid("\xF0\x9F\x98", 0, "truncated");
  ExpectInvalid(
      "\xF0\x9F"
      "ab",
      0, "truncated");
}

TEST(Utf8Test, EncodeRoundTrips) {
  const std::u32string cps = {0x41, 0x7FF, 0x800, 0xFFFD, 0x10000, 0x10FFFF};
  std::string s;
  for (char32_t c : cps) AppendUtf8(c, &s);
  EXPECT_EQ(Decode(s), cps);
  EXPECT_EQ(s.size(), 1u + 2 + 3 + 3 + 4 + 4);
}

}  // namespace
}  // namespace hb
