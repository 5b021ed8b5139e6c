// ParseBertConfig: the six supported architectures, HF defaults, labels, and bad configs (wrong
// types, bad sizes, unsupported values, invalid JSON). Error tests check code and message.
#include "format/bert_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "status_matchers.h"

namespace hb {
namespace {

using nlohmann::json;
using testing::IsError;

json BertJson(const std::string& architecture = "BertModel") {
  return {{"architectures", {architecture}},
          {"model_type", "bert"},
          {"vocab_size", 30522},
          {"hidden_size", 768},
          {"num_hidden_layers", 12},
          {"num_attention_heads", 12},
          {"intermediate_size", 3072},
          {"max_position_embeddings", 512},
          {"type_vocab_size", 2},
          {"hidden_act", "gelu"},
          {"layer_norm_eps", 1e-12},
          {"pad_token_id", 0},
          {"position_embedding_type", "absolute"},
          {"hidden_dropout_prob", 0.1},
          {"torch_dtype", "float32"},
          {"transformers_version", "4.40.0"}};
}

json DistilBertJson(const std::string& architecture = "DistilBertModel") {
  return {{"architectures", {architecture}},
          {"model_type", "distilbert"},
          {"vocab_size", 30522},
          {"dim", 768},
          {"n_layers", 6},
          {"n_heads", 12},
          {"hidden_dim", 3072},
          {"max_position_embeddings", 512},
          {"activation", "gelu"},
          {"pad_token_id", 0},
          {"sinusoidal_pos_embds", false},
          {"qa_dropout", 0.1},
          {"seq_classif_dropout", 0.2}};
}

StatusOr<BertConfig> Parse(const json& j) { return ParseBertConfig(j.dump()); }

TEST(BertConfigTest, ParsesBertModel) {
  auto c = Parse(BertJson());
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->family, ModelFamily::kBert);
  EXPECT_EQ(c->task, TaskKind::kEncoder);
  EXPECT_EQ(c->architecture, "BertModel");
  EXPECT_EQ(c->vocab_size, 30522);
  EXPECT_EQ(c->hidden_size, 768);
  EXPECT_EQ(c->num_layers, 12);
  EXPECT_EQ(c->num_heads, 12);
  EXPECT_EQ(c->intermediate_size, 3072);
  EXPECT_EQ(c->max_position_embeddings, 512);
  EXPECT_EQ(c->type_vocab_size, 2);
  EXPECT_EQ(c->pad_token_id, 0);
  EXPECT_EQ(c->hidden_act, Activation::kGeluErf);
  EXPECT_FLOAT_EQ(c->layer_norm_eps, 1e-12f);
  EXPECT_TRUE(c->labels.empty());
}

TEST(BertConfigTest, ParsesBertClassifiers) {
  json j = BertJson("BertForSequenceClassification");
  j["id2label"] = {{"1", "POSITIVE"}, {"0", "NEGATIVE"}};
  j["label2id"] = {{"NEGATIVE", 0}, {"POSITIVE", 1}};
  auto c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->task, TaskKind::kSequenceClassification);
  EXPECT_EQ(c->labels, (std::vector<std::string>{"NEGATIVE", "POSITIVE"}));

  j = BertJson("BertForTokenClassification");
  j["id2label"] = {{"0", "O"},      {"1", "B-PER"}, {"2", "I-PER"}, {"3", "B-LOC"},
                   {"4", "I-LOC"},  {"5", "B-ORG"}, {"6", "I-ORG"}, {"7", "B-MISC"},
                   {"8", "I-MISC"}, {"9", "X"},     {"10", "Y"}};
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->task, TaskKind::kTokenClassification);
  ASSERT_EQ(c->num_labels(), 11);
  EXPECT_EQ(c->labels[2], "I-PER");
  EXPECT_EQ(c->labels[10], "Y");  // numeric, not lexicographic, order
}

TEST(BertConfigTest, ParsesDistilBertArchitectures) {
  auto c = Parse(DistilBertJson());
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->family, ModelFamily::kDistilBert);
  EXPECT_EQ(c->task, TaskKind::kEncoder);
  EXPECT_EQ(c->hidden_size, 768);
  EXPECT_EQ(c->num_layers, 6);
  EXPECT_EQ(c->num_heads, 12);
  EXPECT_EQ(c->intermediate_size, 3072);
  EXPECT_EQ(c->type_vocab_size, 0);
  EXPECT_FLOAT_EQ(c->layer_norm_eps, 1e-12f);
  EXPECT_TRUE(c->labels.empty());

  json j = DistilBertJson("DistilBertForSequenceClassification");
  j["id2label"] = {{"0", "NEGATIVE"}, {"1", "POSITIVE"}};
  j["activation"] = "relu";
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->task, TaskKind::kSequenceClassification);
  EXPECT_EQ(c->hidden_act, Activation::kRelu);
  EXPECT_EQ(c->labels, (std::vector<std::string>{"NEGATIVE", "POSITIVE"}));

  c = Parse(DistilBertJson("DistilBertForTokenClassification"));
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->task, TaskKind::kTokenClassification);
  EXPECT_EQ(c->labels, (std::vector<std::string>{"LABEL_0", "LABEL_1"}));  // HF default: 2
}

