// WordPiece: greedy longest-match-first split of one word into vocabulary pieces ("un",
// "##aff", "##able"); a word longer than max_input_chars_per_word, or with any unmatched
// remainder, becomes a single [UNK] (as both the Rust and the Python implementations do).
#ifndef HB_TOKENIZER_WORDPIECE_TOKENIZER_H_
#define HB_TOKENIZER_WORDPIECE_TOKENIZER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace hb {

// A piece: vocabulary id and the word's code points [begin, end) it covers.
struct WordPiece {
  int32_t id;
  uint32_t begin;
  uint32_t end;
};

class WordPieceTokenizer {
 public:
  // vocab must outlive this object.
  WordPieceTokenizer(const Vocab* vocab, int unk_id, int max_input_chars_per_word)
      : vocab_(vocab), unk_id_(unk_id), max_input_chars_per_word_(max_input_chars_per_word) {}

  // word: UTF-8; char_starts[k]: byte offset of code point k, char_starts[num_chars] =
  // word.size(). Appends the pieces to *out. Work per code point is bounded by the longest
  // vocabulary entry (no substring longer than it is looked up), so long words stay linear.
  void Tokenize(std::string_view word, const uint32_t* char_starts, size_t num_chars,
                std::vector<WordPiece>* out) const;

 private:
  const Vocab* vocab_;
  int unk_id_;
  int max_input_chars_per_word_;
};

}  // namespace hb

#endif  // HB_TOKENIZER_WORDPIECE_TOKENIZER_H_
