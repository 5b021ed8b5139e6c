// Calibrating early-exit heads for a fine-tuned sequence classifier that has none: the engine
// behind `hummingbert calibrate-exits` natively (and the same code in wasm).
//
// Usage:
//
//   #include "hummingbert_calibrate.h"
//
//   hb::StatusOr<std::vector<hb::LabeledText>> data = hb::ParseLabeledTsv(tsv_bytes);
//   hb::CalibrateOptions options;  // entropy rule, at most 1 point of accuracy lost
//   options.max_examples = 4000;
//   hb::StatusOr<hb::CalibratedModel> out = hb::CalibrateExitsFromDir("my-model", *data, options);
//   if (!out.ok()) { fprintf(stderr, "%s\n", out.status().ToString().c_str()); return 1; }
//   // Write out->exit_config_json and out->exit_heads_safetensors next to a copy of the folder
//   // (Model::FromHuggingFaceDir loads them), or out->model_file when a model file was asked.
//   // out->report: per-layer held-out accuracy, the chosen threshold, expected layers and speed.
//
// What it does: the labeled texts are shuffled with a fixed seed, then split into a fitting part
// and a held-out part (`holdout`). On the fitting part, the first token's hidden state after
// every non-final layer feeds an L2-regularized multinomial logistic regression (full-batch
// L-BFGS), stored as a DeeBERT exit head: pooler = tanh(diag(s / sigma) (h - mu)) (the feature
// standardization, folded into the head's pooler) and classifier = the regression. On the
// held-out part, the rule's threshold is swept from conservative to aggressive and the most
// aggressive one is kept whose held-out accuracy, and that of every more conservative one, stays
// within `max_drop` of full depth.
//
// Determinism: the same inputs and options give the same bytes (timings are only in `report`,
// never in the files). The fit and the threshold search use double arithmetic in a fixed order
// and no libm transcendental functions, so they are reproducible across platforms given the same
// hidden states; hidden states themselves match across builds only as far as the kernels do.
//
// Thread safety: the functions share no state and may run concurrently.
#ifndef HB_HUMMINGBERT_CALIBRATE_H_
#define HB_HUMMINGBERT_CALIBRATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hummingbert.h"

