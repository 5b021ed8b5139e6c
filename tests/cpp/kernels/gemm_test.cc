// GEMM kernels against the double-accumulating scalar reference on odd shapes, strides,
// misaligned pointers and every epilogue, on every SIMD target; plus the bitwise
// "a row's result does not depend on m" property the batching code relies on.
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/reference.h"
#include "kernels_test_util.h"

namespace hb {
namespace {

using test::Buffer;
using test::ForEachTarget;
using test::Rng;

enum class Variant { kTransB, kPlain, kPacked };

const char* Name(Variant v) {
  return v == Variant::kTransB ? "TransB" : v == Variant::kPlain ? "Plain" : "Packed";
}

struct Problem {
  size_t m, n, k, lda, ldb, ldc, ldr;
  Buffer a, b, c, bias, res;
  GemmEpilogue ep;
  Variant variant;

  Problem(Variant v, size_t m_, size_t n_, size_t k_, int combo, uint32_t seed)
      : m(m_),
        n(n_),
        k(k_),
        lda(k_ + (combo & 1) * 3),
        // B is [n x k] (TransB, Packed) or [k x n] (Plain).
        ldb((v == Variant::kPlain ? n_ : k_) + (combo & 2) * 2),
        ldc(n_ + (combo % 3)),
        ldr(n_ + 1),
        a(m_ * lda, 1 + combo % 3),
        b((v == Variant::kPlain ? k_ : n_) * ldb, 1 + combo % 2),
        c(m_ * ldc, 1),
        bias(n_, 1),
        res(m_ * ldr, 3),
        variant(v) {
    Rng rng(seed);
    a.Fill(rng.Vec(a.size()));
    b.Fill(rng.Vec(b.size()));
    bias.Fill(rng.Vec(bias.size()));
    res.Fill(rng.Vec(res.size()));
    if (combo % 2) ep.bias = bias.data();
    ep.activation = static_cast<Activation>(combo % 5);
    if (combo % 3 == 1) {
      ep.residual = res.data();
      ep.ldr = ldr;
    }
    ep.alpha = combo % 4 == 3 ? 0.125f : 1.0f;
  }

  const float* B() const { return b.data(); }

  void Run(float* out, const PackedF32* packed = nullptr) const {
    switch (variant) {
      case Variant::kTransB:
        return GemmF32TransB(m, n, k, a.data(), lda, B(), ldb, out, ldc, ep);
      case Variant::kPlain:
        return GemmF32(m, n, k, a.data(), lda, B(), ldb, out, ldc, ep);
      case Variant::kPacked: {
        if (packed) return GemmF32Packed(m, a.data(), lda, *packed, out, ldc, ep);
        // Linear weight: rows of length k, padded to ldb -> pack a dense copy.
        std::vector<float> w(n * k);
        for (size_t j = 0; j < n; ++j) {
          for (size_t p = 0; p < k; ++p) w[j * k + p] = B()[j * ldb + p];
        }
        const PackedF32 pw = PackWeightsF32(w.data(), n, k);
        return GemmF32Packed(m, a.data(), lda, pw, out, ldc, ep);
      }
    }
  }

