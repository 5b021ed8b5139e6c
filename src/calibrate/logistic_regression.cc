// Full-batch L-BFGS on the softmax cross-entropy with an L2 penalty. Everything runs in double
// in one fixed order on one thread, so the fitted weights are the same bytes natively and in
// wasm given the same features.
#include "calibrate/logistic_regression.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <string>

namespace hb {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (fdlibm's constants).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLog2E = 1.44269504088896338700e+00;

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double MaxAbs(const std::vector<double>& a) {
  double m = 0;
  for (double v : a) m = std::max(m, std::fabs(v));
  return m;
}

}  // namespace

double DeterministicExp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  // x = k ln2 + r with |r| <= ln2 / 2; exp(r) by its Taylor series to r^16 / 16! (< 1e-17
  // relative at |r| = 0.35), then an exact scaling by 2^k.
  const double k = std::floor(x * kLog2E + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double p = 1.0;
  for (int i = 16; i >= 1; --i) p = 1.0 + p * r / static_cast<double>(i);
  return std::ldexp(p, static_cast<int>(k));
}

double DeterministicLog(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m - 1) / (m + 1),
  // |s| <= 0.172, summed to s^29 (the next term is below 1e-23).
  int e = 0;
  double m = std::frexp(x, &e);
  if (m < 0.70710678118654752440) {
    m *= 2;
    e -= 1;
  }
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double series = 0;
  for (int j = 14; j >= 0; --j) series = 1.0 / static_cast<double>(2 * j + 1) + s2 * series;
  return static_cast<double>(e) * kLn2Hi + (static_cast<double>(e) * kLn2Lo + 2 * s * series);
}

double DeterministicTanh(double x) {
  if (std::isnan(x)) return x;
  const double a = std::fabs(x);
  if (a > 20) return x > 0 ? 1.0 : -1.0;
  double t;
  if (a < 1e-4) {
    t = a - a * a * a / 3;  // avoids the cancellation in (e - 1)
  } else {
    const double e = DeterministicExp(2 * a);
    t = (e - 1) / (e + 1);
  }
  return x < 0 ? -t : t;
}

double LogisticRegressionObjective(const std::vector<double>& features, size_t n,
                                   int num_features, const std::vector<int>& labels,
                                   int num_classes, double l2, const std::vector<double>& params,
                                   std::vector<double>* gradient) {
  const size_t d = static_cast<size_t>(num_features), k = static_cast<size_t>(num_classes);
  const double* w = params.data();
  const double* b = params.data() + k * d;
  if (gradient) gradient->assign(params.size(), 0.0);
  std::vector<double> z(k);
  double loss = 0;
  for (size_t i = 0; i < n; ++i) {
    const double* x = features.data() + i * d;
    double mx = -std::numeric_limits<double>::infinity();
    for (size_t c = 0; c < k; ++c) {
      double s = b[c];
      const double* wc = w + c * d;
      for (size_t j = 0; j < d; ++j) s += wc[j] * x[j];
      z[c] = s;
      mx = std::max(mx, s);
    }
    double sum = 0;
    for (size_t c = 0; c < k; ++c) {
      z[c] = DeterministicExp(z[c] - mx);  // now the unnormalized probability
      sum += z[c];
    }
    const size_t y = static_cast<size_t>(labels[i]);
    // -log p_y = log(sum) - (z_y - mx); z[y] now holds exp(z_y - mx).
    loss += DeterministicLog(sum) - DeterministicLog(z[y]);
    if (gradient) {
      double* g = gradient->data();
      for (size_t c = 0; c < k; ++c) {
        const double r = z[c] / sum - (c == y ? 1.0 : 0.0);
        double* gc = g + c * d;
        for (size_t j = 0; j < d; ++j) gc[j] += r * x[j];
        g[k * d + c] += r;
      }
    }
  }
  const double inv_n = 1.0 / static_cast<double>(n);
  loss *= inv_n;
  double penalty = 0;
  for (size_t i = 0; i < k * d; ++i) penalty += w[i] * w[i];
  loss += 0.5 * l2 * penalty;
  if (gradient) {
    double* g = gradient->data();
    for (size_t i = 0; i < k * d; ++i) g[i] = g[i] * inv_n + l2 * w[i];
    for (size_t c = 0; c < k; ++c) g[k * d + c] *= inv_n;
  }
  return loss;
}