namespace hb {

// One labeled example.
struct LabeledText {
  std::string text;
  std::string text_pair;  // second text for pair classifiers (has_pair)
  bool has_pair = false;
  // A label id ("1") or a label name ("positive"), as in the model's config id2label.
  std::string label;
  int line = 0;  // 1-based line in the source, for messages (0: unknown)
};

// Parses tab-separated lines `text<TAB>label` or `text_a<TAB>text_b<TAB>label` (UTF-8, LF or
// CRLF). A first line whose label field is "label" (any case) is a header and skipped, as in
// GLUE files; empty lines are skipped. Errors: kInvalidArgument for a line without a tab or with
// more than 3 fields (naming the line), or no examples at all.
StatusOr<std::vector<LabeledText>> ParseLabeledTsv(std::string_view tsv);

struct CalibrateOptions {
  // The exit rule to calibrate: kEntropy, kMaxProb or kPatience (others: kInvalidArgument).
  EarlyExit rule = EarlyExit::kEntropy;
  // Largest held-out accuracy loss against full depth accepted, as a fraction in [0, 1].
  double max_drop = 0.01;
  // Fraction of the examples held out to pick the threshold, in (0, 1).
  double holdout = 0.3;
  // L2 penalty of the regression (on standardized, tanh-squashed features), >= 0. 1e-2 was
  // best of {1e-4, 1e-3, 1e-2, 3e-2} on the held-out split of SST-2 train for the demo model.
  double l2 = 1e-2;
  // Use at most this many examples (after shuffling); 0: all.
  int max_examples = 0;
  // Truncation length; 0: the model's default.
  int max_length = 0;
  // Shuffling seed.
  uint64_t seed = 1234;
  // Threads for the encoder (results are identical for any count).
  int num_threads = 1;
  // Time the encoder with and without early exit on the held-out texts (report.timed).
  bool measure_speed = true;
  // Hugging Face input only: also write a model file of this dtype ("int8", "fp16", "fp32"),
  // and calibrate on the weights that file will hold. Empty: no model file.
  std::string model_file_dtype;
};

// One head's figures. Layers are 1-based; the last entry is the model's own classifier.
struct ExitHeadReport {
  int layer = 0;
  double train_accuracy = -1;  // on the fitting part; -1 for the final classifier
  double heldout_accuracy = 0;
  int iterations = 0;  // L-BFGS iterations (0 for the final classifier)
};

// One point of the held-out threshold sweep.
struct ExitSweepPoint {
  double threshold = 0;  // entropy / max-prob threshold; 0 for patience
  int patience = 0;      // patience only
  double accuracy = 0;
  double average_layers = 0;
};

struct CalibrationReport {
  int num_examples = 0, num_train = 0, num_heldout = 0;
  int num_layers = 0, num_labels = 0;
  std::vector<ExitHeadReport> heads;
  std::string rule;   // "entropy", "max_prob" or "patience"
  double threshold = 0;  // entropy / max_prob (the float stored in the model)
  int patience = 0;      // patience
  double max_drop = 0;
  double full_depth_accuracy = 0;  // held out
  double accuracy = 0;             // held out, with the chosen rule
  double accuracy_drop = 0;        // full_depth_accuracy - accuracy
  // False when even the most conservative setting loses more than max_drop (max_prob heads
  // that are certain everywhere); the most conservative setting is kept then.
  bool within_max_drop = true;
  double average_layers = 0;    // held out, with the chosen rule
  double layers_saved = 0;      // 1 - average_layers / num_layers
  double expected_speedup = 0;  // num_layers / average_layers (encoder layers only)
  std::vector<ExitSweepPoint> sweep;  // candidate settings, conservative to aggressive (thinned)
  // Wall-clock per text (ms) of the encoder over the held-out texts (at most 512), batch 1 and
  // 32, with the chosen rule and at full depth; medians of 3 runs. Filled when timed.
  bool timed = false;
  int timed_texts = 0;
  double full_ms_batch1 = 0, exit_ms_batch1 = 0, speedup_batch1 = 0;
  double full_ms_batch32 = 0, exit_ms_batch32 = 0, speedup_batch32 = 0;
};

// The report as JSON (2-space indented). Without timings the text is deterministic.
std::string CalibrationReportToJson(const CalibrationReport& report, bool include_timings);

struct CalibratedModel {
  // exit_config.json and exit_heads.safetensors (F32), the early-exit files of an HF folder.
  // exit_config.json also carries the report (without timings) under "calibration".
  std::string exit_config_json;
  std::string exit_heads_safetensors;
  // The whole model as a model file: for model file input (same dtype), or with
  // options.model_file_dtype. Empty otherwise.
  std::string model_file;
  CalibrationReport report;
};

// Calibrates from HF files in memory (any exit heads in `files` are replaced).
// Errors: kInvalidArgument (options out of range, naming the option and its valid range; a
// label that is not one of the model's, listing them; too few examples for the split; fewer
// than 2 distinct labels to fit; invalid UTF-8), kUnsupported (not a sequence classifier, or a
// single-layer model), the loading errors of Model::FromHuggingFaceFiles, kResourceExhausted.
StatusOr<CalibratedModel> CalibrateExitsFromFiles(const HuggingFaceFiles& files,
                                                  const std::vector<LabeledText>& data,
                                                  const CalibrateOptions& options);

// The same from a model file's bytes (copied; `bytes` need not outlive the call). The result's
// model_file has the input's dtype; options.model_file_dtype must be empty or equal to it.
StatusOr<CalibratedModel> CalibrateExitsFromModelFile(const uint8_t* bytes, size_t size,
                                                      const std::vector<LabeledText>& data,
                                                      const CalibrateOptions& options);

// Native convenience: reads an HF folder (as Model::FromHuggingFaceDir) or a model file.
// Extra errors: kNotFound / kIoError for files.
StatusOr<CalibratedModel> CalibrateExitsFromPath(const std::string& path,
                                                 const std::vector<LabeledText>& data,
                                                 const CalibrateOptions& options);

}  // namespace hb

#endif  // HB_HUMMINGBERT_CALIBRATE_H_
