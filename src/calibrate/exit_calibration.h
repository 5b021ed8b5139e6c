// The core of calibrate-exits on loaded weights: fit one exit head per non-final layer from the
// first token's hidden states, choose the exit rule's threshold on held-out examples, and
// serialize the heads (exit_heads.safetensors + exit_config.json). hummingbert_calibrate.h wraps
// it with file formats, label parsing and shuffling.
#ifndef HB_CALIBRATE_EXIT_CALIBRATION_H_
#define HB_CALIBRATE_EXIT_CALIBRATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "hummingbert_calibrate.h"
#include "model/bert_weights.h"
#include "tokenizer/encoding.h"

namespace hb {

// The pooler of a calibrated head is tanh(kExitPoolerScale * (h - mu) / sigma): the
// standardization folded into the head's dense layer (a diagonal matrix), and a slope at which
// tanh is nearly linear within +-2 sigma while it clips the outliers of a few hidden dimensions.
constexpr double kExitPoolerScale = 0.5;

// A deterministic permutation of [0, n) (SplitMix64 + Fisher-Yates, integer arithmetic only, so
// it is the same on every platform).
std::vector<size_t> ShuffledIndices(size_t n, uint64_t seed);

struct ExitRuleChoice {
  ExitRule rule;
  double accuracy = 0, average_layers = 0;
  bool within_max_drop = true;
  std::vector<ExitSweepPoint> sweep;  // every candidate, conservative to aggressive
};

// Held-out results of a rule: `logits[i]` holds example i's logits of every head in layer order,
// ending with the final classifier, [(heads + 1) x num_labels]; head_layers their 1-based layers.
// The same decisions as BertEncoder::Forward (ShouldExit per head; the final head always exits).
void SimulateExitRule(const ExitRule& rule, const std::vector<std::vector<float>>& logits,
                      const std::vector<int>& labels, const std::vector<int>& head_layers,
                      int num_labels, int* correct, int64_t* total_layers);

// Sweeps every distinct setting of `kind` (entropy / max-prob thresholds at midpoints between the
// held-out values, patience 1..heads+1) from conservative to aggressive and keeps the most
// aggressive one before the first whose accuracy falls below full depth minus max_drop.
// Errors: kInvalidArgument for an unsupported kind, empty or mis-sized inputs.
StatusOr<ExitRuleChoice> ChooseExitRule(ExitRuleKind kind,
                                        const std::vector<std::vector<float>>& logits,
                                        const std::vector<int>& labels,
                                        const std::vector<int>& head_layers, int num_labels,
                                        double max_drop);

// Fits heads on all non-final layers and sets weights->exit_heads and default_exit_rule. The
// first round((1 - holdout) * n) encodings fit the heads, the rest are held out (callers shuffle).
// labels are ids in [0, num_labels). Uses options.rule, max_drop, holdout, l2, measure_speed.
// Errors: kInvalidArgument (options, too few examples, fewer than 2 distinct labels to fit),
// kUnsupported (not a sequence classifier, one layer only), kResourceExhausted.
StatusOr<CalibrationReport> CalibrateExitHeads(BertWeights* weights,
                                               const std::vector<Encoding>& encodings,
                                               const std::vector<int>& labels,
                                               const CalibrateOptions& options, ThreadPool* pool);

// exit_heads.safetensors for weights.exit_heads: F32 tensors `exit_heads.{layer}.pooler.weight`
// etc., sorted by name, header padded to 8 bytes. Deterministic.
std::string ExitHeadsToSafetensors(const BertWeights& weights);

// exit_config.json: ExitSettingsToJson plus num_hidden_layers, id2label, a description of the
// head and the report (without timings) under "calibration". Deterministic.
std::string ExitConfigToJson(const BertWeights& weights, const CalibrationReport& report);

}  // namespace hb

#endif  // HB_CALIBRATE_EXIT_CALIBRATION_H_
