// Writing and reading the hummingbert model file (format in format/MODEL_FILE.md, design goals in
// model_file.h). One walk over the weights (VisitTensors) defines the tensor names, shapes and
// order for both the writer and the reader, so the two cannot drift apart.
#include "format/model_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <utility>
#include <vector>

#include "base/checked_math.h"
#include "base/decimal_text.h"
#include "format/exit_heads.h"
#include "format/json_util.h"
#include "format/model_file_stream.h"
#include "format/safetensors_reader.h"

// Tensor bytes are little-endian; every target we build for (x86, arm64, wasm) is too.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the model file writer assumes LE");

namespace hb {
namespace {

using json = Json;

constexpr char kFormatName[] = "hummingbert";
constexpr char kVocabTensor[] = "tokenizer.vocab";
constexpr char kPadPrefix[] = "_pad.";

// Generous bounds on config values: they keep the expected-shape arithmetic far from overflow.
// Real sizes are then bounded by the file itself (every shape must match a tensor in it).
constexpr int64_t kMaxDim = int64_t{1} << 24;
constexpr int kMaxLayers = 4096;
constexpr size_t kMaxLabels = 1 << 16;

// How a float tensor is stored, by role (see ModelDtype).
enum class Storage {
  kPrecise,    // LayerNorm, biases, heads: always F32
  kDense,      // encoder Linear weights: I8 + scale when quantized, F16 in fp16 files
  kEmbedding,  // embedding tables: F16 in fp16 and int8 files
};

size_t NumElements(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

const char* FamilyName(ModelFamily f) { return f == ModelFamily::kBert ? "bert" : "distilbert"; }

struct ActivationEntry {
  const char* name;
  Activation activation;
};
// The canonical HF names of the functions we implement (aliases were resolved by config.json).
constexpr ActivationEntry kActivations[] = {
    {"gelu", Activation::kGeluErf},
    {"gelu_new", Activation::kGeluTanh},
    {"relu", Activation::kRelu},
};

// ------------------------------------------------------------------------ the tensor walk

// Calls v.WordEmbeddings / v.Floats / v.Linear for every tensor of `w` in file order. W is
// BertWeights (reader) or const BertWeights (writer); optional parts must already exist.
template <typename W, typename V>
Status VisitTensors(W& w, V& v) {
  const BertConfig& c = w.config;
  const int64_t h = c.hidden_size;
  if (c.embedding_size > 0) {  // factorized (ALBERT style): [V x E] table + [h x E] projection
    HB_RETURN_IF_ERROR(v.WordEmbeddings("embeddings.word", w, {c.vocab_size, c.embedding_size}));
    HB_RETURN_IF_ERROR(v.Linear("embeddings.word_projection", *w.word_projection, h,
                                c.embedding_size, Storage::kPrecise, 0));
  } else {
    HB_RETURN_IF_ERROR(v.WordEmbeddings("embeddings.word", w, {c.vocab_size, h}));
  }
  HB_RETURN_IF_ERROR(v.Floats("embeddings.position.weight", w.position_embeddings,
                              {c.max_position_embeddings, h}, Storage::kEmbedding));
  if (c.family == ModelFamily::kBert) {
    HB_RETURN_IF_ERROR(v.Floats("embeddings.token_type.weight", w.token_type_embeddings,
                                {c.type_vocab_size, h}, Storage::kEmbedding));
  }
  auto norm = [&](const std::string& name, auto& n) -> Status {
    HB_RETURN_IF_ERROR(v.Floats(name + ".weight", n.gamma, {h}, Storage::kPrecise));
    return v.Floats(name + ".bias", n.beta, {h}, Storage::kPrecise);
  };
  HB_RETURN_IF_ERROR(norm("embeddings.norm", w.embedding_norm));
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const int li = static_cast<int>(i);
    if (c.LayerSource(li) != li) continue;  // shared: stored once, under its source layer
    const std::string p = "layers." + std::to_string(i) + ".";
    auto& l = w.layers[i];
    // Pruned layers: a = kept heads x head size, f = kept FFN neurons.
    const int64_t a = int64_t{c.LayerHeads(li)} * c.head_size(), f = c.LayerIntermediate(li);
    auto rank = [&](LayerLinear k) { return c.LayerRank(li, k); };
    HB_RETURN_IF_ERROR(
        v.Linear(p + "qkv", l.qkv, 3 * a, h, Storage::kDense, rank(LayerLinear::kQkv)));
    HB_RETURN_IF_ERROR(v.Linear(p + "attention_output", l.attention_output, h, a, Storage::kDense,
                                rank(LayerLinear::kAttentionOutput)));
    HB_RETURN_IF_ERROR(norm(p + "attention_norm", l.attention_norm));
    HB_RETURN_IF_ERROR(
        v.Linear(p + "ffn_in", l.ffn_in, f, h, Storage::kDense, rank(LayerLinear::kFfnIn)));
    HB_RETURN_IF_ERROR(
        v.Linear(p + "ffn_out", l.ffn_out, h, f, Storage::kDense, rank(LayerLinear::kFfnOut)));
    HB_RETURN_IF_ERROR(norm(p + "ffn_norm", l.ffn_norm));
  }
  const int64_t labels = c.num_labels();
  if (w.pooler) HB_RETURN_IF_ERROR(v.Linear("pooler", *w.pooler, h, h, Storage::kPrecise, 0));
  if (w.pre_classifier) {
    HB_RETURN_IF_ERROR(v.Linear("pre_classifier", *w.pre_classifier, h, h, Storage::kPrecise, 0));
  }
  if (w.classifier) {
    HB_RETURN_IF_ERROR(v.Linear("classifier", *w.classifier, labels, h, Storage::kPrecise, 0));
  }
  for (auto& head : w.exit_heads) {
    const std::string p = "exit_heads." + std::to_string(head.layer) + ".";
    HB_RETURN_IF_ERROR(v.Linear(p + "pooler", head.pooler, h, h, Storage::kPrecise, 0));
    HB_RETURN_IF_ERROR(
        v.Linear(p + "classifier", head.classifier, labels, h, Storage::kPrecise, 0));
  }
  return Status::Ok();
}

// Structure and sizes a BertConfig must have; `code` is kInvalidArgument for the writer's
// caller-made weights and kInvalidModel for a file.
Status CheckConfig(const BertConfig& c, StatusCode code, const std::string& where) {
  auto fail = [&](const std::string& m) { return Status(code, where + m); };
  const bool bert = c.family == ModelFamily::kBert;
  const std::pair<const char*, int64_t> dims[] = {
      {"vocab_size", c.vocab_size},
      {"hidden_size", c.hidden_size},
      {"num_layers", c.num_layers},
      {"num_heads", c.num_heads},
      {"intermediate_size", c.intermediate_size},
      {"max_position_embeddings", c.max_position_embeddings},
  };
  for (const auto& [name, value] : dims) {
    if (value <= 0 || value > kMaxDim) {
      return fail(std::string(name) + " must be in [1, " + std::to_string(kMaxDim) + "], got " +
                  std::to_string(value));
    }
  }
  if (c.num_layers > kMaxLayers) {
    return fail("num_layers must be at most " + std::to_string(kMaxLayers) + ", got " +
                std::to_string(c.num_layers));
  }
  if (c.hidden_size % c.num_heads != 0) {
    return fail("hidden_size " + std::to_string(c.hidden_size) + " is not divisible by num_heads " +
                std::to_string(c.num_heads));
  }
  if (bert ? (c.type_vocab_size <= 0 || c.type_vocab_size > kMaxDim) : c.type_vocab_size != 0) {
    return fail(std::string("type_vocab_size must be ") +
                (bert ? "positive for BERT" : "0 for DistilBERT") + ", got " +
                std::to_string(c.type_vocab_size));
  }
  if ((c.task == TaskKind::kEncoder) != c.labels.empty() || c.labels.size() > kMaxLabels) {
    return fail(std::string("a ") + TaskKindName(c.task) + " model has " +
                std::to_string(c.labels.size()) + " labels");
  }
  if (!std::isfinite(c.layer_norm_eps) || c.layer_norm_eps <= 0) {
    return fail("layer_norm_eps must be finite and positive");
  }
  const Status layers = ValidateLayerConfigs(c, kMaxDim);
  if (!layers.ok()) return fail(layers.message());
  return Status::Ok();
}

// ------------------------------------------------------------------------ writer

struct Entry {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  const void* src = nullptr;  // float (F32 or F16 output), int8_t, or uint8_t; null for padding
  size_t count = 0;           // elements
  size_t nbytes() const { return count * DTypeSize(dtype); }
};

class Collector {
 public:
  explicit Collector(ModelDtype dtype) : dtype_(dtype) {}

