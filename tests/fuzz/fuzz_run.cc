// Fuzz target: the forward pass on arbitrary token batches and the public Run on arbitrary text,
// with two tiny fixture models loaded once (tests/fixtures/models/distilbert_seqcls and
// bert_seqcls, which has token types and a pooler).
//
//   byte 0: bit 0 mode (0: BertEncoder::Forward on a PackedBatch, 1: Model::Run),
//           bit 1 model (0: distilbert_seqcls, 1: bert_seqcls)
// Forward mode:
//   byte 1: bits 0-1 sequences - 1, bit 2 want_pooler, bit 3 sliding window, bit 4 an exit rule
//           (these models have no exit heads: an error), bit 5 perturb positions, bit 6 allow
//           empty sequences, bit 7 run on a 2-thread pool
//   byte 2: window = 2 + byte % 64; byte 3: number of global positions (% 4), then one byte each
//   then per sequence: a length byte (% 128; the position tables have 96/128 rows), and per
//   token: 2 bytes id (little-endian; below 0xFF00: id % (vocab + 4), so a few ids past the
//   table; else -(low byte)), 1 byte type id (signed), [1 byte position delta, signed].
// Run mode:
//   byte 1: max_length; byte 2: bit 0 embeddings, bit 1 normalize, bits 2-4 early exit (% 5),
//   bits 5-6 attention mode (% 3), bit 7 long inputs chunked; byte 3: window (0: default);
//   byte 4: bit 0 pairs (tab-separated), bit 1 utf16 offsets, bits 2-3 global positions
//   count, bits 4-7 exit patience; byte 5: exit threshold (byte / 64 - 1, so < 0 = default);
//   then the global positions; the rest is texts separated by '\n' (at most 8).
//   Run mode keeps the work per input small with tight InputLimits (kRunLimits below): inputs
//   over them fail fast with kResourceExhausted, which is itself fuzzed (the limit checks and
//   the chunking planner), and no input runs thousands of chunk windows.
// Errors are expected; crashes, leaks and UB are bugs.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_io.h"
#include "base/thread_pool.h"
#include "format/bert_config.h"
#include "format/hf_checkpoint.h"
#include "format/safetensors_reader.h"
#include "hummingbert.h"
#include "model/bert_encoder.h"
#include "model/packed_batch.h"

