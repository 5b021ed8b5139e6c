// BertNormalizer: the text clean-up half of BERT's basic tokenizer (control-character removal,
// whitespace folding, spaces around CJK ideographs, NFD accent stripping, lower-casing), with
// the origin of every output code point kept so token offsets map back to the input.
//
// Semantics are those of the Rust `tokenizers` BertNormalizer, which backs
// transformers.BertTokenizer since 5.x and which our golden files confirm (e.g. "ΣΟΦΟΣ" lowers
// to "σοφοσ", no final sigma). Differences from the legacy pure-Python BasicTokenizer
// (transformers <= 4.x slow tokenizer), kept here so nobody "fixes" us towards it:
//   * Python NFC-normalizes the whole text first; Rust does not.
//   * Python lower-cases with str.lower() (final-sigma rule: "ΣΟΦΟΣ" -> "σοφος"); Rust maps each
//     code point with char::to_lowercase (U+0130 -> "i\u0307", Σ -> σ always).
//   * Python's whitespace is ' ', \t \n \r and category Zs; Rust's is the White_Space property
//     (adds U+0085, U+2028, U+2029, \v, \f ...).
//   * Python's "control" is any C* category (incl. Cn unassigned, Cs); Rust's is Cc, Cf, Co
//     (the unicode_categories crate's is_other), so unassigned code points survive in Rust.
//   * The CJK range Python calls 2B820–2CEAF is 2B920–2CEAF in Rust (a typo upstream, kept).
//   * Python lower-cases then strips accents per word; Rust strips accents (NFD, drop Mn) over
//     the whole text, then lower-cases.
// Categories (control, punctuation, accents) are Unicode 8.0's, those of the Rust
// unicode_categories crate (see cmake/gen_unicode_tables.mjs); case mapping, White_Space and NFD
// are Unicode 15.0, plus the 55 lower-case mappings of 16.0 and 17.0 letters that Rust's std
// applies. Checked against tokenizers 0.23 over every code point (tools/parity_sweep.py): no
// differences.
#ifndef HB_TOKENIZER_NORMALIZER_H_
#define HB_TOKENIZER_NORMALIZER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hb {

struct NormalizerOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;  // already resolved from "unset" (follows lowercase)
  bool lowercase = true;
};

// Normalized code points, each with the index (in input code points) of the character it
// came from. Expansions (NFD, U+0130's lower case, CJK padding spaces) share their origin.
struct NormalizedText {
  std::u32string chars;
  std::vector<uint32_t> origin;
  void clear() {
    chars.clear();
    origin.clear();
  }
  size_t size() const { return chars.size(); }
};

// BERT's "chinese character": the CJK Unified Ideographs blocks as the Rust normalizer lists
// them (note 2B920, see above).
bool IsBertChineseChar(char32_t c);
// Removed by clean_text: Cc, Cf, Co except \t \n \r.
bool IsBertControl(char32_t c);
// Folded to ' ' by clean_text: \t \n \r and White_Space.
bool IsBertWhitespace(char32_t c);

// Canonical decomposition (NFD) of s: the decomposition and reordering strip_accents uses,
// exposed for the conformance test against NormalizationTest.txt.
std::u32string ToNfd(const std::u32string& s);

class BertNormalizer {
 public:
  explicit BertNormalizer(const NormalizerOptions& options) : options_(options) {}

  // Normalizes text[begin, end) and appends the result to *out; origin indices are absolute
  // positions in text. *scratch is working memory (reused across calls to avoid allocation).
  void Normalize(const char32_t* text, size_t begin, size_t end, NormalizedText* out,
                 NormalizedText* scratch) const;

  const NormalizerOptions& options() const { return options_; }

 private:
  NormalizerOptions options_;
};

}  // namespace hb

#endif  // HB_TOKENIZER_NORMALIZER_H_