  Status WordEmbeddings(const std::string& name, const BertWeights& w,
                        const std::vector<int64_t>& shape) {
    if (!w.word_embeddings_q.empty()) {
      if (dtype_ != ModelDtype::kInt8) return WrongDtype(name, "int8");
      HB_RETURN_IF_ERROR(CheckSize(name + ".weight", w.word_embeddings_q.size(), shape));
      HB_RETURN_IF_ERROR(
          CheckScales(name + ".scale", w.word_embeddings_scale, static_cast<size_t>(shape[0])));
      Add(name + ".weight", DType::kI8, shape, w.word_embeddings_q.data());
      Add(name + ".scale", DType::kF32, {shape[0]}, w.word_embeddings_scale.data());
      return Status::Ok();
    }
    return Floats(name + ".weight", w.word_embeddings, shape, Storage::kEmbedding);
  }

  Status Floats(const std::string& name, const std::vector<float>& v,
                const std::vector<int64_t>& shape, Storage storage) {
    HB_RETURN_IF_ERROR(CheckSize(name, v.size(), shape));
    const bool half = (storage == Storage::kEmbedding && dtype_ != ModelDtype::kFp32) ||
                      (storage == Storage::kDense && dtype_ == ModelDtype::kFp16);
    Add(name, half ? DType::kF16 : DType::kF32, shape, v.data());
    return Status::Ok();
  }

  Status Linear(const std::string& name, const LinearWeights& l, int64_t out, int64_t in,
                Storage storage, int64_t rank) {
    if (l.out != out || l.in != in || (rank > 0) != l.low_rank() ||
        (rank > 0 && l.inner() != rank)) {
      return InvalidArgument(
          "Linear '" + name + "' is [" + std::to_string(l.out) + " x " + std::to_string(l.in) +
          "] of rank " + std::to_string(l.low_rank() ? l.inner() : 0) + " but the config needs [" +
          std::to_string(out) + " x " + std::to_string(in) + "] of rank " + std::to_string(rank) +
          " (0: dense)");
    }
    if (rank > 0) {  // low-rank: name.down [rank x in], name.up [out x rank], name.bias
      HB_RETURN_IF_ERROR(Weight(name + ".down", l.down[0], rank, in, storage));
      HB_RETURN_IF_ERROR(Weight(name + ".up", l, out, rank, storage));
    } else {
      HB_RETURN_IF_ERROR(Weight(name, l, out, in, storage));
    }
    return Floats(name + ".bias", l.b, {out}, Storage::kPrecise);
  }

  // name.weight (+ name.scale when int8) of a [out x in] matrix.
  Status Weight(const std::string& name, const LinearWeights& l, int64_t out, int64_t in,
                Storage storage) {
    if (l.quantized()) {
      if (storage != Storage::kDense) {
        return InvalidArgument("Linear '" + name +
                               "' is int8; heads (pooler, classifiers) are stored fp32");
      }
      if (dtype_ != ModelDtype::kInt8) return WrongDtype(name, "int8");
      HB_RETURN_IF_ERROR(CheckSize(name + ".weight", l.w_q.size(), {out, in}));
      HB_RETURN_IF_ERROR(CheckScales(name + ".scale", l.w_scale, static_cast<size_t>(out)));
      Add(name + ".weight", DType::kI8, {out, in}, l.w_q.data());
      Add(name + ".scale", DType::kF32, {out}, l.w_scale.data());
    } else {
      if (storage == Storage::kDense && dtype_ == ModelDtype::kInt8) {
        return InvalidArgument("dtype int8 needs quantized encoder weights but '" + name +
                               "' is fp32 (run QuantizeModel first)");
      }
      HB_RETURN_IF_ERROR(Floats(name + ".weight", l.w, {out, in}, storage));
    }
    return Status::Ok();
  }

  void AddVocab(std::string_view vocab) {
    Add(kVocabTensor, DType::kU8, {static_cast<int64_t>(vocab.size())}, vocab.data());
  }

