// calibrate-exits on loaded weights: hidden states -> standardized, tanh-squashed features ->
// one logistic regression per non-final layer -> exit heads -> held-out threshold sweep.
#include "calibrate/exit_calibration.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "base/json.h"
#include "calibrate/logistic_regression.h"
#include "format/exit_heads.h"
#include "model/bert_encoder.h"
#include "model/packed_batch.h"

namespace hb {
namespace {

using json = Json;

// Batches for the encoder: at most this many sequences and (about) tokens at once.
constexpr size_t kBatchSequences = 64;
constexpr size_t kBatchTokens = 8192;
// The fewest examples worth fitting / judging a threshold on.
constexpr size_t kMinTrain = 20;
constexpr size_t kMinHeldOut = 10;
// Timing: at most this many held-out texts, this many runs per setting (median kept).
constexpr size_t kMaxTimedTexts = 512;
constexpr int kTimingRuns = 3;
// Points of the sweep kept in the report.
constexpr size_t kMaxSweepPoints = 60;

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

size_t ArgMax(const float* v, size_t n) {
  return static_cast<size_t>(std::max_element(v, v + n) - v);
}

const char* RuleName(ExitRuleKind kind) {
  switch (kind) {
    case ExitRuleKind::kEntropy:
      return "entropy";
    case ExitRuleKind::kMaxProb:
      return "max_prob";
    case ExitRuleKind::kPatience:
      return "patience";
    case ExitRuleKind::kNone:
      break;
  }
  return "none";
}

// Splits [0, n) into batches by sequence count and token count.
std::vector<std::pair<size_t, size_t>> Batches(const std::vector<Encoding>& enc, size_t begin,
                                               size_t end, size_t max_sequences) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t start = begin, tokens = 0;
  for (size_t i = begin; i < end; ++i) {
    tokens += enc[i].ids.size();
    if (i + 1 - start >= max_sequences || tokens >= kBatchTokens || i + 1 == end) {
      out.emplace_back(start, i + 1);
      start = i + 1;
      tokens = 0;
    }
  }
  return out;
}

PackedBatch Pack(const std::vector<Encoding>& enc, size_t begin, size_t end) {
  PackedBatch b;
  for (size_t i = begin; i < end; ++i) b.Add(enc[i]);
  return b;
}

// The statistic a threshold rule compares, with deterministic exp/log so that thresholds (midpoints
// between these values) are the same bytes on every platform. Same formula as ShouldExit.
double RuleStatistic(ExitRuleKind kind, const float* logits, size_t labels) {
  double mx = logits[0];
  for (size_t i = 1; i < labels; ++i) mx = std::max(mx, static_cast<double>(logits[i]));
  double sum = 0;
  for (size_t i = 0; i < labels; ++i) sum += DeterministicExp(logits[i] - mx);
  if (kind == ExitRuleKind::kMaxProb) return 1.0 / sum;
  double entropy = 0;
  for (size_t i = 0; i < labels; ++i) {
    const double p = DeterministicExp(logits[i] - mx) / sum;
    if (p > 0) entropy -= p * DeterministicLog(p);
  }
  return entropy;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Status CheckOptions(const CalibrateOptions& o) {
  if (!(o.max_drop >= 0 && o.max_drop <= 1)) {
    return InvalidArgument(
        "max_drop must be in [0, 1] (a fraction: 0.01 is one point of "
        "accuracy), got " +
        std::to_string(o.max_drop));
  }
  if (!(o.holdout > 0 && o.holdout < 1)) {
    return InvalidArgument("holdout must be in (0, 1), got " + std::to_string(o.holdout));
  }
  if (!(o.l2 >= 0) || !std::isfinite(o.l2)) {
    return InvalidArgument("l2 must be a finite number >= 0, got " + std::to_string(o.l2));
  }
  if (o.rule != EarlyExit::kEntropy && o.rule != EarlyExit::kMaxProb &&
      o.rule != EarlyExit::kPatience) {
    return InvalidArgument("the rule to calibrate must be one of [entropy, max-prob, patience]");
  }
  if (o.max_examples < 0) return InvalidArgument("max_examples must be >= 0");
  return Status::Ok();
}

ExitRuleKind ToRuleKind(EarlyExit e) {
  switch (e) {
    case EarlyExit::kMaxProb:
      return ExitRuleKind::kMaxProb;
    case EarlyExit::kPatience:
      return ExitRuleKind::kPatience;
    default:
      return ExitRuleKind::kEntropy;
  }
}

}  // namespace

std::vector<size_t> ShuffledIndices(size_t n, uint64_t seed) {
  std::vector<size_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = i;
  uint64_t state = seed;
  for (size_t i = n; i > 1; --i) {
    const size_t j = static_cast<size_t>(SplitMix64(state) % static_cast<uint64_t>(i));
    std::swap(idx[i - 1], idx[j]);
  }
  return idx;
}

void SimulateExitRule(const ExitRule& rule, const std::vector<std::vector<float>>& logits,
                      const std::vector<int>& labels, const std::vector<int>& head_layers,
                      int num_labels, int* correct, int64_t* total_layers) {
  const size_t k = static_cast<size_t>(num_labels), heads = head_layers.size();
  *correct = 0;
  *total_layers = 0;
  std::vector<int> predictions;
  for (size_t i = 0; i < logits.size(); ++i) {
    predictions.clear();
    for (size_t h = 0; h < heads; ++h) {
      const float* lg = logits[i].data() + h * k;
      const bool leaves = h + 1 == heads || ShouldExit(rule, lg, k, predictions);
      const int prediction = static_cast<int>(ArgMax(lg, k));
      predictions.push_back(prediction);
      if (leaves) {
        *correct += prediction == labels[i];
        *total_layers += head_layers[h];
        break;
      }
    }
  }
}

StatusOr<ExitRuleChoice> ChooseExitRule(ExitRuleKind kind,
                                        const std::vector<std::vector<float>>& logits,
                                        const std::vector<int>& labels,
                                        const std::vector<int>& head_layers, int num_labels,
                                        double max_drop) {
  if (kind == ExitRuleKind::kNone) return InvalidArgument("no exit rule to choose");
  const size_t n = logits.size(), heads = head_layers.size(), k = static_cast<size_t>(num_labels);
  if (n == 0 || heads < 2 || k < 2 || labels.size() != n) {
    return InvalidArgument("ChooseExitRule needs examples, at least one exit head and labels");
  }
  for (const auto& l : logits) {
    if (l.size() != heads * k) return InvalidArgument("ChooseExitRule: logits of the wrong size");
  }
  const size_t exit_heads = heads - 1;
  int full_correct = 0;
  for (size_t i = 0; i < n; ++i) {
    full_correct += static_cast<int>(ArgMax(logits[i].data() + exit_heads * k, k)) == labels[i];
  }
  const int64_t allowed =
      static_cast<int64_t>(std::floor(max_drop * static_cast<double>(n) + 1e-9));
  const int64_t min_correct = full_correct - allowed;

  // Candidates, conservative to aggressive.
  std::vector<ExitRule> candidates;
  std::vector<double> stats;  // [n x exit_heads] for the threshold rules
  if (kind == ExitRuleKind::kPatience) {
    for (int p = static_cast<int>(exit_heads) + 1; p >= 1; --p) {
      candidates.push_back(ExitRule{kind, 0, p});
    }
  } else {
    stats.resize(n * exit_heads);
    for (size_t i = 0; i < n; ++i) {
      for (size_t h = 0; h < exit_heads; ++h) {
        stats[i * exit_heads + h] = RuleStatistic(kind, logits[i].data() + h * k, k);
      }
    }
    std::vector<double> v = stats;
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    std::vector<float> thresholds;
    if (kind == ExitRuleKind::kEntropy) {
      // Exit when entropy < t: t just above v[j] lets every value <= v[j] exit.
      thresholds.push_back(v[0] > 0 ? static_cast<float>(v[0] / 2)
                                    : std::numeric_limits<float>::denorm_min());
      for (size_t j = 0; j + 1 < v.size(); ++j) {
        thresholds.push_back(static_cast<float>(0.5 * (v[j] + v[j + 1])));
      }
      thresholds.push_back(static_cast<float>(v.back() + 1.0));
    } else {
      // Exit when max prob >= t, with t in (0, 1].
      if (v.back() < 1.0) thresholds.push_back(static_cast<float>(0.5 * (v.back() + 1.0)));
      for (size_t j = v.size() - 1; j > 0; --j) {
        thresholds.push_back(static_cast<float>(0.5 * (v[j - 1] + v[j])));
      }
      thresholds.push_back(static_cast<float>(v[0] / 2));
    }
    for (float t : thresholds) {
      if (t > 0 && (kind != ExitRuleKind::kMaxProb || t <= 1.0f)) {
        candidates.push_back(ExitRule{kind, t, 0});
      }
    }
    if (candidates.empty()) candidates.push_back(ExitRule{kind, 1.0f, 0});
  }

  ExitRuleChoice best;
  bool have_best = false;
  int64_t best_layers = 0, best_correct = 0;
  std::vector<ExitSweepPoint> sweep;
  for (size_t c = 0; c < candidates.size(); ++c) {
    const ExitRule& rule = candidates[c];
    int correct = 0;
    int64_t layers = 0;
    if (kind == ExitRuleKind::kPatience) {
      SimulateExitRule(rule, logits, labels, head_layers, num_labels, &correct, &layers);
    } else {
      // The comparisons of ShouldExit on the precomputed statistics.
      const double t = rule.threshold;
      for (size_t i = 0; i < n; ++i) {
        size_t h = 0;
        for (; h < exit_heads; ++h) {
          const double s = stats[i * exit_heads + h];
          if (kind == ExitRuleKind::kEntropy ? s < t : s >= t) break;
        }
        correct += static_cast<int>(ArgMax(logits[i].data() + h * k, k)) == labels[i];
        layers += head_layers[h];
      }
    }
    ExitSweepPoint point;
    point.threshold = kind == ExitRuleKind::kPatience ? 0.0 : rule.threshold;
    point.patience = rule.patience;
    point.accuracy = static_cast<double>(correct) / static_cast<double>(n);
    point.average_layers = static_cast<double>(layers) / static_cast<double>(n);
    sweep.push_back(point);
    const bool ok = correct >= min_correct;
    if (!ok && have_best) break;  // the first violation ends the sweep
    if (!have_best || layers < best_layers || (layers == best_layers && correct > best_correct)) {
      have_best = true;
      best.rule = rule;
      best.within_max_drop = ok;
      best_layers = layers;
      best_correct = correct;
    }
    if (!ok) break;  // even the most conservative setting loses too much
  }
  best.accuracy = static_cast<double>(best_correct) / static_cast<double>(n);
  best.average_layers = static_cast<double>(best_layers) / static_cast<double>(n);
  best.sweep = std::move(sweep);
  return best;
}

StatusOr<CalibrationReport> CalibrateExitHeads(BertWeights* weights,
                                               const std::vector<Encoding>& encodings,
                                               const std::vector<int>& labels,
                                               const CalibrateOptions& options, ThreadPool* pool) {
  if (weights == nullptr) return InvalidArgument("CalibrateExitHeads: null weights");
  const BertConfig& config = weights->config;
  if (config.task != TaskKind::kSequenceClassification) {
    return Unsupported(
        "calibrate-exits needs a sequence classifier (e.g. "
        "BertForSequenceClassification); the model is " +
        config.architecture);
  }
  if (config.num_layers < 2) {
    return Unsupported(
        "calibrate-exits needs at least 2 encoder layers (exit heads go on the "
        "non-final ones); the model has " +
        std::to_string(config.num_layers));
  }
  if (config.score_function() != ScoreFunction::kSoftmax) {
    return Unsupported(
        "calibrate-exits fits softmax classifiers (2 or more labels, one per "
        "input); this model scores with a " +
        std::string(ScoreFunctionName(config.score_function())) + " (" +
        std::to_string(config.num_labels()) + " label(s), problem_type '" +
        (config.problem_type.empty() ? "none" : config.problem_type) + "')");
  }
  HB_RETURN_IF_ERROR(CheckOptions(options));
  const int num_labels = config.num_labels();
  const size_t n = encodings.size();
  if (labels.size() != n) return InvalidArgument("CalibrateExitHeads: one label per encoding");
  for (int l : labels) {
    if (l < 0 || l >= num_labels) return InvalidArgument("label id out of range");
  }
  const size_t n_heldout =
      static_cast<size_t>(std::llround(options.holdout * static_cast<double>(n)));
  const size_t n_train = n - std::min(n, n_heldout);
  if (n_train < kMinTrain || n_heldout < kMinHeldOut) {
    return InvalidArgument("too few examples: " + std::to_string(n) + " labeled examples give " +
                           std::to_string(n_train) + " to fit and " + std::to_string(n_heldout) +
                           " held out with holdout " + std::to_string(options.holdout) +
                           "; calibrate-exits needs "
                           "at least " +
                           std::to_string(kMinTrain) + " and " + std::to_string(kMinHeldOut) +
                           " (give more labeled texts)");
  }
  {
    std::vector<bool> seen(static_cast<size_t>(num_labels), false);
    int distinct = 0;
    for (size_t i = 0; i < n_train; ++i) {
      if (!seen[static_cast<size_t>(labels[i])]) {
        seen[static_cast<size_t>(labels[i])] = true;
        ++distinct;
      }
    }
    if (distinct < 2) {
      return InvalidArgument(
          "the examples used for fitting all have the same label; "
          "calibrate-exits needs at least 2 distinct labels");
    }
  }

  const size_t h = static_cast<size_t>(config.hidden_size);
  const int num_exit = config.num_layers - 1;
  CalibrationReport report;
  report.num_examples = static_cast<int>(n);
  report.num_train = static_cast<int>(n_train);
  report.num_heldout = static_cast<int>(n_heldout);
  report.num_layers = config.num_layers;
  report.num_labels = num_labels;
  report.max_drop = options.max_drop;

  // 1. First-token states of the fitting part after every non-final layer.
  weights->exit_heads.clear();
  weights->default_exit_rule = ExitRule{};
  std::vector<std::vector<float>> states(static_cast<size_t>(num_exit));
  for (auto& s : states) s.reserve(n_train * h);
  {
    HB_ASSIGN_OR_RETURN(std::unique_ptr<BertEncoder> encoder, BertEncoder::Create(*weights));
    for (const auto& [b, e] : Batches(encodings, 0, n_train, kBatchSequences)) {
      HB_ASSIGN_OR_RETURN(std::vector<std::vector<float>> layer_states,
                          encoder->FirstTokenStates(Pack(encodings, b, e), pool));
      for (int l = 0; l < num_exit; ++l) {
        states[static_cast<size_t>(l)].insert(states[static_cast<size_t>(l)].end(),
                                              layer_states[static_cast<size_t>(l)].begin(),
                                              layer_states[static_cast<size_t>(l)].end());
      }
    }
  }

  // 2. One head per layer. The regression sees exactly what the head's pooler computes from the
  // stored float weights: tanh(w_j x_j + b_j).
  LogisticRegressionOptions lr;
  lr.l2 = options.l2;
  std::vector<int> train_labels(labels.begin(),
                                labels.begin() + static_cast<std::ptrdiff_t>(n_train));
  std::vector<ExitHeadWeights> heads;
  for (int l = 0; l < num_exit; ++l) {
    const std::vector<float>& x = states[static_cast<size_t>(l)];
    std::vector<double> mean(h, 0.0), var(h, 0.0);
    for (size_t i = 0; i < n_train; ++i) {
      for (size_t j = 0; j < h; ++j) mean[j] += x[i * h + j];
    }
    for (size_t j = 0; j < h; ++j) mean[j] /= static_cast<double>(n_train);
    for (size_t i = 0; i < n_train; ++i) {
      for (size_t j = 0; j < h; ++j) {
        const double d = x[i * h + j] - mean[j];
        var[j] += d * d;
      }
    }
    ExitHeadWeights head;
    head.layer = l;
    head.pooler.out = head.pooler.in = static_cast<int>(h);
    head.pooler.w.assign(h * h, 0.0f);
    head.pooler.b.assign(h, 0.0f);
    for (size_t j = 0; j < h; ++j) {
      double sd = std::sqrt(var[j] / static_cast<double>(n_train));
      if (!(sd > 1e-12)) sd = 1.0;  // a constant dimension: any scale gives a constant feature
      head.pooler.w[j * h + j] = static_cast<float>(kExitPoolerScale / sd);
      head.pooler.b[j] = static_cast<float>(-kExitPoolerScale * mean[j] / sd);
    }
    std::vector<double> features(n_train * h);
    for (size_t i = 0; i < n_train; ++i) {
      for (size_t j = 0; j < h; ++j) {
        features[i * h + j] = DeterministicTanh(static_cast<double>(head.pooler.w[j * h + j]) *
                                                    static_cast<double>(x[i * h + j]) +
                                                static_cast<double>(head.pooler.b[j]));
      }
    }
    HB_ASSIGN_OR_RETURN(LogisticRegressionModel fit,
                        FitLogisticRegression(features, n_train, static_cast<int>(h), train_labels,
                                              num_labels, lr));
    head.classifier.out = num_labels;
    head.classifier.in = static_cast<int>(h);
    head.classifier.w.resize(fit.weights.size());
    head.classifier.b.resize(fit.bias.size());
    for (size_t i = 0; i < fit.weights.size(); ++i) {
      head.classifier.w[i] = static_cast<float>(fit.weights[i]);
    }
    for (size_t i = 0; i < fit.bias.size(); ++i)
      head.classifier.b[i] = static_cast<float>(fit.bias[i]);
    int train_correct = 0;
    for (size_t i = 0; i < n_train; ++i) {
      int arg = 0;
      double best = -std::numeric_limits<double>::infinity();
      for (int c = 0; c < num_labels; ++c) {
        double z = fit.bias[static_cast<size_t>(c)];
        for (size_t j = 0; j < h; ++j)
          z += fit.weights[static_cast<size_t>(c) * h + j] * features[i * h + j];
        if (z > best) {
          best = z;
          arg = c;
        }
      }
      train_correct += arg == train_labels[i];
    }
    ExitHeadReport hr;
    hr.layer = l + 1;
    hr.train_accuracy = static_cast<double>(train_correct) / static_cast<double>(n_train);
    hr.iterations = fit.iterations;
    report.heads.push_back(hr);
    heads.push_back(std::move(head));
    states[static_cast<size_t>(l)] = std::vector<float>();  // free as we go
  }
  weights->exit_heads = std::move(heads);

  // 3. Held-out logits of every head, as the engine computes them: a rule that never exits.
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertEncoder> encoder, BertEncoder::Create(*weights));
  ForwardOptions all_heads;
  all_heads.exit_rule = ExitRule{ExitRuleKind::kEntropy, 0.0f, 0};  // entropy < 0: never
  std::vector<std::vector<float>> held_logits;
  held_logits.reserve(n_heldout);
  for (const auto& [b, e] : Batches(encodings, n_train, n, kBatchSequences)) {
    HB_ASSIGN_OR_RETURN(ForwardResult fr, encoder->Forward(Pack(encodings, b, e), all_heads, pool));
    for (auto& l : fr.layer_logits) held_logits.push_back(std::move(l));
  }
  std::vector<int> held_labels(labels.begin() + static_cast<std::ptrdiff_t>(n_train), labels.end());
  std::vector<int> head_layers;
  for (int l = 1; l <= config.num_layers; ++l) head_layers.push_back(l);
  const size_t k = static_cast<size_t>(num_labels);
  for (const auto& l : held_logits) {
    if (l.size() != head_layers.size() * k) {
      return Internal("calibrate-exits: the encoder returned " + std::to_string(l.size()) +
                      " logits, expected " + std::to_string(head_layers.size() * k));
    }
  }
  report.heads.push_back(ExitHeadReport{config.num_layers, -1.0, 0.0, 0});
  for (size_t hd = 0; hd < head_layers.size(); ++hd) {
    int correct = 0;
    for (size_t i = 0; i < n_heldout; ++i) {
      correct += static_cast<int>(ArgMax(held_logits[i].data() + hd * k, k)) == held_labels[i];
    }
    report.heads[hd].heldout_accuracy =
        static_cast<double>(correct) / static_cast<double>(n_heldout);
  }
  report.full_depth_accuracy = report.heads.back().heldout_accuracy;

