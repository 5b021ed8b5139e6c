// calibrate-exits (hummingbert_calibrate.h): the logistic regression against a plain
// gradient-descent reference, the deterministic exp/log, the threshold choice, calibrating the
// demo model with its heads removed (sensible accuracy, a loadable exit config, identical bytes
// on a second run, model file output), and bad arguments.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "calibrate/exit_calibration.h"
#include "calibrate/logistic_regression.h"
#include "format/model_file.h"
#include "gtest/gtest.h"
#include "hummingbert.h"
#include "hummingbert_calibrate.h"
#include "nlohmann/json.hpp"

namespace hb {
namespace {

const std::string kDemo = std::string(HB_FIXTURES_DIR) + "/../../web-demo/model";
// A committed sample of SST-2 train (tests/fixtures/README.md); if it is missing, the demo
// model's dev predictions (in the repo) supply labeled sentences.
const std::string kSst2Train = std::string(HB_FIXTURES_DIR) + "/sst2_train_sample.tsv";

std::string Read(const std::string& path) {
  StatusOr<std::string> s = ReadFile(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : std::string();
}

// Labeled SST-2 sentences: train.tsv if available, else dev_predictions.json.
std::vector<LabeledText> Sst2() {
  if (FileExists(kSst2Train)) {
    StatusOr<std::vector<LabeledText>> d = ParseLabeledTsv(Read(kSst2Train));
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (d.ok()) return *d;
  }
  std::vector<LabeledText> out;
  const nlohmann::json j = nlohmann::json::parse(Read(kDemo + "/dev_predictions.json"));
  for (const auto& p : j["predictions"]) {
    LabeledText t;
    t.text = p["sentence"].get<std::string>();
    t.label = std::to_string(p["label"].get<int>());
    out.push_back(t);
  }
  return out;
}

// The demo model's files without exit heads; the strings must outlive the views.
struct DemoFiles {
  std::string config = Read(kDemo + "/config.json");
  std::string weights = Read(kDemo + "/model.safetensors");
  std::string vocab = Read(kDemo + "/vocab.txt");
  std::string tokenizer_config = Read(kDemo + "/tokenizer_config.json");
  HuggingFaceFiles files() const {
    HuggingFaceFiles f;
    f.config_json = config;
    f.safetensors = weights;
    f.vocab_txt = vocab;
    f.tokenizer_config_json = tokenizer_config;
    return f;
  }
};

// Reference: plain full-batch gradient descent on the same objective, many small steps.
std::vector<double> GradientDescent(const std::vector<double>& x, size_t n, int d,
                                    const std::vector<int>& y, int k, double l2) {
  std::vector<double> p(static_cast<size_t>(k * d + k), 0.0), g;
  for (int it = 0; it < 20000; ++it) {
    LogisticRegressionObjective(x, n, d, y, k, l2, p, &g);
    for (size_t i = 0; i < p.size(); ++i) p[i] -= 0.5 * g[i];
  }
  return p;
}

// Gaussian-free synthetic data: a fixed LCG, class c centered at +-2 on feature c.
void Synthetic(size_t n, int d, int k, std::vector<double>* x, std::vector<int>* y) {
  uint64_t s = 42;
  auto uniform = [&]() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(s >> 11) / 9007199254740992.0 - 0.5;
  };
  x->assign(n * static_cast<size_t>(d), 0.0);
  y->assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(i % static_cast<size_t>(k));
    (*y)[i] = c;
    for (int j = 0; j < d; ++j) (*x)[i * d + j] = uniform();
    (*x)[i * d + static_cast<size_t>(c % d)] += 2.0;
  }
}

TEST(DeterministicMath, MatchesLibm) {
  for (double v = -700; v <= 700; v += 0.37) {
    EXPECT_NEAR(DeterministicExp(v) / std::exp(v), 1.0, 1e-14) << v;
  }
  for (double v = 1e-300; v < 1e300; v *= 3.7) {
    EXPECT_NEAR(DeterministicLog(v), std::log(v), 1e-14 * std::max(1.0, std::fabs(std::log(v))))
        << v;
  }
  EXPECT_EQ(DeterministicLog(1.0), 0.0);
  EXPECT_EQ(DeterministicExp(0.0), 1.0);
  for (double v = -25; v <= 25; v += 0.013) {
    EXPECT_NEAR(DeterministicTanh(v), std::tanh(v), 1e-15) << v;
  }
}

TEST(LogisticRegression, SeparableProblemMatchesGradientDescent) {
  for (int k : {2, 3}) {
    std::vector<double> x;
    std::vector<int> y;
    const int d = 4;
    const size_t n = 240;
    Synthetic(n, d, k, &x, &y);
    LogisticRegressionOptions o;
    o.l2 = 0.01;
    StatusOr<LogisticRegressionModel> m = FitLogisticRegression(x, n, d, y, k, o);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    size_t correct = 0;
    for (size_t i = 0; i < n; ++i) {
      int best = 0;
      double best_z = -1e300;
      for (int c = 0; c < k; ++c) {
        double z = m->bias[c];
        for (int j = 0; j < d; ++j) z += m->weights[c * d + j] * x[i * d + j];
        if (z > best_z) best_z = z, best = c;
      }
      correct += best == y[i];
    }
    EXPECT_EQ(correct, n) << "k=" << k;
    const std::vector<double> ref = GradientDescent(x, n, d, y, k, o.l2);
    for (size_t i = 0; i < m->weights.size(); ++i) EXPECT_NEAR(m->weights[i], ref[i], 1e-4);
    for (int c = 0; c < k; ++c) EXPECT_NEAR(m->bias[c], ref[k * d + c], 1e-4);
    std::vector<double> params = m->weights, g;
    params.insert(params.end(), m->bias.begin(), m->bias.end());
    const double f = LogisticRegressionObjective(x, n, d, y, k, o.l2, params, &g);
    EXPECT_NEAR(f, m->loss, 1e-12);
    for (double v : g) EXPECT_LT(std::fabs(v), 1e-6);
  }
}

TEST(LogisticRegression, GradientMatchesFiniteDifferences) {
  std::vector<double> x;
  std::vector<int> y;
  Synthetic(30, 3, 3, &x, &y);
  std::vector<double> p(12);
  for (size_t i = 0; i < p.size(); ++i) p[i] = 0.1 * static_cast<double>(i % 5) - 0.2;
  std::vector<double> g;
  LogisticRegressionObjective(x, 30, 3, y, 3, 0.05, p, &g);
  for (size_t i = 0; i < p.size(); ++i) {
    std::vector<double> a = p, b = p;
    a[i] += 1e-6;
    b[i] -= 1e-6;
    const double num = (LogisticRegressionObjective(x, 30, 3, y, 3, 0.05, a, nullptr) -
                        LogisticRegressionObjective(x, 30, 3, y, 3, 0.05, b, nullptr)) / 2e-6;
    EXPECT_NEAR(g[i], num, 1e-7);
  }
}

TEST(LogisticRegression, BadInputs) {
  LogisticRegressionOptions o;
  EXPECT_EQ(FitLogisticRegression({}, 0, 2, {}, 2, o).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(FitLogisticRegression({1, 2}, 1, 2, {2}, 2, o).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(FitLogisticRegression({1, 2}, 1, 2, {0}, 1, o).status().code(),
            StatusCode::kInvalidArgument);
  o.l2 = -1;
  EXPECT_EQ(FitLogisticRegression({1, 2}, 1, 2, {0}, 2, o).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ChooseExitRule, MostAggressiveWithinDrop) {
  // 10 examples, one exit head + final: the head is confident and right on 0..5, a little less
  // confident and wrong on 6, unsure and wrong on 7..9; the final head is always right.
  std::vector<std::vector<float>> logits;
  std::vector<int> labels;
  for (int i = 0; i < 10; ++i) {
    const int label = i % 2;
    const float conf = i < 6 ? 4.0f + 0.1f * static_cast<float>(i) : i == 6 ? 3.9f : 0.1f;
    const int head_pred = i >= 6 ? 1 - label : label;
    std::vector<float> l(4, 0.0f);
    l[static_cast<size_t>(head_pred)] = conf;
    l[2 + static_cast<size_t>(label)] = 5.0f;
    logits.push_back(l);
    labels.push_back(label);
  }
  const std::vector<int> layers = {1, 2};
  // No drop allowed: only examples 0..5 may exit (the sweep stops before example 6's value).
  StatusOr<ExitRuleChoice> c = ChooseExitRule(ExitRuleKind::kMaxProb, logits, labels, layers, 2, 0.0);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_DOUBLE_EQ(c->accuracy, 1.0);
  EXPECT_DOUBLE_EQ(c->average_layers, 1.4);
  int correct = 0;
  int64_t total = 0;
  SimulateExitRule(c->rule, logits, labels, layers, 2, &correct, &total);
  EXPECT_EQ(correct, 10);
  EXPECT_EQ(total, 14);
  // One error allowed: example 6 exits too.
  c = ChooseExitRule(ExitRuleKind::kEntropy, logits, labels, layers, 2, 0.1);
  ASSERT_TRUE(c.ok());
  EXPECT_DOUBLE_EQ(c->accuracy, 0.9);
  EXPECT_DOUBLE_EQ(c->average_layers, 1.3);
  c = ChooseExitRule(ExitRuleKind::kPatience, logits, labels, layers, 2, 0.0);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->rule.patience, 2);  // patience 1 exits everything at layer 1 and loses accuracy
}

TEST(ParseLabeledTsv, HeaderPairsAndErrors) {
  StatusOr<std::vector<LabeledText>> d =
      ParseLabeledTsv("sentence\tlabel\r\ngood\t1\r\n\nbad\tnegative\na\tb\t0\n");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->size(), 3u);
  EXPECT_EQ((*d)[0].text, "good");
  EXPECT_EQ((*d)[0].label, "1");
  EXPECT_EQ((*d)[0].line, 2);
  EXPECT_EQ((*d)[1].label, "negative");
  EXPECT_TRUE((*d)[2].has_pair);
  EXPECT_EQ((*d)[2].text_pair, "b");
  StatusOr<std::vector<LabeledText>> bad = ParseLabeledTsv("good\t1\nno tab here\n");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos) << bad.status().message();
  EXPECT_EQ(ParseLabeledTsv("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseLabeledTsv("sentence\tlabel\n").status().code(), StatusCode::kInvalidArgument);
}

class CalibrateDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::vector<LabeledText>(Sst2());
    files_ = new DemoFiles();
  }
  static void TearDownTestSuite() {
    delete data_;
    delete files_;
  }
  static CalibrateOptions Options(int examples) {
    CalibrateOptions o;
    o.max_examples = examples;
    o.measure_speed = false;
    return o;
  }
  static std::vector<LabeledText>* data_;
  static DemoFiles* files_;
};
std::vector<LabeledText>* CalibrateDemo::data_ = nullptr;
DemoFiles* CalibrateDemo::files_ = nullptr;

TEST_F(CalibrateDemo, SensibleHeadsLoadableConfigAndIdenticalBytes) {
  ASSERT_GE(data_->size(), 1000u);
  StatusOr<CalibratedModel> a = CalibrateExitsFromFiles(files_->files(), *data_, Options(1000));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const CalibrationReport& r = a->report;
  EXPECT_EQ(r.num_train, 700);
  EXPECT_EQ(r.num_heldout, 300);
  ASSERT_EQ(r.heads.size(), 4u);
  for (int l = 0; l < 4; ++l) EXPECT_EQ(r.heads[l].layer, l + 1);
  EXPECT_GE(r.heads[0].heldout_accuracy, 0.70);
  EXPECT_GE(r.heads[2].heldout_accuracy, 0.80);
  EXPECT_EQ(r.rule, "entropy");
  EXPECT_GT(r.threshold, 0);
  EXPECT_TRUE(r.within_max_drop);
  EXPECT_LE(r.accuracy_drop, 0.01 + 1e-12);
  EXPECT_LT(r.average_layers, 4.0);
  EXPECT_GE(r.average_layers, 1.0);
  EXPECT_FALSE(r.timed);
  EXPECT_TRUE(a->model_file.empty());

  // The files load, and the engine's exits on the held-out texts reproduce the report.
  HuggingFaceFiles f = files_->files();
  f.exit_config_json = a->exit_config_json;
  f.exit_heads_safetensors = a->exit_heads_safetensors;
  StatusOr<std::unique_ptr<Model>> m = Model::FromHuggingFaceFiles(f);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)->info().exit_layers, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ((*m)->info().default_exit_rule, "entropy");
  EXPECT_FLOAT_EQ((*m)->info().default_exit_threshold, static_cast<float>(r.threshold));
  const std::vector<size_t> order = ShuffledIndices(data_->size(), Options(0).seed);
  std::vector<std::string> held;
  std::vector<int> held_labels;
  for (size_t i = 700; i < 1000; ++i) {
    held.push_back((*data_)[order[i]].text);
    held_labels.push_back(std::stoi((*data_)[order[i]].label));
  }
  StatusOr<std::vector<Output>> outs = (*m)->Run(held);
  ASSERT_TRUE(outs.ok()) << outs.status().ToString();
  int correct = 0, layers = 0;
  for (size_t i = 0; i < outs->size(); ++i) {
    correct += (*outs)[i].label == held_labels[i];
    layers += (*outs)[i].exit_layer;
  }
  EXPECT_DOUBLE_EQ(correct / 300.0, r.accuracy);
  EXPECT_DOUBLE_EQ(layers / 300.0, r.average_layers);