  std::vector<Entry>& entries() { return entries_; }

 private:
  static Status CheckSize(const std::string& name, size_t have, const std::vector<int64_t>& shape) {
    if (have != NumElements(shape)) {
      return InvalidArgument("tensor '" + name + "' holds " + std::to_string(have) +
                             " values but the config needs " + ShapeString(shape) + " = " +
                             std::to_string(NumElements(shape)));
    }
    return Status::Ok();
  }
  static Status CheckScales(const std::string& name, const std::vector<float>& s, size_t n) {
    HB_RETURN_IF_ERROR(CheckSize(name, s.size(), {static_cast<int64_t>(n)}));
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s[i]) || s[i] < 0) {
        return InvalidArgument("tensor '" + name + "'[" + std::to_string(i) + "] is " +
                               NumberText(s[i]) + "; scales must be finite and >= 0");
      }
    }
    return Status::Ok();
  }
  Status WrongDtype(const std::string& name, const char* kind) const {
    return InvalidArgument("'" + name + "' is " + kind + " but the file dtype is " +
                           ModelDtypeName(dtype_));
  }
  void Add(const std::string& name, DType dtype, std::vector<int64_t> shape, const void* src) {
    Entry e;
    e.name = name;
    e.dtype = dtype;
    e.count = NumElements(shape);
    e.shape = std::move(shape);
    e.src = src;
    entries_.push_back(std::move(e));
  }

  ModelDtype dtype_;
  std::vector<Entry> entries_;
};

// What the writer requires beyond tensor sizes: the parts the config implies, and no others.
Status CheckStructure(const BertWeights& w) {
  const BertConfig& c = w.config;
  HB_RETURN_IF_ERROR(CheckConfig(c, StatusCode::kInvalidArgument, "BertConfig: "));
  const bool bert = c.family == ModelFamily::kBert;
  const bool seqcls = c.task == TaskKind::kSequenceClassification;
  if (w.layers.size() != static_cast<size_t>(c.num_layers)) {
    return InvalidArgument("weights have " + std::to_string(w.layers.size()) +
                           " layers but the config has " + std::to_string(c.num_layers));
  }
  if (w.word_projection.has_value() != (c.embedding_size > 0)) {
    return InvalidArgument(
        "word_projection is required by (only) factorized embeddings "
        "(embedding_size > 0)");
  }
  if (w.classifier.has_value() != (c.task != TaskKind::kEncoder)) {
    return InvalidArgument(std::string("a ") + TaskKindName(c.task) + " model " +
                           (w.classifier ? "must not have" : "needs") + " a classifier");
  }
  if (w.pre_classifier.has_value() != (!bert && seqcls)) {
    return InvalidArgument("pre_classifier is required by (only) DistilBERT sequence classifiers");
  }
  if (bert && seqcls && !w.pooler)
    return InvalidArgument("a BERT sequence classifier needs a pooler");
  if (w.pooler && (!bert || c.task == TaskKind::kTokenClassification)) {
    return InvalidArgument("DistilBERT models and token classifiers have no pooler");
  }
  if (!w.exit_heads.empty() || w.default_exit_rule.kind != ExitRuleKind::kNone) {
    if (!seqcls) return InvalidArgument("exit heads need a sequence classifier");
    if (w.exit_heads.empty()) return InvalidArgument("an exit rule without exit heads");
    int previous = -1;
    for (const ExitHeadWeights& head : w.exit_heads) {
      if (head.layer <= previous || head.layer >= c.num_layers) {
        return InvalidArgument("exit head layers must be strictly increasing in [0, " +
                               std::to_string(c.num_layers) + "), got " +
                               std::to_string(head.layer) + " after " + std::to_string(previous));
      }
      previous = head.layer;
    }
    HB_RETURN_IF_ERROR(ValidateExitRule(w.default_exit_rule, c.num_layers));
  }
  return Status::Ok();
}

// Optional metadata "attention" (absent: dense), e.g. {"kind":"sliding_window","window":256,
// "global_first_token":true,"global_positions":[]}. Readers without it run such models dense.
json AttentionToJson(const AttentionPattern& p) {
  return json{{"kind", p.dense() ? "dense" : "sliding_window"},
              {"window", p.window},
              {"global_first_token", p.global_first_token},
              {"global_positions", p.global_positions}};
}

// config "layers": one object per layer, {"shared_with": s} for a shared layer, otherwise
// {"num_heads", "intermediate_size", "ranks": [qkv, attention_output, ffn_in, ffn_out]}.
json LayersToJson(const BertConfig& c) {
  json layers = json::array();
  for (int i = 0; i < c.num_layers; ++i) {
    if (c.LayerSource(i) != i) {
      layers.push_back(json{{"shared_with", c.LayerSource(i)}});
      continue;
    }
    json ranks = json::array();
    for (int k = 0; k < kNumLayerLinears; ++k) ranks.push_back(c.LayerRank(i, LayerLinear(k)));
    layers.push_back(json{{"num_heads", c.LayerHeads(i)},
                          {"intermediate_size", c.LayerIntermediate(i)},
                          {"ranks", std::move(ranks)}});
  }
  return layers;
}

json ConfigToJson(const BertWeights& w) {
  const BertConfig& c = w.config;
  const char* act = nullptr;
  for (const ActivationEntry& a : kActivations) {
    if (a.activation == c.hidden_act) act = a.name;
  }
  json j = {
      {"family", FamilyName(c.family)},
      {"task", TaskKindName(c.task)},
      {"architecture", c.architecture},
      {"vocab_size", c.vocab_size},
      {"hidden_size", c.hidden_size},
      {"num_layers", c.num_layers},
      {"num_heads", c.num_heads},
      {"intermediate_size", c.intermediate_size},
      {"max_position_embeddings", c.max_position_embeddings},
      {"type_vocab_size", c.type_vocab_size},
      {"pad_token_id", c.pad_token_id},
      {"hidden_act", act ? act : ""},
      // Widened to double: prints with enough digits to read back the same float.
      {"layer_norm_eps", static_cast<double>(c.layer_norm_eps)},
      {"labels", c.labels},
      {"has_pooler", w.pooler.has_value()},
  };
  // Compression (format_version 2): written only when set, so plain models keep their bytes.
  if (c.embedding_size > 0) j["embedding_size"] = c.embedding_size;
  if (c.compressed() && !c.layers.empty()) j["layers"] = LayersToJson(c);
  // Optional (a compatible addition): only when config.json gave one, so other files keep their
  // bytes.
  if (!c.problem_type.empty()) j["problem_type"] = c.problem_type;
  return j;
}