TEST(BertConfigTest, UsesHfDefaultsForOptionalKeys) {
  json j = BertJson();
  for (const char* key : {"architectures", "type_vocab_size", "hidden_act", "layer_norm_eps",
                          "pad_token_id", "position_embedding_type"}) {
    j.erase(key);
  }
  auto c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->architecture, "BertModel");  // no architectures: the base model
  EXPECT_EQ(c->task, TaskKind::kEncoder);
  EXPECT_EQ(c->type_vocab_size, 2);
  EXPECT_EQ(c->hidden_act, Activation::kGeluErf);
  EXPECT_FLOAT_EQ(c->layer_norm_eps, 1e-12f);
  EXPECT_EQ(c->pad_token_id, 0);

  j = DistilBertJson();
  j.erase("architectures");
  j.erase("activation");
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->architecture, "DistilBertModel");
  EXPECT_EQ(c->hidden_act, Activation::kGeluErf);

  // null is "absent" for optional keys (HF writes "pad_token_id": null in some configs).
  j = BertJson();
  j["pad_token_id"] = nullptr;
  j["position_embedding_type"] = nullptr;
  j["architectures"] = json::array();
  HB_ASSERT_OK(Parse(j));

  // model_type may be absent when architectures names the family.
  j = DistilBertJson();
  j.erase("model_type");
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->family, ModelFamily::kDistilBert);
}

TEST(BertConfigTest, ReadsOtherFields) {
  json j = BertJson();
  j["layer_norm_eps"] = 1e-5;
  j["type_vocab_size"] = 1;
  j["pad_token_id"] = 1;
  auto c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_FLOAT_EQ(c->layer_norm_eps, 1e-5f);
  EXPECT_EQ(c->type_vocab_size, 1);
  EXPECT_EQ(c->pad_token_id, 1);
  // DistilBERT ignores layer_norm_eps (fixed in HF's implementation).
  j = DistilBertJson();
  j["layer_norm_eps"] = 1e-5;
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_FLOAT_EQ(c->layer_norm_eps, 1e-12f);
}

TEST(BertConfigTest, MapsActivations) {
  const std::pair<const char*, Activation> cases[] = {
      {"gelu", Activation::kGeluErf},       {"gelu_python", Activation::kGeluErf},
      {"gelu_new", Activation::kGeluTanh},  {"gelu_pytorch_tanh", Activation::kGeluTanh},
      {"gelu_fast", Activation::kGeluTanh}, {"gelu_accurate", Activation::kGeluTanh},
      {"relu", Activation::kRelu},
  };
  for (const auto& [name, activation] : cases) {
    SCOPED_TRACE(name);
    json j = BertJson();
    j["hidden_act"] = name;
    auto c = Parse(j);
    HB_ASSERT_OK(c);
    EXPECT_EQ(c->hidden_act, activation);
    j = DistilBertJson();
    j["activation"] = name;
    c = Parse(j);
    HB_ASSERT_OK(c);
    EXPECT_EQ(c->hidden_act, activation);
  }
}

TEST(BertConfigTest, RejectsUnsupportedActivations) {
  for (const char* name : {"quick_gelu", "silu", "swish", "gelu_10", "tanh", "GELU", ""}) {
    SCOPED_TRACE(name);
    json j = BertJson();
    j["hidden_act"] = name;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kUnsupported,
                        std::string("hidden_act '") + name +
                            "' is not supported; supported: "
                            "gelu, gelu_python, gelu_new, gelu_pytorch_tanh, gelu_fast, "
                            "gelu_accurate, relu"));
  }
  json j = DistilBertJson();
  j["activation"] = "swish";
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kUnsupported, "activation 'swish' is not supported"));
  j = BertJson();
  j["hidden_act"] = {{"name", "gelu"}};
  EXPECT_TRUE(
      IsError(Parse(j), StatusCode::kInvalidModel, "'hidden_act' must be a string, got an object"));
}

