// WordPiece vocabulary (vocab.txt): token <-> id, plus a second index of the "##" continuation
// pieces keyed without their prefix, so WordPiece looks subwords up without building strings.
#ifndef HB_TOKENIZER_VOCAB_H_
#define HB_TOKENIZER_VOCAB_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace hb {

class Vocab {
 public:
  // One token per line, id = line number (as transformers' load_vocab: lines end at \n, \r\n
  // or \r; a duplicated token maps to its last line). kInvalidModel if empty or not UTF-8.
  static StatusOr<Vocab> Parse(std::string_view vocab_txt,
                               std::string_view continuation_prefix = "##");

  Vocab(Vocab&&) = default;  // views into tokens_ stay valid: strings do not move
  Vocab& operator=(Vocab&&) = default;
  Vocab(const Vocab&) = delete;
  Vocab& operator=(const Vocab&) = delete;

  int size() const { return static_cast<int>(tokens_.size()); }
  // -1 when absent.
  int Find(std::string_view token) const {
    auto it = ids_.find(token);
    return it == ids_.end() ? -1 : it->second;
  }
  // Id of continuation_prefix + suffix, -1 when absent.
  int FindContinuation(std::string_view suffix) const {
    auto it = continuation_ids_.find(suffix);
    return it == continuation_ids_.end() ? -1 : it->second;
  }
  // Empty string when out of range.
  const std::string& Token(int id) const;
  // Longest token / continuation suffix in bytes: no longer substring can match.
  size_t max_token_bytes() const { return max_token_bytes_; }
  size_t max_continuation_bytes() const { return max_continuation_bytes_; }

 private:
  Vocab() = default;
  std::vector<std::string> tokens_;
  std::unordered_map<std::string_view, int> ids_;
  std::unordered_map<std::string_view, int> continuation_ids_;
  size_t max_token_bytes_ = 0;
  size_t max_continuation_bytes_ = 0;
};

}  // namespace hb

#endif  // HB_TOKENIZER_VOCAB_H_
