// Hand-written BertTokenizer cases on a tiny vocabulary: normalization, CJK, punctuation,
// control characters, long words, special tokens in text, pairs, truncation, offsets in all
// three units, invalid UTF-8 and invalid options.
#include "tokenizer/bert_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hb {
namespace {

const char kVocab[] =
    "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n,\n!\nun\n##aff\n##able\ncafe\ncafé\n"
    "i\n##stan\nistanbul\n中\n文\n.\na\n##a\n"
    "\xC4\xB1\n"
    "\xCC\x87\n"
    "##\xCC\x87\n";

std::unique_ptr<BertTokenizer> Make(TokenizerSettings s = TokenizerSettings()) {
  auto t = BertTokenizer::Create(kVocab, s);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

std::vector<std::string> Tokens(const BertTokenizer& t, const std::string& text,
                                EncodeOptions o = EncodeOptions()) {
  auto e = t.Encode(text, o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? e->tokens : std::vector<std::string>{"<error>"};
}

using V = std::vector<std::string>;
using Offsets = std::vector<std::pair<int32_t, int32_t>>;

TEST(BertTokenizerTest, Basics) {
  auto t = Make();
  EXPECT_EQ(t->vocab_size(), 25);
  EXPECT_EQ(t->cls_id(), 2);
  EXPECT_EQ(t->sep_id(), 3);
  EXPECT_EQ(t->pad_id(), 0);
  EXPECT_EQ(t->unk_id(), 1);
  EXPECT_EQ(t->mask_id(), 4);
  EXPECT_EQ(t->TokenToId("hello"), 5);
  EXPECT_EQ(t->TokenToId("nope"), -1);
  EXPECT_EQ(t->IdToToken(6), "world");
  EXPECT_EQ(t->IdToToken(99), "");
  EXPECT_EQ(Tokens(*t, "Hello, WORLD!"), (V{"[CLS]", "hello", ",", "world", "!", "[SEP]"}));
  EXPECT_EQ(Tokens(*t, ""), (V{"[CLS]", "[SEP]"}));
  EXPECT_EQ(Tokens(*t, " \t\n "), (V{"[CLS]", "[SEP]"}));
  EXPECT_EQ(Tokens(*t, "unaffable"), (V{"[CLS]", "un", "##aff", "##able", "[SEP]"}));
  EXPECT_EQ(Tokens(*t, "unaffablex"), (V{"[CLS]", "[UNK]", "[SEP]"}));  // whole word unknown
}

TEST(BertTokenizerTest, AccentsAndCase) {
  auto t = Make();  // uncased: strip_accents follows lowercase
  EXPECT_EQ(Tokens(*t, "CAFÉ Café cafe\xCC\x81"), (V{"[CLS]", "cafe", "cafe", "cafe", "[SEP]"}));
  // İ -> I + U+0307 by NFD, the mark is dropped, then lower-cased.
  EXPECT_EQ(Tokens(*t, "İSTANBUL"), (V{"[CLS]", "istanbul", "[SEP]"}));
  TokenizerSettings keep;
  keep.strip_accents = false;  // lower-case only: İ -> i + U+0307 (Rust char::to_lowercase)
  auto k = Make(keep);
  EXPECT_EQ(Tokens(*k, "Café"), (V{"[CLS]", "café", "[SEP]"}));
  EXPECT_EQ(Tokens(*k, "İ"), (V{"[CLS]", "i", "##\xCC\x87", "[SEP]"}));
  TokenizerSettings cased;
  cased.lowercase = false;
  auto c = Make(cased);
  EXPECT_EQ(Tokens(*c, "Hello café"), (V{"[CLS]", "[UNK]", "café", "[SEP]"}));
}

TEST(BertTokenizerTest, ChinesePunctuationAndControls) {
  auto t = Make();
  EXPECT_EQ(Tokens(*t, "hello中文world"), (V{"[CLS]", "hello", "中", "文", "world", "[SEP]"}));
  TokenizerSettings no_cjk;
  no_cjk.tokenize_chinese_chars = false;
  EXPECT_EQ(Tokens(*Make(no_cjk), "中文"), (V{"[CLS]", "[UNK]", "[SEP]"}));
  // Controls (Cc, Cf, Co), NUL and U+FFFD vanish; \t \n \r and other White_Space split.
  EXPECT_EQ(Tokens(*t, std::string("hel\x01lo\0 wor\xEE\x80\x80ld\xE2\x80\x8B\xEF\xBF\xBD", 22)),
            (V{"[CLS]", "hello", "world", "[SEP]"}));
  EXPECT_EQ(Tokens(*t, "hello\xE2\x80\xA8world\xC2\x85!"),
            (V{"[CLS]", "hello", "world", "!", "[SEP]"}));
  EXPECT_EQ(Tokens(*t, "a.a,a"), (V{"[CLS]", "a", ".", "a", ",", "a", "[SEP]"}));
}

TEST(BertTokenizerTest, LongWords) {
  auto t = Make();
  EXPECT_EQ(Tokens(*t, std::string(100, 'a')).size(), 102u);  // a ##a ... (100 pieces)
  EXPECT_EQ(Tokens(*t, std::string(101, 'a')), (V{"[CLS]", "[UNK]", "[SEP]"}));
  TokenizerSettings s;
  s.max_input_chars_per_word = 3;
  EXPECT_EQ(Tokens(*Make(s), "aaaa aaa"), (V{"[CLS]", "[UNK]", "a", "##a", "##a", "[SEP]"}));
  // Huge text: linear, and truncated to model_max_length.
  std::string huge;
  for (int i = 0; i < 200000; ++i) huge += "unaffable ";
  auto e = t->Encode(huge, EncodeOptions());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->size(), 512u);
  EXPECT_TRUE(e->truncated);
}

TEST(BertTokenizerTest, SpecialTokensInText) {
  auto t = Make();
  auto e = t->Encode("hello [MASK] [mask][SEP]x", EncodeOptions());
  ASSERT_TRUE(e.ok());
  // "[mask]" is text ("[" and "]" are not in this vocabulary).
  EXPECT_EQ(e->tokens,
            (V{"[CLS]", "hello", "[MASK]", "[UNK]", "[UNK]", "[UNK]", "[SEP]", "[UNK]", "[SEP]"}));
  EXPECT_EQ(
      e->offsets,
      (Offsets{{0, 0}, {0, 5}, {6, 12}, {13, 14}, {14, 18}, {18, 19}, {19, 24}, {24, 25}, {0, 0}}));
}

TEST(BertTokenizerTest, OffsetsInAllUnits) {
  auto t = Make();
  const std::string text = "\xF0\x9F\x98\x80 CAFÉ 中!";  // 😀 (2 UTF-16 units, 4 bytes)
  EncodeOptions o;
  auto cp = t->Encode(text, o);
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->tokens, (V{"[CLS]", "[UNK]", "cafe", "中", "!", "[SEP]"}));
  EXPECT_EQ(cp->offsets, (Offsets{{0, 0}, {0, 1}, {2, 6}, {7, 8}, {8, 9}, {0, 0}}));
  o.offset_unit = OffsetUnit::kUtf16;
  EXPECT_EQ(t->Encode(text, o)->offsets,
            (Offsets{{0, 0}, {0, 2}, {3, 7}, {8, 9}, {9, 10}, {0, 0}}));
  o.offset_unit = OffsetUnit::kByte;
  EXPECT_EQ(t->Encode(text, o)->offsets,
            (Offsets{{0, 0}, {0, 4}, {5, 10}, {11, 14}, {14, 15}, {0, 0}}));
  // A subword of an expanded character maps back to the whole original character.
  TokenizerSettings keep;
  keep.strip_accents = false;
  auto k = Make(keep);
  auto e = k->Encode("aİ", EncodeOptions());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->tokens, (V{"[CLS]", "[UNK]", "[SEP]"}));
  EXPECT_EQ(e->offsets, (Offsets{{0, 0}, {0, 2}, {0, 0}}));
  e = k->Encode("İ", EncodeOptions());
  EXPECT_EQ(e->offsets, (Offsets{{0, 0}, {0, 1}, {0, 1}, {0, 0}}));
}

