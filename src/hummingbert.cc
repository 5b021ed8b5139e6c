// The public API (hummingbert.h) implemented on the modules below it: format/ reads the files,
// tokenizer/ encodes text, model/ runs the network; this file only wires them together and
// shapes the results.
#include "hummingbert.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <string>

#include "base/file_io.h"
#include "base/thread_pool.h"
#include "format/bert_config.h"
#include "format/model_file.h"
#include "format/model_file_stream.h"
#include "kernels/int8_kernels.h"
#include "kernels/kernels.h"
#include "model/bert_encoder.h"
#include "model/checkpoint_loader.h"
#include "model/packed_batch.h"
#include "quant/quantize_weights.h"
#include "tokenizer/bert_tokenizer.h"

namespace hb {
namespace {

// Texts are run in chunks of at most this many tokens so activations stay bounded for any
// batch size (a chunk's memory is ~ tokens x (4 hidden + intermediate) floats).
constexpr size_t kMaxTokensPerChunk = 8192;
// Model::Load reads .hbm files in chunks of this size: the file is never held whole.
constexpr size_t kFileChunkBytes = size_t{1} << 20;

const char* ActivationName(Activation a) {
  switch (a) {
    case Activation::kGeluErf:
      return "gelu";
    case Activation::kGeluTanh:
      return "gelu_new";
    case Activation::kRelu:
      return "relu";
    case Activation::kTanh:
      return "tanh";
    case Activation::kNone:
      break;
  }
  return "none";
}

void SoftmaxInto(const float* logits, size_t n, float* probs) {
  double mx = -INFINITY;
  for (size_t i = 0; i < n; ++i) mx = std::max(mx, static_cast<double>(logits[i]));
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += std::exp(static_cast<double>(logits[i]) - mx);
  for (size_t i = 0; i < n; ++i) {
    probs[i] = static_cast<float>(std::exp(static_cast<double>(logits[i]) - mx) / sum);
  }
}

// A sequence classifier's scores from its logits (BertConfig::score_function).
void ScoresInto(ScoreFunction f, const float* logits, size_t n, float* scores) {
  switch (f) {
    case ScoreFunction::kSoftmax:
      return SoftmaxInto(logits, n, scores);
    case ScoreFunction::kSigmoid:
      for (size_t i = 0; i < n; ++i) {
        scores[i] = static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(logits[i]))));
      }
      return;
    case ScoreFunction::kNone:
      std::copy(logits, logits + n, scores);
      return;
  }
}

void L2Normalize(std::vector<float>& v) {
  if (v.empty()) return;
  const float norm = std::sqrt(SumOfSquares(v.data(), v.size()));
  // As torch.nn.functional.normalize: divide by max(norm, 1e-12).
  ScaleInPlace(v.data(), 1.0f / std::max(norm, 1e-12f), v.size());
}

// Limits: a 0 field takes `fallback`'s value.
InputLimits MergeLimits(const InputLimits& l, const InputLimits& fallback) {
  InputLimits r;
  r.max_text_bytes = l.max_text_bytes ? l.max_text_bytes : fallback.max_text_bytes;
  r.max_batch_size = l.max_batch_size ? l.max_batch_size : fallback.max_batch_size;
  r.max_total_tokens = l.max_total_tokens ? l.max_total_tokens : fallback.max_total_tokens;
  return r;
}

InputLimits DefaultLimits() {
  InputLimits d;
  d.max_text_bytes = kDefaultMaxTextBytes;
  d.max_batch_size = kDefaultMaxBatchSize;
  d.max_total_tokens = kDefaultMaxTotalTokens;
  return d;
}

// How to raise a limit, in each API's words (the JS option, the C++ field, the CLI flag).
std::string RaiseHint(const char* js, const char* cpp, const char* cli) {
  std::string h =
      std::string("raise it with the ") + js + " option in JS or InputLimits::" + cpp + " in C++";
  if (cli != nullptr) h += std::string(" (CLI: ") + cli + ")";
  return h;
}

