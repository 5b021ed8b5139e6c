// BertTokenizer: special tokens matched in the raw text, then per segment normalize ->
// pre-tokenize -> WordPiece, then truncation and the [CLS] A [SEP] (B [SEP]) template.
#include "tokenizer/bert_tokenizer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "tokenizer/normalizer.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/truncation.h"
#include "tokenizer/utf8.h"
#include "tokenizer/vocab.h"
#include "tokenizer/wordpiece_tokenizer.h"

namespace hb {
namespace {

// The tokens of one input text before truncation; offsets in code points of that text.
struct Sequence {
  std::vector<int32_t> ids;
  std::vector<std::pair<int32_t, int32_t>> offsets;
  std::vector<uint8_t> word_start;  // 1 where a token begins a word (a special token is one)
  std::u32string text;              // decoded input, kept for offset unit conversion
};

// The first `limit` tokens of `seq`, extended to the end of the word the last of them is in:
// tokenizers (0.23) stops word-piecing a text of a pair once it holds max_length tokens, so
// this is the length its pair rule sees (e.g. 9/8 rather than 8/9 of max_length 20 when words
// split into several pieces).
size_t WholeWordPrefix(const Sequence& seq, size_t limit) {
  size_t n = std::min(seq.ids.size(), limit);
  while (n < seq.ids.size() && !seq.word_start[n]) ++n;
  return n;
}

// Working memory of one Encode call (kept together so the hot loops never allocate per word).
struct Scratch {
  NormalizedText normalized;
  NormalizedText pass1;
  std::vector<WordSpan> words;
  std::string word_utf8;
  std::vector<uint32_t> char_starts;
  std::vector<WordPiece> pieces;
};

// Rewrites code point offsets of seq's tokens [from, to) in place into `unit`.
void ConvertOffsets(const std::u32string& text, OffsetUnit unit,
                    std::vector<std::pair<int32_t, int32_t>>* offsets, size_t from, size_t to) {
  if (unit == OffsetUnit::kCodePoint || from == to) return;
  std::vector<int32_t> pos(text.size() + 1);
  int32_t p = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    pos[i] = p;
    p += unit == OffsetUnit::kUtf16 ? Utf16Length(text[i]) : Utf8Length(text[i]);
  }
  pos[text.size()] = p;
  for (size_t i = from; i < to; ++i) {
    auto& o = (*offsets)[i];
    o = {pos[static_cast<size_t>(o.first)], pos[static_cast<size_t>(o.second)]};
  }
}

}  // namespace

struct BertTokenizer::Impl {
  // A special token matched literally (case-sensitive, before normalization) in input text.
  struct Special {
    std::u32string text;
    int32_t id;
  };

  TokenizerSettings settings;
  Vocab vocab;
  BertNormalizer normalizer;
  WordPieceTokenizer wordpiece;
  int32_t cls_id = -1, sep_id = -1, pad_id = -1, unk_id = -1, mask_id = -1;
  std::vector<Special> specials;  // longest first: leftmost-longest matching

  Impl(const TokenizerSettings& s, Vocab v, const NormalizerOptions& n)
      : settings(s),
        vocab(std::move(v)),
        normalizer(n),
        wordpiece(&vocab, 0, s.max_input_chars_per_word) {}

  Status EncodeSequence(std::string_view text, Sequence* seq, Scratch* scratch) const;
  void EncodeSegment(const std::u32string& text, size_t begin, size_t end, Sequence* seq,
                     Scratch* scratch) const;
  StatusOr<Encoding> Encode(std::string_view a, const std::string_view* b,
                            const EncodeOptions& options) const;
};

void BertTokenizer::Impl::EncodeSegment(const std::u32string& text, size_t begin, size_t end,
                                        Sequence* seq, Scratch* s) const {
  if (begin == end) return;
  s->normalized.clear();
  normalizer.Normalize(text.data(), begin, end, &s->normalized, &s->pass1);
  s->words.clear();
  SplitWords(s->normalized.chars, &s->words);
  const std::u32string& chars = s->normalized.chars;
  const std::vector<uint32_t>& origin = s->normalized.origin;
  for (const WordSpan& w : s->words) {
    s->word_utf8.clear();
    s->char_starts.clear();
    for (size_t i = w.begin; i < w.end; ++i) {
      s->char_starts.push_back(static_cast<uint32_t>(s->word_utf8.size()));
      AppendUtf8(chars[i], &s->word_utf8);
    }
    s->char_starts.push_back(static_cast<uint32_t>(s->word_utf8.size()));
    s->pieces.clear();
    wordpiece.Tokenize(s->word_utf8, s->char_starts.data(), w.end - w.begin, &s->pieces);
    for (const WordPiece& p : s->pieces) {
      seq->word_start.push_back(&p == s->pieces.data());
      // Span of the input characters this piece came from. Min/max, not first/last: canonical
      // reordering may permute origins inside a piece.
      uint32_t lo = UINT32_MAX, hi = 0;
      for (size_t i = w.begin + p.begin; i < w.begin + p.end; ++i) {
        lo = std::min(lo, origin[i]);
        hi = std::max(hi, origin[i]);
      }
      seq->ids.push_back(p.id);
      seq->offsets.emplace_back(static_cast<int32_t>(lo), static_cast<int32_t>(hi + 1));
    }
  }
}

