// Early exit on the demo model (exit heads trained by tools/train_demo_model.py): exit decisions
// equal a reference computation of each rule on the per-layer logits Hugging Face computed
// (dev_predictions.json), batches equal one-by-one runs, and models without exit heads say so.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hummingbert.h"
#include "nlohmann/json.hpp"

namespace hb {
namespace {

const std::string kDemo = std::string(HB_FIXTURES_DIR) + "/../../web-demo/model";

nlohmann::json DevPredictions() {
  std::ifstream f(kDemo + "/dev_predictions.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return nlohmann::json::parse(ss.str());
}

// Reference: the rule applied to HF's per-layer logits, written from the rule's definition.
int ReferenceExitLayer(const nlohmann::json& layer_logits, const std::vector<int>& layer_numbers,
                       EarlyExit rule, double threshold, int patience) {
  std::vector<int> preds;
  for (size_t j = 0; j < layer_logits.size(); ++j) {
    const auto lg = layer_logits[j].get<std::vector<double>>();
    double z = 0;
    for (double x : lg) z += std::exp(x);
    double entropy = 0, pmax = 0;
    int best = 0;
    for (size_t i = 0; i < lg.size(); ++i) {
      const double p = std::exp(lg[i]) / z;
      entropy -= p * std::log(p);
      if (p > pmax) pmax = p, best = static_cast<int>(i);
    }
    int run = 1;
    for (auto it = preds.rbegin(); it != preds.rend() && *it == best; ++it) ++run;
    preds.push_back(best);
    const bool last = j + 1 == layer_logits.size();
    const bool exits = (rule == EarlyExit::kEntropy && entropy < threshold) ||
                       (rule == EarlyExit::kMaxProb && pmax >= threshold) ||
                       (rule == EarlyExit::kPatience && run >= patience);
    if (exits || last) return layer_numbers[j];
  }
  return -1;
}

struct RuleCase {
  EarlyExit rule;
  float threshold;
  int patience;
};

TEST(EarlyExit, DecisionsMatchReferenceOnHuggingFaceLayerLogits) {
  auto model = Model::FromHuggingFaceDir(kDemo);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ModelInfo& info = (*model)->info();
  ASSERT_EQ(info.exit_layers, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(info.default_exit_rule, "entropy");
  std::vector<int> layer_numbers = info.exit_layers;
  layer_numbers.push_back(info.num_layers);

  const nlohmann::json golden = DevPredictions();
  std::vector<std::string> texts;
  for (const auto& p : golden["predictions"]) texts.push_back(p["sentence"].get<std::string>());

  for (const RuleCase& rc : {RuleCase{EarlyExit::kEntropy, 0.31f, 0},
                             RuleCase{EarlyExit::kEntropy, 0.1f, 0},
                             RuleCase{EarlyExit::kMaxProb, 0.91f, 0},
                             RuleCase{EarlyExit::kMaxProb, 0.99f, 0},
                             RuleCase{EarlyExit::kPatience, 0, 2}}) {
    RunOptions o;
    o.early_exit = rc.rule;
    o.exit_threshold = rc.threshold;
    o.exit_patience = rc.patience;
    auto outs = (*model)->Run(texts, o);
    ASSERT_TRUE(outs.ok()) << outs.status().ToString();
    int early = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
      const auto& hf_layers = golden["predictions"][i]["layer_logits"];
      const int want = ReferenceExitLayer(hf_layers, layer_numbers, rc.rule, rc.threshold,
                                          rc.patience);
      const Output& out = (*outs)[i];
      EXPECT_EQ(out.exit_layer, want) << "sentence " << i << " rule " << int(rc.rule);
      // The heads evaluated on the way match HF's per-layer logits.
      ASSERT_EQ(out.layer_logits.size(), out.layer_numbers.size());
      for (size_t j = 0; j < out.layer_logits.size(); ++j) {
        const auto hf = hf_layers[j].get<std::vector<float>>();
        for (size_t k = 0; k < hf.size(); ++k) EXPECT_NEAR(out.layer_logits[j][k], hf[k], 1e-4);
        EXPECT_EQ(out.layer_numbers[j], layer_numbers[j]);
      }
      EXPECT_EQ(out.logits, out.layer_logits.back());
      early += out.exit_layer < info.num_layers;
    }
    EXPECT_GT(early, 0) << "rule " << int(rc.rule) << " never exited early";
  }
}

TEST(EarlyExit, BatchEqualsOneByOne) {
  auto model = Model::FromHuggingFaceDir(kDemo);
  ASSERT_TRUE(model.ok());
  const nlohmann::json golden = DevPredictions();
  std::vector<std::string> texts;
  for (size_t i = 0; i < 40; ++i) texts.push_back(golden["predictions"][i]["sentence"]);
  RunOptions o;  // the model's default rule
  auto batch = (*model)->Run(texts, o);
  ASSERT_TRUE(batch.ok());
  for (size_t i = 0; i < texts.size(); ++i) {
    auto one = (*model)->Run(std::vector<std::string>{texts[i]}, o);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ((*batch)[i].exit_layer, (*one)[0].exit_layer) << i;
    EXPECT_EQ((*batch)[i].logits, (*one)[0].logits) << i;  // bitwise
    EXPECT_EQ((*batch)[i].layer_logits, (*one)[0].layer_logits) << i;
  }
}

TEST(EarlyExit, OffRunsFullDepth) {
  auto model = Model::FromHuggingFaceDir(kDemo);
  ASSERT_TRUE(model.ok());
  RunOptions o;
  o.early_exit = EarlyExit::kOff;
  auto outs = (*model)->Run(std::vector<std::string>{"great", "awful, boring film"}, o);
  ASSERT_TRUE(outs.ok());
  for (const Output& out : *outs) {
    EXPECT_EQ(out.exit_layer, 4);
    EXPECT_EQ(out.layer_numbers, std::vector<int>{4});
  }
}

TEST(EarlyExit, ModelWithoutHeadsRunsFullDepthAndRefusesRules) {
  auto model =
      Model::FromHuggingFaceDir(std::string(HB_FIXTURES_DIR) + "/models/bert_seqcls");
  ASSERT_TRUE(model.ok());
  EXPECT_TRUE((*model)->info().exit_layers.empty());
  auto outs = (*model)->Run(std::vector<std::string>{"text"});
  ASSERT_TRUE(outs.ok());
  EXPECT_EQ((*outs)[0].exit_layer, (*model)->info().num_layers);
  for (EarlyExit rule : {EarlyExit::kEntropy, EarlyExit::kMaxProb, EarlyExit::kPatience}) {
    RunOptions o;
    o.early_exit = rule;
    auto r = (*model)->Run(std::vector<std::string>{"text"}, o);
    EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
    EXPECT_NE(r.status().message().find("no exit heads"), std::string::npos);
  }
}

}  // namespace
}  // namespace hb
