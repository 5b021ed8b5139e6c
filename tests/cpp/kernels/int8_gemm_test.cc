// int8 GEMMs against the scalar twins on every SIMD target: bit-exact int32 accumulators on
// odd shapes and strides (int8 extremes included), fp32 epilogues within 1e-6 relative, rows
// independent of the batch (bitwise), and the documented error of quantize -> int8 GEMM
// against the fp32 product.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/int8_kernels.h"
#include "kernels/int8_reference.h"
#include "kernels/reference.h"
#include "kernels_test_util.h"

namespace hb {
namespace {

using test::ForEachTarget;
using test::Rng;
using test::SameBits;

constexpr size_t kSizes[] = {1, 2, 3, 5, 7, 13, 31, 33, 64, 65, 100, 127};

// Uniform int8 in [lo, hi] from the test Rng.
std::vector<int8_t> RandomInt8(Rng& rng, size_t size, int lo = -128, int hi = 127) {
  std::vector<int8_t> v(size);
  for (int8_t& x : v) {
    x = static_cast<int8_t>(std::min(
        hi, lo + static_cast<int>(rng.Uniform(0.0f, 1.0f) * static_cast<float>(hi - lo + 1))));
  }
  return v;
}

// Dense copy of an [n x k] matrix with leading dimension ld.
template <typename T>
std::vector<T> Dense(const std::vector<T>& v, size_t n, size_t k, size_t ld) {
  std::vector<T> out(n * k);
  for (size_t j = 0; j < n; ++j)
    std::copy(v.begin() + j * ld, v.begin() + j * ld + k, out.begin() + j * k);
  return out;
}

TEST(Int8GemmTest, AccumulatorsBitExactOnAllShapes) {
  size_t checked = 0;
  for (size_t m : kSizes) {
    for (size_t n : kSizes) {
      for (size_t k : kSizes) {
        const size_t lda = k + 3, ldacc = n + 2;
        Rng rng(static_cast<uint32_t>(m * 10007 + n * 101 + k));
        const std::vector<int8_t> a = RandomInt8(rng, m * lda);
        const std::vector<int8_t> w = RandomInt8(rng, n * k);
        const std::vector<float> scales(n, 1.0f);
        std::vector<int32_t> ref(m * ldacc, 0);
        RefGemmInt8Accumulate(m, n, k, a.data(), lda, w.data(), k, ref.data(), ldacc);
        const PackedInt8 pw = PackInt8Weights(w.data(), scales.data(), n, k);
        ForEachTarget([&] {
          std::vector<int32_t> got(m * ldacc, 0x5A5A5A5A);
          GemmInt8PackedAccumulate(m, a.data(), lda, pw, got.data(), ldacc);
          for (size_t i = 0; i < m; ++i) {
            for (size_t j = 0; j < ldacc; ++j) {
              const int32_t want = j < n ? ref[i * ldacc + j] : 0x5A5A5A5A;  // padding untouched
              ASSERT_EQ(got[i * ldacc + j], want)
                  << "m " << m << " n " << n << " k " << k << " at (" << i << ", " << j << ")";
            }
          }
          ++checked;
        });
      }
    }
  }
  std::printf("checked %zu shape x target combinations on %s\n", checked,
              test::AllTargetNames().c_str());
}

// The largest sums: every product (-128) * (-128) = 16384, k = 4099 -> 67 M, exact in int32.
TEST(Int8GemmTest, ExtremeValuesDoNotOverflow) {
  const size_t m = 5, n = 9, k = 4099;
  std::vector<int8_t> a(m * k, -128), w(n * k, -128);
  for (size_t p = 0; p < k; p += 3) w[p] = 127;  // row 0 mixes signs
  const std::vector<float> scales(n, 1.0f);
  std::vector<int32_t> ref(m * n);
  RefGemmInt8Accumulate(m, n, k, a.data(), k, w.data(), k, ref.data(), n);
  const PackedInt8 pw = PackInt8Weights(w.data(), scales.data(), n, k);
  ForEachTarget([&] {
    std::vector<int32_t> got(m * n);
    GemmInt8PackedAccumulate(m, a.data(), k, pw, got.data(), n);
    EXPECT_EQ(got, ref);
    EXPECT_EQ(got[n - 1], 16384 * static_cast<int32_t>(k));
  });
}

TEST(Int8GemmTest, EmptyShapes) {
  const std::vector<int8_t> a(64, 1), w(64, 1);
  const std::vector<float> s(8, 1.0f);
  ForEachTarget([&] {
    const PackedInt8 pk0 = PackInt8Weights(w.data(), s.data(), 8, 0);
    std::vector<int32_t> acc(8 * 8, 7);
    GemmInt8PackedAccumulate(3, a.data(), 8, pk0, acc.data(), 8);  // k = 0: all zeros
    for (size_t t = 0; t < 24; ++t) EXPECT_EQ(acc[t], 0);
    const PackedInt8 pn0 = PackInt8Weights(w.data(), s.data(), 0, 8);
    GemmInt8PackedAccumulate(3, a.data(), 8, pn0, acc.data(), 8);  // n = 0: no-op
    float c = 5.0f;
    GemmInt8Packed(0, a.data(), 8, s.data(), pk0, &c, 1, GemmEpilogue());  // m = 0: no-op
    EXPECT_EQ(c, 5.0f);
  });
}

struct EpilogueCase {
  GemmEpilogue ep;
  std::vector<float> bias, res;
};

EpilogueCase MakeEpilogue(int combo, size_t m, size_t n, size_t ldr, Rng& rng) {
  EpilogueCase e;
  e.bias = rng.Vec(n);
  e.res = rng.Vec(m * ldr);
  if (combo % 2) e.ep.bias = e.bias.data();
  e.ep.activation = static_cast<Activation>(combo % 5);
  if (combo % 3 == 1) {
    e.ep.residual = e.res.data();
    e.ep.ldr = ldr;
  }
  e.ep.alpha = combo % 4 == 3 ? 0.125f : 1.0f;
  return e;
}

// 1e-6 relative: the scale and bias steps are the same float ops in the same order as the
// reference; only the vector activation (polynomial erf/tanh, ~3e-7) and the residual
// rounding differ.
void ExpectClose(const std::vector<float>& got, const std::vector<float>& want, size_t m, size_t n,
                 size_t ldc, const char* what) {
  int bad = 0;
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const float g = got[i * ldc + j], w = want[i * ldc + j];
      const float tol = 1e-6f * std::max(1.0f, std::fabs(w));
      if (!(std::fabs(g - w) <= tol) && bad++ < 3) {
        ADD_FAILURE() << what << " (" << i << ", " << j << "): got " << g << " want " << w;
      }
    }
  }
}