json TokenizerToJson(const TokenizerSettings& s) {
  json j = {
      {"lowercase", s.lowercase},
      {"strip_accents", s.strip_accents ? json(*s.strip_accents) : json(nullptr)},
      {"tokenize_chinese_chars", s.tokenize_chinese_chars},
      {"clean_text", s.clean_text},
      {"unk_token", s.unk_token},
      {"cls_token", s.cls_token},
      {"sep_token", s.sep_token},
      {"pad_token", s.pad_token},
      {"mask_token", s.mask_token},
      {"max_input_chars_per_word", s.max_input_chars_per_word},
      {"continuing_subword_prefix", s.continuing_subword_prefix},
      {"model_max_length", s.model_max_length},
  };
  return j;
}

std::string Dump(const json& j) {
  // Strict UTF-8: a hand-made string that is not UTF-8 throws (caught by the caller).
  return j.dump();
}

StatusOr<std::string> Write(const BertWeights& w, const TokenizerSettings& settings,
                            std::string_view vocab, const WriteOptions& options) {
  HB_RETURN_IF_ERROR(CheckStructure(w));
  bool known_act = false;
  for (const ActivationEntry& a : kActivations) known_act |= a.activation == w.config.hidden_act;
  if (!known_act) {
    return InvalidArgument("hidden_act " + std::to_string(static_cast<int>(w.config.hidden_act)) +
                           " cannot be stored; must be one of [gelu, gelu_new, relu]");
  }
  if (vocab.empty()) return InvalidArgument("the vocabulary (vocab.txt) is empty");

  Collector collector(options.dtype);
  HB_RETURN_IF_ERROR(VisitTensors(w, collector));
  collector.AddVocab(vocab);

  // Data layout: every tensor at a multiple of kModelFileAlignment. Stock safetensors requires
  // the data section to be contiguous, so gaps are filled with zero U8 `_pad.N` tensors.
  std::vector<Entry> layout;
  layout.reserve(collector.entries().size() * 2);
  uint64_t offset = 0;
  size_t pads = 0;
  json header = json::object();
  auto place = [&](Entry e) {
    const uint64_t end = offset + e.nbytes();
    header[e.name] = {
        {"dtype", DTypeName(e.dtype)}, {"shape", e.shape}, {"data_offsets", {offset, end}}};
    offset = end;
    layout.push_back(std::move(e));
  };
  for (Entry& e : collector.entries()) {
    if (const uint64_t misaligned = offset % kModelFileAlignment) {
      Entry pad;
      pad.name = kPadPrefix + std::to_string(pads++);
      pad.dtype = DType::kU8;
      pad.count = static_cast<size_t>(kModelFileAlignment - misaligned);
      pad.shape = {static_cast<int64_t>(pad.count)};
      place(std::move(pad));
    }
    place(std::move(e));
  }

  json meta = {
      {"format", kFormatName},
      // Version 2 only for what version 1 readers cannot run (compressed models).
      {"format_version", std::to_string(w.config.compressed() ? 2 : 1)},
      {"dtype", ModelDtypeName(options.dtype)},
      {"producer", options.producer},
      {"config", Dump(ConfigToJson(w))},
      {"tokenizer", Dump(TokenizerToJson(settings))},
  };
  if (!w.exit_heads.empty()) meta["exit"] = Dump(ExitSettingsToJson(w));
  if (!w.attention.dense()) meta["attention"] = Dump(AttentionToJson(w.attention));
  header["__metadata__"] = std::move(meta);

  // The header is space-padded (valid JSON whitespace) so the data section starts aligned.
  std::string text = Dump(header);
  const size_t header_end =
      (8 + text.size() + kModelFileAlignment - 1) / kModelFileAlignment * kModelFileAlignment;
  text.resize(header_end - 8, ' ');
  uint64_t total;
  if (!CheckedAdd<uint64_t>(header_end, offset, &total) || !FitsIn<size_t>(total)) {
    return ResourceExhausted("the model file would be " + std::to_string(total) +
                             " bytes, more than this platform can address");
  }
  std::string out(static_cast<size_t>(total), '\0');
  const uint64_t header_len = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((header_len >> (8 * i)) & 0xFF);
  std::memcpy(&out[8], text.data(), text.size());
  char* p = &out[header_end];
  for (const Entry& e : layout) {
    if (e.src != nullptr) {
      if (e.dtype == DType::kF16) {
        const float* f = static_cast<const float*>(e.src);
        for (size_t i = 0; i < e.count; ++i) {
          const uint16_t bits = FloatToHalfBits(f[i]);
          std::memcpy(p + 2 * i, &bits, 2);
        }
      } else {
        std::memcpy(p, e.src, e.nbytes());  // F32, I8, U8: the in-memory bytes (LE)
      }
    }
    p += e.nbytes();
  }
  return out;
}

// ------------------------------------------------------------------------ reader

// The reader's visitor: checks each tensor the config needs and allocates its destination in
// the weights (see TensorDestination); the bytes arrive later.
class Planner {
 public:
  Planner(const SafetensorsReader& r, std::vector<TensorDestination>* plan) : r_(r), plan_(*plan) {}

  Status WordEmbeddings(const std::string& name, BertWeights& w,
                        const std::vector<int64_t>& shape) {
    HB_ASSIGN_OR_RETURN(const TensorView* t, Get(name + ".weight", shape));
    if (t->dtype == DType::kI8) {
      Int8(*t, &w.word_embeddings_q);
      return Scales(name + ".scale", shape[0], &w.word_embeddings_scale);
    }
    return ToF32(*t, &w.word_embeddings);
  }

  Status Floats(const std::string& name, std::vector<float>& v, const std::vector<int64_t>& shape,
                Storage) {
    HB_ASSIGN_OR_RETURN(const TensorView* t, Get(name, shape));
    return ToF32(*t, &v);
  }

