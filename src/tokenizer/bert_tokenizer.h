// BertTokenizer: Hugging Face's BERT tokenization (clean-up, CJK split, lower-casing and accent
// stripping, punctuation split, greedy WordPiece), special tokens, pairs and truncation,
// identical id for id to `transformers.BertTokenizer`.
#ifndef HB_TOKENIZER_BERT_TOKENIZER_H_
#define HB_TOKENIZER_BERT_TOKENIZER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tokenizer/encoding.h"

namespace hb {

struct TokenizerSettings {
  bool lowercase = true;
  std::optional<bool> strip_accents;  // unset: follows `lowercase` (HF default)
  bool tokenize_chinese_chars = true;
  bool clean_text = true;
  std::string unk_token = "[UNK]";
  std::string cls_token = "[CLS]";
  std::string sep_token = "[SEP]";
  std::string pad_token = "[PAD]";
  std::string mask_token = "[MASK]";
  int max_input_chars_per_word = 100;
  std::string continuing_subword_prefix = "##";  // WordPiece continuation marker
  int model_max_length = 512;  // default truncation length (tokenizer_config's model_max_length)
};

// Reads the tokenizer settings from the JSON files of an HF model folder. Each argument may be
// empty (file absent). tokenizer.json's normalizer wins over tokenizer_config.json when both
// are present; special_tokens_map.json's tokens win over tokenizer_config.json's.
// kInvalidModel (naming the file and key) on malformed JSON or mistyped fields; kUnsupported
// for a tokenizer.json whose model is not WordPiece or whose normalizer is not BertNormalizer.
StatusOr<TokenizerSettings> ParseTokenizerSettings(std::string_view tokenizer_config_json,
                                                   std::string_view tokenizer_json,
                                                   std::string_view special_tokens_map_json);

struct EncodeOptions {
  int max_length = 0;              // 0: settings.model_max_length; includes special tokens
  bool add_special_tokens = true;  // [CLS] a [SEP] (b [SEP])
  OffsetUnit offset_unit = OffsetUnit::kCodePoint;
};

class BertTokenizer {
 public:
  // vocab_txt: one token per line (vocab.txt); ids are line numbers.
  static StatusOr<std::unique_ptr<BertTokenizer>> Create(std::string_view vocab_txt,
                                                         const TokenizerSettings& settings);
  ~BertTokenizer();

  // Text must be valid UTF-8 (else kInvalidArgument naming the byte offset). Thread-safe.
  // Special tokens (unk/sep/pad/cls/mask, exact case) found in the text are kept whole, with
  // their span as offsets. kInvalidArgument when max_length < 0 or cannot hold the special
  // tokens.
  StatusOr<Encoding> Encode(std::string_view text, const EncodeOptions& options) const;
  // Text pair; truncation is HF's 'longest_first'. As transformers (`if text_pair:`), an empty
  // b encodes as the single text a.
  StatusOr<Encoding> EncodePair(std::string_view a, std::string_view b,
                                const EncodeOptions& options) const;

  const TokenizerSettings& settings() const;
  int vocab_size() const;
  // -1 when absent.
  int TokenToId(std::string_view token) const;
  // Empty string when out of range.
  const std::string& IdToToken(int id) const;
  int cls_id() const;
  int sep_id() const;
  int pad_id() const;
  int unk_id() const;
  int mask_id() const;  // -1 when the vocabulary has no mask token

 private:
  struct Impl;
  explicit BertTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hb

#endif  // HB_TOKENIZER_BERT_TOKENIZER_H_