// kResourceExhausted when `bytes` (UTF-8 of one input) is over the limit; `what`: "text 3".
Status CheckTextBytes(const std::string& what, size_t bytes, size_t limit) {
  if (bytes <= limit) return Status::Ok();
  return ResourceExhausted(
      what + " is " + std::to_string(bytes) +
      " bytes of UTF-8, over the limit max_text_bytes = " + std::to_string(limit) +
      "; shorten it or " + RaiseHint("maxTextBytes", "max_text_bytes", "--max-text-bytes"));
}

EncodeOptions ToEncodeOptions(const TokenizeOptions& o, int max_length) {
  EncodeOptions e;
  e.max_length = max_length;
  e.add_special_tokens = o.add_special_tokens;
  e.offset_unit = o.offset_unit;
  return e;
}

}  // namespace

struct Model::Impl {
  ModelInfo info;
  std::unique_ptr<BertTokenizer> tokenizer;
  std::unique_ptr<BertEncoder> encoder;
  std::unique_ptr<ThreadPool> pool;

  StatusOr<int> ResolveMaxLength(int requested) const {
    if (requested < 0)
      return InvalidArgument("max_length must be positive, got " + std::to_string(requested));
    if (requested == 0) return info.max_length;
    if (requested > info.max_position_embeddings) {
      return InvalidArgument("max_length " + std::to_string(requested) +
                             " exceeds the model's position table (max_position_embeddings = " +
                             std::to_string(info.max_position_embeddings) + ")");
    }
    if (requested < 2) return InvalidArgument("max_length must be at least 2 ([CLS] and [SEP])");
    return requested;
  }

  StatusOr<Encoding> Encode(const TextPair& in, const TokenizeOptions& o) const {
    HB_RETURN_IF_ERROR(
        CheckTextBytes("the text", in.first.size() + (in.has_second ? in.second.size() : 0),
                       o.max_text_bytes ? o.max_text_bytes : info.limits.max_text_bytes));
    HB_ASSIGN_OR_RETURN(int max_length, ResolveMaxLength(o.max_length));
    EncodeOptions e = ToEncodeOptions(o, max_length);
    if (in.has_second) return tokenizer->EncodePair(in.first, in.second, e);
    return tokenizer->Encode(in.first, e);
  }

  StatusOr<ExitRule> ResolveExitRule(const RunOptions& o) const {
    ExitRule rule;
    const ExitRule& model_rule = encoder->default_exit_rule();
    switch (o.early_exit) {
      case EarlyExit::kOff:
        return rule;
      case EarlyExit::kModelDefault:
        if (!encoder->has_exit_heads()) return rule;
        return model_rule;
      case EarlyExit::kEntropy:
        rule = ExitRule{ExitRuleKind::kEntropy, 0.3f, 0};
        break;
      case EarlyExit::kMaxProb:
        rule = ExitRule{ExitRuleKind::kMaxProb, 0.9f, 0};
        break;
      case EarlyExit::kPatience:
        rule = ExitRule{ExitRuleKind::kPatience, 0, 2};
        break;
      default:
        return InvalidArgument("unknown early_exit value " +
                               std::to_string(static_cast<int>(o.early_exit)));
    }
    if (!encoder->has_exit_heads()) {
      return Unsupported(
          "early exit is unavailable: this model has no exit heads (add them with "
          "`hummingbert calibrate-exits` or train them)");
    }
    if (model_rule.kind == rule.kind) rule = model_rule;
    if (o.exit_threshold >= 0) rule.threshold = o.exit_threshold;
    if (o.exit_patience > 0) rule.patience = o.exit_patience;
    if (rule.kind == ExitRuleKind::kMaxProb && rule.threshold > 1) {
      return InvalidArgument("exit_threshold for max-prob must be in [0, 1]");
    }
    return rule;
  }

