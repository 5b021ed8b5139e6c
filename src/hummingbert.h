// hummingbert: BERT-family encoders for the web and native code.
//
// Usage:
//
//   #include "hummingbert.h"
//
//   // A hummingbert model file (.hbm, from `hummingbert convert`) or a Hugging Face model
//   // folder: config.json, model.safetensors, vocab.txt and optionally tokenizer_config.json /
//   // tokenizer.json / special_tokens_map.json / exit_config.json + exit_heads.safetensors.
//   hb::LoadOptions load;
//   load.num_threads = 2;  // GEMM columns and attention heads split over 2 threads
//   hb::StatusOr<std::unique_ptr<hb::Model>> model = hb::Model::Load("my-model", load);
//   if (!model.ok()) { fprintf(stderr, "%s\n", model.status().ToString().c_str()); return 1; }
//
//   hb::StatusOr<std::vector<hb::Output>> out = (*model)->Run({"I loved it", "Meh."}, {});
//   // Sequence classifier: out[i].logits, .probs, .label (index into info().labels),
//   //                      .exit_layer and .layer_logits when the model has exit heads.
//   // Token classifier:    out[i].logits is [tokens x labels].
//   // Encoder (BertModel): out[i].cls, .mean, .pooler embeddings.
//
// Batches: texts of different lengths run together without padding (tokens of all texts are
// packed into one matrix; attention stays within each text), so a batch gives exactly the
// results of running each text alone, bit for bit, with any number of threads.
//
// Thread safety: a Model is immutable after loading; Run and Tokenize may be called from several
// threads at once (parallel regions of one model's pool are serialized). Errors: every function
// that takes user input returns Status/StatusOr with a code (base/status.h) and a message naming
// the problem; nothing aborts on bad input.
#ifndef HB_HUMMINGBERT_H_
#define HB_HUMMINGBERT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "format/huggingface_files.h"  // HuggingFaceFiles: model files already in memory
#include "tokenizer/encoding.h"