TEST(BertConfigTest, RejectsUnsupportedModelTypesAndArchitectures) {
  json j = BertJson();
  j["model_type"] = "roberta";
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kUnsupported,
                      "model_type 'roberta' is not supported; supported: bert, distilbert"));
  for (const char* arch : {"BertForMaskedLM", "BertForQuestionAnswering", "RobertaModel", ""}) {
    SCOPED_TRACE(arch);
    j = BertJson(arch);
    EXPECT_TRUE(
        IsError(Parse(j), StatusCode::kUnsupported,
                std::string("architecture '") + arch +
                    "' is not supported; supported: BertModel, "
                    "BertForSequenceClassification, BertForTokenClassification, DistilBertModel, "
                    "DistilBertForSequenceClassification, DistilBertForTokenClassification"));
  }
  j = BertJson("DistilBertModel");
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "architecture 'DistilBertModel' does not match model_type 'bert'"));
  j = BertJson();
  j.erase("model_type");
  j.erase("architectures");
  EXPECT_TRUE(
      IsError(Parse(j), StatusCode::kInvalidModel, "has neither 'model_type' nor 'architectures'"));
  j = BertJson();
  j["architectures"] = "BertModel";
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "'architectures' must be an array of strings, got \"BertModel\""));
  j["architectures"] = {42};
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'architectures' must hold strings"));
  j = BertJson();
  j["model_type"] = 7;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'model_type' must be a string"));
  j = BertJson();
  j["position_embedding_type"] = "relative_key";
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kUnsupported,
                      "position_embedding_type 'relative_key' is not supported; only 'absolute'"));
}

TEST(BertConfigTest, RejectsMissingAndMistypedSizes) {
  for (const char* key : {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                          "intermediate_size", "max_position_embeddings"}) {
    SCOPED_TRACE(key);
    json j = BertJson();
    j.erase(key);
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                        std::string("config.json: '") + key + "' is missing"));
    j[key] = "big";
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                        std::string("'") + key + "' must be an integer, got \"big\""));
    j[key] = 0;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                        std::string("'") + key + "' must be in [1, 1048576], got 0"));
    j[key] = -12;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "got -12"));
    j[key] = (1 << 20) + 1;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "got 1048577"));
    j[key] = 768.5;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "must be an integer, got 768.5"));
    j[key] = true;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "must be an integer, got true"));
    j[key] = nullptr;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "must be an integer, got null"));
    j[key] = json::array({768});
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "must be an integer, got an array"));
    j[key] = 18446744073709551615ull;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                        "must be an integer, got 18446744073709551615"));
  }
  for (const char* key : {"dim", "n_layers", "n_heads", "hidden_dim", "vocab_size"}) {
    SCOPED_TRACE(key);
    json j = DistilBertJson();
    j.erase(key);
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                        std::string("config.json: '") + key + "' is missing"));
    j[key] = "big";
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "must be an integer"));
  }
  // A huge literal that nlohmann cannot even store.
  std::string text = BertJson().dump();
  text.replace(text.find("30522"), 5, "1e400");
  EXPECT_TRUE(IsError(ParseBertConfig(text), StatusCode::kInvalidModel, "config.json"));
}

TEST(BertConfigTest, RejectsInconsistentSizes) {
  json j = BertJson();
  j["num_attention_heads"] = 5;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "'hidden_size' (768) must be divisible by 'num_attention_heads' (5)"));
  j = DistilBertJson();
  j["n_heads"] = 7;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "'dim' (768) must be divisible by 'n_heads' (7)"));
  j = BertJson();
  j["type_vocab_size"] = 0;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'type_vocab_size' must be in [1"));
  j = BertJson();
  j["pad_token_id"] = 30522;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "'pad_token_id' must be in [0, 30521], got 30522"));
  j["pad_token_id"] = -1;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'pad_token_id' must be in"));
  for (const json& eps : {json(0), json(-1e-12), json(2.0), json("1e-12")}) {
    j = BertJson();
    j["layer_norm_eps"] = eps;
    EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'layer_norm_eps' must be"));
  }
}

TEST(BertConfigTest, ReadsLabelCounts) {
  json j = BertJson("BertForSequenceClassification");
  auto c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->labels, (std::vector<std::string>{"LABEL_0", "LABEL_1"}));
  j["num_labels"] = 3;
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->labels, (std::vector<std::string>{"LABEL_0", "LABEL_1", "LABEL_2"}));
  j.erase("num_labels");
  j["_num_labels"] = 1;
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->labels, (std::vector<std::string>{"LABEL_0"}));
  // id2label wins over num_labels, as in HF.
  j["num_labels"] = 5;
  j["id2label"] = {{"0", "a"}, {"1", "b"}};
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->labels, (std::vector<std::string>{"a", "b"}));
  // Encoders have no labels, whatever the config says.
  j = BertJson("BertModel");
  j["id2label"] = {{"0", "a"}};
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_TRUE(c->labels.empty());
}