  Status Linear(const std::string& name, LinearWeights& l, int64_t out, int64_t in, Storage storage,
                int64_t rank) {
    if (rank > 0) {
      l.down.resize(1);  // before any destination points into it
      HB_RETURN_IF_ERROR(Weight(name + ".down", l.down[0], rank, in, storage));
      HB_RETURN_IF_ERROR(Weight(name + ".up", l, out, rank, storage));
      l.in = static_cast<int>(in);
    } else {
      HB_RETURN_IF_ERROR(Weight(name, l, out, in, storage));
    }
    HB_ASSIGN_OR_RETURN(const TensorView* b, Get(name + ".bias", {out}));
    return ToF32(*b, &l.b);
  }

  // name.weight (+ name.scale when I8) of a [out x in] matrix into l.w or l.w_q / l.w_scale.
  Status Weight(const std::string& name, LinearWeights& l, int64_t out, int64_t in,
                Storage storage) {
    l.out = static_cast<int>(out);
    l.in = static_cast<int>(in);
    HB_ASSIGN_OR_RETURN(const TensorView* t, Get(name + ".weight", {out, in}));
    if (t->dtype == DType::kI8) {
      if (storage != Storage::kDense) {
        return InvalidModel("tensor '" + t->name + "' is I8, but heads must be F32, F16 or BF16");
      }
      Int8(*t, &l.w_q);
      return Scales(name + ".scale", out, &l.w_scale);
    }
    return ToF32(*t, &l.w);
  }

 private:
  StatusOr<const TensorView*> Get(const std::string& name, const std::vector<int64_t>& shape) {
    const TensorView* t = r_.Find(name);
    if (t == nullptr) return InvalidModel("missing tensor '" + name + "'");
    if (t->shape != shape) {
      return InvalidModel("tensor '" + name + "' has shape " + ShapeString(t->shape) +
                          " but the config needs " + ShapeString(shape));
    }
    return t;
  }
  void Add(const TensorView& t, void* bytes, std::vector<float>* floats, bool scales) {
    TensorDestination d;
    d.tensor = &t;
    d.begin = t.offset;
    d.end = t.offset + t.nbytes;
    d.bytes = static_cast<uint8_t*>(bytes);
    d.floats = floats;
    d.scales = scales;
    plan_[static_cast<size_t>(&t - r_.tensors().data())] = d;
  }
  void Int8(const TensorView& t, std::vector<int8_t>* out) {
    out->resize(t.nbytes);
    Add(t, out->data(), nullptr, false);
  }
  Status ToF32(const TensorView& t, std::vector<float>* out) {
    if (t.dtype != DType::kF32 && t.dtype != DType::kF16 && t.dtype != DType::kBF16) {
      return InvalidModel("tensor '" + t.name + "' has dtype " + DTypeName(t.dtype) +
                          "; expected one of [F32, F16, BF16]");
    }
    // Shapes were checked against the config, whose dimensions are bounded (kMaxDim), and the
    // container fits in memory, so the element count fits in size_t.
    const size_t n = t.nbytes / DTypeSize(t.dtype);
    out->resize(n);
    if (t.dtype == DType::kF32) {
      Add(t, out->data(), nullptr, false);  // little-endian bytes are the floats
    } else {
      // 2-byte values into the upper half, widened in place by CompleteTensor.
      Add(t, reinterpret_cast<uint8_t*>(out->data()) + 2 * n, out, false);
    }
    return Status::Ok();
  }
  Status Scales(const std::string& name, int64_t n, std::vector<float>* out) {
    HB_ASSIGN_OR_RETURN(const TensorView* t, Get(name, {n}));
    if (t->dtype != DType::kF32) {
      return InvalidModel("tensor '" + name + "' has dtype " + DTypeName(t->dtype) +
                          "; scales must be F32");
    }
    out->resize(static_cast<size_t>(n));
    Add(*t, out->data(), out, true);
    return Status::Ok();
  }

  const SafetensorsReader& r_;
  std::vector<TensorDestination>& plan_;
};

StatusOr<json> ParseMetadataJson(const std::map<std::string, std::string>& meta, const char* key,
                                 bool required) {
  auto it = meta.find(key);
  if (it == meta.end()) {
    if (!required) return json();
    return InvalidModel(std::string("metadata has no '") + key + "' entry");
  }
  JsonLimits limits;
  limits.max_depth = 8;
  json j;
  HB_RETURN_IF_ERROR(ParseJson(it->second, std::string("metadata '") + key + "'", limits, &j));
  if (!j.is_object()) {
    return InvalidModel(std::string("metadata '") + key + "' is not a JSON object");
  }
  return j;
}

Status ReadAttention(const json& j, AttentionPattern* p) {
  const auto bad = [](const std::string& what) {
    return InvalidModel("metadata 'attention': " + what);
  };
  const auto kind = j.find("kind");
  if (kind == j.end() || !kind->is_string()) return bad("'kind' must be a string");
  const std::string k = kind->get<std::string>();
  if (k == "dense") {
    *p = AttentionPattern{};
    return Status::Ok();
  }
  if (k != "sliding_window") {
    return Unsupported("metadata 'attention' kind '" + Shorten(k, 40) +
                       "' (this reader knows dense, sliding_window)");
  }
  p->kind = AttentionKind::kSlidingWindow;
  const auto window = j.find("window");
  int64_t w = 0;
  if (window == j.end() || !JsonToInt64(*window, &w) || w < 2 || w > (1 << 20)) {
    return bad("'window' must be an integer in [2, 1048576]");
  }
  p->window = static_cast<int>(w);
  const auto first = j.find("global_first_token");
  if (first != j.end()) {
    if (!first->is_boolean()) return bad("'global_first_token' must be a boolean");
    p->global_first_token = first->get<bool>();
  }
  p->global_positions.clear();
  const auto globals = j.find("global_positions");
  if (globals != j.end()) {
    if (!globals->is_array() || globals->size() > 4096) {
      return bad("'global_positions' must be an array of at most 4096 positions");
    }
    for (const json& g : *globals) {
      int64_t x = 0;
      if (!JsonToInt64(g, &x) || x < 0 || x >= (1 << 20)) {
        return bad("'global_positions' entries must be integers in [0, 1048576)");
      }
      p->global_positions.push_back(static_cast<int>(x));
    }
  }
  return Status::Ok();
}

// Typed field readers for our own metadata JSON: every v1 key is required.
class Fields {
 public:
  Fields(const json& j, std::string what) : j_(j), what_(std::move(what)) {}

