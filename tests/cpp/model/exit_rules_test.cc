// The early-exit rules against a plain reference written from their definitions.
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "model/bert_encoder.h"

namespace hb {
namespace {

bool ReferenceExit(const ExitRule& rule, const std::vector<float>& logits,
                   const std::vector<int>& previous) {
  std::vector<double> p(logits.size());
  double z = 0;
  for (size_t i = 0; i < logits.size(); ++i) z += std::exp(static_cast<double>(logits[i]));
  for (size_t i = 0; i < logits.size(); ++i) p[i] = std::exp(static_cast<double>(logits[i])) / z;
  size_t best = 0;
  for (size_t i = 1; i < p.size(); ++i) best = p[i] > p[best] ? i : best;
  switch (rule.kind) {
    case ExitRuleKind::kEntropy: {
      double h = 0;
      for (double q : p) h -= q > 0 ? q * std::log(q) : 0;
      return h < rule.threshold;
    }
    case ExitRuleKind::kMaxProb:
      return p[best] >= rule.threshold;
    case ExitRuleKind::kPatience: {
      int run = 1;
      for (int i = static_cast<int>(previous.size()) - 1; i >= 0; --i) {
        if (previous[static_cast<size_t>(i)] != static_cast<int>(best)) break;
        ++run;
      }
      return run >= rule.patience;
    }
    case ExitRuleKind::kNone:
      return false;
  }
  return false;
}

TEST(ExitRules, MatchReferenceOnRandomLogits) {
  std::mt19937 rng(3);
  std::normal_distribution<float> n(0.f, 2.f);
  const std::vector<ExitRule> rules = {
      {ExitRuleKind::kEntropy, 0.05f, 0}, {ExitRuleKind::kEntropy, 0.3f, 0},
      {ExitRuleKind::kEntropy, 0.69f, 0}, {ExitRuleKind::kMaxProb, 0.6f, 0},
      {ExitRuleKind::kMaxProb, 0.95f, 0}, {ExitRuleKind::kPatience, 0, 1},
      {ExitRuleKind::kPatience, 0, 2},    {ExitRuleKind::kPatience, 0, 3}};
  int exits = 0, stays = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const size_t labels = 2 + static_cast<size_t>(trial % 4);
    std::vector<float> logits(labels);
    for (float& x : logits) x = n(rng);
    std::vector<int> previous(static_cast<size_t>(trial % 4));
    for (int& p : previous) p = static_cast<int>(rng() % labels);
    for (const ExitRule& rule : rules) {
      const bool want = ReferenceExit(rule, logits, previous);
      EXPECT_EQ(ShouldExit(rule, logits.data(), labels, previous), want)
          << "rule " << static_cast<int>(rule.kind) << " trial " << trial;
      (want ? exits : stays)++;
    }
  }
  // Both outcomes occur, so the comparison is not vacuous.
  EXPECT_GT(exits, 1000);
  EXPECT_GT(stays, 1000);
}

// A one-logit head is scored with a sigmoid (HF's pipeline), i.e. the two-class softmax over
// (0, x): prediction 1 when x > 0. Without this, its softmax over one label has entropy 0 and
// every input would leave at the first exit.
TEST(ExitRules, OneLogitHeadIsABinaryClassifier) {
  std::mt19937 rng(5);
  std::normal_distribution<float> n(0.f, 3.f);
  const std::vector<ExitRule> rules = {{ExitRuleKind::kEntropy, 0.3f, 0},
                                       {ExitRuleKind::kMaxProb, 0.9f, 0},
                                       {ExitRuleKind::kPatience, 0, 2}};
  int exits = 0, stays = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    const float x = n(rng);
    std::vector<int> previous(static_cast<size_t>(trial % 3));
    for (int& p : previous) p = static_cast<int>(rng() % 2);
    for (const ExitRule& rule : rules) {
      const bool want = ReferenceExit(rule, {0.f, x}, previous);
      EXPECT_EQ(ShouldExit(rule, &x, 1, previous), want) << "trial " << trial;
      (want ? exits : stays)++;
    }
  }
  EXPECT_GT(exits, 500);
  EXPECT_GT(stays, 500);
}

TEST(ExitRules, NoneNeverExits) {
  const std::vector<float> logits = {10.f, -10.f};
  EXPECT_FALSE(ShouldExit(ExitRule{}, logits.data(), 2, {}));
}

}  // namespace
}  // namespace hb