Status BertTokenizer::Impl::EncodeSequence(std::string_view text, Sequence* seq,
                                           Scratch* scratch) const {
  HB_RETURN_IF_ERROR(DecodeUtf8(text, &seq->text));
  const std::u32string& cps = seq->text;
  size_t segment = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    for (const Special& sp : specials) {
      if (cps[i] != sp.text[0] || cps.compare(i, sp.text.size(), sp.text) != 0) continue;
      EncodeSegment(cps, segment, i, seq, scratch);
      seq->ids.push_back(sp.id);
      seq->word_start.push_back(1);
      seq->offsets.emplace_back(static_cast<int32_t>(i), static_cast<int32_t>(i + sp.text.size()));
      i += sp.text.size() - 1;
      segment = i + 1;
      break;
    }
  }
  EncodeSegment(cps, segment, cps.size(), seq, scratch);
  return Status::Ok();
}

StatusOr<Encoding> BertTokenizer::Impl::Encode(std::string_view a, const std::string_view* b,
                                               const EncodeOptions& options) const {
  if (options.max_length < 0) {
    return InvalidArgument("max_length must be >= 0 (0: the model's " +
                           std::to_string(settings.model_max_length) + "), got " +
                           std::to_string(options.max_length));
  }
  if (options.offset_unit != OffsetUnit::kCodePoint && options.offset_unit != OffsetUnit::kUtf16 &&
      options.offset_unit != OffsetUnit::kByte) {
    return InvalidArgument("offset_unit must be one of [kCodePoint, kUtf16, kByte]");
  }
  const bool pair = b != nullptr;
  const size_t max_length =
      static_cast<size_t>(options.max_length > 0 ? options.max_length : settings.model_max_length);
  const size_t num_special = options.add_special_tokens ? (pair ? 3 : 2) : 0;
  if (max_length < num_special) {
    return InvalidArgument("max_length " + std::to_string(max_length) + " is smaller than the " +
                           std::to_string(num_special) + " special tokens it must hold");
  }
  Scratch scratch;
  Sequence sa, sb;
  Status status = EncodeSequence(a, &sa, &scratch);
  if (!status.ok()) return pair ? InvalidArgument("first text: " + status.message()) : status;
  if (pair) {
    status = EncodeSequence(*b, &sb, &scratch);
    if (!status.ok()) return InvalidArgument("second text: " + status.message());
  }
  // tokenizers (0.23, as transformers 5.17 calls it) first cuts each text of a pair to about
  // max_length on its own (WholeWordPrefix), then splits the budget between them: e.g. lengths
  // 34/19 with max_length 12 keep 4/5 (the pre-cut 12/12 tie), not the 5/4 that the raw
  // lengths give.
  size_t len_a = sa.ids.size(), len_b = sb.ids.size();
  if (pair) {
    len_a = WholeWordPrefix(sa, max_length);
    len_b = WholeWordPrefix(sb, max_length);
  }
  const KeepLengths keep = LongestFirst(len_a, len_b, max_length - num_special);

  Encoding e;
  e.truncated = keep.a < sa.ids.size() || keep.b < sb.ids.size();
  const size_t total = keep.a + keep.b + num_special;
  e.ids.reserve(total);
  e.type_ids.reserve(total);
  e.offsets.reserve(total);
  auto add = [&e](int32_t id, int32_t type, std::pair<int32_t, int32_t> offset) {
    e.ids.push_back(id);
    e.type_ids.push_back(type);
    e.offsets.push_back(offset);
  };
  const bool special = options.add_special_tokens;
  if (special) add(cls_id, 0, {0, 0});
  const size_t a_begin = e.ids.size();
  for (size_t i = 0; i < keep.a; ++i) add(sa.ids[i], 0, sa.offsets[i]);
  ConvertOffsets(sa.text, options.offset_unit, &e.offsets, a_begin, e.ids.size());
  if (special) add(sep_id, 0, {0, 0});
  if (pair) {
    const size_t b_begin = e.ids.size();
    for (size_t i = 0; i < keep.b; ++i) add(sb.ids[i], 1, sb.offsets[i]);
    ConvertOffsets(sb.text, options.offset_unit, &e.offsets, b_begin, e.ids.size());
    if (special) add(sep_id, 1, {0, 0});
  }
  e.tokens.reserve(e.ids.size());
  for (int32_t id : e.ids) e.tokens.push_back(vocab.Token(id));
  return e;
}