  Status Int(const char* key, int* out, int64_t min, int64_t max) const {
    HB_ASSIGN_OR_RETURN(const json* v, Find(key));
    int64_t x;
    if (!JsonToInt64(*v, &x) || x < min || x > max) {
      return Bad(key, "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]",
                 *v);
    }
    *out = static_cast<int>(x);
    return Status::Ok();
  }
  Status Bool(const char* key, bool* out) const {
    HB_ASSIGN_OR_RETURN(const json* v, Find(key));
    if (!v->is_boolean()) return Bad(key, "true or false", *v);
    *out = v->get<bool>();
    return Status::Ok();
  }
  Status String(const char* key, std::string* out) const {
    HB_ASSIGN_OR_RETURN(const json* v, Find(key));
    if (!v->is_string()) return Bad(key, "a string", *v);
    *out = v->get<std::string>();
    return Status::Ok();
  }
  Status Number(const char* key, double* out) const {
    HB_ASSIGN_OR_RETURN(const json* v, Find(key));
    if (!v->is_number()) return Bad(key, "a number", *v);
    *out = v->get<double>();
    return Status::Ok();
  }
  StatusOr<const json*> Find(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end()) return InvalidModel(what_ + " has no '" + key + "'");
    return &*it;
  }
  Status Bad(const char* key, const std::string& expected, const json& got) const {
    return InvalidModel(what_ + " '" + key + "' must be " + expected + ", got " + JsonBrief(got));
  }

 private:
  const json& j_;
  std::string what_;
};

// The optional compression keys of config (format_version 2): "embedding_size" and "layers"
// (see LayersToJson). Ranges are checked by CheckConfig.
Status ReadCompression(const json& j, BertConfig* c) {
  constexpr int kMax = static_cast<int>(kMaxDim);
  if (j.contains("embedding_size")) {
    HB_RETURN_IF_ERROR(
        Fields(j, "metadata 'config'").Int("embedding_size", &c->embedding_size, 1, kMax));
  }
  if (!j.contains("layers")) return Status::Ok();
  const json& layers = j["layers"];
  if (!layers.is_array() || layers.size() != static_cast<size_t>(c->num_layers)) {
    return InvalidModel("metadata 'config' 'layers' must be an array of num_layers (" +
                        std::to_string(c->num_layers) + ") objects, got " + JsonBrief(layers));
  }
  c->layers.assign(layers.size(), LayerConfig{});
  for (size_t i = 0; i < layers.size(); ++i) {
    const json& e = layers[i];
    if (!e.is_object())
      return InvalidModel("metadata 'config' layers[" + std::to_string(i) +
                          "] must be an object, got " + JsonBrief(e));
    Fields f(e, "metadata 'config' layers[" + std::to_string(i) + "]");
    LayerConfig& l = c->layers[i];
    if (e.contains("shared_with")) {
      HB_RETURN_IF_ERROR(f.Int("shared_with", &l.shared_with, 0, static_cast<int64_t>(i) - 1));
      continue;
    }
    if (e.contains("num_heads")) HB_RETURN_IF_ERROR(f.Int("num_heads", &l.num_heads, 1, kMax));
    if (e.contains("intermediate_size")) {
      HB_RETURN_IF_ERROR(f.Int("intermediate_size", &l.intermediate_size, 1, kMax));
    }
    if (!e.contains("ranks")) continue;
    const json& ranks = e["ranks"];
    int64_t r = 0;
    if (!ranks.is_array() || ranks.size() != kNumLayerLinears) {
      return f.Bad("ranks", "an array of 4 ranks", ranks);
    }
    for (int k = 0; k < kNumLayerLinears; ++k) {
      if (!JsonToInt64(ranks[static_cast<size_t>(k)], &r) || r < 0 || r > kMaxDim) {
        return f.Bad("ranks", "integers in [0, " + std::to_string(kMaxDim) + "]", ranks);
      }
      l.ranks[k] = static_cast<int>(r);
    }
  }
  return Status::Ok();
}

Status ReadConfig(const json& j, BertConfig* c, bool* has_pooler) {
  Fields f(j, "metadata 'config'");
  std::string family, task, act;
  HB_RETURN_IF_ERROR(f.String("family", &family));
  if (family == "bert") {
    c->family = ModelFamily::kBert;
  } else if (family == "distilbert") {
    c->family = ModelFamily::kDistilBert;
  } else {
    return Unsupported("metadata 'config' family '" + Shorten(family, 40) +
                       "' is not supported; must be one of [bert, distilbert]");
  }
  HB_RETURN_IF_ERROR(f.String("task", &task));
  bool known_task = false;
  for (TaskKind t :
       {TaskKind::kEncoder, TaskKind::kSequenceClassification, TaskKind::kTokenClassification}) {
    if (task == TaskKindName(t)) {
      c->task = t;
      known_task = true;
    }
  }
  if (!known_task) {
    return Unsupported("metadata 'config' task '" + Shorten(task, 40) +
                       "' is not supported; must be one of [encoder, sequence-classification, "
                       "token-classification]");
  }
  HB_RETURN_IF_ERROR(f.String("architecture", &c->architecture));
  constexpr int kMax = static_cast<int>(kMaxDim);
  HB_RETURN_IF_ERROR(f.Int("vocab_size", &c->vocab_size, 1, kMax));
  HB_RETURN_IF_ERROR(f.Int("hidden_size", &c->hidden_size, 1, kMax));
  HB_RETURN_IF_ERROR(f.Int("num_layers", &c->num_layers, 1, kMaxLayers));
  HB_RETURN_IF_ERROR(f.Int("num_heads", &c->num_heads, 1, kMax));
  HB_RETURN_IF_ERROR(f.Int("intermediate_size", &c->intermediate_size, 1, kMax));
  HB_RETURN_IF_ERROR(f.Int("max_position_embeddings", &c->max_position_embeddings, 1, kMax));
  HB_RETURN_IF_ERROR(f.Int("type_vocab_size", &c->type_vocab_size, 0, kMax));
  HB_RETURN_IF_ERROR(f.Int("pad_token_id", &c->pad_token_id, 0, kMax));
  HB_RETURN_IF_ERROR(f.String("hidden_act", &act));
  bool known_act = false;
  for (const ActivationEntry& a : kActivations) {
    if (act == a.name) {
      c->hidden_act = a.activation;
      known_act = true;
    }
  }
  if (!known_act) {
    return Unsupported("metadata 'config' hidden_act '" + Shorten(act, 40) +
                       "' is not supported; must be one of [gelu, gelu_new, relu]");
  }
  double eps = 0;
  HB_RETURN_IF_ERROR(f.Number("layer_norm_eps", &eps));
  c->layer_norm_eps = static_cast<float>(eps);
  HB_ASSIGN_OR_RETURN(const json* labels, f.Find("labels"));
  if (!labels->is_array() || labels->size() > kMaxLabels) {
    return f.Bad("labels", "an array of at most " + std::to_string(kMaxLabels) + " strings",
                 *labels);
  }
  c->labels.clear();
  for (const json& l : *labels) {
    if (!l.is_string()) return f.Bad("labels", "an array of strings", l);
    c->labels.push_back(l.get<std::string>());
  }
  HB_RETURN_IF_ERROR(f.Bool("has_pooler", has_pooler));
  auto problem = j.find("problem_type");
  if (problem != j.end()) {
    if (!problem->is_string() || !IsKnownProblemType(problem->get<std::string>())) {
      return f.Bad("problem_type",
                   "one of regression, single_label_classification, multi_label_classification",
                   *problem);
    }
    c->problem_type = problem->get<std::string>();
  }
  HB_RETURN_IF_ERROR(ReadCompression(j, c));
  return CheckConfig(*c, StatusCode::kInvalidModel, "metadata 'config': ");
}

