// QuantizeRowsInt8 against its scalar twin, bit for bit (int8 values and scales), on every
// SIMD target: odd lengths, strides, ties that must round to even, zero rows, and no writes
// past k.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "kernels/int8_kernels.h"
#include "kernels/int8_reference.h"
#include "kernels_test_util.h"

namespace hb {
namespace {

using test::ForEachTarget;
using test::Rng;
using test::SameBits;

constexpr size_t kSizes[] = {0, 1, 2, 3, 5, 7, 8, 13, 15, 16, 17, 31, 33, 64, 65, 100, 127, 384};

void ExpectQuantizeMatches(size_t m, size_t k, const std::vector<float>& x, size_t ldx) {
  const size_t ldq = k + 5;
  std::vector<int8_t> q(m * ldq, 99), ref_q(m * ldq, 99);
  std::vector<float> s(m, -1.0f), ref_s(m, -1.0f);
  RefQuantizeRowsInt8(m, k, x.data(), ldx, ref_q.data(), ldq, ref_s.data());
  QuantizeRowsInt8(m, k, x.data(), ldx, q.data(), ldq, s.data());
  for (size_t i = 0; i < m; ++i) {
    ASSERT_TRUE(SameBits(s[i], ref_s[i])) << "row " << i << " k " << k;
    for (size_t p = 0; p < ldq; ++p) {
      ASSERT_EQ(int{q[i * ldq + p]}, int{ref_q[i * ldq + p]})
          << "row " << i << " col " << p << " k " << k << " x " << (p < k ? x[i * ldx + p] : 0);
    }
  }
}

TEST(Int8QuantizeTest, MatchesReferenceBitwise) {
  ForEachTarget([] {
    for (size_t k : kSizes) {
      for (size_t m : {1, 3, 6}) {
        const size_t ldx = k + 3;
        Rng rng(static_cast<uint32_t>(k * 31 + m));
        std::vector<float> x = rng.Vec(m * ldx, -3.0f, 3.0f);
        if (m > 1) {  // an all-zero row and a row with one huge value
          for (size_t p = 0; p < k; ++p) x[ldx + p] = 0.0f;
          if (k > 0) x[2 * ldx + k / 2] = 1e6f;
        }
        ExpectQuantizeMatches(m, k, x, ldx);
      }
    }
  });
}

// Many random rows: products x * 127/amax land within an ulp of a .5 tie every ~40k values, so
// this catches any target that rounds differently (e.g. an FMA-contracted x * inv + magic).
TEST(Int8QuantizeTest, LargeRandomMatrixBitwise) {
  const size_t m = 1024, k = 384;
  Rng rng(2024);
  const std::vector<float> x = rng.Vec(m * k);
  ForEachTarget([&] { ExpectQuantizeMatches(m, k, x, k); });
}

// amax = 127 makes the multiplier exactly 1, so these inputs land on (or one ulp beside) the
// rounding boundaries: half-to-even, and 0.49999997 must round down (Highway 1.0.3's SCALAR
// NearestInt gets this one wrong, which is why quantize.cc rounds by the 1.5*2^23 trick).
TEST(Int8QuantizeTest, TiesRoundHalfToEven) {
  const std::vector<float> row = {
      127.0f,     0.5f,    1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 126.5f, 0.49999997f, -0.49999997f,
      1.4999999f, -127.0f, 3.5f, 4.5f, 5.5f,  6.5f,  7.5f,  8.5f,   9.5f,        10.5f};
  const std::vector<int> want = {127, 0,    2, 2, 0, -2, -2, 126, 0,  0,
                                 1,   -127, 4, 4, 6, 6,  8,  8,   10, 10};
  ForEachTarget([&] {
    std::vector<int8_t> q(row.size());
    float s = 0.0f;
    QuantizeRowsInt8(1, row.size(), row.data(), row.size(), q.data(), row.size(), &s);
    EXPECT_EQ(s, 1.0f);
    for (size_t p = 0; p < row.size(); ++p) EXPECT_EQ(int{q[p]}, want[p]) << "x " << row[p];
    ExpectQuantizeMatches(1, row.size(), row, row.size());
  });
}

TEST(Int8QuantizeTest, PackedWeightsKeepScalesAndColumnSums) {
  const size_t n = 13, k = 37;
  Rng rng(7);
  const std::vector<float> w = rng.Vec(n * k);
  std::vector<int8_t> q(n * k);
  std::vector<float> s(n);
  RefQuantizeRowsInt8(n, k, w.data(), k, q.data(), k, s.data());
  ForEachTarget([&] {
    const PackedInt8 p = QuantizePackWeightsInt8(w.data(), n, k);
    ASSERT_EQ(p.n, n);
    ASSERT_EQ(p.k, k);
    ASSERT_EQ(p.k_padded, Int8PaddedK(k));
    ASSERT_EQ(p.k_padded % kInt8KAlign, 0u);
    ASSERT_EQ(p.data.size(), 16 * p.k_padded);  // two panels of 8 columns
    for (size_t j = 0; j < n; ++j) {
      EXPECT_TRUE(SameBits(p.scales[j], s[j]));
      int32_t sum = 0;
      for (size_t t = 0; t < k; ++t) {
        sum += q[j * k + t];
        // The documented layout, element by element.
        EXPECT_EQ(p.data[(j / 8) * 8 * p.k_padded + (t / 2) * 16 + (j % 8) * 2 + t % 2],
                  q[j * k + t]);
      }
      EXPECT_EQ(p.col_sums[j], sum);
    }
  });
}

// SoftmaxRowsInt8 against its double-precision twin: the polynomial exp may move a p by one
// step near a rounding boundary and the scale by the matching amount; -inf entries give 0;
// x is untouched and nothing past cols is written.
TEST(Int8SoftmaxTest, MatchesReference) {
  ForEachTarget([] {
    Rng rng(7);
    for (size_t cols : {1, 2, 3, 5, 8, 13, 31, 64, 100, 128, 257}) {
      const size_t rows = 5, ldx = cols + 3, ldp = cols + 2;
      std::vector<float> x = rng.Vec(rows * ldx, -12.0f, 12.0f);
      if (cols > 2) x[1 * ldx + 1] = -INFINITY;  // a masked key
      const std::vector<float> x0 = x;
      std::vector<int8_t> p(rows * ldp, 99), ref_p(rows * ldp, 99);
      std::vector<float> s(rows), ref_s(rows);
      RefSoftmaxRowsInt8(rows, cols, x.data(), ldx, ref_p.data(), ldp, ref_s.data());
      SoftmaxRowsInt8(rows, cols, x.data(), ldx, p.data(), ldp, s.data());
      ASSERT_EQ(x, x0);
      for (size_t r = 0; r < rows; ++r) {
        int total = 0;
        for (size_t i = 0; i < ldp; ++i) {
          const int got = p[r * ldp + i], want = ref_p[r * ldp + i];
          if (i >= cols) {
            ASSERT_EQ(got, 99) << "wrote past cols at " << i;
            continue;
          }
          ASSERT_LE(std::abs(got - want), 1) << "row " << r << " col " << i << " cols " << cols;
          ASSERT_GE(got, 0);
          total += got;
        }
        ASSERT_GE(total, 126);  // the max entry alone gives 127 (126 if its exp rounds down)
        EXPECT_FLOAT_EQ(s[r], 1.0f / static_cast<float>(total));
        EXPECT_NEAR(s[r], ref_s[r], ref_s[r] * 0.02);
      }
      if (cols > 2) EXPECT_EQ(int{p[1 * ldp + 1]}, 0);
    }
    // A row of only -inf (nothing to attend to): zeros and scale 0, no NaN.
    const std::vector<float> masked(4, -INFINITY);
    std::vector<int8_t> p(4, 99);
    float s = -1.0f;
    SoftmaxRowsInt8(1, 4, masked.data(), 4, p.data(), 4, &s);
    EXPECT_EQ(p, std::vector<int8_t>(4, 0));
    EXPECT_EQ(s, 0.0f);
  });
}

}  // namespace
}  // namespace hb