TEST(BertTokenizerTest, PairsAndTruncation) {
  auto t = Make();
  auto e = t->EncodePair("hello world", "a a a", EncodeOptions());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->tokens, (V{"[CLS]", "hello", "world", "[SEP]", "a", "a", "a", "[SEP]"}));
  EXPECT_EQ(e->type_ids, (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(e->offsets, (Offsets{{0, 0}, {0, 5}, {6, 11}, {0, 0}, {0, 1}, {2, 3}, {4, 5}, {0, 0}}));
  EXPECT_FALSE(e->truncated);
  // Empty second text: a single text, as transformers' `if text_pair:`.
  EXPECT_EQ(t->EncodePair("hello", "", EncodeOptions())->tokens, (V{"[CLS]", "hello", "[SEP]"}));
  EncodeOptions o;
  o.max_length = 6;  // budget 3 for lengths 2/3: both are cut, the longer keeps 2
  e = t->EncodePair("hello world", "a a a", o);
  EXPECT_EQ(e->tokens, (V{"[CLS]", "hello", "[SEP]", "a", "a", "[SEP]"}));
  o.max_length = 7;  // budget 4: only the longer is cut -> 2/2
  e = t->EncodePair("hello world", "a a a", o);
  EXPECT_EQ(e->tokens, (V{"[CLS]", "hello", "world", "[SEP]", "a", "a", "[SEP]"}));
  EXPECT_TRUE(e->truncated);
  o.max_length = 4;  // single: [CLS] hello world [SEP] fits exactly
  e = t->Encode("hello world", o);
  EXPECT_FALSE(e->truncated);
  o.max_length = 3;
  e = t->Encode("hello world", o);
  EXPECT_EQ(e->tokens, (V{"[CLS]", "hello", "[SEP]"}));
  EXPECT_TRUE(e->truncated);
  o.max_length = 2;
  EXPECT_EQ(t->Encode("hello", o)->tokens, (V{"[CLS]", "[SEP]"}));
  o.add_special_tokens = false;
  o.max_length = 1;
  EXPECT_EQ(t->Encode("hello world", o)->tokens, (V{"hello"}));
}

TEST(BertTokenizerTest, LongestFirstRule) {
  // tokenizers' rule (truncation.h): lengths 10/10, budget 5 -> 2/3.
  auto t = Make();
  EncodeOptions o;
  o.max_length = 8;
  auto e = t->EncodePair("a a a a a a a a a a", "a a a a a a a a a a", o);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->type_ids, (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1, 1}));
}