  // 4. The rule.
  HB_ASSIGN_OR_RETURN(ExitRuleChoice choice,
                      ChooseExitRule(ToRuleKind(options.rule), held_logits, held_labels,
                                     head_layers, num_labels, options.max_drop));
  HB_RETURN_IF_ERROR(ValidateExitRule(choice.rule, config.num_layers));
  weights->default_exit_rule = choice.rule;
  int correct = 0;
  int64_t total_layers = 0;
  SimulateExitRule(choice.rule, held_logits, held_labels, head_layers, num_labels, &correct,
                   &total_layers);
  report.rule = RuleName(choice.rule.kind);
  report.threshold = choice.rule.kind == ExitRuleKind::kPatience ? 0.0 : choice.rule.threshold;
  report.patience = choice.rule.patience;
  report.accuracy = static_cast<double>(correct) / static_cast<double>(n_heldout);
  report.accuracy_drop = report.full_depth_accuracy - report.accuracy;
  report.within_max_drop = choice.within_max_drop;
  report.average_layers = static_cast<double>(total_layers) / static_cast<double>(n_heldout);
  report.layers_saved = 1.0 - report.average_layers / config.num_layers;
  report.expected_speedup = config.num_layers / report.average_layers;
  const std::vector<ExitSweepPoint>& sweep = choice.sweep;
  if (sweep.size() <= kMaxSweepPoints) {
    report.sweep = sweep;
  } else {
    for (size_t i = 0; i < kMaxSweepPoints; ++i) {
      report.sweep.push_back(sweep[i * (sweep.size() - 1) / (kMaxSweepPoints - 1)]);
    }
  }