namespace hb {

// Limits on what one call may ask for, checked before any work (tokenizing, allocating, running):
// a call over a limit fails at once with kResourceExhausted and a message naming the limit and
// how to raise it. They keep a page that passes whatever its users type from hanging the engine
// or growing its memory without bound. 0 in a field means "the default" (see LoadOptions and
// RunOptions); the built-in defaults are generous for real text.
inline constexpr size_t kDefaultMaxTextBytes = size_t{1} << 20;    // 1 MiB of UTF-8 per input
inline constexpr size_t kDefaultMaxBatchSize = 4096;               // inputs per Run call
inline constexpr size_t kDefaultMaxTotalTokens = size_t{1} << 20;  // tokens run per Run call
struct InputLimits {
  // UTF-8 bytes of one input (a text pair: both texts together); Tokenize and Run.
  size_t max_text_bytes = 0;
  // Inputs (texts or text pairs) in one Run call.
  size_t max_batch_size = 0;
  // Tokens the encoder runs in one Run call: every input after truncation, or every window of a
  // LongInput::kChunk input (windows overlap, so a chunked text counts about twice its length).
  size_t max_total_tokens = 0;
};

struct ModelInfo {
  std::string architecture;  // e.g. "BertForSequenceClassification"
  std::string model_type;    // "bert" or "distilbert"
  std::string task;          // "encoder", "sequence-classification", "token-classification"
  int vocab_size = 0;
  int hidden_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  int intermediate_size = 0;
  int max_position_embeddings = 0;
  int type_vocab_size = 0;
  std::string hidden_act;
  float layer_norm_eps = 0;
  std::vector<std::string> labels;  // by label id; empty for encoders
  // Sequence classifiers: how Output::probs is made from the logits, as Hugging Face's
  // text-classification pipeline does it from config.json's problem_type and the label count:
  // "softmax", "sigmoid" (multi_label_classification, or one label) or "none" (regression: the
  // logits themselves). Token classifiers always use "softmax"; "" for encoders.
  std::string score_function;
  bool has_pooler = false;
  int max_length = 0;  // default truncation length, special tokens included
  bool lowercase = true;
  int num_threads = 1;            // threads actually in use
  std::vector<int> exit_layers;   // 1-based layers with an exit head (empty: no early exit)
  std::string default_exit_rule;  // "entropy", "max_prob", "patience" or "none"
  float default_exit_threshold = 0;
  int default_exit_patience = 0;
  std::string dtype = "fp32";  // weights of the encoder layers: "fp32" or "int8"
  // int8 models: "int8" or "u7" (LoadOptions::int8_activations in effect); "" for fp32.
  std::string int8_activations;
  // The u7 GEMMs run the installed quad kernel (wasm: the relaxed-SIMD module).
  bool int8_quad_kernel = false;
  // The model's default attention: "dense", or e.g. "sliding_window(256)+global(cls)" for a
  // model converted with `--attention-window 256` (stored in the model file).
  std::string attention = "dense";
  InputLimits limits;  // in effect for this model (defaults filled in; see LoadOptions::limits)
};

struct LoadOptions {
  // Encoder weights at run time: "" keeps what the source stores (an HF folder is fp32, a model
  // file fp32/fp16/int8); "int8" quantizes fp32/fp16 weights at load (symmetric per output
  // channel, exactly as `hummingbert convert --dtype int8`); "fp32" is rejected for int8 files.
  std::string dtype;
  // Threads for GEMMs (split over output columns) and attention (split over heads), created
  // once per model. Results are identical for any count. Builds without threads (the
  // single-threaded wasm module) use 1.
  int num_threads = 1;
  // The model's input limits; 0 fields take the built-in defaults (kDefaultMaxTextBytes, ...).
  // ModelInfo::limits gives the values in effect; RunOptions::limits overrides them per call.
  InputLimits limits;
  // Activation quantization of int8 layers: "int8" (symmetric per row, -127..127), "u7"
  // (asymmetric per row, 0..127 with a zero point: the operand wasm relaxed SIMD's
  // i32x4.relaxed_dot_i8x16_i7x16_add_s takes, ~1.8x the int8 rate in Chromium), or ""
  // (default): "u7" when a quad kernel is installed (InstallInt8QuadKernel; the wasm module
  // does it where relaxed SIMD passes its self-test), else "int8". "u7" without an installed
  // kernel runs the built-in kernel and gives the same bits (for checking accuracy anywhere).
  std::string int8_activations;
};

struct TokenizeOptions {
  int max_length = 0;  // 0: the model's default; otherwise capped at the position table size
  bool add_special_tokens = true;
  OffsetUnit offset_unit = OffsetUnit::kCodePoint;
  // 0: the model's limit (ModelInfo::limits.max_text_bytes); Tokenizer: kDefaultMaxTextBytes.
  size_t max_text_bytes = 0;
};

enum class Pooling : int { kCls = 0, kMean = 1, kPooler = 2 };

// Early exit for sequence classifiers with exit heads (DeeBERT-style heads on some layers): an
// input leaves the encoder at the first head whose prediction satisfies the rule.
enum class EarlyExit : int {
  kModelDefault = 0,  // the rule stored with the model; full depth when it has no exit heads
  kOff = 1,           // always full depth
  kEntropy = 2,       // softmax entropy (nats) below exit_threshold (DeeBERT)
  kMaxProb = 3,       // max softmax probability at least exit_threshold
  kPatience = 4,      // the same prediction at exit_patience consecutive heads (PABEE)
};

// Attention pattern of a call. Sliding window (Longformer): each token attends to the window / 2
// tokens on each side plus the global tokens ([CLS] and global_positions), and global tokens
// attend to the whole text; time and memory grow linearly with the length instead of
// quadratically. Only models trained (or fine-tuned) with it give good results with it; for a
// window covering the whole text it equals dense attention.
enum class AttentionMode : int {
  kModelDefault = 0,  // what the model stores (dense for every Hugging Face BERT checkpoint)
  kDense = 1,
  kSlidingWindow = 2,
};
struct AttentionOptions {
  AttentionMode mode = AttentionMode::kModelDefault;
  int window = 0;  // sliding window width (>= 2); 0: the model's, else 256
  // Token positions ([CLS] = 0) that attend everywhere and are attended by all, besides [CLS];
  // positions past a text's end are ignored. Also added to a sliding-window model default.
  std::vector<int> global_positions;
};

// Inputs longer than max_length (the model's, or RunOptions::max_length).
enum class LongInput : int {
  kTruncate = 0,  // cut to max_length (Output::attention says "truncated(512 of 2048)")
  // Overlapping windows of max_length tokens, stride half a window, run as one batch:
  // sequence-classification logits averaged over windows, each token's row taken from the
  // window where it is most central, embeddings (cls/mean/pooler) averaged. Output::encoding
  // is the full text. Text pairs are truncated instead.
  kChunk = 1,
};

struct RunOptions {
  int max_length = 0;       // as TokenizeOptions::max_length
  bool embeddings = false;  // also compute cls/mean/pooler for classifiers (always for encoders)
  bool normalize = false;   // L2-normalize cls, mean and pooler
  OffsetUnit offset_unit = OffsetUnit::kCodePoint;
  // Asking for a rule (not kModelDefault/kOff) on a model without exit heads is kUnsupported.
  EarlyExit early_exit = EarlyExit::kModelDefault;
  float exit_threshold = -1;   // < 0: the model's value for this rule, else a built-in default
  int exit_patience = 0;       // <= 0: likewise
  AttentionOptions attention;  // kInvalidArgument for a window below 2
  LongInput long_input = LongInput::kTruncate;
  InputLimits limits;  // 0 fields: the model's limits (ModelInfo::limits)
};

// One text's (or text pair's) results.
struct Output {
  Encoding encoding;
  // Sequence classifier: [num_labels]. Token classifier: [tokens x num_labels], row-major.
  std::vector<float> logits;
  std::vector<float> probs;  // scores of each logits row (ModelInfo::score_function)
  int label = -1;            // sequence classifier: argmax of logits
  // [hidden] each: last hidden state of the first token, masked mean of the last hidden state,
  // and the pooler output (only when the checkpoint has a pooler).
  std::vector<float> cls, mean, pooler;
  // Sequence classifiers: the 1-based layer the input left at (num_layers at full depth), and
  // the logits of every head evaluated on the way (exit heads in layer order, then the final
  // classifier if reached), each [num_labels]; layer_numbers gives their 1-based layers.
  int exit_layer = 0;
  std::vector<std::vector<float>> layer_logits;
  std::vector<int> layer_numbers;
  // What ran: "dense", "sliding_window(256)+global(1)" (window, global tokens in this text),
  // "chunked(5x128)" (windows x tokens) or "truncated(512 of 2048)".
  std::string attention;
};

struct TextPair {
  std::string_view first;
  std::string_view second;  // empty with has_second = false for a single text
  bool has_second = false;
};

class Model {
 public:
  // Reads a Hugging Face model folder. Errors: kNotFound / kIoError for missing or unreadable
  // files, kInvalidModel for malformed ones, kUnsupported for other architectures.
  static StatusOr<std::unique_ptr<Model>> FromHuggingFaceDir(const std::string& dir,
                                                             const LoadOptions& options = {});
  static StatusOr<std::unique_ptr<Model>> FromHuggingFaceFiles(const HuggingFaceFiles& files,
                                                               const LoadOptions& options = {});
  // A hummingbert model file (.hbm, from `hummingbert convert`), already in memory (a
  // ModelFileLoader fed all of it: peak memory is the bytes plus the model). Errors:
  // kInvalidModel (malformed, truncated, lying shapes), kUnsupported (newer format version).
  static StatusOr<std::unique_ptr<Model>> FromModelFile(std::string_view bytes,
                                                        const LoadOptions& options = {});
  // A path to either a model file (read in 1 MiB chunks through a ModelFileLoader, never whole)
  // or a Hugging Face model folder.
  static StatusOr<std::unique_ptr<Model>> Load(const std::string& path,
                                               const LoadOptions& options = {});
  ~Model();