Status ReadTokenizer(const json& j, TokenizerSettings* s) {
  Fields f(j, "metadata 'tokenizer'");
  HB_RETURN_IF_ERROR(f.Bool("lowercase", &s->lowercase));
  HB_ASSIGN_OR_RETURN(const json* strip, f.Find("strip_accents"));
  if (strip->is_null()) {
    s->strip_accents.reset();
  } else if (strip->is_boolean()) {
    s->strip_accents = strip->get<bool>();
  } else {
    return f.Bad("strip_accents", "true, false or null", *strip);
  }
  HB_RETURN_IF_ERROR(f.Bool("tokenize_chinese_chars", &s->tokenize_chinese_chars));
  HB_RETURN_IF_ERROR(f.Bool("clean_text", &s->clean_text));
  HB_RETURN_IF_ERROR(f.String("unk_token", &s->unk_token));
  HB_RETURN_IF_ERROR(f.String("cls_token", &s->cls_token));
  HB_RETURN_IF_ERROR(f.String("sep_token", &s->sep_token));
  HB_RETURN_IF_ERROR(f.String("pad_token", &s->pad_token));
  HB_RETURN_IF_ERROR(f.String("mask_token", &s->mask_token));
  constexpr int kIntMax = std::numeric_limits<int>::max();
  HB_RETURN_IF_ERROR(f.Int("max_input_chars_per_word", &s->max_input_chars_per_word, 1, kIntMax));
  HB_RETURN_IF_ERROR(f.String("continuing_subword_prefix", &s->continuing_subword_prefix));
  return f.Int("model_max_length", &s->model_max_length, 1, kIntMax);
}

StatusOr<int> ReadVersion(const std::map<std::string, std::string>& meta) {
  auto it = meta.find("format_version");
  if (it == meta.end()) {
    return InvalidModel("metadata has no 'format_version' (this reader supports versions 1.." +
                        std::to_string(kModelFileFormatVersion) + ")");
  }
  const std::string& v = it->second;
  int version = 0;
  bool digits = !v.empty() && v.size() <= 9;
  for (char ch : v) digits &= ch >= '0' && ch <= '9';
  if (digits) version = std::stoi(v);
  if (!digits || version < 1) {
    return InvalidModel("metadata format_version '" + Shorten(v, 40) +
                        "' is not a positive integer");
  }
  if (version > kModelFileFormatVersion) {
    return Unsupported("model file format_version " + v +
                       " is newer than this hummingbert supports (" +
                       std::to_string(kModelFileFormatVersion) +
                       "); upgrade hummingbert or convert the model again");
  }
  return version;
}

// The metadata part of reading: format, version, dtype, config, tokenizer, exit, attention;
// sizes out->weights for the tensors.
Status ReadMetadata(const SafetensorsReader& reader, ModelFileContents* out_contents) {
  ModelFileContents& out = *out_contents;
  const auto& meta = reader.metadata();
  auto format = meta.find("format");
  if (format == meta.end()) {
    return InvalidModel(
        "not a hummingbert model file: the safetensors metadata has no 'format' entry (convert a "
        "Hugging Face checkpoint with `hummingbert convert`)");
  }
  if (format->second != kFormatName) {
    return InvalidModel("not a hummingbert model file: metadata format is '" +
                        Shorten(format->second, 40) +
                        "', expected 'hummingbert' (a plain checkpoint? convert it with "
                        "`hummingbert convert`)");
  }
  HB_ASSIGN_OR_RETURN(out.format_version, ReadVersion(meta));
  auto dtype = meta.find("dtype");
  if (dtype == meta.end() || !ParseModelDtype(dtype->second).ok()) {
    return InvalidModel(
        "metadata 'dtype' must be one of [fp32, fp16, int8], got " +
        (dtype == meta.end() ? std::string("nothing") : "'" + Shorten(dtype->second, 40) + "'"));
  }
  out.dtype = dtype->second;

  BertWeights& w = out.weights;
  HB_ASSIGN_OR_RETURN(json config, ParseMetadataJson(meta, "config", true));
  bool has_pooler = false;
  HB_RETURN_IF_ERROR(ReadConfig(config, &w.config, &has_pooler));
  HB_ASSIGN_OR_RETURN(json tokenizer, ParseMetadataJson(meta, "tokenizer", true));
  HB_RETURN_IF_ERROR(ReadTokenizer(tokenizer, &out.settings));
  HB_ASSIGN_OR_RETURN(json exit, ParseMetadataJson(meta, "exit", false));

  const BertConfig& c = w.config;
  const bool bert = c.family == ModelFamily::kBert;
  const bool seqcls = c.task == TaskKind::kSequenceClassification;
  // BERT sequence classifiers need the pooler, encoders may have it; DistilBERT and token
  // classifiers have none.
  const bool pooler_allowed = bert && c.task != TaskKind::kTokenClassification;
  if (has_pooler ? !pooler_allowed : (bert && seqcls)) {
    return InvalidModel(std::string("metadata 'config' has_pooler is ") +
                        (has_pooler ? "true" : "false") + ", which a " + FamilyName(c.family) +
                        " " + TaskKindName(c.task) + " model cannot have");
  }
  w.layers.resize(static_cast<size_t>(c.num_layers));
  if (c.embedding_size > 0) w.word_projection.emplace();
  if (has_pooler) w.pooler.emplace();
  if (!bert && seqcls) w.pre_classifier.emplace();
  if (c.task != TaskKind::kEncoder) w.classifier.emplace();
  if (!exit.is_null()) {
    if (!seqcls) return InvalidModel("metadata 'exit' is only valid for sequence classifiers");
    HB_ASSIGN_OR_RETURN(ExitSettings s, ParseExitSettings(exit, "metadata 'exit'", c.num_layers));
    w.exit_heads.resize(s.layers.size());
    for (size_t i = 0; i < s.layers.size(); ++i) w.exit_heads[i].layer = s.layers[i];
    w.default_exit_rule = s.rule;
  }
  HB_ASSIGN_OR_RETURN(json attention, ParseMetadataJson(meta, "attention", false));
  if (!attention.is_null()) HB_RETURN_IF_ERROR(ReadAttention(attention, &w.attention));
  return Status::Ok();
}

}  // namespace