  // The call's attention: the model's pattern unless overridden; global positions add up.
  StatusOr<AttentionPattern> ResolveAttention(const AttentionOptions& o) const {
    const AttentionPattern& model = encoder->default_attention();
    AttentionPattern p;
    switch (o.mode) {
      case AttentionMode::kModelDefault:
        p = model;
        if (o.window != 0 && !p.dense()) p.window = o.window;
        break;
      case AttentionMode::kDense:
        return p;
      case AttentionMode::kSlidingWindow:
        p.kind = AttentionKind::kSlidingWindow;
        p.window = o.window != 0 ? o.window : (model.dense() ? 256 : model.window);
        p.global_first_token = model.dense() ? true : model.global_first_token;
        p.global_positions = model.dense() ? std::vector<int>{} : model.global_positions;
        break;
      default:
        return InvalidArgument("unknown attention mode " +
                               std::to_string(static_cast<int>(o.mode)));
    }
    if (p.dense()) return p;
    if (p.window < 2) {
      return InvalidArgument("attention window must be at least 2, got " +
                             std::to_string(p.window));
    }
    for (int g : o.global_positions) {
      if (g < 0) return InvalidArgument("global positions must be >= 0, got " + std::to_string(g));
      p.global_positions.push_back(g);
    }
    return p;
  }

  Status RunChunk(const std::vector<size_t>& idx, std::vector<Output>& outs,
                  const RunOptions& options, const AttentionPattern& attention) const {
    PackedBatch batch;
    for (size_t i : idx) batch.Add(outs[i].encoding);
    const bool encoder_task = encoder->config().task == TaskKind::kEncoder;
    const bool want_embeddings = encoder_task || options.embeddings;
    ForwardOptions fo;
    fo.want_pooler = want_embeddings;
    HB_ASSIGN_OR_RETURN(fo.exit_rule, ResolveExitRule(options));
    fo.attention = attention;
    HB_ASSIGN_OR_RETURN(ForwardResult fr, encoder->Forward(batch, fo, pool.get()));
    const size_t h = static_cast<size_t>(info.hidden_size);
    const size_t labels = info.labels.size();
    for (size_t s = 0; s < idx.size(); ++s) {
      Output& o = outs[idx[s]];
      const size_t start = batch.starts[s], len = batch.length(s);
      o.attention = attention.dense()
                        ? "dense"
                        : "sliding_window(" + std::to_string(attention.window) + ")+global(" +
                              std::to_string(attention.GlobalsFor(static_cast<int>(len)).size()) +
                              ")";
      switch (encoder->config().task) {
        case TaskKind::kSequenceClassification: {
          o.exit_layer = fr.exit_layer[s];
          for (size_t j = 0; j * labels < fr.layer_logits[s].size(); ++j) {
            o.layer_logits.emplace_back(fr.layer_logits[s].begin() + j * labels,
                                        fr.layer_logits[s].begin() + (j + 1) * labels);
          }
          o.layer_numbers = fr.layer_numbers[s];
          const float* row = fr.logits.data() + s * labels;
          o.logits.assign(row, row + labels);
          o.probs.resize(labels);
          ScoresInto(encoder->config().score_function(), row, labels, o.probs.data());
          o.label = static_cast<int>(std::max_element(row, row + labels) - row);
          break;
        }
        case TaskKind::kTokenClassification: {
          const float* rows = fr.logits.data() + start * labels;
          o.logits.assign(rows, rows + len * labels);
          o.probs.resize(len * labels);
          for (size_t t = 0; t < len; ++t) {
            SoftmaxInto(rows + t * labels, labels, o.probs.data() + t * labels);
          }
          break;
        }
        case TaskKind::kEncoder:
          break;
      }
      if (want_embeddings && len > 0) {
        const float* hs = fr.hidden.data() + start * h;
        o.cls.assign(hs, hs + h);
        std::vector<double> acc(h, 0.0);
        for (size_t t = 0; t < len; ++t) {
          for (size_t j = 0; j < h; ++j) acc[j] += hs[t * h + j];
        }
        o.mean.resize(h);
        for (size_t j = 0; j < h; ++j) o.mean[j] = static_cast<float>(acc[j] / len);
        if (!fr.pooled.empty()) {
          o.pooler.assign(fr.pooled.data() + s * h, fr.pooled.data() + (s + 1) * h);
        }
        if (options.normalize) {
          L2Normalize(o.cls);
          L2Normalize(o.mean);
          L2Normalize(o.pooler);
        }
      }
    }
    return Status::Ok();
  }
};

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