  // Reference and the per-element error scale sum_p |alpha a b| + |bias| + |residual|.
  void Reference(std::vector<float>* ref, std::vector<double>* scale) const {
    ref->assign(m * ldc, 0.0f);
    const float* bb = B();
    if (variant == Variant::kPlain) {
      RefGemmF32(m, n, k, a.data(), lda, bb, ldb, ref->data(), ldc, ep);
    } else {
      RefGemmF32TransB(m, n, k, a.data(), lda, bb, ldb, ref->data(), ldc, ep);
    }
    scale->assign(m * ldc, 0.0);
    for (size_t i = 0; i < m; ++i) {
      for (size_t j = 0; j < n; ++j) {
        double s = 0.0;
        for (size_t p = 0; p < k; ++p) {
          const float bv = variant == Variant::kPlain ? bb[p * ldb + j] : bb[j * ldb + p];
          s += std::fabs(double{a.data()[i * lda + p]} * bv);
        }
        s *= ep.alpha;
        if (ep.bias) s += std::fabs(ep.bias[j]);
        if (ep.residual) s += std::fabs(ep.residual[i * ep.ldr + j]);
        (*scale)[i * ldc + j] = s;
      }
    }
  }
};

// Runs one problem, checks every element against the reference (|err| <= 1e-5 * scale +
// 1e-6; the 1e-6 covers the GELU approximations) and that C's padding columns are untouched.
void Check(Problem& pr) {
  std::vector<float> ref;
  std::vector<double> scale;
  pr.Reference(&ref, &scale);
  const float kSentinel = -12345.0f;
  for (size_t i = 0; i < pr.c.size(); ++i) pr.c[i] = kSentinel;
  pr.Run(pr.c.data());
  int bad = 0;
  for (size_t i = 0; i < pr.m; ++i) {
    for (size_t j = 0; j < pr.ldc; ++j) {
      const size_t idx = i * pr.ldc + j;
      const float got = pr.c[idx];
      if (j >= pr.n) {
        if (got != kSentinel && bad++ < 3) ADD_FAILURE() << "wrote padding at " << i << "," << j;
        continue;
      }
      const double tol = 1e-5 * scale[idx] + 1e-6;
      if (!(std::fabs(got - ref[idx]) <= tol) && bad++ < 3) {
        ADD_FAILURE() << Name(pr.variant) << " m=" << pr.m << " n=" << pr.n << " k=" << pr.k
                      << " act=" << static_cast<int>(pr.ep.activation) << " at (" << i << "," << j
                      << "): got " << got << " want " << ref[idx] << " tol " << tol;
      }
    }
  }
}

const size_t kSizes[] = {0, 1, 2, 3, 5, 7, 13, 31, 33, 64, 65, 100, 127};
const size_t kSmallM[] = {0, 1, 2, 3, 5, 7, 13};

void SweepShapes(Variant v) {
  ForEachTarget([v] {
    int combo = 0;
    for (size_t m : kSmallM) {
      for (size_t n : kSizes) {
        for (size_t k : kSizes) {
          Problem pr(v, m, n, k, combo++, static_cast<uint32_t>(m * 10007 + n * 101 + k));
          Check(pr);
        }
      }
    }
    // Larger m (several full row tiles plus every remainder) on a few n, k.
    for (size_t m : {31, 33, 64, 65, 100, 127}) {
      for (size_t n : {1, 33, 65, 127}) {
        for (size_t k : {1, 31, 100}) {
          Problem pr(v, m, n, k, combo++, static_cast<uint32_t>(m + n + k));
          Check(pr);
        }
      }
    }
  });
}

TEST(GemmF32, TransBMatchesReference) { SweepShapes(Variant::kTransB); }
TEST(GemmF32, PlainMatchesReference) { SweepShapes(Variant::kPlain); }
TEST(GemmF32, PackedMatchesReference) { SweepShapes(Variant::kPacked); }

// Row i of a GEMM with m rows is bit-identical to the GEMM of row i alone (and to a 13-row
// batch that holds it), for every variant and epilogue: batching never changes a text's result.
TEST(GemmF32, RowResultIndependentOfM) {
  ForEachTarget([] {
    for (Variant v : {Variant::kTransB, Variant::kPlain, Variant::kPacked}) {
      for (int combo : {0, 1, 5, 7}) {
        for (size_t n : {5, 65, 100}) {
          const size_t k = 77;
          Problem big(v, 13, n, k, combo, 99);
          PackedF32 pw;
          if (v == Variant::kPacked) {  // B is the [n x k] weight
            std::vector<float> w(n * k);
            for (size_t j = 0; j < n; ++j) {
              for (size_t p = 0; p < k; ++p) w[j * k + p] = big.B()[j * big.ldb + p];
            }
            pw = PackWeightsF32(w.data(), n, k);
          }
          std::vector<float> c13(13 * big.ldc), c7(7 * big.ldc), c1(big.ldc);
          big.Run(c13.data(), &pw);
          Problem seven = big;  // shares data layout; only m changes
          seven.m = 7;
          seven.Run(c7.data(), &pw);
          for (size_t i = 0; i < 7; ++i) {
            // Row i alone: shift A (and the residual) to that row.
            GemmEpilogue ep = big.ep;
            if (ep.residual) ep.residual += i * ep.ldr;
            const float* ai = big.a.data() + i * big.lda;
            switch (v) {
              case Variant::kTransB:
                GemmF32TransB(1, n, k, ai, big.lda, big.B(), big.ldb, c1.data(), big.ldc, ep);
                break;
              case Variant::kPlain:
                GemmF32(1, n, k, ai, big.lda, big.B(), big.ldb, c1.data(), big.ldc, ep);
                break;
              case Variant::kPacked:
                GemmF32Packed(1, ai, big.lda, pw, c1.data(), big.ldc, ep);
                break;
            }
            for (size_t j = 0; j < n; ++j) {
              ASSERT_TRUE(test::SameBits(c1[j], c7[i * big.ldc + j]))
                  << Name(v) << " row " << i << " col " << j << ": " << c1[j] << " vs "
                  << c7[i * big.ldc + j];
              ASSERT_TRUE(test::SameBits(c1[j], c13[i * big.ldc + j]));
            }
          }
        }
      }
    }
  });
}

// Packing is done once by the target chosen at load time; the packed weights must still give
// correct results if a different target runs the GEMM (tests switch targets; re-panels).
TEST(GemmF32, PackedUnderOneTargetRunsOnAll) {
  const size_t m = 9, n = 70, k = 45;
  Rng rng(7);
  const std::vector<float> a = rng.Vec(m * k), w = rng.Vec(n * k), bias = rng.Vec(n);
  GemmEpilogue ep;
  ep.bias = bias.data();
  ep.activation = Activation::kGeluErf;
  std::vector<float> ref(m * n), c(m * n);
  RefGemmF32TransB(m, n, k, a.data(), k, w.data(), k, ref.data(), n, ep);
  const PackedF32 pw = PackWeightsF32(w.data(), n, k);  // best target
  ForEachTarget([&] {
    GemmF32Packed(m, a.data(), k, pw, c.data(), n, ep);
    for (size_t i = 0; i < m * n; ++i) ASSERT_NEAR(c[i], ref[i], 1e-4) << i;
  });
}

// Packed and TransB share the micro-kernel and panel layout, so they agree bitwise.
TEST(GemmF32, PackedEqualsTransBBitwise) {
  const size_t m = 11, n = 50, k = 64;
  Rng rng(3);
  const std::vector<float> a = rng.Vec(m * k), w = rng.Vec(n * k);
  ForEachTarget([&] {
    const PackedF32 pw = PackWeightsF32(w.data(), n, k);
    std::vector<float> c1(m * n), c2(m * n);
    GemmF32Packed(m, a.data(), k, pw, c1.data(), n, GemmEpilogue());
    GemmF32TransB(m, n, k, a.data(), k, w.data(), k, c2.data(), n, GemmEpilogue());
    for (size_t i = 0; i < m * n; ++i) ASSERT_TRUE(test::SameBits(c1[i], c2[i])) << i;
  });
}

// C may alias the residual (x = x + W h in place).
TEST(GemmF32, ResidualMayAliasOutput) {
  const size_t m = 5, n = 37, k = 19;
  Rng rng(11);
  const std::vector<float> a = rng.Vec(m * k), w = rng.Vec(n * k), x0 = rng.Vec(m * n);
  std::vector<float> ref(m * n), c = x0;
  GemmEpilogue ep;
  ep.residual = x0.data();
  ep.ldr = n;
  RefGemmF32TransB(m, n, k, a.data(), k, w.data(), k, ref.data(), n, ep);
  ForEachTarget([&] {
    c = x0;
    ep.residual = c.data();
    GemmF32TransB(m, n, k, a.data(), k, w.data(), k, c.data(), n, ep);
    for (size_t i = 0; i < m * n; ++i) ASSERT_NEAR(c[i], ref[i], 1e-5) << i;
  });
}

TEST(GemmF32, ReportTargets) {
  std::printf("kernel targets: %s\n", test::AllTargetNames().c_str());
}

}  // namespace
}  // namespace hb