namespace {

struct Loaded {
  std::unique_ptr<hb::Model> model;
  std::unique_ptr<hb::BertEncoder> encoder;
};

template <typename T>
T Must(hb::StatusOr<T> s, const char* what) {
  if (!s.ok()) {
    fprintf(stderr, "fuzz_run: %s: %s\n", what, s.status().ToString().c_str());
    abort();
  }
  return std::move(s).value();
}

Loaded Load(const std::string& dir) {
  Loaded l;
  l.model = Must(hb::Model::FromHuggingFaceDir(dir), "load model");
  const std::string config_json = Must(hb::ReadFile(dir + "/config.json"), "config.json");
  const std::string st = Must(hb::ReadFile(dir + "/model.safetensors"), "model.safetensors");
  const hb::BertConfig config = Must(hb::ParseBertConfig(config_json), "parse config");
  const hb::SafetensorsReader reader = Must(
      hb::SafetensorsReader::Parse(reinterpret_cast<const uint8_t*>(st.data()), st.size()),
      "parse safetensors");
  hb::BertWeights weights = Must(hb::LoadBertWeights(config, reader), "weights");
  l.encoder = Must(hb::BertEncoder::Create(std::move(weights)), "encoder");
  return l;
}

const Loaded& Model(int which) {
  static const Loaded* models[2] = {
      new Loaded(Load(HB_FIXTURES_DIR "/models/distilbert_seqcls")),
      new Loaded(Load(HB_FIXTURES_DIR "/models/bert_seqcls")),
  };
  return *models[which];
}

hb::ThreadPool& Pool() {
  static hb::ThreadPool* pool = new hb::ThreadPool(2);
  return *pool;
}

struct Reader {
  const uint8_t* p;
  size_t n;
  bool empty() const { return n == 0; }
  uint8_t Byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
};

void FuzzForward(const Loaded& m, Reader in) {
  const uint8_t f = in.Byte();
  const int seqs = (f & 3) + 1;
  hb::ForwardOptions o;
  o.want_pooler = (f >> 2) & 1;
  const uint8_t window = in.Byte();
  if ((f >> 3) & 1) {
    o.attention.kind = hb::AttentionKind::kSlidingWindow;
    o.attention.window = 2 + window % 64;
  }
  const int globals = in.Byte() % 4;
  for (int g = 0; g < globals; ++g) o.attention.global_positions.push_back(in.Byte());
  if ((f >> 4) & 1) {
    o.exit_rule.kind = hb::ExitRuleKind::kEntropy;
    o.exit_rule.threshold = 0.5f;
  }
  const bool perturb = (f >> 5) & 1;
  // HB_FUZZ_NO_EMPTY_SEQUENCES=1 turns empty sequences off, to fuzz past that known finding
  // (regressions/fuzz_run/forward_empty_sequence) until it is fixed.
  static const bool no_empty = getenv("HB_FUZZ_NO_EMPTY_SEQUENCES") != nullptr;
  const bool allow_empty = ((f >> 6) & 1) && !no_empty;
  const int vocab = m.encoder->config().vocab_size;

  hb::PackedBatch batch;
  for (int s = 0; s < seqs && !in.empty(); ++s) {
    int len = in.Byte() % 128;
    if (len == 0 && !allow_empty) len = 1;
    hb::Encoding e;
    std::vector<int32_t> deltas;
    for (int i = 0; i < len && !in.empty(); ++i) {
      const uint8_t lo = in.Byte();
      const uint16_t raw = static_cast<uint16_t>(lo | (in.Byte() << 8));
      const int32_t id = raw < 0xFF00 ? raw % (vocab + 4) : -(raw & 0xFF);
      e.ids.push_back(id);
      e.type_ids.push_back(static_cast<int8_t>(in.Byte()));
      deltas.push_back(perturb ? static_cast<int8_t>(in.Byte()) : 0);
    }
    if (e.ids.empty() && !allow_empty) break;
    const size_t first = batch.positions.size();
    batch.Add(e);
    for (size_t i = 0; i < deltas.size(); ++i) batch.positions[first + i] += deltas[i];
  }
  if (batch.num_sequences() == 0) return;
  hb::StatusOr<hb::ForwardResult> r =
      m.encoder->Forward(batch, o, (f >> 7) & 1 ? &Pool() : nullptr);
  if (r.ok()) {
    const size_t h = static_cast<size_t>(m.encoder->config().hidden_size);
    if (r->hidden.size() != batch.num_tokens() * h) __builtin_trap();
    if (r->exit_layer.size() != batch.num_sequences()) __builtin_trap();
  }
}

// Texts are at most -max_len bytes anyway; the total-tokens cap bounds chunked runs (a text of
// 4000 bytes at max_length 3 would otherwise run ~4000 windows).
constexpr size_t kRunMaxTextBytes = 1024;
constexpr size_t kRunMaxTotalTokens = 768;

void FuzzRun(const Loaded& m, Reader in) {
  hb::RunOptions o;
  o.limits.max_text_bytes = kRunMaxTextBytes;
  o.limits.max_total_tokens = kRunMaxTotalTokens;
  o.max_length = in.Byte();
  const uint8_t f = in.Byte();
  o.embeddings = f & 1;
  o.normalize = (f >> 1) & 1;
  o.early_exit = static_cast<hb::EarlyExit>(((f >> 2) & 7) % 5);
  o.attention.mode = static_cast<hb::AttentionMode>(((f >> 5) & 3) % 3);
  o.long_input = (f >> 7) & 1 ? hb::LongInput::kChunk : hb::LongInput::kTruncate;
  o.attention.window = in.Byte();
  const uint8_t g = in.Byte();
  const bool pairs = g & 1;
  o.offset_unit = (g >> 1) & 1 ? hb::OffsetUnit::kUtf16 : hb::OffsetUnit::kCodePoint;
  const int globals = (g >> 2) & 3;
  o.exit_patience = g >> 4;
  o.exit_threshold = in.Byte() / 64.0f - 1.0f;
  for (int i = 0; i < globals; ++i) o.attention.global_positions.push_back(in.Byte());

  std::string_view rest(reinterpret_cast<const char*>(in.p), in.n);
  std::vector<std::string> texts;
  while (texts.size() < 8) {
    const size_t nl = rest.find('\n');
    texts.emplace_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  if (!pairs) {
    (void)m.model->Run(texts, o);
    return;
  }
  std::vector<hb::TextPair> inputs;
  for (const std::string& t : texts) {
    const size_t tab = t.find('\t');
    hb::TextPair p;
    p.first = std::string_view(t).substr(0, tab);
    if (tab != std::string::npos) {
      p.second = std::string_view(t).substr(tab + 1);
      p.has_second = true;
    }
    inputs.push_back(p);
  }
  (void)m.model->Run(inputs, o);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Model(0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Loaded& m = Model((data[0] >> 1) & 1);
  Reader in{data + 1, size - 1};
  if (data[0] & 1) {
    FuzzRun(m, in);
  } else {
    FuzzForward(m, in);
  }
  return 0;
}
