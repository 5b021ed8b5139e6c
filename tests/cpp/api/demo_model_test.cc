// The shipped demo model (web-demo/model, trained by tools/train_demo_model.py) against the
// logits Hugging Face transformers computed for it on the first 100 SST-2 dev sentences
// (dev_predictions.json, written by the training script from the reloaded fp16 folder in fp32);
// likewise the distilled student with ALBERT-style factorized word embeddings
// (web-demo/students/l2f256e64, goldens from PyTorch in tools/distill_student.py).
#include <algorithm>
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

void ExpectMatchesGoldens(const std::string& dir, size_t min_sentences) {
  StatusOr<std::unique_ptr<Model>> model = Model::FromHuggingFaceDir(dir);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->info().labels, (std::vector<std::string>{"negative", "positive"}));
  std::ifstream f(dir + "/dev_predictions.json");
  std::stringstream ss;
  ss << f.rdbuf();
  const nlohmann::json golden = nlohmann::json::parse(ss.str());
  std::vector<std::string> texts;
  for (const auto& p : golden["predictions"]) texts.push_back(p["sentence"].get<std::string>());
  ASSERT_GE(texts.size(), min_sentences);
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
    const int want_label =
        static_cast<int>(std::max_element(want.begin(), want.end()) - want.begin());
    EXPECT_EQ((*outs)[i].label, want_label) << i;
  }
}

const std::string kWebDemo = std::string(HB_FIXTURES_DIR) + "/../../web-demo";

TEST(DemoModel, MatchesTransformersOnDevSentences) {
  ExpectMatchesGoldens(kWebDemo + "/model", 100);
}

TEST(DemoModel, FactorizedStudentMatchesPyTorch) {
  ExpectMatchesGoldens(kWebDemo + "/students/l2f256e64", 50);
}

}  // namespace
}  // namespace hb