const char* ModelDtypeName(ModelDtype dtype) {
  switch (dtype) {
    case ModelDtype::kFp32:
      return "fp32";
    case ModelDtype::kFp16:
      return "fp16";
    case ModelDtype::kInt8:
      return "int8";
  }
  return "?";
}

StatusOr<ModelDtype> ParseModelDtype(std::string_view name) {
  for (ModelDtype d : {ModelDtype::kInt8, ModelDtype::kFp16, ModelDtype::kFp32}) {
    if (name == ModelDtypeName(d)) return d;
  }
  return InvalidArgument("dtype '" + Shorten(std::string(name), 40) +
                         "' is not supported; must be one of [int8, fp16, fp32]");
}

StatusOr<std::string> WriteModelFile(const BertWeights& weights, const TokenizerSettings& settings,
                                     std::string_view vocab_txt, const WriteOptions& options) {
  try {
    return Write(weights, settings, vocab_txt, options);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory writing the model file");
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("model file metadata: ") + e.what() +
                           " (labels and tokens must be valid UTF-8)");
  } catch (const std::exception& e) {
    return Internal(std::string("unexpected exception writing the model file: ") + e.what());
  }
}

Status PlanModelFileTensors(const SafetensorsReader& header, ModelFileContents* out,
                            std::vector<TensorDestination>* plan) {
  HB_RETURN_IF_ERROR(ReadMetadata(header, out));
  plan->assign(header.tensors().size(), TensorDestination{});
  Planner planner(header, plan);
  HB_RETURN_IF_ERROR(VisitTensors(out->weights, planner));

  const TensorView* vocab = header.Find(kVocabTensor);
  if (vocab == nullptr) return InvalidModel("missing tensor 'tokenizer.vocab' (the vocabulary)");
  if (vocab->dtype != DType::kU8 || vocab->shape.size() != 1 || vocab->nbytes == 0) {
    return InvalidModel(
        "tensor 'tokenizer.vocab' must be non-empty U8 of rank 1 (vocab.txt "
        "bytes), got " +
        std::string(DTypeName(vocab->dtype)) + " " + ShapeString(vocab->shape));
  }
  out->vocab_txt.resize(vocab->nbytes);
  TensorDestination d;
  d.tensor = vocab;
  d.begin = vocab->offset;
  d.end = vocab->offset + vocab->nbytes;
  d.bytes = reinterpret_cast<uint8_t*>(&out->vocab_txt[0]);
  (*plan)[static_cast<size_t>(vocab - header.tensors().data())] = d;
  return Status::Ok();
}

Status CompleteTensor(const TensorDestination& d) {
  const TensorView& t = *d.tensor;
  if (d.floats == nullptr) return Status::Ok();
  std::vector<float>& v = *d.floats;
  if (t.dtype == DType::kF16 || t.dtype == DType::kBF16) {
    // Forward in place: float i (bytes [4i, 4i + 4)) never overlaps a half not yet read (at
    // 2n + 2j for j > i), and half i is read before float i is written.
    const uint8_t* src = d.bytes;
    const bool bf16 = t.dtype == DType::kBF16;
    for (size_t i = 0; i < v.size(); ++i) {
      const uint16_t h = static_cast<uint16_t>(src[2 * i] | src[2 * i + 1] << 8);
      float f;
      if (bf16) {
        const uint32_t bits = uint32_t{h} << 16;
        std::memcpy(&f, &bits, 4);
      } else {
        f = HalfBitsToFloat(h);
      }
      v[i] = f;
    }
  }
  if (d.scales) {
    for (size_t i = 0; i < v.size(); ++i) {
      const float s = v[i];
      if (!std::isfinite(s) || s < 0) {
        return InvalidModel("tensor '" + t.name + "'[" + std::to_string(i) + "] is " +
                            NumberText(s) + "; scales must be finite and >= 0");
      }
    }
  }
  return Status::Ok();
}

StatusOr<ModelFileContents> ReadModelFile(const uint8_t* data, size_t size) {
  if (data == nullptr && size != 0) {
    return InvalidArgument("model file: null data with a non-zero size");
  }
  ModelFileStreamReader reader;
  HB_RETURN_IF_ERROR(reader.Append(data, size));
  return reader.Finish();
}

bool LooksLikeModelFile(const uint8_t* data, size_t size) {
  if (data == nullptr || size < 10 || data[8] != '{') return false;
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | data[i];
  // A truncated file still sniffs as ours when the part of the header that is there says so
  // (the metadata sorts first), so ReadModelFile can report the truncation.
  const size_t available = static_cast<size_t>(std::min<uint64_t>(header_len, size - 8));
  const std::string_view header(reinterpret_cast<const char*>(data + 8), available);
  // Our writer emits compact JSON; the unescaped form can only occur at the metadata level
  // (inside the nested JSON strings quotes are escaped).
  return header.find("\"format\":\"hummingbert\"") != std::string_view::npos;
}

}  // namespace hb
