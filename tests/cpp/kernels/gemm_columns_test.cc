// GemmF32PackedColumns: any split of the output columns reproduces the full GEMM bitwise, which
// is what makes multi-threaded results identical to one thread.
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "kernels/kernels.h"

namespace hb {
namespace {

TEST(GemmF32PackedColumns, AnySplitEqualsFullGemmBitwise) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  for (size_t n : {size_t{1}, size_t{13}, size_t{37}, size_t{100}}) {
    const size_t m = 9, k = 33;
    std::vector<float> a(m * k), w(n * k), bias(n), res(m * n);
    for (float& x : a) x = u(rng);
    for (float& x : w) x = u(rng);
    for (float& x : bias) x = u(rng);
    for (float& x : res) x = u(rng);
    const PackedF32 packed = PackWeightsF32(w.data(), n, k);
    GemmEpilogue ep;
    ep.bias = bias.data();
    ep.residual = res.data();
    ep.ldr = n;
    ep.activation = Activation::kGeluErf;
    std::vector<float> full(m * n), split(m * n, -7.f);
    GemmF32Packed(m, a.data(), k, packed, full.data(), n, ep);
    // Aligned and unaligned cut points.
    for (size_t cut : {size_t{0}, packed.panel, size_t{5}, n / 2, n}) {
      cut = std::min(cut, n);
      GemmF32PackedColumns(m, a.data(), k, packed, 0, cut, split.data(), n, ep);
      GemmF32PackedColumns(m, a.data(), k, packed, cut, n, split.data(), n, ep);
      ASSERT_EQ(split, full) << "n=" << n << " cut=" << cut;
    }
  }
}

}  // namespace
}  // namespace hb
