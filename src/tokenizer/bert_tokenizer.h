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
  int model_max_length = 512;  // default truncation length (tokenizer_config's model_max_length)
};

// Reads the tokenizer settings from the JSON files of an HF model folder. Each argument may be
// empty (file absent). tokenizer.json's normalizer wins over tokenizer_config.json when both
// are present.
StatusOr<TokenizerSettings> ParseTokenizerSettings(std::string_view tokenizer_config_json,
                                                   std::string_view tokenizer_json,
                                                   std::string_view special_tokens_map_json);

struct EncodeOptions {
  int max_length = 0;               // 0: settings.model_max_length; includes special tokens
  bool add_special_tokens = true;   // [CLS] a [SEP] (b [SEP])
  OffsetUnit offset_unit = OffsetUnit::kCodePoint;
};

class BertTokenizer {
 public:
  // vocab_txt: one token per line (vocab.txt); ids are line numbers.
  static StatusOr<std::unique_ptr<BertTokenizer>> Create(std::string_view vocab_txt,
                                                         const TokenizerSettings& settings);
  ~BertTokenizer();

  // Text must be valid UTF-8 (else kInvalidArgument naming the byte offset). Thread-safe.
  StatusOr<Encoding> Encode(std::string_view text, const EncodeOptions& options) const;
  // Text pair; truncation is HF's 'longest_first'.
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

 private:
  struct Impl;
  explicit BertTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hb

#endif  // HB_TOKENIZER_BERT_TOKENIZER_H_
