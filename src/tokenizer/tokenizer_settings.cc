// ParseTokenizerSettings: TokenizerSettings from an HF model folder's tokenizer_config.json,
// tokenizer.json and special_tokens_map.json. Parse and type errors become kInvalidModel naming
// the file; no exception escapes.
#include <cmath>
#include <limits>
#include <string>

#include "base/json.h"
#include "tokenizer/bert_tokenizer.h"

namespace hb {
namespace {

using json = Json;

constexpr char kConfigFile[] = "tokenizer_config.json";
constexpr char kTokenizerFile[] = "tokenizer.json";
constexpr char kSpecialFile[] = "special_tokens_map.json";

Status Invalid(const char* file, const std::string& what) {
  return InvalidModel(std::string(file) + ": " + what);
}

// Parses text (empty: absent) into *out; false in *present when absent.
Status ParseFile(const char* file, std::string_view text, json* out, bool* present) {
  *present = false;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Status::Ok();
  // No size limit (HF tokenizer files can be large); the depth bound only keeps the
  // recursive parser's stack small (real files nest about 5 levels).
  JsonLimits limits;
  limits.max_depth = 128;
  limits.max_values = static_cast<size_t>(-1);
  std::string error;
  bool limit_exceeded = false;
  if (!ParseJsonText(text, limits, out, &error, &limit_exceeded)) {
    return Invalid(file, limit_exceeded ? error : "not valid JSON: " + error);
  }
  if (!out->is_object()) return Invalid(file, "top level is not a JSON object");
  *present = true;
  return Status::Ok();
}

Status ReadBool(const char* file, const json& obj, const char* key, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_boolean()) return Invalid(file, std::string("'") + key + "' must be true or false");
  *out = it->get<bool>();
  return Status::Ok();
}

// null (or absent) leaves *out unset: "follow lowercase".
Status ReadOptionalBool(const char* file, const json& obj, const char* key,
                        std::optional<bool>* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::Ok();
  if (it->is_null()) {
    out->reset();
    return Status::Ok();
  }
  if (!it->is_boolean()) {
    return Invalid(file, std::string("'") + key + "' must be true, false or null");
  }
  *out = it->get<bool>();
  return Status::Ok();
}

// Special tokens are written either as "[UNK]" or as an AddedToken {"content": "[UNK]", ...}.
Status ReadToken(const char* file, const json& obj, const char* key, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (it->is_string()) {
    *out = it->get<std::string>();
    return Status::Ok();
  }
  if (it->is_object()) {
    auto c = it->find("content");
    if (c != it->end() && c->is_string()) {
      *out = c->get<std::string>();
      return Status::Ok();
    }
  }
  return Invalid(file, std::string("'") + key + "' must be a string or {\"content\": string}");
}

// A positive integer that fits an int; HF's "no limit" sentinel (int(1e30)) and other huge
// values are ignored (the default stays), as transformers then falls back to the model's.
Status ReadLength(const char* file, const json& obj, const char* key, int* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_number()) return Invalid(file, std::string("'") + key + "' must be a number");
  const double v = it->get<double>();
  if (!(v >= 1) || std::floor(v) != v) {
    return Invalid(file, std::string("'") + key + "' must be a positive integer");
  }
  if (v <= static_cast<double>(std::numeric_limits<int>::max())) *out = static_cast<int>(v);
  return Status::Ok();
}

Status ReadSpecialTokens(const char* file, const json& obj, TokenizerSettings* s) {
  HB_RETURN_IF_ERROR(ReadToken(file, obj, "unk_token", &s->unk_token));
  HB_RETURN_IF_ERROR(ReadToken(file, obj, "cls_token", &s->cls_token));
  HB_RETURN_IF_ERROR(ReadToken(file, obj, "sep_token", &s->sep_token));
  HB_RETURN_IF_ERROR(ReadToken(file, obj, "pad_token", &s->pad_token));
  return ReadToken(file, obj, "mask_token", &s->mask_token);
}