  const ModelInfo& info() const;

  StatusOr<Encoding> Tokenize(std::string_view text, const TokenizeOptions& options = {}) const;
  StatusOr<Encoding> TokenizePair(std::string_view a, std::string_view b,
                                  const TokenizeOptions& options = {}) const;

  // Runs a batch. Errors: kInvalidArgument (invalid UTF-8, naming the text and byte offset),
  // kResourceExhausted (over an InputLimits limit, checked before any work; or out of memory).
  StatusOr<std::vector<Output>> Run(const std::vector<std::string>& texts,
                                    const RunOptions& options = {}) const;
  StatusOr<std::vector<Output>> Run(const std::vector<TextPair>& inputs,
                                    const RunOptions& options = {}) const;

  struct Impl;  // opaque implementation

 private:
  friend class ModelFileLoader;
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Loads a model file (.hbm) from its bytes as they arrive (a download, a file read in chunks),
// without ever holding the whole file: only the header is buffered, then each tensor's bytes
// go straight into the model's weights, so peak memory stays near the loaded model's size.
//
//   auto loader = hb::ModelFileLoader::Create(options);   // checks the options
//   while (...) HB_RETURN_IF_ERROR((*loader)->Append(chunk, n));
//   hb::StatusOr<std::unique_ptr<hb::Model>> model = (*loader)->Finish();
//
// Errors are those of Model::FromModelFile, reported as soon as the bytes show them (a
// malformed header by the Append that completes it), and stick: after an error every Append and
// Finish returns it again, and the memory taken so far is freed. Finish is allowed once.
class ModelFileLoader {
 public:
  // Errors: kInvalidArgument for invalid options (num_threads, dtype, int8_activations).
  static StatusOr<std::unique_ptr<ModelFileLoader>> Create(const LoadOptions& options = {});
  ~ModelFileLoader();