TEST(BertTokenizerTest, Errors) {
  auto t = Make();
  auto e = t->Encode("ok \xC3(", EncodeOptions());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("byte offset 3"), std::string::npos);
  e = t->EncodePair("fine", "\xED\xA0\x80", EncodeOptions());
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("second text"), std::string::npos);
  EncodeOptions o;
  o.max_length = -1;
  EXPECT_EQ(t->Encode("x", o).status().code(), StatusCode::kInvalidArgument);
  o.max_length = 2;
  EXPECT_EQ(t->EncodePair("x", "y", o).status().code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(BertTokenizer::Create("", TokenizerSettings()).status().code(),
            StatusCode::kInvalidModel);
  EXPECT_EQ(BertTokenizer::Create("[CLS]\n[SEP]\n", TokenizerSettings()).status().code(),
            StatusCode::kInvalidModel);  // no [UNK]
  EXPECT_EQ(
      BertTokenizer::Create("[UNK]\n[CLS]\n[SEP]\n\xFF\n", TokenizerSettings()).status().code(),
      StatusCode::kInvalidModel);
  // Windows line ends and a missing final newline; duplicates map to the last line.
  auto w = BertTokenizer::Create("[UNK]\r\n[CLS]\r\n[SEP]\r\nx\r\nx", TokenizerSettings());
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)->vocab_size(), 5);
  EXPECT_EQ((*w)->TokenToId("x"), 4);
  EXPECT_EQ((*w)->pad_id(), -1);
}

}  // namespace
}  // namespace hb
