// 7-bit asymmetric activations and the run-time quad kernel (int8_kernels.h): QuantizeRowsU7
// against its scalar twin on every target, its rounding error, GemmU7Packed against a plain
// computation of the documented formula, the quad layout through an installed kernel giving
// the same bits as the pair layout, and the install self-test rejecting wrong kernels.
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

constexpr size_t kSizes[] = {1, 2, 3, 5, 7, 8, 13, 31, 33, 64, 100};

// Rows that stress the range rule: mixed signs, all positive (post-GELU-like), all negative,
// all zero, one outlier.
std::vector<float> TestRows(Rng& rng, size_t m, size_t k, size_t ld) {
  std::vector<float> x(m * ld, 1e30f);  // never read past k
  for (size_t i = 0; i < m; ++i) {
    for (size_t p = 0; p < k; ++p) {
      float v = rng.Uniform(-3.0f, 3.0f);
      switch (i % 5) {
        case 1:
          v = std::fabs(v);
          break;
        case 2:
          v = -std::fabs(v) - 0.5f;
          break;
        case 3:
          v = 0.0f;
          break;
        case 4:
          v = p == k / 2 ? 40.0f : v * 0.1f;
          break;
        default:
          break;
      }
      x[i * ld + p] = v;
    }
  }
  return x;
}

TEST(Int8U7Test, QuantizeMatchesScalarTwinOnEveryTarget) {
  for (size_t m : {1, 5, 11}) {
    for (size_t k : kSizes) {
      Rng rng(static_cast<uint32_t>(m * 131 + k));
      const size_t ld = k + 3;
      const std::vector<float> x = TestRows(rng, m, k, ld);
      std::vector<int8_t> ref(m * ld, 99);
      std::vector<float> ref_scales(m);
      std::vector<int32_t> ref_zero(m);
      RefQuantizeRowsU7(m, k, x.data(), ld, ref.data(), ld, ref_scales.data(), ref_zero.data());
      ForEachTarget([&] {
        std::vector<int8_t> got(m * ld, 99);
        std::vector<float> scales(m);
        std::vector<int32_t> zero(m);
        QuantizeRowsU7(m, k, x.data(), ld, got.data(), ld, scales.data(), zero.data());
        EXPECT_EQ(got, ref) << "m=" << m << " k=" << k;  // bytes past k stay 99 in both
        EXPECT_EQ(scales, ref_scales);
        EXPECT_EQ(zero, ref_zero);
      });
    }
  }
}

TEST(Int8U7Test, QuantizeErrorIsHalfAStep) {
  Rng rng(7);
  const size_t m = 10, k = 77;
  const std::vector<float> x = TestRows(rng, m, k, k);
  std::vector<int8_t> u(m * k);
  std::vector<float> scales(m);
  std::vector<int32_t> zero(m);
  QuantizeRowsU7(m, k, x.data(), k, u.data(), k, scales.data(), zero.data());
  for (size_t i = 0; i < m; ++i) {
    EXPECT_GE(zero[i], 0);
    EXPECT_LE(zero[i], 127);
    for (size_t p = 0; p < k; ++p) {
      const int v = u[i * k + p];
      ASSERT_GE(v, 0);
      ASSERT_LE(v, 127);
      const float back = scales[i] * static_cast<float>(v - zero[i]);
      // half a step from rounding x, half a step from rounding the zero point
      EXPECT_LE(std::fabs(back - x[i * k + p]), scales[i] * 1.0001f + 1e-7f)
          << "row " << i << " p " << p;
    }
    if (i % 5 == 3) EXPECT_EQ(scales[i], 0.0f);  // all-zero row
  }
}

// c = act(float(acc - z * colsum) * (s_a * (alpha * s_w)) + bias) + residual, plainly.
std::vector<float> ExpectedU7(size_t m, size_t n, size_t k, const std::vector<int8_t>& u,
                              size_t lda, const std::vector<float>& sa,
                              const std::vector<int32_t>& za, const std::vector<int8_t>& w,
                              const std::vector<float>& sw, const GemmEpilogue& ep) {
  std::vector<int32_t> acc(m * n);
  RefGemmInt8Accumulate(m, n, k, u.data(), lda, w.data(), k, acc.data(), n);
  std::vector<float> c(m * n);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      int32_t colsum = 0;
      for (size_t p = 0; p < k; ++p) colsum += w[j * k + p];
      float v = static_cast<float>(acc[i * n + j] - za[i] * colsum) * (sa[i] * (ep.alpha * sw[j]));
      if (ep.bias) v += ep.bias[j];
      double y = RefActivation(ep.activation, double{v});
      if (ep.residual) y += double{ep.residual[i * ep.ldr + j]};
      c[i * n + j] = static_cast<float>(y);
    }
  }
  return c;
}

struct U7Case {
  size_t m, n, k, lda;
  std::vector<int8_t> u, w;
  std::vector<float> sa, sw, bias, residual;
  std::vector<int32_t> za;
};