namespace {

// The option checks that need no weights, so a streaming load can fail before any byte.
Status CheckLoadOptions(const LoadOptions& options) {
  if (options.num_threads < 1) {
    return InvalidArgument("num_threads must be at least 1, got " +
                           std::to_string(options.num_threads));
  }
  if (!options.dtype.empty() && options.dtype != "int8" && options.dtype != "fp32") {
    return InvalidArgument("dtype must be one of [\"\", \"fp32\", \"int8\"], got '" +
                           options.dtype + "'");
  }
  const std::string& a = options.int8_activations;
  if (!a.empty() && a != "int8" && a != "u7") {
    return InvalidArgument("int8_activations must be one of [\"\", \"int8\", \"u7\"], got '" + a +
                           "'");
  }
  return Status::Ok();
}

// Builds a Model from loaded weights (moved all the way into the encoder, never copied):
// optional load-time quantization, tokenizer, packing.
StatusOr<std::unique_ptr<Model::Impl>> BuildImpl(BertWeights weights,
                                                 const TokenizerSettings& settings,
                                                 std::string_view vocab_txt,
                                                 const LoadOptions& options) {
  HB_RETURN_IF_ERROR(CheckLoadOptions(options));
  const bool stored_int8 = !weights.layers.empty() && weights.layers[0].qkv.quantized();
  if (options.dtype == "int8") {
    if (!stored_int8) HB_RETURN_IF_ERROR(QuantizeModel(weights, ModelDtype::kInt8));
  } else if (options.dtype == "fp32") {
    if (stored_int8) {
      return InvalidArgument("dtype 'fp32' cannot be restored from an int8 model file");
    }
  }
  const bool u7 = options.int8_activations == "u7" ||
                  (options.int8_activations.empty() && InstalledInt8QuadKernel() != nullptr);
  const BertConfig config = weights.config;
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertTokenizer> tokenizer,
                      BertTokenizer::Create(vocab_txt, settings));
  if (tokenizer->vocab_size() > config.vocab_size) {
    return InvalidModel("vocab.txt has " + std::to_string(tokenizer->vocab_size()) +
                        " tokens but the model's embedding table has only " +
                        std::to_string(config.vocab_size) + " rows");
  }
  const bool has_pooler = weights.pooler.has_value();
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertEncoder> encoder,
                      BertEncoder::Create(std::move(weights), u7));

  auto impl = std::make_unique<Model::Impl>();
  ModelInfo& info = impl->info;
  info.architecture = config.architecture;
  info.model_type = config.family == ModelFamily::kBert ? "bert" : "distilbert";
  info.task = TaskKindName(config.task);
  info.vocab_size = config.vocab_size;
  info.hidden_size = config.hidden_size;
  info.num_layers = config.num_layers;
  info.num_heads = config.num_heads;
  info.intermediate_size = config.intermediate_size;
  info.max_position_embeddings = config.max_position_embeddings;
  info.type_vocab_size = config.type_vocab_size;
  info.hidden_act = ActivationName(config.hidden_act);
  info.layer_norm_eps = config.layer_norm_eps;
  info.labels = config.labels;
  info.score_function = config.task == TaskKind::kSequenceClassification
                            ? ScoreFunctionName(config.score_function())
                        : config.task == TaskKind::kTokenClassification ? "softmax"
                                                                        : "";
  info.has_pooler = has_pooler;
  info.max_length = std::min(settings.model_max_length, config.max_position_embeddings);
  info.lowercase = settings.lowercase;
  impl->tokenizer = std::move(tokenizer);
  impl->encoder = std::move(encoder);
  impl->pool = std::make_unique<ThreadPool>(options.num_threads);
  info.num_threads = impl->pool->num_threads();
  for (int l : impl->encoder->exit_layers()) info.exit_layers.push_back(l + 1);
  const ExitRule& rule = impl->encoder->default_exit_rule();
  info.default_exit_rule = rule.kind == ExitRuleKind::kEntropy    ? "entropy"
                           : rule.kind == ExitRuleKind::kMaxProb  ? "max_prob"
                           : rule.kind == ExitRuleKind::kPatience ? "patience"
                                                                  : "none";
  info.default_exit_threshold = rule.threshold;
  info.default_exit_patience = rule.patience;
  info.dtype = impl->encoder->is_int8() ? "int8" : "fp32";
  if (impl->encoder->is_int8()) {
    info.int8_activations = u7 ? "u7" : "int8";
    info.int8_quad_kernel = u7 && InstalledInt8QuadKernel() != nullptr;
  }
  info.attention = impl->encoder->default_attention().Describe();
  info.limits = MergeLimits(options.limits, DefaultLimits());
  return impl;
}

}  // namespace

