// SVD through the Gram matrix (see svd.h). Cyclic Jacobi: sweeps over all (p, q) pairs, each
// rotation zeroing a[p][q], until the off-diagonal mass is negligible. Quadratically convergent;
// 6-10 sweeps in practice.
#include "compress/svd.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hb {

void SymmetricEigen(int n, std::vector<double> a, std::vector<double>* values,
                    std::vector<double>* vectors) {
  const size_t N = static_cast<size_t>(n);
  std::vector<double> v(N * N, 0.0);
  for (size_t i = 0; i < N; ++i) v[i * N + i] = 1.0;
  double total = 0;
  for (double x : a) total += x * x;
  constexpr int kMaxSweeps = 60;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    double off = 0;
    for (size_t p = 0; p < N; ++p) {
      for (size_t q = p + 1; q < N; ++q) off += a[p * N + q] * a[p * N + q];
    }
    if (off <= 1e-30 * total || off == 0) break;
    for (size_t p = 0; p < N; ++p) {
      for (size_t q = p + 1; q < N; ++q) {
        const double apq = a[p * N + q];
        if (apq == 0) continue;
        const double app = a[p * N + p], aqq = a[q * N + q];
        // Skip pairs already negligible against both diagonal entries.
        if (std::abs(apq) < 1e-300 || (sweep > 3 && std::abs(apq) * 1e17 < std::abs(app) &&
                                       std::abs(apq) * 1e17 < std::abs(aqq))) {
          a[p * N + q] = a[q * N + p] = 0;
          continue;
        }
        const double theta = (aqq - app) / (2 * apq);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (size_t k = 0; k < N; ++k) {  // columns p, q: A P
          const double akp = a[k * N + p], akq = a[k * N + q];
          a[k * N + p] = c * akp - s * akq;
          a[k * N + q] = s * akp + c * akq;
        }
        for (size_t k = 0; k < N; ++k) {  // rows p, q: P^T (A P)
          const double apk = a[p * N + k], aqk = a[q * N + k];
          a[p * N + k] = c * apk - s * aqk;
          a[q * N + k] = s * apk + c * aqk;
        }
        a[p * N + q] = a[q * N + p] = 0;
        for (size_t k = 0; k < N; ++k) {  // V P
          const double vkp = v[k * N + p], vkq = v[k * N + q];
          v[k * N + p] = c * vkp - s * vkq;
          v[k * N + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<size_t> order(N);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return a[x * N + x] > a[y * N + y]; });
  values->resize(N);
  vectors->assign(N * N, 0.0);
  for (size_t j = 0; j < N; ++j) {
    (*values)[j] = a[order[j] * N + order[j]];
    for (size_t k = 0; k < N; ++k) (*vectors)[k * N + j] = v[k * N + order[j]];
  }
}

namespace {

// The singular vectors of the other side from an orthonormal basis: V = W^T U / s when the basis
// is U (basis_is_u), U = W V / s otherwise; columns with s ~ 0 are left zero.
void OtherSide(const Svd& svd, const float* w, bool basis_is_u, std::vector<double>* other) {
  const size_t m = static_cast<size_t>(svd.m), n = static_cast<size_t>(svd.n);
  const size_t k = static_cast<size_t>(svd.k);
  const size_t rows = basis_is_u ? n : m;
  other->assign(rows * k, 0.0);
  const double cutoff = (svd.s.empty() ? 0.0 : svd.s[0]) * 1e-12;
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const double x = w[i * n + j];
      if (x == 0) continue;
      // basis U: V[j] += x U[i]; basis V: U[i] += x V[j].
      const double* b = basis_is_u ? &svd.u[i * k] : &svd.v[j * k];
      double* o = basis_is_u ? &(*other)[j * k] : &(*other)[i * k];
      for (size_t c = 0; c < k; ++c) o[c] += x * b[c];
    }
  }
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < k; ++c) {
      (*other)[r * k + c] = svd.s[c] > cutoff ? (*other)[r * k + c] / svd.s[c] : 0.0;
    }
  }
}

}  // namespace

