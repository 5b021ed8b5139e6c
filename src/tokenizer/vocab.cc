// vocab.txt parsing, mirroring Python's universal-newline readlines() + rstrip("\n").
#include "tokenizer/vocab.h"

#include <algorithm>

#include "tokenizer/utf8.h"

namespace hb {

StatusOr<Vocab> Vocab::Parse(std::string_view text, std::string_view prefix) {
  Vocab v;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && text[j] != '\n' && text[j] != '\r') ++j;
    v.tokens_.emplace_back(text.substr(i, j - i));
    if (j < text.size() && text[j] == '\r' && j + 1 < text.size() && text[j + 1] == '\n') ++j;
    i = j + 1;
  }
  if (v.tokens_.empty()) return InvalidModel("vocab.txt is empty");
  std::u32string scratch;
  v.ids_.reserve(v.tokens_.size());
  for (size_t id = 0; id < v.tokens_.size(); ++id) {
    const std::string& token = v.tokens_[id];
    scratch.clear();
    Status s = DecodeUtf8(token, &scratch);
    if (!s.ok()) {
      return InvalidModel("vocab.txt line " + std::to_string(id + 1) + ": " + s.message());
    }
    const int id32 = static_cast<int>(id);
    v.ids_[token] = id32;  // a later duplicate wins, as a Python dict
    v.max_token_bytes_ = std::max(v.max_token_bytes_, token.size());
    if (token.size() > prefix.size() && token.compare(0, prefix.size(), prefix) == 0) {
      std::string_view suffix(token);
      suffix.remove_prefix(prefix.size());
      v.continuation_ids_[suffix] = id32;
      v.max_continuation_bytes_ = std::max(v.max_continuation_bytes_, suffix.size());
    }
  }
  return v;
}

const std::string& Vocab::Token(int id) const {
  static const std::string kEmpty;
  if (id < 0 || id >= size()) return kEmpty;
  return tokens_[static_cast<size_t>(id)];
}

}  // namespace hb