TEST(Int8GemmTest, EpiloguesMatchReference) {
  int combo = 0;
  for (size_t m : {1, 3, 5, 13, 33}) {
    for (size_t n : {1, 7, 13, 33, 65}) {
      for (size_t k : {1, 5, 31, 64, 127}) {
        ++combo;
        const size_t lda = k + 1, ldc = n + combo % 3;
        Rng rng(static_cast<uint32_t>(combo));
        const std::vector<int8_t> a = RandomInt8(rng, m * lda, -127, 127);
        const std::vector<int8_t> w = RandomInt8(rng, n * k, -127, 127);
        const std::vector<float> a_s = rng.Vec(m, 0.001f, 0.02f), w_s = rng.Vec(n, 0.001f, 0.02f);
        EpilogueCase e = MakeEpilogue(combo, m, n, n + 1, rng);
        std::vector<float> ref(m * ldc, 0.0f);
        RefGemmInt8(m, n, k, a.data(), lda, a_s.data(), w.data(), k, w_s.data(), ref.data(), ldc,
                    e.ep);
        const PackedInt8 pw = PackInt8Weights(w.data(), w_s.data(), n, k);
        ForEachTarget([&] {
          std::vector<float> got(m * ldc, 0.0f);
          GemmInt8Packed(m, a.data(), lda, a_s.data(), pw, got.data(), ldc, e.ep);
          ExpectClose(got, ref, m, n, ldc, "Packed");
          // The same product through the attention entry point (B packed per call).
          const size_t ldb = k + 2;
          std::vector<int8_t> b(n * ldb, 0);
          for (size_t j = 0; j < n; ++j) std::copy(&w[j * k], &w[j * k] + k, &b[j * ldb]);
          std::fill(got.begin(), got.end(), 0.0f);
          GemmInt8TransB(m, n, k, a.data(), lda, a_s.data(), b.data(), ldb, w_s.data(), got.data(),
                         ldc, e.ep);
          ExpectClose(got, ref, m, n, ldc, "TransB");
        });
      }
    }
  }
}