// ---------------------------------------------------------------- BertTokenizer

StatusOr<std::unique_ptr<BertTokenizer>> BertTokenizer::Create(std::string_view vocab_txt,
                                                               const TokenizerSettings& settings) {
  if (settings.max_input_chars_per_word <= 0) {
    return InvalidArgument("max_input_chars_per_word must be > 0, got " +
                           std::to_string(settings.max_input_chars_per_word));
  }
  if (settings.model_max_length <= 0) {
    return InvalidArgument("model_max_length must be > 0, got " +
                           std::to_string(settings.model_max_length));
  }
  if (settings.continuing_subword_prefix.empty()) {
    return InvalidArgument("continuing_subword_prefix must not be empty");
  }
  HB_ASSIGN_OR_RETURN(Vocab vocab, Vocab::Parse(vocab_txt, settings.continuing_subword_prefix));
  NormalizerOptions n;
  n.clean_text = settings.clean_text;
  n.handle_chinese_chars = settings.tokenize_chinese_chars;
  n.lowercase = settings.lowercase;
  n.strip_accents = settings.strip_accents.value_or(settings.lowercase);  // HF default

  auto impl = std::make_unique<Impl>(settings, std::move(vocab), n);
  struct Named {
    const char* name;
    const std::string* token;
    int32_t* id;
  };
  const Named required[] = {{"unk_token", &settings.unk_token, &impl->unk_id},
                            {"cls_token", &settings.cls_token, &impl->cls_id},
                            {"sep_token", &settings.sep_token, &impl->sep_id}};
  for (const Named& r : required) {
    *r.id = impl->vocab.Find(*r.token);
    if (*r.id < 0) {
      return InvalidModel(std::string(r.name) + " '" + *r.token + "' is not in vocab.txt");
    }
  }
  impl->pad_id = impl->vocab.Find(settings.pad_token);
  impl->mask_id = impl->vocab.Find(settings.mask_token);
  impl->wordpiece =
      WordPieceTokenizer(&impl->vocab, impl->unk_id, settings.max_input_chars_per_word);
  // Special tokens are split out of the raw text before normalization, as HF's added tokens
  // (normalized=false): "[MASK]" is one token, "[mask]" is text.
  const std::pair<const std::string*, int32_t> candidates[] = {
      {&settings.unk_token, impl->unk_id},
      {&settings.sep_token, impl->sep_id},
      {&settings.pad_token, impl->pad_id},
      {&settings.cls_token, impl->cls_id},
      {&settings.mask_token, impl->mask_id}};
  for (const auto& [token, id] : candidates) {
    if (id < 0 || token->empty()) continue;
    Impl::Special sp;
    HB_RETURN_IF_ERROR(DecodeUtf8(*token, &sp.text));
    sp.id = id;
    bool duplicate = false;
    for (const Impl::Special& other : impl->specials) duplicate |= other.text == sp.text;
    if (!duplicate) impl->specials.push_back(std::move(sp));
  }
  std::stable_sort(
      impl->specials.begin(), impl->specials.end(),
      [](const Impl::Special& x, const Impl::Special& y) { return x.text.size() > y.text.size(); });
  return std::unique_ptr<BertTokenizer>(new BertTokenizer(std::move(impl)));
}

BertTokenizer::BertTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BertTokenizer::~BertTokenizer() = default;

StatusOr<Encoding> BertTokenizer::Encode(std::string_view text,
                                         const EncodeOptions& options) const {
  return impl_->Encode(text, nullptr, options);
}

StatusOr<Encoding> BertTokenizer::EncodePair(std::string_view a, std::string_view b,
                                             const EncodeOptions& options) const {
  // transformers tests `if text_pair:`, so an empty second text encodes as a single text.
  if (b.empty()) return impl_->Encode(a, nullptr, options);
  return impl_->Encode(a, &b, options);
}

const TokenizerSettings& BertTokenizer::settings() const { return impl_->settings; }
int BertTokenizer::vocab_size() const { return impl_->vocab.size(); }
int BertTokenizer::TokenToId(std::string_view token) const { return impl_->vocab.Find(token); }
const std::string& BertTokenizer::IdToToken(int id) const { return impl_->vocab.Token(id); }
int BertTokenizer::cls_id() const { return impl_->cls_id; }
int BertTokenizer::sep_id() const { return impl_->sep_id; }
int BertTokenizer::pad_id() const { return impl_->pad_id; }
int BertTokenizer::unk_id() const { return impl_->unk_id; }
int BertTokenizer::mask_id() const { return impl_->mask_id; }

}  // namespace hb
