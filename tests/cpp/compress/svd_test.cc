// The SVD against reconstruction and known spectra on random matrices (compress/svd.h).
#include "compress/svd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace hb {
namespace {

std::vector<float> RandomMatrix(int m, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> w(static_cast<size_t>(m) * n);
  for (float& x : w) x = dist(rng);
  return w;
}

double FrobeniusDiff(const std::vector<float>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s);
}

double Frobenius(const std::vector<float>& a) {
  double s = 0;
  for (float x : a) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

class SvdShapes : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(SvdShapes, ReconstructsAndIsOrthonormal) {
  const auto [m, n] = GetParam();
  const std::vector<float> w = RandomMatrix(m, n, static_cast<unsigned>(m * 131 + n));
  const Svd svd = ComputeSvd(m, n, w.data());
  const int k = std::min(m, n);
  ASSERT_EQ(svd.k, k);
  ASSERT_EQ(svd.s.size(), static_cast<size_t>(k));
  for (int i = 1; i < k; ++i) EXPECT_GE(svd.s[i - 1], svd.s[i]);
  std::vector<double> rec(static_cast<size_t>(m) * n, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      for (int c = 0; c < k; ++c) rec[i * n + j] += svd.u[i * k + c] * svd.s[c] * svd.v[j * k + c];
    }
  }
  EXPECT_LT(FrobeniusDiff(w, rec), 1e-9 * Frobenius(w));
  for (const auto& [basis, rows] : {std::pair{&svd.u, m}, std::pair{&svd.v, n}}) {
    for (int p = 0; p < k; ++p) {
      for (int q = 0; q < k; ++q) {
        double dot = 0;
        for (int r = 0; r < rows; ++r) dot += (*basis)[r * k + p] * (*basis)[r * k + q];
        EXPECT_NEAR(dot, p == q ? 1.0 : 0.0, 1e-9) << p << "," << q;
      }
    }
  }
  // Full-rank factors reproduce w (one factor orthonormal, the other w projected on it).
  std::vector<float> up, down;
  LowRankFactors(svd, w.data(), k, &up, &down);
  std::vector<double> prod(static_cast<size_t>(m) * n, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      for (int c = 0; c < k; ++c)
        prod[i * n + j] += static_cast<double>(up[i * k + c]) * down[c * n + j];
    }
  }
  EXPECT_LT(FrobeniusDiff(w, prod), 1e-5 * Frobenius(w));
  // Truncation: the error of the rank-r product is what the singular values say.
  const int r = std::max(1, k / 3);
  LowRankFactors(svd, w.data(), r, &up, &down);
  std::fill(prod.begin(), prod.end(), 0.0);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      for (int c = 0; c < r; ++c)
        prod[i * n + j] += static_cast<double>(up[i * r + c]) * down[c * n + j];
    }
  }
  EXPECT_NEAR(FrobeniusDiff(w, prod) / Frobenius(w), TruncationError(svd, r), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Random, SvdShapes,
                         ::testing::Values(std::pair{1, 1}, std::pair{7, 5}, std::pair{5, 9},
                                           std::pair{40, 40}, std::pair{96, 32},
                                           std::pair{24, 130}));

TEST(SvdTest, KnownSpectrum) {
  // w = Q1 diag(s) Q2^T with orthonormal Q1, Q2 from the eigenvectors of random symmetric
  // matrices: the SVD must return s.
  const int m = 12, n = 8;
  auto orthonormal = [](int size, unsigned seed) {
    const std::vector<float> r = RandomMatrix(size, size, seed);
    std::vector<double> sym(static_cast<size_t>(size) * size);
    for (int i = 0; i < size; ++i) {
      for (int j = 0; j < size; ++j) sym[i * size + j] = r[i * size + j] + r[j * size + i];
    }
    std::vector<double> values, vectors;
    SymmetricEigen(size, sym, &values, &vectors);
    return vectors;
  };
  const std::vector<double> q1 = orthonormal(m, 1), q2 = orthonormal(n, 2);
  const double s[n] = {9, 7, 5, 3, 2, 1, 0.5, 0};
  std::vector<float> w(static_cast<size_t>(m) * n, 0.0f);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double acc = 0;
      for (int c = 0; c < n; ++c) acc += q1[i * m + c] * s[c] * q2[j * n + c];
      w[i * n + j] = static_cast<float>(acc);
    }
  }
  const Svd svd = ComputeSvd(m, n, w.data());
  for (int c = 0; c < n; ++c) EXPECT_NEAR(svd.s[c], s[c], 1e-5) << c;
  EXPECT_EQ(RankForEnergy(svd, 1.0), 7);  // the zero singular value carries no energy
  const double total = 81 + 49 + 25 + 9 + 4 + 1 + 0.25;
  // (w is stored in fp32: energies a hair below the exact boundaries.)
  EXPECT_EQ(RankForEnergy(svd, 81 / total - 1e-6), 1);
  EXPECT_EQ(RankForEnergy(svd, 81 / total + 1e-6), 2);
  EXPECT_EQ(RankForEnergy(svd, 130 / total - 1e-6), 2);
  EXPECT_NEAR(TruncationError(svd, 2), std::sqrt((total - 130) / total), 1e-6);
}

TEST(SvdTest, SymmetricEigenDiagonalizes) {
  const int n = 30;
  const std::vector<float> r = RandomMatrix(n, n, 7);
  std::vector<double> a(static_cast<size_t>(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) a[i * n + j] = r[i * n + j] + r[j * n + i];
  }
  std::vector<double> values, v;
  SymmetricEigen(n, a, &values, &v);
  for (int c = 0; c < n; ++c) {  // A v_c = lambda_c v_c
    for (int i = 0; i < n; ++i) {
      double av = 0;
      for (int j = 0; j < n; ++j) av += a[i * n + j] * v[j * n + c];
      EXPECT_NEAR(av, values[c] * v[i * n + c], 1e-9);
    }
  }
}

}  // namespace
}  // namespace hb