U7Case MakeCase(size_t m, size_t n, size_t k) {
  U7Case t{m, n, k, Int8PaddedK(k) + 2, {}, {}, {}, {}, {}, {}, {}};
  Rng rng(static_cast<uint32_t>(m * 7919 + n * 31 + k));
  const std::vector<float> x = TestRows(rng, m, k, k);
  t.u.assign(m * t.lda, 0);  // zero past k: GemmU7Packed's contract
  t.sa.resize(m);
  t.za.resize(m);
  QuantizeRowsU7(m, k, x.data(), k, t.u.data(), t.lda, t.sa.data(), t.za.data());
  t.w.resize(n * k);
  for (int8_t& v : t.w) v = static_cast<int8_t>(std::lround(rng.Uniform(-128.0f, 127.0f)));
  t.sw = rng.Vec(n, 0.001f, 0.02f);
  t.bias = rng.Vec(n);
  t.residual = rng.Vec(m * n);
  return t;
}

TEST(Int8U7Test, GemmMatchesFormulaWithBuiltInKernel) {
  for (size_t m : {1, 4, 5, 9}) {
    for (size_t n : kSizes) {
      for (size_t k : {1, 3, 8, 31, 64, 100}) {
        const U7Case t = MakeCase(m, n, k);
        GemmEpilogue ep;
        ep.bias = t.bias.data();
        ep.activation = Activation::kGeluErf;
        ep.residual = t.residual.data();
        ep.ldr = n;
        const std::vector<float> want = ExpectedU7(m, n, k, t.u, t.lda, t.sa, t.za, t.w, t.sw, ep);
        const PackedInt8 pw = PackInt8Weights(t.w.data(), t.sw.data(), n, k);
        ForEachTarget([&] {
          std::vector<float> got(m * n, 1e30f);
          GemmU7Packed(m, t.u.data(), t.lda, t.sa.data(), t.za.data(), pw, got.data(), n, ep);
          for (size_t e = 0; e < got.size(); ++e) {
            ASSERT_NEAR(got[e], want[e], 1e-5f * (1.0f + std::fabs(want[e])))
                << "m=" << m << " n=" << n << " k=" << k << " e=" << e;
          }
        });
      }
    }
  }
}

// The quad kernel's contract written as a test double; and broken variants the self-test
// must refuse.
void SaturatingKernel(const int8_t* u, size_t lda, const int8_t* panels, size_t kp, int32_t* acc,
                      size_t ldacc, size_t m, size_t panel_count) {
  RefInt8QuadKernel(u, lda, panels, kp, acc, ldacc, m, panel_count);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < panel_count * 8; ++j) {
      int32_t& v = acc[i * ldacc + j];
      v = std::max(-32768, std::min(32767, v));  // 16-bit saturation: an older draft's semantics
    }
  }
}
void SignedActivationKernel(const int8_t* u, size_t lda, const int8_t* panels, size_t kp,
                            int32_t* acc, size_t ldacc, size_t m, size_t panel_count) {
  RefInt8QuadKernel(u, lda, panels, kp, acc, ldacc, m, panel_count);
  if (m > 0 && u[0] == 127) acc[0] += 1;  // wrong only for some inputs
}
void OverwritingKernel(const int8_t* u, size_t lda, const int8_t* panels, size_t kp, int32_t* acc,
                       size_t ldacc, size_t m, size_t panel_count) {
  RefInt8QuadKernel(u, lda, panels, kp, acc, ldacc, m, panel_count);
  acc[m * ldacc] = 0;  // one word past the last row
}

TEST(Int8U7Test, InstallRefusesWrongKernels) {
  EXPECT_FALSE(InstallInt8QuadKernel(nullptr));
  EXPECT_FALSE(InstallInt8QuadKernel(&SaturatingKernel));
  EXPECT_FALSE(InstallInt8QuadKernel(&SignedActivationKernel));
  EXPECT_FALSE(InstallInt8QuadKernel(&OverwritingKernel));
  EXPECT_EQ(InstalledInt8QuadKernel(), nullptr);
}

// Last: it installs a kernel for the rest of this test binary.
TEST(Int8U7Test, ZQuadLayoutThroughInstalledKernelGivesSameBits) {
  ASSERT_TRUE(InstallInt8QuadKernel(&RefInt8QuadKernel));
  ASSERT_EQ(InstalledInt8QuadKernel(), &RefInt8QuadKernel);
  for (size_t m : {1, 3, 4, 6}) {
    for (size_t n : {1, 8, 9, 24}) {
      for (size_t k : {1, 5, 16, 70}) {
        const U7Case t = MakeCase(m, n, k);
        GemmEpilogue ep;
        ep.bias = t.bias.data();
        const PackedInt8 pairs = PackInt8Weights(t.w.data(), t.sw.data(), n, k);
        const PackedInt8 quads = PackInt8Weights(t.w.data(), t.sw.data(), n, k, Int8Layout::kQuads);
        std::vector<float> a(m * n), b(m * n);
        GemmU7Packed(m, t.u.data(), t.lda, t.sa.data(), t.za.data(), pairs, a.data(), n, ep);
        GemmU7Packed(m, t.u.data(), t.lda, t.sa.data(), t.za.data(), quads, b.data(), n, ep);
        ASSERT_EQ(a, b) << "m=" << m << " n=" << n << " k=" << k;
      }
    }
  }
}

}  // namespace
}  // namespace hb