TEST(BertConfigTest, RejectsBadLabels) {
  json j = BertJson("BertForTokenClassification");
  j["id2label"] = {{"0", "a"}, {"2", "c"}};
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "'id2label' keys must be the ids 0..1, each once; got '2'"));
  j["id2label"] = {{"0", "a"}, {"x", "c"}};
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "got 'x'"));
  j["id2label"] = {{"0", "a"}, {"-1", "c"}};
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "got '-1'"));
  j["id2label"] = {{"1", "a"}, {"01", "c"}};  // "01" and "1" are the same id (HF: int(key))
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "each once"));
  j["id2label"] = {{"0", "a"}, {"1", 7}};
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "'id2label' values must be strings; id 1 is an integer"));
  j["id2label"] = json::object();
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'id2label' is empty"));
  j["id2label"] = json::array({"a", "b"});
  EXPECT_TRUE(
      IsError(Parse(j), StatusCode::kInvalidModel, "'id2label' must be an object, got an array"));
  j.erase("id2label");
  j["num_labels"] = 0;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'num_labels' must be in [1"));
  j["num_labels"] = "3";
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'num_labels' must be an integer"));
}

// problem_type and the label count choose the scores, as HF's text-classification pipeline.
TEST(BertConfigTest, ProblemTypeChoosesTheScoreFunction) {
  json j = BertJson("BertForSequenceClassification");
  auto c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->problem_type, "");
  EXPECT_EQ(c->score_function(), ScoreFunction::kSoftmax);
  j["num_labels"] = 1;  // a cross-encoder: one logit, sigmoid
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->score_function(), ScoreFunction::kSigmoid);
  j["problem_type"] = "regression";
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->problem_type, "regression");
  EXPECT_EQ(c->score_function(), ScoreFunction::kNone);
  j["num_labels"] = 4;
  j["problem_type"] = "multi_label_classification";
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->score_function(), ScoreFunction::kSigmoid);
  j["problem_type"] = "single_label_classification";
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->score_function(), ScoreFunction::kSoftmax);
  j["problem_type"] = nullptr;
  c = Parse(j);
  HB_ASSERT_OK(c);
  EXPECT_EQ(c->problem_type, "");
  j["problem_type"] = "ranking";
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel,
                      "'problem_type' must be one of [regression, single_label_classification, "
                      "multi_label_classification] or null, got \"ranking\""));
  j["problem_type"] = 3;
  EXPECT_TRUE(IsError(Parse(j), StatusCode::kInvalidModel, "'problem_type' must be one of"));
}

TEST(BertConfigTest, RejectsInvalidJson) {
  for (const char* text : {"", "not json", "{", "{\"vocab_size\": }", "{} {}", "{'a': 1}",
                           "{\"a\": 1,}", "\xff\xfe{}"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(IsError(ParseBertConfig(text), StatusCode::kInvalidModel,
                        "config.json is not valid JSON: "));
  }
  EXPECT_TRUE(IsError(ParseBertConfig("[1, 2]"), StatusCode::kInvalidModel,
                      "config.json is not a JSON object (it is an array)"));
  EXPECT_TRUE(IsError(ParseBertConfig("\"bert\""), StatusCode::kInvalidModel,
                      "config.json is not a JSON object (it is a string)"));
  const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_TRUE(IsError(ParseBertConfig(deep), StatusCode::kInvalidModel,
                      "config.json is nested deeper than 64 levels"));
  // Embedded NUL: the text is a string_view, not a C string.
  std::string with_nul = BertJson().dump();
  with_nul.insert(with_nul.size() - 1, std::string(",\"x\":\"\0\"", 8));
  EXPECT_TRUE(IsError(ParseBertConfig(with_nul), StatusCode::kInvalidModel, "not valid JSON"));
}

// Every proper prefix of a valid config is invalid JSON and must be reported as such.
TEST(BertConfigTest, RejectsEveryTruncation) {
  json j = BertJson("BertForSequenceClassification");
  j["id2label"] = {{"0", "NEGATIVE"}, {"1", "POSITIVE"}};
  const std::string text = j.dump();
  for (size_t n = 0; n < text.size(); ++n) {
    EXPECT_TRUE(IsError(ParseBertConfig(std::string_view(text.data(), n)),
                        StatusCode::kInvalidModel, "config.json is not valid JSON"))
        << "prefix of " << n << " bytes";
  }
  HB_ASSERT_OK(ParseBertConfig(text));
}

}  // namespace
}  // namespace hb