StatusOr<std::unique_ptr<Model>> Model::FromHuggingFaceFiles(const HuggingFaceFiles& files,
                                                             const LoadOptions& options) {
  try {
    HB_ASSIGN_OR_RETURN(LoadedCheckpoint loaded, LoadHuggingFaceCheckpoint(files));
    HB_ASSIGN_OR_RETURN(
        std::unique_ptr<Impl> impl,
        BuildImpl(std::move(loaded.weights), loaded.settings, files.vocab_txt, options));
    return std::unique_ptr<Model>(new Model(std::move(impl)));
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while loading the model");
  }
}

struct ModelFileLoader::Impl {
  LoadOptions options;
  ModelFileStreamReader reader;
  Status build_error;  // from building the model after a complete read; repeated by Finish
};

ModelFileLoader::ModelFileLoader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModelFileLoader::~ModelFileLoader() = default;

StatusOr<std::unique_ptr<ModelFileLoader>> ModelFileLoader::Create(const LoadOptions& options) {
  HB_RETURN_IF_ERROR(CheckLoadOptions(options));
  try {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    return std::unique_ptr<ModelFileLoader>(new ModelFileLoader(std::move(impl)));
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory creating a model file loader");
  }
}

Status ModelFileLoader::Append(const void* data, size_t size) {
  return impl_->reader.Append(static_cast<const uint8_t*>(data), size);
}

uint64_t ModelFileLoader::bytes_received() const { return impl_->reader.bytes_received(); }

StatusOr<std::unique_ptr<Model>> ModelFileLoader::Finish() {
  if (!impl_->build_error.ok()) return impl_->build_error;
  StatusOr<std::unique_ptr<Model::Impl>> impl = [&]() -> StatusOr<std::unique_ptr<Model::Impl>> {
    HB_ASSIGN_OR_RETURN(ModelFileContents contents, impl_->reader.Finish());
    try {
      return BuildImpl(std::move(contents.weights), contents.settings, contents.vocab_txt,
                       impl_->options);
    } catch (const std::bad_alloc&) {
      return ResourceExhausted("out of memory while loading the model file");
    }
  }();
  if (!impl.ok()) {
    // The reader repeats its own errors; a build error (e.g. dtype 'fp32' for an int8 file)
    // is kept here so that a second Finish says the same.
    if (impl_->reader.finished()) impl_->build_error = impl.status();
    return impl.status();
  }
  return std::unique_ptr<Model>(new Model(std::move(impl).value()));
}

StatusOr<std::unique_ptr<Model>> Model::FromModelFile(std::string_view bytes,
                                                      const LoadOptions& options) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<ModelFileLoader> loader, ModelFileLoader::Create(options));
  HB_RETURN_IF_ERROR(loader->Append(bytes.data(), bytes.size()));
  return loader->Finish();
}

StatusOr<std::unique_ptr<Model>> Model::Load(const std::string& path, const LoadOptions& options) {
  if (!FileExists(path)) return FromHuggingFaceDir(path, options);
  HB_ASSIGN_OR_RETURN(std::unique_ptr<ModelFileLoader> loader, ModelFileLoader::Create(options));
  const Status not_ours = InvalidModel(
      "'" + path +
      "' is not a hummingbert model file (convert a Hugging Face folder with `hummingbert "
      "convert`, or pass the folder itself)");
  bool sniffed = false;
  HB_RETURN_IF_ERROR(ReadFileChunks(path, kFileChunkBytes, [&](const char* data, size_t n) {
    // The first chunk (1 MiB) holds the header's start, which is all the sniff looks at.
    if (!sniffed && !LooksLikeModelFile(reinterpret_cast<const uint8_t*>(data), n)) {
      return not_ours;
    }
    sniffed = true;
    return loader->Append(data, n);
  }));
  if (!sniffed) return not_ours;  // an empty file
  return loader->Finish();
}