  // 5. Wall clock of the encoder with and without the rule (not part of any output file).
  if (options.measure_speed) {
    const size_t timed = std::min(n_heldout, kMaxTimedTexts);
    report.timed = true;
    report.timed_texts = static_cast<int>(timed);
    for (size_t batch_size : {size_t{1}, size_t{32}}) {
      const auto batches = Batches(encodings, n_train, n_train + timed, batch_size);
      std::vector<PackedBatch> packed;
      for (const auto& [b, e] : batches) packed.push_back(Pack(encodings, b, e));
      std::vector<double> full_ms, exit_ms;
      for (int run = 0; run < kTimingRuns; ++run) {
        for (int arm = 0; arm < 2; ++arm) {
          ForwardOptions fo;
          if (arm == 1) fo.exit_rule = choice.rule;
          const auto t0 = std::chrono::steady_clock::now();
          for (const PackedBatch& pb : packed) {
            HB_ASSIGN_OR_RETURN(ForwardResult fr, encoder->Forward(pb, fo, pool));
            (void)fr;
          }
          const double ms =
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                  .count() /
              static_cast<double>(timed);
          (arm == 0 ? full_ms : exit_ms).push_back(ms);
        }
      }
      const double f = Median(full_ms), x = Median(exit_ms);
      if (batch_size == 1) {
        report.full_ms_batch1 = f;
        report.exit_ms_batch1 = x;
        report.speedup_batch1 = x > 0 ? f / x : 0;
      } else {
        report.full_ms_batch32 = f;
        report.exit_ms_batch32 = x;
        report.speedup_batch32 = x > 0 ? f / x : 0;
      }
    }
  }
  return report;
}

