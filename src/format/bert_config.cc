// config.json -> BertConfig (see bert_config.h).
//
// Design goals: accept every config.json that HF transformers writes for the six supported
// architectures (BERT and DistilBERT; encoder, sequence and token classification), apply HF's
// defaults where HF has one for an optional key, and reject everything else with a message that
// names the key and, where there is a set of valid values, lists it. No exception escapes.
// Non-goals: other model types (RoBERTa, ALBERT, ...), relative position embeddings, decoders,
// label2id (id2label is authoritative, as in HF).
#include "format/bert_config.h"

#include <cmath>
#include <new>

#include "format/json_util.h"

namespace hb {
namespace {

using json = Json;

constexpr int64_t kMaxDim = int64_t{1} << 20;
constexpr int64_t kMaxLabels = int64_t{1} << 20;

struct ArchitectureInfo {
  const char* name;
  ModelFamily family;
  TaskKind task;
};
constexpr ArchitectureInfo kArchitectures[] = {
    {"BertModel", ModelFamily::kBert, TaskKind::kEncoder},
    {"BertForSequenceClassification", ModelFamily::kBert, TaskKind::kSequenceClassification},
    {"BertForTokenClassification", ModelFamily::kBert, TaskKind::kTokenClassification},
    {"DistilBertModel", ModelFamily::kDistilBert, TaskKind::kEncoder},
    {"DistilBertForSequenceClassification", ModelFamily::kDistilBert,
     TaskKind::kSequenceClassification},
    {"DistilBertForTokenClassification", ModelFamily::kDistilBert, TaskKind::kTokenClassification},
};

// HF activation names (transformers/activations.py ACT2CLS) that our kernels compute exactly.
// gelu_fast computes x * 0.7978845608 * (1 + 0.044715 x^2) inside the tanh and gelu_accurate
// sqrt(2/pi) (x + 0.044715 x^3): both are the tanh form up to rounding. quick_gelu
// (x * sigmoid(1.702 x)), gelu_10 (clipped) and silu are different functions.
struct ActivationInfo {
  const char* name;
  Activation activation;
};
constexpr ActivationInfo kActivations[] = {
    {"gelu", Activation::kGeluErf},       {"gelu_python", Activation::kGeluErf},
    {"gelu_new", Activation::kGeluTanh},  {"gelu_pytorch_tanh", Activation::kGeluTanh},
    {"gelu_fast", Activation::kGeluTanh}, {"gelu_accurate", Activation::kGeluTanh},
    {"relu", Activation::kRelu},
};

template <typename Table>
std::string NameList(const Table& table) {
  std::string s;
  for (const auto& entry : table) {
    if (!s.empty()) s += ", ";
    s += entry.name;
  }
  return s;
}

Status KeyError(const char* key, const std::string& problem) {
  return InvalidModel(std::string("config.json: '") + key + "' " + problem);
}

// A required or optional integer in [min, max]. Absent (or null, for optional keys) keeps *out.
Status GetInt(const json& root, const char* key, bool required, int64_t min, int64_t max,
              int* out) {
  auto it = root.find(key);
  if (it == root.end() || (it->is_null() && !required)) {
    if (required) return KeyError(key, "is missing");
    return Status::Ok();
  }
  int64_t v;
  if (!JsonToInt64(*it, &v)) return KeyError(key, "must be an integer, got " + JsonBrief(*it));
  if (v < min || v > max) {
    return KeyError(key, "must be in [" + std::to_string(min) + ", " + std::to_string(max) +
                             "], got " + std::to_string(v));
  }
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status GetSize(const json& root, const char* key, int* out) {
  return GetInt(root, key, /*required=*/true, 1, kMaxDim, out);
}

// An optional string; absent or null keeps *out.
Status GetOptionalString(const json& root, const char* key, std::string* out) {
  auto it = root.find(key);
  if (it == root.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return KeyError(key, "must be a string, got " + JsonBrief(*it));
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ParseActivation(const json& root, const char* key, Activation* out) {
  std::string name = "gelu";  // the HF default for both families
  HB_RETURN_IF_ERROR(GetOptionalString(root, key, &name));
  for (const ActivationInfo& info : kActivations) {
    if (name == info.name) {
      *out = info.activation;
      return Status::Ok();
    }
  }
  return Unsupported(std::string("config.json: ") + key + " '" + Shorten(name) +
                     "' is not supported; supported: " + NameList(kActivations));
}

// Digits only, no sign; fails on overflow or a value >= limit.
bool ParseLabelId(const std::string& s, int64_t limit, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v >= limit) return false;
  *out = v;
  return true;
}

Status ParseLabels(const json& root, std::vector<std::string>* labels) {
  auto it = root.find("id2label");
  if (it != root.end() && !it->is_null()) {
    if (!it->is_object()) return KeyError("id2label", "must be an object, got " + JsonBrief(*it));
    const int64_t n = static_cast<int64_t>(it->size());
    if (n == 0) return KeyError("id2label", "is empty; a classifier needs at least one label");
    if (n > kMaxLabels) {
      return KeyError("id2label", "has " + std::to_string(n) + " labels; at most " +
                                      std::to_string(kMaxLabels) + " are supported");
    }
    labels->assign(static_cast<size_t>(n), std::string());
    std::vector<bool> seen(static_cast<size_t>(n), false);
    for (const auto& [key, value] : it->items()) {
      int64_t id;
      // n distinct ids, each below n: together they are exactly 0..n-1.
      if (!ParseLabelId(key, n, &id) || seen[static_cast<size_t>(id)]) {
        return KeyError("id2label", "keys must be the ids 0.." + std::to_string(n - 1) +
                                        ", each once; got '" + Shorten(key) + "'");
      }
      if (!value.is_string()) {
        return KeyError("id2label", "values must be strings; id " + Shorten(key) + " is " +
                                        JsonTypeName(value));
      }
      seen[static_cast<size_t>(id)] = true;
      (*labels)[static_cast<size_t>(id)] = value.get<std::string>();
    }
    return Status::Ok();
  }
  // No id2label: num_labels (or the older _num_labels) names the labels LABEL_i, as HF does;
  // HF's default is 2.
  int num_labels = 2;
  HB_RETURN_IF_ERROR(GetInt(root, "_num_labels", false, 1, kMaxLabels, &num_labels));
  HB_RETURN_IF_ERROR(GetInt(root, "num_labels", false, 1, kMaxLabels, &num_labels));
  labels->clear();
  labels->reserve(static_cast<size_t>(num_labels));
  for (int i = 0; i < num_labels; ++i) labels->push_back("LABEL_" + std::to_string(i));
  return Status::Ok();
}

Status ParseBertKeys(const json& root, BertConfig* c) {
  HB_RETURN_IF_ERROR(GetSize(root, "vocab_size", &c->vocab_size));
  HB_RETURN_IF_ERROR(GetSize(root, "hidden_size", &c->hidden_size));
  HB_RETURN_IF_ERROR(GetSize(root, "num_hidden_layers", &c->num_layers));
  HB_RETURN_IF_ERROR(GetSize(root, "num_attention_heads", &c->num_heads));
  HB_RETURN_IF_ERROR(GetSize(root, "intermediate_size", &c->intermediate_size));
  HB_RETURN_IF_ERROR(GetSize(root, "max_position_embeddings", &c->max_position_embeddings));
  c->type_vocab_size = 2;  // HF default
  HB_RETURN_IF_ERROR(GetInt(root, "type_vocab_size", false, 1, kMaxDim, &c->type_vocab_size));
  // Factorized word embeddings (ALBERT's key; our distilled students use it): the table is
  // [vocab x embedding_size] and embeddings.word_embeddings_projection maps it to hidden.
  HB_RETURN_IF_ERROR(GetInt(root, "embedding_size", false, 1, kMaxDim, &c->embedding_size));
  HB_RETURN_IF_ERROR(ParseActivation(root, "hidden_act", &c->hidden_act));

  auto eps = root.find("layer_norm_eps");
  if (eps != root.end() && !eps->is_null()) {
    if (!eps->is_number()) {
      return KeyError("layer_norm_eps", "must be a number, got " + JsonBrief(*eps));
    }
    const double v = eps->get<double>();
    if (!(v > 0.0 && v < 1.0)) {
      return KeyError("layer_norm_eps", "must be in (0, 1), got " + JsonBrief(*eps));
    }
    c->layer_norm_eps = static_cast<float>(v);
  }

  std::string position_type = "absolute";
  HB_RETURN_IF_ERROR(GetOptionalString(root, "position_embedding_type", &position_type));
  if (position_type != "absolute") {
    return Unsupported("config.json: position_embedding_type '" + Shorten(position_type) +
                       "' is not supported; only 'absolute' is");
  }
  if (c->hidden_size % c->num_heads != 0) {
    return KeyError("hidden_size", "(" + std::to_string(c->hidden_size) +
                                       ") must be divisible by 'num_attention_heads' (" +
                                       std::to_string(c->num_heads) + ")");
  }
  return Status::Ok();
}

Status ParseDistilBertKeys(const json& root, BertConfig* c) {
  HB_RETURN_IF_ERROR(GetSize(root, "vocab_size", &c->vocab_size));
  HB_RETURN_IF_ERROR(GetSize(root, "dim", &c->hidden_size));
  HB_RETURN_IF_ERROR(GetSize(root, "n_layers", &c->num_layers));
  HB_RETURN_IF_ERROR(GetSize(root, "n_heads", &c->num_heads));
  HB_RETURN_IF_ERROR(GetSize(root, "hidden_dim", &c->intermediate_size));
  HB_RETURN_IF_ERROR(GetSize(root, "max_position_embeddings", &c->max_position_embeddings));
  HB_RETURN_IF_ERROR(ParseActivation(root, "activation", &c->hidden_act));
  c->type_vocab_size = 0;      // DistilBERT has no token type embeddings
  c->layer_norm_eps = 1e-12f;  // hard-coded in HF's DistilBERT, not read from the config
  if (c->hidden_size % c->num_heads != 0) {
    return KeyError("dim", "(" + std::to_string(c->hidden_size) +
                               ") must be divisible by 'n_heads' (" + std::to_string(c->num_heads) +
                               ")");
  }
  return Status::Ok();
}

StatusOr<BertConfig> Parse(std::string_view text) {
  json root;
  HB_RETURN_IF_ERROR(ParseJson(text, "config.json", JsonLimits{}, &root));
  if (!root.is_object()) {
    return InvalidModel(std::string("config.json is not a JSON object (it is ") +
                        JsonTypeName(root) + ")");
  }
  BertConfig c;

  // model_type and architectures[0] must agree; either one alone determines the family.
  const ModelFamily* family = nullptr;
  ModelFamily model_type_family = ModelFamily::kBert;
  std::string model_type;
  HB_RETURN_IF_ERROR(GetOptionalString(root, "model_type", &model_type));
  auto model_type_it = root.find("model_type");
  if (model_type_it != root.end() && !model_type_it->is_null()) {
    if (model_type == "bert") {
      model_type_family = ModelFamily::kBert;
    } else if (model_type == "distilbert") {
      model_type_family = ModelFamily::kDistilBert;
    } else {
      return Unsupported("config.json: model_type '" + Shorten(model_type) +
                         "' is not supported; supported: bert, distilbert");
    }
    family = &model_type_family;
  }

  const ArchitectureInfo* arch = nullptr;
  auto archs = root.find("architectures");
  if (archs != root.end() && !archs->is_null()) {
    if (!archs->is_array()) {
      return KeyError("architectures", "must be an array of strings, got " + JsonBrief(*archs));
    }
    if (!archs->empty()) {
      const json& first = (*archs)[0];
      if (!first.is_string()) {
        return KeyError("architectures", "must hold strings, got " + JsonBrief(first));
      }
      const std::string& name = first.get_ref<const std::string&>();
      for (const ArchitectureInfo& info : kArchitectures) {
        if (name == info.name) arch = &info;
      }
      if (arch == nullptr) {
        return Unsupported("config.json: architecture '" + Shorten(name) +
                           "' is not supported; supported: " + NameList(kArchitectures));
      }
    }
  }
  if (arch != nullptr && family != nullptr && arch->family != *family) {
    return InvalidModel(std::string("config.json: architecture '") + arch->name +
                        "' does not match model_type '" + model_type + "'");
  }
  if (arch == nullptr) {
    if (family == nullptr) {
      return InvalidModel("config.json has neither 'model_type' nor 'architectures'");
    }
    // Without architectures, HF loads the base model of the model type.
    arch = *family == ModelFamily::kBert ? &kArchitectures[0] : &kArchitectures[3];
  }
  c.family = arch->family;
  c.task = arch->task;
  c.architecture = arch->name;

  if (c.family == ModelFamily::kBert) {
    HB_RETURN_IF_ERROR(ParseBertKeys(root, &c));
  } else {
    HB_RETURN_IF_ERROR(ParseDistilBertKeys(root, &c));
  }
  HB_RETURN_IF_ERROR(GetInt(root, "pad_token_id", false, 0, c.vocab_size - 1, &c.pad_token_id));
  if (c.task != TaskKind::kEncoder) HB_RETURN_IF_ERROR(ParseLabels(root, &c.labels));
  auto problem = root.find("problem_type");
  if (problem != root.end() && !problem->is_null()) {
    if (!problem->is_string() || !IsKnownProblemType(problem->get<std::string>())) {
      return KeyError("problem_type",
                      "must be one of [regression, single_label_classification, "
                      "multi_label_classification] or null, got " +
                          JsonBrief(*problem));
    }
    c.problem_type = problem->get<std::string>();
  }
  return c;
}

}  // namespace

StatusOr<BertConfig> ParseBertConfig(std::string_view config_json) {
  try {
    return Parse(config_json);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory parsing config.json");
  } catch (const std::exception& e) {
    // Every access above is type-checked first; this is a safety net, not a code path.
    return Internal(std::string("unexpected exception parsing config.json: ") + e.what());
  }
}

bool IsKnownProblemType(const std::string& p) {
  return p.empty() || p == "regression" || p == "single_label_classification" ||
         p == "multi_label_classification";
}

ScoreFunction BertConfig::score_function() const {
  if (problem_type == "regression") return ScoreFunction::kNone;
  if (problem_type == "multi_label_classification" || labels.size() == 1) {
    return ScoreFunction::kSigmoid;
  }
  return ScoreFunction::kSoftmax;
}

const char* ScoreFunctionName(ScoreFunction f) {
  switch (f) {
    case ScoreFunction::kSigmoid:
      return "sigmoid";
    case ScoreFunction::kNone:
      return "none";
    case ScoreFunction::kSoftmax:
      break;
  }
  return "softmax";
}

const char* TaskKindName(TaskKind task) {
  switch (task) {
    case TaskKind::kSequenceClassification:
      return "sequence-classification";
    case TaskKind::kTokenClassification:
      return "token-classification";
    case TaskKind::kEncoder:
      break;
  }
  return "encoder";
}

}  // namespace hb