StatusOr<std::unique_ptr<Model>> Model::FromHuggingFaceDir(const std::string& dir,
                                                           const LoadOptions& options) {
  HB_ASSIGN_OR_RETURN(HuggingFaceFolder folder, ReadHuggingFaceFolder(dir));
  return FromHuggingFaceFiles(folder.View(), options);
}

const ModelInfo& Model::info() const { return impl_->info; }

StatusOr<Encoding> Model::Tokenize(std::string_view text, const TokenizeOptions& options) const {
  return impl_->Encode(TextPair{text, {}, false}, options);
}

StatusOr<Encoding> Model::TokenizePair(std::string_view a, std::string_view b,
                                       const TokenizeOptions& options) const {
  return impl_->Encode(TextPair{a, b, true}, options);
}

StatusOr<std::vector<Output>> Model::Run(const std::vector<std::string>& texts,
                                         const RunOptions& options) const {
  std::vector<TextPair> inputs;
  inputs.reserve(texts.size());
  for (const std::string& t : texts) inputs.push_back(TextPair{t, {}, false});
  return Run(inputs, options);
}

namespace {

// How one input runs: as itself, or as overlapping windows (LongInput::kChunk).
struct InputPlan {
  size_t first_work = 0;              // index of its first work item
  std::vector<size_t> window_starts;  // chunked: content offset of each window; empty otherwise
  size_t window_content = 0;          // chunked: content tokens per window (max_length - 2)
  std::string note;                   // "truncated(...)" when cut
};

// Merges the windows work[first .. first + plan.window_starts.size()) into one output over the
// full encoding (see LongInput::kChunk).
void MergeWindows(const InputPlan& plan, std::vector<Output>& work, TaskKind task, size_t labels,
                  ScoreFunction scores, Encoding full, Output* out) {
  const size_t k = plan.window_starts.size(), c = plan.window_content;
  Output* w = &work[plan.first_work];
  auto average = [&](std::vector<float> Output::*field) {
    std::vector<float> acc;
    if ((w[0].*field).empty()) return acc;
    acc.assign((w[0].*field).size(), 0.0f);
    for (size_t i = 0; i < k; ++i) {
      for (size_t j = 0; j < acc.size(); ++j) acc[j] += (w[i].*field)[j] / static_cast<float>(k);
    }
    return acc;
  };
  out->cls = average(&Output::cls);
  out->mean = average(&Output::mean);
  out->pooler = average(&Output::pooler);
  if (task == TaskKind::kSequenceClassification) {
    out->logits = average(&Output::logits);
    out->probs.resize(labels);
    ScoresInto(scores, out->logits.data(), labels, out->probs.data());
    out->label = static_cast<int>(std::max_element(out->logits.begin(), out->logits.end()) -
                                  out->logits.begin());
    for (size_t i = 0; i < k; ++i) out->exit_layer = std::max(out->exit_layer, w[i].exit_layer);
    out->layer_logits = {out->logits};
    out->layer_numbers = {out->exit_layer};
  } else if (task == TaskKind::kTokenClassification) {
    const size_t n = full.size();
    out->logits.resize(n * labels);
    out->probs.resize(n * labels);
    auto take = [&](size_t row, size_t window, size_t window_row) {
      std::copy(w[window].logits.begin() + window_row * labels,
                w[window].logits.begin() + (window_row + 1) * labels,
                out->logits.begin() + row * labels);
    };
    take(0, 0, 0);              // [CLS]
    take(n - 1, k - 1, c + 1);  // [SEP]
    for (size_t t = 1; t + 1 < n; ++t) {
      const size_t pos = t - 1;  // content index
      size_t best = 0, best_margin = 0;
      bool found = false;
      for (size_t i = 0; i < k; ++i) {
        const size_t st = plan.window_starts[i];
        if (pos < st || pos >= st + c) continue;
        const size_t margin = std::min(pos - st, st + c - 1 - pos);
        if (!found || margin > best_margin) best = i, best_margin = margin, found = true;
      }
      take(t, best, 1 + pos - plan.window_starts[best]);
    }
    for (size_t t = 0; t < n; ++t) {
      SoftmaxInto(out->logits.data() + t * labels, labels, out->probs.data() + t * labels);
    }
  }
  out->attention = "chunked(" + std::to_string(k) + "x" + std::to_string(c + 2) + ")";
  out->encoding = std::move(full);
}

}  // namespace