  const nlohmann::json config = nlohmann::json::parse(a->exit_config_json);
  EXPECT_EQ(config["layers"], nlohmann::json::parse("[0,1,2]"));
  EXPECT_EQ(config["default_rule"]["type"], "entropy");
  EXPECT_EQ(config["num_hidden_layers"], 4);
  EXPECT_TRUE(config.contains("calibration"));

  // Determinism: a second run gives the same bytes.
  StatusOr<CalibratedModel> b = CalibrateExitsFromFiles(files_->files(), *data_, Options(1000));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->exit_config_json, b->exit_config_json);
  EXPECT_TRUE(a->exit_heads_safetensors == b->exit_heads_safetensors);
}

TEST_F(CalibrateDemo, ModelFileOutputAndInput) {
  CalibrateOptions o = Options(200);
  o.rule = EarlyExit::kMaxProb;
  o.model_file_dtype = "int8";
  StatusOr<CalibratedModel> a = CalibrateExitsFromFiles(files_->files(), *data_, o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_FALSE(a->model_file.empty());
  StatusOr<ModelFileContents> c = ReadModelFile(
      reinterpret_cast<const uint8_t*>(a->model_file.data()), a->model_file.size());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->dtype, "int8");
  ASSERT_EQ(c->weights.exit_heads.size(), 3u);
  EXPECT_EQ(c->weights.default_exit_rule.kind, ExitRuleKind::kMaxProb);
  EXPECT_FLOAT_EQ(c->weights.default_exit_rule.threshold, static_cast<float>(a->report.threshold));

  // Model file in, model file out (same dtype); another dtype is refused.
  o.model_file_dtype.clear();
  o.rule = EarlyExit::kPatience;
  StatusOr<CalibratedModel> b = CalibrateExitsFromModelFile(
      reinterpret_cast<const uint8_t*>(a->model_file.data()), a->model_file.size(), *data_, o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->report.rule, "patience");
  EXPECT_GE(b->report.patience, 1);
  EXPECT_LE(b->report.patience, 4);
  StatusOr<ModelFileContents> bc = ReadModelFile(
      reinterpret_cast<const uint8_t*>(b->model_file.data()), b->model_file.size());
  ASSERT_TRUE(bc.ok()) << bc.status().ToString();
  EXPECT_EQ(bc->dtype, "int8");
  o.model_file_dtype = "fp32";
  StatusOr<CalibratedModel> wrong = CalibrateExitsFromModelFile(
      reinterpret_cast<const uint8_t*>(a->model_file.data()), a->model_file.size(), *data_, o);
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
}