// Finds the BertNormalizer in tokenizer.json's "normalizer" (itself or inside a Sequence).
Status FindBertNormalizer(const json& normalizer, const json** out) {
  *out = nullptr;
  if (normalizer.is_null()) return Status::Ok();
  if (!normalizer.is_object()) return Invalid(kTokenizerFile, "'normalizer' is not an object");
  const std::string type = normalizer.value("type", "");
  if (type == "BertNormalizer") {
    *out = &normalizer;
    return Status::Ok();
  }
  if (type == "Sequence") {
    auto list = normalizer.find("normalizers");
    if (list == normalizer.end() || !list->is_array()) {
      return Invalid(kTokenizerFile, "normalizer Sequence has no 'normalizers' array");
    }
    for (const json& n : *list) {
      const json* found = nullptr;
      if (n.is_object() && n.value("type", "") == "Sequence") continue;  // no nesting in HF
      HB_RETURN_IF_ERROR(FindBertNormalizer(n, &found));
      if (found) {
        if (list->size() != 1) {
          return Unsupported(std::string(kTokenizerFile) +
                             ": a normalizer Sequence with more than a BertNormalizer is not "
                             "supported");
        }
        *out = found;
        return Status::Ok();
      }
    }
  }
  return Unsupported(std::string(kTokenizerFile) + ": normalizer type '" + type +
                     "' is not supported; must be one of [BertNormalizer, Sequence of one "
                     "BertNormalizer]");
}

Status ReadTokenizerJson(const json& tj, TokenizerSettings* s) {
  auto norm = tj.find("normalizer");
  if (norm != tj.end()) {
    const json* bert = nullptr;
    HB_RETURN_IF_ERROR(FindBertNormalizer(*norm, &bert));
    if (bert) {
      HB_RETURN_IF_ERROR(ReadBool(kTokenizerFile, *bert, "clean_text", &s->clean_text));
      HB_RETURN_IF_ERROR(
          ReadBool(kTokenizerFile, *bert, "handle_chinese_chars", &s->tokenize_chinese_chars));
      HB_RETURN_IF_ERROR(
          ReadOptionalBool(kTokenizerFile, *bert, "strip_accents", &s->strip_accents));
      HB_RETURN_IF_ERROR(ReadBool(kTokenizerFile, *bert, "lowercase", &s->lowercase));
    }
  }
  auto model = tj.find("model");
  if (model != tj.end() && !model->is_null()) {
    if (!model->is_object()) return Invalid(kTokenizerFile, "'model' is not an object");
    const std::string type = model->value("type", "WordPiece");
    if (type != "WordPiece") {
      return Unsupported(std::string(kTokenizerFile) + ": model type '" + type +
                         "' is not supported; must be one of [WordPiece]");
    }
    HB_RETURN_IF_ERROR(ReadToken(kTokenizerFile, *model, "unk_token", &s->unk_token));
    HB_RETURN_IF_ERROR(ReadToken(kTokenizerFile, *model, "continuing_subword_prefix",
                                 &s->continuing_subword_prefix));
    HB_RETURN_IF_ERROR(ReadLength(kTokenizerFile, *model, "max_input_chars_per_word",
                                  &s->max_input_chars_per_word));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<TokenizerSettings> ParseTokenizerSettings(std::string_view tokenizer_config_json,
                                                   std::string_view tokenizer_json,
                                                   std::string_view special_tokens_map_json) {
  TokenizerSettings s;
  try {
    json config, tj, special;
    bool has_config, has_tj, has_special;
    HB_RETURN_IF_ERROR(ParseFile(kConfigFile, tokenizer_config_json, &config, &has_config));
    HB_RETURN_IF_ERROR(ParseFile(kTokenizerFile, tokenizer_json, &tj, &has_tj));
    HB_RETURN_IF_ERROR(ParseFile(kSpecialFile, special_tokens_map_json, &special, &has_special));
    if (has_config) {
      HB_RETURN_IF_ERROR(ReadBool(kConfigFile, config, "do_lower_case", &s.lowercase));
      HB_RETURN_IF_ERROR(ReadOptionalBool(kConfigFile, config, "strip_accents", &s.strip_accents));
      HB_RETURN_IF_ERROR(
          ReadBool(kConfigFile, config, "tokenize_chinese_chars", &s.tokenize_chinese_chars));
      HB_RETURN_IF_ERROR(ReadLength(kConfigFile, config, "model_max_length", &s.model_max_length));
      HB_RETURN_IF_ERROR(ReadSpecialTokens(kConfigFile, config, &s));
    }
    if (has_special) HB_RETURN_IF_ERROR(ReadSpecialTokens(kSpecialFile, special, &s));
    if (has_tj) HB_RETURN_IF_ERROR(ReadTokenizerJson(tj, &s));
  } catch (const std::exception& e) {  // json type errors or bad_alloc: never escape
    return InvalidModel(std::string("tokenizer files: ") + e.what());
  }
  return s;
}

}  // namespace hb