StatusOr<std::vector<Output>> Model::Run(const std::vector<TextPair>& inputs,
                                         const RunOptions& options) const {
  try {
    // Limits first: nothing is tokenized or allocated for a call over them.
    const InputLimits limits = MergeLimits(options.limits, impl_->info.limits);
    if (inputs.size() > limits.max_batch_size) {
      return ResourceExhausted(
          "a batch of " + std::to_string(inputs.size()) +
          " inputs is over the limit max_batch_size = " + std::to_string(limits.max_batch_size) +
          "; split it or " + RaiseHint("maxBatchSize", "max_batch_size", nullptr));
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      const TextPair& in = inputs[i];
      HB_RETURN_IF_ERROR(CheckTextBytes("text " + std::to_string(i),
                                        in.first.size() + (in.has_second ? in.second.size() : 0),
                                        limits.max_text_bytes));
    }
    size_t total_tokens = 0;  // planned for the encoder, checked against max_total_tokens
    auto add_tokens = [&](size_t i, size_t n) -> Status {
      total_tokens += n;
      if (total_tokens <= limits.max_total_tokens) return Status::Ok();
      return ResourceExhausted(
          "the batch needs more than max_total_tokens = " +
          std::to_string(limits.max_total_tokens) + " tokens (reached at text " +
          std::to_string(i) +
          (options.long_input == LongInput::kChunk ? ", chunked windows included" : "") +
          "); split the batch, truncate, or " +
          RaiseHint("maxTotalTokens", "max_total_tokens", "--max-total-tokens"));
    };
    HB_ASSIGN_OR_RETURN(AttentionPattern attention, impl_->ResolveAttention(options.attention));
    if (options.long_input != LongInput::kTruncate && options.long_input != LongInput::kChunk) {
      return InvalidArgument("unknown long_input value " +
                             std::to_string(static_cast<int>(options.long_input)));
    }
    HB_ASSIGN_OR_RETURN(const int max_length, impl_->ResolveMaxLength(options.max_length));
    TokenizeOptions topt;
    topt.max_length = options.max_length;
    topt.offset_unit = options.offset_unit;
    topt.max_text_bytes = limits.max_text_bytes;
    EncodeOptions unlimited = ToEncodeOptions(topt, 1 << 30);

    std::vector<InputPlan> plans(inputs.size());
    std::vector<Encoding> full(inputs.size());  // chunked inputs only
    std::vector<Output> work;
    work.reserve(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      const TextPair& in = inputs[i];
      StatusOr<Encoding> enc = in.has_second
                                   ? impl_->tokenizer->EncodePair(in.first, in.second, unlimited)
                                   : impl_->tokenizer->Encode(in.first, unlimited);
      InputPlan& plan = plans[i];
      plan.first_work = work.size();
      const size_t n = enc.ok() ? enc->size() : 0;
      if (enc.ok() && n > static_cast<size_t>(max_length)) {
        if (options.long_input == LongInput::kChunk && !in.has_second && max_length > 2) {
          // Windows of c content tokens, stride c / 2, the last one aligned to the end.
          const size_t m = n - 2, c = static_cast<size_t>(max_length) - 2;
          const size_t stride = std::max<size_t>(1, c / 2);
          if ((m - c) / stride + 1 > limits.max_total_tokens / (c + 2)) {
            HB_RETURN_IF_ERROR(add_tokens(i, ((m - c) / stride + 1) * (c + 2)));
          }
          for (size_t st = 0;; st += stride) {
            if (st + c >= m) {
              plan.window_starts.push_back(m - c);
              break;
            }
            plan.window_starts.push_back(st);
          }
          plan.window_content = c;
          for (size_t st : plan.window_starts) {
            HB_RETURN_IF_ERROR(add_tokens(i, c + 2));
            Output part;
            Encoding& e = part.encoding;
            e.ids.push_back(enc->ids[0]);
            e.ids.insert(e.ids.end(), enc->ids.begin() + 1 + st, enc->ids.begin() + 1 + st + c);
            e.ids.push_back(enc->ids[n - 1]);
            e.type_ids.assign(e.ids.size(), 0);
            work.push_back(std::move(part));
          }
          full[i] = std::move(enc).value();
          continue;
        }
        plan.note = "truncated(" + std::to_string(max_length) + " of " + std::to_string(n) + ")";
        enc = impl_->Encode(in, topt);
      }
      if (!enc.ok()) {
        return Status(enc.status().code(),
                      "text " + std::to_string(i) + ": " + enc.status().message());
      }
      HB_RETURN_IF_ERROR(add_tokens(i, enc->size()));
      Output o;
      o.encoding = std::move(enc).value();
      work.push_back(std::move(o));
    }

    // Embeddings are normalized after windows are merged.
    RunOptions run = options;
    run.normalize = false;
    std::vector<size_t> chunk;
    size_t chunk_tokens = 0;
    for (size_t i = 0; i < work.size(); ++i) {
      chunk.push_back(i);
      chunk_tokens += work[i].encoding.size();
      if (chunk_tokens >= kMaxTokensPerChunk || i + 1 == work.size()) {
        HB_RETURN_IF_ERROR(impl_->RunChunk(chunk, work, run, attention));
        chunk.clear();
        chunk_tokens = 0;
      }
    }

    const BertConfig& config = impl_->encoder->config();
    std::vector<Output> outs(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      const InputPlan& plan = plans[i];
      if (!plan.window_starts.empty()) {
        MergeWindows(plan, work, config.task, static_cast<size_t>(config.num_labels()),
                     config.score_function(), std::move(full[i]), &outs[i]);
      } else {
        outs[i] = std::move(work[plan.first_work]);
        if (!plan.note.empty()) outs[i].attention = plan.note;
      }
      if (options.normalize) {
        L2Normalize(outs[i].cls);
        L2Normalize(outs[i].mean);
        L2Normalize(outs[i].pooler);
      }
    }
    return outs;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory running " + std::to_string(inputs.size()) + " texts");
  }
}