Svd ComputeSvd(int m, int n, const float* w) {
  Svd svd;
  svd.m = m;
  svd.n = n;
  svd.k = std::min(m, n);
  const size_t M = static_cast<size_t>(m), N = static_cast<size_t>(n);
  const bool gram_of_columns = n <= m;  // W^T W (n x n) when n <= m, else W W^T (m x m)
  const size_t g = gram_of_columns ? N : M;
  std::vector<double> gram(g * g, 0.0);
  if (gram_of_columns) {
    for (size_t i = 0; i < M; ++i) {
      const float* row = w + i * N;
      for (size_t p = 0; p < N; ++p) {
        const double x = row[p];
        if (x == 0) continue;
        double* out = &gram[p * N];
        for (size_t q = p; q < N; ++q) out[q] += x * row[q];
      }
    }
  } else {
    for (size_t p = 0; p < M; ++p) {
      for (size_t q = p; q < M; ++q) {
        double acc = 0;
        for (size_t j = 0; j < N; ++j) acc += static_cast<double>(w[p * N + j]) * w[q * N + j];
        gram[p * M + q] = acc;
      }
    }
  }
  for (size_t p = 0; p < g; ++p) {
    for (size_t q = 0; q < p; ++q) gram[p * g + q] = gram[q * g + p];
  }
  std::vector<double> values, vectors;
  SymmetricEigen(static_cast<int>(g), std::move(gram), &values, &vectors);
  svd.s.resize(g);
  for (size_t j = 0; j < g; ++j) svd.s[j] = std::sqrt(std::max(values[j], 0.0));
  if (gram_of_columns) {
    svd.v = std::move(vectors);
    OtherSide(svd, w, false, &svd.u);
  } else {
    svd.u = std::move(vectors);
    OtherSide(svd, w, true, &svd.v);
  }
  return svd;
}

void LowRankFactors(const Svd& svd, const float* w, int rank, std::vector<float>* up,
                    std::vector<float>* down) {
  const size_t m = static_cast<size_t>(svd.m), n = static_cast<size_t>(svd.n);
  const size_t k = static_cast<size_t>(svd.k), r = static_cast<size_t>(rank);
  up->assign(m * r, 0.0f);
  down->assign(r * n, 0.0f);
  if (n <= m) {  // V is the exact eigenbasis: down = V_r^T, up = W V_r
    for (size_t c = 0; c < r; ++c) {
      for (size_t j = 0; j < n; ++j) (*down)[c * n + j] = static_cast<float>(svd.v[j * k + c]);
    }
    for (size_t i = 0; i < m; ++i) {
      for (size_t c = 0; c < r; ++c) {
        double acc = 0;
        for (size_t j = 0; j < n; ++j) acc += static_cast<double>(w[i * n + j]) * svd.v[j * k + c];
        (*up)[i * r + c] = static_cast<float>(acc);
      }
    }
    return;
  }
  // U is the exact eigenbasis: up = U_r, down = U_r^T W.
  for (size_t i = 0; i < m; ++i) {
    for (size_t c = 0; c < r; ++c) (*up)[i * r + c] = static_cast<float>(svd.u[i * k + c]);
  }
  for (size_t c = 0; c < r; ++c) {
    for (size_t j = 0; j < n; ++j) {
      double acc = 0;
      for (size_t i = 0; i < m; ++i) acc += svd.u[i * k + c] * static_cast<double>(w[i * n + j]);
      (*down)[c * n + j] = static_cast<float>(acc);
    }
  }
}

double TruncationError(const Svd& svd, int rank) {
  double total = 0, rest = 0;
  for (size_t i = 0; i < svd.s.size(); ++i) {
    const double e = svd.s[i] * svd.s[i];
    total += e;
    if (static_cast<int>(i) >= rank) rest += e;
  }
  return total > 0 ? std::sqrt(rest / total) : 0.0;
}

int RankForEnergy(const Svd& svd, double energy) {
  double total = 0;
  for (double s : svd.s) total += s * s;
  double kept = 0;
  for (size_t i = 0; i < svd.s.size(); ++i) {
    kept += svd.s[i] * svd.s[i];
    if (kept >= energy * total * (1 - 1e-12)) return static_cast<int>(i) + 1;
  }
  return std::max(1, static_cast<int>(svd.s.size()));
}

}  // namespace hb