StatusOr<LogisticRegressionModel> FitLogisticRegression(const std::vector<double>& features,
                                                        size_t n, int num_features,
                                                        const std::vector<int>& labels,
                                                        int num_classes,
                                                        const LogisticRegressionOptions& options) {
  if (n == 0) return InvalidArgument("logistic regression needs at least one example");
  if (num_classes < 2) {
    return InvalidArgument("logistic regression needs at least 2 classes, got " +
                           std::to_string(num_classes));
  }
  if (num_features < 1) return InvalidArgument("logistic regression needs at least one feature");
  if (features.size() != n * static_cast<size_t>(num_features) || labels.size() != n) {
    return InvalidArgument("logistic regression: features hold " +
                           std::to_string(features.size()) + " values and labels " +
                           std::to_string(labels.size()) + " for " + std::to_string(n) +
                           " examples of " + std::to_string(num_features) + " features");
  }
  if (!(options.l2 >= 0) || !std::isfinite(options.l2)) {
    return InvalidArgument("l2 must be a finite number >= 0");
  }
  if (options.max_iterations < 0 || options.history < 1) {
    return InvalidArgument("max_iterations must be >= 0 and history >= 1");
  }
  for (size_t i = 0; i < n; ++i) {
    if (labels[i] < 0 || labels[i] >= num_classes) {
      return InvalidArgument("label " + std::to_string(labels[i]) + " of example " +
                             std::to_string(i) + " is outside [0, " +
                             std::to_string(num_classes) + ")");
    }
  }
  for (double v : features) {
    if (!std::isfinite(v)) return InvalidArgument("features must be finite");
  }

  const size_t k = static_cast<size_t>(num_classes), d = static_cast<size_t>(num_features);
  const size_t p = k * d + k;
  auto objective = [&](const std::vector<double>& x, std::vector<double>* g) {
    return LogisticRegressionObjective(features, n, num_features, labels, num_classes,
                                       options.l2, x, g);
  };
  std::vector<double> x(p, 0.0), g, xn(p), gn, dir(p);
  double f = objective(x, &g);
  struct Pair {
    std::vector<double> s, y;
    double rho;
  };
  std::deque<Pair> memory;
  int it = 0;
  for (; it < options.max_iterations; ++it) {
    if (MaxAbs(g) < options.gradient_tolerance) break;
    // Two-loop recursion: dir = -H g.
    for (size_t i = 0; i < p; ++i) dir[i] = -g[i];
    std::vector<double> alpha(memory.size());
    for (size_t m = memory.size(); m-- > 0;) {
      alpha[m] = memory[m].rho * Dot(memory[m].s, dir);
      for (size_t i = 0; i < p; ++i) dir[i] -= alpha[m] * memory[m].y[i];
    }
    if (!memory.empty()) {
      const Pair& last = memory.back();
      const double gamma = Dot(last.s, last.y) / Dot(last.y, last.y);
      for (double& v : dir) v *= gamma;
    } else {
      // First step: unit length in parameter space, then backtracking.
      const double norm = std::sqrt(Dot(g, g));
      for (double& v : dir) v /= std::max(norm, 1.0);
    }
    for (size_t m = 0; m < memory.size(); ++m) {
      const double beta = memory[m].rho * Dot(memory[m].y, dir);
      for (size_t i = 0; i < p; ++i) dir[i] += (alpha[m] - beta) * memory[m].s[i];
    }
    double slope = Dot(g, dir);
    if (!(slope < 0)) {  // not a descent direction: restart from steepest descent
      memory.clear();
      for (size_t i = 0; i < p; ++i) dir[i] = -g[i];
      slope = -Dot(g, g);
    }
    // Backtracking (Armijo) line search.
    double step = 1.0, fn = f;
    bool accepted = false;
    for (int t = 0; t < 50; ++t) {
      for (size_t i = 0; i < p; ++i) xn[i] = x[i] + step * dir[i];
      fn = objective(xn, &gn);
      if (fn <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;  // no decrease possible at double precision: converged
    Pair pair{std::vector<double>(p), std::vector<double>(p), 0};
    for (size_t i = 0; i < p; ++i) {
      pair.s[i] = xn[i] - x[i];
      pair.y[i] = gn[i] - g[i];
    }
    const double sy = Dot(pair.s, pair.y);
    if (sy > 1e-12 * Dot(pair.y, pair.y) && sy > 0) {
      pair.rho = 1.0 / sy;
      memory.push_back(std::move(pair));
      if (memory.size() > static_cast<size_t>(options.history)) memory.pop_front();
    }
    x.swap(xn);
    g.swap(gn);
    f = fn;
  }
  LogisticRegressionModel model;
  model.num_classes = num_classes;
  model.num_features = num_features;
  model.weights.assign(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k * d));
  model.bias.assign(x.begin() + static_cast<std::ptrdiff_t>(k * d), x.end());
  model.loss = f;
  model.iterations = it;
  return model;
}

}  // namespace hb