// ---------------------------------------------------------------- Tokenizer

struct Tokenizer::Impl {
  std::unique_ptr<BertTokenizer> tokenizer;

  Status CheckBytes(size_t bytes, const TokenizeOptions& o) const {
    return CheckTextBytes("the text", bytes,
                          o.max_text_bytes ? o.max_text_bytes : kDefaultMaxTextBytes);
  }
  int max_length = 512;
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromVocab(
    std::string_view vocab_txt, const StandaloneTokenizerOptions& options) {
  if (options.max_length < 2) {
    return InvalidArgument("max_length must be at least 2, got " +
                           std::to_string(options.max_length));
  }
  TokenizerSettings settings;
  settings.lowercase = options.lowercase;
  settings.strip_accents = options.strip_accents;
  settings.tokenize_chinese_chars = options.tokenize_chinese_chars;
  settings.model_max_length = options.max_length;
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertTokenizer> tok,
                      BertTokenizer::Create(vocab_txt, settings));
  auto impl = std::make_unique<Impl>();
  impl->tokenizer = std::move(tok);
  impl->max_length = options.max_length;
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

StatusOr<Encoding> Tokenizer::Tokenize(std::string_view text,
                                       const TokenizeOptions& options) const {
  if (options.max_length < 0) return InvalidArgument("max_length must be positive");
  HB_RETURN_IF_ERROR(impl_->CheckBytes(text.size(), options));
  return impl_->tokenizer->Encode(
      text, ToEncodeOptions(options, options.max_length ? options.max_length : impl_->max_length));
}

StatusOr<Encoding> Tokenizer::TokenizePair(std::string_view a, std::string_view b,
                                           const TokenizeOptions& options) const {
  if (options.max_length < 0) return InvalidArgument("max_length must be positive");
  HB_RETURN_IF_ERROR(impl_->CheckBytes(a.size() + b.size(), options));
  return impl_->tokenizer->EncodePair(
      a, b, ToEncodeOptions(options, options.max_length ? options.max_length : impl_->max_length));
}

}  // namespace hb
