// Singular value decomposition in plain C++ (double precision), for low-rank factorization.
// Method: the eigen-decomposition of the smaller Gram matrix (W^T W or W W^T) by cyclic Jacobi
// rotations. Matrices here are at most a few thousand wide, where this takes seconds.
#ifndef HB_COMPRESS_SVD_H_
#define HB_COMPRESS_SVD_H_

#include <vector>

namespace hb {

// Eigen-decomposition of the symmetric n x n matrix `a` (row-major; only its values are used,
// it is taken by value): a = V diag(values) V^T with values descending and V orthonormal,
// returned row-major in *vectors (column j is the eigenvector of values[j]).
void SymmetricEigen(int n, std::vector<double> a, std::vector<double>* values,
                    std::vector<double>* vectors);

// Thin SVD of the m x n row-major matrix w: w = U diag(s) V^T with k = min(m, n), s descending,
// U [m x k] and V [n x k] row-major with orthonormal columns (for s > 0).
struct Svd {
  int m = 0, n = 0, k = 0;
  std::vector<double> u, s, v;
};
Svd ComputeSvd(int m, int n, const float* w);

// The best rank-r approximation of w (Eckart-Young) as two factors, up [m x r] and down [r x n]
// (row-major fp32), w ~= up * down. One factor is orthonormal and the other is w projected on
// it, so for r = min(m, n) the product is w up to rounding. `svd` must be ComputeSvd(m, n, w).
void LowRankFactors(const Svd& svd, const float* w, int rank, std::vector<float>* up,
                    std::vector<float>* down);

// sqrt(sum_{i >= rank} s_i^2 / sum s_i^2): the relative Frobenius error of the rank-r
// approximation (0 for an all-zero matrix).
double TruncationError(const Svd& svd, int rank);

// The smallest rank whose singular values keep `energy` (in (0, 1]) of sum s_i^2 (at least 1).
int RankForEnergy(const Svd& svd, double energy);

}  // namespace hb

#endif  // HB_COMPRESS_SVD_H_
