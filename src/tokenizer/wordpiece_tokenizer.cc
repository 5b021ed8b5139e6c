// Greedy longest match over code point boundaries; see the header for the complexity bound.
#include "tokenizer/wordpiece_tokenizer.h"

namespace hb {

void WordPieceTokenizer::Tokenize(std::string_view word, const uint32_t* char_starts,
                                  size_t num_chars, std::vector<WordPiece>* out) const {
  if (num_chars == 0) return;
  const uint32_t n = static_cast<uint32_t>(num_chars);
  if (num_chars > static_cast<size_t>(max_input_chars_per_word_)) {
    out->push_back({unk_id_, 0, n});
    return;
  }
  const size_t first = out->size();
  uint32_t start = 0;
  while (start < n) {
    const size_t max_bytes =
        start == 0 ? vocab_->max_token_bytes() : vocab_->max_continuation_bytes();
    // Longest candidate end whose substring is not longer than any vocabulary entry.
    uint32_t end = n;
    while (end > start && char_starts[end] - char_starts[start] > max_bytes) --end;
    int id = -1;
    for (; end > start; --end) {
      const std::string_view piece =
          word.substr(char_starts[start], char_starts[end] - char_starts[start]);
      id = start == 0 ? vocab_->Find(piece) : vocab_->FindContinuation(piece);
      if (id >= 0) break;
    }
    if (id < 0) {  // some remainder matches nothing: the whole word is unknown
      out->resize(first);
      out->push_back({unk_id_, 0, n});
      return;
    }
    out->push_back({id, start, end});
    start = end;
  }
}

}  // namespace hb