void ExpectError(const StatusOr<CalibratedModel>& r, StatusCode code, const std::string& part) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
}

TEST_F(CalibrateDemo, BadArguments) {
  const HuggingFaceFiles f = files_->files();
  CalibrateOptions o = Options(100);
  o.max_drop = 1.5;
  ExpectError(CalibrateExitsFromFiles(f, *data_, o), StatusCode::kInvalidArgument, "max_drop");
  o = Options(100);
  o.max_drop = -0.1;
  ExpectError(CalibrateExitsFromFiles(f, *data_, o), StatusCode::kInvalidArgument, "max_drop");
  o = Options(100);
  o.holdout = 1.0;
  ExpectError(CalibrateExitsFromFiles(f, *data_, o), StatusCode::kInvalidArgument, "holdout");
  o = Options(100);
  o.rule = EarlyExit::kOff;
  ExpectError(CalibrateExitsFromFiles(f, *data_, o), StatusCode::kInvalidArgument,
              "[entropy, max-prob, patience]");
  o = Options(100);
  o.model_file_dtype = "int4";
  ExpectError(CalibrateExitsFromFiles(f, *data_, o), StatusCode::kInvalidArgument, "int4");
  ExpectError(CalibrateExitsFromFiles(f, {}, Options(0)), StatusCode::kInvalidArgument, "empty");
  // Too few examples for the split.
  ExpectError(CalibrateExitsFromFiles(f, *data_, Options(25)), StatusCode::kInvalidArgument,
              "too few examples");
  // Labels: names (any case) and ids work, others are listed.
  std::vector<LabeledText> named(data_->begin(), data_->begin() + 60);
  for (LabeledText& t : named) t.label = t.label == "1" ? "Positive" : "negative";
  CalibrateOptions quick = Options(0);
  quick.holdout = 0.5;
  EXPECT_TRUE(CalibrateExitsFromFiles(f, named, quick).ok());
  named[7].label = "neutral";
  named[7].line = 9;
  ExpectError(CalibrateExitsFromFiles(f, named, quick), StatusCode::kInvalidArgument,
              "line 9: label 'neutral' is not one of the model's labels; use an id in [0, 1] or "
              "a name in [negative, positive]");
  named[7].label = "2";
  ExpectError(CalibrateExitsFromFiles(f, named, quick), StatusCode::kInvalidArgument, "'2'");
  // One label only.
  std::vector<LabeledText> same(data_->begin(), data_->begin() + 60);
  for (LabeledText& t : same) t.label = "0";
  ExpectError(CalibrateExitsFromFiles(f, same, quick), StatusCode::kInvalidArgument,
              "same label");
  // Not a sequence classifier.
  const std::string enc = std::string(HB_FIXTURES_DIR) + "/models/bert_encoder";
  ExpectError(CalibrateExitsFromPath(enc, named, quick), StatusCode::kUnsupported,
              "sequence classifier");
  ExpectError(CalibrateExitsFromPath(enc + "/nope", named, quick), StatusCode::kNotFound,
              "does not exist");
}

}  // namespace
}  // namespace hb
