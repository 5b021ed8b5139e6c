// Fuzz target: BertTokenizer::Encode / EncodePair on arbitrary bytes with a fixed vocabulary
// (tests/fixtures/models/bert_seqcls/vocab.txt, read once at start-up) and every option
// combination chosen by the first three input bytes:
//   byte 0: bit 0 lowercase, bits 1-2 strip_accents (unset / false / true), bit 3 CJK split,
//           bit 4 clean_text, bit 5 add_special_tokens, bit 6 pair, bit 7 small
//           max_input_chars_per_word (5 instead of 100)
//   byte 1: max_length (0 = model_max_length 512; 1-3 are too small for special tokens:
//           errors expected; 255 = -1, invalid)
//   byte 2: offset unit (mod 3) in bits 0-1; the rest of the input splits into the pair at
//           rest.size() * (byte 2 >> 2) / 63.
// Results are checked for internal consistency (parallel arrays of one length, the length
// limit, offsets within the text). Errors are expected; crashes, leaks and UB are bugs.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "base/file_io.h"
#include "tokenizer/bert_tokenizer.h"

#ifndef HB_FUZZ_VOCAB
#define HB_FUZZ_VOCAB HB_FIXTURES_DIR "/models/bert_seqcls/vocab.txt"
#endif

namespace {

const std::string& Vocab() {
  static const std::string* vocab = [] {
    hb::StatusOr<std::string> v = hb::ReadFile(HB_FUZZ_VOCAB);
    if (!v.ok()) {
      fprintf(stderr, "fuzz_tokenizer: cannot read %s: %s\n", HB_FUZZ_VOCAB,
              v.status().ToString().c_str());
      abort();
    }
    return new std::string(std::move(v).value());
  }();
  return *vocab;
}

// One tokenizer per settings combination (2 x 3 x 2 x 2 x 2 = 48), created on first use.
const hb::BertTokenizer* TokenizerFor(uint8_t b) {
  static std::unique_ptr<hb::BertTokenizer> cache[48];
  const int lowercase = b & 1;
  const int strip = ((b >> 1) & 3) % 3;
  const int cjk = (b >> 3) & 1;
  const int clean = (b >> 4) & 1;
  const int short_words = (b >> 7) & 1;
  const int index = (((lowercase * 3 + strip) * 2 + cjk) * 2 + clean) * 2 + short_words;
  if (!cache[index]) {
    hb::TokenizerSettings s;
    s.lowercase = lowercase;
    if (strip == 1) s.strip_accents = false;
    if (strip == 2) s.strip_accents = true;
    s.tokenize_chinese_chars = cjk;
    s.clean_text = clean;
    if (short_words) s.max_input_chars_per_word = 5;
    hb::StatusOr<std::unique_ptr<hb::BertTokenizer>> t = hb::BertTokenizer::Create(Vocab(), s);
    if (!t.ok()) {
      fprintf(stderr, "fuzz_tokenizer: %s\n", t.status().ToString().c_str());
      abort();
    }
    cache[index] = std::move(t).value();
  }
  return cache[index].get();
}

void Check(const hb::StatusOr<hb::Encoding>& e, const hb::EncodeOptions& o, size_t len_a,
           size_t len_b, const hb::BertTokenizer& tok) {
  if (!e.ok()) return;
  const size_t n = e->ids.size();
  if (e->type_ids.size() != n || e->tokens.size() != n || e->offsets.size() != n) __builtin_trap();
  const int limit = o.max_length > 0 ? o.max_length : tok.settings().model_max_length;
  if (n > static_cast<size_t>(limit)) __builtin_trap();
  for (size_t i = 0; i < n; ++i) {
    if (e->ids[i] < 0 || e->ids[i] >= tok.vocab_size()) __builtin_trap();
    const auto [begin, end] = e->offsets[i];
    const size_t text_len = e->type_ids[i] == 0 ? len_a : len_b;  // bytes bound every unit
    if (begin < 0 || end < begin || static_cast<size_t>(end) > text_len) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint8_t flags = data[0];
  const hb::BertTokenizer* tok = TokenizerFor(flags);
  hb::EncodeOptions o;
  o.add_special_tokens = (flags >> 5) & 1;
  o.max_length = data[1] == 255 ? -1 : data[1];
  o.offset_unit = static_cast<hb::OffsetUnit>((data[2] & 3) % 3);
  std::string_view rest(reinterpret_cast<const char*>(data + 3), size - 3);
  if ((flags >> 6) & 1) {
    const size_t split = rest.size() * (data[2] >> 2) / 63;
    // Copies so ASan sees the exact bounds of each text.
    const std::string a(rest.substr(0, split)), b(rest.substr(split));
    Check(tok->EncodePair(a, b, o), o, a.size(), b.size(), *tok);
  } else {
    const std::string a(rest);
    Check(tok->Encode(a, o), o, a.size(), 0, *tok);
  }
  return 0;
}
