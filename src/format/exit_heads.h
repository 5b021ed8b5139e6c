// Early-exit (DeeBERT) heads from a Hugging Face folder: exit_config.json (head layers and the
// default exit rule) plus exit_heads.safetensors (`exit_heads.{layer}.pooler.weight|bias`,
// `exit_heads.{layer}.classifier.weight|bias`). The same JSON shape ({"layers", "default_rule"})
// is the "exit" metadata entry of a model file, so both share the parsing and validation here.
#ifndef HB_FORMAT_EXIT_HEADS_H_
#define HB_FORMAT_EXIT_HEADS_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "format/safetensors_reader.h"
#include "model/bert_weights.h"

namespace hb {

struct ExitSettings {
  std::vector<int> layers;  // strictly increasing, each in [0, num_layers)
  ExitRule rule;            // kNone when "default_rule" is absent or null
};

// Reads {"layers": [int...], "default_rule": {"type": "entropy"|"max_prob", "threshold": x} |
// {"type": "patience", "k": n} | null}; other keys are ignored. `what` names the source in
// messages ("exit_config.json"). Rules: entropy threshold finite and > 0 (nats), max_prob
// threshold in (0, 1], patience k an integer in [1, num_layers]. Errors: kInvalidModel naming
// the key and value (unsorted or out-of-range layers included), kUnsupported for an unknown rule
// type (listing the valid ones).
StatusOr<ExitSettings> ParseExitSettings(const Json& json, std::string_view what, int num_layers);

// The inverse of ParseExitSettings for weights->exit_heads and default_exit_rule (layers in
// order, "default_rule" omitted for kNone).
Json ExitSettingsToJson(const BertWeights& weights);

// Validates a rule by itself (the checks of ParseExitSettings); kInvalidArgument otherwise.
Status ValidateExitRule(const ExitRule& rule, int num_layers);

// Fills weights->exit_heads (sorted by layer) and default_exit_rule from exit_config.json and the
// tensors of exit_heads.safetensors (F32/F16/BF16, converted to fp32). weights->config must be a
// sequence classifier. Each head needs pooler [hidden x hidden] + [hidden] and classifier
// [num_labels x hidden] + [num_labels]. Errors: kInvalidModel (malformed JSON, layers out of
// range or unsorted, num_hidden_layers differing from config.json, a missing or mis-shaped
// tensor, naming it and both shapes), kUnsupported (rule type or tensor dtype), kInvalidArgument
// (null weights, or a model that is not a sequence classifier).
Status LoadExitHeads(std::string_view exit_config_json, const SafetensorsReader& heads,
                     BertWeights* weights);

}  // namespace hb

#endif  // HB_FORMAT_EXIT_HEADS_H_