  // The next `size` bytes of the file (any chunk size; copied, `data` need not outlive the
  // call). Bytes after the file's last tensor are an error (kInvalidModel).
  Status Append(const void* data, size_t size);
  // The model, once every byte was appended: checks that nothing is missing, then builds the
  // model (moving the weights, packing them layer by layer). kInvalidModel for a truncated file;
  // kInvalidArgument when called twice.
  StatusOr<std::unique_ptr<Model>> Finish();
  // Bytes appended so far.
  uint64_t bytes_received() const;

  struct Impl;  // opaque implementation

 private:
  explicit ModelFileLoader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A tokenizer on its own, from a vocab.txt (for `hummingbert tokenize --vocab`).
struct StandaloneTokenizerOptions {
  bool lowercase = true;
  std::optional<bool> strip_accents;  // unset: follows lowercase (HF default)
  bool tokenize_chinese_chars = true;
  int max_length = 512;
};
class Tokenizer {
 public:
  static StatusOr<std::unique_ptr<Tokenizer>> FromVocab(std::string_view vocab_txt,
                                                        const StandaloneTokenizerOptions& options);
  ~Tokenizer();
  StatusOr<Encoding> Tokenize(std::string_view text, const TokenizeOptions& options = {}) const;
  StatusOr<Encoding> TokenizePair(std::string_view a, std::string_view b,
                                  const TokenizeOptions& options = {}) const;

 private:
  struct Impl;
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hb

#endif  // HB_HUMMINGBERT_H_
