// Making a fine-tuned model smaller and faster: structured pruning, low-rank factorization and
// cross-layer sharing. The engine behind `hummingbert prune`, `hummingbert factorize` and
// `hummingbert share`; every function takes and returns model files (.hbm), so the wasm module
// can offer the same operations on bytes.
//
// Usage:
//
//   #include "hummingbert_compress.h"
//
//   hb::PruneOptions prune;
//   prune.heads = 0.25;  // remove a quarter of the attention heads of every layer
//   prune.ffn = 0.5;     // and half of the FFN neurons
//   prune.texts = {...}; // a few hundred task texts: rank by activations (else weight magnitude)
//   hb::StatusOr<hb::CompressedModel> out = hb::PruneModelPath("model.hbm", prune);
//   if (!out.ok()) { fprintf(stderr, "%s\n", out.status().ToString().c_str()); return 1; }
//   // write out->model_file; out->report_json says what was removed or factorized.
//
// What each operation gives: a smaller *dense* model that the existing kernels run faster (no
// masks). Pruned layers keep their head size (hidden / num_heads) with fewer heads, and a
// narrower FFN; a factorized Linear W [out x in] becomes two thinner ones (in -> r -> out) from a
// truncated SVD; factorized word embeddings are a [vocab x E] table and an E -> hidden
// projection (ALBERT style); shared layers run one stored set of weights. The hidden size, the
// classifier and the early-exit heads are kept. Such files use model file format_version 2
// (format/MODEL_FILE.md).
//
// Weights are edited in fp32: int8 inputs are dequantized first and the result is re-quantized
// (`dtype` "" keeps the input's dtype; Hugging Face folders are fp32). The output of each
// operation is an input to the others (prune, then factorize); pruning a factorized layer is
// kUnsupported (prune first).
//
// Determinism: the same inputs and options give the same bytes. The SVD (eigen-decomposition of
// the Gram matrix by cyclic Jacobi rotations, in double; compress/svd.h) and the importance
// scores are computed in a fixed order; the scores depend on the kernels' results.
// Thread safety: the functions share no state and may run concurrently.
#ifndef HB_HUMMINGBERT_COMPRESS_H_
#define HB_HUMMINGBERT_COMPRESS_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hummingbert.h"

namespace hb {

struct PruneOptions {
  // Fractions removed in every layer, in [0, 1): round(fraction x count) heads / FFN neurons,
  // always keeping at least one of each.
  double heads = 0;
  double ffn = 0;
  // Sample texts (no labels needed) to rank heads and neurons by their contribution on real
  // inputs: a head by the mean norm of its share of the attention output projection,
  // ||W_o[:, head] ctx_head||, a neuron by mean |activation| x ||W_out[:, neuron]||.
  // Empty: weight magnitude, ||W_v[head]|| ||W_o[:, head]|| and ||W_in[neuron]|| ||W_out[:,
  // neuron]||.
  std::vector<std::string> texts;
  int max_length = 0;   // truncation of the texts; 0: the model's default
  int num_threads = 1;  // for the forward passes over the texts
  std::string dtype;    // "int8" | "fp16" | "fp32" | "" (the input's)
};

struct FactorizeOptions {
  // Encoder Linears (QKV, attention output, FFN in and out): at most one of rank > 0 (that rank
  // everywhere, at most min(out, in) of every Linear) or energy in (0, 1] (per Linear the
  // smallest rank whose singular values keep that fraction of sum(s^2)). A Linear is factorized
  // only where that saves weights and time: rank (in + out) < in x out. Neither: Linears kept.
  int rank = 0;
  double energy = 0;
  // > 0: factorize the word embeddings to [vocab x embedding_rank] + a projection to hidden
  // (at most min(vocab, hidden)).
  int embedding_rank = 0;
  std::string dtype;  // as PruneOptions::dtype
};

struct ShareOptions {
  // sources[i]: the layer whose weights layer i runs, one entry per layer; sources[i] == i keeps
  // layer i's own weights, sources[i] < i must name a layer that keeps its own. E.g. {0, 0, 2, 2}.
  std::vector<int> sources;
  std::string dtype;  // as PruneOptions::dtype
};

struct CompressedModel {
  std::string model_file;         // the new .hbm bytes
  std::string dtype;              // its dtype
  std::string report_json;        // what was done, per layer (2-space indented JSON; deterministic)
  int64_t input_parameters = 0;   // encoder + embedding weights before
  int64_t output_parameters = 0;  // and after (shared layers counted once)
};

// Each operation on a model file's bytes (copied; `model_file` need not outlive the call).
// Errors: kInvalidArgument (options out of range, naming the option and its valid range),
// kUnsupported (pruning factorized layers), the errors of ReadModelFile / WriteModelFile,
// kResourceExhausted.
StatusOr<CompressedModel> PruneModelFile(std::string_view model_file, const PruneOptions& options);
StatusOr<CompressedModel> FactorizeModelFile(std::string_view model_file,
                                             const FactorizeOptions& options);
StatusOr<CompressedModel> ShareLayersModelFile(std::string_view model_file,
                                               const ShareOptions& options);

// Native convenience: `path` is a model file or a Hugging Face model folder (as Model::Load).
// Extra errors: kNotFound / kIoError for files, and the loading errors of the folder.
StatusOr<CompressedModel> PruneModelPath(const std::string& path, const PruneOptions& options);
StatusOr<CompressedModel> FactorizeModelPath(const std::string& path,
                                             const FactorizeOptions& options);
StatusOr<CompressedModel> ShareLayersModelPath(const std::string& path,
                                               const ShareOptions& options);

}  // namespace hb

#endif  // HB_HUMMINGBERT_COMPRESS_H_
