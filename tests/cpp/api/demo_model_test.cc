// The shipped demo model (web-demo/model, trained by tools/train_demo_model.py) against the
// logits Hugging Face transformers computed for it on the first 100 SST-2 dev sentences
// (dev_predictions.json, written by the training script from the reloaded fp16 folder in fp32).
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

TEST(DemoModel, MatchesTransformersOnDevSentences) {
  const std::string dir = std::string(HB_FIXTURES_DIR) + "/../../web-demo/model";
  StatusOr<std::unique_ptr<Model>> model = Model::FromHuggingFaceDir(dir);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->info().labels, (std::vector<std::string>{"negative", "positive"}));
  std::ifstream f(dir + "/dev_predictions.json");
  std::stringstream ss;
  ss << f.rdbuf();
  const nlohmann::json golden = nlohmann::json::parse(ss.str());
  std::vector<std::string> texts;
  for (const auto& p : golden["predictions"]) texts.push_back(p["sentence"].get<std::string>());
  ASSERT_GE(texts.size(), 100u);
  RunOptions full_depth;
  full_depth.early_exit = EarlyExit::kOff;
  StatusOr<std::vector<Output>> outs = (*model)->Run(texts, full_depth);
  ASSERT_TRUE(outs.ok()) << outs.status().ToString();
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto& p = golden["predictions"][i];
    EXPECT_EQ((*outs)[i].encoding.ids, p["input_ids"].get<std::vector<int32_t>>()) << i;
    const auto want = p["logits"].get<std::vector<float>>();
    ASSERT_EQ((*outs)[i].logits.size(), want.size());
    for (size_t j = 0; j < want.size(); ++j) {
      EXPECT_NEAR((*outs)[i].logits[j], want[j], 1e-4) << "sentence " << i;
    }
    EXPECT_EQ((*outs)[i].label, p["pred"].get<int>()) << i;
  }
}

}  // namespace
}  // namespace hb