// Long k splits A into several row chunks (the widened A of a chunk has a byte budget) and
// n > 256 into several column blocks with a partial last panel: every seam of the blocking,
// against the scalar twins.
TEST(Int8GemmTest, ChunksAndColumnBlocksMatchReference) {
  const size_t m = 90, n = 300, k = 2999, lda = k + 5;
  Rng rng(2024);
  const std::vector<int8_t> a = RandomInt8(rng, m * lda, -127, 127);
  const std::vector<int8_t> w = RandomInt8(rng, n * k, -127, 127);
  const std::vector<float> a_s = rng.Vec(m, 0.001f, 0.02f), w_s = rng.Vec(n, 0.001f, 0.02f);
  std::vector<int32_t> ref_acc(m * n, 0);
  RefGemmInt8Accumulate(m, n, k, a.data(), lda, w.data(), k, ref_acc.data(), n);
  EpilogueCase e = MakeEpilogue(5, m, n, n, rng);
  std::vector<float> ref(m * n, 0.0f);
  RefGemmInt8(m, n, k, a.data(), lda, a_s.data(), w.data(), k, w_s.data(), ref.data(), n, e.ep);
  const PackedInt8 pw = PackInt8Weights(w.data(), w_s.data(), n, k);
  ForEachTarget([&] {
    std::vector<int32_t> acc(m * n, 0x5A5A5A5A);
    GemmInt8PackedAccumulate(m, a.data(), lda, pw, acc.data(), n);
    ASSERT_EQ(acc, ref_acc);
    std::vector<float> got(m * n, 0.0f);
    GemmInt8Packed(m, a.data(), lda, a_s.data(), pw, got.data(), n, e.ep);
    ExpectClose(got, ref, m, n, n, "Packed");
  });
}

// The batching code relies on this: a row's output bits do not depend on m or the other rows.
TEST(Int8GemmTest, RowAloneEqualsRowInBatchBitwise) {
  const size_t m = 37, n = 45, k = 77;
  Rng rng(99);
  const std::vector<float> x = rng.Vec(m * k), wf = rng.Vec(n * k);
  std::vector<int8_t> a(m * k);
  std::vector<float> a_s(m);
  QuantizeRowsInt8(m, k, x.data(), k, a.data(), k, a_s.data());
  const PackedInt8 pw = QuantizePackWeightsInt8(wf.data(), n, k);
  for (int combo = 0; combo < 12; ++combo) {
    EpilogueCase e = MakeEpilogue(combo, m, n, n, rng);
    ForEachTarget([&] {
      std::vector<float> batch(m * n), one(n);
      GemmInt8Packed(m, a.data(), k, a_s.data(), pw, batch.data(), n, e.ep);
      for (size_t i = 0; i < m; ++i) {
        GemmEpilogue ep1 = e.ep;
        if (ep1.residual) ep1.residual += i * ep1.ldr;
        GemmInt8Packed(1, a.data() + i * k, k, a_s.data() + i, pw, one.data(), n, ep1);
        for (size_t j = 0; j < n; ++j) {
          ASSERT_TRUE(SameBits(one[j], batch[i * n + j])) << "combo " << combo << " row " << i;
        }
      }
    });
  }
}

// Quantize both sides (per row / per output channel, symmetric, round to nearest) and compare
// with the exact fp32 product. Each element obeys the rigorous bound
//   |C - Cq| <= (sa/2) sum|w| + (sw/2) sum|x| + k (sa/2)(sw/2)   (sa, sw: the two scales),
// and on uniform random data the relative Frobenius error is ~0.5% (expected
// sqrt(2) / (2 * 127) = 0.56% when max|x| ~ 1); the test asserts < 1%.
TEST(Int8GemmTest, QuantizedGemmErrorAgainstFp32) {
  const size_t m = 17, n = 96, k = 384;
  Rng rng(2024);
  const std::vector<float> x = rng.Vec(m * k), w = rng.Vec(n * k);
  std::vector<float> exact(m * n);
  RefGemmF32TransB(m, n, k, x.data(), k, w.data(), k, exact.data(), n, GemmEpilogue());
  ForEachTarget([&] {
    std::vector<int8_t> a(m * k);
    std::vector<float> a_s(m), c(m * n);
    QuantizeRowsInt8(m, k, x.data(), k, a.data(), k, a_s.data());
    const PackedInt8 pw = QuantizePackWeightsInt8(w.data(), n, k);
    GemmInt8Packed(m, a.data(), k, a_s.data(), pw, c.data(), n, GemmEpilogue());
    double err2 = 0.0, ref2 = 0.0;
    for (size_t i = 0; i < m; ++i) {
      for (size_t j = 0; j < n; ++j) {
        double sx = 0.0, sw = 0.0;
        for (size_t p = 0; p < k; ++p) {
          sx += std::fabs(x[i * k + p]);
          sw += std::fabs(w[j * k + p]);
        }
        const double ha = a_s[i] / 2.0, hw = pw.scales[j] / 2.0;
        const double bound = ha * sw + hw * sx + double(k) * ha * hw;
        const double d = double{c[i * n + j]} - double{exact[i * n + j]};
        ASSERT_LE(std::fabs(d), bound * (1.0 + 1e-5) + 1e-5) << "(" << i << ", " << j << ")";
        err2 += d * d;
        ref2 += double{exact[i * n + j]} * exact[i * n + j];
      }
    }
    const double rel = std::sqrt(err2 / ref2);
    EXPECT_LT(rel, 0.01);
    std::printf("quantized GEMM relative Frobenius error: %.4f%%\n", 100.0 * rel);
  });
}

}  // namespace
}  // namespace hb
