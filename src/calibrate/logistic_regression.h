// L2-regularized multinomial logistic regression, fitted full-batch with L-BFGS, for the
// early-exit heads of `calibrate-exits`. Reproducible to the bit on every platform for the same
// inputs: double arithmetic in a fixed order, no threads, and exp/log computed here with only
// +, -, *, / and ldexp/frexp (libm's exp and log differ between glibc and emscripten's musl).
#ifndef HB_CALIBRATE_LOGISTIC_REGRESSION_H_
#define HB_CALIBRATE_LOGISTIC_REGRESSION_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/status.h"

namespace hb {

// exp and log with a fixed evaluation (Cody-Waite range reduction + polynomial); relative error
// below 1e-15 on their domains. DeterministicExp saturates to 0 / +inf outside [-745, 709];
// DeterministicLog(x <= 0) is -inf.
double DeterministicExp(double x);
double DeterministicLog(double x);
// tanh through DeterministicExp.
double DeterministicTanh(double x);

struct LogisticRegressionOptions {
  double l2 = 1e-3;          // lambda in (1/n) sum CE + (lambda/2) |W|^2 (biases unpenalized)
  int max_iterations = 300;  // L-BFGS iterations
  int history = 10;          // L-BFGS memory
  double gradient_tolerance = 1e-7;  // stop when max |gradient| falls below
};

struct LogisticRegressionModel {
  int num_classes = 0, num_features = 0;
  std::vector<double> weights;  // [num_classes x num_features], row-major
  std::vector<double> bias;     // [num_classes]
  double loss = 0;              // final regularized objective
  int iterations = 0;           // L-BFGS iterations run
};

// Fits class scores z = W x + b to `labels` (each in [0, num_classes)) with softmax
// cross-entropy. features: [n x num_features] row-major. Deterministic (see above).
// Errors: kInvalidArgument for mismatched sizes, n == 0, num_classes < 2, a label out of range,
// a negative or non-finite l2, or non-finite features.
StatusOr<LogisticRegressionModel> FitLogisticRegression(const std::vector<double>& features,
                                                        size_t n, int num_features,
                                                        const std::vector<int>& labels,
                                                        int num_classes,
                                                        const LogisticRegressionOptions& options);

// The regularized objective and its gradient at (weights, bias), in FitLogisticRegression's
// layout; gradient holds [weights..., bias...]. Exposed for tests (finite differences and a
// reference gradient-descent solver).
double LogisticRegressionObjective(const std::vector<double>& features, size_t n,
                                   int num_features, const std::vector<int>& labels,
                                   int num_classes, double l2, const std::vector<double>& params,
                                   std::vector<double>* gradient);

}  // namespace hb

#endif  // HB_CALIBRATE_LOGISTIC_REGRESSION_H_