std::string ExitHeadsToSafetensors(const BertWeights& weights) {
  struct Tensor {
    std::string name;
    std::vector<int64_t> shape;
    const std::vector<float>* data;
  };
  std::vector<Tensor> tensors;
  for (const ExitHeadWeights& head : weights.exit_heads) {
    const std::string p = "exit_heads." + std::to_string(head.layer) + ".";
    tensors.push_back({p + "pooler.weight", {head.pooler.out, head.pooler.in}, &head.pooler.w});
    tensors.push_back({p + "pooler.bias", {head.pooler.out}, &head.pooler.b});
    tensors.push_back(
        {p + "classifier.weight", {head.classifier.out, head.classifier.in}, &head.classifier.w});
    tensors.push_back({p + "classifier.bias", {head.classifier.out}, &head.classifier.b});
  }
  std::sort(tensors.begin(), tensors.end(),
            [](const Tensor& a, const Tensor& b) { return a.name < b.name; });
  json header = json::object();
  header["__metadata__"] = {{"format", "pt"}};
  size_t offset = 0;
  for (const Tensor& t : tensors) {
    const size_t bytes = t.data->size() * sizeof(float);
    header[t.name] = {
        {"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string head = header.dump();
  while (head.size() % 8 != 0) head.push_back(' ');  // keeps the data 8-byte aligned
  std::string out(8, '\0');
  uint64_t len = head.size();
  for (int i = 0; i < 8; ++i)
    out[static_cast<size_t>(i)] = static_cast<char>((len >> (8 * i)) & 0xff);
  out += head;
  for (const Tensor& t : tensors) {
    // Little-endian hosts only (x86, Arm, wasm): the float bytes are the file's bytes.
    out.append(reinterpret_cast<const char*>(t.data->data()), t.data->size() * sizeof(float));
  }
  return out;
}

std::string ExitConfigToJson(const BertWeights& weights, const CalibrationReport& report) {
  json j = ExitSettingsToJson(weights);
  j["num_hidden_layers"] = weights.config.num_layers;
  json id2label = json::object();
  for (size_t i = 0; i < weights.config.labels.size(); ++i) {
    id2label[std::to_string(i)] = weights.config.labels[i];
  }
  j["id2label"] = std::move(id2label);
  j["head"] =
      "exit_heads.{layer}: pooler = tanh(dense(h[:, 0])) on encoder layer {layer}'s output "
      "(0-based), then classifier = dense -> logits. Fitted by hummingbert calibrate-exits: the "
      "pooler is diagonal, 0.5 * (h - mean) / std (standardization), and the classifier an "
      "L2-regularized logistic regression on its output.";
  j["calibration"] = json::parse(CalibrationReportToJson(report, false));
  return j.dump(1) + "\n";
}

std::string CalibrationReportToJson(const CalibrationReport& r, bool include_timings) {
  json j = json::object();
  j["examples"] = {{"total", r.num_examples}, {"fit", r.num_train}, {"heldout", r.num_heldout}};
  j["num_layers"] = r.num_layers;
  j["num_labels"] = r.num_labels;
  json heads = json::array();
  for (const ExitHeadReport& h : r.heads) {
    json e = {{"layer", h.layer}, {"heldout_accuracy", h.heldout_accuracy}};
    if (h.train_accuracy >= 0) {
      e["fit_accuracy"] = h.train_accuracy;
      e["iterations"] = h.iterations;
    } else {
      e["final_classifier"] = true;
    }
    heads.push_back(std::move(e));
  }
  j["layers"] = std::move(heads);
  json rule = {{"type", r.rule}};
  if (r.rule == "patience") {
    rule["k"] = r.patience;
  } else {
    rule["threshold"] = r.threshold;
  }
  j["rule"] = std::move(rule);
  j["max_drop"] = r.max_drop;
  j["full_depth_accuracy"] = r.full_depth_accuracy;
  j["accuracy"] = r.accuracy;
  j["accuracy_drop"] = r.accuracy_drop;
  j["within_max_drop"] = r.within_max_drop;
  j["average_layers"] = r.average_layers;
  j["layers_saved"] = r.layers_saved;
  j["expected_speedup"] = r.expected_speedup;
  json sweep = json::array();
  for (const ExitSweepPoint& p : r.sweep) {
    json e = {{"accuracy", p.accuracy}, {"average_layers", p.average_layers}};
    if (r.rule == "patience") {
      e["k"] = p.patience;
    } else {
      e["threshold"] = p.threshold;
    }
    sweep.push_back(std::move(e));
  }
  j["sweep"] = std::move(sweep);
  if (include_timings && r.timed) {
    j["timing"] = {{"texts", r.timed_texts},
                   {"note", "encoder wall clock per text over held-out texts, median of 3 runs"},
                   {"batch1",
                    {{"full_ms", r.full_ms_batch1},
                     {"exit_ms", r.exit_ms_batch1},
                     {"speedup", r.speedup_batch1}}},
                   {"batch32",
                    {{"full_ms", r.full_ms_batch32},
                     {"exit_ms", r.exit_ms_batch32},
                     {"speedup", r.speedup_batch32}}}};
  }
  return j.dump(2);
}

}  // namespace hb
