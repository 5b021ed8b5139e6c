// exit_config.json + exit_heads.safetensors -> BertWeights::exit_heads (see exit_heads.h).
// Validation happens before any tensor is converted, so a bad config never costs a copy.
#include "format/exit_heads.h"

#include <cmath>
#include <new>
#include <utility>

#include "base/decimal_text.h"
#include "format/json_util.h"

namespace hb {
namespace {

using json = Json;

constexpr char kRuleTypes[] = "[entropy, max_prob, patience]";

StatusOr<float> ReadThreshold(const json& rule, std::string_view what, const std::string& type) {
  auto it = rule.find("threshold");
  if (it == rule.end() || !it->is_number()) {
    return InvalidModel(std::string(what) + ": default_rule of type '" + type +
                        "' needs a numeric 'threshold'");
  }
  return static_cast<float>(it->get<double>());
}

}  // namespace

Status ValidateExitRule(const ExitRule& rule, int num_layers) {
  switch (rule.kind) {
    case ExitRuleKind::kNone:
      return Status::Ok();
    case ExitRuleKind::kEntropy:
      if (!std::isfinite(rule.threshold) || rule.threshold <= 0) {
        return InvalidArgument("entropy threshold must be finite and > 0 (nats), got " +
                               NumberText(rule.threshold));
      }
      return Status::Ok();
    case ExitRuleKind::kMaxProb:
      if (!(rule.threshold > 0 && rule.threshold <= 1)) {
        return InvalidArgument("max_prob threshold must be in (0, 1], got " +
                               NumberText(rule.threshold));
      }
      return Status::Ok();
    case ExitRuleKind::kPatience:
      if (rule.patience < 1 || rule.patience > num_layers) {
        return InvalidArgument("patience k must be in [1, " + std::to_string(num_layers) +
                               "] (the number of layers), got " + std::to_string(rule.patience));
      }
      return Status::Ok();
  }
  return InvalidArgument("unknown exit rule kind " + std::to_string(static_cast<int>(rule.kind)));
}

StatusOr<ExitSettings> ParseExitSettings(const json& j, std::string_view what, int num_layers) {
  const std::string w(what);
  if (!j.is_object()) return InvalidModel(w + ": expected a JSON object, got " + JsonTypeName(j));
  ExitSettings s;
  auto layers = j.find("layers");
  if (layers == j.end() || !layers->is_array() || layers->empty()) {
    return InvalidModel(w + ": 'layers' must be a non-empty array of layer indices");
  }
  for (const json& l : *layers) {
    int64_t v;
    if (!JsonToInt64(l, &v)) {
      return InvalidModel(w + ": 'layers' must hold integers, got " + JsonBrief(l));
    }
    if (v < 0 || v >= num_layers) {
      return InvalidModel(w + ": exit layer " + std::to_string(v) +
                          " is out of range; the model has " + std::to_string(num_layers) +
                          " layers (0-based indices 0.." + std::to_string(num_layers - 1) + ")");
    }
    if (!s.layers.empty() && v <= s.layers.back()) {
      return InvalidModel(w + ": 'layers' must be strictly increasing, got " + std::to_string(v) +
                          " after " + std::to_string(s.layers.back()));
    }
    s.layers.push_back(static_cast<int>(v));
  }
  auto rule_it = j.find("default_rule");
  if (rule_it == j.end() || rule_it->is_null()) return s;
  const json& rule = *rule_it;
  if (!rule.is_object()) {
    return InvalidModel(w + ": 'default_rule' must be an object, got " + JsonBrief(rule));
  }
  auto type_it = rule.find("type");
  if (type_it == rule.end() || !type_it->is_string()) {
    return InvalidModel(w + ": 'default_rule' needs a string 'type', one of " + kRuleTypes);
  }
  const std::string type = type_it->get<std::string>();
  if (type == "entropy" || type == "max_prob") {
    s.rule.kind = type == "entropy" ? ExitRuleKind::kEntropy : ExitRuleKind::kMaxProb;
    HB_ASSIGN_OR_RETURN(s.rule.threshold, ReadThreshold(rule, what, type));
  } else if (type == "patience") {
    s.rule.kind = ExitRuleKind::kPatience;
    int64_t k;
    auto k_it = rule.find("k");
    if (k_it == rule.end() || !JsonToInt64(*k_it, &k) || k < 1 || k > num_layers) {
      return InvalidModel(w + ": patience rule needs an integer 'k' in [1, " +
                          std::to_string(num_layers) + "]" +
                          (k_it == rule.end() ? std::string() : ", got " + JsonBrief(*k_it)));
    }
    s.rule.patience = static_cast<int>(k);
  } else {
    return Unsupported(w + ": exit rule type '" + Shorten(type, 40) +
                       "' is not supported; must be one of " + kRuleTypes);
  }
  Status valid = ValidateExitRule(s.rule, num_layers);
  if (!valid.ok()) return InvalidModel(w + ": " + valid.message());
  return s;
}

json ExitSettingsToJson(const BertWeights& weights) {
  json j = json::object();
  json layers = json::array();
  for (const ExitHeadWeights& head : weights.exit_heads) layers.push_back(head.layer);
  j["layers"] = std::move(layers);
  const ExitRule& r = weights.default_exit_rule;
  switch (r.kind) {
    case ExitRuleKind::kNone:
      break;
    case ExitRuleKind::kEntropy:
    case ExitRuleKind::kMaxProb:
      // A float widened to double prints with enough digits to read back the same float.
      j["default_rule"] = {{"type", r.kind == ExitRuleKind::kEntropy ? "entropy" : "max_prob"},
                           {"threshold", static_cast<double>(r.threshold)}};
      break;
    case ExitRuleKind::kPatience:
      j["default_rule"] = {{"type", "patience"}, {"k", r.patience}};
      break;
  }
  return j;
}

Status LoadExitHeads(std::string_view exit_config_json, const SafetensorsReader& heads,
                     BertWeights* weights) {
  if (weights == nullptr) return InvalidArgument("LoadExitHeads: null weights");
  const BertConfig& c = weights->config;
  if (c.task != TaskKind::kSequenceClassification) {
    return InvalidArgument("exit heads need a sequence classifier; the model is " + c.architecture);
  }
  try {
    JsonLimits limits;
    limits.max_depth = 8;
    limits.max_values = 1 << 16;
    json j;
    HB_RETURN_IF_ERROR(ParseJson(exit_config_json, "exit_config.json", limits, &j));
    HB_ASSIGN_OR_RETURN(ExitSettings s, ParseExitSettings(j, "exit_config.json", c.num_layers));
    if (auto n = j.find("num_hidden_layers"); n != j.end()) {
      int64_t v;
      if (!JsonToInt64(*n, &v) || v != c.num_layers) {
        return InvalidModel("exit_config.json: num_hidden_layers is " + JsonBrief(*n) +
                            " but config.json has " + std::to_string(c.num_layers) +
                            " (exit heads trained for a different model?)");
      }
    }
    const int64_t h = c.hidden_size, labels = c.num_labels();
    auto load = [&](const std::string& name, const std::vector<int64_t>& shape,
                    std::vector<float>* out) -> Status {
      const TensorView* t = heads.Find(name);
      if (t == nullptr) {
        return InvalidModel("exit_heads.safetensors: missing tensor '" + name +
                            "' (exit_config.json lists its layer)");
      }
      if (t->dtype != DType::kF32 && t->dtype != DType::kF16 && t->dtype != DType::kBF16) {
        return Unsupported("exit_heads.safetensors: tensor '" + name + "' has dtype " +
                           DTypeName(t->dtype) + "; must be one of [F32, F16, BF16]");
      }
      if (t->shape != shape) {
        return InvalidModel("exit_heads.safetensors: tensor '" + name + "' has shape " +
                            ShapeString(t->shape) + " but the model needs " + ShapeString(shape) +
                            " (hidden_size " + std::to_string(h) + ", num_labels " +
                            std::to_string(labels) + ")");
      }
      HB_ASSIGN_OR_RETURN(*out, TensorToF32(*t));
      return Status::Ok();
    };
    std::vector<ExitHeadWeights> loaded(s.layers.size());
    for (size_t i = 0; i < s.layers.size(); ++i) {
      ExitHeadWeights& head = loaded[i];
      head.layer = s.layers[i];
      const std::string p = "exit_heads." + std::to_string(head.layer) + ".";
      head.pooler.out = head.pooler.in = static_cast<int>(h);
      head.classifier.out = static_cast<int>(labels);
      head.classifier.in = static_cast<int>(h);
      HB_RETURN_IF_ERROR(load(p + "pooler.weight", {h, h}, &head.pooler.w));
      HB_RETURN_IF_ERROR(load(p + "pooler.bias", {h}, &head.pooler.b));
      HB_RETURN_IF_ERROR(load(p + "classifier.weight", {labels, h}, &head.classifier.w));
      HB_RETURN_IF_ERROR(load(p + "classifier.bias", {labels}, &head.classifier.b));
    }
    weights->exit_heads = std::move(loaded);
    weights->default_exit_rule = s.rule;
    return Status::Ok();
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory loading the exit heads");
  } catch (const std::exception& e) {
    return Internal(std::string("unexpected exception loading the exit heads: ") + e.what());
  }
}

}  // namespace hb
